// downbeat-finder.cpp — bar phase from accents and harmonic change, assuming 4/4.
//
// Each of the four phases is scored by the mean, over its beats, of two cues
// of a bar's first beat, each divided by its mean over all beats so that they
// weigh alike:
//  - the kick: the rise of the low-band level (40–200 Hz) at the beat over the
//    level just before it (a sustained bass note or a snare's low rumble rises
//    less than a kick does);
//  - the chord change: the cosine distance between the mean chroma of the beat
//    before and of the beat after (harmony changes on downbeats in most
//    popular music; Goto & Muraoka, "Real-time beat tracking for drumless
//    audio signals: chord change detection", 1999; Papadopoulos & Peeters,
//    "Joint estimation of chords and downbeats", IEEE TASLP 19(1), 2011).
//  - and, at half weight, the accent: the onset strength at the beat (an
//    accented click; a snare on the backbeat has it too, but no low rise and
//    no chord change, so it no longer decides alone, as it did before).
// The strongest phase gives the downbeats if it beats the average of the other
// three by 5 %; otherwise no bar phase stands out and none is reported (the
// caller then groups beats by four from the first beat).
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "mv/analysis/analysis.hpp"

namespace mv {

namespace {

/// Mean low-band level (0..1) of hop `h`.
double low_level(const Features& f, std::size_t h, int low_bands) {
  double l = 0.0;
  for (int b = 0; b < low_bands; ++b) l += f.band(h, b);
  return l / low_bands;
}

/// The mean chroma of hops [h0, h1), unit length (zeros when silent or absent).
std::array<double, 12> mean_chroma(const Features& f, std::size_t h0, std::size_t h1) {
  std::array<double, 12> c{};
  if (f.chroma.size() != f.hops() * 12) return c;
  for (std::size_t h = h0; h < h1 && h < f.hops(); ++h) {
    for (std::size_t k = 0; k < 12; ++k) c[k] += f.chroma[h * 12 + k];
  }
  double sq = 0.0;
  for (double v : c) sq += v * v;
  if (sq > 0.0) {
    for (double& v : c) v /= std::sqrt(sq);
  }
  return c;
}

}  // namespace

std::vector<double> find_downbeats(const std::vector<double>& beats, const Features& features) {
  std::vector<double> downbeats;
  if (beats.size() < 8 || features.hops() == 0) return downbeats;
  // Bands below ~200 Hz: band b starts at 40 * (11025/40)^(b/48) Hz.
  const int low_bands = static_cast<int>(std::floor(kBandCount * std::log(200.0 / 40.0) / std::log(11025.0 / 40.0)));
  const std::size_t last = features.hops() - 1;
  auto hop_of = [&](double t) { return std::min(last, static_cast<std::size_t>(std::lround(std::max(0.0, t) / features.hop_s))); };
  std::vector<double> kick(beats.size(), 0.0), change(beats.size(), 0.0), onset(beats.size(), 0.0);
  for (std::size_t i = 0; i < beats.size(); ++i) {
    const std::size_t hop = hop_of(beats[i]);
    // The low band's rise: its peak within ±2 hops over its level 4–6 hops (46–70 ms) before.
    double peak = 0.0, before = 1.0;
    for (std::size_t h = hop > 2 ? hop - 2 : 0; h <= std::min(last, hop + 2); ++h) peak = std::max(peak, low_level(features, h, low_bands));
    for (std::size_t h = hop > 6 ? hop - 6 : 0; h + 4 <= hop; ++h) before = std::min(before, low_level(features, h, low_bands));
    kick[i] = std::max(0.0, peak - (hop >= 4 ? before : peak));
    for (std::size_t h = hop > 2 ? hop - 2 : 0; h <= std::min(last, hop + 2); ++h) onset[i] = std::max(onset[i], static_cast<double>(features.onset_envelope[h]));
    if (i > 0 && i + 1 < beats.size()) {
      const auto a = mean_chroma(features, hop_of(beats[i - 1]), hop);
      const auto b = mean_chroma(features, hop, hop_of(beats[i + 1]));
      double cos = 0.0;
      for (std::size_t k = 0; k < 12; ++k) cos += a[k] * b[k];
      change[i] = 1.0 - cos;
    }
  }
  auto mean = [](const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
  };
  // A cue that is (nearly) absent, e.g. no harmony in a drum loop, must not amplify its noise.
  const double kick_scale = std::max(mean(kick), 0.01), change_scale = std::max(mean(change), 0.05);
  const double onset_scale = std::max(mean(onset), 0.01);
  std::array<double, 4> score{};
  std::array<int, 4> count{};
  for (std::size_t i = 0; i < beats.size(); ++i) {
    score[i % 4] += kick[i] / kick_scale + change[i] / change_scale + 0.5 * onset[i] / onset_scale;
    ++count[i % 4];
  }
  std::size_t best = 0;
  for (std::size_t p = 0; p < 4; ++p) {
    score[p] /= std::max(1, count[p]);
    if (score[p] > score[best]) best = p;
  }
  double others = 0.0;
  for (std::size_t p = 0; p < 4; ++p) {
    if (p != best) others += score[p];
  }
  others /= 3.0;
  if (score[best] < 1.05 * others) return downbeats;
  for (std::size_t i = best; i < beats.size(); i += 4) downbeats.push_back(beats[i]);
  return downbeats;
}

}  // namespace mv
