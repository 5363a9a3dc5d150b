// live-render.cpp — see live-render.hpp.
#include "live-render.hpp"

#include "mv/media/media.hpp"
#include "test-support.hpp"

namespace mvtest {

std::vector<float> stereo_drums(double bpm, double seconds, int sample_rate, float right_gain, std::vector<double>* beat_times) {
  const auto mono = synth_rhythm(Rhythm::Drums, bpm, seconds, sample_rate, beat_times);
  std::vector<float> stereo;
  stereo.reserve(2 * mono.size());
  for (float s : mono) {
    stereo.push_back(s);
    stereo.push_back(s * right_gain);
  }
  return stereo;
}

std::filesystem::path render_live_raw(const std::filesystem::path& song, const std::string& look, const std::string& extra_args,
                                      const std::filesystem::path& dir, std::string* output) {
  const std::filesystem::path out = dir / "live.mp4", raw = dir / "live.yuv";
  const auto r = run_command(shell_quote(mvgen_path()) + " generate " + shell_quote(song.string()) + " -o " + shell_quote(out.string()) +
                             " " + extra_args + " --analysis live --look " + shell_quote(look) +
                             " --size 320x180 --crf 0 --preset ultrafast --no-title --quiet");
  if (output != nullptr) *output = r.output;
  if (r.exit_code != 0) return {};
  if (!ffmpeg("-i " + shell_quote(out.string()) + " -f rawvideo -pix_fmt yuv420p " + shell_quote(raw.string()))) return {};
  return raw;
}

std::vector<float> decoded_samples(const std::filesystem::path& song, double from_s) {
  mv::AudioReader reader(song, 0, 0, from_s);
  std::vector<float> samples, chunk;
  while (reader.read(chunk)) {
    samples.insert(samples.end(), chunk.begin(), chunk.end());
    chunk.clear();
  }
  return samples;
}

}  // namespace mvtest
