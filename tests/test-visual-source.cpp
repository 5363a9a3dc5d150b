// test-visual-source.cpp — mv::VisualSource (montage pictures): BT.709 colour
// from RGB, JPEG and BT.601 sources, cover scaling without bars, a smooth Ken
// Burns move, clips following time at their own frame rate and looping, errors.
// Fixtures are made once per run with the ffmpeg CLI.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <string>

#include "mv/media/visual-source.hpp"
#include "mv/media/canvas.hpp"
#include "mv/base/error.hpp"
#include "test-support.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int kW = 320, kH = 180;  // a 16:9 canvas

class VisualSourceTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new mvtest::TempDir();
    const auto make = [](const std::string& args, const std::string& name) {
      ASSERT_TRUE(mvtest::ffmpeg(args + " " + mvtest::shell_quote(file(name).string()))) << name;
    };
    make("-f lavfi -i testsrc2=size=640x480 -frames:v 1", "pattern.png");
    make("-f lavfi -i color=c=red:size=64x48 -frames:v 1", "red.png");
    make("-f lavfi -i color=c=red:size=64x48,format=rgb24 -frames:v 1 -pix_fmt pal8", "red-pal8.png");
    make("-f lavfi -i color=c=red:size=64x48 -frames:v 1 -pix_fmt rgba", "red-rgba.png");
    make("-f lavfi -i color=c=red:size=64x48 -frames:v 1 -pix_fmt rgb48be", "red-16bit.png");
    make("-f lavfi -i color=c=white:size=64x48 -frames:v 1 -pix_fmt gray", "white-gray.png");
    make("-f lavfi -i color=c=red:size=640x480 -frames:v 1 -q:v 2", "red.jpg");
    make("-f lavfi -i color=c=white:size=640x480 -frames:v 1 -q:v 2", "white-4x3.jpg");
    make("-f lavfi -i color=c=white:size=480x640 -frames:v 1", "white-portrait.png");
    make("-f lavfi -i color=c=red:size=64x48 -frames:v 1", "red.webp");
    make("-f lavfi -i color=c=red:size=64x48 -frames:v 1", "red.bmp");
    make("-f lavfi -i testsrc2=size=160x120:rate=10 -t 1", "anim.gif");
    make("-f lavfi -i testsrc2=size=320x240:rate=25 -t 3 -c:v libx264 -pix_fmt yuv420p", "clip.mp4");
    make("-f lavfi -i testsrc2=size=320x240:rate=25 -t 2 -c:v libvpx -b:v 1M", "clip.webm");
    make("-f lavfi -i color=c=white:size=320x240:rate=25 -t 1 -c:v libx264 -pix_fmt yuv420p", "white-4x3.mp4");
    // 1080p black with white from x = 1460 on (500 pixels right of the centre).
    make("-f lavfi -i color=c=black:size=1920x1080:rate=25,drawbox=x=1460:y=0:w=460:h=1080:color=white:t=fill -t 0.2 "
         "-c:v libx264 -pix_fmt yuv420p",
         "edge-1080p.mp4");
    // Red as BT.601 limited-range YUV, tagged so: must come out as BT.709 red.
    make("-f lavfi -i color=c=red:size=320x240:rate=25 -t 1 "
         "-vf scale=out_color_matrix=bt601:out_range=tv,format=yuv420p "
         "-colorspace bt470bg -color_range tv -c:v libx264",
         "red-bt601.mp4");
    make("-f lavfi -i color=c=red:size=320x240:rate=25 -t 1 "
         "-vf scale=out_color_matrix=bt709:out_range=tv,format=yuv420p10le -colorspace bt709 -c:v libx264",
         "red-10bit.mp4");
    make("-f lavfi -i sine=frequency=440:duration=1", "tone.wav");
    make("-f lavfi -i sine=frequency=440:duration=2 -i " + mvtest::shell_quote(file("red.png").string()) +
         " -map 0 -map 1 -c:v png -disposition:v attached_pic", "tone-with-cover.mp3");
    make("-f lavfi -i color=c=red:size=1x1,format=rgb24 -frames:v 1", "dot.png");
    make("-f lavfi -i color=c=red:size=641x481 -frames:v 1 -q:v 2", "odd.jpg");
    make("-f lavfi -i color=c=red:size=64x48 -frames:v 1", "100% red: final.png");
    // Left half red, right half blue: as stored, before any turn.
    const std::string halves = "-f lavfi -i \"color=red:s=160x160:r=25[a];color=blue:s=160x160:r=25[b];[a][b]hstack\" ";
    make(halves + "-frames:v 1 -q:v 2", "halves.jpg");
    for (int code = 1; code <= 8; ++code) with_exif_orientation(file("halves.jpg"), code, file("halves-" + std::to_string(code) + ".jpg"));
    make(halves + "-t 1 -c:v libx264 -pix_fmt yuv420p", "halves.mp4");
    // A phone's sideways video: the same stream with a display matrix (FFmpeg 5.1
    // writes one from the "rotate" tag when remuxing).
    make("-i " + mvtest::shell_quote(file("halves.mp4").string()) + " -c copy -metadata:s:v:0 rotate=90", "halves-rotate.mp4");
    std::ofstream(file("notes.txt")) << "just some text, not a picture\n";
    std::ofstream(file("empty.png")).flush();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static fs::path file(const std::string& name) { return *dir_ / name; }

  static void with_exif_orientation(const fs::path& jpeg, int code, const fs::path& out) {
    ASSERT_TRUE(mvtest::with_exif_orientation(jpeg, code, out)) << jpeg;
  }

  static std::unique_ptr<mv::VisualSource> open(const std::string& name, int w = kW, int h = kH) {
    return mv::VisualSource::open(file(name), w, h);
  }

  static mvtest::TempDir* dir_;
};

