// test-titles-luts.cpp — text and colour (issue 10, points 5 and 6): a 3D LUT
// maps known colours to known colours (a user's .cube, a bundled one), bad LUTs
// fail cleanly and leave nothing; the title and artist come from the options,
// else the tags, else the file name (not an OBS date-and-time name); the title
// stays inside the 9:16 safe area; the end card darkens the last seconds and the
// progress bar fills with the song.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>

#include "mv/base/error.hpp"
#include "mv/render/generate.hpp"
#include "mv/render/look.hpp"
#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using mvtest::shell_quote;

using mvtest::write_text;

/// A 2×2×2 .cube LUT that swaps red and blue (red changes fastest, per the spec).
std::string swap_red_blue_cube() {
  std::string s = "TITLE \"swap\"\nLUT_3D_SIZE 2\n";
  for (int b = 0; b < 2; ++b) {
    for (int g = 0; g < 2; ++g) {
      for (int r = 0; r < 2; ++r) s += std::to_string(b) + " " + std::to_string(g) + " " + std::to_string(r) + "\n";
    }
  }
  return s;
}

/// A look with nothing but the picture: no visualizer, no effects, no title.
const char* kPlainLook = R"({"name": "plain", "description": "the picture only", "visualizer": "none",
  "over_pictures": "none", "title": "none"})";

struct Fixture {
  mvtest::TempDir dir;
  fs::path clip = dir / "red.mp4";
  std::string env;
  Fixture() {
    // A clip of one colour, R'G'B' (200, 40, 40), with sound.
    EXPECT_TRUE(mvtest::ffmpeg("-f lavfi -i color=c=0xC82828:s=320x180:d=1.5 -f lavfi -i sine=frequency=220:duration=1.5 "
                               "-pix_fmt yuv420p -c:v libx264 -preset ultrafast -crf 0 -shortest " +
                               shell_quote(clip.string())));
    fs::create_directories(dir / "config" / "obs-music-video" / "looks");
    write_text(dir / "config" / "obs-music-video" / "looks" / "plain.json", kPlainLook);
    env = "XDG_CONFIG_HOME=" + shell_quote((dir / "config").string()) + " ";
  }
  /// mvgen generate on the clip with the plain look and `extra`; the output's
  /// centre pixel at 1 s (R, G, B), or exit code and output on failure.
  mvtest::CommandResult generate(const std::string& out, const std::string& extra) const {
    return mvtest::run_command(env + shell_quote(mvtest::mvgen_path()) + " generate " + shell_quote(clip.string()) +
                               " -o " + shell_quote((dir / out).string()) +
                               " --look plain --size 320x180 --preset ultrafast --crf 4 --quiet " + extra);
  }
  [[nodiscard]] std::array<int, 3> centre(const std::string& out) const {
    const auto frames = mvtest::rgb_frames(dir / out, 32, 18);
    EXPECT_GT(frames.size(), 30u);
    if (frames.size() <= 30) return {0, 0, 0};
    const std::size_t i = (9 * 32 + 16) * 3;
    return {frames[30][i], frames[30][i + 1], frames[30][i + 2]};
  }
};

