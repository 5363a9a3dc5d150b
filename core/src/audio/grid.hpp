// grid.hpp — how well a clip's cuts sit on a beat grid (private to audio/:
// the composer fits its tempo with it, the track choice scores tempos).
#pragma once

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace mv {

/// A cut within this of a beat is on it, s.
inline constexpr double kOnGridS = 0.06;

/// How well `cuts` (s) sit on the grid phase + k·period (s): each cut within
/// kOnGridS of a grid point counts 1 − distance / kOnGridS.
inline double grid_score(const std::vector<double>& cuts, double phase, double period) {
  double score = 0.0;
  for (double c : cuts) {
    double d = std::fmod(c - phase, period);
    if (d < 0.0) d += period;
    d = std::min(d, period - d);
    if (d < kOnGridS) score += 1.0 - d / kOnGridS;
  }
  return score;
}

/// The phase (s, 0 ≤ phase < period) among those the cuts give that scores
/// best for `period`, and its score (0 without cuts).
inline std::pair<double, double> best_phase(const std::vector<double>& cuts, double period) {
  double best = -1.0, phase = 0.0;
  for (double c : cuts) {
    double p = std::fmod(c, period);
    if (p < 0.0) p += period;
    const double s = grid_score(cuts, p, period);
    if (s > best + 1e-9) {
      best = s;
      phase = p;
    }
  }
  return {phase, std::max(0.0, best)};
}

}  // namespace mv
