// tempo-estimator.cpp — global tempo from the onset envelope.
//
// Method: the unbiased autocorrelation A(l) of the mean-removed onset envelope
// is read as a comb: the salience of a tempo T (beat lag L = 60 / (T · hop))
// is S(T) = Σ_{k=1..4} max A over [kL − 1, kL + 1] / 4, the comb-filter idea
// of Scheirer (JASA 1998) and Davies & Plumbley (2007) evaluated on the ACF.
// A pulse and its slower multiples (T/2, T/4) all have high salience, so among
// tempos whose salience is within 15 % of the best, the fastest one inside the
// requested range wins: the beat is the fastest pulse that carries most
// events. Half/double mistakes that remain are fixed by the user's range
// (--tempo-range) or --bpm. A user's range is a fold (as DJ programs' BPM
// ranges are): the tempo picked up to 200 BPM, halved or quartered into the
// range when it is faster than the range (pick_tempo()).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "mv/analysis/analysis.hpp"

namespace mv {

namespace {

/// Maximum of `acf` over the fractional lag window [centre − 1, centre + 1].
double acf_peak(const std::vector<double>& acf, double centre) {
  const auto lo = static_cast<std::ptrdiff_t>(std::floor(centre - 1.0));
  const auto hi = static_cast<std::ptrdiff_t>(std::ceil(centre + 1.0));
  double best = -1e300;
  for (std::ptrdiff_t l = std::max<std::ptrdiff_t>(lo, 1); l <= hi; ++l) {
    if (l >= static_cast<std::ptrdiff_t>(acf.size())) break;
    best = std::max(best, acf[static_cast<std::size_t>(l)]);
  }
  return best == -1e300 ? 0.0 : best;
}

/// The beat period (lags, fractional) that best fits the ACF's peaks near
/// k · `lag` for k = 1..`teeth`: each peak is the local maximum within ±2 lags
/// of k · lag, interpolated by a parabola through it and its neighbours; the
/// period is the least-squares slope through the origin. 0 when no tooth has a
/// clear peak.
double refine_period(const std::vector<double>& acf, double lag, int teeth) {
  double num = 0.0, den = 0.0;
  for (int k = 1; k <= teeth; ++k) {
    const double centre = k * lag;
    const auto lo = static_cast<std::ptrdiff_t>(std::floor(centre - 2.0));
    const auto hi = static_cast<std::ptrdiff_t>(std::ceil(centre + 2.0));
    if (lo < 1 || hi + 1 >= static_cast<std::ptrdiff_t>(acf.size())) break;
    std::ptrdiff_t peak = lo;
    for (std::ptrdiff_t l = lo; l <= hi; ++l) {
      if (acf[static_cast<std::size_t>(l)] > acf[static_cast<std::size_t>(peak)]) peak = l;
    }
    if (peak == lo || peak == hi) continue;  // the window's edge: no peak inside it
    const double a = acf[static_cast<std::size_t>(peak - 1)], b = acf[static_cast<std::size_t>(peak)],
                 c = acf[static_cast<std::size_t>(peak + 1)];
    const double denom = a - 2 * b + c;
    double at = static_cast<double>(peak);
    if (std::fabs(denom) > 1e-12) at += std::clamp(0.5 * (a - c) / denom, -0.5, 0.5);
    num += k * at;
    den += static_cast<double>(k) * k;
  }
  return den > 0 ? num / den : 0.0;
}

constexpr int kCombTeeth = 4;
constexpr double kBpmStep = 0.1;  ///< the salience grid, BPM

/// The normalised ACF of the mean-removed envelope up to the lag of
/// kCombTeeth beats at `min_bpm` (empty when the envelope is too short or flat).
std::vector<double> normalised_acf(const std::vector<float>& onset_envelope, double hop_s, double min_bpm, double max_bpm) {
  const std::size_t n = onset_envelope.size();
  if (n < 16 || min_bpm <= 0 || max_bpm <= min_bpm) return {};
  const double mean =
      std::accumulate(onset_envelope.begin(), onset_envelope.end(), 0.0) / static_cast<double>(n);
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = onset_envelope[i] - mean;
  const double max_lag_s = kCombTeeth * 60.0 / min_bpm;
  const auto max_lag = std::min<std::size_t>(n - 1, static_cast<std::size_t>(max_lag_s / hop_s) + 3);
  std::vector<double> acf(max_lag + 1, 0.0);
  for (std::size_t l = 0; l <= max_lag; ++l) {
    double s = 0.0;
    for (std::size_t i = l; i < n; ++i) s += x[i] * x[i - l];
    acf[l] = s / static_cast<double>(n - l);
  }
  if (acf[0] <= 0.0) return {};
  for (auto& v : acf) v /= acf[0];
  return acf;
}

}  // namespace

std::size_t tempo_acf_lags(double hop_s, double min_bpm) {
  return static_cast<std::size_t>(kCombTeeth * 60.0 / min_bpm / hop_s) + 4;
}

namespace {

/// The comb salience S(T) of the tempo `bpm`: the mean ACF peak over its first kCombTeeth beat lags.
double comb_at(const std::vector<double>& acf, double hop_s, double bpm) {
  const double lag = 60.0 / (bpm * hop_s);
  double s = 0.0;
  for (int k = 1; k <= kCombTeeth; ++k) s += acf_peak(acf, k * lag);
  return s / kCombTeeth;
}

/// The comb salience S(T) of every tempo on the kBpmStep grid from `min_bpm` to `max_bpm`.
std::vector<double> comb_salience(const std::vector<double>& acf, double hop_s, double min_bpm, double max_bpm,
                                  double favoured_bpm) {
  // An integer counter: adding 0.1 a thousand times drifts; min + i * step does not.
  const int count = static_cast<int>(std::floor((max_bpm - min_bpm) / kBpmStep + 1e-6)) + 1;
  std::vector<double> salience;
  salience.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const double bpm = min_bpm + i * kBpmStep;
    double s = comb_at(acf, hop_s, bpm);
    if (favoured_bpm > 0.0 && std::fabs(bpm - favoured_bpm) <= 0.02 * favoured_bpm && s > 0.0) s *= 1.1;
    salience.push_back(s);
  }
  return salience;
}

bool local_max(const std::vector<double>& salience, std::size_t i) {
  return (i == 0 || salience[i] >= salience[i - 1]) && (i + 1 == salience.size() || salience[i] >= salience[i + 1]);
}

/// The grid index of the fastest local maximum of `salience` within 15 % of its best
/// among indices [lo, hi]; −1 when none is positive.
std::ptrdiff_t fastest_peak(const std::vector<double>& salience, std::size_t lo, std::size_t hi) {
  if (lo > hi || hi >= salience.size()) return -1;
  const double best = *std::max_element(salience.begin() + static_cast<std::ptrdiff_t>(lo),
                                        salience.begin() + static_cast<std::ptrdiff_t>(hi) + 1);
  if (best <= 0.0) return -1;
  for (std::size_t i = hi + 1; i-- > lo;) {
    if (local_max(salience, i) && salience[i] >= 0.85 * best) return static_cast<std::ptrdiff_t>(i);
  }
  return -1;
}

/// `picked` (BPM) refined to a fraction of a hop: the period is quantised to whole hops in
/// the ACF (30 hops = 172.3 BPM, 31 = 166.7), so each comb tooth's peak is located by
/// parabolic interpolation and the period fitted through the origin, P = Σ k·L_k / Σ k²
/// (the far teeth pin it k times more finely). Clamped to [min_bpm, max_bpm].
double refined_tempo(const std::vector<double>& acf, double hop_s, double picked, double min_bpm, double max_bpm) {
  const double refined = refine_period(acf, 60.0 / (picked * hop_s), kCombTeeth);
  if (refined > 0) {
    const double bpm = 60.0 / (refined * hop_s);
    if (std::fabs(bpm - picked) < 0.03 * picked) return std::clamp(bpm, min_bpm, max_bpm);
  }
  return picked;
}

}  // namespace