mvtest::TempDir* VisualSourceTest::dir_ = nullptr;

/// Mean absolute difference of the Y planes of two same-size canvases.
double mean_y_diff(const mv::Canvas& a, const mv::Canvas& b) {
  const std::size_t n = static_cast<std::size_t>(a.width()) * static_cast<std::size_t>(a.height());
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += std::abs(int{a.y()[i]} - int{b.y()[i]});
  return sum / static_cast<double>(n);
}

bool same_planes(const mv::Canvas& a, const mv::Canvas& b) {
  const auto n = static_cast<std::size_t>(a.width() * a.height());
  return std::equal(a.y(), a.y() + n, b.y()) && std::equal(a.u(), a.u() + n / 4, b.u()) &&
         std::equal(a.v(), a.v() + n / 4, b.v());
}

/// Expects every pixel of `c` to be within `tol` of the given Y, U, V.
void expect_uniform(const mv::Canvas& c, int y, int u, int v, int tol, const std::string& what) {
  const auto n = static_cast<std::size_t>(c.width() * c.height());
  int worst_y = 0, worst_u = 0, worst_v = 0;
  for (std::size_t i = 0; i < n; ++i) worst_y = std::max(worst_y, std::abs(c.y()[i] - y));
  for (std::size_t i = 0; i < n / 4; ++i) {
    worst_u = std::max(worst_u, std::abs(c.u()[i] - u));
    worst_v = std::max(worst_v, std::abs(c.v()[i] - v));
  }
  EXPECT_LE(worst_y, tol) << what << ": Y off by " << worst_y << " (first " << int{c.y()[0]} << ")";
  EXPECT_LE(worst_u, tol) << what << ": U off by " << worst_u << " (first " << int{c.u()[0]} << ")";
  EXPECT_LE(worst_v, tol) << what << ": V off by " << worst_v << " (first " << int{c.v()[0]} << ")";
}

// BT.709 limited-range red: Y = 16 + 219·0.2126, U = 128 − 112·0.2126/0.9278, V = 240.
constexpr int kRedY = 63, kRedU = 102, kRedV = 240;

TEST_F(VisualSourceTest, RedPngIsBt709RedEverywhere) {
  auto src = open("red.png");
  EXPECT_TRUE(src->is_still());
  EXPECT_EQ(src->path(), file("red.png"));
  mv::Canvas c(kW, kH);
  for (int move = 0; move < 4; ++move) {
    src->draw(c, 0.7, 2.0, move);
    expect_uniform(c, kRedY, kRedU, kRedV, 6, "red.png move " + std::to_string(move));
  }
}

