// test-reframe.cpp — a landscape recording in a vertical frame (issue 11,
// point 3): the crop path holds still while the subject does, pans with
// bounded speed, cuts on a beat when the subject jumps; in a rendered 9:16
// video a moving subject stays inside the crop; blur and letterbox fill the
// rest of the frame with a blurred copy or black; a face is followed even when
// something else moves more.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "mv/media/subject-scan.hpp"
#include "mv/render/reframe.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using mvtest::shell_quote;

constexpr double kCrop = (9.0 / 16.0) / (16.0 / 9.0);  // a 9:16 crop of a 16:9 picture: 0.316 of its width
constexpr int kFps = 30;

std::vector<mv::SubjectSample> samples(double seconds, double (*x)(double)) {
  std::vector<mv::SubjectSample> out;
  for (double t = 0.25; t <= seconds + 1e-9; t += 0.25) out.push_back({t, x(t), 0.5, 0.05});
  return out;
}

std::vector<double> beats_every(double step, double first, double seconds) {
  std::vector<double> b;
  for (double t = first; t < seconds; t += step) b.push_back(t);
  return b;
}

TEST(PlanFollow, HoldsStillWhileTheSubjectStaysAndPansAtBoundedSpeed) {
  // Jitters around the centre for 4 s, walks to 0.8 over 2 s, stays there.
  auto x = [](double t) {
    if (t < 4.0) return 0.5 + 0.02 * std::sin(t * 17.0);
    return t < 6.0 ? 0.5 + 0.15 * (t - 4.0) : 0.8;
  };
  const mv::FollowOptions o;
  const auto path = mv::plan_follow(samples(10.0, x), kCrop, beats_every(0.5, 0.0, 10.0), 10.0, kFps, o);
  ASSERT_EQ(path.size(), 300u);
  for (std::size_t k = 1; k < 4 * kFps; ++k) EXPECT_EQ(path[k], path[0]) << "still at frame " << k;
  for (std::size_t k = 1; k < path.size(); ++k) {
    EXPECT_LE(std::fabs(path[k] - path[k - 1]), o.max_speed / kFps + 1e-9) << "frame " << k;
  }
  EXPECT_LE(std::fabs(path.back() - 0.8), o.dead_zone * kCrop + 0.005) << "the subject ends inside the crop's middle";
  EXPECT_GE(path.back(), kCrop / 2);
  EXPECT_LE(path.back(), 1 - kCrop / 2);
}

TEST(PlanFollow, AJumpCutsOnTheNextBeat) {
  auto x = [](double t) { return t < 3.0 ? 0.2 : 0.85; };
  const mv::FollowOptions o;
  const auto beats = beats_every(0.5, 0.1, 8.0);
  const auto path = mv::plan_follow(samples(8.0, x), kCrop, beats, 8.0, kFps, o);
  std::vector<std::size_t> cuts;
  for (std::size_t k = 1; k < path.size(); ++k) {
    if (std::fabs(path[k] - path[k - 1]) > o.max_speed / kFps + 1e-9) cuts.push_back(k);
  }
  ASSERT_EQ(cuts.size(), 1u) << "one cut, no pan across the frame";
  const double t = static_cast<double>(cuts[0]) / kFps;
  EXPECT_GE(t, 3.0 + o.jump_hold_s - 0.3) << "not before the jump has lasted";
  double nearest = 1e9;
  for (double b : beats) nearest = std::min(nearest, std::fabs(b - t));
  EXPECT_LT(nearest, 1.0 / kFps + 1e-9) << "on a beat (" << t << " s)";
  EXPECT_NEAR(path.back(), 1 - kCrop / 2, 0.02) << "the crop at the right edge, the subject in it";
}

TEST(PlanFollow, NoSamplesOrAWideCropGiveTheCentre) {
  EXPECT_EQ(mv::plan_follow({}, kCrop, {}, 1.0, kFps), std::vector<double>(30, 0.5));
  EXPECT_EQ(mv::plan_follow(samples(1.0, [](double) { return 0.9; }), 1.0, {}, 1.0, kFps), std::vector<double>(30, 0.5));
}

