// options.hpp — the option groups of a video, one value type each, defined
// once: what it looks like (LookChoice), which part of the input it covers
// (Excerpt), its frame (Framing) and its words (Captions). Each has one
// validate() whose errors name the field as the JSON form names it, and one
// JSON form (flat keys, merged into a job's object). JobSpec (jobs/) and the
// render request (VideoSettings, GenerateRequest) embed them as they are; the
// CLI, the dock and the websocket only parse into them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace mv {

/// Frame shape; the pixel sizes are in aspects().
enum class Aspect { Wide, Tall, Square };
/// Frame size class: 1080p (the aspect's size) or 720p (2/3 of it).
enum class Resolution { P720, P1080 };

/// One entry of the aspect list: id as users write it and the 1080p size.
struct AspectInfo {
  Aspect aspect;
  const char* id;     ///< "16:9", "9:16", "1:1"
  int width, height;  ///< pixels at 1080p: 1920x1080, 1080x1920, 1080x1080
};
/// The aspects, 16:9 first (the default for a song).
const std::vector<AspectInfo>& aspects();
/// "16:9"…; "720p"/"1080p".
const char* aspect_id(Aspect aspect);
const char* resolution_id(Resolution resolution);
/// The value of an id; nullopt when unknown.
std::optional<Aspect> aspect_from_id(const std::string& id);
std::optional<Resolution> resolution_from_id(const std::string& id);

/// The aspect of a frame that fits a picture shown `width` × `height` pixels
/// (after its display rotation): 9:16 when it is taller than wide by more
/// than 5 %, 1:1 within 5 %, else 16:9; 16:9 for no picture (0 × 0).
Aspect aspect_for_shape(int width, int height);

/// The frame of `aspect` whose short side is `short_side` pixels (made even, at least 16):
/// the same picture drawn for another screen at the resolution it was drawn at, e.g. a
/// 1920x1080 look saved as 9:16 → 1080x1920, a 1280x720 one as 1:1 → 720x720. The long side
/// is the aspect's (aspects()) scaled alike, rounded to an even number; where it would pass
/// 7680 both sides are made smaller instead (the aspect is kept).
std::pair<int, int> size_for_aspect(Aspect aspect, int short_side);

/// Parses "WxH" (e.g. "320x180"): even numbers from 16 to 7680.
/// Errors: Error{Usage} naming `field`.
std::pair<int, int> parse_frame_size(const std::string& text, const std::string& field);

/// True for the names Framing::fit takes: "follow", "blur", "letterbox".
bool is_fit_mode(const std::string& fit);

/// What the video looks like. Keys: "look" (also read as "style", its older
/// name, here and nowhere else), "palette", "intensity", "lut", "footage", "image".
struct LookChoice {
  /// The look (style_names(): a look of look_library(), or "montage" /
  /// "footage" for the picture modes with the default look for pictures).
  /// Unset: the prompt's look words, else the default (resolve_look()).
  std::optional<std::string> name;
  std::optional<std::string> palette;  ///< palette_names(); unset: the prompt's, else the look's
  std::optional<double> intensity;     ///< 0.3..2; unset: the prompt's, else the look's
  /// A 3D LUT for the grade: a bundled LUT's name or a .cube/.3dl/… file;
  /// "none": no grade; empty: the look's own grade.
  std::string lut;
  /// A video input's own pictures as the video: unset = yes, false = the
  /// audio-reactive looks only.
  std::optional<bool> footage;
  /// A picture (artwork, logo, photo) behind the audio-reactive looks;
  /// empty: the song's embedded cover art when it has one.
  std::filesystem::path image;

  /// Checks without the disk: the look and palette are known names (the
  /// user's looks included), the intensity is within 0.3..2.
  /// Errors: Error{Usage} naming the field ("\"look\" must be one of …").
  void validate() const;
  /// Adds the set fields to `j` (unset and empty ones are left out).
  void to_json(nlohmann::json& j) const;
  /// Reads the keys of `j` (each optional; "" is unset). Errors: as validate()
  /// for a key of the wrong type. Does not call validate().
  static LookChoice from_json(const nlohmann::json& j);
};

/// Which part of the input the video covers, s. Keys: "start", "duration",
/// "highlight" (seconds, or true for 30), "highlight_start".
struct Excerpt {
  std::optional<double> start_s, duration_s;  ///< an excerpt of the input
  /// The song's best excerpt of about this many seconds (15..60:
  /// find_highlights()), instead of start_s/duration_s; an input at most 5 s
  /// longer than that is taken whole (a short take makes a Short as it is).
  std::optional<double> highlight_s;
  /// With highlight_s: where the user moved it (s; the nearest bar start).
  std::optional<double> highlight_start_s;

  /// The one check of an excerpt: start ≥ 0, duration > 0, a highlight of
  /// 15..60 s and not with start or duration, highlight_start ≥ 0 and only
  /// with a highlight. Errors: Error{Usage} naming the field.
  void validate() const;
  void to_json(nlohmann::json& j) const;
  static Excerpt from_json(const nlohmann::json& j);
};

/// The frame. Keys: "aspect" (absent or "auto": the input's shape),
/// "resolution", "size" ("WxH"), "fps", "fit".
struct Framing {
  /// Unset: the input's own shape (aspect_for_shape() of its first moving
  /// picture; a front end resolves it before rendering), else 16:9.
  std::optional<Aspect> aspect;
  Resolution resolution = Resolution::P1080;
  std::optional<std::pair<int, int>> size;  ///< any even size 16..7680; overrides aspect/resolution
  int fps = 30;                             ///< 24, 30 or 60
  /// How footage of another aspect (a 16:9 recording in 9:16) fills the
  /// frame: "follow" (a crop that follows the subject), "blur" (the whole
  /// picture over a blurred copy) or "letterbox".
  std::string fit = "follow";

  /// The frame size in pixels: `size`, else the aspect's size (×2/3 at 720p);
  /// an unset aspect counts as 16:9.
  [[nodiscard]] std::pair<int, int> frame_size() const;
  /// fps 24/30/60, a size of even numbers within 16..7680, a known fit.
  /// Errors: Error{Usage} naming the field.
  void validate() const;
  void to_json(nlohmann::json& j) const;
  static Framing from_json(const nlohmann::json& j);
};

/// The video's words. Keys: "title", "artist", "title_card", "end_card",
/// "progress_bar", "lyrics", "cta".
struct Captions {
  /// Drawn over the first seconds; empty: the input's tags, else its file
  /// name (is_machine_name() and OBS's date-time names give none).
  std::string title;
  std::string artist;          ///< under the title; empty: the tags, else the file name
  bool title_card = true;      ///< false: no title at all (nor end card)
  bool end_card = false;       ///< the title and artist over the darkened last 3 s
  bool progress_bar = false;   ///< a thin bar that fills with the song
  /// Synced lyrics (.lrc/.srt/.ass); empty: a file next to the song with its
  /// name; "none": none.
  std::filesystem::path lyrics;
  /// A call to action ("Shop now — link in bio"): the end card's line.
  std::string cta;

  /// Each text at most 500 bytes of UTF-8 without control characters but a
  /// line break. Errors: Error{Usage} naming the field.
  void validate() const;
  void to_json(nlohmann::json& j) const;
  static Captions from_json(const nlohmann::json& j);
};

}  // namespace mv