TEST_F(VisualSourceTest, AnyPixelFormatAndImageTypeGivesBt709) {
  for (const char* name : {"red-pal8.png", "red-rgba.png", "red-16bit.png", "red.webp", "red.bmp"}) {
    auto src = open(name);
    mv::Canvas c(kW, kH);
    src->draw(c, 0.0, 1.0, 0);
    expect_uniform(c, kRedY, kRedU, kRedV, 6, name);
  }
  // JPEG: full-range BT.601 Y'CbCr in the file.
  auto jpg = open("red.jpg");
  mv::Canvas c(kW, kH);
  jpg->draw(c, 0.0, 1.0, 0);
  expect_uniform(c, kRedY, kRedU, kRedV, 6, "red.jpg");
  // Full-range grey: white maps to video-range white.
  auto gray = open("white-gray.png");
  gray->draw(c, 0.0, 1.0, 0);
  expect_uniform(c, 235, 128, 128, 3, "white-gray.png");
}

TEST_F(VisualSourceTest, VideoColoursAreBt709) {
  for (const char* name : {"red-bt601.mp4", "red-10bit.mp4"}) {
    auto src = open(name);
    EXPECT_FALSE(src->is_still());
    mv::Canvas c(kW, kH);
    src->draw(c, 0.5, 1.0, 0);
    expect_uniform(c, kRedY, kRedU, kRedV, 6, name);
  }
}

TEST_F(VisualSourceTest, OddTinyAndOddlyNamedSources) {
  for (const char* name : {"dot.png", "odd.jpg", "100% red: final.png", "tone-with-cover.mp3"}) {
    SCOPED_TRACE(name);
    std::unique_ptr<mv::VisualSource> src;
    ASSERT_NO_THROW(src = open(name));
    EXPECT_TRUE(src->is_still());
    mv::Canvas c(kW, kH);
    src->draw(c, 0.3, 1.0, 3);
    expect_uniform(c, kRedY, kRedU, kRedV, 6, name);
  }
}

TEST_F(VisualSourceTest, CoverFillsTheCanvasWithoutBars) {
  const auto check_edges = [](const mv::Canvas& c, const std::string& what) {
    for (int x = 0; x < c.width(); ++x) {
      ASSERT_GT(c.y()[x], 200) << what << ": top row, x=" << x;
      ASSERT_GT(c.y()[(c.height() - 1) * c.width() + x], 200) << what << ": bottom row, x=" << x;
    }
    for (int y = 0; y < c.height(); ++y) {
      ASSERT_GT(c.y()[y * c.width()], 200) << what << ": left column, y=" << y;
      ASSERT_GT(c.y()[y * c.width() + c.width() - 1], 200) << what << ": right column, y=" << y;
    }
  };
  mv::Canvas c(kW, kH);
  for (const char* name : {"white-4x3.jpg", "white-portrait.png", "white-4x3.mp4"}) {
    auto src = open(name);
    for (int move = 0; move < 4; ++move) {
      for (double t : {0.0, 0.5, 1.0}) {
        src->draw(c, t, 1.0, move);
        check_edges(c, std::string(name) + " move " + std::to_string(move));
      }
    }
  }
  // A 16:9 source on a 9:16 canvas, too.
  mv::Canvas tall(kH, kW);
  auto src = open("white-4x3.jpg", kH, kW);
  src->draw(tall, 0.0, 1.0, 1);
  check_edges(tall, "white-4x3.jpg on a portrait canvas");
}

TEST_F(VisualSourceTest, CoverKeepsAspect) {
  // testsrc2 640x480 on 16:9: a centre crop 640x360 of it, scaled by 0.5. Compare with
  // ffmpeg's own cover crop of the same picture (scale, crop) at zoom 1.0 (move 1 at t = shot_s).
  const fs::path ref = file("pattern-ref.yuv");
  ASSERT_TRUE(mvtest::ffmpeg("-i " + mvtest::shell_quote(file("pattern.png").string()) +
                             " -vf crop=640:360,scale=320:180:flags=bilinear:out_color_matrix=bt709:out_range=tv,"
                             "format=yuv420p -f rawvideo " + mvtest::shell_quote(ref.string())));
  ASSERT_EQ(fs::file_size(ref), static_cast<std::uintmax_t>(kW * kH * 3 / 2));
  std::string bytes(kW * kH, '\0');
  std::ifstream(ref, std::ios::binary).read(bytes.data(), kW * kH);
  mv::Canvas c(kW, kH);
  open("pattern.png")->draw(c, 1.0, 1.0, 1);
  double diff = 0.0;
  for (int i = 0; i < kW * kH; ++i) diff += std::abs(int{c.y()[i]} - int{static_cast<unsigned char>(bytes[i])});
  diff /= kW * kH;
  EXPECT_LT(diff, 2.0) << "mean |ΔY| against ffmpeg's centre crop";
  std::cout << "mean |ΔY| against ffmpeg's centre crop: " << diff << "\n";
}

