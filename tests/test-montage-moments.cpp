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

/// A `song_s` long montage of `rec` (320x180) to a 120 BPM drum track, written
/// to `dir`/montage.mp4; the result holds the planned shots.
mv::GenerateResult montage_of(const mvtest::TempDir& dir, const fs::path& rec, double song_s = 24.0) {
  const auto mono = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 120, song_s, 44100, nullptr);
  mvtest::write_wav(dir / "song.wav", mono, 44100, 1);
  mv::GenerateRequest req;
  req.input = dir / "song.wav";
  req.output = dir / "montage.mp4";
  req.video.framing.size = std::make_pair(320, 180);
  req.video.preset = "ultrafast";
  req.video.clips = {rec};
  req.video.captions.title_card = false;
  return mv::generate(req);
}

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
  const auto result = montage_of(dir, rec, 12.0);
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
  const auto frames = mvtest::grey_frames(dir / "montage.mp4", 64, 36);
  ASSERT_GT(frames.size(), 300u);
  for (std::size_t k = 0; k < frames.size(); ++k) {
    double sum = 0.0;
    for (std::size_t i = 64 * 10; i < 64 * 26; ++i) sum += frames[k][i];
    ASSERT_GT(sum / (64 * 16), 30.0) << "frame " << k << " is black";
  }
}

}  // namespace

namespace {

/// A 90 s "stream recording" (issue 26): 30 s of a dark "starting soon" card
/// with a countdown (alive, not lively), 30 s of moving pictures (the
/// gameplay: FFmpeg's mandelbrot zoom), 30 s of a still scene with sensor
/// noise (frozen but never bit-identical); OBS's 2 s key frames.
fs::path stream_recording(const mvtest::TempDir& dir, double lively_s) {
  const fs::path rec = dir / "stream.mp4";
  const std::string lively = std::to_string(lively_s);
  EXPECT_TRUE(mvtest::ffmpeg(
      "-f lavfi -i \"color=0x101830:s=320x180:d=30:r=30,drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:"
      "text='STARTING SOON %{eif\\:30-t\\:d}':fontcolor=0x8090a0:fontsize=16:x=(w-tw)/2:y=(h-th)/2\" "
      "-f lavfi -i mandelbrot=s=320x180:r=30,trim=duration=" + lively +
      " -f lavfi -i \"testsrc2=s=320x180:d=1:r=30,trim=end_frame=1,loop=899:1,noise=alls=4:allf=t,setpts=N/30/TB\" "
      "-f lavfi -i sine=frequency=220:duration=90 -filter_complex \"[0][1][2]concat=n=3:v=1:a=0,format=yuv420p[v]\" "
      "-map \"[v]\" -map 3:a -c:v libx264 -preset ultrafast -g 60 -c:a aac -shortest " + shell_quote(rec.string())));
  return rec;
}


TEST(MontageMoments, NoDullShotWhileLivelyFootageIsLeft) {
  mvtest::TempDir dir;
  const auto result = montage_of(dir, stream_recording(dir, 30.0));
  double shown = 0.0;
  for (const auto& s : result.timeline.tracks.at(0).segments) {
    const double in = s.extra["in_s"].get<double>(), out = in + static_cast<double>(s.duration_ms) / 1000.0;
    EXPECT_TRUE(in >= 30.0 - 1e-6 && out <= 60.0 + 1e-6) << "shot " << in << "-" << out << " s is not the gameplay";
    EXPECT_FALSE(s.extra.contains("speed")) << "30 s of gameplay fill 24 s without showing a moment twice";
    shown += out - in;
  }
  EXPECT_NEAR(shown, 24.0, 0.1);
  for (const auto& n : result.notes) EXPECT_EQ(n.find("lively footage"), std::string::npos) << n;
}

TEST(MontageMoments, WhenLivelyFootageRunsOutItIsShownAgainBeforeAnythingDull) {
  mvtest::TempDir dir;
  // 14 s of gameplay for 24 s of shots: about ten seconds' worth come back, slower and closer.
  const auto result = montage_of(dir, stream_recording(dir, 14.0));
  int reused = 0;
  for (const auto& s : result.timeline.tracks.at(0).segments) {
    const double speed = s.extra.value("speed", 1.0);
    const double in = s.extra["in_s"].get<double>(), out = in + speed * static_cast<double>(s.duration_ms) / 1000.0;
    EXPECT_TRUE(in >= 30.0 - 1e-6 && out <= 44.0 + 1e-6) << "shot " << in << "-" << out << " s is not the gameplay";
    if (s.extra.contains("speed")) {
      ++reused;
      EXPECT_DOUBLE_EQ(speed, 0.5);
      EXPECT_GT(s.extra["zoom"].get<double>(), 1.0);
    }
  }
  EXPECT_GE(reused, 1);
  bool said = false;
  for (const auto& n : result.notes) said = said || n.find("show a lively moment again, in slow motion") != std::string::npos;
  EXPECT_TRUE(said) << "the note says the moments were reused";
  for (const auto& n : result.notes) EXPECT_EQ(n.find("dull footage"), std::string::npos) << n;
}

}  // namespace
