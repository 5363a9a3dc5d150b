// analysis.cpp — analyze_file: one streaming decode feeding EBU R128 loudness
// (libebur128) and the STFT feature extractor, then the offline steps
// (tempo, beats, downbeats, onsets, sections) over the features.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include <ebur128.h>

#include "mv/analysis/analysis.hpp"
#include "mv/base/error.hpp"
#include "mv/media/media.hpp"
#include "mv/media/resampler.hpp"

namespace mv {

namespace {

struct Ebur128Deleter {
  void operator()(ebur128_state* s) const { ebur128_destroy(&s); }
};

}  // namespace

Analysis analyze_file(const std::filesystem::path& path, const AnalysisOptions& options,
                      const ProgressFn& progress, const CancelToken* cancel) {
  AudioReader reader(path, 0, 0, options.start_s, options.duration_s, options.audio_track);
  const int rate = reader.sample_rate();
  const int channels = reader.channels();
  std::unique_ptr<ebur128_state, Ebur128Deleter> loudness(
      ebur128_init(static_cast<unsigned>(channels), static_cast<unsigned long>(rate),
                   EBUR128_MODE_I | EBUR128_MODE_S | EBUR128_MODE_LRA));
  if (!loudness) throw Error(ErrorCode::Internal, "cannot initialise libebur128");

  Analysis analysis;
  analysis.sample_rate = rate;
  analysis.channels = channels;
  Resampler to_mono(rate, channels, kAnalysisRate, 1);
  FeatureExtractor extractor;
  std::vector<float> chunk;
  std::vector<float> mono;
  const auto step_frames = static_cast<std::size_t>(std::lround(analysis.short_term_step_s * rate));
  std::size_t frames_total = 0;
  std::size_t next_step = step_frames;
  const double expected = reader.expected_duration_s();
  int chunks = 0;
  while (reader.read(chunk)) {
    const std::size_t frames = chunk.size() / static_cast<std::size_t>(channels);
    // Feed loudness in pieces that end on each short-term step.
    std::size_t done = 0;
    while (done < frames) {
      const std::size_t take = std::min(frames - done, next_step - frames_total);
      if (ebur128_add_frames_float(loudness.get(), chunk.data() + done * static_cast<std::size_t>(channels), take) !=
          EBUR128_SUCCESS) {
        throw Error(ErrorCode::Internal, "libebur128 rejected audio");
      }
      done += take;
      frames_total += take;
      if (frames_total == next_step) {
        double st = -70.0;
        ebur128_loudness_shortterm(loudness.get(), &st);
        analysis.short_term_lufs.push_back(std::isfinite(st) ? std::max(st, -70.0) : -70.0);
        next_step += step_frames;
      }
    }
    mono.clear();
    to_mono.convert(chunk.data(), frames, mono);
    extractor.push(mono.data(), mono.size());
    chunk.clear();
    if ((++chunks & 63) == 0) {
      if (cancel != nullptr) cancel->throw_if_requested();
      if (progress && expected > 0) progress(Stage::Analyze, std::min(0.9, 0.9 * reader.position_s() / expected));
    }
  }
  mono.clear();
  to_mono.flush(mono);
  extractor.push(mono.data(), mono.size());
  analysis.duration_s = static_cast<double>(frames_total) / rate;
  analysis.skipped_packets = reader.skipped_packets();
  analysis.ended_early = reader.ended_early();
  analysis.claimed_duration_s = reader.claimed_duration_s();
  if (analysis.duration_s < 1.0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", analysis.duration_s);
    throw Error(ErrorCode::InputInvalid, path.string() + " has only " + buf +
                                             " s of audio; at least 1 s is needed to make a video");
  }
  double integrated = -70.0;
  if (ebur128_loudness_global(loudness.get(), &integrated) == EBUR128_SUCCESS && std::isfinite(integrated)) {
    analysis.integrated_lufs = std::max(integrated, -70.0);
  }
  double lra = 0.0;
  if (ebur128_loudness_range(loudness.get(), &lra) == EBUR128_SUCCESS && std::isfinite(lra)) {
    analysis.loudness_range_lu = lra;
  }
  analysis.features = extractor.finish();
  if (cancel != nullptr) cancel->throw_if_requested();
  analyze_features(analysis, options);
  if (progress) progress(Stage::Analyze, 1.0);
  return analysis;
}

}  // namespace mv
