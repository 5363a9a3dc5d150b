// audio-ring-buffer.hpp — "the song that just played": the last N seconds
// (30–600) of an OBS audio source, kept in memory so one click turns them
// into a video. Fed from OBS's audio thread, which must never block: push()
// only try-locks and drops the packet when a writer holds the lock (after the
// waveform plugin's rule). No OBS here; plugin-main.cpp connects it with
// obs_source_add_audio_capture_callback.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "mv/base/progress.hpp"

namespace mvplugin {

class AudioRingBuffer {
 public:
  /// `seconds` is clamped to 30..600. Memory: seconds × rate × channels × 2 bytes
  /// (16-bit), e.g. 120 s of 48 kHz stereo = 23 MB, 600 s = 115 MB.
  AudioRingBuffer(int sample_rate, int channels, double seconds);

  /// Audio thread: appends `frames` frames of planar float audio (`planes[c][i]`,
  /// ±1 full scale). Never blocks; returns false if the packet was dropped.
  bool push(const float* const* planes, std::size_t frames);
  /// The same for interleaved audio (`frames` × channels() samples; nullptr: silence).
  bool push_interleaved(const float* samples, std::size_t frames);
  /// Writes the last `seconds` (at most what is buffered) as a 16-bit PCM WAV
  /// file, through a temporary name renamed when complete (mv::TempOutput).
  /// Returns the seconds written. Checks `cancel` between 64 KB blocks.
  /// Errors: mv::Error{Output} when the file cannot be written,
  /// mv::Error{Cancelled} when cancelled (nothing is left behind either way).
  double write_wav(const std::filesystem::path& path, double seconds, const mv::CancelToken* cancel = nullptr);

  /// The loudness outline of what is buffered, for a picture: `bins` peaks
  /// (0..1, the largest |sample| of each tenth of a second, the largest of
  /// those in each bin), oldest first; fewer when less is buffered. Any thread;
  /// takes no lock (push() keeps the tenths in atomics), so it never makes the
  /// audio thread drop a packet. A bin may be one packet behind.
  [[nodiscard]] std::vector<float> peaks(std::size_t bins) const;
  [[nodiscard]] double buffered_seconds() const;
  [[nodiscard]] double capacity_seconds() const;
  [[nodiscard]] std::uint64_t dropped_packets() const { return dropped_.load(); }
  [[nodiscard]] int sample_rate() const { return rate_; }
  [[nodiscard]] int channels() const { return channels_; }

 private:
  /// push()'s body: `sample_at(i, c)` gives frame i, channel c.
  template <class SampleAt>
  bool push_samples(std::size_t frames, SampleAt sample_at);
  int rate_, channels_;
  std::size_t capacity_frames_;
  std::unique_ptr<std::int16_t[]> samples_;  // interleaved ring, capacity_frames_ × channels_
  std::size_t write_frame_ = 0;        // next frame slot
  std::size_t filled_frames_ = 0;
  // The peak of every tenth of a second (0..255), a ring beside the samples.
  std::size_t block_frames_;                                // frames in a tenth
  std::size_t block_count_;                                 // tenths the ring holds
  std::unique_ptr<std::atomic<std::uint8_t>[]> block_peaks_;
  std::atomic<std::size_t> blocks_written_{0};              // tenths completed so far
  std::size_t block_fill_ = 0;                              // frames in the current tenth
  float block_peak_ = 0.0F;                                 // its peak so far
  mutable std::mutex mutex_;
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace mvplugin
