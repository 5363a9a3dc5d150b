// test-looks.cpp — looks are data (issue 10, point 4): the bundled looks, the
// schema's errors naming the file and the field, the user's folder, `mvgen
// looks`, --look and prompt words; and what the effects do to the frames
// (letterbox bars, film grain that changes per frame but not per run).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "mv/base/error.hpp"
#include "mv/render/generate.hpp"
#include "mv/render/look.hpp"
#include "layers.hpp"  // white-box: soft_ceiling (core/src/render)
#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using mvtest::shell_quote;

using mvtest::write_text;

/// The message of the mv::Error that `f` throws ("" if none).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const mv::Error& e) {
    return e.what();
  }
  return "";
}

TEST(Looks, AtLeastSixBundledLooksIncludingTheNamedOnesEachDescribed) {
  const auto lib = mv::LookLibrary::load("/nonexistent-folder");
  std::set<std::string> names;
  for (const auto& l : lib.looks()) {
    names.insert(l.name);
    EXPECT_FALSE(l.description.empty()) << l.name;
    EXPECT_EQ(l.file.filename().string(), l.name + ".json") << "a bundled look's file is named after it";
  }
  EXPECT_GE(names.size(), 6u);
  for (const char* n : {"halo", "club", "cinema", "lofi", "retro", "bars", "wave", "pulse"}) {
    EXPECT_EQ(names.count(n), 1u) << n;
  }
  EXPECT_TRUE(lib.problems().empty());
  EXPECT_EQ(lib.find("halo").visualizer, "halo");
  EXPECT_EQ(lib.find("cinema").grade, "teal-orange");
  EXPECT_GT(lib.find("cinema").effects.letterbox, 0.0);
}

TEST(Looks, ABadFileGetsAnErrorNamingTheFileAndTheField) {
  const fs::path f = "/home/me/looks/mine.json";
  auto msg = [&](const std::string& text) { return error_of([&] { (void)mv::parse_look(text, f); }); };
  const std::string ok = R"("name": "mine", "description": "d")";
  EXPECT_NE(msg("{ not json").find("mine.json is not valid JSON"), std::string::npos);
  EXPECT_NE(msg(R"({"description": "d"})").find("field \"name\" is required"), std::string::npos);
  EXPECT_NE(msg(R"({"name": "Mine!", "description": "d"})").find("field \"name\""), std::string::npos);
  const std::string glow = msg("{" + ok + R"(, "effects": {"glow": "lots"}})");
  EXPECT_NE(glow.find("/home/me/looks/mine.json"), std::string::npos) << glow;
  EXPECT_NE(glow.find("field \"effects.glow\" must be a number from 0 to 1 (got \"lots\")"), std::string::npos) << glow;
  EXPECT_NE(msg("{" + ok + R"(, "effects": {"glw": 0.5}})").find("\"effects.glw\" is not an effect"), std::string::npos);
  EXPECT_NE(msg("{" + ok + R"(, "visualizer": "laser"})").find("field \"visualizer\" must be one of bars"), std::string::npos);
  EXPECT_NE(msg("{" + ok + R"(, "palette": "plaid"})").find("field \"palette\""), std::string::npos);
  EXPECT_NE(msg("{" + ok + R"(, "intensity": 9})").find("field \"intensity\" must be a number from 0.3 to 2"), std::string::npos);
  EXPECT_NE(msg("{" + ok + R"(, "colour": "red"})").find("field \"colour\" is not a look field"), std::string::npos);
  EXPECT_EQ(msg("{" + ok + "}"), "");
}

