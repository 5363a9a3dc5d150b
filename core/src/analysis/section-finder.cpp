// section-finder.cpp — section boundaries where the song's energy and timbre change.
//
// Foote, "Automatic Audio Segmentation Using a Measure of Audio Novelty"
// (ICME 2000): frames of 0.5 s carry 12 band levels (the 48 analysis bands
// averaged in groups of 4) and the RMS level in dB, each z-normalised over the
// song. A Gaussian-tapered checkerboard kernel of ±8 s slid along the diagonal
// of the Euclidean self-distance matrix gives a novelty curve; its peaks above
// mean + 0.5·sd, at least 8 s apart, are the boundaries, snapped to the nearest
// downbeat (or beat) within 2 s.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "mv/analysis/analysis.hpp"

namespace mv {

namespace {

constexpr double kFrameS = 0.5;
constexpr int kHalfKernel = 16;  // frames: 8 s
constexpr double kMinSectionS = 8.0;
constexpr int kGroups = 12;
constexpr int kBandsPerGroup = kBandCount / kGroups;
static_assert(kBandCount % kGroups == 0, "the groups split the bands evenly");

double snap(double t, const std::vector<double>& grid, double max_shift) {
  if (grid.empty()) return t;
  auto it = std::lower_bound(grid.begin(), grid.end(), t);
  double best = t;
  double dist = max_shift;
  if (it != grid.end() && *it - t <= dist) {
    dist = *it - t;
    best = *it;
  }
  if (it != grid.begin() && t - *(it - 1) <= dist) best = *(it - 1);
  return best;
}

}  // namespace

namespace {

constexpr int kDims = kGroups + 1;

/// Step 1: per analysis frame (kFrameS), the mean level of each band group and
/// the loudness (dB / 60), each dimension z-normalised. frames × kDims, row-major.
std::vector<double> frame_features(const Features& features, std::size_t& frames) {
  const auto hops_per_frame = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(kFrameS / features.hop_s)));
  frames = features.hops() / hops_per_frame;
  std::vector<double> feat(frames * kDims, 0.0);
  for (std::size_t f = 0; f < frames; ++f) {
    double sq = 0.0;
    for (std::size_t h = f * hops_per_frame; h < (f + 1) * hops_per_frame; ++h) {
      for (int b = 0; b < kBandCount; ++b) feat[f * kDims + static_cast<std::size_t>(b / kBandsPerGroup)] += features.band(h, b);
      sq += static_cast<double>(features.rms[h]) * features.rms[h];
    }
    for (int g = 0; g < kGroups; ++g) feat[f * kDims + static_cast<std::size_t>(g)] /= static_cast<double>(hops_per_frame * kBandsPerGroup);
    feat[f * kDims + kGroups] = 20.0 * std::log10(std::sqrt(sq / static_cast<double>(hops_per_frame)) + 1e-5) / 60.0;
  }
  for (int d = 0; d < kDims; ++d) {
    double mean = 0.0, var = 0.0;
    for (std::size_t f = 0; f < frames; ++f) mean += feat[f * kDims + static_cast<std::size_t>(d)];
    mean /= static_cast<double>(std::max<std::size_t>(1, frames));
    for (std::size_t f = 0; f < frames; ++f) {
      const double v = feat[f * kDims + static_cast<std::size_t>(d)] - mean;
      var += v * v;
    }
    const double sd = std::sqrt(var / static_cast<double>(std::max<std::size_t>(1, frames))) + 1e-9;
    for (std::size_t f = 0; f < frames; ++f) {
      auto& v = feat[f * kDims + static_cast<std::size_t>(d)];
      v = (v - mean) / sd;
    }
  }
  return feat;
}

