// live-analyzer.hpp — causal analysis for looks drawn live: audio blocks in,
// per video frame the same FrameInfo the file renderer fills, computed only
// from the audio up to the frame's time.
//
// Pipeline per block: downmix (mean of the channels) → resample to mono
// kAnalysisRate (media's Resampler, libswresample) → the offline analysis' STFT frames
// (SpectralFrame: 1024-point Hann, hop 256, 48 log bands, spectral flux, RMS)
// → per hop: the beat tracker (live-beats.hpp: tempo from a running autocorrelation, beats
// predicted ahead by a phase-locked comb, bars), onset
// picking, auto-gain and section changes. Per frame k (time k / fps), only
// hops whose whole STFT window ends at least kLiveMarginS before that time are
// used, so the result does not depend on how the audio was cut into blocks
// (64, 480 or 4096 samples give the same FrameInfo).
//
// Auto-gain: AutoGain (mv/analysis/auto-gain.hpp), shared with the file
// render: a loudness envelope (instant attack, 4 dB/s release) and each band
// through its range over the last ~10 s relative to that envelope, so a −30
// LUFS source moves a look as much as a −8 LUFS one, and a quiet passage moves
// it again within seconds; the waveform is scaled by the same envelope.
//
// Sections: every 0.5 s, the cosine distance between the mean band profile of
// the last 4 s and of the 4 s before, plus their loudness difference; a value
// 2.5 standard deviations over its recent mean, at least 12 s after the last
// change, starts a new section on the next downbeat at least 0.3 s ahead (so
// FrameInfo::next_section_in_s is known in time for the transitions).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "mv/analysis/analysis.hpp"
#include "mv/analysis/frame-info.hpp"

namespace mv {

/// Hops are used only when their STFT window ended this long before the frame's time, s.
inline constexpr double kLiveMarginS = 0.004;

/// Knobs of the live analysis.
struct LiveAnalyzerOptions {
  double fps = 30.0;        ///< video frame rate, frames per second (> 0)
  double intensity = 1.0;   ///< the user's intensity, copied into FrameInfo::intensity
  double min_bpm = kDefaultMinBpm;  ///< tempo search range, BPM (as AnalysisOptions)
  double max_bpm = kDefaultMaxBpm;
};

/// Causal analysis: push audio, ask for frames in increasing order.
/// Not thread-safe: one thread pushes and asks (the live source's drawing thread).
class LiveAnalyzer {
 public:
  /// `sample_rate` (Hz, 8000..384000) and `channels` (1..8) of the pushed audio.
  /// Errors: Error{Usage} for a rate, channel count or fps out of range;
  /// Error{Internal} when the resampler or the FFT cannot be set up.
  LiveAnalyzer(int sample_rate, int channels, const LiveAnalyzerOptions& options = {});
  ~LiveAnalyzer();
  LiveAnalyzer(const LiveAnalyzer&) = delete;
  LiveAnalyzer& operator=(const LiveAnalyzer&) = delete;

  /// Appends `frames` frames of interleaved samples (channels per frame, full scale ±1).
  void push(const float* interleaved, std::size_t frames);
  /// Seconds of audio pushed so far.
  [[nodiscard]] double pushed_s() const;
  /// The drawing inputs of frame `k` (time k / fps from the first pushed
  /// sample), from the audio pushed so far up to that time. `k` must not be
  /// smaller than the previous call's (a skipped frame is fine: a late frame
  /// dropped). The reference stays valid until the next call.
  const FrameInfo& frame(std::int64_t k);
  /// Changes the intensity the next frames carry (FrameInfo::intensity, 0.3..2):
  /// a live look restyled while it runs keeps its tempo and beats.
  void set_intensity(double intensity);

  /// The tempo followed now, BPM; 0 while there is none (the first ~5 s, silence, and
  /// audio with no steady pulse: a voice, game sound, noise; no beats are shown then).
  [[nodiscard]] double tempo_bpm() const;
  /// Every beat shown so far: when it sounds (predicted before it did), s.
  /// A beat whose moment passed before it was predicted has the time of the frame that showed it.
  [[nodiscard]] const std::vector<double>& beats() const;
  /// The beats among them that start a bar, s.
  [[nodiscard]] const std::vector<double>& downbeats() const;
  /// The first frame time of each section after the first, s.
  [[nodiscard]] const std::vector<double>& section_starts() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mv