TEST(Looks, TheUsersFolderAddsAndReplacesLooksAndSkipsABadFile) {
  mvtest::TempDir dir;
  write_text(dir / "mine.json", R"({"name": "mine", "description": "my own", "visualizer": "halo", "keywords": ["mystyle"]})");
  write_text(dir / "bars.json", R"({"name": "bars", "description": "my bars", "visualizer": "club"})");
  write_text(dir / "broken.json", R"({"name": "broken", "description": "x", "effects": {"grain": 2}})");
  write_text(dir / "notes.txt", "not a look");
  const auto lib = mv::LookLibrary::load(dir.path());
  ASSERT_TRUE(lib.contains("mine"));
  EXPECT_EQ(lib.find("mine").visualizer, "halo");
  EXPECT_EQ(lib.find("bars").description, "my bars");
  EXPECT_EQ(lib.find("mine").file, dir / "mine.json");
  ASSERT_EQ(lib.problems().size(), 1u);
  EXPECT_NE(lib.problems()[0].find("broken.json"), std::string::npos);
  EXPECT_NE(lib.problems()[0].find("\"effects.grain\""), std::string::npos);
  const std::string broken = error_of([&] { (void)lib.find("broken"); });
  EXPECT_NE(broken.find("\"effects.grain\""), std::string::npos) << "asking for it repeats why it failed";
  const std::string unknown = error_of([&] { (void)lib.find("nosuch"); });
  EXPECT_NE(unknown.find("unknown look \"nosuch\"; known looks: bars"), std::string::npos) << unknown;
}

TEST(Looks, PromptWordsChooseLooks) {
  EXPECT_EQ(mv::parse_prompt("a trap visualizer").style.value_or(""), "halo");
  EXPECT_EQ(mv::parse_prompt("80s synthwave vibes").style.value_or(""), "retro");
  EXPECT_EQ(mv::parse_prompt("做一个电影感的视频").style.value_or(""), "cinema");
  EXPECT_EQ(mv::parse_prompt("lofi study beats").style.value_or(""), "lofi");
  mv::VideoSettings s;
  s.prompt = "synthwave";
  const auto look = mv::resolve_look(s);
  EXPECT_EQ(look.style, "retro");
  EXPECT_EQ(look.palette, "neon");  // "synthwave" is also a palette word
  EXPECT_EQ(look.look.visualizer, "retro");
}

TEST(Looks, MvgenLooksPrintsOnePerLineAndUsesTheUsersFolder) {
  mvtest::TempDir dir;
  const fs::path looks = dir / "obs-music-video" / "looks";
  fs::create_directories(looks);
  write_text(looks / "mine.json", R"({"name": "mine", "description": "my own look", "visualizer": "club", "palette": "fire"})");
  write_text(looks / "bad.json", R"({"name": "bad", "description": "x", "title": "sideways"})");
  const std::string env = "XDG_CONFIG_HOME=" + shell_quote(dir.path().string()) + " ";
  const auto out = mvtest::run_stdout(env + shell_quote(mvtest::mvgen_path()) + " looks");
  ASSERT_EQ(out.exit_code, 0) << out.output;
  std::istringstream lines(out.output);
  std::string line;
  std::set<std::string> names;
  while (std::getline(lines, line)) {
    const auto space = line.find("  ");
    ASSERT_NE(space, std::string::npos) << line;
    names.insert(line.substr(0, space));
    EXPECT_GT(line.size(), space + 4) << "a description follows the name: " << line;
  }
  EXPECT_GE(names.size(), 7u);
  EXPECT_EQ(names.count("mine"), 1u);
  EXPECT_EQ(names.count("halo"), 1u);
  EXPECT_EQ(names.count("bad"), 0u);
  const auto all = mvtest::run_command(env + shell_quote(mvtest::mvgen_path()) + " looks");
  EXPECT_NE(all.output.find("bad.json: field \"title\""), std::string::npos) << all.output;

  // --look with the user's look renders with it; an unknown look is a usage error naming the known ones.
  const fs::path song = dir / "song.wav";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=220:duration=2 -ac 2 " + shell_quote(song.string())));
  auto r = mvtest::run_command(env + shell_quote(mvtest::mvgen_path()) + " generate " + shell_quote(song.string()) + " -o " +
                               shell_quote((dir / "mine.mp4").string()) + " --look mine --size 160x90 --preset ultrafast --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"look\":\"mine\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"palette\":\"fire\""), std::string::npos) << "the look's palette" << r.output;
  r = mvtest::run_command(env + shell_quote(mvtest::mvgen_path()) + " generate " + shell_quote(song.string()) + " -o " +
                          shell_quote((dir / "x.mp4").string()) + " --look nosuch");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("known looks: bars"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("mine"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "x.mp4"));
}

