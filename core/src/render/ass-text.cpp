// ass-text.cpp — see ass-text.hpp. libass API after its ass.h and the
// sub-rendering loop of FFmpeg's vf_subtitles.c (render a frame, walk the
// ASS_Image list, blend each coverage bitmap with its colour).
#include "ass-text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
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

/// libass's messages: its errors (levels 0 and 1) go to stderr; a glyph that
/// no font has (fontselect's "failed to find any fallback", level 2) is
/// counted in `*data` (an int); the rest (font choices, versions) is dropped.
void on_ass_message(int level, const char* fmt, va_list args, void* data) {
  if (level > 2) return;
  char text[512];
  std::vsnprintf(text, sizeof text, fmt, args);
  if (level == 2) {
    if (data != nullptr && std::strstr(text, "failed to find any fallback") != nullptr) ++*static_cast<int*>(data);
    return;
  }
  std::fprintf(stderr, "libass: %s\n", text);
}

}  // namespace

Rgb sung_colour(const Palette& palette) {
  auto chroma = [](Rgb c) { return std::max({c.r, c.g, c.b}) - std::min({c.r, c.g, c.b}); };
  Rgb c = chroma(palette.accent) > 60 ? palette.accent : chroma(palette.primary) > 60 ? palette.primary : Rgb{255, 255, 255};
  auto luma = [](Rgb x) { return 0.2126 * x.r + 0.7152 * x.g + 0.0722 * x.b; };
  auto lift = [](std::uint8_t v) { return static_cast<std::uint8_t>(v + (255 - v) / 4); };
  while (luma(c) < 140.0) c = Rgb{lift(c.r), lift(c.g), lift(c.b)};
  return c;
}

TextLayout text_layout(int width, int height, const std::string& title_place, bool lyrics, const Palette& palette,
                       int letterbox_px) {
  TextLayout l;
  l.width = width;
  l.height = height;
  l.colour = palette.highlight;
  l.sung = sung_colour(palette);
  const bool portrait = height > width;
  const int top = std::max(letterbox_px, portrait ? height * 12 / 100 : height / 20) + height / 40;
  const int bottom = std::max(letterbox_px, portrait ? height * 20 / 100 : height / 20) + height / 40;
  if (title_place == "top" || (title_place == "lower" && lyrics)) l.title_alignment = 8, l.title_margin_v = top;
  if (title_place == "lower" && !lyrics) l.title_alignment = 2, l.title_margin_v = portrait ? height * 28 / 100 : bottom;
  // A title card in the middle of a vertical frame sits on the subject (a reframed face, the
  // halo's logo): Shorts put their words in the upper band, so it goes there, card-sized.
  if (portrait && title_place != "top" && title_place != "lower" && title_place != "none") {
    l.title_alignment = 8, l.title_margin_v = top + height / 20, l.title_card_size = true;
  }
  // Lyrics: on the bottom safe line (the progress bar, when there is one, runs below it).
  l.lyrics_margin_v = bottom;
  l.lyrics_margin_l = portrait ? width * 7 / 100 : width / 10;
  l.lyrics_margin_r = portrait ? width * 16 / 100 : width / 10;
  return l;
}

namespace {

/// One lyric line as ASS event text: a fade where it does not follow (or is
/// not followed by) another line at once, then a \kf sweep per timed word.
std::string lyric_text(const LyricLine& line, bool fade_in, bool fade_out) {
  std::string s = "{\\fad(" + std::to_string(fade_in ? 150 : 0) + "," + std::to_string(fade_out ? 150 : 0) + ")";
  if (line.words.empty()) return s + "\\1c&HFFFFFF&}" + ass_text(line.text);
  s += "}";
  // Centiseconds from the line's start, rounded once each, so lengths never drift.
  auto cs = [&](std::int64_t ms) { return static_cast<long>(std::lround(static_cast<double>(ms - line.start_ms) / 10.0)); };
  long at = 0;
  for (const LyricWord& w : line.words) {
    if (const long start = cs(w.start_ms); start > at) {
      s += "{\\k" + std::to_string(start - at) + "}";
      at = start;
    }
    const long end = std::max(at, cs(w.end_ms));
    s += "{\\kf" + std::to_string(end - at) + "}" + ass_text(w.text);
    at = end;
  }
  return s;
}

}  // namespace

