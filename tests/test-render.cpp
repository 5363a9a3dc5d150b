// test-render.cpp — short renders decoded back: codec, size, fps, duration,
// audio, faststart, and visual events (frame-difference peaks) on the beats.
#include <gtest/gtest.h>

#include <array>
#include <cmath>

#include "mv/base/error.hpp"
#include "mv/render/generate.hpp"
#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

/// A stereo 44.1 kHz WAV of clicks at `bpm`; returns the click times.
std::vector<double> make_click_wav(const std::filesystem::path& path, double bpm, double seconds,
                                   mvtest::Rhythm rhythm = mvtest::Rhythm::Click) {
  std::vector<double> beats;
  const auto mono = mvtest::synth_rhythm(rhythm, bpm, seconds, 44100, &beats);
  std::vector<float> stereo;
  for (float s : mono) {
    stereo.push_back(s);
    stereo.push_back(s);
  }
  mvtest::write_wav(path, stereo, 44100, 2);
  return beats;
}

mv::GenerateRequest small_request(const std::filesystem::path& in, const std::filesystem::path& out,
                                  const std::string& style) {
  mv::GenerateRequest req;
  req.input = in;
  req.output = out;
  req.video.framing.size = std::make_pair(320, 180);
  req.video.framing.fps = 30;
  req.video.look.name = style;
  req.video.preset = "ultrafast";
  return req;
}

/// Fraction of beats that have a frame-difference peak within one frame.
double beats_with_a_peak(const std::vector<double>& beats, const std::vector<std::size_t>& peaks, double fps,
                         double until_s) {
  int hit = 0, total = 0;
  for (double b : beats) {
    if (b > until_s - 0.1) break;
    ++total;
    const double frame = b * fps;
    for (auto p : peaks) {
      if (std::fabs(static_cast<double>(p) - frame) <= 1.0) {
        ++hit;
        break;
      }
    }
  }
  return total == 0 ? 0.0 : static_cast<double>(hit) / total;
}

/// Fraction of peaks that lie within one frame of a beat.
double peaks_on_beats(const std::vector<double>& beats, const std::vector<std::size_t>& peaks, double fps) {
  if (peaks.empty()) return 0.0;
  int on = 0;
  for (auto p : peaks) {
    for (double b : beats) {
      if (std::fabs(static_cast<double>(p) - b * fps) <= 1.0) {
        ++on;
        break;
      }
    }
  }
  return static_cast<double>(on) / static_cast<double>(peaks.size());
}

class StyleRender : public testing::TestWithParam<std::string> {};

TEST_P(StyleRender, DecodesBackWithTheRightStreamsAndFlashesOnTheBeats) {
  mvtest::TempDir dir;
  const auto beats = make_click_wav(dir / "clicks.wav", 120, 8.0);
  const auto out = dir / "out.mp4";
  const auto result = mv::generate(small_request(dir / "clicks.wav", out, GetParam()));
  EXPECT_EQ(result.output, out);
  EXPECT_NEAR(result.tempo_bpm, 120.0, 2.4);

  const auto v = mvtest::probe_video(out);
  EXPECT_EQ(v.video_codec, "h264");
  EXPECT_EQ(v.pix_fmt, "yuv420p");
  EXPECT_EQ(v.width, 320);
  EXPECT_EQ(v.height, 180);
  EXPECT_NEAR(v.fps, 30.0, 1e-6);
  EXPECT_EQ(v.audio_codec, "aac");
  EXPECT_EQ(v.audio_rate, 44100);
  EXPECT_TRUE(v.moov_before_mdat);
  EXPECT_NEAR(v.video_duration_s, 8.0, 1.0 / 30.0);
  EXPECT_NEAR(v.audio_duration_s, 8.0, 0.03);
  EXPECT_NEAR(v.video_duration_s, v.audio_duration_s, 1.0 / 30.0);

  const auto frames = mvtest::grey_frames(out, 64, 36);
  ASSERT_EQ(static_cast<long>(frames.size()), v.frames);
  const auto peaks = mvtest::difference_peaks(mvtest::frame_differences(frames), 1.0);
  EXPECT_GE(beats_with_a_peak(beats, peaks, 30.0, 8.0), 0.9) << peaks.size() << " peaks";
  EXPECT_GE(peaks_on_beats(beats, peaks, 30.0), 0.8) << peaks.size() << " peaks";
}

