// beat-tracker.cpp — beat times by dynamic programming over the onset envelope.
//
// Ellis, "Beat Tracking by Dynamic Programming", J. New Music Research 36(1),
// 2007: with period P (hops) from the tempo, the best score ending in a beat at
// hop t is
//   C(t) = O(t) + max_{τ ∈ [t − 2P, t − P/2]} ( C(τ) − α · log²((t − τ) / P) )
// where O is the onset envelope smoothed by a Gaussian of σ = P / 32 and
// normalised by its standard deviation, α = 100 ("tightness"). The beats are
// read back from the last strong local maximum of C. Beats in leading or
// trailing silence (local score under half the mean) are trimmed, as in
// librosa.beat.beat_track.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "mv/analysis/analysis.hpp"

namespace mv {

namespace {

constexpr double kTightness = 100.0;

/// Step 1, the local score: the onset envelope smoothed with a Gaussian of
/// σ = period / 32 hops, over its standard deviation. Empty when it is flat.
std::vector<double> local_score(const std::vector<float>& onset_envelope, double period) {
  const std::size_t n = onset_envelope.size();
  const double sigma = std::max(1.0, period / 32.0);
  const int radius = static_cast<int>(std::ceil(3 * sigma));
  std::vector<double> kernel(static_cast<std::size_t>(2 * radius + 1));
  for (int i = -radius; i <= radius; ++i) {
    // i + radius is in [0, 2 * radius]: the int sum cannot overflow before the widening.
    kernel[static_cast<std::size_t>(i + radius)] = std::exp(-0.5 * (i / sigma) * (i / sigma));  // NOLINT(bugprone-misplaced-widening-cast)
  }
  std::vector<double> local(n, 0.0);
  for (std::size_t t = 0; t < n; ++t) {
    double s = 0.0;
    for (int i = -radius; i <= radius; ++i) {
      const auto j = static_cast<std::ptrdiff_t>(t) + i;
      if (j >= 0 && j < static_cast<std::ptrdiff_t>(n)) {
        s += kernel[static_cast<std::size_t>(i + radius)] * onset_envelope[static_cast<std::size_t>(j)];  // NOLINT(bugprone-misplaced-widening-cast): as above
      }
    }
    local[t] = s;
  }
  const double mean = std::accumulate(local.begin(), local.end(), 0.0) / static_cast<double>(n);
  double var = 0.0;
  for (double v : local) var += (v - mean) * (v - mean);
  const double sd = std::sqrt(var / static_cast<double>(n));
  if (sd <= 0.0) return {};
  for (auto& v : local) v /= sd;
  return local;
}

/// Step 2, Ellis's dynamic programme: the best cumulative score at each hop
/// and the previous beat it came from (-1: none), with a log-Gaussian penalty
/// on the distance from the period (tightness kTightness).
void cumulative_score(const std::vector<double>& local, double period, std::vector<double>& score,
                      std::vector<std::ptrdiff_t>& back) {
  const std::size_t n = local.size();
  score.assign(n, 0.0);
  back.assign(n, -1);
  const auto min_step = static_cast<std::ptrdiff_t>(std::round(period / 2));
  const auto max_step = static_cast<std::ptrdiff_t>(std::round(2 * period));
  std::vector<double> penalty(static_cast<std::size_t>(max_step + 1), 0.0);
  for (std::ptrdiff_t d = std::max<std::ptrdiff_t>(1, min_step); d <= max_step; ++d) {
    const double lr = std::log(static_cast<double>(d) / period);
    penalty[static_cast<std::size_t>(d)] = -kTightness * lr * lr;
  }
  for (std::size_t t = 0; t < n; ++t) {
    double best = -1e300;
    std::ptrdiff_t arg = -1;
    const auto ti = static_cast<std::ptrdiff_t>(t);
    for (std::ptrdiff_t d = std::max<std::ptrdiff_t>(1, min_step); d <= max_step && ti - d >= 0; ++d) {
      const double v = score[static_cast<std::size_t>(ti - d)] + penalty[static_cast<std::size_t>(d)];
      if (v > best) {
        best = v;
        arg = ti - d;
      }
    }
    score[t] = local[t] + (arg >= 0 ? std::max(0.0, best) : 0.0);
    back[t] = (arg >= 0 && best > 0.0) ? arg : -1;
  }
}

/// Step 3, the backtrace: from the last local maximum of the cumulative score
/// that reaches half the median maximum, back through `back`. Hops, in order.
std::vector<std::size_t> backtrace(const std::vector<double>& score, const std::vector<std::ptrdiff_t>& back) {
  const std::size_t n = score.size();
  std::vector<double> maxima;
  for (std::size_t t = 1; t + 1 < n; ++t) {
    if (score[t] > score[t - 1] && score[t] >= score[t + 1]) maxima.push_back(score[t]);
  }
  if (maxima.empty()) return {};
  std::nth_element(maxima.begin(), maxima.begin() + static_cast<std::ptrdiff_t>(maxima.size() / 2), maxima.end());
  const double threshold = 0.5 * maxima[maxima.size() / 2];
  std::ptrdiff_t end = -1;
  for (std::size_t t = n - 2; t >= 1; --t) {
    if (score[t] > score[t - 1] && score[t] >= score[t + 1] && score[t] >= threshold) {
      end = static_cast<std::ptrdiff_t>(t);
      break;
    }
  }
  std::vector<std::size_t> hops;
  for (std::ptrdiff_t t = end; t >= 0; t = back[static_cast<std::size_t>(t)]) hops.push_back(static_cast<std::size_t>(t));
  std::reverse(hops.begin(), hops.end());
  return hops;
}

}  // namespace

std::vector<double> track_beats(const std::vector<float>& onset_envelope, double hop_s,
                                double tempo_bpm) {
  std::vector<double> beats;
  if (onset_envelope.size() < 4 || tempo_bpm <= 0) return beats;
  const double period = 60.0 / (tempo_bpm * hop_s);
  const std::vector<double> local = local_score(onset_envelope, period);
  if (local.empty()) return beats;
  std::vector<double> score;
  std::vector<std::ptrdiff_t> back;
  cumulative_score(local, period, score, back);
  const std::vector<std::size_t> hops = backtrace(score, back);
  if (hops.empty()) return beats;
  // Step 4: beats in leading/trailing quiet parts are trimmed.
  double beat_mean = 0.0;
  for (auto h : hops) beat_mean += local[h];
  beat_mean /= static_cast<double>(hops.size());
  std::size_t first = 0, last = hops.size();
  while (first < last && local[hops[first]] < 0.5 * beat_mean) ++first;
  while (last > first && local[hops[last - 1]] < 0.5 * beat_mean) --last;
  for (std::size_t i = first; i < last; ++i) {
    beats.push_back(std::max(0.0, static_cast<double>(hops[i]) * hop_s + kOnsetLatencyS));
  }
  return beats;
}

}  // namespace mv
