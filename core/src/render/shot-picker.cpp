// shot-picker.cpp — see shot-picker.hpp.
#include "shot-picker.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <tuple>

#include "mv/base/error.hpp"
#include "mv/media/canvas.hpp"
#include "mv/media/visual-source.hpp"

namespace mv {

namespace fs = std::filesystem;

namespace {

constexpr double kNearStaticChange = 2.0;  // code values at 64×36 between key frames

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
      black = is_black(k);
      // The change into the next key frame and from the one before, the smaller: a second
      // just before a cut (a static card, then gameplay) does not move because its next key frame does.
      const double into = j + 1 < a.key_frames.size() ? a.key_frames[j + 1].change : k.change;
      change = j > 0 ? std::min(into, k.change) : into;
    }
    const bool frozen = !a.key_frames.empty() && change < 0.8 && motion < 0.3;
    if (black || frozen) {
      out[i] = kDeadSecond;
      continue;
    }
    double sound = 0.5;
    if (i < a.loudness_db.size() && loud > quiet + 1.0) sound = std::clamp((a.loudness_db[i] - quiet) / (loud - quiet), 0.0, 1.0);
    out[i] = 0.45 * motion + 0.35 * std::min(1.0, change / 12.0) + 0.2 * sound;
    // Near-static: the key frames barely differ, whatever the bytes (a still scene with sensor
    // noise costs an encoder as much as motion): alive, but never lively.
    if (!a.key_frames.empty() && change < kNearStaticChange) out[i] = std::min(out[i], 0.1);
  }
  return out;
}

std::vector<bool> lively_seconds(const std::vector<double>& live) {
  std::vector<double> alive;
  for (double v : live) {
    if (v >= 0.0) alive.push_back(v);
  }
  const double bar = std::max(0.12, 0.5 * quantile(alive, 0.9));
  std::vector<bool> out(live.size());
  for (std::size_t i = 0; i < live.size(); ++i) out[i] = live[i] >= bar;
  return out;
}

namespace {

/// The search of pick_shots(): the clip's seconds, what is used, and windows scored.
class ShotSearch {
 public:
  ShotSearch(const std::vector<double>& live, double clip_s)
      : live_(live), lively_(lively_seconds(live)), shown_(live.size(), 0), clip_s_(clip_s) {}

  /// Over the window [t, t + d): mean score, dead seconds, seconds not lively, times shown.
  struct Window {
    double score = 0.0;
    int dead = 0, dull = 0, shown = 0;
  };
  [[nodiscard]] Window window(double t, double d) const {
    Window w;
    int count = 0;
    for (auto i = static_cast<std::size_t>(t); static_cast<double>(i) < t + d && i < live_.size(); ++i, ++count) {
      if (live_[i] < 0.0) {
        ++w.dead;
      } else {
        w.score += live_[i];
      }
      if (!lively_[i]) ++w.dull;
      w.shown += shown_[i];
    }
    if (count > 0) w.score /= count;
    return w;
  }
  /// No first showing overlaps [t, t + d).
  [[nodiscard]] bool free(double t, double d) const {
    return std::none_of(used_.begin(), used_.end(), [&](const auto& u) { return t < u.second && u.first < t + d; });
  }
  /// The best start in [from, to] of a window of length d (every half second) by
  /// `better` among those `allowed`; −1 for none.
  template <typename Allowed, typename Better>
  [[nodiscard]] double best(double from, double to, double d, Allowed allowed, Better better) const {
    double best_t = -1.0;
    Window best_w;
    for (auto k = static_cast<int>(std::ceil(std::max(0.0, from) * 2.0));; ++k) {
      const double t = static_cast<double>(k) * 0.5;
      if (t + d > clip_s_ + 1e-9 || t > to) break;
      const Window w = window(t, d);
      if (!allowed(t, w)) continue;
      if (best_t < 0.0 || better(w, best_w)) best_t = t, best_w = w;
    }
    return best_t;
  }
  /// Marks [t, t + d) shown; a first showing is also used (no other may overlap it).
  void show(double t, double d, bool first) {
    if (first) used_.emplace_back(t, t + d);
    for (auto i = static_cast<std::size_t>(t); static_cast<double>(i) < t + d && i < shown_.size(); ++i) ++shown_[i];
  }
  [[nodiscard]] long lively_seconds_count() const { return static_cast<long>(std::count(lively_.begin(), lively_.end(), true)); }
  [[nodiscard]] double clip_s() const { return clip_s_; }

