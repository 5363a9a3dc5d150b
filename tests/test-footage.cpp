// test-footage.cpp — the user's pictures come first (issue 10, point 1): a
// video input's own pictures are the video (the output's frames show the
// input's frames at the same times, an excerpt's too; `--footage off` gives the
// visualizer; an audio input never gets the footage style), and a song's
// embedded cover art or `--image FILE` is the visualizer's backdrop.
#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using mvtest::shell_quote;

constexpr int kW = 64, kH = 36;  // grey thumbnails compared frame by frame

/// A 6 s "recording": testsrc2 (moving patterns and a running timecode, every
/// frame different) with the sample's sound.
fs::path make_recording(const mvtest::TempDir& dir) {
  const fs::path out = dir / "recording.mp4";
  const fs::path song = mvtest::sample_dir() / "chaos-god.ogg";
  EXPECT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=size=640x360:rate=30 -ss 40 -t 6 -i " + shell_quote(song.string()) +
                             " -t 6 -c:v libx264 -preset ultrafast -g 30 -c:a aac -shortest " + shell_quote(out.string())));
  return out;
}

mvtest::CommandResult mvgen(const std::string& args) {
  return mvtest::run_command(shell_quote(mvtest::mvgen_path()) + " " + args + " 2>&1");
}

/// Mean absolute difference of two thumbnails over their top 80 % (the
/// spectrum strip along the bottom is ours, not the input's).
double difference(const std::vector<unsigned char>& a, const std::vector<unsigned char>& b) {
  double sum = 0.0;
  const int rows = kH * 8 / 10;
  for (int i = 0; i < kW * rows; ++i) sum += std::abs(static_cast<int>(a[static_cast<std::size_t>(i)]) - b[static_cast<std::size_t>(i)]);
  return sum / (kW * rows);
}

/// For output frames k (every 10th, skipping beat punches' worst by using the
/// best match), the input frame that looks most like it. Returns the offsets
/// (input index − output index − shift) of the best matches.
std::vector<long> best_match_offsets(const std::vector<std::vector<unsigned char>>& out,
                                     const std::vector<std::vector<unsigned char>>& in, long shift) {
  std::vector<long> offsets;
  for (std::size_t k = 5; k < out.size(); k += 10) {
    double best = std::numeric_limits<double>::max();
    long arg = -1;
    for (std::size_t j = 0; j < in.size(); ++j) {
      const double d = difference(out[k], in[j]);
      if (d < best) best = d, arg = static_cast<long>(j);
    }
    offsets.push_back(arg - static_cast<long>(k) - shift);
  }
  return offsets;
}