/// Mean luma of rows [y0, y1) of a grey frame of width w.
double rows_mean(const std::vector<unsigned char>& f, int w, int y0, int y1) {
  double s = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = 0; x < w; ++x) s += f[static_cast<std::size_t>(y * w + x)];
  }
  return s / ((y1 - y0) * w);
}

TEST(Effects, CinemaLetterboxesAndItsGrainMovesPerFrameButNotPerRun) {
  mvtest::TempDir dir;
  const fs::path song = dir / "song.wav";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=220:duration=3 -ac 2 " + shell_quote(song.string())));
  auto render = [&](const std::string& out) {
    mv::GenerateRequest req;
    req.input = song;
    req.output = dir / out;
    req.video.framing.size = std::make_pair(320, 180);
    req.video.look.name = "cinema";
    req.video.preset = "ultrafast";
    req.video.crf = 12;
    mv::generate(req);
    return mvtest::grey_frames(dir / out, 320, 180);
  };
  const auto a = render("a.mp4");
  const auto b = render("b.mp4");
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GT(a.size(), 60u);
  // 2.39:1 inside 16:9, × the look's 0.8: bars of ~17 rows at 180 rows.
  EXPECT_LT(rows_mean(a[45], 320, 0, 12), 20.0) << "top bar";
  EXPECT_LT(rows_mean(a[45], 320, 168, 180), 20.0) << "bottom bar";
  EXPECT_GT(rows_mean(a[45], 320, 40, 140), rows_mean(a[45], 320, 0, 12) + 5.0) << "the picture between";
  // The same request twice gives the same frames; consecutive frames differ (grain, motion).
  EXPECT_LT(mvtest::frame_differences({a[45], b[45]})[1], 0.01);
  EXPECT_GT(mvtest::frame_differences({a[45], a[46]})[1], 0.05);
}

/// How far the wave look's front line strays from straight: per column (every
/// 2nd, the middle 80 %), the row of the brightest pixel between 25 % and 95 %
/// of the height; their standard deviation, pixels.
double line_spread(const std::vector<unsigned char>& grey, int w, int h) {
  std::vector<double> rows;
  for (int x = w / 10; x < w - w / 10; x += 2) {
    int best = h / 4;
    for (int y = h / 4; y < h * 95 / 100; ++y) {
      if (grey[static_cast<std::size_t>(y * w + x)] > grey[static_cast<std::size_t>(best * w + x)]) best = y;
    }
    rows.push_back(best);
  }
  double mean = 0.0, var = 0.0;
  for (double r : rows) mean += r / static_cast<double>(rows.size());
  for (double r : rows) var += (r - mean) * (r - mean) / static_cast<double>(rows.size());
  return std::sqrt(var);
}