 private:
  const std::vector<double>& live_;
  std::vector<bool> lively_;
  std::vector<int> shown_;
  std::vector<std::pair<double, double>> used_;
  double clip_s_;
};

/// One shot of `d` seconds for zone [zone_from, zone_to) (pick_shots()'s order of preference).
ShotPick pick_one(ShotSearch& search, double d, double zone_from, double zone_to) {
  using Window = ShotSearch::Window;
  const auto higher = [](const Window& a, const Window& b) { return a.score > b.score; };
  const auto lively_free = [&](double t, const Window& w) { return w.dull == 0 && search.free(t, d); };
  ShotPick pick;
  double t = search.best(zone_from, zone_to - d * 0.5, d, lively_free, higher);
  if (t < 0.0) t = search.best(0.0, search.clip_s(), d, lively_free, higher);
  if (t >= 0.0) {
    pick.in_s = t;
    search.show(t, d, true);
    return pick;
  }
  // Every lively moment is shown: one again, half as long at half speed, closer.
  const double half = d * 0.5;
  t = search.best(0.0, search.clip_s(), half, [](double, const Window& w) { return w.dull == 0; },
                  [](const Window& a, const Window& b) { return a.shown < b.shown || (a.shown == b.shown && a.score > b.score); });
  if (t >= 0.0) {
    pick = {t, 0.5, 1.25, true, false};
    search.show(t, half, false);
    return pick;
  }
  // No lively footage at all: the best that is not dead, else the least dead.
  t = search.best(0.0, search.clip_s(), d, [&](double at, const Window& w) { return w.dead == 0 && search.free(at, d); }, higher);
  if (t < 0.0) {
    t = search.best(0.0, search.clip_s(), d, [&](double at, const Window&) { return search.free(at, d); },
                    [](const Window& a, const Window& b) { return a.dead < b.dead; });
  }
  pick.in_s = t;
  pick.dull = true;
  if (t >= 0.0) search.show(t, d, true);
  return pick;
}

/// The note of pick_shots(): how many shots were shown again or dull, and why.
std::string picks_note(const std::vector<ShotPick>& picks, long lively_s, double total_s) {
  const auto reused = std::count_if(picks.begin(), picks.end(), [](const ShotPick& p) { return p.reused; });
  const auto dull = std::count_if(picks.begin(), picks.end(), [](const ShotPick& p) { return p.dull; });
  if (reused == 0 && dull == 0) return {};
  char line[256];
  std::snprintf(line, sizeof line, "the clip has %ld s of lively footage for %.0f s of shots: ", lively_s, total_s);
  std::string note = line;
  if (reused > 0) note += std::to_string(reused) + " shot" + (reused == 1 ? "" : "s") + " show a lively moment again, in slow motion and closer";
  if (reused > 0 && dull > 0) note += "; ";
  if (dull > 0) note += std::to_string(dull) + " shot" + (dull == 1 ? "" : "s") + " had to take dull footage";
  return note;
}

}  // namespace

std::vector<ShotPick> pick_shots(const std::vector<double>& live, double clip_s, const std::vector<double>& durations,
                                 std::string* note) {
  if (note != nullptr) note->clear();
  double total = 0.0;
  for (double d : durations) total += d;
  if (durations.empty() || total > clip_s) return {};
  ShotSearch search(live, clip_s);
  std::vector<ShotPick> out;
  const double zone = clip_s / static_cast<double>(durations.size());
  for (std::size_t s = 0; s < durations.size(); ++s) {
    const ShotPick pick = pick_one(search, durations[s], zone * static_cast<double>(s), zone * static_cast<double>(s + 1));
    if (pick.in_s < 0.0) return {};  // no free window left (cannot happen when the shots fit)
    out.push_back(pick);
  }
  if (note != nullptr) *note = picks_note(out, search.lively_seconds_count(), total);
  return out;
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
