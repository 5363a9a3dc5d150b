// test-promo.cpp — a promo from photos and a voice-over (issue 12, point 2):
// the photos change only in the voice's pauses (a real voice from espeak-ng),
// each shot at least 1.5 s, zooming toward the photo's detail, upright as its
// EXIF says; a music bed under the voice; the call to action on the end card;
// the refusals.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "mv/audio/mix.hpp"
#include "mv/base/error.hpp"
#include "mv/media/media.hpp"
#include "mv/media/visual-source.hpp"
#include "mv/render/generate.hpp"
#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using mvtest::TempDir;

const std::vector<std::string> kSentences = {
    "Fresh fruit, every morning.", "Picked at dawn and delivered to your door.",
    "Apples, oranges and everything in season.", "Order today and get your first box free."};
constexpr double kGapS = 0.7;  // the silence put between the sentences

/// The voice-over: the sentences from espeak-ng with kGapS of silence between
/// them, band-limited to the telephone band (the bed is measured above 6 kHz),
/// 48 kHz mono. `starts`/`ends` get each sentence file's span in it.
fs::path make_voice_over(const TempDir& dir, std::vector<double>& starts, std::vector<double>& ends) {
  std::string inputs, graph, chain;
  double at = 0.0;
  for (std::size_t i = 0; i < kSentences.size(); ++i) {
    const fs::path wav = dir / ("s" + std::to_string(i) + ".wav");
    const auto r = mvtest::run_command("espeak-ng -w " + mvtest::shell_quote(wav.string()) + " " + mvtest::shell_quote(kSentences[i]));
    EXPECT_EQ(r.exit_code, 0) << "espeak-ng (scripts/install-deps.sh installs it): " << r.output;
    const double d = mv::probe_media(wav).duration_s;
    starts.push_back(at);
    ends.push_back(at + d);
    at += d + kGapS;
    inputs += " -i " + mvtest::shell_quote(wav.string());
    graph += "[" + std::to_string(i) + "]aresample=48000,apad=pad_dur=" + std::to_string(kGapS) + "[p" + std::to_string(i) + "];";
    chain += "[p" + std::to_string(i) + "]";
  }
  const fs::path out = dir / "voice over.wav";
  graph += chain + "concat=n=" + std::to_string(kSentences.size()) +
           ":v=0:a=1,highpass=f=300:poles=2,highpass=f=300:poles=2,lowpass=f=3400:poles=2,lowpass=f=3400:poles=2[a]";
  EXPECT_TRUE(mvtest::ffmpeg(inputs + " -filter_complex " + mvtest::shell_quote(graph) + " -map [a] -ac 1 " +
                             mvtest::shell_quote(out.string())));
  return out;
}

/// Four different photos (FFmpeg's test patterns as JPEGs).
std::vector<fs::path> make_photos(const TempDir& dir) {
  std::vector<fs::path> photos;
  for (const char* src : {"testsrc2", "mandelbrot", "smptebars", "rgbtestsrc"}) {
    const fs::path p = dir / (std::string(src) + ".jpg");
    EXPECT_TRUE(mvtest::ffmpeg(std::string("-f lavfi -i ") + src + "=s=640x480 -frames:v 1 -q:v 3 " + mvtest::shell_quote(p.string())));
    photos.push_back(p);
  }
  return photos;
}

/// Mono float samples of a file at 48 kHz.
std::vector<float> mono(const fs::path& path) {
  mv::AudioReader reader(path, 48000, 1);
  std::vector<float> out;
  while (reader.read(out)) {}
  return out;
}

class PromoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    voice_ = make_voice_over(*dir_, starts_, ends_);
    photos_ = make_photos(*dir_);
    mv::PromoRequest req;
    req.video.input = voice_;
    req.video.output = *dir_ / "promo.mp4";
    req.video.video.framing.size = std::make_pair(640, 360);
    req.video.video.clips = photos_;
    req.video.video.captions.title = "Fresh Fruit Co.";
    req.video.video.captions.cta = "Order today";
    req.video.video.preset = "ultrafast";
    result_ = new mv::PromoResult(mv::generate_promo(req));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static TempDir* dir_;
  static fs::path voice_;
  static std::vector<fs::path> photos_;
  static std::vector<double> starts_, ends_;
  static mv::PromoResult* result_;
};
TempDir* PromoTest::dir_ = nullptr;
fs::path PromoTest::voice_;
std::vector<fs::path> PromoTest::photos_;
std::vector<double> PromoTest::starts_, PromoTest::ends_;
mv::PromoResult* PromoTest::result_ = nullptr;