TEST_F(VisualSourceTest, KenBurnsMovesSmoothly) {
  auto src = open("pattern.png");
  const double shot = 2.0;
  mv::Canvas start(kW, kH), end(kW, kH), prev(kW, kH), cur(kW, kH);
  for (int move = 0; move < 4; ++move) {
    src->draw(start, 0.0, shot, move);
    src->draw(end, shot, shot, move);
    const double total = mean_y_diff(start, end);
    EXPECT_GT(total, 8.0) << "move " << move << " barely moves";
    double worst_step = 0.0;
    prev.copy_from(start);
    for (int f = 1; f <= 60; ++f) {
      src->draw(cur, f / 30.0, shot, move);
      worst_step = std::max(worst_step, mean_y_diff(prev, cur));
      prev.copy_from(cur);
    }
    // Sub-pixel motion: each 1/30 s step is a small share of the whole move (whole
    // 2-pixel crop steps gave steps of 0 and 4.2 here, 0.3 × the move).
    EXPECT_LT(worst_step, 0.15 * total) << "move " << move << " jumps";
    EXPECT_LT(worst_step, 3.0) << "move " << move << " jumps";
    // Eased: nearly still at the very start.
    src->draw(cur, 1.0 / 30.0, shot, move);
    EXPECT_LT(mean_y_diff(start, cur), worst_step + 1e-9) << "move " << move;
    std::cout << "move " << move << ": start→end ΔY " << total << ", worst 1/30 s step " << worst_step << "\n";
  }
}

TEST_F(VisualSourceTest, APunchZoomsIntoTheCentreByTheAskedFactor) {
  // A punch into 1080p footage crops a width that is a multiple of 16 (swscale's
  // fast x86 scaler): the zoom lands within half a step (0.42 %) of the asked one.
  constexpr int kFullW = 1920, kFullH = 1080, kEdge = 500;  // the edge's distance from the centre, pixels
  auto src = mv::VisualSource::open(file("edge-1080p.mp4"), kFullW, kFullH);
  mv::Canvas still(kFullW, kFullH), c(kFullW, kFullH);
  const auto edge_x = [&](const mv::Canvas& canvas) {  // first white pixel right of the centre, middle row
    const std::uint8_t* row = canvas.y() + static_cast<std::ptrdiff_t>(kFullH / 2) * canvas.y_stride();
    int x = kFullW / 2;
    while (x < kFullW && row[x] < 126) ++x;  // halfway between black (16) and white (235)
    return x;
  };
  src->draw(still, 0.0, 1.0, 0);
  EXPECT_NEAR(edge_x(still), kFullW / 2 + kEdge, 1);
  int previous = edge_x(still);
  for (double zoom : {1.01, 1.02, 1.035, 1.05, 1.075, 1.1}) {
    src->set_zoom(zoom);
    src->draw(c, 0.0, 1.0, 0);
    const int x = edge_x(c);
    EXPECT_NEAR(x, kFullW / 2 + kEdge * zoom, kEdge * zoom * 0.0042 + 1.5) << "zoom " << zoom;
    EXPECT_GT(x, previous) << "zoom " << zoom << " is no deeper than the one before";
    previous = x;
  }
  // Less than half a step: the picture as it is, not rescaled.
  src->set_zoom(1.003);
  src->draw(c, 0.0, 1.0, 0);
  EXPECT_TRUE(same_planes(c, still));
  // A small frame zooms exactly (no steps): a 320-pixel-wide clip drawn 320 wide.
  auto small = mv::VisualSource::open(file("clip.mp4"), kW, kH);
  mv::Canvas s0(kW, kH), s1(kW, kH);
  small->draw(s0, 0.0, 1.0, 0);
  small->set_zoom(1.003);
  small->draw(s1, 0.0, 1.0, 0);
  EXPECT_FALSE(same_planes(s0, s1)) << "a 0.3 % zoom of a 320-pixel frame was dropped";
}

