// layer-club.cpp — club bars: the spectrum mirrored about the frame's middle
// (the bass in the centre, the treble toward both edges), rounded bars filled
// with a vertical gradient rising from a horizon, a mirrored reflection below
// that fades out, and the bass bars kicking on each beat. The strobe on
// downbeats is the look's flash effect.
#include <algorithm>
#include <cmath>

#include "layers.hpp"

namespace mv {

namespace {

constexpr int kBarsPerSide = 28;

class ClubLayer : public Layer {
 public:
  explicit ClubLayer(const Palette& palette) : sections_(palette), palette_(palette) {}

  void draw(Canvas& canvas, const FrameInfo& f) override {
    palette_ = sections_.at(f);
    const int w = canvas.width(), h = canvas.height();
    // The tallest bar stops at 24 % of the height: under a title card at the top (two lines
    // end near 20 % at 16:9 and 9:16), which the bars reached into when they rose to 18 %.
    const double horizon = h * 0.64;
    const double slot = w * 0.92 / (2 * kBarsPerSide);
    const double bar_w = slot * 0.62;
    const double max_h = h * 0.40;
    for (int i = 0; i < kBarsPerSide; ++i) {
      // Bars per side map to the lower ~80 % of the bands; the middle ones are the bass.
      const double pos = static_cast<double>(i) / (kBarsPerSide - 1) * (kBandCount - 1) * 0.8;
      const auto b = static_cast<std::size_t>(pos);
      const double t = pos - static_cast<double>(b);
      double level = f.bands[b] * (1 - t) + f.bands[std::min<std::size_t>(b + 1, kBandCount - 1)] * t;
      const double kick = i < 6 ? 0.25 * f.beat_pulse * (1.0 - i / 6.0) : 0.0;
      level = soft_ceiling((level * (0.6 + 0.4 * f.section_energy) + kick) * f.intensity);
      const double bh = std::max(bar_w, level * max_h);
      for (int side = -1; side <= 1; side += 2) {
        const double xc = w / 2.0 + side * (i + 0.5) * slot;
        draw_bar(canvas, xc, horizon, bar_w, bh, static_cast<double>(i) / kBarsPerSide);
      }
    }
    canvas.blend_rect(0, static_cast<int>(horizon), w, std::max(2, h / 360), palette_.highlight, 0.35 + 0.5 * f.beat_pulse);
  }

 private:
  /// One bar centred at xc standing on `base`: a gradient from the primary
  /// colour at the foot to the accent at the top, a round cap, and a
  /// reflection below fading from 30 % to nothing.
  void draw_bar(Canvas& canvas, double xc, double base, double bar_w, double bh, double across) const {
    const int x = static_cast<int>(std::lround(xc - bar_w / 2));
    const int bw = std::max(2, static_cast<int>(std::lround(bar_w)));
    const double cap = bar_w / 2.0;
    const int top = static_cast<int>(base - bh + cap);
    const Rgb foot = mix(palette_.primary, palette_.accent, across * 0.5);
    const Rgb tip = mix(palette_.accent, palette_.highlight, 0.3);
    const int steps = 12;
    const int span = static_cast<int>(base) - top;
    for (int s = 0; s < steps; ++s) {
      const int y0 = top + span * s / steps, y1 = top + span * (s + 1) / steps;
      canvas.blend_rect(x, y0, bw, y1 - y0, mix(tip, foot, static_cast<double>(s) / (steps - 1)), 0.95);
    }
    canvas.blend_disc(xc, top, cap, tip, 0.95);
    const int refl = static_cast<int>(bh * 0.45);
    for (int s = 0; s < 6; ++s) {
      const int y0 = static_cast<int>(base) + 2 + refl * s / 6, y1 = static_cast<int>(base) + 2 + refl * (s + 1) / 6;
      canvas.blend_rect(x, y0, bw, y1 - y0, foot, 0.3 * (1.0 - s / 6.0));
    }
  }

  SectionPalette sections_;
  Palette palette_;  ///< this section's
};

}  // namespace

std::unique_ptr<Layer> make_club_layer(const Palette& palette, int /*width*/, int /*height*/) {
  return std::make_unique<ClubLayer>(palette);
}

}  // namespace mv