TEST(Lut, AKnownLutMapsKnownColoursAndABundledOneGrades) {
  Fixture fx;
  write_text(fx.dir / "swap.cube", swap_red_blue_cube());
  auto r = fx.generate("plain.mp4", "");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = fx.generate("swapped.mp4", "--lut " + shell_quote((fx.dir / "swap.cube").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = fx.generate("noir.mp4", "--lut noir");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto plain = fx.centre("plain.mp4"), swapped = fx.centre("swapped.mp4"), noir = fx.centre("noir.mp4");
  // Y'CbCr 4:2:0 and H.264 on the way: a few code values of error.
  EXPECT_NEAR(plain[0], 200, 8);
  EXPECT_NEAR(plain[2], 40, 8);
  EXPECT_NEAR(swapped[0], 40, 10) << "red became blue";
  EXPECT_NEAR(swapped[1], 40, 10);
  EXPECT_NEAR(swapped[2], 200, 10);
  EXPECT_NEAR(noir[0], noir[1], 8) << "noir is black and white";
  EXPECT_NEAR(noir[2], noir[1], 8);
}

TEST(Lut, TheVectorizedGradeGivesTheSamePictureAsThePlainOne) {
  // The 3D LUT kernel exists four times (plain C++, AVX2, AVX-512, AVX-512
  // with VBMI: MV_SIMD lowers the choice). A picture whose top half has its
  // own chroma in every pixel (noise over testsrc2) and whose bottom half is
  // testsrc2's flat colours (where the VBMI kernel looks Y' up by permutes, not
  // gathers), 330 pixels wide so each row ends in blocks the vector loops leave
  // to the plain one; the encoded pictures must be identical.
  Fixture fx;
  const fs::path noisy = fx.dir / "noisy.mp4";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=s=330x186:d=1.2 -f lavfi -i sine=frequency=220:duration=1.2 "
                             "-filter_complex \"[0:v]split[a][b];[a]noise=alls=90:allf=t+u,crop=330:92:0:0[n];"
                             "[b]crop=330:94:0:92[c];[n][c]vstack,format=yuv420p[v]\" -map \"[v]\" -map 1:a "
                             "-c:v libx264 -preset ultrafast -crf 0 -shortest " + shell_quote(noisy.string())));
  // framemd5 of the pictures of `noisy` rendered with MV_SIMD=`level` and `extra`.
  const auto render = [&](const std::string& level, const std::string& extra) {
    const fs::path out = fx.dir / (level + (extra.empty() ? "-plain" : "") + ".mp4");
    const auto r = mvtest::run_command("MV_SIMD=" + level + " " + fx.env + shell_quote(mvtest::mvgen_path()) + " generate " +
                                       shell_quote(noisy.string()) + " -o " + shell_quote(out.string()) +
                                       " --look plain --size 330x186 --preset ultrafast --crf 0 --quiet " + extra);
    EXPECT_EQ(r.exit_code, 0) << level << ": " << r.output;
    const auto md5 = mvtest::run_command("ffmpeg -v error -i " + shell_quote(out.string()) + " -map 0:v -f framemd5 -");
    EXPECT_EQ(md5.exit_code, 0) << md5.output;
    return md5.output;
  };
  const std::string plain = render("none", "--lut teal-orange");
  EXPECT_GE(std::count(plain.begin(), plain.end(), '\n'), 30) << "a hash per frame: " << plain;
  EXPECT_EQ(render("avx2", "--lut teal-orange"), plain) << "AVX2 (or plain C++ where the CPU lacks it) graded differently";
  EXPECT_EQ(render("avx512", "--lut teal-orange"), plain) << "AVX-512 (or the best the CPU has) graded differently";
  EXPECT_EQ(render("avx512vbmi", "--lut teal-orange"), plain) << "AVX-512 VBMI (or the best the CPU has) graded differently";
  EXPECT_NE(render("avx512vbmi", ""), plain) << "the LUT changed nothing";
}

TEST(Lut, BadLutsGetAClearErrorAndLeaveNothing) {
  Fixture fx;
  write_text(fx.dir / "bad.cube", "LUT_3D_SIZE 2\n0 0 0\nnot numbers\n");
  auto r = fx.generate("a.mp4", "--lut " + shell_quote((fx.dir / "missing.cube").string()));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("missing.cube does not exist"), std::string::npos) << r.output;
  r = fx.generate("a.mp4", "--lut " + shell_quote((fx.dir / "bad.cube").string()));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("LUT file " + (fx.dir / "bad.cube").string() + ": FFmpeg's lut3d filter cannot read it"),
            std::string::npos)
      << r.output;
  r = fx.generate("a.mp4", "--lut sepia");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("unknown LUT \"sepia\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("teal-orange"), std::string::npos) << "lists the bundled LUTs: " << r.output;
  EXPECT_FALSE(fs::exists(fx.dir / "a.mp4"));
  for (const auto& e : fs::directory_iterator(fx.dir.path())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  }
  // A look whose "lut" is not text: the file and the field are named.
  try {
    (void)mv::parse_look(R"({"name":"x","description":"y","lut":5})", "x.json");
    ADD_FAILURE() << "a number as the LUT was taken";
  } catch (const mv::Error& e) {
    EXPECT_NE(std::string(e.what()).find("x.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("\"lut\""), std::string::npos) << e.what();
  }
}

TEST(Titles, FromTheFileNameButNotFromAnObsDateAndTime) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(mv::title_from_file_name("/m/Daft Punk - One More Time.mp3"), (P{"One More Time", "Daft Punk"}));
  EXPECT_EQ(mv::title_from_file_name("my_first_song.wav"), (P{"my first song", ""}));
  EXPECT_EQ(mv::title_from_file_name("2026-11-30 15-20-11.mkv"), (P{}));
  EXPECT_EQ(mv::title_from_file_name("Replay 2026-11-30_15-20-11.mp4"), (P{}));
  EXPECT_EQ(mv::title_from_file_name("Mitski \xE2\x80\x93 Nobody.flac"), (P{"Nobody", "Mitski"}));
}

/// The Title track's first segment: its text and artist ("" when there is none).
std::pair<std::string, std::string> planned_title(const mv::GenerateResult& r) {
  for (const auto& t : r.timeline.tracks) {
    if (t.type == static_cast<int>(mv::TrackType::Text) && !t.segments.empty()) {
      return {t.segments.front().text, t.segments.front().extra.value("artist", std::string())};
    }
  }
  return {};
}

