// look.hpp — the look of a generated video: style, palette and intensity, and
// the prompt vocabulary that picks them (documented in README "Prompt words").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mv/media/canvas.hpp"

namespace mv {

/// Names of the audio-reactive styles, then "montage" (needs clips) and
/// "footage" (needs a video input: its own pictures in sync with its sound).
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

/// What a prompt asked for; unset fields keep their defaults.
struct PromptHints {
  std::optional<std::string> style;
  std::optional<std::string> palette;
  std::optional<double> intensity;     ///< 0.6 calm, 1.0 normal, 1.5 intense
  std::vector<std::string> matched;    ///< the keywords that were recognised, in order
};

/// Reads style, palette and intensity keywords from free text (case-insensitive,
/// whole words; English and a few Chinese words). Later words win over earlier
/// ones of the same kind. Unknown words are ignored.
PromptHints parse_prompt(const std::string& text);

}  // namespace mv
