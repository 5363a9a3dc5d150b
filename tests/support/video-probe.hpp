// video-probe.hpp — reading back a rendered MP4 in tests: stream facts from
// ffprobe, and small grey frames from ffmpeg for frame-difference checks.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace mvtest {

/// What ffprobe says of an output file.
struct ProbedVideo {
  std::string video_codec, pix_fmt, audio_codec;
  int width = 0, height = 0;
  double fps = 0.0;
  double video_duration_s = 0.0, audio_duration_s = 0.0;
  long frames = 0;
  int audio_rate = 0;
  bool moov_before_mdat = false;  ///< +faststart
};

/// Runs ffprobe on `path`. Throws std::runtime_error when ffprobe fails.
ProbedVideo probe_video(const std::filesystem::path& path);

/// Decodes every frame scaled to w × h grey (8-bit) pixels.
std::vector<std::vector<unsigned char>> grey_frames(const std::filesystem::path& path, int w, int h);

/// Decodes every frame scaled to w × h packed R'G'B' (3 bytes per pixel, full range).
std::vector<std::vector<unsigned char>> rgb_frames(const std::filesystem::path& path, int w, int h);

/// Mean absolute difference between consecutive frames: d[i] is between frame i-1 and i (d[0] = 0).
std::vector<double> frame_differences(const std::vector<std::vector<unsigned char>>& frames);

/// Indices of local maxima of `d` that stand above mean + k·sd.
std::vector<std::size_t> difference_peaks(const std::vector<double>& d, double k);

}  // namespace mvtest