double pick_tempo(const std::vector<double>& acf, double hop_s, double min_bpm, double max_bpm, double favoured_bpm) {
  if (acf.empty() || min_bpm <= 0 || max_bpm <= min_bpm) return 0.0;
  // A range of the user's is a fold, as DJ programs' BPM ranges are: the tempo the default
  // range would pick (up to its 200 BPM; the ACF reaches down to min_bpm), halved or quartered
  // into the range when it is faster than the range; the range's own pick when no fold lands in it.
  // Choosing within the range alone would crown 2/3 of a 170 BPM song's tempo in 58–115
  // (teeth on every third eighth note), where the song's half tempo is what was asked.
  const double wide_max = std::max(max_bpm, kDefaultMaxBpm);
  const std::vector<double> salience = comb_salience(acf, hop_s, min_bpm, wide_max, favoured_bpm);
  const auto index_of = [&](double bpm) {
    return static_cast<std::size_t>(std::clamp(std::lround((bpm - min_bpm) / kBpmStep), 0L, static_cast<long>(salience.size()) - 1));
  };
  const std::size_t range_hi = index_of(max_bpm);
  const std::ptrdiff_t wide = fastest_peak(salience, 0, salience.size() - 1);
  if (wide < 0) return 0.0;
  const double wide_bpm = min_bpm + static_cast<double>(wide) * kBpmStep;
  if (wide_bpm > max_bpm + 1e-9) {
    for (const double factor : {0.5, 0.25}) {
      const double folded = wide_bpm * factor;
      if (folded < min_bpm || folded > max_bpm) continue;
      // The salience peak nearest the folded tempo (within 4 %): its own refined position.
      const std::size_t lo = index_of(folded * 0.96), hi = std::min(index_of(folded * 1.04), range_hi);
      std::ptrdiff_t peak = -1;
      for (std::size_t i = lo; i <= hi; ++i) {
        if (local_max(salience, i) && (peak < 0 || salience[i] > salience[static_cast<std::size_t>(peak)])) {
          peak = static_cast<std::ptrdiff_t>(i);
        }
      }
      if (peak >= 0 && salience[static_cast<std::size_t>(peak)] > 0.0) {
        return refined_tempo(acf, hop_s, min_bpm + static_cast<double>(peak) * kBpmStep, min_bpm, max_bpm);
      }
    }
  }
  const std::ptrdiff_t in_range = wide_bpm <= max_bpm + 1e-9 ? wide : fastest_peak(salience, 0, range_hi);
  if (in_range < 0) return 0.0;
  return refined_tempo(acf, hop_s, min_bpm + static_cast<double>(in_range) * kBpmStep, min_bpm, max_bpm);
}

TempoEvidence tempo_evidence(const std::vector<double>& acf, double hop_s, double bpm, double min_bpm, double max_bpm) {
  if (acf.empty() || bpm <= 0.0 || min_bpm <= 0.0 || hop_s <= 0.0) return {};
  // An integer counter, as comb_salience(): the grid does not drift.
  const int count = static_cast<int>(std::floor(std::max(max_bpm, kDefaultMaxBpm) - min_bpm + 1e-6)) + 1;
  std::vector<double> all;
  all.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) all.push_back(comb_at(acf, hop_s, min_bpm + i));
  const auto mid = all.begin() + static_cast<std::ptrdiff_t>(all.size() / 2);
  std::nth_element(all.begin(), mid, all.end());
  return {comb_at(acf, hop_s, bpm), *mid};
}

double estimate_tempo(const std::vector<float>& onset_envelope, double hop_s, double min_bpm,
                      double max_bpm) {
  const double picked = pick_tempo(normalised_acf(onset_envelope, hop_s, min_bpm, max_bpm), hop_s, min_bpm, max_bpm);
  return picked > 0.0 ? picked : std::clamp(120.0, min_bpm, max_bpm);
}

}  // namespace mv
