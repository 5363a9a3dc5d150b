// reframe.cpp — see reframe.hpp.
#include "mv/render/reframe.hpp"

#include <algorithm>
#include <cmath>

namespace mv {

namespace {

/// The subject's x per sample: faces' and moving samples' x, the previous
/// one's for still ones, then a running median of five.
std::vector<double> subject_track(const std::vector<SubjectSample>& samples, double min_weight) {
  std::vector<double> x;
  double last = 0.5;
  bool seen = false;
  for (const auto& s : samples) {
    if (s.face || s.weight >= min_weight) {
      last = s.x;
      if (!seen) std::fill(x.begin(), x.end(), last);  // before the first motion: where it first shows
      seen = true;
    }
    x.push_back(last);
  }
  std::vector<double> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    std::vector<double> win;
    for (std::size_t j = i >= 2 ? i - 2 : 0; j <= std::min(x.size() - 1, i + 2); ++j) win.push_back(x[j]);
    std::nth_element(win.begin(), win.begin() + static_cast<std::ptrdiff_t>(win.size() / 2), win.end());
    out[i] = win[win.size() / 2];
  }
  return out;
}

}  // namespace

std::vector<double> plan_follow(const std::vector<SubjectSample>& samples, double crop_width,
                                const std::vector<double>& beats, double duration_s, int fps,
                                const FollowOptions& o) {
  const auto frames = static_cast<std::size_t>(std::max<long long>(1, std::llround(duration_s * fps)));
  const double cw = std::clamp(crop_width, 1e-3, 1.0), lo = cw / 2.0, hi = 1.0 - cw / 2.0;
  std::vector<double> path(frames, 0.5);
  if (samples.empty() || cw >= 1.0) return path;
  const std::vector<double> track = subject_track(samples, o.min_weight);
  auto target_at = [&](double t) {  // linear between samples
    if (t <= samples.front().time_s) return track.front();
    for (std::size_t i = 1; i < samples.size(); ++i) {
      if (t <= samples[i].time_s) {
        const double a = (t - samples[i - 1].time_s) / std::max(1e-9, samples[i].time_s - samples[i - 1].time_s);
        return track[i - 1] + a * (track[i] - track[i - 1]);
      }
    }
    return track.back();
  };
  const double dt = 1.0 / fps, dv = o.max_accel * dt;
  double c = std::clamp(target_at(0.0), lo, hi), v = 0.0, away_s = 0.0, cut_at = -1.0;
  bool tracking = false;  // panning to centre the subject (from leaving the dead zone until it is centred again)
  for (std::size_t k = 0; k < frames; ++k) {
    const double t = static_cast<double>(k) * dt;
    const double subject = target_at(t), target = std::clamp(subject, lo, hi), off = target - c;
    if (cut_at >= 0.0 && t + 1e-9 >= cut_at) {  // the beat of a pending jump: cut
      c = target;
      v = 0.0;
      cut_at = -1.0;
      away_s = 0.0;
    } else if (std::fabs(off) > o.jump * cw) {
      away_s += dt;
      if (away_s >= o.jump_hold_s && cut_at < 0.0) {
        const auto next = std::lower_bound(beats.begin(), beats.end(), t);
        cut_at = next == beats.end() ? t : *next;
        if (cut_at <= t + 1e-9) {
          c = target;
          v = 0.0;
          cut_at = -1.0;
          away_s = 0.0;
        }
      }
    } else {
      away_s = 0.0;
      cut_at = -1.0;
    }
    // Pan: once the subject leaves the dead zone, toward centring it (or to the
    // picture's edge when it is beyond), slowing as it gets there; then hold.
    if (std::fabs(subject - c) > o.dead_zone * cw) tracking = true;
    if (tracking && std::fabs(off) < 0.1 * o.dead_zone * cw && std::fabs(v) < 0.05 * o.max_speed) tracking = false;
    const double want = tracking && cut_at < 0.0 ? std::copysign(std::min(o.max_speed, 4.0 * std::fabs(off)), off) : 0.0;
    v += std::clamp(want - v, -dv, dv);
    c = std::clamp(c + v * dt, lo, hi);
    path[k] = c;
  }
  return path;
}

}  // namespace mv