TEST_F(VisualSourceTest, VideoFollowsTimeAtItsFrameRate) {
  auto src = open("clip.mp4");
  EXPECT_FALSE(src->is_still());
  mv::Canvas f0(kW, kH), same(kW, kH), later(kW, kH);
  src->draw(f0, 0.0, 10.0, 0);
  src->draw(same, 0.03, 10.0, 0);  // pts 0.04 is not reached yet
  EXPECT_TRUE(same_planes(f0, same));
  src->draw(later, 1.0, 10.0, 0);
  EXPECT_GT(mean_y_diff(f0, later), 1.0);
  // Jumping ahead within a shot decodes up to the right frame: the same as a fresh
  // source drawn straight at that time.
  auto fresh = open("clip.mp4");
  fresh->draw(same, 1.0, 10.0, 0);
  EXPECT_TRUE(same_planes(later, same));
}

TEST_F(VisualSourceTest, WebmPlays) {
  auto src = open("clip.webm");
  EXPECT_FALSE(src->is_still());
  mv::Canvas a(kW, kH), b(kW, kH);
  src->draw(a, 0.0, 2.0, 0);
  src->draw(b, 1.5, 2.0, 0);
  EXPECT_GT(mean_y_diff(a, b), 1.0);
  // Past the end (2 s) within one long shot: clip time 2.3 s shows the frame of 0.3 s.
  for (int f = 46; f <= 69; ++f) ASSERT_NO_THROW(src->draw(b, f / 30.0, 10.0, 0));
  src->draw(b, 2.3, 10.0, 0);
  open("clip.webm")->draw(a, 0.3, 1.0, 0);
  EXPECT_TRUE(same_planes(a, b));
}

TEST_F(VisualSourceTest, GifIsItsFirstFrameAsAStill) {
  auto src = open("anim.gif");
  EXPECT_TRUE(src->is_still());
  mv::Canvas c(kW, kH);
  src->draw(c, 0.5, 1.0, 2);
}

TEST_F(VisualSourceTest, NewShotContinuesAndClipLoops) {
  // Reference: the frame at clip time 0.22 s (frame 5), drawn by a fresh source.
  mv::Canvas ref(kW, kH), c(kW, kH), b(kW, kH);
  open("clip.mp4")->draw(ref, 0.22, 1.0, 0);

  auto src = open("clip.mp4");
  // Shot 1: 2 s. Shot 2 continues at clip time ~2 s rather than restarting.
  for (int f = 0; f <= 60; ++f) ASSERT_NO_THROW(src->draw(c, f / 30.0, 2.0, 0));
  src->draw(b, 0.0, 5.0, 0);
  EXPECT_TRUE(same_planes(b, c)) << "a new shot continues where the clip left off";
  // Shot 2 runs 5 s: clip time 2..7 s of a 3 s clip. At clip time 3.22 s it shows frame 5 again.
  for (int f = 0; f <= 36; ++f) ASSERT_NO_THROW(src->draw(c, f / 30.0, 5.0, 0));
  src->draw(c, 1.22, 5.0, 0);
  EXPECT_TRUE(same_planes(c, ref)) << "looped back to the start at 3 s";
  for (int f = 37; f <= 150; ++f) ASSERT_NO_THROW(src->draw(c, f / 30.0, 5.0, 0));
  // Clip time 7 s = 1 s into the third pass.
  open("clip.mp4")->draw(ref, 1.0, 1.0, 0);
  EXPECT_TRUE(same_planes(c, ref)) << "second loop";
}

TEST_F(VisualSourceTest, ErrorsHaveTheRightCode) {
  const auto code_of = [](const fs::path& p, std::string* message) {
    try {
      (void)mv::VisualSource::open(p, kW, kH);
    } catch (const mv::Error& e) {
      *message = e.what();
      return e.code();
    }
    ADD_FAILURE() << "no error for " << p;
    return mv::ErrorCode::Internal;
  };
  std::string msg;
  EXPECT_EQ(code_of(file("nope.png"), &msg), mv::ErrorCode::InputMissing);
  EXPECT_EQ(code_of(dir_->path(), &msg), mv::ErrorCode::InputMissing);
  EXPECT_EQ(code_of(file("notes.txt"), &msg), mv::ErrorCode::InputInvalid);
  EXPECT_NE(msg.find("is not an image or video FFmpeg can read"), std::string::npos) << msg;
  EXPECT_EQ(code_of(file("empty.png"), &msg), mv::ErrorCode::InputInvalid);
  EXPECT_EQ(code_of(file("tone.wav"), &msg), mv::ErrorCode::InputInvalid);
  EXPECT_NE(msg.find("has no picture"), std::string::npos) << msg;
  // Text renamed to .png: the image2 demuxer accepts it, the decoder does not.
  fs::copy_file(file("notes.txt"), file("fake.png"), fs::copy_options::overwrite_existing);
  EXPECT_EQ(code_of(file("fake.png"), &msg), mv::ErrorCode::InputInvalid);
}

