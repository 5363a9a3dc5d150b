// style-pulse.cpp — pulse field: a central disc breathing with the bass,
// rings launched on every beat (thicker, accent-coloured on downbeats) that
// expand and fade, and a field of particles, each tied to a frequency band,
// orbiting at a radius that follows its band. Even/odd sections swap the ring
// and particle colours and the orbit direction.
#include <algorithm>
#include <cmath>
#include <deque>
#include <random>

#include "layers.hpp"

namespace mv {

namespace {

struct Ring {
  double born_s;
  bool downbeat;
};

struct Particle {
  double angle;     // radians
  double speed;     // radians per second
  double radius;    // fraction of the short side
  int band;
};

class PulseLayer : public Layer {
 public:
  explicit PulseLayer(const Palette& palette) : sections_(palette), palette_(palette) {
    // A fixed seed on purpose: the same song and options render the same video.
    std::mt19937 rng(7);  // NOLINT(cert-msc51-cpp): reproducible particles, not security
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int i = 0; i < 160; ++i) {
      particles_.push_back({u(rng) * 2 * M_PI, 0.1 + 0.4 * u(rng), 0.18 + 0.3 * u(rng), i % kBandCount});
    }
  }

  void draw(Canvas& canvas, const FrameInfo& f) override {
    palette_ = sections_.at(f);
    const double w = canvas.width(), h = canvas.height();
    const double cx = w / 2, cy = centre_y(canvas.width(), canvas.height()), unit = std::min(w, h);
    const double px = std::max(0.4, unit / 1080.0);  // sizes are designed at 1080 lines
    if (f.beat_frame) rings_.push_back({f.time_s, f.downbeat_frame});
    while (!rings_.empty() && f.time_s - rings_.front().born_s > 1.6) rings_.pop_front();
    const bool odd = f.section % 2 == 1;
    const Rgb ring_color = odd ? palette_.primary : palette_.accent;
    const Rgb dot_color = odd ? palette_.accent : palette_.primary;
    for (const auto& r : rings_) {
      const double age = f.time_s - r.born_s;
      const double radius = unit * (0.12 + 0.55 * std::sqrt(age / 1.6));
      const double alpha = 0.8 * (1.0 - age / 1.6) * std::min(1.2, f.intensity);
      canvas.blend_ring(cx, cy, radius, (r.downbeat ? 14.0 : 6.0) * px, r.downbeat ? palette_.highlight : ring_color, alpha);
    }
    const double dir = odd ? -1.0 : 1.0;
    for (auto& p : particles_) {
      p.angle += dir * p.speed * (0.5 + 1.5 * f.level) / f.fps;
      const double level = f.bands[static_cast<std::size_t>(p.band)];
      const double radius = unit * (p.radius + 0.12 * level * f.intensity);
      const double size = (2.5 + 6.0 * level + 4.0 * f.onset_pulse) * px;
      canvas.blend_disc(cx + radius * std::cos(p.angle) * (w / unit) * 0.8, cy + radius * std::sin(p.angle), size,
                        mix(dot_color, palette_.highlight, level), 0.85);
    }
    const double core = unit * (0.06 + 0.07 * f.bass * f.intensity + 0.03 * f.beat_pulse);
    canvas.blend_disc(cx, cy, core * 1.6, ring_color, 0.25);
    canvas.blend_disc(cx, cy, core, mix(palette_.accent, palette_.highlight, f.beat_pulse), 0.95);
  }

 private:
  SectionPalette sections_;
  Palette palette_;  ///< this section's
  std::deque<Ring> rings_;
  std::vector<Particle> particles_;
};

}  // namespace

std::unique_ptr<Layer> make_pulse_layer(const Palette& palette, int /*width*/, int /*height*/) {
  return std::make_unique<PulseLayer>(palette);
}

}  // namespace mv
