// layer-retro.cpp — synthwave: a striped sun sinking into a horizon lined with
// mountains made of the spectrum, over a perspective grid that scrolls toward
// the camera one line per beat. The sun swells with the bass, its stripes run
// down with the beat, the grid lines flare on beats.
#include <algorithm>
#include <cmath>

#include "layers.hpp"

namespace mv {

namespace {

class RetroLayer : public Layer {
 public:
  explicit RetroLayer(const Palette& palette) : sections_(palette), palette_(palette) {}

  void draw(Canvas& canvas, const FrameInfo& f) override {
    palette_ = sections_.at(f);
    const int h = canvas.height();
    const double horizon = h * 0.62;
    // Beats elapsed, with its fraction: the grid and the stripes move by it.
    const double beats = f.time_s / std::max(0.2, f.beat_period_s);
    draw_sun(canvas, horizon, beats, f);
    draw_mountains(canvas, horizon, f);
    draw_grid(canvas, horizon, beats, f);
  }

 private:
  void draw_sun(Canvas& canvas, double horizon, double beats, const FrameInfo& f) const {
    const int w = canvas.width(), h = canvas.height();
    const double r = std::min(w, h) * 0.24 * (1.0 + 0.05 * f.bass * f.intensity);
    const double cx = w / 2.0, cy = horizon - r * 0.55;
    const Rgb top = mix(palette_.highlight, palette_.primary, 0.15), bottom = palette_.accent;
    const double phase = beats - std::floor(beats);
    for (int y = std::max(0, static_cast<int>(cy - r)); y < std::min(static_cast<int>(horizon), h); ++y) {
      const double dy = y + 0.5 - cy;
      if (std::fabs(dy) >= r) continue;
      const double rel = (dy + r) / (2.0 * r);  // 0 top … 1 bottom
      // Stripes in the lower half: gaps that widen downward and run down with the beat.
      if (rel > 0.5) {
        const double band = (rel - 0.5) * 10.0 + phase;
        const double gap = 0.15 + 0.5 * (rel - 0.5);
        if (band - std::floor(band) < gap) continue;
      }
      const double half = std::sqrt(r * r - dy * dy);
      const Rgb c = mix(top, bottom, rel);
      const int x0 = static_cast<int>(std::ceil(cx - half)), x1 = static_cast<int>(std::floor(cx + half));
      canvas.blend_rect(x0, y, x1 - x0, 1, c, 1.0);
      canvas.blend_rect(x0 - 1, y, 1, 1, c, x0 - (cx - half));  // anti-aliased ends
      canvas.blend_rect(x1, y, 1, 1, c, (cx + half) - x1);
    }
  }

  /// Mountains on the horizon: the spectrum mirrored from the middle (bass)
  /// outward, dark, with a bright rim.
  void draw_mountains(Canvas& canvas, double horizon, const FrameInfo& f) const {
    const int w = canvas.width(), h = canvas.height();
    const Rgb fill = mix(palette_.background_top, Rgb{0, 0, 0}, 0.3);
    for (int x = 0; x < w; x += 2) {
      const double across = std::fabs(x + 1.0 - w / 2.0) / (w / 2.0);  // 0 middle … 1 edge
      const double pos = across * (kBandCount - 1) * 0.75;
      const auto b = static_cast<std::size_t>(pos);
      const double t = pos - static_cast<double>(b);
      const double level = f.bands[b] * (1 - t) + f.bands[std::min<std::size_t>(b + 1, kBandCount - 1)] * t;
      const double mh = h * (0.02 + 0.1 * level * f.intensity) * (0.6 + 0.4 * across);
      const int top = static_cast<int>(horizon - mh);
      canvas.blend_rect(x, top, 2, static_cast<int>(horizon) - top, fill, 0.92);
      canvas.blend_rect(x, top - 1, 2, 2, palette_.primary, 0.9);
    }
  }

  void draw_grid(Canvas& canvas, double horizon, double beats, const FrameInfo& f) const {
    const int w = canvas.width(), h = canvas.height();
    const int y0 = static_cast<int>(horizon) + 1;
    canvas.blend_rect(0, y0, w, h - y0, mix(palette_.background_top, Rgb{0, 0, 0}, 0.4), 0.9);
    const Rgb line = mix(palette_.accent, palette_.highlight, 0.3 * f.beat_pulse);
    const double alpha = 0.55 + 0.35 * f.bass + 0.1 * f.beat_pulse;
    const double depth = h - horizon;
    const int thick = std::max(1, h / 360);
    // Horizontal lines at distances z = k − phase (one line passes per beat): y = horizon + depth / z.
    const double phase = beats - std::floor(beats);
    for (int k = 1; k < 40; ++k) {
      const double z = k - phase + 0.15;
      const double y = horizon + depth * 0.9 / z;
      if (y >= h) continue;
      const double fade = std::min(1.0, (y - horizon) / (depth * 0.12));
      canvas.blend_rect(0, static_cast<int>(y), w, thick, line, alpha * fade);
    }
    // Lines toward the vanishing point: x = cx + i · gap · (y − horizon) / depth.
    const double gap = w * 0.11;
    for (int y = y0; y < h; ++y) {
      const double s = (y - horizon) / depth;
      const double fade = std::min(1.0, s / 0.12);
      for (int i = -14; i <= 14; ++i) {
        const double x = w / 2.0 + i * gap * s * 2.2;
        if (x < -2 || x > w + 2) continue;
        const int xi = static_cast<int>(std::floor(x));
        const double frac = x - xi;
        canvas.blend_rect(xi, y, 1, 1, line, alpha * fade * (1.0 - frac));
        canvas.blend_rect(xi + 1, y, thick, 1, line, alpha * fade * (thick > 1 ? 1.0 : frac));
      }
    }
  }

  SectionPalette sections_;
  Palette palette_;  ///< this section's
};

}  // namespace

std::unique_ptr<Layer> make_retro_layer(const Palette& palette, int /*width*/, int /*height*/) {
  return std::make_unique<RetroLayer>(palette);
}

}  // namespace mv