INSTANTIATE_TEST_SUITE_P(AudioReactiveStyles, StyleRender, testing::Values("bars", "wave", "pulse", "halo", "club", "retro", "lofi", "cinema"));

TEST(StylesLookDifferent, SameSongThreeStylesGiveDifferentPictures) {
  mvtest::TempDir dir;
  make_click_wav(dir / "c.wav", 100, 3.0, mvtest::Rhythm::Drums);
  std::vector<std::vector<unsigned char>> middle;
  for (const std::string style : {"bars", "wave", "pulse"}) {
    const auto out = dir / (style + ".mp4");
    mv::generate(small_request(dir / "c.wav", out, style));
    const auto frames = mvtest::grey_frames(out, 64, 36);
    ASSERT_GT(frames.size(), 45u);
    middle.push_back(frames[45]);
  }
  for (std::size_t a = 0; a < middle.size(); ++a) {
    for (std::size_t b = a + 1; b < middle.size(); ++b) {
      EXPECT_GT(mvtest::frame_differences({middle[a], middle[b]})[1], 5.0) << a << " vs " << b;
    }
  }
}

TEST(Montage, CutsOnBeatsWithPhotosAndClipsAndKeepsTheSong) {
  mvtest::TempDir dir;
  const auto beats = make_click_wav(dir / "song.wav", 120, 10.0, mvtest::Rhythm::Drums);
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=red:size=320x240 -frames:v 1 " + (dir / "a.png").string()));
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=blue:size=640x480 -frames:v 1 " + (dir / "b.jpg").string()));
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -t 3 -pix_fmt yuv420p " + (dir / "c.mp4").string()));
  auto req = small_request(dir / "song.wav", dir / "out.mp4", "montage");
  req.video.clips = {dir / "a.png", dir / "b.jpg", dir / "c.mp4"};
  const auto result = mv::generate(req);
  // The plan: shots cut on beats, one source after another.
  const auto& video = result.timeline.tracks.at(0);
  ASSERT_GE(video.segments.size(), 3u);
  for (std::size_t i = 1; i < video.segments.size(); ++i) {
    const double cut = static_cast<double>(video.segments[i].start_ms) / 1000.0;
    double nearest = 1e9;
    for (double b : beats) nearest = std::min(nearest, std::fabs(b - cut));
    EXPECT_LT(nearest, 1.0 / 30.0) << "cut at " << cut;
  }
  const auto v = mvtest::probe_video(dir / "out.mp4");
  EXPECT_EQ(v.audio_codec, "aac");
  EXPECT_NEAR(v.video_duration_s, 10.0, 1.0 / 30.0);
  // Every cut shows as a big frame difference on its frame.
  const auto d = mvtest::frame_differences(mvtest::grey_frames(dir / "out.mp4", 64, 36));
  for (std::size_t i = 1; i < video.segments.size(); ++i) {
    const auto frame = static_cast<std::size_t>(std::llround(static_cast<double>(video.segments[i].start_ms) / 1000.0 * 30.0));
    double best = 0.0;
    for (std::size_t f = frame > 0 ? frame - 1 : 0; f <= frame + 1 && f < d.size(); ++f) best = std::max(best, d[f]);
    EXPECT_GT(best, 5.0) << "no visible cut at frame " << frame;
  }
}

TEST(Title, IsDrawnInTheFirstSecondsOnly) {
  mvtest::TempDir dir;
  make_click_wav(dir / "s.wav", 90, 6.0);
  auto with = small_request(dir / "s.wav", dir / "with.mp4", "bars");
  with.video.captions.title = "Hello Title";
  auto without = small_request(dir / "s.wav", dir / "without.mp4", "bars");
  const auto result = mv::generate(with);
  mv::generate(without);
  EXPECT_NE(result.timeline.summary().find("Title: \"Hello Title\" (0-4s)"), std::string::npos)
      << result.timeline.summary();
  const auto a = mvtest::grey_frames(dir / "with.mp4", 64, 36);
  const auto b = mvtest::grey_frames(dir / "without.mp4", 64, 36);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_GT(mvtest::frame_differences({a[60], b[60]})[1], 1.0);   // 2 s: title visible
  EXPECT_LT(mvtest::frame_differences({a[150], b[150]})[1], 0.5);  // 5 s: gone
}

