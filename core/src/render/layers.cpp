// layers.cpp — the visualizer factory, per-section palettes, the downbeat flash.
#include <algorithm>
#include <cmath>
#include <utility>

#include "mv/base/error.hpp"
#include "layers.hpp"

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

std::unique_ptr<Layer> make_visualizer(const std::string& name, const Palette& palette, int width, int height,
                                       const std::filesystem::path& centre) {
  if (name == "bars") return make_bars_layer(palette, width, height);
  if (name == "club") return make_club_layer(palette, width, height);
  if (name == "wave") return make_wave_layer(palette, width, height);
  if (name == "pulse") return make_pulse_layer(palette, width, height);
  if (name == "halo") return make_halo_layer(palette, width, height, centre);
  if (name == "retro") return make_retro_layer(palette, width, height);
  if (name == "strip") return make_strip_layer(palette, width, height);
  if (name == "none") return nullptr;
  std::string known;
  for (const auto& n : visualizer_names()) known += (known.empty() ? "" : ", ") + n;
  throw Error(ErrorCode::Usage, "unknown visualizer \"" + name + "\"; known: " + known);
}

}  // namespace mv
