// feature-extractor.cpp — the analysis front end: a streaming STFT over mono
// 22050 Hz audio giving, per 11.6 ms hop, 48 log-band energies, the RMS and a
// spectral-flux onset value.
//
// Onset detection function: mean over log-spaced bands of the half-wave
// rectified increase in band level (dB) from one hop to the next, the
// "spectral flux on a log filterbank" of Böck, Krebs & Schedl (ISMIR 2012) and
// librosa's onset_strength. Frames are centred on their hop time (N/2 zero
// samples are prepended), so hop i describes time i * hop_s.
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

extern "C" {
#include <libavutil/mem.h>
#include <libavutil/tx.h>
}

#include "mv/analysis/analysis.hpp"
#include "mv/base/error.hpp"

namespace mv {

namespace {

constexpr double kMinBandHz = 40.0;
constexpr double kMaxBandHz = 11025.0;
constexpr float kFloorDb = -80.0f;
constexpr double kMinChromaHz = 100.0;
constexpr double kMaxChromaHz = 5000.0;

}  // namespace

struct FeatureExtractor::Impl {
  AVTXContext* tx = nullptr;
  av_tx_fn fft = nullptr;
  std::vector<float> window;               // Hann, kFftSize
  std::vector<float> pending;              // samples not yet consumed by a full frame
  std::array<int, kBandCount + 1> edges{}; // band edges in FFT bins
  // av_tx needs SIMD-aligned buffers: allocate them with av_malloc.
  AVComplexFloat* in = nullptr;
  AVComplexFloat* out = nullptr;
  std::vector<float> prev_db, cur_db;
  int chroma_first = 0, chroma_last = 0;  // FFT bins [first, last) that feed the chroma
  std::vector<std::uint8_t> pitch_class;  // per bin from chroma_first
  bool have_prev = false;
  Features features;
  std::vector<float> flux;

