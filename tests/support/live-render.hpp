// live-render.hpp — what the tests of the live look share: a LiveAnalyzer fed as
// a source feeds it, a stereo drum track, a file rendered with `mvgen generate
// --analysis live` and decoded to raw I420 frames, and a song's decoded samples
// as the file render had them.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "mv/analysis/live-analyzer.hpp"

namespace mvtest {

/// Runs `samples` (interleaved, `channels`) through a LiveAnalyzer in blocks of
/// `block` frames, asking for every frame once the audio up to its time has
/// been pushed; `each` sees every FrameInfo.
template <typename Each>
void run_live(mv::LiveAnalyzer& live, const std::vector<float>& samples, int rate, int channels, std::size_t block,
              Each&& each, double fps = 30.0) {
  const std::size_t frames = samples.size() / static_cast<std::size_t>(channels);
  std::size_t pushed = 0;
  const auto video_frames = static_cast<std::int64_t>(static_cast<double>(frames) / rate * fps);
  for (std::int64_t k = 0; k < video_frames; ++k) {
    const auto needed = static_cast<std::size_t>(std::ceil(static_cast<double>(k) / fps * rate));
    while (pushed < needed && pushed < frames) {
      const std::size_t n = std::min(block, frames - pushed);
      live.push(samples.data() + pushed * static_cast<std::size_t>(channels), n);
      pushed += n;
    }
    each(live.frame(k));
  }
}

/// synth_rhythm()'s drums at `bpm` for `seconds` at `sample_rate`, as interleaved
/// stereo: the right channel `right_gain` times the left. `beat_times` as synth_rhythm()'s.
std::vector<float> stereo_drums(double bpm, double seconds, int sample_rate, float right_gain,
                                std::vector<double>* beat_times = nullptr);

/// `mvgen generate SONG --analysis live --look LOOK --size 320x180` losslessly
/// (--crf 0, --preset ultrafast, --no-title) with `extra_args` (e.g. "--start 12
/// --duration 4"), decoded to raw yuv420p frames of 320x180 in `dir`/live.yuv.
/// Returns that path; "" when mvgen or ffmpeg failed (`output` gets what they printed).
std::filesystem::path render_live_raw(const std::filesystem::path& song, const std::string& look, const std::string& extra_args,
                                      const std::filesystem::path& dir, std::string* output = nullptr);

/// The interleaved samples of `song` at its own rate and channels from `from_s`
/// (mv::AudioReader: what the file render decodes).
std::vector<float> decoded_samples(const std::filesystem::path& song, double from_s = 0.0);

}  // namespace mvtest