/// A "plain" look (the picture only: no visualizer, no title) in `dir`'s config
/// folder; returns the environment that makes mvgen read it.
std::string plain_look_env(const fs::path& dir) {
  fs::create_directories(dir / "config" / "obs-music-video" / "looks");
  mvtest::write_text(dir / "config" / "obs-music-video" / "looks" / "plain.json",
                     R"({"name": "plain", "description": "the picture only", "visualizer": "none",
                         "over_pictures": "none", "title": "none"})");
  return "XDG_CONFIG_HOME=" + shell_quote((dir / "config").string()) + " ";
}

/// A 10 s 640×360 blue clip with a white 48 px square going left → right → left, and a tone.
struct MovingSquare {
  mvtest::TempDir dir;
  fs::path clip = dir / "square.mp4";
  std::string env;
  MovingSquare() {
    // overlay evaluates its position every frame (drawbox would not: its square would stand still).
    EXPECT_TRUE(mvtest::ffmpeg(
        "-f lavfi -i color=c=0x305080:s=640x360:d=10:r=30 -f lavfi -i color=c=white:s=48x48:r=30 "
        "-f lavfi -i sine=frequency=220:duration=10 "
        "-filter_complex \"[0][1]overlay=x='36+520*(0.5-0.5*cos(2*PI*t/10))':y=156:shortest=1[v]\" -map \"[v]\" -map 2:a "
        "-pix_fmt yuv420p -c:v libx264 -preset ultrafast -crf 10 -shortest " + shell_quote(clip.string())));
    env = plain_look_env(dir.path());
  }
  [[nodiscard]] std::vector<std::vector<unsigned char>> render(const std::string& fit) const {
    const fs::path out = dir / (fit + ".mp4");
    const auto r = mvtest::run_command(env + shell_quote(mvtest::mvgen_path()) + " generate " + shell_quote(clip.string()) +
                                       " -o " + shell_quote(out.string()) + " --look plain --size 180x320 --fit " + fit +
                                       " --preset ultrafast --crf 10 --quiet");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return mvtest::grey_frames(out, 180, 320);
  }
};

int white_pixels(const std::vector<unsigned char>& f) {
  int n = 0;
  for (unsigned char v : f) n += v > 200 ? 1 : 0;
  return n;
}

TEST(Reframe, AMovingSubjectStaysInsideTheVerticalCrop) {
  MovingSquare clip;
  const auto follow = clip.render("follow");
  ASSERT_EQ(follow.size(), 300u);
  // The square, 48 px of a 640 px picture, is about 43 × 43 px in the 180 px wide crop.
  int inside = 0, centre_inside = 0;
  for (const auto& f : follow) inside += white_pixels(f) > 1200 ? 1 : 0;
  EXPECT_GE(inside, 285) << "the square is in the frame in at least 95 % of the frames";
  // A centred crop (what a 9:16 render did before) loses it for most of the clip.
  const auto bars = clip.render("letterbox");
  ASSERT_EQ(bars.size(), 300u);
  for (int k = 0; k < 300; k += 10) {
    const double x = 36 + 520 * (0.5 - 0.5 * std::cos(2 * M_PI * k / 300.0)) + 24;
    centre_inside += std::fabs(x - 320) < 101 - 24 ? 1 : 0;
  }
  EXPECT_LT(centre_inside, 15) << "the test moves the square out of a centred crop";
  // The square moves: in the letterboxed whole picture its column changes.
  auto column = [](const std::vector<unsigned char>& f) {
    double s = 0, n = 0;
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (f[i] > 200) s += static_cast<double>(i % 180), ++n;
    }
    return n > 0 ? s / n : -1.0;
  };
  EXPECT_GT(column(bars[150]) - column(bars[0]), 100.0) << "left at 0 s, right at 5 s";
}

TEST(Reframe, BlurFillsTheFrameAndLetterboxLeavesBars) {
  MovingSquare clip;
  const auto blur = clip.render("blur"), bars = clip.render("letterbox");
  ASSERT_EQ(blur.size(), 300u);
  ASSERT_EQ(bars.size(), 300u);
  auto mean_rows = [](const std::vector<unsigned char>& f, int y0, int y1) {
    double s = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = 0; x < 180; ++x) s += f[static_cast<std::size_t>(y * 180 + x)];
    }
    return s / ((y1 - y0) * 180);
  };
  // The picture fits 180 × 102 in the middle (rows 109–211); above and below: the blurred copy or black.
  EXPECT_LT(mean_rows(bars[150], 0, 100), 20.0);
  EXPECT_GT(mean_rows(blur[150], 0, 100), 30.0) << "the blurred, darkened blue";
  EXPECT_NEAR(mean_rows(bars[150], 120, 200), mean_rows(blur[150], 120, 200), 4.0) << "the same picture in the middle";
  EXPECT_GT(white_pixels(blur[150]), 150) << "the whole picture, square included";
}

