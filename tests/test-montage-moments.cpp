// test-montage-moments.cpp — footage that keeps the eye (issue 10, point 3): a
// montage from a recording longer than the song takes its shots from the
// lively parts, never from its black opening or its frozen pause, each moment
// once, spread over the recording, and no output frame is black.
#include <gtest/gtest.h>

#include <algorithm>

#include "mv/render/generate.hpp"
#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using mvtest::shell_quote;

TEST(MontageMoments, ShotsComeFromTheLivelyPartsOnceEachAndSpreadOut) {
  mvtest::TempDir dir;
  // 60 s "recording": 20 s black (a stream's "starting soon"), 10 s moving test
  // pattern, 10 s frozen "PAUSED" card, 20 s of a moving fractal; a key frame
  // every 2 s, as OBS records.
  const fs::path rec = dir / "recording.mp4";
  ASSERT_TRUE(mvtest::ffmpeg(
      "-f lavfi -i color=black:s=320x180:d=20:r=30 -f lavfi -i testsrc2=s=320x180:d=10:r=30 "
      "-f lavfi -i color=0x4080c0:s=320x180:d=10:r=30 -f lavfi -i mandelbrot=s=320x180:r=30,trim=duration=20 "
      "-f lavfi -i sine=frequency=300:duration=60 -filter_complex \"[0][1][2][3]concat=n=4:v=1:a=0,format=yuv420p[v]\" "
      "-map \"[v]\" -map 4:a -c:v libx264 -preset ultrafast -g 60 -c:a aac " + shell_quote(rec.string())));
  const auto mono = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 120, 12.0, 44100, nullptr);
  mvtest::write_wav(dir / "song.wav", mono, 44100, 1);

  mv::GenerateRequest req;
  req.input = dir / "song.wav";
  req.output = dir / "montage.mp4";
  req.video.width = 320;
  req.video.height = 180;
  req.video.preset = "ultrafast";
  req.video.clips = {rec};
  req.video.title_card = false;
  const auto result = mv::generate(req);
  const auto& shots = result.timeline.tracks.at(0).segments;
  ASSERT_GE(shots.size(), 3u);
  std::vector<std::pair<double, double>> windows;
  for (const auto& s : shots) {
    ASSERT_TRUE(s.extra.contains("in_s")) << "every shot has its moment";
    const double in = s.extra["in_s"].get<double>(), out = in + static_cast<double>(s.duration_ms) / 1000.0;
    const bool pattern = in >= 20.0 && out <= 30.0 + 1e-6, fractal = in >= 40.0 && out <= 60.0 + 1e-6;
    EXPECT_TRUE(pattern || fractal) << "shot " << in << "-" << out << " s shows the black opening or the pause";
    windows.emplace_back(in, out);
  }
  std::sort(windows.begin(), windows.end());
  for (std::size_t i = 1; i < windows.size(); ++i) {
    EXPECT_LE(windows[i - 1].second, windows[i].first + 1e-6) << "moments used once: no overlap";
  }
  EXPECT_GT(windows.back().first - windows.front().first, 15.0) << "spread over the recording";
  // The output: no black frame (the middle rows, clear of the letterbox bars).
  const auto frames = mvtest::grey_frames(req.output, 64, 36);
  ASSERT_GT(frames.size(), 300u);
  for (std::size_t k = 0; k < frames.size(); ++k) {
    double sum = 0.0;
    for (std::size_t i = 64 * 10; i < 64 * 26; ++i) sum += frames[k][i];
    ASSERT_GT(sum / (64 * 16), 30.0) << "frame " << k << " is black";
  }
}

}  // namespace
