// highlight-finder.cpp — the song's best excerpt for a Short (its chorus or
// hook) and repeated sections labelled A/B/…, from self-similarity.
//
// Method (after the chorus finders of Goto, "A chorus-section detecting method
// for musical audio signals", ICASSP 2003, and Bartsch & Wakefield, "Audio
// thumbnailing of popular music using chroma-based representations", IEEE
// Trans. Multimedia 7(1), 2005): one feature vector per beat — the beat's
// chroma (pitch classes: harmony and melody) and a coarse spectral shape
// (timbre), each normalised — compared by cosine. A stretch that repeats
// elsewhere in the song shows as a high mean similarity along a diagonal of
// the beat self-similarity matrix at the lag between the two occurrences. The
// diagonals are summed with prefix sums at lags of whole bars, so every
// (start, lag) pair costs O(1) after O(N²/4) dot products.
//
// A candidate excerpt starts on a downbeat (a bar's first beat) and lasts a
// whole number of bars, a multiple of 4 (a phrase) when that is within 25 % of
// the asked length. Its score: 0.55 × repetition (how strongly, up to three
// other non-overlapping places, the same music comes back) + 0.35 × energy
// (its loudness against the loudest candidate) + 0.10 when it starts where a
// section starts (a phrase boundary found by the novelty curve).
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "mv/analysis/analysis.hpp"

