// ass-title.cpp — see ass-title.hpp. libass API after its ass.h and the
// sub-rendering loop of FFmpeg's vf_subtitles.c (render a frame, walk the
// ASS_Image list, blend each coverage bitmap with its colour).
#include "ass-title.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <string>
#include <vector>

extern "C" {
#include <ass/ass.h>
}

#include "mv/base/error.hpp"

namespace mv {

namespace {

/// "H:MM:SS.cc" (ASS time, centiseconds).
std::string ass_time(double s) {
  const auto cs = static_cast<long>(std::lround(std::max(0.0, s) * 100.0));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld.%02ld", cs / 360000, cs / 6000 % 60, cs / 100 % 60, cs % 100);
  return buf;
}

/// The user's text as ASS event text: override blocks and escapes disarmed
/// ("{" "}" become brackets, a backslash is followed by a word joiner so that
/// "\N" stays two letters), newlines become line breaks.
std::string ass_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '{') {
      out += '(';
    } else if (c == '}') {
      out += ')';
    } else if (c == '\\') {
      out += "\\\xE2\x81\xA0";  // U+2060 WORD JOINER
    } else if (c == '\n') {
      out += "\\N";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

/// libass's messages: its errors (levels 0 and 1) go to stderr, the rest
/// (font choices, versions: levels 2 to 7) are dropped.
void on_ass_message(int level, const char* fmt, va_list args, void* /*data*/) {
  if (level > 1) return;
  std::fputs("libass: ", stderr);
  std::vfprintf(stderr, fmt, args);
  std::fputc('\n', stderr);
}

}  // namespace

std::string title_script(const std::vector<TitleEvent>& events, int width, int height, Rgb c, int alignment, int margin_v) {
  const int unit = std::min(width, height);
  const int size = std::max(8, unit / (alignment == 5 ? 9 : 13)), card = std::max(8, unit / 8);
  char colour[16];
  std::snprintf(colour, sizeof colour, "&H00%02X%02X%02X", c.b, c.g, c.r);  // ASS colours are &HAABBGGRR
  const double outline = std::max(1.0, unit / 360.0), shadow = std::max(1.0, unit / 270.0);
  std::string s = "[Script Info]\nScriptType: v4.00+\nWrapStyle: 0\nScaledBorderAndShadow: yes\n";
  s += "PlayResX: " + std::to_string(width) + "\nPlayResY: " + std::to_string(height) + "\n\n";
  s += "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
       "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
       "MarginR, MarginV, Encoding\n";
  auto style = [&](const char* name, int px, int align, int margin) {
    char line[512];
    std::snprintf(line, sizeof line,
                  "Style: %s,DejaVu Sans,%d,%s,&H000000FF,&H20000000,&H90000000,-1,0,0,0,100,100,%.1f,0,1,%.1f,%.1f,%d,%d,%d,%d,1\n",
                  name, px, colour, px * 0.02, outline, shadow, align, width / 14, width / 14, margin);
    s += line;
  };
  style("Title", size, alignment, margin_v);
  style("End", card, 5, 0);
  s += "\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";
  for (const auto& e : events) {
    const int px = e.end_card ? card : size;
    // The artist a line below, smaller, not bold, in white.
    const std::string artist = e.artist.empty() ? "" : "\\N{\\fs" + std::to_string(px * 3 / 5) + "\\b0\\c&HFFFFFF&}" + ass_text(e.artist);
    s += "Dialogue: 0," + ass_time(e.start_s) + "," + ass_time(e.end_s) + "," + (e.end_card ? "End" : "Title") +
         ",,0,0,0,,{\\fad(500,700)\\blur1}" + ass_text(e.text) + artist + "\n";
  }
  return s;
}

struct AssTitle::Impl {
  ASS_Library* library = nullptr;
  ASS_Renderer* renderer = nullptr;
  ASS_Track* track = nullptr;
  std::vector<TitleEvent> events;
  std::vector<std::uint8_t> mask;  // one image's coverage, made contiguous

