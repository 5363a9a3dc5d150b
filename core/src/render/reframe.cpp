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

int facecam_panel_height(int width, int height, int letterbox_px) {
  const int area = std::max(2, height - 2 * std::max(0, letterbox_px));
  return std::max(2, std::min(width * 9 / 16, area * 42 / 100) & ~1);
}

std::optional<FacecamBox> find_facecam(const std::vector<SubjectSample>& samples, double source_aspect) {
  std::vector<double> xs, ys, hs;
  for (const auto& s : samples) {
    if (s.face) xs.push_back(s.x), ys.push_back(s.y), hs.push_back(s.face_height);
  }
  if (samples.empty() || static_cast<double>(xs.size()) < 0.6 * static_cast<double>(samples.size())) return std::nullopt;
  auto median = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  const double mx = median(xs), my = median(ys), mh = median(hs);
  if (mh >= 0.22) return std::nullopt;  // a face filling the shot: follow it instead
  std::vector<double> off;
  for (std::size_t i = 0; i < xs.size(); ++i) off.push_back(std::hypot(xs[i] - mx, (ys[i] - my) / std::max(0.1, source_aspect)));
  std::sort(off.begin(), off.end());
  if (off[static_cast<std::size_t>(0.9 * static_cast<double>(off.size() - 1))] > 0.04) return std::nullopt;  // it moves around
  if (std::fabs(mx - 0.5) < 1.0 / 6.0 && std::fabs(my - 0.5) < 0.2) return std::nullopt;  // central: not a corner overlay
  FacecamBox box;
  const double h = std::min(0.6, 2.8 * mh), w = std::min(1.0, h * 16.0 / 9.0 / std::max(0.1, source_aspect));
  const double cy = my + 0.05 * h;  // faces sit a little above the middle of a webcam picture
  box.x0 = std::clamp(mx - w / 2, 0.0, 1.0 - w);
  box.y0 = std::clamp(cy - h / 2, 0.0, 1.0 - h);
  box.x1 = box.x0 + w;
  box.y1 = box.y0 + h;
  return box;
}

}  // namespace mv
