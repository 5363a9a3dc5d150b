// test-support.cpp — see test-support.hpp.
#include "test-support.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>

namespace mvtest {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "mvtest-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

namespace {

CommandResult run_shell(const std::string& full) {
  CommandResult result;
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) result.output.append(buf.data(), n);
  int status = pclose(pipe);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_code = 128 + WTERMSIG(status);
  }
  return result;
}

}  // namespace

CommandResult run_command(const std::string& command) { return run_shell(command + " 2>&1"); }

CommandResult run_stdout(const std::string& command) { return run_shell(command + " 2>/dev/null"); }

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string mvgen_path() { return MVGEN_PATH; }

fs::path sample_dir() { return MV_SAMPLE_DIR; }

void write_wav(const fs::path& path, const std::vector<float>& samples, int sample_rate, int channels) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  auto put32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.put(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  auto put16 = [&](std::uint16_t v) {
    out.put(static_cast<char>(v & 0xff));
    out.put(static_cast<char>(v >> 8));
  };
  const auto data_bytes = static_cast<std::uint32_t>(samples.size() * 2);
  out.write("RIFF", 4);
  put32(36 + data_bytes);
  out.write("WAVEfmt ", 8);
  put32(16);
  put16(1);
  put16(static_cast<std::uint16_t>(channels));
  put32(static_cast<std::uint32_t>(sample_rate));
  put32(static_cast<std::uint32_t>(sample_rate * channels * 2));
  put16(static_cast<std::uint16_t>(channels * 2));
  put16(16);
  out.write("data", 4);
  put32(data_bytes);
  for (float s : samples) {
    const float c = std::fmax(-1.0f, std::fmin(1.0f, s));
    put16(static_cast<std::uint16_t>(static_cast<std::int16_t>(std::lround(c * 32767.0f))));
  }
}

std::vector<float> synth_rhythm(Rhythm rhythm, double bpm, double seconds, int sample_rate,
                                std::vector<double>* beat_times) {
  const auto n = static_cast<std::size_t>(seconds * sample_rate);
  std::vector<float> out(n);
  std::mt19937 rng(1234);
  std::normal_distribution<float> noise(0.0f, 0.001f);  // -60 dBFS floor
  for (auto& s : out) s = noise(rng);
  const double period = 60.0 / bpm;
  const double first = 0.5;  // first beat, s
  const double two_pi = 2.0 * M_PI;
  int index = 0;
  for (double t = first; t < seconds - 0.05; t += period, ++index) {
    if (beat_times != nullptr) beat_times->push_back(t);
    const auto start = static_cast<std::size_t>(t * sample_rate);
    const int in_bar = index % 4;
    if (rhythm == Rhythm::Click) {
      const double amp = in_bar == 0 ? 0.9 : 0.5;
      const double freq = in_bar == 0 ? 1500.0 : 1000.0;
      for (std::size_t i = 0; i < static_cast<std::size_t>(0.03 * sample_rate) && start + i < n; ++i) {
        const double tt = static_cast<double>(i) / sample_rate;
        out[start + i] += static_cast<float>(amp * std::exp(-tt / 0.006) * std::sin(two_pi * freq * tt));
      }
    } else if (in_bar == 0 || in_bar == 2) {  // kick: decaying pitch sweep 120 → 45 Hz
      double phase = 0.0;
      for (std::size_t i = 0; i < static_cast<std::size_t>(0.6 * sample_rate) && start + i < n; ++i) {
        const double tt = static_cast<double>(i) / sample_rate;
        const double f = 45.0 + 75.0 * std::exp(-tt / 0.03);
        phase += two_pi * f / sample_rate;
        out[start + i] += static_cast<float>(0.9 * std::exp(-tt / 0.08) * std::sin(phase));
      }
    } else {  // snare: noise burst + 180 Hz body
      std::uniform_real_distribution<float> white(-1.0f, 1.0f);
      for (std::size_t i = 0; i < static_cast<std::size_t>(0.35 * sample_rate) && start + i < n; ++i) {
        const double tt = static_cast<double>(i) / sample_rate;
        const double body = 0.4 * std::exp(-tt / 0.04) * std::sin(two_pi * 180.0 * tt);
        out[start + i] += static_cast<float>(0.5 * std::exp(-tt / 0.05) * white(rng) + body);
      }
    }
  }
  return out;
}

