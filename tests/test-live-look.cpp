// test-live-look.cpp — the same picture live and in the file (issue 27, point
// 3): LiveLook, the frame producer of the live source (no OBS in it), fed a
// song in OBS-sized blocks, against `mvgen generate --analysis live` of the
// same song, frame by frame.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <vector>

#include "mv/base/error.hpp"
#include "mv/media/media.hpp"
#include "mv/render/generate.hpp"
#include "mv/render/live-look.hpp"
#include "live-render.hpp"
#include "test-support.hpp"

namespace fs = std::filesystem;

namespace {

/// PSNR (dB) of two 8-bit planes; 99 when identical.
double psnr(const std::uint8_t* a, const std::uint8_t* b, std::size_t n) {
  double se = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(a[i]) - b[i];
    se += d * d;
  }
  if (se == 0.0) return 99.0;
  return 10.0 * std::log10(255.0 * 255.0 / (se / static_cast<double>(n)));
}

/// The settings mvtest::render_live_raw() renders `look` with: 320x180, no title card.
mv::VideoSettings small_settings(const std::string& look) {
  mv::VideoSettings vs;
  vs.framing.size = std::make_pair(320, 180);
  vs.look.name = look;
  vs.captions.title_card = false;
  return vs;
}

/// Pushes stereo `samples` (interleaved, 48 kHz) into `live` in OBS's 1024-frame blocks (21 ms)
/// from frame `pushed` on, until frame `k`'s time at 30 fps is covered; returns the new `pushed`.
std::size_t push_for_frame(mv::LiveLook& live, const std::vector<float>& samples, std::size_t pushed, std::int64_t k) {
  const std::size_t total = samples.size() / 2;
  while (pushed < total && static_cast<double>(pushed) / 48000.0 < static_cast<double>(k + 1) / 30.0) {
    const std::size_t n = std::min<std::size_t>(1024, total - pushed);
    live.push(samples.data() + pushed * 2, n);
    pushed += n;
  }
  return pushed;
}

/// `name` drawn live at 320x180 (no title card) with a transparent background (LiveLook's
/// transparent: no ground, coverage tracked), for 48 kHz stereo.
std::unique_ptr<mv::LiveLook> transparent_look(const std::string& name) {
  const mv::VideoSettings vs = small_settings(name);
  return std::make_unique<mv::LiveLook>(mv::resolve_look(vs), vs, 48000, 2, std::make_pair(mv::kDefaultMinBpm, mv::kDefaultMaxBpm), true);
}

}  // namespace

TEST(LiveLook, TheLiveFramesAreTheFileRenderedWithAnalysisLive) {
  mvtest::TempDir dir;
  constexpr int kRate = 48000;
  const fs::path song = dir.path() / "song.wav";
  mvtest::write_wav(song, mvtest::stereo_drums(124.0, 8.0, kRate, 0.7f), kRate, 2);
  std::string output;
  const fs::path raw = mvtest::render_live_raw(song, "bars", "", dir.path(), &output);
  ASSERT_FALSE(raw.empty()) << output;

  // The live source's producer, with the settings the file was made with.
  const mv::VideoSettings vs = small_settings("bars");
  const mv::ResolvedLook look = mv::resolve_look(vs);
  const std::vector<float> samples = mvtest::decoded_samples(song);  // the decoded samples the file render pushed
  mv::LiveLook live(look, vs, kRate, 2);
  mv::Canvas canvas(320, 180);
  std::ifstream file(raw, std::ios::binary);
  const std::size_t luma = 320 * 180, chroma = 160 * 90;
  std::vector<std::uint8_t> frame(luma + 2 * chroma);
  std::size_t pushed = 0, compared = 0;
  double worst = 99.0;
  for (std::int64_t k = 0; file.read(reinterpret_cast<char*>(frame.data()), static_cast<std::streamsize>(frame.size())); ++k) {
    pushed = push_for_frame(live, samples, pushed, k);
    live.draw(k, canvas);
    const double p = std::min({psnr(canvas.y(), frame.data(), luma), psnr(canvas.u(), frame.data() + luma, chroma),
                               psnr(canvas.v(), frame.data() + luma + chroma, chroma)});
    worst = std::min(worst, p);
    ++compared;
  }
  std::printf("%zu frames compared; worst plane PSNR %.1f dB (99: identical); live tempo %.1f BPM\n", compared, worst,
              live.analyzer().tempo_bpm());
  EXPECT_GE(compared, 235u);
  EXPECT_GE(worst, 45.0);
  EXPECT_FALSE(live.analyzer().beats().empty());
}

