// spectral-frame.hpp — one analysis frame of the STFT, shared by the offline
// FeatureExtractor and the causal LiveAnalyzer so that both see the same
// numbers: a kFftSize-point Hann window (libavutil's av_tx FFT), 48 log-spaced
// band energies (40 Hz – 11 kHz, dB), the spectral flux onset value and the RMS
// of the frame's centre hop, and the 12-class chroma.
//
// Onset detection function: mean over the log-spaced bands of the half-wave
// rectified increase in band level (dB) from one frame to the next, the
// "spectral flux on a log filterbank" of Böck, Krebs & Schedl (ISMIR 2012) and
// librosa's onset_strength.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "mv/analysis/analysis.hpp"

struct AVTXContext;
struct AVComplexFloat;

namespace mv {

/// Floor of the band levels, dB (a band at or under it maps to 0 in Features::bands).
inline constexpr float kBandFloorDb = -80.0f;

/// A band level (dB, kBandFloorDb..0) as Features::bands stores it: 0..255.
inline std::uint8_t band_byte(float db) {
  const float v = (db - kBandFloorDb) / -kBandFloorDb * 255.0f;
  return static_cast<std::uint8_t>(v <= 0.0f ? 0.0f : v >= 255.0f ? 255.0f : v + 0.5f);
}

/// One STFT frame at a time (see the file comment). Not thread-safe; one per stream.
class SpectralFrame {
 public:
  /// Errors: Error{Internal} when the FFT cannot be set up.
  SpectralFrame();
  ~SpectralFrame();
  SpectralFrame(const SpectralFrame&) = delete;
  SpectralFrame& operator=(const SpectralFrame&) = delete;

  /// Analyses `frame` (kFftSize mono samples at kAnalysisRate, full scale ±1).
  /// The flux compares it with the previous call's bands (0 on the first call).
  void analyse(const float* frame);
  /// Band levels of the last frame, dB (kBandFloorDb..~0).
  [[nodiscard]] const std::array<float, kBandCount>& band_db() const { return db_; }
  /// Spectral flux of the last frame: mean positive dB rise per band, ≥ 0.
  [[nodiscard]] float flux() const { return flux_; }
  /// RMS (full scale 1) of the kHopSize samples at the frame's centre.
  [[nodiscard]] float rms() const { return rms_; }
  /// Chroma of the last frame: per pitch class (C first) the summed magnitude
  /// of the bins from 100 Hz to 5 kHz, scaled so the largest class is 255
  /// (all 0 in silence).
  void chroma(std::array<std::uint8_t, 12>& out) const;

 private:
  AVTXContext* tx_ = nullptr;
  void (*fft_)(AVTXContext*, void*, void*, std::ptrdiff_t) = nullptr;
  std::vector<float> window_;
  std::array<int, kBandCount + 1> edges_{};
  AVComplexFloat* in_ = nullptr;
  AVComplexFloat* out_ = nullptr;
  int chroma_first_ = 0, chroma_last_ = 0;
  std::vector<std::uint8_t> pitch_class_;
  std::array<float, kBandCount> db_{}, prev_db_{};
  bool have_prev_ = false;
  float flux_ = 0.0f, rms_ = 0.0f;
};

}  // namespace mv