TEST_F(PromoTest, ThePhotosChangeOnlyInTheVoiceOversPauses) {
  ASSERT_EQ(result_->cuts.size(), 3u) << "one cut between each two sentences";
  EXPECT_EQ(result_->photos_used, 4u);
  const std::vector<float> voice = mono(voice_);
  double previous = 0.0;
  for (std::size_t i = 0; i < result_->cuts.size(); ++i) {
    const double c = result_->cuts[i];
    // Between sentence i and i + 1, in silence (never inside a word), and each shot 1.5 s or more.
    EXPECT_GT(c, ends_[i] - 0.15) << "cut " << i;
    EXPECT_LT(c, starts_[i + 1] + 0.15) << "cut " << i;
    EXPECT_LT(mvtest::power_db(voice, 48000, c - 0.05, c + 0.05), -50.0) << "the voice is heard at the cut at " << c << " s";
    EXPECT_GE(c - previous, mv::kPromoMinShotS);
    previous = c;
  }
  EXPECT_GE(result_->video.duration_s - previous, mv::kPromoMinShotS);
  // The planned shots are those cuts, each a photo in the given order.
  const auto& shots = result_->video.timeline.tracks.front().segments;
  ASSERT_EQ(shots.size(), 4u);
  for (std::size_t i = 0; i < shots.size(); ++i) EXPECT_EQ(fs::path(shots[i].source).filename(), photos_[i].filename());
  for (std::size_t i = 1; i < shots.size(); ++i) EXPECT_NEAR(static_cast<double>(shots[i].start_ms) / 1000.0, result_->cuts[i - 1], 0.002);
}

TEST_F(PromoTest, ItLastsTheVoiceOverPlusATailAndMeetsTheLoudnessTarget) {
  const double voice_s = mv::probe_media(voice_).duration_s;
  EXPECT_NEAR(mv::probe_media(result_->video.output).duration_s, voice_s + mv::kPromoTailS, 0.1);
  mv::Pcm pcm;
  pcm.channels = 2;
  mv::AudioReader reader(result_->video.output, 48000, 2);
  while (reader.read(pcm.samples)) {}
  const mv::Loudness l = mv::measure_loudness(pcm);
  EXPECT_NEAR(l.integrated_lufs, -14.0, 0.5);
  EXPECT_LE(l.true_peak_dbtp, -1.0);
}

TEST_F(PromoTest, TheMusicBedIsDuckedUnderTheVoiceAndComesUpAfterIt) {
  const std::vector<float> treble = mvtest::treble_of(result_->video.output, dir_->path());
  ASSERT_FALSE(treble.empty());
  // Inside the longest sentence against the tail after the last word.
  const double speaking = mvtest::power_db(treble, 48000, starts_[1] + 0.6, ends_[1] - 0.4);
  const double after = mvtest::power_db(treble, 48000, ends_.back() + 0.7, ends_.back() + 1.7);
  EXPECT_GT(after, -60.0);
  EXPECT_GE(after - speaking, 6.0) << "after the voice " << after << " dB, under it " << speaking << " dB";
}

TEST_F(PromoTest, TheEndCardCarriesTheCallToActionAndPhotosZoomTowardTheirDetail) {
  const mv::Timeline& tl = result_->video.timeline;
  bool cta = false;
  for (const auto& t : tl.tracks) {
    for (const auto& s : t.segments) {
      if (s.effect == "end_card") {
        cta = s.text == "Order today";
        EXPECT_EQ(s.start_ms + s.duration_ms, tl.duration_ms);
        EXPECT_EQ(s.extra.value("artist", std::string()), "Fresh Fruit Co.");
      }
    }
  }
  EXPECT_TRUE(cta);
  for (const auto& s : tl.tracks.front().segments) {
    EXPECT_EQ(s.extra.value("move", 0), mv::VisualSource::kMoveToFocus);
    EXPECT_TRUE(s.extra.contains("focus_x"));
  }
}

TEST(Promo, PhotosZoomTowardTheirMostDetailedRegion) {
  TempDir dir;
  // A flat grey photo with a fine checkerboard in its top-right corner.
  const fs::path photo = dir / "corner.png";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=gray:s=640x360 -f lavfi -i \"color=white:s=160x90,geq=lum='255*mod(floor(X/4)+floor(Y/4),2)':cb=128:cr=128\" "
                             "-filter_complex \"[0][1]overlay=x=460:y=20\" -frames:v 1 " + mvtest::shell_quote(photo.string())));
  mv::Analysis a;
  a.duration_s = 6.0;
  mv::VideoSettings vs;
  vs.framing.size = std::make_pair(640, 360);
  vs.clips = {photo, photo};
  vs.shot_cuts = {3.0};
  const mv::Timeline tl = mv::plan_timeline(a, vs, mv::resolve_look(vs), dir / "voice.wav");
  const auto& shot = tl.tracks.front().segments.front();
  EXPECT_GT(shot.extra["focus_x"].get<double>(), 0.7);
  EXPECT_LT(shot.extra["focus_y"].get<double>(), 0.35);
}

