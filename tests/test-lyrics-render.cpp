// test-lyrics-render.cpp — synced lyrics in the output frames (issue 11, point
// 4): a line is drawn from its time until it ends and not before or after, in
// the 9:16 safe area; the sung word is coloured as its time passes (karaoke);
// [offset:] and an excerpt's start move the lines; an .ass file keeps its own
// style and place; a file next to the song is found; a bad file fails with its
// line number and leaves nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using mvtest::shell_quote;
using mvtest::write_text;

/// A still gradient and nothing else, so that any difference between two renders is the text.
const char* kStillLook = R"({"name": "still", "description": "a still gradient", "background": "gradient",
  "visualizer": "none", "over_pictures": "none", "title": "none"})";

using Frame = std::vector<unsigned char>;

struct Fixture {
  mvtest::TempDir dir;
  fs::path song = dir / "song.wav";
  std::string env;
  Fixture() {
    EXPECT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=220:duration=6 -ac 2 " + shell_quote(song.string())));
    fs::create_directories(dir / "config" / "obs-music-video" / "looks");
    write_text(dir / "config" / "obs-music-video" / "looks" / "still.json", kStillLook);
    env = "XDG_CONFIG_HOME=" + shell_quote((dir / "config").string()) + " ";
  }
  /// mvgen generate on the song with the still look (neon palette: sung words pink) and `extra`.
  [[nodiscard]] mvtest::CommandResult generate(const std::string& out, const std::string& size, const std::string& extra) const {
    return mvtest::run_command(env + shell_quote(mvtest::mvgen_path()) + " generate " + shell_quote(song.string()) +
                               " -o " + shell_quote((dir / out).string()) + " --look still --palette neon --size " + size +
                               " --preset ultrafast --crf 8 " + extra);
  }
  [[nodiscard]] fs::path file(const std::string& name) const { return dir / name; }
};

/// Rows of two w-wide grey frames that differ by more than 24 somewhere.
std::vector<int> differing_rows(const Frame& a, const Frame& b, int w) {
  std::vector<int> rows;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (std::abs(int(a[i]) - int(b[i])) > 24 && (rows.empty() || rows.back() != static_cast<int>(i) / w)) {
      rows.push_back(static_cast<int>(i) / w);
    }
  }
  return rows;
}

TEST(LyricsRender, LinesShowAtTheirTimesInThePortraitSafeAreaFromAFileNextToTheSong) {
  Fixture fx;
  write_text(fx.file("song.lrc"), "[ti:Night Drive]\n[00:01.00]Hello there\n[00:02.50]\n[00:03.50]Second line\n[00:05.00]\n");
  auto r = fx.generate("with.mp4", "180x320", "");  // found next to the song
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Lyrics from"), std::string::npos) << r.output;
  r = fx.generate("without.mp4", "180x320", "--lyrics none");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("Lyrics from"), std::string::npos) << r.output;
  const auto with = mvtest::grey_frames(fx.file("with.mp4"), 180, 320);
  const auto without = mvtest::grey_frames(fx.file("without.mp4"), 180, 320);
  ASSERT_EQ(with.size(), 180u);
  ASSERT_EQ(without.size(), 180u);
  for (const int k : {45, 120}) {  // 1.5 s and 4 s: a line is up
    const auto rows = differing_rows(with[k], without[k], 180);
    ASSERT_FALSE(rows.empty()) << "frame " << k;
    EXPECT_GE(rows.front(), 320 * 12 / 100) << "clear of the top 12 %, frame " << k;
    EXPECT_LT(rows.back(), 320 * 80 / 100) << "clear of the bottom 20 %, frame " << k;
  }
  for (const int k : {15, 90, 165}) {  // 0.5 s, 3 s, 5.5 s: none
    EXPECT_TRUE(differing_rows(with[k], without[k], 180).empty()) << "frame " << k;
  }
}

/// Pixels of a 640 × 360 R'G'B' frame in columns [x0, x1) of the lower half that are the neon
/// palette's pink (sung words), and those that are light (any text).
struct Count {
  int pink = 0, light = 0;
};
Count count_text(const Frame& f, int x0, int x1) {
  Count c;
  for (int y = 180; y < 360; ++y) {
    for (int x = x0; x < x1; ++x) {
      const std::size_t i = static_cast<std::size_t>(y * 640 + x) * 3;
      const int r = f[i], g = f[i + 1], b = f[i + 2];
      if (r > 170 && g < 160 && b > 120 && r - g > 70) ++c.pink;
      if (r + g + b > 450) ++c.light;
    }
  }
  return c;
}

