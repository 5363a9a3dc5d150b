// downbeat-finder.cpp — bar phase from accents, assuming 4/4.
//
// Each of the four phases is scored by the mean, over its beats, of the
// low-band level (40–200 Hz, where kicks sit) plus the onset strength at the
// beat. The strongest phase gives the downbeats if it beats the average of
// the other three by 5 %; otherwise no bar phase stands out and none is
// reported (the caller then groups beats by four from the first beat).
#include <algorithm>
#include <cmath>
#include <vector>

#include "mv/analysis/analysis.hpp"

namespace mv {

std::vector<double> find_downbeats(const std::vector<double>& beats, const Features& features) {
  std::vector<double> downbeats;
  if (beats.size() < 8 || features.hops() == 0) return downbeats;
  // Bands below ~200 Hz: band b starts at 40 * (11025/40)^(b/48) Hz.
  const int low_bands = static_cast<int>(std::floor(kBandCount * std::log(200.0 / 40.0) / std::log(11025.0 / 40.0)));
  double score[4] = {0, 0, 0, 0};
  int count[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < beats.size(); ++i) {
    const auto hop = std::min(features.hops() - 1, static_cast<std::size_t>(std::lround(beats[i] / features.hop_s)));
    double low = 0.0;
    double onset = 0.0;
    // Look ±2 hops for the accent itself.
    for (std::size_t h = hop > 2 ? hop - 2 : 0; h <= std::min(features.hops() - 1, hop + 2); ++h) {
      double l = 0.0;
      for (int b = 0; b < low_bands; ++b) l += features.band(h, b);
      low = std::max(low, l / low_bands);
      onset = std::max(onset, static_cast<double>(features.onset_envelope[h]));
    }
    score[i % 4] += low + onset;
    ++count[i % 4];
  }
  int best = 0;
  for (int p = 0; p < 4; ++p) {
    score[p] /= std::max(1, count[p]);
    if (score[p] > score[best]) best = p;
  }
  double others = 0.0;
  for (int p = 0; p < 4; ++p) {
    if (p != best) others += score[p];
  }
  others /= 3.0;
  if (score[best] < 1.05 * others) return downbeats;
  for (std::size_t i = static_cast<std::size_t>(best); i < beats.size(); i += 4) downbeats.push_back(beats[i]);
  return downbeats;
}

}  // namespace mv