TEST(Effects, TheWaveMovesInAQuietPassageAsInTheLoudOnes) {
  // 15 s loud, 15 s 24 dB quieter, 15 s loud: the file render's levels and waveform follow the
  // recent range (AutoGain, as the live source), so the quiet passage is drawn as large.
  constexpr int kRate = 48000;
  auto music = mvtest::synth_music(120.0, 45.0, kRate, nullptr);
  for (std::size_t i = 15 * kRate; i < 30 * static_cast<std::size_t>(kRate); ++i) music[i] *= std::pow(10.0f, -24.0f / 20.0f);
  mvtest::TempDir dir;
  const fs::path song = dir / "song.wav";
  mvtest::write_wav(song, music, kRate, 1);
  mv::GenerateRequest req;
  req.input = song;
  req.output = dir / "wave.mp4";
  req.video.framing.size = std::make_pair(320, 180);
  req.video.look.name = "wave";
  req.video.preset = "ultrafast";
  req.video.crf = 12;
  mv::generate(req);
  const auto frames = mvtest::grey_frames(req.output, 320, 180);
  ASSERT_GE(frames.size(), 44u * 30u);
  auto mean_spread = [&](double from_s, double to_s) {
    double sum = 0.0;
    int n = 0;
    for (auto k = static_cast<std::size_t>(from_s * 30); k < static_cast<std::size_t>(to_s * 30); ++k, ++n) sum += line_spread(frames[k], 320, 180);
    return sum / n;
  };
  for (int t = 0; t < 44; t += 2) std::printf("%d:%.1f ", t, mean_spread(t, t + 2));
  std::printf("\n");
  const double loud = mean_spread(7.0, 15.0), quiet = mean_spread(22.0, 30.0), again = mean_spread(37.0, 45.0);
  std::printf("the wave's line strays %.2f px (loud), %.2f px (24 dB quieter, its last 8 s), %.2f px (loud again)\n", loud, quiet, again);
  EXPECT_GT(loud, 3.0) << "the measure sees the wave";
  EXPECT_GT(quiet, 0.6 * loud) << "a quiet passage goes flat";
  EXPECT_GT(again, 0.6 * loud);
}

}  // namespace

namespace {

TEST(Effects, LoudBarsBendTowardTheTopInsteadOfPinningARowAtIt) {
  // The bars, club and footage spectra draw a level through mv::soft_ceiling: unchanged up to
  // the knee (0.7), then bent toward the full height without reaching it. A hard min(1, x)
  // drew every band over 1 (loud bass on a beat: the bars' gain reaches 1.15 × an intensity
  // up to 1.5) at one height: a flat row of bars at the ceiling in the demo's loud sections.
  for (double x = 0.0; x <= 0.7; x += 0.05) EXPECT_DOUBLE_EQ(mv::soft_ceiling(x), x);
  EXPECT_NEAR((mv::soft_ceiling(0.7 + 1e-6) - 0.7) / 1e-6, 1.0, 1e-3) << "slope 1 at the knee: no kink";
  double previous = mv::soft_ceiling(0.7);
  for (double x = 0.75; x <= 1.75; x += 0.05) {
    const double y = mv::soft_ceiling(x);
    EXPECT_GT(y, previous + 1e-3) << "levels " << x - 0.05 << " and " << x << " drawn at (nearly) one height";
    EXPECT_LT(y, 1.0) << x;
    previous = y;
  }
  EXPECT_NEAR(mv::soft_ceiling(1.0), 0.7 + 0.3 * (1.0 - std::exp(-1.0)), 1e-12);
}

TEST(Effects, HaloDrawsTheSameBytesOnEveryVectorPath) {
  // Halo's ring luma is drawn 8 pixels at a time with AVX2 gathers where the
  // CPU has them; MV_SIMD=none takes the plain loop. A loud, bassy song so the
  // rings reach out.
  mvtest::TempDir dir;
  const fs::path song = dir / "song.wav";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i \"sine=frequency=70:duration=2.5:beep_factor=4\" -f lavfi -i "
                             "\"sine=frequency=900:duration=2.5:beep_factor=6\" -filter_complex amix=inputs=2 -ac 2 " +
                             shell_quote(song.string())));
  for (const char* look : {"halo"}) {
    std::string hashes[2];
    for (int plain = 0; plain < 2; ++plain) {
      const fs::path out = dir / (std::string(look) + std::to_string(plain) + ".mp4");
      const auto r = mvtest::run_command(std::string(plain != 0 ? "MV_SIMD=none " : "") + shell_quote(mvtest::mvgen_path()) +
                                         " generate " + shell_quote(song.string()) + " -o " + shell_quote(out.string()) +
                                         " --look " + look + " --size 640x360 --preset ultrafast --crf 0 --quiet");
      ASSERT_EQ(r.exit_code, 0) << look << ": " << r.output;
      const auto md5 = mvtest::run_command("ffmpeg -v error -i " + shell_quote(out.string()) + " -map 0:v -f framemd5 -");
      ASSERT_EQ(md5.exit_code, 0) << md5.output;
      hashes[plain] = md5.output;
    }
    EXPECT_GE(std::count(hashes[0].begin(), hashes[0].end(), '\n'), 60) << "a hash per frame";
    EXPECT_EQ(hashes[0], hashes[1]) << look << ": the vector paths drew different pixels from the plain ones";
  }
}

