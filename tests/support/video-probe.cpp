// video-probe.cpp — see video-probe.hpp.
#include "video-probe.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "test-support.hpp"

namespace mvtest {

namespace {

double rational(const std::string& r) {
  const auto slash = r.find('/');
  if (slash == std::string::npos) return std::stod(r);
  const double den = std::stod(r.substr(slash + 1));
  return den == 0 ? 0.0 : std::stod(r.substr(0, slash)) / den;
}

}  // namespace

ProbedVideo probe_video(const std::filesystem::path& path) {
  const auto r = run_stdout("ffprobe -v error -count_packets -show_streams -of json " + shell_quote(path.string()));
  if (r.exit_code != 0) throw std::runtime_error("ffprobe failed: " + r.output);
  const auto j = nlohmann::json::parse(r.output);
  ProbedVideo v;
  for (const auto& s : j["streams"]) {
    if (s["codec_type"] == "video") {
      v.video_codec = s.value("codec_name", "");
      v.pix_fmt = s.value("pix_fmt", "");
      v.width = s.value("width", 0);
      v.height = s.value("height", 0);
      v.fps = rational(s.value("avg_frame_rate", "0/1"));
      v.video_duration_s = std::stod(s.value("duration", "0"));
      v.frames = std::stol(s.value("nb_read_packets", "0"));
    } else if (s["codec_type"] == "audio") {
      v.audio_codec = s.value("codec_name", "");
      v.audio_duration_s = std::stod(s.value("duration", "0"));
      v.audio_rate = std::stoi(s.value("sample_rate", "0"));
    }
  }
  std::ifstream in(path, std::ios::binary);
  const std::string head((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto moov = head.find("moov"), mdat = head.find("mdat");
  v.moov_before_mdat = moov != std::string::npos && mdat != std::string::npos && moov < mdat;
  return v;
}

namespace {

/// Every frame scaled to w × h as raw `pix_fmt` pixels of `bytes` bytes each.
std::vector<std::vector<unsigned char>> raw_frames(const std::filesystem::path& path, int w, int h, const char* pix_fmt,
                                                   std::size_t bytes) {
  const std::string cmd = "ffmpeg -nostdin -v error -i " + shell_quote(path.string()) + " -vf scale=" +
                          std::to_string(w) + ":" + std::to_string(h) + " -f rawvideo -pix_fmt " + pix_fmt + " -";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run ffmpeg");
  std::vector<std::vector<unsigned char>> frames;
  const auto size = static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * bytes;
  for (;;) {
    std::vector<unsigned char> f(size);
    if (std::fread(f.data(), 1, size, pipe) != size) break;
    frames.push_back(std::move(f));
  }
  pclose(pipe);
  return frames;
}

}  // namespace

std::vector<std::vector<unsigned char>> grey_frames(const std::filesystem::path& path, int w, int h) {
  return raw_frames(path, w, h, "gray", 1);
}

std::vector<std::vector<unsigned char>> rgb_frames(const std::filesystem::path& path, int w, int h) {
  return raw_frames(path, w, h, "rgb24", 3);
}

std::vector<double> frame_differences(const std::vector<std::vector<unsigned char>>& frames) {
  std::vector<double> d(frames.size(), 0.0);
  for (std::size_t i = 1; i < frames.size(); ++i) {
    double s = 0.0;
    for (std::size_t p = 0; p < frames[i].size(); ++p) s += std::abs(int(frames[i][p]) - int(frames[i - 1][p]));
    d[i] = s / static_cast<double>(frames[i].size());
  }
  return d;
}

std::vector<std::size_t> difference_peaks(const std::vector<double>& d, double k) {
  double mean = 0.0, var = 0.0;
  for (double v : d) mean += v;
  mean /= static_cast<double>(std::max<std::size_t>(1, d.size()));
  for (double v : d) var += (v - mean) * (v - mean);
  const double threshold = mean + k * std::sqrt(var / static_cast<double>(std::max<std::size_t>(1, d.size())));
  std::vector<std::size_t> peaks;
  for (std::size_t i = 1; i + 1 < d.size(); ++i) {
    if (d[i] > threshold && d[i] >= d[i - 1] && d[i] >= d[i + 1]) peaks.push_back(i);
  }
  return peaks;
}

}  // namespace mvtest