std::string text_script(const std::vector<TitleEvent>& titles, const std::vector<LyricLine>& lyrics, const TextLayout& l) {
  const int width = l.width, height = l.height, unit = std::min(width, height);
  const int size = std::max(8, unit / (l.title_alignment == 5 || l.title_card_size ? 9 : 13)), card = std::max(8, unit / 8);
  const int lyric_px = std::max(8, height > width ? width / 13 : height / 17);
  auto ass_colour = [](Rgb c, int alpha) {  // ASS colours are &HAABBGGRR, alpha 0 = opaque
    char out[16];
    std::snprintf(out, sizeof out, "&H%02X%02X%02X%02X", alpha, c.b, c.g, c.r);
    return std::string(out);
  };
  const std::string colour = ass_colour(l.colour, 0), sung = ass_colour(l.sung, 0);
  const double outline = std::max(1.0, unit / 360.0), shadow = std::max(1.0, unit / 270.0);
  std::string s = "[Script Info]\nScriptType: v4.00+\nWrapStyle: 0\nScaledBorderAndShadow: yes\n";
  s += "PlayResX: " + std::to_string(width) + "\nPlayResY: " + std::to_string(height) + "\n\n";
  s += "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
       "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
       "MarginR, MarginV, Encoding\n";
  auto style = [&](const char* name, int px, const std::string& primary, const std::string& secondary, double border,
                   int align, int margin_l, int margin_r, int margin_v) {
    char line[512];
    std::snprintf(line, sizeof line,
                  "Style: %s,DejaVu Sans,%d,%s,%s,&H20000000,&H90000000,-1,0,0,0,100,100,%.1f,0,1,%.1f,%.1f,%d,%d,%d,%d,1\n",
                  name, px, primary.c_str(), secondary.c_str(), px * 0.02, border, shadow, align, margin_l, margin_r,
                  margin_v);
    s += line;
  };
  const std::string red = "&H000000FF";  // unused: no karaoke in titles
  style("Title", size, colour, red, outline, l.title_alignment, width / 14, width / 14, l.title_margin_v);
  style("End", card, colour, red, outline, 5, width / 14, width / 14, 0);
  // Lyrics: karaoke fills from Secondary (unsung: white, 40 % see-through) to Primary (sung); a heavier outline.
  style("Lyrics", lyric_px, sung, ass_colour(Rgb{255, 255, 255}, 0x66), outline * 1.5, 2, l.lyrics_margin_l,
        l.lyrics_margin_r, l.lyrics_margin_v);
  s += "\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";
  for (const auto& e : titles) {
    const int px = e.end_card ? card : size;
    // The artist a line below, smaller, not bold, in white.
    const std::string artist = e.artist.empty() ? "" : "\\N{\\fs" + std::to_string(px * 3 / 5) + "\\b0\\c&HFFFFFF&}" + ass_text(e.artist);
    s += "Dialogue: 0," + ass_time(e.start_s) + "," + ass_time(e.end_s) + "," + (e.end_card ? "End" : "Title") +
         ",,0,0,0,,{\\fad(500,700)\\blur1}" + ass_text(e.text) + artist + "\n";
  }
  constexpr std::int64_t kTouchingMs = 50;  // lines closer than this follow at once: no fade between them
  for (std::size_t i = 0; i < lyrics.size(); ++i) {
    const LyricLine& line = lyrics[i];
    if (line.end_ms <= line.start_ms) continue;
    const bool fade_in = i == 0 || line.start_ms - lyrics[i - 1].end_ms > kTouchingMs;
    const bool fade_out = i + 1 == lyrics.size() || lyrics[i + 1].start_ms - line.end_ms > kTouchingMs;
    // Layer 0 as the titles: libass moves colliding events of one layer apart.
    s += "Dialogue: 0," + ass_time(static_cast<double>(line.start_ms) / 1000.0) + "," +
         ass_time(static_cast<double>(line.end_ms) / 1000.0) + ",Lyrics,,0,0,0,," + lyric_text(line, fade_in, fade_out) + "\n";
  }
  return s;
}

struct AssText::Impl {
  ASS_Library* library = nullptr;
  ASS_Renderer* renderer = nullptr;
  ASS_Track* track = nullptr;       // titles and timed lyric lines
  ASS_Track* user_track = nullptr;  // an ASS lyrics file, its own styles
  std::int64_t user_shift_ms = 0;
  std::vector<TitleEvent> events;
  std::vector<std::pair<double, double>> spans;  // when the track shows anything, s
  std::vector<std::uint8_t> mask;  // one image's coverage, made contiguous
  int missing_glyphs = 0;          // libass found no font for a glyph this many times