  Impl() {
    float scale = 1.0f;
    if (av_tx_init(&tx, &fft, AV_TX_FLOAT_FFT, 0, kFftSize, &scale, 0) < 0) {
      throw Error(ErrorCode::Internal, "cannot initialise the FFT (av_tx_init)");
    }
    window.resize(kFftSize);
    double wsum = 0.0;
    for (int i = 0; i < kFftSize; ++i) {
      window[static_cast<std::size_t>(i)] =
          static_cast<float>(0.5 - 0.5 * std::cos(2.0 * M_PI * i / kFftSize));
      wsum += window[static_cast<std::size_t>(i)];
    }
    // Normalise so that a full-scale sine gives magnitude ~1 in its bin.
    for (auto& w : window) w = static_cast<float>(w * 2.0 / wsum);
    // Log-spaced band edges, each band at least one bin wide.
    const double bin_hz = static_cast<double>(kAnalysisRate) / kFftSize;
    int prev = 0;
    for (int b = 0; b <= kBandCount; ++b) {
      const double hz = kMinBandHz * std::pow(kMaxBandHz / kMinBandHz, static_cast<double>(b) / kBandCount);
      int bin = static_cast<int>(std::lround(hz / bin_hz));
      if (b > 0) bin = std::max(bin, prev + 1);
      bin = std::min(bin, kFftSize / 2 + 1);
      edges[static_cast<std::size_t>(b)] = bin;
      prev = bin;
    }
    chroma_first = static_cast<int>(std::ceil(kMinChromaHz / bin_hz));
    chroma_last = static_cast<int>(std::floor(kMaxChromaHz / bin_hz)) + 1;
    for (int k = chroma_first; k < chroma_last; ++k) {
      // Semitones from A4, folded to a class with C = 0 (A = 9).
      const auto semis = static_cast<int>(std::lround(12.0 * std::log2(k * bin_hz / 440.0)));
      pitch_class.push_back(static_cast<std::uint8_t>(((semis + 9) % 12 + 12) % 12));
    }
    in = static_cast<AVComplexFloat*>(av_malloc(sizeof(AVComplexFloat) * kFftSize));
    out = static_cast<AVComplexFloat*>(av_malloc(sizeof(AVComplexFloat) * kFftSize));
    if (in == nullptr || out == nullptr) throw Error(ErrorCode::Internal, "out of memory for the FFT");
    prev_db.assign(kBandCount, kFloorDb);
    cur_db.assign(kBandCount, kFloorDb);
    pending.assign(kFftSize / 2, 0.0f);  // centre the first frame on t = 0
  }
  ~Impl() {
    av_tx_uninit(&tx);
    av_free(in);
    av_free(out);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void process_frame(const float* frame) {
    for (int i = 0; i < kFftSize; ++i) {
      const auto k = static_cast<std::size_t>(i);
      in[k].re = frame[k] * window[k];
      in[k].im = 0.0f;
    }
    fft(tx, out, in, sizeof(AVComplexFloat));
    float flux_sum = 0.0f;
    for (int b = 0; b < kBandCount; ++b) {
      double energy = 0.0;
      for (int k = edges[static_cast<std::size_t>(b)]; k < edges[static_cast<std::size_t>(b) + 1]; ++k) {
        const auto& c = out[static_cast<std::size_t>(k)];
        energy += static_cast<double>(c.re) * c.re + static_cast<double>(c.im) * c.im;
      }
      const float db = std::max(kFloorDb, static_cast<float>(10.0 * std::log10(energy + 1e-12)));
      const auto bi = static_cast<std::size_t>(b);
      cur_db[bi] = db;
      if (have_prev) flux_sum += std::max(0.0f, db - prev_db[bi]);
      features.bands.push_back(static_cast<std::uint8_t>(std::lround((db - kFloorDb) / -kFloorDb * 255.0f)));
    }
    flux.push_back(flux_sum / kBandCount);
    push_chroma();
    std::swap(prev_db, cur_db);
    have_prev = true;
    // RMS of the hop that this frame is centred on.
    double sq = 0.0;
    const float* centre = frame + (kFftSize - kHopSize) / 2;
    for (int i = 0; i < kHopSize; ++i) sq += static_cast<double>(centre[i]) * centre[i];
    features.rms.push_back(static_cast<float>(std::sqrt(sq / kHopSize)));
  }

  /// The hop's chroma from the FFT in `out` (magnitudes, not energies, so that
  /// one loud partial does not outweigh the chord).
  void push_chroma() {
    std::array<float, 12> pc{};
    for (int k = chroma_first; k < chroma_last; ++k) {
      const auto& c = out[static_cast<std::size_t>(k)];
      pc[pitch_class[static_cast<std::size_t>(k - chroma_first)]] += std::sqrt(c.re * c.re + c.im * c.im);
    }
    const float peak = *std::max_element(pc.begin(), pc.end());
    constexpr float kSilence = 1e-4f;  // a full-scale sine is ~1
    for (float v : pc) {
      features.chroma.push_back(peak > kSilence ? static_cast<std::uint8_t>(std::lround(v / peak * 255.0f)) : 0);
    }
  }

  void consume() {
    std::size_t offset = 0;
    while (pending.size() - offset >= static_cast<std::size_t>(kFftSize)) {
      process_frame(pending.data() + offset);
      offset += kHopSize;
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(offset));
  }
};

FeatureExtractor::FeatureExtractor() : impl_(std::make_unique<Impl>()) {}
FeatureExtractor::~FeatureExtractor() = default;

void FeatureExtractor::push(const float* samples, std::size_t count) {
  impl_->pending.insert(impl_->pending.end(), samples, samples + count);
  if (impl_->pending.size() >= static_cast<std::size_t>(kFftSize) * 8) impl_->consume();
}

Features FeatureExtractor::finish() {
  // Pad with N/2 zeros so the last samples get a centred frame too.
  impl_->pending.insert(impl_->pending.end(), kFftSize / 2 + kHopSize, 0.0f);
  impl_->consume();
  Features result = std::move(impl_->features);
  auto& flux = impl_->flux;
  const float peak = flux.empty() ? 0.0f : *std::max_element(flux.begin(), flux.end());
  if (peak > 0.0f) {
    for (auto& v : flux) v /= peak;
  }
  result.onset_envelope = std::move(flux);
  return result;
}

}  // namespace mv