TEST(Footage, AVideoInputsOwnPicturesAreTheVideoInSyncWithItsSound) {
  if (!fs::exists(mvtest::sample_dir() / "chaos-god.ogg")) GTEST_SKIP() << "no sample song";
  mvtest::TempDir dir;
  const fs::path rec = make_recording(dir);
  const auto r = mvgen("generate " + shell_quote(rec.string()) + " -o " + shell_quote((dir / "out.mp4").string()) +
                       " --size 320x180 --preset ultrafast --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // The default look for footage, over the input's own pictures.
  EXPECT_NE(r.output.find("\"look\":\"cinema\""), std::string::npos) << r.output;
  const auto out = mvtest::grey_frames(dir / "out.mp4", kW, kH);
  const auto in = mvtest::grey_frames(rec, kW, kH);
  ASSERT_GE(out.size(), 170u);
  ASSERT_GE(in.size(), 170u);
  int exact = 0;
  const auto offsets = best_match_offsets(out, in, 0);
  for (long o : offsets) exact += std::abs(o) <= 1 ? 1 : 0;  // the same moment, within one frame
  EXPECT_GE(exact, static_cast<int>(offsets.size()) - 1) << "the picture is not the input's at the same time";
}

TEST(Footage, AnExcerptShowsThePicturesOfThatExcerpt) {
  if (!fs::exists(mvtest::sample_dir() / "chaos-god.ogg")) GTEST_SKIP() << "no sample song";
  mvtest::TempDir dir;
  const fs::path rec = make_recording(dir);
  const auto r = mvgen("generate " + shell_quote(rec.string()) + " -o " + shell_quote((dir / "ex.mp4").string()) +
                       " --start 2 --duration 3 --size 320x180 --preset ultrafast --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto out = mvtest::grey_frames(dir / "ex.mp4", kW, kH);
  const auto in = mvtest::grey_frames(rec, kW, kH);
  ASSERT_GE(out.size(), 85u);
  int exact = 0;
  const auto offsets = best_match_offsets(out, in, 60);  // output frame k is input frame 60 + k (2 s at 30 fps)
  for (long o : offsets) exact += std::abs(o) <= 1 ? 1 : 0;
  EXPECT_GE(exact, static_cast<int>(offsets.size()) - 1) << "the excerpt's pictures are not the excerpt's";
}

TEST(Footage, FootageOffGivesTheVisualizerAndAudioNeverGetsFootage) {
  if (!fs::exists(mvtest::sample_dir() / "chaos-god.ogg")) GTEST_SKIP() << "no sample song";
  mvtest::TempDir dir;
  const fs::path rec = make_recording(dir);
  auto r = mvgen("generate " + shell_quote(rec.string()) + " -o " + shell_quote((dir / "off.mp4").string()) +
                 " --footage off --size 320x180 --preset ultrafast --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"style\":\"bars\""), std::string::npos) << r.output;
  // An audio input: the visualizer by default, and the footage style is refused plainly.
  ASSERT_TRUE(mvtest::ffmpeg("-i " + shell_quote(rec.string()) + " -vn -c:a pcm_s16le " + shell_quote((dir / "song.wav").string())));
  r = mvgen("generate " + shell_quote((dir / "song.wav").string()) + " -o " + shell_quote((dir / "a.mp4").string()) +
            " --size 320x180 --preset ultrafast --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"look\":\"bars\""), std::string::npos) << r.output;  // the default audio look
  r = mvgen("generate " + shell_quote((dir / "song.wav").string()) + " -o " + shell_quote((dir / "b.mp4").string()) +
            " --style footage --size 320x180 --preset ultrafast");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("needs a video input"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "b.mp4"));
  r = mvgen("generate " + shell_quote(rec.string()) + " -o x.mp4 --footage maybe");
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

// A recording of a scene whose only source was the song: OBS writes black frames. The video
// is the visualizer over that sound, not 6 s of black under a title; asking for the footage
// still gives it.
TEST(Footage, ARecordingWithOnlyBlackPicturesGetsTheVisualizer) {
  if (!fs::exists(mvtest::sample_dir() / "chaos-god.ogg")) GTEST_SKIP() << "no sample song";
  mvtest::TempDir dir;
  const fs::path rec = dir / "2026-12-06 20-00-00.mkv";
  const fs::path song = mvtest::sample_dir() / "chaos-god.ogg";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=black:size=640x360:rate=30 -ss 40 -t 6 -i " + shell_quote(song.string()) +
                             " -t 6 -c:v libx264 -preset ultrafast -g 60 -c:a aac -shortest " + shell_quote(rec.string())));
  auto r = mvgen("generate " + shell_quote(rec.string()) + " -o " + shell_quote((dir / "out.mp4").string()) +
                 " --size 320x180 --preset ultrafast --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"look\":\"bars\""), std::string::npos) << r.output;  // the default audio look
  EXPECT_NE(r.output.find("pictures are black throughout"), std::string::npos) << r.output;
  const auto frames = mvtest::grey_frames(dir / "out.mp4", kW, kH);
  ASSERT_GE(frames.size(), 170u);
  const auto& mid = frames[frames.size() / 2];
  const auto [lo, hi] = std::minmax_element(mid.begin(), mid.end());
  EXPECT_GT(*hi - *lo, 60) << "the middle frame is flat: nothing drawn";
  // Asked for by name, the footage is what the user gets.
  r = mvgen("generate " + shell_quote(rec.string()) + " -o " + shell_quote((dir / "asked.mp4").string()) +
            " --style footage --size 320x180 --preset ultrafast --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("pictures are black throughout"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"look\":\"cinema\""), std::string::npos) << r.output;
}

