// style-wave.cpp — waveform ribbon: the audio of the frame drawn as a thick
// mirrored ribbon across the screen, thickness from loudness, colour from the
// bass/treble balance, ghosts of the two previous ribbons as trails, a bright
// sweep on every beat and a flash on downbeats. Odd sections add an inverted ribbon.
#include <algorithm>
#include <cmath>
#include <deque>
#include <vector>

#include "styles.hpp"

namespace mv {

namespace {

class WaveStyle : public Style {
 public:
  WaveStyle(const Palette& palette, int width, int height) : base_(palette), background_(width, height) {}

  void draw(Canvas& canvas, const FrameInfo& f) override {
    if (f.index == 0 || f.section != section_) {
      palette_ = section_palette(base_, f.section);
      section_ = f.section;
      fill_background(background_, palette_);
    }
    // A static backdrop (cheap for the encoder: unchanged blocks are skipped),
    // then the two previous ribbons as fading ghosts, then the current one.
    canvas.copy_from(background_);
    const int w = canvas.width(), h = canvas.height();
    const int ribbons = 1;
    const bool mirrored = f.section % 2 == 1;  // odd sections: a second, inverted ribbon
    const Rgb base_color = mix(palette_.primary, palette_.accent, std::clamp(0.5 + f.treble - f.bass, 0.0, 1.0));
    const Rgb color = mix(base_color, palette_.highlight, 0.6 * f.beat_pulse);
    const double amp = h * (0.18 + 0.22 * f.level) * std::min(1.5, f.intensity) / ribbons;
    const double thickness = 4.0 + 14.0 * f.level + 10.0 * f.beat_pulse;
    history_.push_front(f.waveform);
    if (history_.size() > 2) history_.pop_back();
    if (mirrored) {
      draw_ribbons(canvas, f.waveform, ribbons, -amp, thickness * 0.7, palette_.accent, 0.6);
    } else if (history_.size() > 1) {
      draw_ribbons(canvas, history_[1], ribbons, amp * 1.15, thickness, base_color, 0.3);  // ghost
    }
    draw_ribbons(canvas, f.waveform, ribbons, amp, thickness, color, 0.9);
    // A sweep line that crosses the screen once per beat.
    const double phase = std::fmod(f.time_s, f.beat_period_s) / f.beat_period_s;
    const int sweep_x = static_cast<int>(phase * w);
    canvas.blend_rect(sweep_x - 3, 0, 6, h, palette_.highlight, 0.15 + 0.4 * f.beat_pulse);
    if (const double flash = downbeat_flash(f); flash > 0) canvas.tint(palette_.accent, flash);
  }

 private:
  static void draw_ribbons(Canvas& canvas, const std::vector<float>& wave, int ribbons, double amp, double thickness,
                           Rgb color, double alpha) {
    const int w = canvas.width(), h = canvas.height();
    const std::size_t n = wave.size();
    if (n == 0) return;
    // Low-pass the frame's audio into one point every 16 pixels (averaging
    // keeps the bass shape, drops the hiss), then draw a band of ±thickness
    // around the line through those points, 2 pixels per column.
    constexpr int kPointSpacing = 32;
    const int points = w / kPointSpacing + 2;
    std::vector<double> ys(static_cast<std::size_t>(points));
    for (int p = 0; p < points; ++p) {
      const std::size_t i0 = static_cast<std::size_t>(p) * n / static_cast<std::size_t>(points);
      const std::size_t i1 = std::max(i0 + 1, static_cast<std::size_t>(p + 1) * n / static_cast<std::size_t>(points));
      double sum = 0.0;
      for (std::size_t i = i0; i < i1 && i < n; ++i) sum += wave[i];
      ys[static_cast<std::size_t>(p)] = std::clamp(2.0 * sum / static_cast<double>(i1 - i0), -1.0, 1.0);
    }
    for (int r = 0; r < ribbons; ++r) {
      const int centre = h * (2 * r + 1) / (2 * ribbons);
      for (int x = 0; x < w; x += 2) {
        const double pos = static_cast<double>(x) / kPointSpacing;
        const auto p = static_cast<std::size_t>(pos);
        const double frac = pos - static_cast<double>(p);
        const double v = ys[p] * (1.0 - frac) + ys[std::min(p + 1, ys.size() - 1)] * frac;
        const int y = centre - static_cast<int>(v * amp);
        const int half = static_cast<int>(thickness);
        canvas.blend_rect(x, y - half, 2, 2 * half + 1, color, alpha);
      }
    }
  }

  Palette base_, palette_;
  Canvas background_;
  std::size_t section_ = 0;
  std::deque<std::vector<float>> history_;
};

}  // namespace

std::unique_ptr<Style> make_wave_style(const Palette& palette, int width, int height) {
  return std::make_unique<WaveStyle>(palette, width, height);
}

}  // namespace mv
