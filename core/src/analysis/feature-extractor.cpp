// feature-extractor.cpp — the analysis front end: a streaming STFT over mono
// 22050 Hz audio giving, per 11.6 ms hop, 48 log-band energies, the RMS, a
// spectral-flux onset value and the chroma (one SpectralFrame per hop).
// Frames are centred on their hop time (N/2 zero samples are prepended), so
// hop i describes time i * hop_s.
#include <algorithm>
#include <array>
#include <vector>

#include "mv/analysis/analysis.hpp"
#include "spectral-frame.hpp"

namespace mv {

struct FeatureExtractor::Impl {
  SpectralFrame spectrum;
  std::vector<float> pending;  // samples not yet consumed by a full frame
  Features features;
  std::vector<float> flux;

  Impl() { pending.assign(kFftSize / 2, 0.0f); }  // centre the first frame on t = 0

  void process_frame(const float* frame) {
    spectrum.analyse(frame);
    for (float db : spectrum.band_db()) features.bands.push_back(band_byte(db));
    flux.push_back(spectrum.flux());
    std::array<std::uint8_t, 12> pc{};
    spectrum.chroma(pc);
    features.chroma.insert(features.chroma.end(), pc.begin(), pc.end());
    features.rms.push_back(spectrum.rms());
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