TEST(Reframe, AFaceIsFollowedEvenWhenSomethingElseMovesMore) {
  const fs::path photo = mvtest::sample_dir() / "faces" / "messi5.jpg";
  ASSERT_TRUE(fs::exists(photo)) << "no face photo: scripts/fetch-sample.sh fetches it (the test command runs it)";
  mvtest::TempDir dir;
  const fs::path clip = dir / "face.mp4";
  // The photo's face (at 227,94, 37 px of its 548 × 342) cut out and scaled 3× (a face 111 px tall,
  // 15 % of 720), walking from left to right over 8 s, while a white square flickers in the far right
  // corner: the motion centroid sits near the square, the face is elsewhere.
  ASSERT_TRUE(mvtest::ffmpeg(
      "-f lavfi -i color=c=0x202020:s=1280x720:d=8:r=30 -loop 1 -framerate 30 -i " + shell_quote(photo.string()) +
      " -f lavfi -i color=c=white:s=90x90:r=30 -filter_complex "
      "\"[1]crop=150:150:170:40,scale=450:450[f];[2]format=yuv420p,geq=lum='255*mod(floor(T*8),2)':cb=128:cr=128[sq];"
      "[0][f]overlay=x='40+80*t':y=135:shortest=1[a];[a][sq]overlay=x='1170':y=40+300*mod(t\\,1)[v]\" -map \"[v]\" -t 8 "
      "-pix_fmt yuv420p -c:v libx264 -preset ultrafast -crf 12 " + shell_quote(clip.string())));
  const auto scan = mv::scan_subject(clip, 0.0, 8.0);
  ASSERT_EQ(scan.size(), 32u);
  int faces = 0;
  for (const auto& s : scan) {
    // The face's centre: the cut-out's (x 40 + 80 t + 3 × (227 + 18 − 170), of 1280).
    const double truth = (40 + 80 * s.time_s + 3 * (227 + 18.5 - 170)) / 1280.0;
    if (!s.face) continue;
    ++faces;
    EXPECT_NEAR(s.x, truth, 0.04) << "at " << s.time_s << " s";
    EXPECT_GT(s.face_height, 0.10);
  }
  EXPECT_GE(faces, 28) << "the face is found in most samples";
  // The crop path keeps the face inside the 9:16 crop throughout.
  const auto path = mv::plan_follow(scan, kCrop, beats_every(0.5, 0.0, 8.0), 8.0, kFps);
  ASSERT_EQ(path.size(), 240u);
  int inside = 0;
  for (std::size_t k = 0; k < path.size(); ++k) {
    const double truth = (40 + 80 * (static_cast<double>(k) / 30.0) + 3 * (227 + 18.5 - 170)) / 1280.0;
    inside += std::fabs(truth - path[k]) < kCrop / 2 - 0.03 ? 1 : 0;
  }
  EXPECT_GE(inside, 228) << "the face is in the crop in 95 % of the frames";
}