namespace mv {

namespace {

constexpr int kDims = 24;  // 12 chroma + 12 timbre
using Vec = std::array<float, kDims>;

/// One feature vector per analysis frame (a beat; every 0.5 s when the song
/// has fewer than 16 beats) and the frames' start times, plus the song's end.
struct BeatFrames {
  std::vector<double> starts;  // frame i spans [starts[i], starts[i + 1])
  std::vector<Vec> v;
  int bar_phase = 0;           // the frame index of the first downbeat, mod 4
  [[nodiscard]] int size() const { return static_cast<int>(v.size()); }
};

void normalise(float* x, int n) {
  double sq = 0.0;
  for (int i = 0; i < n; ++i) sq += static_cast<double>(x[i]) * x[i];
  if (sq <= 1e-12) return;
  const auto inv = static_cast<float>(1.0 / std::sqrt(sq));
  for (int i = 0; i < n; ++i) x[i] *= inv;
}

BeatFrames beat_frames(const Analysis& a) {
  BeatFrames out;
  const Features& f = a.features;
  if (a.beats.size() >= 16) {
    out.starts = a.beats;
  } else {
    for (int i = 0; 0.5 * i < a.duration_s; ++i) out.starts.push_back(0.5 * i);
  }
  out.starts.push_back(std::max(a.duration_s, out.starts.back() + 1e-3));
  if (!a.downbeats.empty() && a.beats.size() >= 16) {
    const auto first = std::lower_bound(a.beats.begin(), a.beats.end(), a.downbeats.front() - 1e-3);
    out.bar_phase = static_cast<int>((first - a.beats.begin()) % 4);
  }
  const auto hops = static_cast<std::ptrdiff_t>(f.hops());
  const bool has_chroma = f.chroma.size() == f.hops() * 12;
  for (std::size_t i = 0; i + 1 < out.starts.size(); ++i) {
    const auto h0 = std::clamp<std::ptrdiff_t>(std::llround(out.starts[i] / f.hop_s), 0, std::max<std::ptrdiff_t>(0, hops - 1));
    const auto h1 = std::clamp<std::ptrdiff_t>(std::llround(out.starts[i + 1] / f.hop_s), h0 + 1, std::max<std::ptrdiff_t>(h0 + 1, hops));
    Vec v{};
    for (auto h = h0; h < h1 && h < hops; ++h) {
      const auto hu = static_cast<std::size_t>(h);
      if (has_chroma) {
        for (int c = 0; c < 12; ++c) v[static_cast<std::size_t>(c)] += f.chroma[hu * 12 + static_cast<std::size_t>(c)];
      }
      for (int b = 0; b < kBandCount; ++b) v[12 + static_cast<std::size_t>(b * 12 / kBandCount)] += f.bands[hu * kBandCount + static_cast<std::size_t>(b)];
    }
    // Timbre: the band profile's shape (its mean taken out), then both halves to unit length, weighted.
    const float mean = std::accumulate(v.begin() + 12, v.end(), 0.0f) / 12.0f;
    for (std::size_t k = 12; k < kDims; ++k) v[k] -= mean;
    normalise(v.data(), 12);
    normalise(v.data() + 12, 12);
    for (std::size_t k = 0; k < 12; ++k) v[k] *= 0.8f;
    for (std::size_t k = 12; k < kDims; ++k) v[k] *= 0.6f;
    out.v.push_back(v);
  }
  return out;
}

/// Frame i's vector.
const Vec& at(const BeatFrames& fr, int i) { return fr.v[static_cast<std::size_t>(i)]; }

float dot(const Vec& a, const Vec& b) {
  float s = 0.0f;
  for (std::size_t k = 0; k < kDims; ++k) s += a[k] * b[k];
  return s;
}

/// Mean similarity of frames [i, i + len) with [j, j + len).
double diagonal_mean(const BeatFrames& fr, int i, int j, int len) {
  double s = 0.0;
  for (int k = 0; k < len; ++k) s += dot(at(fr, i + k), at(fr, j + k));
  return len > 0 ? s / len : 0.0;
}

/// The song's typical similarity between two frames far apart: the median over
/// a fixed sample of pairs a third of the song apart.
double baseline_similarity(const BeatFrames& fr) {
  const int n = fr.size();
  std::vector<double> sample;
  for (int i = 0; i + n / 3 < n && sample.size() < 4000; ++i) sample.push_back(dot(at(fr, i), at(fr, i + n / 3)));
  if (sample.empty()) return 0.5;
  std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(sample.size() / 2), sample.end());
  return sample[sample.size() / 2];
}

/// Mean loudness (dB of the mean square RMS) of [t0, t1) s.
double loudness_db(const Features& f, double t0, double t1) {
  const auto h0 = static_cast<std::size_t>(std::max(0.0, t0 / f.hop_s));
  const auto h1 = std::min(f.hops(), static_cast<std::size_t>(std::max(0.0, t1 / f.hop_s)));
  double sq = 0.0;
  for (std::size_t h = h0; h < h1; ++h) sq += static_cast<double>(f.rms[h]) * f.rms[h];
  return 10.0 * std::log10(sq / static_cast<double>(std::max<std::size_t>(1, h1 - h0)) + 1e-10);
}

/// The excerpt's length in frames: whole bars, a multiple of 4 bars when that
/// is within 25 % of `length_s`, at least one bar, at most the song.
int window_frames(const BeatFrames& fr, double length_s) {
  const int n = fr.size();
  const double frame_s = (fr.starts.back() - fr.starts.front()) / std::max(1, n);
  const double bar_s = 4.0 * frame_s;
  const auto bars = std::max<long>(1, std::lround(length_s / bar_s));
  const long phrase = std::max<long>(4, std::lround(static_cast<double>(bars) / 4.0) * 4);
  const long chosen = std::fabs(static_cast<double>(phrase) * bar_s - length_s) <= 0.25 * length_s ? phrase : bars;
  return static_cast<int>(std::min<long>(chosen * 4, n));
}

struct Match {
  double value;
  int other;  // the other occurrence's first frame
};

}  // namespace