TEST(Effects, HaloWithoutAPictureDrawsARecordWithALabelAndASheen) {
  // No cover art: the centre is a record (a bright label, dark vinyl, and the
  // grooves' sheen in two opposite wedges), where it was a radial gradient
  // whose grooves, a cosine 13 px apart at 1080p, read as bands.
  mvtest::TempDir dir;
  const fs::path song = dir / "song.wav";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=1000:duration=2 -ac 2 " + shell_quote(song.string())));
  mv::GenerateRequest req;
  req.input = song;
  req.output = dir / "halo.mp4";
  req.video.framing.size = std::make_pair(640, 360);
  req.video.look.name = "halo";
  req.video.captions.title_card = false;
  req.video.preset = "ultrafast";
  req.video.crf = 4;
  mv::generate(req);
  const auto frames = mvtest::grey_frames(req.output, 640, 360);
  ASSERT_GT(frames.size(), 30u);
  const auto& f = frames[30];
  // The disc's radius is 0.17 of the height, the label a third of it: mean
  // luma in rings around the centre (320, 180), and in 16 sectors of the vinyl.
  std::array<double, 16> sector{};
  std::array<int, 16> count{};
  double label = 0.0, vinyl = 0.0;
  int n_label = 0, n_vinyl = 0;
  for (int y = 120; y < 240; ++y) {
    for (int x = 260; x < 380; ++x) {
      const double dx = x + 0.5 - 320.0, dy = y + 0.5 - 180.0, r = std::hypot(dx, dy);
      const double v = f[static_cast<std::size_t>(y * 640 + x)];
      if (r < 14.0) {
        label += v;
        ++n_label;
      } else if (r > 28.0 && r < 50.0) {
        vinyl += v;
        ++n_vinyl;
        const auto s = static_cast<std::size_t>(std::clamp((std::atan2(dy, dx) + M_PI) / (2.0 * M_PI) * 16.0, 0.0, 15.0));
        sector[s] += v;
        ++count[s];
      }
    }
  }
  label /= n_label;
  vinyl /= n_vinyl;
  for (std::size_t s = 0; s < 16; ++s) sector[s] /= count[s];
  const auto [lo, hi] = std::minmax_element(sector.begin(), sector.end());
  EXPECT_GT(label, vinyl + 40.0) << "a bright label on dark vinyl";
  EXPECT_LT(*lo, 60.0) << "the vinyl out of the light is dark";
  EXPECT_GT(*hi - *lo, 25.0) << "the sheen: lit wedges beside dark ones";
  // The wedges are opposite: the sector half a turn from the brightest is lit too.
  const auto brightest = static_cast<std::size_t>(hi - sector.begin());
  EXPECT_GT(sector[(brightest + 8) % 16], *lo + 0.6 * (*hi - *lo));
}