TEST(LyricsRender, KaraokeColoursEachWordAsItsTimePasses) {
  Fixture fx;
  write_text(fx.file("k.lrc"), "[00:01.00]<00:01.00>WWWW <00:02.00>MMMM\n[00:03.00]\n");
  const auto r = fx.generate("k.mp4", "640x360", "--lyrics " + shell_quote(fx.file("k.lrc").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto f = mvtest::rgb_frames(fx.file("k.mp4"), 640, 360);
  ASSERT_EQ(f.size(), 180u);
  // The first word is left of the centre, the second right of it; each is swept over its second.
  const Count first_early = count_text(f[36], 0, 320), second_early = count_text(f[36], 320, 640);  // 1.2 s
  const Count first_mid = count_text(f[66], 0, 320), second_mid = count_text(f[66], 320, 640);      // 2.2 s
  const Count second_late = count_text(f[81], 320, 640);                                             // 2.7 s
  EXPECT_GT(second_early.light, 100) << "the second word is shown, not yet sung";
  EXPECT_LT(second_early.pink, 5);
  EXPECT_GT(first_early.pink, 10) << "the first word is being sung";
  EXPECT_GT(first_mid.pink, 3 * first_early.pink) << "the first word is sung";
  EXPECT_GT(second_mid.pink, 10) << "the second word is being sung";
  EXPECT_GT(second_late.pink, 2 * second_mid.pink) << "the second word fills as it is sung";
  EXPECT_EQ(count_text(f[105], 0, 640).light, 0) << "gone at 3.5 s";
}

TEST(LyricsRender, OffsetAndAnExcerptMoveTheLines) {
  Fixture fx;
  // [offset:+1000]: shown 1 s earlier, from 1 s to 2 s.
  write_text(fx.file("o.lrc"), "[offset:+1000]\n[00:02.00]Early line\n[00:03.00]\n");
  write_text(fx.file("plain.lrc"), "[00:03.00]Late line\n[00:04.00]\n");
  auto r = fx.generate("o.mp4", "320x180", "--lyrics " + shell_quote(fx.file("o.lrc").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // --start 2: the line at 3 s of the song is at 1 s of the video.
  r = fx.generate("x.mp4", "320x180", "--start 2 --duration 3 --lyrics " + shell_quote(fx.file("plain.lrc").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = fx.generate("n.mp4", "320x180", "--lyrics none");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto o = mvtest::grey_frames(fx.file("o.mp4"), 320, 180), x = mvtest::grey_frames(fx.file("x.mp4"), 320, 180);
  const auto n = mvtest::grey_frames(fx.file("n.mp4"), 320, 180);
  ASSERT_EQ(o.size(), 180u);
  ASSERT_EQ(x.size(), 90u);
  ASSERT_EQ(n.size(), 180u);
  EXPECT_FALSE(differing_rows(o[45], n[45], 320).empty()) << "offset: up at 1.5 s";
  EXPECT_TRUE(differing_rows(o[75], n[75], 320).empty()) << "offset: gone at 2.5 s";
  EXPECT_FALSE(differing_rows(x[45], n[45], 320).empty()) << "excerpt: up at 1.5 s of the video";
  EXPECT_TRUE(differing_rows(x[75], n[75], 320).empty()) << "excerpt: gone at 2.5 s of the video";
}

TEST(LyricsRender, AnAssFileKeepsItsOwnStyleAndPlace) {
  Fixture fx;
  // Pure green (&H0000FF00 is AABBGGRR), top-centred (alignment 8), from 1 s to 2 s.
  write_text(fx.file("s.ass"),
             "[Script Info]\nScriptType: v4.00+\nPlayResX: 320\nPlayResY: 180\n\n[V4+ Styles]\n"
             "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
             "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
             "MarginR, MarginV, Encoding\n"
             "Style: Green,DejaVu Sans,30,&H0000FF00,&H000000FF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,1,0,0,8,10,10,10,1\n\n"
             "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
             "Dialogue: 0,0:00:01.00,0:00:02.00,Green,,0,0,0,,GREEN TOP\n");
  const auto r = fx.generate("a.mp4", "320x180", "--lyrics " + shell_quote(fx.file("s.ass").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto f = mvtest::rgb_frames(fx.file("a.mp4"), 320, 180);
  ASSERT_EQ(f.size(), 180u);
  auto green = [&](const Frame& frame, int y0, int y1) {
    int n = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = 0; x < 320; ++x) {
        const std::size_t i = static_cast<std::size_t>(y * 320 + x) * 3;
        if (frame[i + 1] > 180 && frame[i] < 100 && frame[i + 2] < 100) ++n;
      }
    }
    return n;
  };
  EXPECT_GT(green(f[45], 0, 60), 100) << "green text at the top at 1.5 s";
  EXPECT_EQ(green(f[45], 90, 180), 0) << "nothing of it in the lower half";
  EXPECT_EQ(green(f[75], 0, 180), 0) << "gone at 2.5 s";
}

TEST(LyricsRender, ABadFileFailsWithItsLineNumberAndLeavesNothing) {
  Fixture fx;
  write_text(fx.file("bad.lrc"), "[ti:x]\n[00:01.00]fine\n[00:xx.00]broken\n");
  auto r = fx.generate("bad.mp4", "320x180", "--lyrics " + shell_quote(fx.file("bad.lrc").string()));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("line 3"), std::string::npos) << r.output;
  write_text(fx.file("words.txt"), "just words\n");
  r = fx.generate("bad.mp4", "320x180", "--lyrics " + shell_quote(fx.file("words.txt").string()));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(".lrc, .srt or .ass"), std::string::npos) << r.output;
  r = fx.generate("bad.mp4", "320x180", "--lyrics " + shell_quote(fx.file("absent.lrc").string()));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  // A broken file next to the song is named too, and --lyrics none gets past it.
  write_text(fx.file("song.srt"), "1\n00:00:01,000 -> 00:00:02,000\nno arrow\n");
  r = fx.generate("bad.mp4", "320x180", "");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("song.srt"), std::string::npos) << r.output;
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(fx.dir.path())) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"bad.lrc", "config", "song.srt", "song.wav", "words.txt"})) << "no output, no temporary file";
  r = fx.generate("ok.mp4", "320x180", "--lyrics none");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

}  // namespace