// An excerpt rendered with --analysis live is heard from 10 s before its start (as a live
// source had heard it when "Save as video" cuts its last minutes): its frames are those a
// LiveLook draws after hearing the same 10 s first.
TEST(LiveLook, AnExcerptIsHeardFromTenSecondsBeforeItsStart) {
  mvtest::TempDir dir;
  constexpr int kRate = 48000;
  const fs::path song = dir.path() / "song.wav";
  mvtest::write_wav(song, mvtest::stereo_drums(118.0, 18.0, kRate, 0.5f), kRate, 2);
  std::string output;
  const fs::path raw = mvtest::render_live_raw(song, "pulse", "--start 12 --duration 4", dir.path(), &output);
  ASSERT_FALSE(raw.empty()) << output;

  const mv::VideoSettings vs = small_settings("pulse");
  const mv::ResolvedLook look = mv::resolve_look(vs);
  const std::vector<float> samples = mvtest::decoded_samples(song, 2.0);  // from 10 s before the excerpt
  mv::LiveLook live(look, vs, kRate, 2);
  mv::Canvas canvas(320, 180);
  std::ifstream file(raw, std::ios::binary);
  const std::size_t size = 320 * 180 * 3 / 2;
  std::vector<std::uint8_t> frame(size);
  std::size_t pushed = 0, same = 0, compared = 0;
  for (std::int64_t j = 0; file.read(reinterpret_cast<char*>(frame.data()), static_cast<std::streamsize>(size)); ++j) {
    const std::int64_t k = 300 + j;  // 10 s at 30 fps heard first
    pushed = push_for_frame(live, samples, pushed, k);
    live.draw(k, canvas);
    const bool identical = std::equal(canvas.y(), canvas.y() + 320 * 180, frame.data()) &&
                           std::equal(canvas.u(), canvas.u() + 160 * 90, frame.data() + 320 * 180) &&
                           std::equal(canvas.v(), canvas.v() + 160 * 90, frame.data() + 320 * 180 + 160 * 90);
    same += identical ? 1 : 0;
    ++compared;
  }
  std::printf("%zu of %zu excerpt frames byte-identical; live tempo %.1f BPM\n", same, compared,
              live.analyzer().tempo_bpm());
  EXPECT_EQ(compared, 120U);
  EXPECT_EQ(same, compared);
  EXPECT_NEAR(live.analyzer().tempo_bpm(), 118.0, 2.0);
}

// A streamer switches the picture back to the look's own background (or the picture's file
// goes away): the restyled look draws what a look made without a picture draws.
TEST(LiveLook, RestyledWithoutItsPictureItDrawsItsOwnBackgroundAgain) {
  mvtest::TempDir dir;
  const fs::path cover = dir.path() / "cover.png";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i gradients=s=320x320:seed=3 -frames:v 1 " + mvtest::shell_quote(cover.string())));
  mv::VideoSettings vs = small_settings("club");
  vs.look.palette = "sunset";
  const mv::ResolvedLook look = mv::resolve_look(vs);
  mv::LiveLook plain(look, vs, 48000, 2);
  mv::VideoSettings with_picture = vs;
  with_picture.backdrop = cover;
  mv::LiveLook restyled(look, with_picture, 48000, 2);
  mv::Canvas a(320, 180), b(320, 180);
  restyled.draw(0, b);
  const double pictured = std::accumulate(b.y(), b.y() + 320 * 180, 0.0) / (320 * 180);
  restyled.restyle(look, vs, 0.0);
  double differ = 0.0;
  for (std::int64_t k = 1; k <= 30; ++k) {
    plain.draw(k, a);
    restyled.draw(k, b);
    differ = std::max(differ, psnr(a.y(), b.y(), 320 * 180) < 99.0 ? 1.0 : 0.0);
  }
  const double own = std::accumulate(a.y(), a.y() + 320 * 180, 0.0) / (320 * 180);
  const double after = std::accumulate(b.y(), b.y() + 320 * 180, 0.0) / (320 * 180);
  std::printf("mean luma: with the picture %.1f; restyled without it %.1f; a look made without one %.1f\n", pictured, after, own);
  EXPECT_EQ(differ, 0.0) << "restyled without its picture, the look draws other frames than a look made without one";
}