  ~Impl() {
    if (track != nullptr) ass_free_track(track);
    if (renderer != nullptr) ass_renderer_done(renderer);
    if (library != nullptr) ass_library_done(library);
  }
};

AssTitle::AssTitle(const Timeline& tl, const Look& look, const Palette& palette, int width, int height, int letterbox_px)
    : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  for (const auto& t : tl.tracks) {
    if (t.type != static_cast<int>(TrackType::Text)) continue;
    for (const auto& seg : t.segments) {
      const bool end_card = seg.effect == "end_card";
      if (seg.text.empty() || (look.title == "none" && !end_card)) continue;
      m.events.push_back({seg.text, seg.extra.value("artist", std::string()), static_cast<double>(seg.start_ms) / 1000.0,
                          static_cast<double>(seg.start_ms + seg.duration_ms) / 1000.0, end_card});
    }
  }
  if (m.events.empty()) return;
  // Safe areas: 9:16 keeps clear of the platforms' buttons and captions (top 12 %, bottom 20 %).
  const bool portrait = height > width;
  const int top = std::max(letterbox_px, portrait ? height * 12 / 100 : height / 20) + height / 40;
  const int bottom = std::max(letterbox_px, portrait ? height * 20 / 100 : height / 20) + height / 40;
  int alignment = 5, margin_v = 0;
  if (look.title == "top") alignment = 8, margin_v = top;
  if (look.title == "lower") alignment = 2, margin_v = portrait ? height * 28 / 100 : bottom;
  std::string script = title_script(m.events, width, height, palette.highlight, alignment, margin_v);
  m.library = ass_library_init();
  if (m.library == nullptr) throw Error(ErrorCode::Internal, "libass could not start");
  ass_set_message_cb(m.library, on_ass_message, nullptr);
  m.renderer = ass_renderer_init(m.library);
  if (m.renderer == nullptr) throw Error(ErrorCode::Internal, "libass could not start its renderer");
  ass_set_frame_size(m.renderer, width, height);
  ass_set_storage_size(m.renderer, width, height);
  ass_set_fonts(m.renderer, nullptr, "DejaVu Sans", ASS_FONTPROVIDER_AUTODETECT, nullptr, 1);
  m.track = ass_read_memory(m.library, script.data(), script.size(), nullptr);
  if (m.track == nullptr) throw Error(ErrorCode::Internal, "libass could not read the title");
}

double AssTitle::card_dim(double t) const {
  for (const auto& e : impl_->events) {
    if (e.end_card && t >= e.start_s && t < e.end_s) return 0.55 * std::min(1.0, (t - e.start_s) / 0.5);
  }
  return 0.0;
}

AssTitle::~AssTitle() = default;

void AssTitle::draw(Canvas& canvas, double t) {
  auto& m = *impl_;
  if (m.track == nullptr || std::none_of(m.events.begin(), m.events.end(), [t](const TitleEvent& e) { return t >= e.start_s && t < e.end_s; })) {
    return;
  }
  int changed = 0;
  for (const ASS_Image* img = ass_render_frame(m.renderer, m.track, std::llround(t * 1000.0), &changed); img != nullptr;
       img = img->next) {
    if (img->w <= 0 || img->h <= 0) continue;
    const auto opacity = static_cast<double>(255 - (img->color & 0xFF)) / 255.0;
    if (opacity <= 0.0) continue;
    m.mask.resize(static_cast<std::size_t>(img->w) * static_cast<std::size_t>(img->h));
    for (int y = 0; y < img->h; ++y) {
      std::copy_n(img->bitmap + static_cast<std::ptrdiff_t>(y) * img->stride, img->w,
                  m.mask.begin() + static_cast<std::ptrdiff_t>(y) * img->w);
    }
    const Rgb colour{static_cast<std::uint8_t>(img->color >> 24), static_cast<std::uint8_t>(img->color >> 16),
                     static_cast<std::uint8_t>(img->color >> 8)};
    canvas.blend_mask(m.mask.data(), img->w, img->h, img->dst_x, img->dst_y, colour, opacity);
  }
}

}  // namespace mv