TEST(Promo, CutsKeepToPausesAndTheShortestShot) {
  // Words from 0–2, 2.4–5, 5.3–5.9, 6.2–9 s: pauses at 2.2, 5.15, 6.05.
  const std::vector<std::pair<double, double>> speech = {{0.0, 2.0}, {2.4, 5.0}, {5.3, 5.9}, {6.2, 9.0}};
  const auto cuts = mv::promo_cuts(speech, 12.0, 4);
  ASSERT_EQ(cuts.size(), 2u) << "5.15 and 6.05 are too close for two 1.5 s shots";
  EXPECT_NEAR(cuts[0], 2.2, 1e-9);
  EXPECT_TRUE(std::abs(cuts[1] - 5.15) < 1e-9 || std::abs(cuts[1] - 6.05) < 1e-9);
  EXPECT_TRUE(mv::promo_cuts(speech, 12.0, 1).empty());
  EXPECT_TRUE(mv::promo_cuts({{0.0, 9.0}}, 12.0, 3).empty());
}

TEST(Promo, ASidewaysPhotoComesOutUpright) {
  TempDir dir;
  // Stored: left half red, right half blue; EXIF orientation 6 turns it 90° clockwise: red on top.
  const fs::path stored = dir / "halves.jpg", turned = dir / "turned.jpg";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i \"color=red:s=320x320[a];color=blue:s=320x320[b];[a][b]hstack\" -frames:v 1 -q:v 2 " +
                             mvtest::shell_quote(stored.string())));
  ASSERT_TRUE(mvtest::with_exif_orientation(stored, 6, turned));
  const fs::path voice = dir / "voice.wav";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=300:duration=2 " + mvtest::shell_quote(voice.string())));
  const fs::path out = dir / "upright.mp4";
  const auto r = mvtest::run_command(mvtest::mvgen_path() + " generate " + mvtest::shell_quote(voice.string()) +
                                     " --kind promo --clips " + mvtest::shell_quote(turned.string()) +
                                     " --size 320x180 --look lofi --lut none --no-title --preset ultrafast -o " +
                                     mvtest::shell_quote(out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto frames = mvtest::rgb_frames(out, 32, 18);
  ASSERT_GT(frames.size(), 30u);
  const auto& f = frames[30];
  const auto at = [&](int x, int y, int c) { return static_cast<int>(f[static_cast<std::size_t>((y * 32 + x) * 3 + c)]); };
  EXPECT_GT(at(16, 2, 0), at(16, 2, 2) + 60) << "the top is red";
  EXPECT_GT(at(16, 15, 2), at(16, 15, 0) + 60) << "the bottom is blue";
}

TEST(Promo, BadVoiceOversAndMissingPhotosGiveClearErrorsAndLeaveNothing) {
  TempDir dir;
  // Speech-band noise that never pauses (syllable-rate swells, never silent).
  const fs::path endless = dir / "endless.wav", mute = dir / "mute.mp4", photo = dir / "p.jpg";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i \"anoisesrc=d=8:c=pink:a=0.3\" -af \"bandpass=f=1000:w=1500,volume='0.65+0.35*sin(2*PI*5*t)':eval=frame\" " +
                             mvtest::shell_quote(endless.string())));
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=s=160x90:r=15 -t 3 -c:v libx264 -preset ultrafast " + mvtest::shell_quote(mute.string())));
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=s=320x240 -frames:v 1 " + mvtest::shell_quote(photo.string())));
  const auto before = mvtest::file_names(dir.path());
  const std::string out = " -o " + mvtest::shell_quote((dir / "out.mp4").string());
  const std::string photos = " --clips " + mvtest::shell_quote(photo.string()) + " " + mvtest::shell_quote(photo.string());
  const struct {
    std::string args;
    int code;
    const char* says;
  } cases[] = {
      {mvtest::shell_quote(endless.string()) + " --kind promo" + photos + out, 3, "no pause"},
      {mvtest::shell_quote(mute.string()) + " --kind promo" + photos + out, 3, "has no sound"},
      {mvtest::shell_quote(endless.string()) + " --kind promo" + out, 2, "needs photos"},
  };
  for (const auto& c : cases) {
    const auto r = mvtest::run_command(mvtest::mvgen_path() + " generate " + c.args + " --size 320x180 --preset ultrafast");
    EXPECT_EQ(r.exit_code, c.code) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.says), std::string::npos) << r.output;
    EXPECT_EQ(mvtest::file_names(dir.path()), before) << "left behind by " << c.args;
  }
}

}  // namespace