  ~Impl() {
    if (track != nullptr) ass_free_track(track);
    if (user_track != nullptr) ass_free_track(user_track);
    if (renderer != nullptr) ass_renderer_done(renderer);
    if (library != nullptr) ass_library_done(library);
  }
  void start(int width, int height) {
    library = ass_library_init();
    if (library == nullptr) throw Error(ErrorCode::Internal, "libass could not start");
    ass_set_message_cb(library, on_ass_message, &missing_glyphs);
    renderer = ass_renderer_init(library);
    if (renderer == nullptr) throw Error(ErrorCode::Internal, "libass could not start its renderer");
    ass_set_frame_size(renderer, width, height);
    ass_set_storage_size(renderer, width, height);
    ass_set_fonts(renderer, nullptr, "DejaVu Sans", ASS_FONTPROVIDER_AUTODETECT, nullptr, 1);
  }
  /// Renders `which` at `ms` and blends every image onto the canvas.
  void blend(Canvas& canvas, ASS_Track* which, long long ms) {
    int changed = 0;
    for (const ASS_Image* img = ass_render_frame(renderer, which, ms, &changed); img != nullptr; img = img->next) {
      if (img->w <= 0 || img->h <= 0) continue;
      const auto opacity = static_cast<double>(255 - (img->color & 0xFF)) / 255.0;
      if (opacity <= 0.0) continue;
      mask.resize(static_cast<std::size_t>(img->w) * static_cast<std::size_t>(img->h));
      for (int y = 0; y < img->h; ++y) {
        std::copy_n(img->bitmap + static_cast<std::ptrdiff_t>(y) * img->stride, img->w,
                    mask.begin() + static_cast<std::ptrdiff_t>(y) * img->w);
      }
      const Rgb colour{static_cast<std::uint8_t>(img->color >> 24), static_cast<std::uint8_t>(img->color >> 16),
                       static_cast<std::uint8_t>(img->color >> 8)};
      canvas.blend_mask(mask.data(), img->w, img->h, img->dst_x, img->dst_y, colour, opacity);
    }
  }
};

AssText::AssText(const Timeline& tl, const Look& look, const Palette& palette, const Lyrics* lyrics, int width, int height,
                 int letterbox_px)
    : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  for (const auto& t : tl.tracks) {
    if (t.type != static_cast<int>(TrackType::Text)) continue;
    for (const auto& seg : t.segments) {
      const bool end_card = seg.effect == "end_card";
      if (seg.text.empty() || (look.title == "none" && !end_card)) continue;
      m.events.push_back({seg.text, seg.extra.value("artist", std::string()), static_cast<double>(seg.start_ms) / 1000.0,
                          static_cast<double>(seg.start_ms + seg.duration_ms) / 1000.0, end_card});
      m.spans.emplace_back(m.events.back().start_s, m.events.back().end_s);
    }
  }
  const bool user_script = lyrics != nullptr && lyrics->format == Lyrics::Format::Ass;
  const std::vector<LyricLine> no_lines;
  const std::vector<LyricLine>& lines = lyrics != nullptr && !user_script ? lyrics->lines : no_lines;
  for (const auto& l : lines) m.spans.emplace_back(static_cast<double>(l.start_ms) / 1000.0, static_cast<double>(l.end_ms) / 1000.0);
  if (m.spans.empty() && !user_script) return;
  m.start(width, height);
  if (!m.spans.empty()) {
    std::string script = text_script(m.events, lines, text_layout(width, height, look.title, lyrics != nullptr, palette, letterbox_px));
    m.track = ass_read_memory(m.library, script.data(), script.size(), nullptr);
    if (m.track == nullptr) throw Error(ErrorCode::Internal, "libass could not read the titles");
  }
  if (user_script) {
    std::string script = lyrics->ass_script;
    m.user_track = ass_read_memory(m.library, script.data(), script.size(), nullptr);
    if (m.user_track == nullptr) throw Error(ErrorCode::InputInvalid, "libass could not read the ASS lyrics");
    m.user_shift_ms = lyrics->ass_shift_ms;
  }
}

int AssText::missing_glyphs() const { return impl_->missing_glyphs; }

double AssText::card_dim(double t) const {
  for (const auto& e : impl_->events) {
    if (e.end_card && t >= e.start_s && t < e.end_s) return 0.55 * std::min(1.0, (t - e.start_s) / 0.5);
  }
  return 0.0;
}

AssText::~AssText() = default;

void AssText::draw(Canvas& canvas, double t) {
  auto& m = *impl_;
  const long long ms = std::llround(t * 1000.0);
  if (m.track != nullptr &&
      std::any_of(m.spans.begin(), m.spans.end(), [t](const std::pair<double, double>& s) { return t >= s.first && t < s.second; })) {
    m.blend(canvas, m.track, ms);
  }
  if (m.user_track != nullptr) m.blend(canvas, m.user_track, ms + m.user_shift_ms);
}

}  // namespace mv