TEST(Preview, OneFrameAsAPngMatchingTheVideosFrameAndNothingOverwritten) {
  mvtest::TempDir dir;
  const fs::path song = dir / "song.wav";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i \"sine=frequency=110:duration=4,volume=0.5\" -f lavfi -i "
                             "\"sine=frequency=2000:duration=4:beep_factor=8\" -filter_complex amix=inputs=2 -ac 2 " +
                             shell_quote(song.string())));
  const std::string common = " --look bars --size 320x180 --preset ultrafast --crf 10 --quiet";
  const std::string mvgen = shell_quote(mvtest::mvgen_path());
  auto r = mvtest::run_command(mvgen + " generate " + shell_quote(song.string()) + " -o " +
                               shell_quote((dir / "v.mp4").string()) + common);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = mvtest::run_command(mvgen + " preview " + shell_quote(song.string()) + " -o " +
                          shell_quote((dir / "p.png").string()) + " --at 2" + common);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto v = mvtest::probe_video(dir / "p.png");
  EXPECT_EQ(v.width, 320);
  EXPECT_EQ(v.height, 180);
  const auto preview = mvtest::grey_frames(dir / "p.png", 64, 36);
  const auto video = mvtest::grey_frames(dir / "v.mp4", 64, 36);
  ASSERT_EQ(preview.size(), 1u);
  ASSERT_GT(video.size(), 90u);
  // The frame at 2 s (frame 60) is what the preview shows; a frame a second away is not.
  const double same = mvtest::frame_differences({preview[0], video[60]})[1];
  const double other = mvtest::frame_differences({preview[0], video[90]})[1];
  EXPECT_LT(same, 4.0) << "other " << other;
  EXPECT_LT(same, other) << "same " << same << " other " << other;
  // An existing picture is not replaced without --force; a bad --at is a usage error.
  const auto before = fs::file_size(dir / "p.png");
  r = mvtest::run_command(mvgen + " preview " + shell_quote(song.string()) + " -o " + shell_quote((dir / "p.png").string()) +
                          " --at 1" + common);
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_EQ(fs::file_size(dir / "p.png"), before);
  r = mvtest::run_command(mvgen + " preview " + shell_quote(song.string()) + " -o " + shell_quote((dir / "q.png").string()) +
                          " --at soon" + common);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_FALSE(fs::exists(dir / "q.png"));
}

}  // namespace

namespace {

TEST(Encoder, AutoFallsBackToX264WithANoteAndANamedEncoderThatCannotOpenFailsCleanly) {
  mvtest::TempDir dir;
  const fs::path song = dir / "song.wav";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=220:duration=2 -ac 2 " + shell_quote(song.string())));
  const std::string mvgen = shell_quote(mvtest::mvgen_path()) + " generate " + shell_quote(song.string()) +
                            " --size 160x90 --preset ultrafast -o ";
  auto r = mvtest::run_stdout(mvgen + shell_quote((dir / "auto.mp4").string()) + " --encoder auto --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto last = r.output.substr(r.output.rfind("{\"progress\""));
  const auto result = nlohmann::json::parse(last)["result"];
  const std::string used = result["encoder"].get<std::string>();
  EXPECT_NE(std::string("x264 nvenc qsv vaapi").find(used), std::string::npos) << used;
  EXPECT_EQ(mvtest::probe_video(dir / "auto.mp4").video_codec, "h264");
  if (used != "x264") GTEST_SKIP() << "this machine has a hardware encoder (" << used << "): no fallback to test";
  // No hardware encoder here (our CI machines): the fallback says so in one line.
  ASSERT_TRUE(result.contains("note")) << result.dump();
  EXPECT_NE(result["note"].get<std::string>().find("encoding with libx264"), std::string::npos) << result.dump();
  EXPECT_EQ(result["note"].get<std::string>().find('\n'), std::string::npos);
  const auto plain = mvtest::run_command(mvgen + shell_quote((dir / "plain.mp4").string()) + " --encoder auto --quiet");
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  EXPECT_NE(plain.output.find("mvgen: note: no hardware H.264 encoder opened"), std::string::npos) << plain.output;
  // Named, it fails: a clear error, exit 1, nothing left behind.
  r = mvtest::run_command(mvgen + shell_quote((dir / "nv.mp4").string()) + " --encoder nvenc");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("the nvenc encoder (h264_nvenc) could not be opened"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("use --encoder auto or x264"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "nv.mp4"));
  for (const auto& e : fs::directory_iterator(dir.path())) EXPECT_EQ(e.path().string().find(".part"), std::string::npos) << e.path();
  r = mvtest::run_command(mvgen + shell_quote((dir / "x.mp4").string()) + " --encoder quantum");
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

}  // namespace
