// auto-gain.cpp — see mv/analysis/auto-gain.hpp.
#include "mv/analysis/auto-gain.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "spectral-frame.hpp"

namespace mv {

namespace {

constexpr double kFloorDb = -50.0;  ///< the envelope never goes lower: hiss is not music

/// The bin under which `pct` % of a histogram's weight lies.
template <std::size_t N>
double percentile(const std::array<double, N>& hist, double pct) {
  const double total = std::accumulate(hist.begin(), hist.end(), 0.0);
  double acc = 0.0;
  for (std::size_t v = 0; v < N; ++v) {
    acc += hist[v];
    if (acc > total * pct / 100.0) return static_cast<double>(v);
  }
  return static_cast<double>(N - 1);
}

/// A level in dBFS on the band bytes' scale (0..255 over kBandFloorDb..0 dB).
float byte_of_db(double db) { return static_cast<float>((db - kBandFloorDb) / -kBandFloorDb * 255.0); }

}  // namespace

void AutoGain::add_hop(const std::uint8_t* bands, float rms) {
  std::copy(bands, bands + kBandCount, block_bands_[static_cast<std::size_t>(in_block_)].begin());
  block_db_[static_cast<std::size_t>(in_block_)] = static_cast<float>(20.0 * std::log10(rms + 1e-6));
  if (++in_block_ == kAutoGainBlockHops) read();
}

void AutoGain::read() {
  const auto n = static_cast<std::size_t>(in_block_);
  if (n == 0) return;
  in_block_ = 0;
  const double block_s = static_cast<double>(n) * kHopSize / kAnalysisRate;
  // The envelope: the block's 95th percentile, taken at once when louder, approached at 4 dB/s when quieter.
  std::array<float, kAutoGainBlockHops> db = block_db_;
  const auto p95 = db.begin() + static_cast<std::ptrdiff_t>(n * 95 / 100);
  std::nth_element(db.begin(), p95, db.begin() + static_cast<std::ptrdiff_t>(n));
  const double level = std::max(kFloorDb, static_cast<double>(*p95));
  range_.top_db = !range_.ready || level > range_.top_db ? level : std::max(level, range_.top_db - kAutoGainReleaseDbPerS * block_s);
  // The bands relative to the envelope, into histograms that forget with kAutoGainMemoryS.
  const double decay = std::exp(-block_s / kAutoGainMemoryS);
  const float top = byte_of_db(range_.top_db);
  static const float silent_byte = band_byte(-72.0f);
  for (std::size_t b = 0; b < static_cast<std::size_t>(kBandCount); ++b) {
    auto& hist = band_hist_[b];
    for (double& h : hist) h *= decay;
    float block_peak = 0.0f;
    for (std::size_t i = 0; i < n; ++i) {
      const float v = block_bands_[i][b];
      block_peak = std::max(block_peak, v);
      const long bin = std::lround(v - top) + 255;
      hist[static_cast<std::size_t>(std::clamp(bin, 0L, static_cast<long>(kRelativeBins) - 1))] += 1.0;
    }
    peak_[b] = std::max(block_peak, peak_[b] - 1.0f);
    const auto lo = static_cast<float>(percentile(hist, 30.0) - 255.0), hi = static_cast<float>(percentile(hist, 99.0) - 255.0);
    range_.low[b] = lo;
    // A band whose loudest moments stay under −72 dB is silent, not quiet: it stays still.
    range_.span[b] = peak_[b] < silent_byte ? 1e9f : std::max(hi - lo, 20.0f);
  }
  range_.ready = true;
}

float AutoGain::band_level(const AutoGainRange& r, std::size_t b, std::uint8_t v) {
  if (!r.ready || r.span[b] >= 1e9f) return 0.0f;  // a silent band stays still
  const float relative = static_cast<float>(v) - byte_of_db(r.top_db);
  return std::pow(std::clamp((relative - r.low[b]) / r.span[b], 0.0f, 1.0f), 1.5f);
}

float AutoGain::loudness(const AutoGainRange& r, double rms) {
  if (!r.ready) return 0.0f;
  const double db = 20.0 * std::log10(rms + 1e-6);
  return static_cast<float>(std::clamp((db - (r.top_db - 40.0)) / 40.0, 0.0, 1.0));
}

float AutoGain::wave_gain(const AutoGainRange& r) {
  if (!r.ready) return 1.0f;
  return static_cast<float>(std::clamp(std::pow(10.0, (kWaveRefDb - r.top_db) / 20.0), 0.5, 100.0));
}

}  // namespace mv
