// spectral-frame.cpp — see spectral-frame.hpp.
#include "spectral-frame.hpp"

#include <algorithm>
#include <cmath>

extern "C" {
#include <libavutil/mem.h>
#include <libavutil/tx.h>
}

#include "mv/base/error.hpp"

namespace mv {

namespace {

constexpr double kMinBandHz = 40.0;
constexpr double kMaxBandHz = 11025.0;
constexpr double kMinChromaHz = 100.0;
constexpr double kMaxChromaHz = 5000.0;

}  // namespace

SpectralFrame::SpectralFrame() {
  float scale = 1.0f;
  av_tx_fn fn = nullptr;
  if (av_tx_init(&tx_, &fn, AV_TX_FLOAT_FFT, 0, kFftSize, &scale, 0) < 0) {
    throw Error(ErrorCode::Internal, "cannot initialise the FFT (av_tx_init)");
  }
  fft_ = fn;
  window_.resize(kFftSize);
  double wsum = 0.0;
  for (int i = 0; i < kFftSize; ++i) {
    window_[static_cast<std::size_t>(i)] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * M_PI * i / kFftSize));
    wsum += window_[static_cast<std::size_t>(i)];
  }
  // Normalise so that a full-scale sine gives magnitude ~1 in its bin.
  for (auto& w : window_) w = static_cast<float>(w * 2.0 / wsum);
  // Log-spaced band edges, each band at least one bin wide.
  const double bin_hz = static_cast<double>(kAnalysisRate) / kFftSize;
  int prev = 0;
  for (int b = 0; b <= kBandCount; ++b) {
    const double hz = kMinBandHz * std::pow(kMaxBandHz / kMinBandHz, static_cast<double>(b) / kBandCount);
    int bin = static_cast<int>(std::lround(hz / bin_hz));
    if (b > 0) bin = std::max(bin, prev + 1);
    bin = std::min(bin, kFftSize / 2 + 1);
    edges_[static_cast<std::size_t>(b)] = bin;
    prev = bin;
  }
  chroma_first_ = static_cast<int>(std::ceil(kMinChromaHz / bin_hz));
  chroma_last_ = static_cast<int>(std::floor(kMaxChromaHz / bin_hz)) + 1;
  for (int k = chroma_first_; k < chroma_last_; ++k) {
    // Semitones from A4, folded to a class with C = 0 (A = 9).
    const auto semis = static_cast<int>(std::lround(12.0 * std::log2(k * bin_hz / 440.0)));
    pitch_class_.push_back(static_cast<std::uint8_t>(((semis + 9) % 12 + 12) % 12));
  }
  // av_tx needs SIMD-aligned buffers: allocate them with av_malloc.
  in_ = static_cast<AVComplexFloat*>(av_malloc(sizeof(AVComplexFloat) * kFftSize));
  out_ = static_cast<AVComplexFloat*>(av_malloc(sizeof(AVComplexFloat) * kFftSize));
  if (in_ == nullptr || out_ == nullptr) {
    av_free(in_);
    av_free(out_);
    av_tx_uninit(&tx_);
    throw Error(ErrorCode::Internal, "out of memory for the FFT");
  }
  db_.fill(kBandFloorDb);
  prev_db_.fill(kBandFloorDb);
}

SpectralFrame::~SpectralFrame() {
  av_tx_uninit(&tx_);
  av_free(in_);
  av_free(out_);
}

void SpectralFrame::analyse(const float* frame) {
  for (int i = 0; i < kFftSize; ++i) {
    const auto k = static_cast<std::size_t>(i);
    in_[k].re = frame[k] * window_[k];
    in_[k].im = 0.0f;
  }
  fft_(tx_, out_, in_, sizeof(AVComplexFloat));
  std::swap(prev_db_, db_);
  float flux_sum = 0.0f;
  for (int b = 0; b < kBandCount; ++b) {
    double energy = 0.0;
    for (int k = edges_[static_cast<std::size_t>(b)]; k < edges_[static_cast<std::size_t>(b) + 1]; ++k) {
      const auto& c = out_[static_cast<std::size_t>(k)];
      energy += static_cast<double>(c.re) * c.re + static_cast<double>(c.im) * c.im;
    }
    const float db = std::max(kBandFloorDb, static_cast<float>(10.0 * std::log10(energy + 1e-12)));
    const auto bi = static_cast<std::size_t>(b);
    db_[bi] = db;
    if (have_prev_) flux_sum += std::max(0.0f, db - prev_db_[bi]);
  }
  flux_ = flux_sum / kBandCount;
  have_prev_ = true;
  double sq = 0.0;
  const float* centre = frame + (kFftSize - kHopSize) / 2;
  for (int i = 0; i < kHopSize; ++i) sq += static_cast<double>(centre[i]) * centre[i];
  rms_ = static_cast<float>(std::sqrt(sq / kHopSize));
}

void SpectralFrame::chroma(std::array<std::uint8_t, 12>& out) const {
  // Magnitudes, not energies, so that one loud partial does not outweigh the chord.
  std::array<float, 12> pc{};
  for (int k = chroma_first_; k < chroma_last_; ++k) {
    const auto& c = out_[static_cast<std::size_t>(k)];
    pc[pitch_class_[static_cast<std::size_t>(k - chroma_first_)]] += std::sqrt(c.re * c.re + c.im * c.im);
  }
  const float peak = *std::max_element(pc.begin(), pc.end());
  constexpr float kSilence = 1e-4f;  // a full-scale sine is ~1
  for (std::size_t i = 0; i < 12; ++i) {
    out[i] = peak > kSilence ? static_cast<std::uint8_t>(std::lround(pc[i] / peak * 255.0f)) : 0;
  }
}

}  // namespace mv
