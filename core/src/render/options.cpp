// options.cpp — the option groups' lists, checks and JSON forms (see mv/render/options.hpp).
#include "mv/render/options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "mv/analysis/analysis.hpp"
#include "mv/base/error.hpp"
#include "mv/base/json-fields.hpp"
#include "mv/render/look.hpp"

namespace mv {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::vector<AspectInfo>& aspects() {
  static const std::vector<AspectInfo> kAspects = {
      {Aspect::Wide, "16:9", 1920, 1080}, {Aspect::Tall, "9:16", 1080, 1920}, {Aspect::Square, "1:1", 1080, 1080}};
  return kAspects;
}

const char* aspect_id(Aspect aspect) {
  for (const auto& a : aspects()) {
    if (a.aspect == aspect) return a.id;
  }
  return "16:9";
}

const char* resolution_id(Resolution resolution) { return resolution == Resolution::P720 ? "720p" : "1080p"; }

std::optional<Aspect> aspect_from_id(const std::string& id) {
  for (const auto& a : aspects()) {
    if (id == a.id) return a.aspect;
  }
  return std::nullopt;
}

std::optional<Resolution> resolution_from_id(const std::string& id) {
  if (id == "720p") return Resolution::P720;
  if (id == "1080p") return Resolution::P1080;
  return std::nullopt;
}

Aspect aspect_for_shape(int width, int height) {
  if (width <= 0 || height <= 0) return Aspect::Wide;
  const double r = static_cast<double>(width) / height;
  if (r < 1.0 / 1.05) return Aspect::Tall;
  return r <= 1.05 ? Aspect::Square : Aspect::Wide;
}

std::pair<int, int> size_for_aspect(Aspect aspect, int short_side) {
  const int side = std::clamp(short_side / 2 * 2, 16, 7680);
  int w = 1920, h = 1080;
  for (const auto& a : aspects()) {
    if (a.aspect == aspect) w = a.width, h = a.height;
  }
  const double scale = std::min(static_cast<double>(side) / std::min(w, h), 7680.0 / std::max(w, h));
  const auto scaled = [scale](int v) {
    return std::clamp(static_cast<int>(std::lround(static_cast<double>(v) * scale / 2.0)) * 2, 16, 7680);
  };
  return {scaled(w), scaled(h)};
}

std::pair<int, int> parse_frame_size(const std::string& text, const std::string& field) {
  const auto x = text.find('x');
  const double w = x == std::string::npos ? -1 : std::strtod(text.substr(0, x).c_str(), nullptr);
  const double h = x == std::string::npos ? -1 : std::strtod(text.substr(x + 1).c_str(), nullptr);
  if (w < 16 || h < 16 || w > 7680 || h > 7680 || std::fmod(w, 2.0) != 0.0 || std::fmod(h, 2.0) != 0.0) {
    throw Error(ErrorCode::Usage, field + " needs WIDTHxHEIGHT, even numbers from 16 to 7680, e.g. 320x180");
  }
  return {static_cast<int>(w), static_cast<int>(h)};
}

bool is_fit_mode(const std::string& fit) { return fit == "follow" || fit == "blur" || fit == "letterbox"; }

namespace {

bool finite_at_least(const std::optional<double>& v, double lo) { return !v || (std::isfinite(*v) && *v >= lo); }

}  // namespace

// ---- LookChoice ----------------------------------------------------------------------------

void LookChoice::validate() const {
  if (name && *name != "montage" && *name != "footage") {
    const auto& names = style_names();
    if (std::find(names.begin(), names.end(), *name) == names.end()) {
      (void)look_library().find(*name);  // a user look that failed to load: its own message
      throw field_error("look", "must be one of " + one_of(names) + " (got \"" + *name + "\")");
    }
  }
  if (palette) {
    const auto& names = palette_names();
    if (std::find(names.begin(), names.end(), *palette) == names.end()) {
      throw field_error("palette", "must be one of " + one_of(names) + " (got \"" + *palette + "\")");
    }
  }
  if (intensity && !(std::isfinite(*intensity) && *intensity >= 0.3 && *intensity <= 2.0)) {
    throw field_error("intensity", "must be between 0.3 and 2");
  }
}

void LookChoice::to_json(json& j) const {
  if (name) j["look"] = *name;
  if (palette) j["palette"] = *palette;
  if (intensity) j["intensity"] = *intensity;
  if (!lut.empty()) j["lut"] = lut;
  if (footage) j["footage"] = *footage;
  if (!image.empty()) j["image"] = image.string();
}

LookChoice LookChoice::from_json(const json& j) {
  const JsonFields f{j};
  LookChoice c;
  c.name = f.text("look");
  if (!c.name) c.name = f.text("style");  // the key's older name
  if (c.name && c.name->empty()) c.name.reset();  // "" = automatic
  c.palette = f.text("palette");
  if (c.palette && c.palette->empty()) c.palette.reset();
  c.intensity = f.number("intensity");
  c.lut = f.text("lut").value_or("");
  c.footage = f.flag("footage");
  c.image = f.text("image").value_or("");
  return c;
}

// ---- Excerpt -------------------------------------------------------------------------------

void Excerpt::validate() const {
  if (!finite_at_least(start_s, 0.0)) throw field_error("start", "must be 0 or more seconds");
  if (duration_s && !(std::isfinite(*duration_s) && *duration_s > 0.0)) throw field_error("duration", "must be more than 0 seconds");
  if (highlight_s && !(*highlight_s >= kMinHighlightS && *highlight_s <= kMaxHighlightS)) {
    throw field_error("highlight", "must be between 15 and 60 seconds");
  }
  if (highlight_s && (start_s || duration_s)) {
    throw field_error("highlight", "chooses the excerpt itself; leave out start and duration");
  }
  if (highlight_start_s && !highlight_s) throw field_error("highlight_start", "moves a highlight; give highlight too");
  if (!finite_at_least(highlight_start_s, 0.0)) throw field_error("highlight_start", "must be 0 or more seconds");
}

void Excerpt::to_json(json& j) const {
  if (start_s) j["start"] = *start_s;
  if (duration_s) j["duration"] = *duration_s;
  if (highlight_s) j["highlight"] = *highlight_s;
  if (highlight_start_s) j["highlight_start"] = *highlight_start_s;
}

Excerpt Excerpt::from_json(const json& j) {
  const JsonFields f{j};
  Excerpt e;
  e.start_s = f.number("start", " of seconds");
  e.duration_s = f.number("duration", " of seconds");
  if (f.has("highlight") && j["highlight"].is_boolean()) {
    if (j["highlight"].get<bool>()) e.highlight_s = kDefaultHighlightS;
  } else {
    e.highlight_s = f.number("highlight", " of seconds (or true)");
  }
  e.highlight_start_s = f.number("highlight_start", " of seconds");
  return e;
}

// ---- Framing -------------------------------------------------------------------------------

std::pair<int, int> Framing::frame_size() const {
  if (size) return *size;
  int w = 1920, h = 1080;
  for (const auto& a : aspects()) {
    if (a.aspect == aspect.value_or(Aspect::Wide)) w = a.width, h = a.height;
  }
  if (resolution == Resolution::P720) w = w * 2 / 3, h = h * 2 / 3;
  return {w, h};
}

void Framing::validate() const {
  if (fps != 24 && fps != 30 && fps != 60) throw field_error("fps", "must be 24, 30 or 60");
  if (size) {
    const auto [w, h] = *size;
    if (w < 16 || h < 16 || w > 7680 || h > 7680 || w % 2 != 0 || h % 2 != 0) {
      throw field_error("size", "needs WIDTHxHEIGHT, even numbers from 16 to 7680, e.g. 320x180");
    }
  }
  if (!is_fit_mode(fit)) throw field_error("fit", "must be follow, blur or letterbox (got \"" + fit + "\")");
}

void Framing::to_json(json& j) const {
  if (aspect) j["aspect"] = aspect_id(*aspect);
  j["resolution"] = resolution_id(resolution);
  if (size) j["size"] = std::to_string(size->first) + "x" + std::to_string(size->second);
  j["fps"] = fps;
  if (fit != "follow") j["fit"] = fit;
}

Framing Framing::from_json(const json& j) {
  const JsonFields f{j};
  Framing r;
  if (const auto v = f.text("aspect"); v && *v != "auto" && !v->empty()) {
    r.aspect = aspect_from_id(*v);
    if (!r.aspect) throw field_error("aspect", "must be auto, 16:9, 9:16 or 1:1 (got \"" + *v + "\")");
  }
  if (const auto v = f.text("resolution")) {
    const auto res = resolution_from_id(*v);
    if (!res) throw field_error("resolution", "must be 720p or 1080p (got \"" + *v + "\")");
    r.resolution = *res;
  }
  if (const auto v = f.text("size")) r.size = parse_frame_size(*v, "\"size\"");
  r.fps = f.whole("fps").value_or(r.fps);
  r.fit = f.text("fit").value_or("follow");
  return r;
}

// ---- Captions ------------------------------------------------------------------------------

void Captions::validate() const {
  const auto check = [](const char* field, const std::string& text) {
    if (text.size() > 500) throw field_error(field, "is over 500 bytes");
    for (const unsigned char c : text) {
      if ((c < 0x20 && c != '\n') || c == 0x7F) throw field_error(field, "has a control character");
    }
  };
  check("title", title);
  check("artist", artist);
  check("cta", cta);
}

void Captions::to_json(json& j) const {
  if (!title.empty()) j["title"] = title;
  if (!artist.empty()) j["artist"] = artist;
  if (!title_card) j["title_card"] = false;
  if (end_card) j["end_card"] = true;
  if (progress_bar) j["progress_bar"] = true;
  if (!lyrics.empty()) j["lyrics"] = lyrics.string();
  if (!cta.empty()) j["cta"] = cta;
}

Captions Captions::from_json(const json& j) {
  const JsonFields f{j};
  Captions c;
  c.title = f.text("title").value_or("");
  c.artist = f.text("artist").value_or("");
  c.title_card = f.flag("title_card").value_or(true);
  c.end_card = f.flag("end_card").value_or(false);
  c.progress_bar = f.flag("progress_bar").value_or(false);
  c.lyrics = f.text("lyrics").value_or("");
  c.cta = f.text("cta").value_or("");
  return c;
}

}  // namespace mv