/// Mean R, G, B of the frame at `time_s`, decoded by the ffmpeg CLI.
std::array<double, 3> mean_rgb(const std::filesystem::path& video, double time_s) {
  const auto r = mvtest::run_stdout("ffmpeg -nostdin -v error -ss " + std::to_string(time_s) + " -i " +
                                    mvtest::shell_quote(video.string()) +
                                    " -frames:v 1 -s 32x18 -f rawvideo -pix_fmt rgb24 -");
  std::array<double, 3> mean{0, 0, 0};
  for (std::size_t i = 0; i + 2 < r.output.size(); i += 3) {
    for (std::size_t c = 0; c < 3; ++c) mean[c] += static_cast<unsigned char>(r.output[i + c]);
  }
  for (auto& m : mean) m /= static_cast<double>(r.output.size() / 3);
  return mean;
}

TEST(Sections, ASectionChangeChangesTheLook) {
  // Soft clicks for 20 s, then loud drums: the analysis finds a section change
  // near 20 s and the bars style changes palette and layout there.
  mvtest::TempDir dir;
  auto soft = mvtest::synth_rhythm(mvtest::Rhythm::Click, 120, 20.0, 44100, nullptr);
  for (auto& x : soft) x *= 0.1f;
  const auto loud = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 120, 20.0, 44100, nullptr);
  soft.insert(soft.end(), loud.begin(), loud.end());
  mvtest::write_wav(dir / "two-parts.wav", soft, 44100, 1);
  const auto result = mv::generate(small_request(dir / "two-parts.wav", dir / "out.mp4", "bars"));
  const auto& sections = result.timeline.tracks.at(0).segments;
  ASSERT_GE(sections.size(), 2u);
  const double change = static_cast<double>(sections[1].start_ms) / 1000.0;
  EXPECT_NEAR(change, 20.0, 2.0);
  // Compare frames between beats (no flash) 3 s before and after the change.
  const auto before = mean_rgb(dir / "out.mp4", change - 2.75);
  const auto after = mean_rgb(dir / "out.mp4", change + 2.75);
  double distance = 0.0;
  for (std::size_t c = 0; c < 3; ++c) distance += (before[c] - after[c]) * (before[c] - after[c]);
  EXPECT_GT(std::sqrt(distance), 8.0) << "mean colour barely changed across the section boundary";
}

TEST(Excerpt, StartAndDurationCutTheAudio) {
  mvtest::TempDir dir;
  make_click_wav(dir / "s.wav", 120, 10.0);
  auto req = small_request(dir / "s.wav", dir / "out.mp4", "bars");
  req.excerpt.start_s = 2.0;
  req.excerpt.duration_s = 3.0;
  mv::generate(req);
  const auto v = mvtest::probe_video(dir / "out.mp4");
  EXPECT_NEAR(v.video_duration_s, 3.0, 1.0 / 30.0);
  EXPECT_NEAR(v.audio_duration_s, 3.0, 0.03);
}

TEST(Cancel, StopsAndLeavesNothing) {
  mvtest::TempDir dir;
  make_click_wav(dir / "s.wav", 120, 20.0);
  mv::CancelToken cancel;
  auto req = small_request(dir / "s.wav", dir / "out.mp4", "bars");
  try {
    mv::generate(req, [&](mv::Stage stage, double f) { if (stage == mv::Stage::Render && f > 0.2) cancel.request(); }, &cancel);
    FAIL() << "not cancelled";
  } catch (const mv::Error& e) {
    EXPECT_EQ(e.code(), mv::ErrorCode::Cancelled);
  }
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) files += entry.path().filename() != "s.wav";
  EXPECT_EQ(files, 0);
}

}  // namespace
