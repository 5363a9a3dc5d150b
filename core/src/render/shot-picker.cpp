// shot-picker.cpp — see shot-picker.hpp.
#include "shot-picker.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <tuple>

#include "mv/base/error.hpp"
#include "mv/media/canvas.hpp"
#include "mv/media/visual-source.hpp"

namespace mv {

namespace fs = std::filesystem;

namespace {

/// The q-quantile (0..1) of `v` (0 when empty).
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  const auto k = static_cast<std::size_t>(std::clamp(q, 0.0, 1.0) * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

std::vector<double> liveliness(const ClipActivity& a) {
  const auto n = static_cast<std::size_t>(std::max(1.0, std::ceil(a.duration_s)));
  std::vector<double> bytes(a.video_bytes);
  bytes.resize(n, 0.0);
  const double ref = std::max(1.0, quantile(bytes, 0.75));
  const double quiet = quantile(a.loudness_db, 0.1), loud = quantile(a.loudness_db, 0.9);
  std::vector<double> out(n, 0.0);
  std::size_t j = 0;  // key frame at or before second i
  for (std::size_t i = 0; i < n; ++i) {
    while (j + 1 < a.key_frames.size() && a.key_frames[j + 1].time_s <= static_cast<double>(i) + 0.5) ++j;
    const double motion = std::min(1.0, bytes[i] / ref);
    double change = 0.0;
    bool black = false;
    if (!a.key_frames.empty()) {
      const KeyFrameLook& k = a.key_frames[j];
      black = k.luma < 24.0 && k.detail < 1.5;
      // The change into the next key frame, else from the one before.
      change = j + 1 < a.key_frames.size() ? a.key_frames[j + 1].change : k.change;
    }
    const bool frozen = !a.key_frames.empty() && change < 0.8 && motion < 0.3;
    if (black || frozen) {
      out[i] = kDeadSecond;
      continue;
    }
    double sound = 0.5;
    if (i < a.loudness_db.size() && loud > quiet + 1.0) sound = std::clamp((a.loudness_db[i] - quiet) / (loud - quiet), 0.0, 1.0);
    out[i] = 0.45 * motion + 0.35 * std::min(1.0, change / 12.0) + 0.2 * sound;
  }
  return out;
}

std::vector<double> pick_in_points(const std::vector<double>& live, double clip_s, const std::vector<double>& durations) {
  double total = 0.0;
  for (double d : durations) total += d;
  if (durations.empty() || total > clip_s) return {};
  std::vector<std::pair<double, double>> used;  // chosen windows [start, end)
  // Mean score and dead seconds of the window [t, t + d).
  auto window = [&](double t, double d) {
    double sum = 0.0;
    int dead = 0, count = 0;
    for (auto i = static_cast<std::size_t>(t); static_cast<double>(i) < t + d && i < live.size(); ++i, ++count) {
      if (live[i] < 0.0) {
        ++dead;
      } else {
        sum += live[i];
      }
    }
    return std::make_pair(count > 0 ? sum / count : 0.0, dead);
  };
  auto free = [&](double t, double d) {
    return std::none_of(used.begin(), used.end(), [&](const auto& u) { return t < u.second && u.first < t + d; });
  };
  std::vector<double> in;
  const double zone = clip_s / static_cast<double>(durations.size());
  for (std::size_t s = 0; s < durations.size(); ++s) {
    const double d = durations[s];
    double best_t = -1.0, best_score = -1.0, fallback_t = -1.0;
    int fewest_dead = 1 << 30;
    auto search = [&](double from, double to, bool any_zone) {
      for (auto k = static_cast<int>(std::ceil(std::max(0.0, from) * 2.0));; ++k) {
        const double t = static_cast<double>(k) * 0.5;  // every half second
        if (t + d > clip_s + 1e-9 || t > to) break;
        if (!free(t, d)) continue;
        const auto [score, dead] = window(t, d);
        if (dead == 0 && score > best_score) best_score = score, best_t = t;
        if (any_zone && dead < fewest_dead) fewest_dead = dead, fallback_t = t;
      }
    };
    search(zone * static_cast<double>(s), zone * static_cast<double>(s + 1) - d * 0.5, false);
    if (best_t < 0.0) search(0.0, clip_s, true);
    const double t = best_t >= 0.0 ? best_t : fallback_t;
    if (t < 0.0) return {};  // no free window left (cannot happen when the shots fit)
    used.emplace_back(t, t + d);
    in.push_back(t);
  }
  return in;
}

const ClipActivity& scanned_clip(const fs::path& path, const CancelToken* cancel) {
  static std::mutex mutex;
  static std::map<std::tuple<std::string, std::uintmax_t, fs::file_time_type>, ClipActivity> cache;
  std::error_code ec;
  auto key = std::make_tuple(fs::absolute(path, ec).string(), fs::file_size(path, ec), fs::last_write_time(path, ec));
  {
    const std::lock_guard lock(mutex);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  ClipActivity scanned = scan_clip(path, cancel);  // outside the lock: scans of other clips go on
  const std::lock_guard lock(mutex);
  return cache.emplace(std::move(key), std::move(scanned)).first->second;
}

std::pair<double, double> detail_focus(const fs::path& photo, int width, int height) {
  constexpr int kThumbW = 96;
  const int tw = kThumbW, th = std::max(6, static_cast<int>(std::lround(kThumbW * static_cast<double>(height) / width)) & ~1);
  std::unique_ptr<VisualSource> source;
  try {
    source = VisualSource::open(photo, tw, th);
  } catch (const Error&) {
    return {0.5, 0.5};
  }
  if (!source->is_still()) return {0.5, 0.5};
  Canvas thumb(tw, th);
  source->draw(thumb, 0.0, 1.0, 0);  // the whole picture as it covers the frame (zoom 1)
  // Integral image of the gradient magnitude.
  const auto w = static_cast<std::size_t>(tw), h = static_cast<std::size_t>(th);
  std::vector<double> integral((w + 1) * (h + 1), 0.0);
  const std::uint8_t* y = thumb.y();
  const auto stride = static_cast<std::size_t>(thumb.y_stride());
  for (std::size_t r = 0; r < h; ++r) {
    double row = 0.0;
    for (std::size_t c = 0; c < w; ++c) {
      const int v = y[r * stride + c];
      const int dx = c + 1 < w ? std::abs(y[r * stride + c + 1] - v) : 0;
      const int dy = r + 1 < h ? std::abs(y[(r + 1) * stride + c] - v) : 0;
      row += dx + dy;
      integral[(r + 1) * (w + 1) + c + 1] = integral[r * (w + 1) + c + 1] + row;
    }
  }
  const std::size_t ww = std::max<std::size_t>(1, w / 3), wh = std::max<std::size_t>(1, h / 3);
  const auto sum = [&](std::size_t r, std::size_t c) {
    return integral[(r + wh) * (w + 1) + c + ww] - integral[r * (w + 1) + c + ww] - integral[(r + wh) * (w + 1) + c] +
           integral[r * (w + 1) + c];
  };
  double best = -1.0, total = 0.0;
  std::size_t best_r = 0, best_c = 0, count = 0;
  for (std::size_t r = 0; r + wh <= h; ++r) {
    for (std::size_t c = 0; c + ww <= w; ++c) {
      const double s = sum(r, c);
      total += s;
      ++count;
      if (s > best) {
        best = s;
        best_r = r;
        best_c = c;
      }
    }
  }
  if (count == 0 || best < 1.25 * total / static_cast<double>(count)) return {0.5, 0.5};
  return {(static_cast<double>(best_c) + static_cast<double>(ww) / 2.0) / static_cast<double>(w), (static_cast<double>(best_r) + static_cast<double>(wh) / 2.0) / static_cast<double>(h)};
}

}  // namespace mv