namespace {

/// Mean similarity of the window of w frames at each candidate start (a bar's
/// first frame) with the window 4·(m + 1) frames later (value[c][m]; −1 where
/// it does not fit), and the median (`base`) and spread (`span` = max − median)
/// of the values at lags of at least half a window.
struct Diagonals {
  std::vector<int> starts;
  int lags = 0;
  std::vector<std::vector<float>> value;
  double base = 0.0, span = 1.0;
};

Diagonals bar_diagonals(const BeatFrames& fr, int w) {
  Diagonals d;
  const int n = fr.size();
  for (int t = fr.bar_phase; t + w <= n; t += 4) d.starts.push_back(t);
  if (d.starts.empty()) d.starts.push_back(0);
  d.lags = std::max(0, (n - w) / 4);
  d.value.assign(d.starts.size(), std::vector<float>(static_cast<std::size_t>(d.lags), -1.0f));
  std::vector<double> prefix(static_cast<std::size_t>(n) + 1);
  std::vector<float> all;
  for (int m = 0; m < d.lags; ++m) {
    const int lag = 4 * (m + 1);
    for (int i = 0; i + lag < n; ++i) {
      const auto k = static_cast<std::size_t>(i);
      prefix[k + 1] = prefix[k] + dot(at(fr, i), at(fr, i + lag));
    }
    for (std::size_t c = 0; c < d.starts.size(); ++c) {
      const int t = d.starts[c];
      if (t + lag + w > n) break;
      const auto from = static_cast<std::size_t>(t), to = from + static_cast<std::size_t>(w);
      const auto v = static_cast<float>((prefix[to] - prefix[from]) / w);
      d.value[c][static_cast<std::size_t>(m)] = v;
      if (2 * lag >= w) all.push_back(v);
    }
  }
  if (!all.empty()) {
    std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(all.size() / 2), all.end());
    d.base = all[all.size() / 2];
    d.span = std::max(1e-6, static_cast<double>(*std::max_element(all.begin(), all.end())) - d.base);
  }
  return d;
}

/// Candidate c's repetition: over its best three non-overlapping matches at
/// lags of at least half a window (earlier or later), the sum of how far each
/// stands above the median toward the maximum (0..1 each); `repeats` counts
/// those above halfway.
double repetition_of(const Diagonals& d, std::size_t c, int w, int& repeats) {
  std::vector<Match> matches;
  for (int m = 0; m < d.lags; ++m) {
    const int lag = 4 * (m + 1);
    const auto mi = static_cast<std::size_t>(m);
    if (2 * lag < w) continue;
    if (d.value[c][mi] > -1.0f) matches.push_back({d.value[c][mi], d.starts[c] + lag});
    const std::size_t back = mi + 1;  // the candidate `lag` frames earlier
    if (c >= back && d.value[c - back][mi] > -1.0f) matches.push_back({d.value[c - back][mi], d.starts[c] - lag});
  }
  std::sort(matches.begin(), matches.end(), [](const Match& x, const Match& y) { return x.value > y.value; });
  std::vector<int> taken;
  double sum = 0.0;
  repeats = 0;
  for (const Match& mt : matches) {
    if (taken.size() == 3) break;
    if (std::any_of(taken.begin(), taken.end(), [&](int o) { return 2 * std::abs(o - mt.other) < w; })) continue;
    taken.push_back(mt.other);
    const double above = (mt.value - d.base) / d.span;
    sum += std::clamp(above, 0.0, 1.0);
    if (above >= 0.5) ++repeats;
  }
  return sum;
}

