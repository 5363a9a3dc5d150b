// sound-placement.cpp — see mv/analysis/sound-placement.hpp.
#include "mv/analysis/sound-placement.hpp"

#include <algorithm>
#include <cmath>

extern "C" {
#include <libavutil/mem.h>
#include <libavutil/tx.h>
}

#include "mv/base/error.hpp"

namespace mv {

namespace {

constexpr std::int64_t kKeepBins = 32768;  ///< 4.1 s of each stream kept
constexpr std::int64_t kWindowBins = 4096;  ///< the source's stretch correlated, 0.512 s
constexpr int kFftSize = 8192;              ///< ≥ the window plus the lag range, a power of two
constexpr std::int64_t kBinNs = 1000000000LL / SoundPlacement::kGridRate;
constexpr auto kMinLagBins = static_cast<std::int64_t>(SoundPlacement::kMinLagMs * SoundPlacement::kGridRate / 1000.0);
constexpr auto kMaxLagBins = static_cast<std::int64_t>(SoundPlacement::kMaxLagMs * SoundPlacement::kGridRate / 1000.0);
/// Rivals are looked for over 3 ms from the peak: nearer, a peak is the same placement for a
/// picture (a frame lasts 33 ms), and a tonal sound has its side peaks there (the real-OBS sync
/// test's click, 80 Hz + 1.5 kHz, peaks again 1.3 ms away: with a 1 ms zone it measured 3 times
/// in 8 at contrast 2.6–3.2, with 3 ms every time at 9.7–12).
constexpr std::int64_t kExcludeBins = 3 * SoundPlacement::kGridRate / 1000;
/// The power of the cross-spectrum's magnitude divided out: 1 is the full phase transform,
/// whose whitening makes a pure tone's leakage peak anywhere (contrast 2–4 on a 440 Hz
/// sine); at 0.7 a tone's peaks stay alike (contrast under 2) while music's stays sharp
/// (5–20 in tests/test-sound-placement.cpp).
constexpr double kWhitening = 0.7;
constexpr double kMinRms = 3e-4;  ///< quieter than about −70 dBFS: silence, nothing measured
static_assert(kWindowBins + kMaxLagBins - kMinLagBins <= kFftSize);

}  // namespace

float SoundPlacement::Grid::at(std::int64_t bin) const {
  if (bin < lo || bin >= hi) return 0.0F;
  const auto i = static_cast<std::size_t>(bin % kKeepBins);
  return count[i] == 0 ? 0.0F : sum[i] / static_cast<float>(count[i]);
}

void SoundPlacement::Grid::add(std::int64_t bin, float value) {
  if (sum.empty()) {
    sum.assign(static_cast<std::size_t>(kKeepBins), 0.0F);
    count.assign(static_cast<std::size_t>(kKeepBins), 0);
  }
  if (hi == lo) lo = hi = bin;  // the first sample
  if (bin >= hi) {
    for (std::int64_t b = std::max(hi, bin - kKeepBins + 1); b <= bin; ++b) {
      const auto i = static_cast<std::size_t>(b % kKeepBins);
      sum[i] = 0.0F;
      count[i] = 0;
    }
    hi = bin + 1;
    lo = std::max(lo, hi - kKeepBins);
  }
  if (bin < lo) return;  // older than what is kept
  const auto i = static_cast<std::size_t>(bin % kKeepBins);
  sum[i] += value;
  if (count[i] < 65535) ++count[i];
}

SoundPlacement::SoundPlacement(int sample_rate) : rate_(sample_rate) {
  if (sample_rate < 8000 || sample_rate > 384000) throw Error(ErrorCode::Usage, "sound placement: sample rate out of range");
  float scale = 1.0F;
  av_tx_fn forward = nullptr, inverse = nullptr;
  const bool set_up = av_tx_init(&forward_, &forward, AV_TX_FLOAT_FFT, 0, kFftSize, &scale, 0) >= 0 &&
                      av_tx_init(&inverse_, &inverse, AV_TX_FLOAT_FFT, 1, kFftSize, &scale, 0) >= 0;
  forward_fn_ = forward;
  inverse_fn_ = inverse;
  for (auto** buffer : {&a_, &b_, &fa_, &fb_}) *buffer = static_cast<AVComplexFloat*>(av_malloc(sizeof(AVComplexFloat) * kFftSize));
  if (!set_up || a_ == nullptr || b_ == nullptr || fa_ == nullptr || fb_ == nullptr) {
    release();
    throw Error(ErrorCode::Internal, "cannot set up the FFT (av_tx_init) for the sound placement");
  }
}

SoundPlacement::~SoundPlacement() { release(); }

void SoundPlacement::release() {
  av_tx_uninit(&forward_);
  av_tx_uninit(&inverse_);
  for (auto** buffer : {&a_, &b_, &fa_, &fb_}) {
    av_free(*buffer);
    *buffer = nullptr;
  }
}

void SoundPlacement::add(Grid& grid, const float* interleaved, int channels, std::size_t frames, std::uint64_t timestamp_ns) const {
  if (channels <= 0 || interleaved == nullptr) return;
  const double ns_per_sample = 1e9 / rate_;
  const float share = 1.0F / static_cast<float>(channels);
  const auto n = static_cast<std::size_t>(channels);
  for (std::size_t j = 0; j < frames; ++j) {
    float mono = 0.0F;
    for (std::size_t c = 0; c < n; ++c) mono += interleaved[j * n + c];
    const auto t = static_cast<std::int64_t>(timestamp_ns) + static_cast<std::int64_t>(std::llround(static_cast<double>(j) * ns_per_sample));
    grid.add(t / kBinNs, mono * share);
  }
}

void SoundPlacement::add_source(const float* interleaved, int channels, std::size_t frames, std::uint64_t timestamp_ns) {
  add(source_, interleaved, channels, frames, timestamp_ns);
}

void SoundPlacement::add_mix(const float* interleaved, int channels, std::size_t frames, std::uint64_t timestamp_ns) {
  add(mix_, interleaved, channels, frames, timestamp_ns);
}

std::optional<std::int64_t> SoundPlacement::measure() {
  last_peak_ = last_contrast_ = 0.0;
  if (source_.hi == source_.lo || mix_.hi == mix_.lo) return std::nullopt;
  // The source's latest stretch whose every lag the mix has played.
  const std::int64_t end = std::min(source_.hi, mix_.hi - kMaxLagBins);
  const std::int64_t s0 = end - kWindowBins;
  if (s0 < source_.lo || s0 + kMinLagBins < mix_.lo) return std::nullopt;
  const std::int64_t mix_len = kWindowBins + kMaxLagBins - kMinLagBins;
  double source_energy = 0.0, mix_energy = 0.0;
  for (std::int64_t i = 0; i < kFftSize; ++i) {
    const auto k = static_cast<std::size_t>(i);
    const float s = i < kWindowBins ? source_.at(s0 + i) : 0.0F;
    const float m = i < mix_len ? mix_.at(s0 + kMinLagBins + i) : 0.0F;
    source_energy += static_cast<double>(s) * s;
    mix_energy += static_cast<double>(m) * m;
    a_[k] = {s, 0.0F};
    b_[k] = {m, 0.0F};
  }
  if (std::sqrt(source_energy / kWindowBins) < kMinRms || std::sqrt(mix_energy / static_cast<double>(mix_len)) < kMinRms) {
    return std::nullopt;
  }
  forward_fn_(forward_, fa_, a_, sizeof(AVComplexFloat));
  forward_fn_(forward_, fb_, b_, sizeof(AVComplexFloat));
  // The phase transform, all but: conj(A)·B over its magnitude to the power kWhitening;
  // bins with next to no energy in either are left out.
  double largest = 0.0;
  for (int k = 0; k < kFftSize; ++k) {
    const auto& x = fa_[k];
    const auto& y = fb_[k];
    largest = std::max(largest, std::hypot(static_cast<double>(x.re), x.im) * std::hypot(static_cast<double>(y.re), y.im));
  }
  double weight_sum = 0.0;
  for (int k = 0; k < kFftSize; ++k) {
    const auto& x = fa_[k];
    const auto& y = fb_[k];
    const double re = static_cast<double>(x.re) * y.re + static_cast<double>(x.im) * y.im;
    const double im = static_cast<double>(x.re) * y.im - static_cast<double>(x.im) * y.re;
    const double mag = std::hypot(re, im);
    const bool kept = k != 0 && mag > 1e-9 * largest;
    const double scale = kept ? 1.0 / std::pow(mag, kWhitening) : 0.0;
    a_[k] = {static_cast<float>(re * scale), static_cast<float>(im * scale)};
    weight_sum += mag * scale;
  }
  inverse_fn_(inverse_, b_, a_, sizeof(AVComplexFloat));
  // b_[d].re: the weighted correlation at lag kMinLagBins + d bins (over weight_sum: 1 when the
  // mix is the source, delayed).
  const std::int64_t lags = kMaxLagBins - kMinLagBins;
  std::int64_t best = 0;
  for (std::int64_t d = 1; d <= lags; ++d) {
    if (b_[d].re > b_[best].re) best = d;
  }
  double rival = 0.0;
  for (std::int64_t d = 0; d <= lags; ++d) {
    if (std::abs(d - best) > kExcludeBins) rival = std::max(rival, static_cast<double>(b_[d].re));
  }
  const double peak = weight_sum > 0.0 ? b_[best].re / weight_sum : 0.0;
  last_peak_ = peak;
  last_contrast_ = rival > 0.0 ? b_[best].re / rival : 1e9;
  if (peak < kMinPeak || last_contrast_ < kMinContrast) return std::nullopt;
  double frac = 0.0;
  if (best > 0 && best < lags) {
    const double l = b_[best - 1].re, c = b_[best].re, r = b_[best + 1].re, denom = l - 2.0 * c + r;
    if (std::fabs(denom) > 1e-12) frac = std::clamp(0.5 * (l - r) / denom, -0.5, 0.5);
  }
  return static_cast<std::int64_t>(std::llround((static_cast<double>(best + kMinLagBins) + frac) * static_cast<double>(kBinNs)));
}

}  // namespace mv
