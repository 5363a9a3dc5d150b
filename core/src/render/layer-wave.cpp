// layer-wave.cpp — the waveform as three layered ribbons that fill the frame:
// the frame's audio drawn as a glowing line across the screen at three depths
// (the back ones show the audio of one and two frames earlier, thinner and
// dimmer), each with a gradient-filled body below it down to the next, so the
// whole frame moves with the sound. Thickness and height follow the loudness,
// colour the bass/treble balance; a ripple of light leaves the centre on each beat.
// Odd sections hang the ribbons from the top instead.
#include <algorithm>
#include <cmath>
#include <deque>
#include <vector>

#include "layers.hpp"

namespace mv {

namespace {

constexpr int kRibbons = 3;
constexpr int kPointSpacing = 24;  // pixels between the waveform's points

/// The frame's audio low-passed into one point every kPointSpacing pixels
/// (averaging keeps the bass shape, drops the hiss), −1..1.
std::vector<double> wave_points(const std::vector<float>& wave, int width) {
  const int points = width / kPointSpacing + 2;
  std::vector<double> ys(static_cast<std::size_t>(points), 0.0);
  const std::size_t n = wave.size();
  if (n == 0) return ys;
  for (int p = 0; p < points; ++p) {
    const std::size_t i0 = static_cast<std::size_t>(p) * n / static_cast<std::size_t>(points);
    const std::size_t i1 = std::max(i0 + 1, static_cast<std::size_t>(p + 1) * n / static_cast<std::size_t>(points));
    double sum = 0.0;
    for (std::size_t i = i0; i < i1 && i < n; ++i) sum += wave[i];
    ys[static_cast<std::size_t>(p)] = std::clamp(2.0 * sum / static_cast<double>(i1 - i0), -1.0, 1.0);
  }
  // Taper the ends so the ribbon leaves the frame level.
  for (int p = 0; p < points; ++p) {
    const double edge = std::min(p, points - 1 - p) / 3.0;
    ys[static_cast<std::size_t>(p)] *= std::min(1.0, edge);
  }
  return ys;
}

class WaveLayer : public Layer {
 public:
  explicit WaveLayer(const Palette& palette) : sections_(palette), palette_(palette) {}

  void draw(Canvas& canvas, const FrameInfo& f) override {
    palette_ = sections_.at(f);
    const int w = canvas.width(), h = canvas.height();
    history_.push_front(wave_points(f.waveform, w));
    if (history_.size() > kRibbons) history_.pop_back();
    const bool hanging = f.section % 2 == 1;
    const Rgb base_color = mix(palette_.primary, palette_.accent, std::clamp(0.5 + f.treble - f.bass, 0.0, 1.0));
    // Back to front: the back ribbons are older, higher up, thinner and dimmer.
    for (int r = kRibbons - 1; r >= 0; --r) {
      const auto& ys = history_[std::min<std::size_t>(static_cast<std::size_t>(r), history_.size() - 1)];
      const double depth = static_cast<double>(r) / (kRibbons - 1);  // 0 front … 1 back
      const double centre = h * (0.66 - 0.2 * depth);
      const double amp = h * (0.12 + 0.2 * f.level) * std::min(1.5, f.intensity) * (1.0 - 0.35 * depth);
      const double thickness = (2.0 + 5.0 * f.level + 5.0 * f.beat_pulse) * (1.0 - 0.5 * depth) * h / 720.0;
      const Rgb line = mix(mix(base_color, palette_.highlight, r == 0 ? 0.5 * f.beat_pulse : 0.0), palette_.background_top,
                           0.45 * depth);
      // The bodies light up on each beat (the beat's visible event, ~120 ms).
      const Rgb body = mix(mix(mix(palette_.primary, palette_.accent, depth), palette_.background_bottom, 0.35),
                           palette_.highlight, 0.45 * f.beat_pulse);
      draw_ribbon(canvas, ys, hanging ? h - centre : centre, hanging ? -amp : amp, thickness, line, body,
                  (0.95 - 0.35 * depth) * (1.0 + 0.6 * f.beat_pulse), hanging);
    }
    draw_ripple(canvas, f);
  }

 private:
  /// The beat's ripple: two soft bands of light leave the centre on each beat and reach the
  /// edges as the next one comes, fading with the beat's pulse (a thin line crossing the
  /// screen read as a stray hairline in a still). Each band is w/24 wide (at least 8 px),
  /// brightest in its middle.
  void draw_ripple(Canvas& canvas, const FrameInfo& f) const {
    const int w = canvas.width(), h = canvas.height();
    if (f.beat_period_s <= 0.0) return;
    const double since = std::clamp(f.beat_age_s, 0.0, f.beat_period_s);
    const double travel = since / f.beat_period_s * (w / 2.0);
    const double peak = 0.04 + 0.32 * f.beat_pulse;
    const int half_band = std::max(4, w / 48);
    for (const double centre : {w / 2.0 - travel, w / 2.0 + travel}) {
      const int c = static_cast<int>(std::lround(centre));
      for (int dx = -half_band; dx < half_band; dx += 2) {
        const double a = peak * (1.0 - std::abs(dx + 1) / static_cast<double>(half_band));
        canvas.blend_rect(c + dx, 0, 2, h, palette_.highlight, a);
      }
    }
  }

  /// One ribbon: a filled body from the line away from the centre line's side
  /// (down, or up when hanging), fading out over ~22 % of the height in four
  /// steps, then the line itself, 2 pixels per column.
  static void draw_ribbon(Canvas& canvas, const std::vector<double>& ys, double centre, double amp, double thickness,
                          Rgb line, Rgb body, double alpha, bool hanging) {
    const int w = canvas.width(), h = canvas.height();
    const int body_h = h * 22 / 100;
    const int half = std::max(1, static_cast<int>(thickness));
    int prev_y = -1;
    for (int x = 0; x < w; x += 2) {
      const double pos = static_cast<double>(x) / kPointSpacing;
      const auto p = static_cast<std::size_t>(pos);
      const double frac = pos - static_cast<double>(p);
      const double s = frac * frac * (3.0 - 2.0 * frac);  // smooth between points
      const double v = ys[p] * (1.0 - s) + ys[std::min(p + 1, ys.size() - 1)] * s;
      const int y = static_cast<int>(centre - v * amp);
      constexpr int kSteps = 8;
      for (int k = 0; k < kSteps; ++k) {
        const int y0 = hanging ? y - (k + 1) * body_h / kSteps : y + k * body_h / kSteps;
        canvas.blend_rect(x, y0, 2, body_h / kSteps, body, std::min(1.0, 0.34 * alpha * (1.0 - static_cast<double>(k) / kSteps)));
      }
      // The line spans from the previous column's height to this one's, so steep slopes stay unbroken.
      const int lo = std::min(y, prev_y < 0 ? y : prev_y), hi = std::max(y, prev_y < 0 ? y : prev_y);
      canvas.blend_rect(x, lo - 3 * half, 2, hi - lo + 6 * half + 1, line, 0.18 * alpha);  // halo around the line
      canvas.blend_rect(x, lo - half, 2, hi - lo + 2 * half + 1, line, std::min(1.0, alpha));
      prev_y = y;
    }
  }

  SectionPalette sections_;
  Palette palette_;  ///< this section's
  std::deque<std::vector<double>> history_;
};

}  // namespace

std::unique_ptr<Layer> make_wave_layer(const Palette& palette, int /*width*/, int /*height*/) {
  return std::make_unique<WaveLayer>(palette);
}

}  // namespace mv