/// Every candidate excerpt of about `length_s` (one per bar start), scored, in time order.
std::vector<Highlight> score_candidates(const Analysis& a, double length_s) {
  std::vector<Highlight> all;
  if (a.duration_s <= 0.0 || a.features.hops() == 0) return all;
  const BeatFrames fr = beat_frames(a);
  const int n = fr.size(), w = window_frames(fr, length_s);
  auto time_of = [&](int i) { return fr.starts[static_cast<std::size_t>(std::clamp(i, 0, n))]; };
  const Diagonals d = bar_diagonals(fr, w);
  if (d.starts.empty()) return all;
  std::vector<double> repetition(d.starts.size()), loudness(d.starts.size());
  std::vector<int> repeats(d.starts.size());
  for (std::size_t c = 0; c < d.starts.size(); ++c) {
    repetition[c] = repetition_of(d, c, w, repeats[c]);
    loudness[c] = loudness_db(a.features, time_of(d.starts[c]), time_of(d.starts[c] + w));
  }
  const double max_rep = std::max(1e-9, *std::max_element(repetition.begin(), repetition.end()));
  const double max_db = *std::max_element(loudness.begin(), loudness.end());
  for (std::size_t c = 0; c < d.starts.size(); ++c) {
    Highlight h;
    h.start_s = time_of(d.starts[c]);
    h.end_s = time_of(d.starts[c] + w);
    h.repetition = repetition[c] / max_rep;
    h.repeats = repeats[c];
    h.energy = std::clamp(1.0 + (loudness[c] - max_db) / 12.0, 0.0, 1.0);
    const double beat_s = (h.end_s - h.start_s) / w;
    h.section_start = std::any_of(a.sections.begin(), a.sections.end(),
                                  [&](const Section& s) { return std::fabs(s.start_s - h.start_s) < 0.6 * beat_s; });
    h.score = 0.55 * h.repetition + 0.35 * h.energy + (h.section_start ? 0.10 : 0.0);
    all.push_back(h);
  }
  return all;
}

}  // namespace

std::vector<Highlight> find_highlights(const Analysis& a, double length_s, std::size_t count) {
  std::vector<Highlight> out;
  if (count == 0) return out;
  std::vector<Highlight> all = score_candidates(a, length_s);
  std::stable_sort(all.begin(), all.end(), [](const Highlight& x, const Highlight& y) { return x.score > y.score; });
  for (const Highlight& h : all) {
    if (out.size() == count) break;
    const double half = (h.end_s - h.start_s) / 2.0;
    if (std::any_of(out.begin(), out.end(), [&](const Highlight& o) { return std::fabs(o.start_s - h.start_s) < half; })) continue;
    out.push_back(h);
  }
  return out;
}

std::optional<Highlight> highlight_near(const Analysis& a, double length_s, double start_s) {
  const std::vector<Highlight> all = score_candidates(a, length_s);
  if (all.empty()) return std::nullopt;
  const auto nearest = std::min_element(all.begin(), all.end(), [&](const Highlight& x, const Highlight& y) {
    return std::fabs(x.start_s - start_s) < std::fabs(y.start_s - start_s);
  });
  return *nearest;
}

void label_sections(Analysis& a) {
  if (a.sections.empty()) return;
  const BeatFrames fr = beat_frames(a);
  const int n = fr.size();
  auto frame_at = [&](double t) {
    const auto it = std::lower_bound(fr.starts.begin(), fr.starts.end() - 1, t - 1e-3);
    return std::min(n, static_cast<int>(it - fr.starts.begin()));
  };
  const double base = baseline_similarity(fr), threshold = base + 0.55 * (1.0 - base);
  std::vector<int> first(a.sections.size()), length(a.sections.size());
  for (std::size_t i = 0; i < a.sections.size(); ++i) {
    first[i] = frame_at(a.sections[i].start_s);
    length[i] = frame_at(a.sections[i].end_s) - first[i];
  }
  char next = 'A';
  for (std::size_t i = 0; i < a.sections.size(); ++i) {
    double best = threshold;
    std::string label;
    for (std::size_t j = 0; j < i; ++j) {
      // Section boundaries come from a novelty curve and may be a bar or two off
      // the music's own: align the two sections at up to two bars either way.
      for (int shift = -8; shift <= 8; shift += 4) {
        const int from_j = first[j] + std::max(0, shift), from_i = first[i] + std::max(0, -shift);
        const int len = std::min({length[i] - std::max(0, -shift), length[j] - std::max(0, shift), n - from_i, n - from_j});
        if (len < 8) continue;
        const double d = diagonal_mean(fr, from_j, from_i, len);
        if (d >= best) best = d, label = a.sections[j].label;
      }
    }
    if (label.empty()) label = next <= 'Z' ? std::string(1, next++) : std::string("Z");
    a.sections[i].label = label;
  }
}

}  // namespace mv