TEST(Reframe, AFacecamOverGameplayIsStackedInTheVerticalFrame) {
  const fs::path photo = mvtest::sample_dir() / "faces" / "messi5.jpg";
  ASSERT_TRUE(fs::exists(photo)) << "no face photo: scripts/fetch-sample.sh fetches it (the test command runs it)";
  mvtest::TempDir dir;
  const fs::path clip = dir / "stream.mp4";
  // "Gameplay" (FFmpeg's moving test pattern) with a webcam in the lower-left corner: the photo's
  // face cut out at 400 × 400 px (its face about 100 px, 14 % of 720).
  ASSERT_TRUE(mvtest::ffmpeg(
      "-f lavfi -i testsrc2=s=1280x720:r=30:d=8 -loop 1 -framerate 30 -i " + shell_quote(photo.string()) +
      " -f lavfi -i sine=frequency=220:duration=8 -filter_complex "
      "\"[1]crop=150:150:170:40,scale=400:400[f];[0][f]overlay=x=20:y=300:shortest=1[v]\" -map \"[v]\" -map 2:a -t 8 "
      "-pix_fmt yuv420p -c:v libx264 -preset ultrafast -crf 12 -c:a aac " + shell_quote(clip.string())));
  const auto scan = mv::scan_subject(clip, 0.0, 8.0);
  const auto box = mv::find_facecam(scan, 16.0 / 9.0);
  ASSERT_TRUE(box.has_value()) << "the webcam corner is found";
  const double face_x = (20 + 3 * (227 + 18.5 - 170) * 400.0 / 450.0) / 1280.0, face_y = (300 + (94 + 18.5 - 40) * 400.0 / 150.0) / 720.0;
  EXPECT_LT(box->x0, face_x);
  EXPECT_GT(box->x1, face_x);
  EXPECT_LT(box->y0, face_y);
  EXPECT_GT(box->y1, face_y);
  EXPECT_LT(box->x1 - box->x0, 0.5) << "a corner, not the picture";
  // A face filling the shot, or one that walks about, is not a facecam (the earlier test's clip).
  std::vector<mv::SubjectSample> walking;
  for (int i = 1; i <= 32; ++i) walking.push_back({i * 0.25, 0.2 + 0.02 * i, 0.5, 0.01, true, 0.15});
  EXPECT_FALSE(mv::find_facecam(walking, 16.0 / 9.0).has_value());
  std::vector<mv::SubjectSample> big = walking;
  for (auto& s : big) s.x = 0.2, s.face_height = 0.3;
  EXPECT_FALSE(mv::find_facecam(big, 16.0 / 9.0).has_value());

  // Rendered 9:16: the top panel is the webcam box, the rest the gameplay's centre.
  const fs::path out = dir / "short.mp4";
  const auto r = mvtest::run_command(plain_look_env(dir.path()) + shell_quote(mvtest::mvgen_path()) + " generate " +
                                     shell_quote(clip.string()) + " -o " +
                                     shell_quote(out.string()) + " --look plain --size 180x320 --preset ultrafast --crf 10 --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto frames = mvtest::grey_frames(out, 180, 320);
  ASSERT_GE(frames.size(), 120u);
  // The source's own frame 60, grey, for the expected panels.
  const fs::path still = dir / "frame.mp4";
  ASSERT_TRUE(mvtest::ffmpeg("-i " + shell_quote(clip.string()) + " -vf \"select=eq(n\\,60)\" -frames:v 1 -c:v libx264 -crf 0 " + shell_quote(still.string())));
  const auto source = mvtest::grey_frames(still, 1280, 720);
  ASSERT_EQ(source.size(), 1u);
  const int panel = mv::facecam_panel_height(180, 320);  // 100 rows: 180 × 9 / 16, even
  auto mean_diff = [&](int y0, int y1, double sx0, double sy0, double sx1, double sy1) {
    double sum = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = 0; x < 180; ++x) {
        const int u = static_cast<int>((sx0 + (sx1 - sx0) * (x + 0.5) / 180.0) * 1280), v = static_cast<int>((sy0 + (sy1 - sy0) * (y - y0 + 0.5) / (y1 - y0)) * 720);
        sum += std::abs(int(frames[60][static_cast<std::size_t>(y * 180 + x)]) - int(source[0][static_cast<std::size_t>(v * 1280 + u)]));
      }
    }
    return sum / ((y1 - y0) * 180.0);
  };
  const double cam = mean_diff(4, panel - 6, box->x0, box->y0, box->x1, box->y1);
  // (Fine detail differs between FFmpeg's area scaling and this point sampling: about 20 code values.)
  EXPECT_LT(cam, 28.0) << "the top panel shows the webcam box";
  // The gameplay panel: the centre crop of the picture, as wide as its aspect allows.
  const double game_w = (180.0 / (320 - panel)) / (16.0 / 9.0);
  const double game = mean_diff(panel + 6, 316, 0.5 - game_w / 2, 0.0, 0.5 + game_w / 2, 1.0);
  EXPECT_LT(game, 20.0) << "the bottom panel shows the gameplay's centre";
  // Not the same as an unstacked centre crop of the whole frame.
  const double unstacked = mean_diff(4, panel - 6, 0.5 - 0.158, 0.0, 0.5 + 0.158, 1.0 * panel / 320);
  EXPECT_GT(unstacked, cam + 15.0) << "unstacked: " << unstacked << ", stacked: " << cam;
}

}  // namespace