TEST(LiveLook, LooksThatDrawTheInputsFootageAreRefused) {
  mv::VideoSettings vs;
  vs.framing.size = std::make_pair(320, 180);
  vs.look.name = "bars";
  mv::ResolvedLook look = mv::resolve_look(vs);
  look.pictures = "footage";
  try {
    mv::LiveLook live(look, vs, 48000, 2);
    FAIL() << "a footage look was accepted live";
  } catch (const mv::Error& e) {
    EXPECT_EQ(e.code(), mv::ErrorCode::Usage);
    EXPECT_NE(std::string(e.what()).find("footage"), std::string::npos) << e.what();
  }
}

TEST(LiveLook, AnalysisLiveIsAnOptionWithItsOwnErrors) {
  mvtest::TempDir dir;
  const fs::path song = dir.path() / "song.wav";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=220:duration=3 -ac 2 " + mvtest::shell_quote(song.string())));
  const std::string mvgen = mvtest::shell_quote(mvtest::mvgen_path()) + " generate " + mvtest::shell_quote(song.string()) +
                            " -o " + mvtest::shell_quote((dir.path() / "x.mp4").string()) + " --size 160x90 ";
  auto r = mvtest::run_command(mvgen + "--analysis maybe");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--analysis must be live or song"), std::string::npos) << r.output;
  r = mvtest::run_command(mvgen + "--analysis live --look montage");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_FALSE(fs::exists(dir.path() / "x.mp4"));
  r = mvtest::run_command(mvgen + "--analysis live --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir.path() / "x.mp4"));
}

namespace {

/// The canvas at (x, y) as R'G'B' 0..1 (BT.709 limited range; chroma of its 2×2 block).
std::array<double, 3> rgb_at(const mv::Canvas& c, int x, int y) {
  const double yy = (c.y()[y * c.y_stride() + x] - 16) / 219.0;
  const double cb = (c.u()[(y / 2) * c.uv_stride() + x / 2] - 128) / 224.0;
  const double cr = (c.v()[(y / 2) * c.uv_stride() + x / 2] - 128) / 224.0;
  return {yy + 1.5748 * cr, yy - 0.1873 * cb - 0.4681 * cr, yy + 1.8556 * cb};
}

}  // namespace

// A transparent look is drawn over black and black is taken away: alpha is the brightest
// of R'G'B' (so a pure blue is opaque though its luma is low), the colour is divided by it.
TEST(LiveLook, AlphaFromBlackKeepsColoursAndMakesBlackClear) {
  mv::Canvas c(8, 2);
  c.fill(mv::Rgb{0, 0, 0});
  c.blend_rect(2, 0, 2, 2, mv::Rgb{255, 255, 255}, 1.0);  // white
  c.blend_rect(4, 0, 2, 2, mv::Rgb{255, 0, 0}, 0.5);      // red at half over black
  c.blend_rect(6, 0, 2, 2, mv::Rgb{0, 0, 255}, 1.0);      // blue
  std::vector<std::uint8_t> alpha;
  mv::alpha_from_black(c, alpha);
  ASSERT_EQ(alpha.size(), 16u);
  EXPECT_EQ(alpha[0], 0);    // black: clear
  EXPECT_EQ(alpha[9], 0);
  EXPECT_EQ(alpha[2], 255);  // white: opaque, still white
  EXPECT_NEAR(rgb_at(c, 2, 0)[1], 1.0, 0.02);
  EXPECT_NEAR(alpha[4], 128, 3);  // half red: half clear, and red again
  const auto red = rgb_at(c, 4, 1);
  EXPECT_NEAR(red[0], 1.0, 0.04);
  EXPECT_LT(std::max(red[1], red[2]), 0.06);
  EXPECT_GE(alpha[6], 250);  // blue: opaque though its Y' is 16 %
  EXPECT_NEAR(rgb_at(c, 6, 0)[2], 1.0, 0.04);

  // With coverage tracked, what was drawn dark is kept (a title's shadow, a record's vinyl):
  // black at 80 % covers 80 %, and stays black; light added without covering (glow) is unmultiplied.
  mv::Canvas d(8, 2);
  d.track_coverage(true);
  d.clear();
  d.blend_rect(0, 0, 2, 2, mv::Rgb{0, 0, 0}, 0.8);
  d.blend_rect(2, 0, 2, 2, mv::Rgb{200, 200, 200}, 0.5);
  d.y()[6] = d.y()[14] = 16 + 110;  // light added there (as glow adds it), nothing covered
  mv::alpha_from_black(d, alpha);
  EXPECT_NEAR(alpha[0], 204, 2);
  EXPECT_EQ(d.y()[0], 16);
  EXPECT_NEAR(alpha[2], 128, 2);  // grey at half: half covered, its own grey
  EXPECT_NEAR(d.y()[2], 16 + 219 * 200 / 255, 3);
  EXPECT_NEAR(alpha[6], 128, 2);  // the added light: alpha of its brightness, white
  EXPECT_GE(d.y()[6], 233);
  EXPECT_EQ(alpha[4], 0);         // nothing there
}

// The live source's "Transparent background": the bars look without its ground, laid over
// the streamer's scene. Where nothing is drawn is clear; the bars are opaque; laid back over
// black (straight alpha) the frame is the one drawn over black.
TEST(LiveLook, ATransparentLookIsClearWhereNothingIsDrawn) {
  const std::vector<float> samples = mvtest::stereo_drums(124.0, 4.0, 48000, 0.7f);
  const auto look = transparent_look("bars");
  mv::LiveLook& live = *look;
  mv::Canvas canvas(320, 180), drawn(320, 180);
  std::vector<std::uint8_t> alpha;
  std::size_t pushed = 0;
  for (std::int64_t k = 0; k < 100; ++k) {
    pushed = push_for_frame(live, samples, pushed, k);
    live.draw(k, canvas);
    drawn.copy_from(canvas);
    mv::alpha_from_black(canvas, alpha);
  }
  // The top rows (above the bars: the title card is off) and the corners: clear.
  std::size_t clear = 0, opaque = 0;
  for (int y = 0; y < 180; ++y) {
    for (int x = 0; x < 320; ++x) {
      const std::uint8_t a = alpha[static_cast<std::size_t>(y * 320 + x)];
      if (y < 20) {
        EXPECT_EQ(a, 0) << x << "," << y;
      }
      clear += a == 0 ? 1 : 0;
      opaque += a >= 200 ? 1 : 0;
    }
  }
  EXPECT_GT(clear, 320u * 180u / 3) << "most of the frame shows the scene under it";
  EXPECT_GT(opaque, 320u * 180u / 50) << "the bars cover it";
  // Straight colour × alpha over black is the frame drawn over black, within rounding.
  int worst = 0;
  for (int y = 0; y < 180; ++y) {
    for (int x = 0; x < 320; ++x) {
      const double a = alpha[static_cast<std::size_t>(y * 320 + x)] / 255.0;
      const int back = static_cast<int>(std::lround(16.0 + (canvas.y()[y * 320 + x] - 16) * a));
      worst = std::max(worst, std::abs(back - drawn.y()[y * 320 + x]));
    }
  }
  EXPECT_LE(worst, 2) << "luma after taking black away and laying it back over black";
}

// Dark things a transparent look draws cover what is under them: halo's record (its vinyl
// near black) stays opaque while the frame shakes with the bass.
TEST(LiveLook, ATransparentHaloKeepsItsRecordOpaque) {
  const std::vector<float> samples = mvtest::stereo_drums(124.0, 4.0, 48000, 0.7f);
  const auto look = transparent_look("halo");
  mv::LiveLook& live = *look;
  mv::Canvas canvas(320, 180);
  std::vector<std::uint8_t> alpha;
  std::size_t pushed = 0;
  int dark_opaque = 0, checked = 0;
  for (std::int64_t k = 0; k < 110; ++k) {
    pushed = push_for_frame(live, samples, pushed, k);
    live.draw(k, canvas);
    if (k < 60) continue;
    mv::alpha_from_black(canvas, alpha);
    // The record's vinyl: a ring between 45 % and 75 % of its radius (0.17 of the height), about
    // the centre (160, 90); the shake moves it by at most a few pixels.
    for (int y = 60; y < 120; ++y) {
      for (int x = 130; x < 190; ++x) {
        const double r = std::hypot(x + 0.5 - 160.0, y + 0.5 - 90.0) / (0.17 * 180);
        if (r < 0.45 || r > 0.75) continue;
        ++checked;
        const auto i = static_cast<std::size_t>(y * 320 + x);
        if (alpha[i] >= 250 && canvas.y()[i] < 16 + 110) ++dark_opaque;
      }
    }
  }
  ASSERT_GT(checked, 0);
  EXPECT_GT(dark_opaque, checked * 9 / 10) << "the vinyl is dark and covers the scene (not see-through)";
}

// alpha_from_black() takes 16 pixels at a time with AVX2 where the CPU has it: the same bytes
// as the plain loop, on frames of every look drawn transparent (glow, text, shake, rings).
TEST(LiveLook, AlphaFromBlackGivesTheSameBytesOnEveryVectorPath) {
  if (mv::simd_level() == mv::SimdLevel::None) GTEST_SKIP() << "no AVX2 on this CPU: one path only";
  constexpr int kRate = 48000;
  const std::vector<float> samples = mvtest::stereo_drums(124.0, 3.0, kRate, 0.7f);
  std::size_t compared = 0;
  for (const char* name : {"bars", "club", "halo", "lofi", "pulse", "retro", "wave"}) {
    mv::VideoSettings vs = small_settings(name);
    vs.framing.size = std::make_pair(326, 184);  // not a multiple of 16 pixels: the plain loop finishes each row
    vs.captions.title_card = true;
    vs.captions.title = "Night Shift";
    const mv::ResolvedLook look = mv::resolve_look(vs);
    mv::LiveLook live(look, vs, kRate, 2, {mv::kDefaultMinBpm, mv::kDefaultMaxBpm}, true);
    mv::Canvas canvas(326, 184), plain(326, 184);
    std::vector<std::uint8_t> a_vector, a_plain;
    std::size_t pushed = 0;
    for (std::int64_t k = 0; k < 80; ++k) {
      pushed = push_for_frame(live, samples, pushed, k);
      live.draw(k, canvas);
      if (k % 20 != 19) continue;
      plain.copy_from(canvas);
      mv::alpha_from_black(canvas, a_vector, mv::simd_level());
      mv::alpha_from_black(plain, a_plain, mv::SimdLevel::None);
      ASSERT_EQ(a_vector, a_plain) << name << " frame " << k;
      ASSERT_TRUE(std::equal(canvas.y(), canvas.y() + 326 * 184, plain.y())) << name << " frame " << k;
      ASSERT_TRUE(std::equal(canvas.u(), canvas.u() + 163 * 92, plain.u())) << name << " frame " << k;
      ASSERT_TRUE(std::equal(canvas.v(), canvas.v() + 163 * 92, plain.v())) << name << " frame " << k;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 28u);
}
