// downbeat-finder.cpp — drum evidence at the beats: the beat phase (on the
// beat, not the "and") and the bar phase from accents and harmonic change,
// assuming 4/4.
//
// Beat phase (correct_beat_phase): the onset envelope the beat tracker follows
// also peaks on off-beat strums, hi-hats and stabs; when those are louder than
// the drums, the tracker's beats can sit on the "and". Kick and snare play on
// the beat in nearly all popular music, so the drums' rise (kick band
// 40–200 Hz at full weight, snare body 200–500 Hz at half) is summed at the
// beats and at the midpoints between them; when the midpoints carry 30 % more,
// every beat moves half a beat.
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

/// First band index at or above `hz` (band b starts at 40 · (11025/40)^(b/48) Hz).
int band_at(double hz) {
  return std::clamp(static_cast<int>(std::floor(kBandCount * std::log(hz / 40.0) / std::log(11025.0 / 40.0))), 0, kBandCount);
}

/// Mean level (0..1) of bands [b0, b1) at hop `h`.
double band_level(const Features& f, std::size_t h, int b0, int b1) {
  double l = 0.0;
  for (int b = b0; b < b1; ++b) l += f.band(h, b);
  return l / std::max(1, b1 - b0);
}

/// A drum hit's rise in bands [b0, b1) at hop `hop`: the peak within ±2 hops over
/// the lowest level 4–6 hops (46–70 ms) before (a sustained note rises less).
double band_rise(const Features& f, std::size_t hop, int b0, int b1) {
  const std::size_t last = f.hops() - 1;
  if (hop < 4) return 0.0;
  double peak = 0.0, before = 1.0;
  for (std::size_t h = hop - 2; h <= std::min(last, hop + 2); ++h) peak = std::max(peak, band_level(f, h, b0, b1));
  for (std::size_t h = hop > 6 ? hop - 6 : 0; h + 4 <= hop; ++h) before = std::min(before, band_level(f, h, b0, b1));
  return std::max(0.0, peak - before);
}

}  // namespace

std::vector<double> correct_beat_phase(const std::vector<double>& beats, const Features& features) {
  if (beats.size() < 16 || features.hops() < 8) return beats;
  const int kick_top = band_at(200.0), snare_top = band_at(500.0);
  const std::size_t last = features.hops() - 1;
  auto drums = [&](double t) {
    const std::size_t hop = std::min(last, static_cast<std::size_t>(std::lround(std::max(0.0, t) / features.hop_s)));
    return band_rise(features, hop, 0, kick_top) + 0.5 * band_rise(features, hop, kick_top, snare_top);
  };
  double on = 0.0, off = 0.0;
  for (std::size_t i = 0; i + 1 < beats.size(); ++i) {
    on += drums(beats[i]);
    off += drums((beats[i] + beats[i + 1]) / 2);
  }
  const double per_beat = off / static_cast<double>(beats.size() - 1);
  if (off <= 1.3 * on || per_beat < 0.01) return beats;  // on the beat, or no drums to tell
  std::vector<double> moved;
  moved.reserve(beats.size());
  for (std::size_t i = 0; i + 1 < beats.size(); ++i) moved.push_back((beats[i] + beats[i + 1]) / 2);
  const double end_s = static_cast<double>(features.hops()) * features.hop_s;
  const double after_last = beats.back() + (beats.back() - beats[beats.size() - 2]) / 2;
  if (after_last < end_s) moved.push_back(after_last);
  return moved;
}

std::vector<double> find_downbeats(const std::vector<double>& beats, const Features& features) {
  std::vector<double> downbeats;
  if (beats.size() < 8 || features.hops() == 0) return downbeats;
  const int low_bands = band_at(200.0);
  const std::size_t last = features.hops() - 1;
  auto hop_of = [&](double t) { return std::min(last, static_cast<std::size_t>(std::lround(std::max(0.0, t) / features.hop_s))); };
  std::vector<double> kick(beats.size(), 0.0), change(beats.size(), 0.0), onset(beats.size(), 0.0);
  for (std::size_t i = 0; i < beats.size(); ++i) {
    const std::size_t hop = hop_of(beats[i]);
    kick[i] = band_rise(features, hop, 0, low_bands);
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