TEST(Titles, FromTheOptionsElseTheTagsElseTheFileName) {
  mvtest::TempDir dir;
  const fs::path tagged = dir / "track01.mp3", named = dir / "Nova - Lights.wav";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=220:duration=2 -metadata title=\"Blue Hour\" -metadata "
                             "artist=\"The Tides\" " + shell_quote(tagged.string())));
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=220:duration=2 " + shell_quote(named.string())));
  auto run = [&](const fs::path& in, const std::string& title, const std::string& artist, bool card = true) {
    mv::GenerateRequest req;
    req.input = in;
    req.output = dir / "out.mp4";
    req.force = true;
    req.video.framing.size = std::make_pair(160, 90);
    req.video.preset = "ultrafast";
    req.video.captions.title = title;
    req.video.captions.artist = artist;
    req.video.captions.title_card = card;
    return planned_title(mv::generate(req));
  };
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(run(tagged, "", ""), (P{"Blue Hour", "The Tides"}));
  EXPECT_EQ(run(tagged, "Mine", ""), (P{"Mine", "The Tides"}));
  EXPECT_EQ(run(named, "", ""), (P{"Lights", "Nova"}));
  EXPECT_EQ(run(named, "", "Someone"), (P{"Lights", "Someone"}));
  EXPECT_EQ(run(named, "Mine", "", false), (P{})) << "--no-title";
}

/// Rows of `a` and `b` (w × h grey) that differ by more than `level` somewhere.
std::vector<int> differing_rows(const std::vector<unsigned char>& a, const std::vector<unsigned char>& b, int w, int h,
                                int level) {
  std::vector<int> rows;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const auto i = static_cast<std::size_t>(y * w + x);
      if (std::abs(int(a[i]) - int(b[i])) > level) {
        rows.push_back(y);
        break;
      }
    }
  }
  return rows;
}

TEST(Titles, StayInThePortraitSafeAreaAndTheEndCardAndProgressBarShow) {
  mvtest::TempDir dir;
  const fs::path song = dir / "song.wav";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=220:duration=12 -ac 2 " + shell_quote(song.string())));
  const std::string base = shell_quote(mvtest::mvgen_path()) + " generate " + shell_quote(song.string()) +
                           " --look bars --preset ultrafast --crf 8 --quiet ";
  // 9:16: a long title with and without; the difference is the title only.
  auto r = mvtest::run_command(base + "--size 180x320 --title \"A Rather Long Song Title\" --artist Someone -o " +
                               shell_quote((dir / "t.mp4").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = mvtest::run_command(base + "--size 180x320 --no-title -o " + shell_quote((dir / "n.mp4").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto with = mvtest::grey_frames(dir / "t.mp4", 180, 320), without = mvtest::grey_frames(dir / "n.mp4", 180, 320);
  ASSERT_GT(with.size(), 60u);
  ASSERT_EQ(with.size(), without.size());
  const auto rows = differing_rows(with[60], without[60], 180, 320, 24);
  ASSERT_FALSE(rows.empty()) << "the title is drawn at 2 s";
  EXPECT_GE(rows.front(), 320 * 12 / 100) << "clear of the top 12 %";
  EXPECT_LT(rows.back(), 320 * 80 / 100) << "clear of the bottom 20 %";
  EXPECT_TRUE(differing_rows(with[150], without[150], 180, 320, 24).empty()) << "gone after 4 s";
  // 16:9 with the end card and the progress bar.
  r = mvtest::run_command(base + "--size 320x180 --end-card --progress-bar -o " + shell_quote((dir / "e.mp4").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = mvtest::run_command(base + "--size 320x180 -o " + shell_quote((dir / "p.mp4").string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto e = mvtest::grey_frames(dir / "e.mp4", 320, 180), p = mvtest::grey_frames(dir / "p.mp4", 320, 180);
  ASSERT_EQ(e.size(), 360u);
  ASSERT_EQ(p.size(), 360u);
  auto mean = [](const std::vector<unsigned char>& f, int y0, int y1, int x0, int x1) {
    double s = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) s += f[static_cast<std::size_t>(y * 320 + x)];
    }
    return s / ((y1 - y0) * (x1 - x0));
  };
  // The end card (last 3 s) darkens the frame's corners, which hold no text.
  EXPECT_LT(mean(e[350], 0, 40, 0, 60), 0.7 * mean(p[350], 0, 40, 0, 60) + 2.0);
  EXPECT_NEAR(mean(e[200], 0, 40, 0, 60), mean(p[200], 0, 40, 0, 60), 3.0) << "not before it";
  // The progress bar: rows 165..175; at 1 s its middle is the thin track, at 8 s it is filled.
  const double early = mean(e[30], 166, 175, 150, 170), late = mean(e[240], 166, 175, 150, 170);
  EXPECT_GT(late, early + 4.0) << "early " << early << " late " << late;
  EXPECT_NEAR(mean(p[30], 166, 175, 150, 170), mean(p[240], 166, 175, 150, 170), 6.0) << "no bar without the option";
}

}  // namespace
