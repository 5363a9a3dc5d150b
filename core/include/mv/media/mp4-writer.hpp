// mp4-writer.hpp — encodes canvases to H.264 (libx264, or a hardware encoder:
// NVENC, Quick Sync, VA-API) and float PCM to AAC, and muxes both into an MP4
// with +faststart.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "mv/media/canvas.hpp"

namespace mv {

/// The --encoder choices: "auto", "x264", "nvenc", "vaapi", "qsv".
const std::vector<std::string>& video_encoder_names();

/// Encoder settings of one output file.
struct Mp4Settings {
  int width = 1920, height = 1080;  ///< pixels, even
  int fps = 30;                     ///< constant frame rate
  std::string preset = "veryfast";  ///< x264 preset
  int crf = 23;                     ///< x264 constant rate factor
  int threads = 0;                  ///< x264 threads, 0 = auto
  /// "x264" (libx264), "nvenc", "qsv", "vaapi", or "auto": the hardware
  /// encoders first, then libx264 with a note (encoder_note()).
  std::string encoder = "x264";
  int audio_rate = 48000;           ///< input PCM rate, Hz (resampled if AAC cannot take it)
  int audio_channels = 2;           ///< 1 or 2
  int audio_bitrate = 192000;       ///< bit/s
  /// When set: the video is not encoded but copied packet for packet (no
  /// re-encode, bit-identical) from this file's best video stream, its
  /// timestamps moved so the file's start is 0 and its rotation kept; the
  /// size, fps, preset, crf, threads and encoder above are then unused.
  std::filesystem::path copy_video_from;
};

/// Time spent on the calling thread, seconds.
struct Mp4Timings {
  double encode_s = 0.0;  ///< in avcodec send/receive (video and audio)
  double mux_s = 0.0;     ///< in av_interleaved_write_frame and the trailer (faststart rewrite)
};

/// True when the best video stream of `path` can be copied into an MP4 as it
/// is (Mp4Settings::copy_video_from): the MP4 muxer takes its codec (H.264,
/// HEVC, AV1, VP9, MPEG-4, …; not VP8 or Theora). False for a file FFmpeg
/// cannot read or without video.
bool mp4_can_copy_video(const std::filesystem::path& path);

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
  /// A software encoder that lets go of the first frame inside the call (libx264
  /// copies each picture) is then lent the canvas's planes instead of a copy of
  /// them; the canvas may be drawn on again as soon as this returns.
  /// Error{Internal} when the video is copied (Mp4Settings::copy_video_from), or
  /// should an encoder keep a lent frame.
  void write_video(const Canvas& frame);
  /// With Mp4Settings::copy_video_from: copies the source's video packets
  /// whose decoding time is before `seconds` (call it as the audio advances, so
  /// the muxer interleaves without holding the whole video). Returns false once
  /// the source has no more packets. Errors: Error{Output} as writing.
  bool copy_video_until(double seconds);
  /// Encodes interleaved float PCM (`frames` sample frames at audio_rate/audio_channels).
  void write_audio(const float* interleaved, std::size_t frames);
  /// Flushes both encoders and writes the trailer (moves the index to the front).
  void finish();
  [[nodiscard]] const Mp4Timings& timings() const;
  /// Seconds of audio written so far (at the input rate).
  [[nodiscard]] double audio_seconds() const;
  /// The H.264 encoder that opened: "x264", "nvenc", "qsv" or "vaapi".
  [[nodiscard]] const std::string& encoder_id() const;
  /// One line when "auto" found no hardware encoder and fell back to libx264, else "".
  [[nodiscard]] const std::string& encoder_note() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mv
