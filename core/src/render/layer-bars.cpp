// style-bars.cpp — spectrum bars: one bar per analysis band, heights from the
// band levels, a flash of the accent colour on beats, peak caps that fall
// slowly, and a layout that alternates per section (floor bars with a
// reflection, or bars mirrored about the centre line).
#include <algorithm>
#include <cmath>

#include "layers.hpp"

namespace mv {

namespace {

class BarsLayer : public Layer {
 public:
  explicit BarsLayer(const Palette& palette) : sections_(palette), palette_(palette) { caps_.fill(0.0f); }

  void draw(Canvas& canvas, const FrameInfo& f) override {
    palette_ = sections_.at(f);
    const int w = canvas.width(), h = canvas.height();
    const bool mirrored = f.section % 2 == 1;
    const double gain = std::clamp(0.55 + 0.45 * f.section_energy, 0.4, 1.0) * f.intensity *
                        (1.0 + 0.15 * std::exp(-f.beat_age_s / 0.1));  // bars kick on the beat
    const int bars = kBandCount;
    const double slot = static_cast<double>(w) * 0.9 / bars;
    const int bar_w = std::max(2, static_cast<int>(slot * 0.7));
    const int x0 = static_cast<int>(w * 0.05);
    // Floor bars stop at 24 % of the height, under a title card at the top (its two lines end
    // near 20 %; they reached 16 %); mirrored sections have no title card.
    const double max_h = mirrored ? h * 0.42 : h * 0.54;
    const int base_y = mirrored ? h / 2 : static_cast<int>(h * 0.78);
    for (int b = 0; b < bars; ++b) {
      const float level = f.bands[static_cast<std::size_t>(b)];
      const double height = soft_ceiling(level * gain) * max_h + 4.0;
      const int x = x0 + static_cast<int>(b * slot);
      const Rgb color = mix(mix(palette_.primary, palette_.accent, static_cast<double>(b) / bars), palette_.highlight,
                            0.6 * std::exp(-f.beat_age_s / 0.08));
      const int hh = static_cast<int>(height);
      if (mirrored) {
        canvas.blend_rect(x, base_y - hh, bar_w, 2 * hh, color, 0.9);
      } else {
        canvas.blend_rect(x, base_y - hh, bar_w, hh, color, 0.95);
        canvas.blend_rect(x, base_y + 4, bar_w, hh / 3, color, 0.25);  // reflection
      }
      // Peak caps: jump up, fall at 0.8 screen-heights per second.
      auto& cap = caps_[static_cast<std::size_t>(b)];
      cap = std::max(static_cast<float>(height), cap - static_cast<float>(0.8 * h / f.fps));
      const int cap_y = base_y - static_cast<int>(cap) - 10;
      canvas.blend_rect(x, cap_y, bar_w, 5, palette_.highlight, 0.85);
      if (mirrored) canvas.blend_rect(x, base_y + static_cast<int>(cap) + 5, bar_w, 5, palette_.highlight, 0.85);
    }
    // A glowing floor line on every beat.
    const double glow = std::exp(-f.beat_age_s / 0.08);
    if (glow > 0.05) canvas.blend_rect(0, base_y - 3, w, 6 + static_cast<int>(10 * glow), palette_.highlight, 0.9 * glow);
  }

 private:
  SectionPalette sections_;
  Palette palette_;  ///< this section's
  std::array<float, kBandCount> caps_{};
};

}  // namespace

std::unique_ptr<Layer> make_bars_layer(const Palette& palette, int /*width*/, int /*height*/) {
  return std::make_unique<BarsLayer>(palette);
}

}  // namespace mv
