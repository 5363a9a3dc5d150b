// style-wave.cpp — waveform ribbon: the audio of the frame drawn as a thick
// mirrored ribbon across the screen, thickness from loudness, colour from the
// bass/treble balance, trails from fading the previous frame, and a bright
// sweep on every beat. Odd sections draw three stacked ribbons.
#include <algorithm>
#include <cmath>

#include "styles.hpp"

namespace mv {

namespace {

class WaveStyle : public Style {
 public:
  WaveStyle(const Palette& palette, int /*width*/, int /*height*/) : base_(palette) {}

  void draw(Canvas& canvas, const FrameInfo& f) override {
    if (f.index == 0 || f.section != section_) {
      palette_ = section_palette(base_, f.section);
      section_ = f.section;
      if (f.index == 0) canvas.fill(palette_.background_top);
    }
    // Trails: fade the previous frame toward the backdrop.
    canvas.tint(mix(palette_.background_top, palette_.background_bottom, 0.5), 0.35);
    const int w = canvas.width(), h = canvas.height();
    const int ribbons = f.section % 2 == 1 ? 3 : 1;
    const Rgb base_color = mix(palette_.primary, palette_.accent, std::clamp(0.5 + f.treble - f.bass, 0.0, 1.0));
    const Rgb color = mix(base_color, palette_.highlight, 0.6 * f.beat_pulse);
    const double amp = h * (0.18 + 0.22 * f.level) * std::min(1.5, f.intensity) / ribbons;
    const double thickness = 3.0 + 10.0 * f.level + 8.0 * f.beat_pulse;
    const std::size_t n = f.waveform.size();
    if (n == 0) return;
    for (int r = 0; r < ribbons; ++r) {
      const int centre = h * (2 * r + 1) / (2 * ribbons);
      for (int x = 0; x < w; x += 2) {
        // Min/max of the samples that fall in this pair of columns.
        const std::size_t i0 = static_cast<std::size_t>(x) * n / static_cast<std::size_t>(w);
        const std::size_t i1 = std::max(i0 + 1, static_cast<std::size_t>(x + 2) * n / static_cast<std::size_t>(w));
        float lo = 1.0f, hi = -1.0f;
        for (std::size_t i = i0; i < i1 && i < n; ++i) {
          lo = std::min(lo, f.waveform[i]);
          hi = std::max(hi, f.waveform[i]);
        }
        const int y0 = centre - static_cast<int>(hi * amp + thickness);
        const int y1 = centre - static_cast<int>(lo * amp - thickness);
        canvas.blend_rect(x, std::min(y0, y1), 2, std::abs(y1 - y0) + 1, color, 0.9);
      }
    }
    // A sweep line that crosses the screen once per beat.
    const double phase = std::fmod(f.time_s, f.beat_period_s) / f.beat_period_s;
    const int sweep_x = static_cast<int>(phase * w);
    canvas.blend_rect(sweep_x - 3, 0, 6, h, palette_.highlight, 0.15 + 0.4 * f.beat_pulse);
    if (f.bar_pulse > 0.05f) canvas.tint(palette_.accent, 0.18 * f.bar_pulse * std::min(1.2, f.intensity));
  }

 private:
  Palette base_, palette_;
  std::size_t section_ = 0;
};

}  // namespace

std::unique_ptr<Style> make_wave_style(const Palette& palette, int width, int height) {
  return std::make_unique<WaveStyle>(palette, width, height);
}

}  // namespace mv
