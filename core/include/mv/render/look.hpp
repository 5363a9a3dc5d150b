// look.hpp — the look of a generated video: style, palette and intensity, and
// the prompt vocabulary that picks them (documented in README "Prompt words").
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mv/media/canvas.hpp"

namespace mv {

/// Names of every look the library holds (look_library(): bundled looks, then
/// the user's), then "montage" (needs clips) and "footage" (needs a video
/// input: its own pictures in sync with its sound), which are kept as names of
/// the two picture modes (they take the default look for pictures, "cinema").
const std::vector<std::string>& style_names();
/// Names of the palettes.
const std::vector<std::string>& palette_names();

/// Colours of one palette.
struct Palette {
  std::string name;
  Rgb background_top, background_bottom;  ///< backdrop gradient
  Rgb primary;    ///< bars, ribbons, particles
  Rgb accent;     ///< beat flashes, downbeat rings, highlights
  Rgb highlight;  ///< the brightest parts (peaks, title)
};

/// Looks up a palette by name. Errors: Error{Usage} listing the known names.
Palette palette_by_name(const std::string& name);

/// The effects of a look, each a strength from 0 (off) to 1 (full), all
/// beat-aware where it makes sense (render/effects.hpp says how each is drawn).
struct LookEffects {
  double glow = 0.0;       ///< bloom: bright parts bleed soft light
  double vignette = 0.0;   ///< corners darkened
  double grain = 0.0;      ///< film grain, a new pattern every frame
  double letterbox = 0.0;  ///< black bars top and bottom; 1 = a 2.39:1 picture in 16:9
  double chromatic = 0.0;  ///< colour fringes split apart on downbeats
  double shake = 0.0;      ///< the frame shakes with the bass
  double punch = 0.0;      ///< zoom punch into the pictures on beats and downbeats
  double flash = 0.0;      ///< the frame flashes on downbeats
  double scanlines = 0.0;  ///< CRT scanlines
  double pan = 0.0;        ///< a slow pan and zoom over a still backdrop
  double particles = 0.0;  ///< particles that fly toward the camera, faster when louder
};

/// One named look: the layers a video is made of and how they move. Looks are
/// data: JSON files in data/looks/ (bundled into the library at build time)
/// and in the user's folder (user_looks_dir()); the schema is
/// docs/looks.md.
struct Look {
  std::string name;         ///< lower-case letters, digits and '-', 1..24 characters
  std::string description;  ///< one line, shown by `mvgen looks` and in the dock
  std::vector<std::string> keywords;  ///< prompt words that choose this look (EN, ZH)
  std::string palette = "neon";       ///< palette_names()
  double intensity = 1.0;             ///< 0.3..2, how hard everything moves
  /// What fills the frame for an audio input without a picture: "generated"
  /// (an animated field in the palette) or "gradient" (the palette's, still).
  /// A picture comes first: a video input's footage, --clips, then the cover
  /// art or --image (blurred and darkened, or panned when effects.pan > 0).
  std::string background = "generated";
  /// The audio-reactive layer over an audio input's background: "bars",
  /// "club", "wave", "pulse", "halo", "retro", "strip" or "none".
  std::string visualizer = "bars";
  /// The audio-reactive layer over footage or clips (same names).
  std::string over_pictures = "strip";
  /// Colour grade: "none", "filmic" (gentle S-curve, a little more colour),
  /// "warm", "cool", "teal-orange" or "mono".
  std::string grade = "none";
  /// A 3D LUT that replaces `grade` when set: a bundled LUT's name
  /// (bundled_lut_names()) or a LUT file; a relative path is taken from the
  /// look file's folder (user looks only). `--lut` replaces it.
  std::string lut;
  /// What happens at a section change (its first frame, a downbeat):
  /// "crossfade" (from the last frame before it, 0.5 s), "zoom" (a 15 % zoom
  /// that settles in 0.4 s), "whip" (a blurred pan out and in, 0.3 s around it),
  /// "flash" (white, fading in 0.35 s) or "none".
  std::string transition = "none";
  LookEffects effects;
  /// Where the title goes: "centre", "lower" (lower third), "top" or "none".
  std::string title = "lower";
  std::filesystem::path file;  ///< where it was read from ("<bundled>/NAME.json" for bundled looks)
};

/// The visualizer names a look may use (Look::visualizer).
const std::vector<std::string>& visualizer_names();
/// The transition names a look may use (Look::transition).
const std::vector<std::string>& transition_names();
/// The grade names a look may use (Look::grade).
const std::vector<std::string>& grade_names();

/// The bundled LUTs' names (data/luts/*.cube, made by scripts/make-luts.py):
/// "bleach-bypass", "noir", "teal-orange", "warm-film".
const std::vector<std::string>& bundled_lut_names();

/// Parses and validates one look from JSON text. `file` names it in errors.
/// Errors: Error{InputInvalid} "looks file F: field \"effects.glow\" must be a
/// number from 0 to 1 (got \"lots\")" and the like, naming the file and field.
Look parse_look(const std::string& json_text, const std::filesystem::path& file);

/// All looks: the bundled ones, then the user's (a user look replaces a bundled
/// one of the same name). A user file that fails to parse is skipped and kept
/// in `problems` (its message names the file and the field).
class LookLibrary {
 public:
  /// Bundled looks plus every *.json in `user_dir` (absent folder: none).
  static LookLibrary load(const std::filesystem::path& user_dir);
  [[nodiscard]] const std::vector<Look>& looks() const { return looks_; }
  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }
  /// The look of that name. Errors: Error{Usage} listing the known names (and
  /// the problem, when a user file of that name failed to load).
  [[nodiscard]] const Look& find(const std::string& name) const;
  [[nodiscard]] bool contains(const std::string& name) const;

 private:
  std::vector<Look> looks_;
  std::vector<std::string> problems_;
  std::map<std::string, std::string> broken_;  ///< file stem → its problem
};

/// $XDG_CONFIG_HOME/obs-music-video/looks, else ~/.config/obs-music-video/looks
/// (shared by mvgen and the OBS plugin).
std::filesystem::path user_looks_dir();

/// The library loaded from user_looks_dir() on first use, or by the latest
/// reload_look_library() that found the folder changed (thread-safe; a
/// reference stays valid for the life of the process).
const LookLibrary& look_library();
/// Loads the user's folder again when a *.json in it was added, removed or
/// changed since the last load (names, sizes and times compared; reads the
/// folder, so not for a UI thread). Returns true when it did: look_library()
/// and style_names() then hold the new looks. Thread-safe.
bool reload_look_library();

/// What a prompt asked for; unset fields keep their defaults.
struct PromptHints {
  std::optional<std::string> style;
  std::optional<std::string> palette;
  std::optional<double> intensity;     ///< 0.6 calm, 1.0 normal, 1.5 intense
  std::vector<std::string> matched;    ///< the keywords that were recognised, in order
};

/// Reads look, palette and intensity keywords from free text (case-insensitive,
/// whole words; English and a few Chinese words). Look words are the
/// look_library()'s keywords and names; `style` is the look's name. Later
/// words win over earlier ones of the same kind. Unknown words are ignored.
PromptHints parse_prompt(const std::string& text);

}  // namespace mv
