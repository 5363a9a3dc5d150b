// onset-picker.cpp — onset times from the onset envelope by peak picking.
//
// A hop is an onset when it is the maximum within ±30 ms, exceeds the moving
// median over ±0.5 s by δ = 0.06 (envelope normalised to max 1), and lies at
// least 50 ms after the previous onset (after Bello et al., "A Tutorial on
// Onset Detection in Music Signals", IEEE TSAP 2005, §V).
#include <algorithm>
#include <cmath>
#include <vector>

#include "mv/analysis/analysis.hpp"

namespace mv {

std::vector<double> pick_onsets(const std::vector<float>& env, double hop_s) {
  std::vector<double> onsets;
  const std::size_t n = env.size();
  if (n < 3) return onsets;
  const auto peak_radius = static_cast<std::size_t>(std::max(1.0, std::round(0.03 / hop_s)));
  const auto median_radius = static_cast<std::size_t>(std::round(0.5 / hop_s));
  const double min_gap = 0.05;
  constexpr float kDelta = 0.06f;
  std::vector<float> window;
  double last = -1.0;
  for (std::size_t t = 0; t < n; ++t) {
    const std::size_t lo = t > peak_radius ? t - peak_radius : 0;
    const std::size_t hi = std::min(n - 1, t + peak_radius);
    if (env[t] <= 0.0f || *std::max_element(env.begin() + static_cast<std::ptrdiff_t>(lo),
                                            env.begin() + static_cast<std::ptrdiff_t>(hi) + 1) > env[t]) {
      continue;
    }
    const std::size_t mlo = t > median_radius ? t - median_radius : 0;
    const std::size_t mhi = std::min(n - 1, t + median_radius);
    window.assign(env.begin() + static_cast<std::ptrdiff_t>(mlo), env.begin() + static_cast<std::ptrdiff_t>(mhi) + 1);
    auto mid = window.begin() + static_cast<std::ptrdiff_t>(window.size() / 2);
    std::nth_element(window.begin(), mid, window.end());
    if (env[t] < *mid + kDelta) continue;
    const double time = static_cast<double>(t) * hop_s;
    if (last >= 0.0 && time - last < min_gap) continue;
    onsets.push_back(time);
    last = time;
  }
  return onsets;
}

}  // namespace mv