std::vector<float> synth_music(double bpm, double seconds, int sample_rate, std::vector<double>* beat_times) {
  auto music = synth_rhythm(Rhythm::Drums, bpm, seconds, sample_rate, beat_times);
  std::uint32_t seed = 12345;
  for (std::size_t i = 0; i < music.size(); ++i) {
    const double t = static_cast<double>(i) / sample_rate;
    seed = seed * 1664525u + 1013904223u;
    const double noise = (static_cast<double>(seed >> 8) / 16777216.0 - 0.5) * 0.02;
    music[i] += static_cast<float>(0.06 * (std::sin(2 * M_PI * 220 * t) + std::sin(2 * M_PI * 277.18 * t) + std::sin(2 * M_PI * 329.63 * t)) + noise);
  }
  return music;
}

double beat_f_measure(const std::vector<double>& reference, const std::vector<double>& estimated,
                      double tolerance_s) {
  if (reference.empty() || estimated.empty()) return 0.0;
  std::vector<bool> used(estimated.size(), false);
  std::size_t hits = 0;
  for (double r : reference) {
    for (std::size_t j = 0; j < estimated.size(); ++j) {
      if (!used[j] && std::fabs(estimated[j] - r) <= tolerance_s) {
        used[j] = true;
        ++hits;
        break;
      }
    }
  }
  const double precision = static_cast<double>(hits) / static_cast<double>(estimated.size());
  const double recall = static_cast<double>(hits) / static_cast<double>(reference.size());
  return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}

bool ffmpeg(const std::string& args) {
  return run_command("ffmpeg -nostdin -y -v error " + args).exit_code == 0;
}

bool with_exif_orientation(const std::filesystem::path& jpeg, int code, const std::filesystem::path& out) {
  std::ifstream in(jpeg, std::ios::binary);
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() < 2 || data.substr(0, 2) != std::string("\xff\xd8")) return false;
  std::string tiff("II*\0\x08\0\0\0", 8);                        // header, IFD at offset 8
  tiff += std::string("\x01\0", 2);                                 // one entry
  tiff += std::string("\x12\x01\x03\0\x01\0\0\0", 8);           // tag 274, SHORT, count 1
  tiff += std::string(1, static_cast<char>(code)) + std::string(3, '\0');  // the value, padded
  tiff += std::string(4, '\0');                                      // no next IFD
  const std::string payload = std::string("Exif\0\0", 6) + tiff;
  const std::size_t length = payload.size() + 2;
  const std::string app1 = std::string("\xff\xe1", 2) + static_cast<char>(length >> 8) + static_cast<char>(length & 0xff) + payload;
  std::ofstream(out, std::ios::binary) << data.substr(0, 2) << app1 << data.substr(2);
  return true;
}

std::set<std::string> file_names(const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

double power_db(const std::vector<float>& samples, int rate, double from_s, double to_s) {
  const auto a = static_cast<std::size_t>(std::max(0.0, from_s) * rate);
  const auto b = std::min(samples.size(), static_cast<std::size_t>(std::max(0.0, to_s) * rate));
  double sum = 0.0;
  for (std::size_t i = a; i < b; ++i) sum += static_cast<double>(samples[i]) * samples[i];
  return 10.0 * std::log10(std::max(1e-12, sum / static_cast<double>(std::max<std::size_t>(1, b > a ? b - a : 1))));
}

std::vector<float> treble_of(const std::filesystem::path& path, const std::filesystem::path& scratch) {
  const std::filesystem::path raw = scratch / "treble.f32";
  std::vector<float> out;
  if (!ffmpeg("-i " + shell_quote(path.string()) + " -af highpass=f=6000,highpass=f=6000,highpass=f=6000 -ac 1 -ar 48000 -f f32le " +
              shell_quote(raw.string()))) {
    return out;
  }
  std::ifstream in(raw, std::ios::binary);
  float v = 0.0f;
  while (in.read(reinterpret_cast<char*>(&v), sizeof v)) out.push_back(v);
  return out;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

}  // namespace mvtest