/// Step 2, Foote's novelty: a checkerboard kernel (cross-blocks of past vs
/// future minus within-blocks, Gaussian taper) along the diagonal of the
/// frames' distance matrix.
std::vector<double> novelty_curve(const std::vector<double>& feat, std::size_t frames) {
  auto distance = [&](std::size_t a, std::size_t b) {
    double s = 0.0;
    for (int d = 0; d < kDims; ++d) {
      const double v = feat[a * kDims + static_cast<std::size_t>(d)] - feat[b * kDims + static_cast<std::size_t>(d)];
      s += v * v;
    }
    return std::sqrt(s);
  };
  std::vector<double> novelty(frames, 0.0);
  const double taper_sigma = kHalfKernel / 2.0;
  for (std::size_t c = kHalfKernel; c + kHalfKernel <= frames; ++c) {
    double s = 0.0;
    for (int i = -kHalfKernel; i < kHalfKernel; ++i) {
      for (int j = -kHalfKernel; j < kHalfKernel; ++j) {
        const double wi = i + 0.5, wj = j + 0.5;
        const double w = std::exp(-(wi * wi + wj * wj) / (2 * taper_sigma * taper_sigma));
        const bool cross = (i < 0) != (j < 0);
        const double dist = distance(static_cast<std::size_t>(static_cast<std::ptrdiff_t>(c) + i),
                                     static_cast<std::size_t>(static_cast<std::ptrdiff_t>(c) + j));
        s += (cross ? w : -w) * dist;
      }
    }
    novelty[c] = std::max(0.0, s);
  }
  return novelty;
}

/// Step 3: the boundaries, in seconds: novelty peaks above mean + ½ sd, the
/// strongest first, at least kMinSectionS from each other and from the ends,
/// snapped to a downbeat (else a beat) within 2 s.
std::vector<double> boundaries(const std::vector<double>& novelty, const std::vector<double>& downbeats,
                               const std::vector<double>& beats) {
  const std::size_t frames = novelty.size();
  std::vector<double> bounds;
  if (frames <= 2 * kHalfKernel) return bounds;
  const double mean = std::accumulate(novelty.begin(), novelty.end(), 0.0) / static_cast<double>(frames);
  double var = 0.0;
  for (double v : novelty) var += (v - mean) * (v - mean);
  const double threshold = mean + 0.5 * std::sqrt(var / static_cast<double>(frames));
  const auto min_gap = static_cast<std::ptrdiff_t>(kMinSectionS / kFrameS);
  std::vector<std::size_t> order(frames);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return novelty[a] > novelty[b]; });
  std::vector<std::ptrdiff_t> kept;
  for (auto f : order) {
    if (novelty[f] <= threshold) break;
    const auto fi = static_cast<std::ptrdiff_t>(f);
    if (fi < min_gap || static_cast<std::ptrdiff_t>(frames) - fi < min_gap) continue;
    bool ok = true;
    for (auto k : kept) ok = ok && std::abs(k - fi) >= min_gap;
    if (ok) kept.push_back(fi);
  }
  std::sort(kept.begin(), kept.end());
  for (auto k : kept) {
    const double t = static_cast<double>(k) * kFrameS;  // boundary between frames k-1 and k
    bounds.push_back(snap(t, downbeats.empty() ? beats : downbeats, 2.0));
  }
  return bounds;
}

}  // namespace

std::vector<Section> find_sections(const Features& features, double duration_s,
                                   const std::vector<double>& downbeats,
                                   const std::vector<double>& beats) {
  std::size_t frames = 0;
  const std::vector<double> feat = frame_features(features, frames);
  std::vector<double> bounds = boundaries(novelty_curve(feat, frames), downbeats, beats);
  std::vector<Section> sections;
  double start = 0.0;
  bounds.push_back(duration_s);
  for (double end : bounds) {
    if (end - start < 1.0 && !sections.empty() && end != duration_s) continue;
    sections.push_back({start, end, 0.0, {}});
    start = end;
  }
  if (sections.size() > 1 && sections.back().end_s - sections.back().start_s < 1.0) {
    sections[sections.size() - 2].end_s = duration_s;
    sections.pop_back();
  }
  // Step 4, energy: mean RMS per section relative to the loudest.
  double loudest = 0.0;
  for (auto& s : sections) {
    const auto h0 = static_cast<std::size_t>(s.start_s / features.hop_s);
    const auto h1 = std::min(features.hops(), static_cast<std::size_t>(s.end_s / features.hop_s));
    double sum = 0.0;
    for (std::size_t h = h0; h < h1; ++h) sum += features.rms[h];
    s.energy = h1 > h0 ? sum / static_cast<double>(h1 - h0) : 0.0;
    loudest = std::max(loudest, s.energy);
  }
  for (auto& s : sections) s.energy = loudest > 0 ? s.energy / loudest : 0.0;
  return sections;
}

}  // namespace mv
