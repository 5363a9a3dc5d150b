// resampler.hpp — interleaved float PCM rate/channel conversion on
// libswresample, for the analysis path (native stereo → mono 22050 Hz).
#pragma once

#include <memory>
#include <vector>

namespace mv {

/// Converts interleaved float PCM from (in_rate, in_channels) to
/// (out_rate, out_channels); channels 1 or 2. Errors: Error{Internal}.
class Resampler {
 public:
  Resampler(int in_rate, int in_channels, int out_rate, int out_channels);
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;
  /// Converts `frames` input frames and appends the result to `out`.
  void convert(const float* in, std::size_t frames, std::vector<float>& out);
  /// Appends the delayed tail. Call once at the end.
  void flush(std::vector<float>& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mv