TEST_F(VisualSourceTest, TinyAndOddCanvases) {
  mv::Canvas c(16, 16);
  open("clip.mp4", 16, 16)->draw(c, 0.5, 1.0, 0);
  open("pattern.png", 16, 16)->draw(c, 0.5, 1.0, 3);
  EXPECT_THROW((void)open("red.png", 15, 16), mv::Error);
}

/// Mean V (Cr) of the luma rectangle [x0, x1) × [y0, y1) of a canvas: ~240
/// for red, ~118 for blue.
double mean_v(const mv::Canvas& c, int x0, int x1, int y0, int y1) {
  double sum = 0.0;
  const int cw = c.width() / 2;
  for (int y = y0 / 2; y < y1 / 2; ++y) {
    for (int x = x0 / 2; x < x1 / 2; ++x) sum += c.v()[static_cast<std::size_t>(y * cw + x)];
  }
  return sum / ((y1 / 2 - y0 / 2) * (x1 / 2 - x0 / 2));
}
double mean_v_rows(const mv::Canvas& c, int y0, int y1) { return mean_v(c, 0, c.width(), y0, y1); }
double mean_v_cols(const mv::Canvas& c, int x0, int x1) { return mean_v(c, x0, x1, 0, c.height()); }

TEST_F(VisualSourceTest, PhotosHonourTheirExifOrientation) {
  // As stored (1) and mirrored/turned 180° (2, 3, 4) stay landscape: which half is red.
  mv::Canvas wide(200, 100);
  const std::map<int, bool> red_left{{1, true}, {2, false}, {3, false}, {4, true}};
  for (const auto& [code, left] : red_left) {
    open("halves-" + std::to_string(code) + ".jpg", 200, 100)->draw(wide, 0.0, 2.0, 0);
    const double l = mean_v_cols(wide, 0, 60), r = mean_v_cols(wide, 140, 200);
    EXPECT_GT(left ? l - r : r - l, 80.0) << "orientation " << code << ": left V " << l << ", right V " << r;
  }
  // 5..8 turn the picture a quarter: portrait, red on top for 5 and 6, below for 7 and 8.
  mv::Canvas tall(100, 200);
  const std::map<int, bool> red_top{{5, true}, {6, true}, {7, false}, {8, false}};
  for (const auto& [code, top] : red_top) {
    open("halves-" + std::to_string(code) + ".jpg", 100, 200)->draw(tall, 0.0, 2.0, 0);
    const double t = mean_v_rows(tall, 0, 60), b = mean_v_rows(tall, 140, 200);
    EXPECT_GT(top ? t - b : b - t, 80.0) << "orientation " << code << ": top V " << t << ", bottom V " << b;
  }
}

TEST_F(VisualSourceTest, SidewaysVideoIsTurnedUpright) {
  // rotate=90 is a quarter turn anticlockwise on display (FFmpeg's own player and
  // command line agree): the stored right half (blue) comes on top.
  mv::Canvas tall(100, 200);
  auto video = open("halves-rotate.mp4", 100, 200);
  EXPECT_FALSE(video->is_still());
  video->draw(tall, 0.5, 1.0, 0);
  const double t = mean_v_rows(tall, 0, 60), b = mean_v_rows(tall, 140, 200);
  EXPECT_GT(b - t, 80.0) << "top V " << t << ", bottom V " << b;
  // The same stream without the matrix: landscape, left red.
  mv::Canvas wide(200, 100);
  open("halves.mp4", 200, 100)->draw(wide, 0.5, 1.0, 0);
  EXPECT_GT(mean_v_cols(wide, 0, 60) - mean_v_cols(wide, 140, 200), 80.0);
}

}  // namespace