/// The mean colour (R, G, B, 0..255) of the top-left 25 % × 20 % of the frame at
/// `at_s` (a region the bars style leaves to its background).
std::array<double, 3> corner_colour(const fs::path& video, double at_s) {
  const auto r = mvtest::run_stdout("ffmpeg -nostdin -v error -ss " + std::to_string(at_s) + " -i " +
                                    shell_quote(video.string()) +
                                    " -frames:v 1 -vf crop=iw/4:ih/5:0:0,scale=8:4 -f rawvideo -pix_fmt rgb24 -");
  std::array<double, 3> mean{};
  if (r.output.size() < 8 * 4 * 3) return mean;
  for (std::size_t i = 0; i < 8 * 4 * 3; ++i) mean[i % 3] += static_cast<unsigned char>(r.output[i]) / 32.0;
  return mean;
}

TEST(Pictures, CoverArtAndImageAreTheVisualizersBackdrop) {
  if (!fs::exists(mvtest::sample_dir() / "chaos-god.ogg")) GTEST_SKIP() << "no sample song";
  mvtest::TempDir dir;
  const fs::path song = mvtest::sample_dir() / "chaos-god.ogg";
  // A plain song, the same with a red cover, and a green picture for --image.
  ASSERT_TRUE(mvtest::ffmpeg("-ss 30 -t 3 -i " + shell_quote(song.string()) + " -c:a libmp3lame " +
                             shell_quote((dir / "plain.mp3").string())));
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=c=red:size=300x300 -frames:v 1 " + shell_quote((dir / "red.png").string())));
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=c=0x00c000:size=400x300 -frames:v 1 " + shell_quote((dir / "green.png").string())));
  ASSERT_TRUE(mvtest::ffmpeg("-i " + shell_quote((dir / "plain.mp3").string()) + " -i " + shell_quote((dir / "red.png").string()) +
                             " -map 0:a -map 1:v -c:a copy -c:v png -disposition:v attached_pic -id3v2_version 3 " +
                             shell_quote((dir / "covered.mp3").string())));
  const std::string opts = " --style bars --size 320x180 --preset ultrafast --quiet";
  for (const auto& [in, out, extra] : {std::tuple{"plain.mp3", "plain.mp4", ""}, std::tuple{"covered.mp3", "covered.mp4", ""},
                                       std::tuple{"plain.mp3", "image.mp4", " --image green.png"}}) {
    const auto r = mvtest::run_command("cd " + shell_quote(dir.path().string()) + " && " + shell_quote(mvtest::mvgen_path()) +
                                       " generate " + in + " -o " + out + opts + extra + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << in << extra << ": " << r.output;
  }
  const auto plain = corner_colour(dir / "plain.mp4", 1.5);
  const auto covered = corner_colour(dir / "covered.mp4", 1.5);
  const auto image = corner_colour(dir / "image.mp4", 1.5);
  // The red cover shows through its darkening: redder than the palette's gradient alone.
  EXPECT_GT(covered[0] - covered[2], plain[0] - plain[2] + 20) << "cover " << covered[0] << "," << covered[1] << ","
                                                                 << covered[2] << " plain " << plain[0] << "," << plain[1]
                                                                 << "," << plain[2];
  EXPECT_GT(image[1], plain[1] + 15) << "--image green " << image[1] << " plain " << plain[1];
  // A picture that is not there is a clear input error, and nothing is written.
  const auto bad = mvtest::run_command("cd " + shell_quote(dir.path().string()) + " && " + shell_quote(mvtest::mvgen_path()) +
                                       " generate plain.mp3 -o bad.mp4 --image missing.png" + opts + " 2>&1");
  EXPECT_EQ(bad.exit_code, 3) << bad.output;
  EXPECT_NE(bad.output.find("missing.png"), std::string::npos) << bad.output;
  EXPECT_FALSE(fs::exists(dir / "bad.mp4"));
}

}  // namespace
