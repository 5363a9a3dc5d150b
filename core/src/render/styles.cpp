// styles.cpp — style factory and per-section palettes.
#include <algorithm>
#include <cmath>
#include <utility>

#include "mv/base/error.hpp"
#include "styles.hpp"

namespace mv {

double downbeat_flash(const FrameInfo& f) {
  const double amount = 0.28 * std::exp(-f.downbeat_age_s / 0.05) * std::min(1.2, f.intensity);
  return amount < 0.03 ? 0.0 : amount;
}

Palette section_palette(const Palette& base, std::size_t section) {
  // Rotate primary → accent → highlight-tinted primary across sections.
  Palette p = base;
  switch (section % 3) {
    case 1:
      std::swap(p.primary, p.accent);
      p.background_bottom = mix(base.background_bottom, base.accent, 0.25);
      break;
    case 2:
      p.primary = mix(base.primary, base.highlight, 0.35);
      p.background_top = mix(base.background_top, base.primary, 0.15);
      break;
    default: break;
  }
  return p;
}

std::unique_ptr<Style> make_style(const std::string& name, const Palette& palette, int width, int height,
                                  const Track* video_track) {
  if (name == "bars") return make_bars_style(palette, width, height);
  if (name == "wave") return make_wave_style(palette, width, height);
  if (name == "pulse") return make_pulse_style(palette, width, height);
  if (name == "footage") {
    if (video_track == nullptr) throw Error(ErrorCode::Usage, "the footage style needs a video input");
    return make_footage_style(palette, width, height, *video_track);
  }
  if (name == "montage") {
    if (video_track == nullptr) throw Error(ErrorCode::Usage, "montage needs clips or photos (--clips)");
    return make_montage_style(palette, width, height, *video_track);
  }
  std::string known;
  for (const auto& n : style_names()) known += (known.empty() ? "" : ", ") + n;
  throw Error(ErrorCode::Usage, "unknown style \"" + name + "\"; known styles: " + known);
}

}  // namespace mv
