// mp4-writer.hpp — encodes canvases to H.264 (libx264, yuv420p) and float PCM
// to AAC, and muxes both into an MP4 with +faststart.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "mv/media/canvas.hpp"

namespace mv {

/// Encoder settings of one output file.
struct Mp4Settings {
  int width = 1920, height = 1080;  ///< pixels, even
  int fps = 30;                     ///< constant frame rate
  std::string preset = "veryfast";  ///< x264 preset
  int crf = 23;                     ///< x264 constant rate factor
  int threads = 0;                  ///< x264 threads, 0 = auto
  int audio_rate = 48000;           ///< input PCM rate, Hz (resampled if AAC cannot take it)
  int audio_channels = 2;           ///< 1 or 2
  int audio_bitrate = 192000;       ///< bit/s
};

/// Time spent on the calling thread, seconds.
struct Mp4Timings {
  double encode_s = 0.0;  ///< in avcodec send/receive (video and audio)
  double mux_s = 0.0;     ///< in av_interleaved_write_frame and the trailer (faststart rewrite)
};

/// Writes one MP4. Frames get PTS = index / fps; audio PTS counts samples from 0,
/// so the audio keeps its timing exactly. Errors: Error{Output} when the file
/// cannot be created or written (message names the path and the reason),
/// Error{Media} when an encoder fails.
class Mp4Writer {
 public:
  Mp4Writer(const std::filesystem::path& path, const Mp4Settings& settings);
  ~Mp4Writer();
  Mp4Writer(const Mp4Writer&) = delete;
  Mp4Writer& operator=(const Mp4Writer&) = delete;

  /// Encodes the next video frame (canvas size must match the settings).
  void write_video(const Canvas& frame);
  /// Encodes interleaved float PCM (`frames` sample frames at audio_rate/audio_channels).
  void write_audio(const float* interleaved, std::size_t frames);
  /// Flushes both encoders and writes the trailer (moves the index to the front).
  void finish();
  [[nodiscard]] const Mp4Timings& timings() const;
  /// Seconds of audio written so far (at the input rate).
  [[nodiscard]] double audio_seconds() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mv
