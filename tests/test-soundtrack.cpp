// test-soundtrack.cpp — background music for a clip (issue 12, point 1): the
// composer and FluidSynth, the user's music chosen and fitted, the mix
// (ducking under a real voice from espeak-ng, −14 LUFS / −1 dBTP) and the MP4
// whose video stream is the clip's, bit for bit.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mv/analysis/analysis.hpp"
#include "mv/audio/mix.hpp"
#include "mv/audio/music.hpp"
#include "mv/audio/soundtrack.hpp"
#include "mv/base/error.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using mvtest::TempDir;

// The test clip: ten shots (cuts at these times) of FFmpeg's test patterns.
const std::vector<double> kCuts = {2.1, 4.0, 6.3, 8.0, 10.0, 12.0, 14.4, 16.0, 18.0};
constexpr double kClipS = 20.0;
// Where the voice speaks in it (two phrases of espeak-ng, each about 4.6 s).
constexpr double kSpeech1 = 3.0, kSpeech2 = 11.0;

/// A voice phrase from espeak-ng, band-limited to the telephone band (so the
/// music above 6 kHz can be measured without it).
fs::path make_voice(const TempDir& dir) {
  const fs::path raw = dir / "voice-raw.wav", voice = dir / "voice.wav";
  const auto r = mvtest::run_command("espeak-ng -w " + mvtest::shell_quote(raw.string()) +
                                     " \"This is the best moment of the match, look at that jump. Incredible, right?\"");
  EXPECT_EQ(r.exit_code, 0) << "espeak-ng (scripts/install-deps.sh installs it): " << r.output;
  EXPECT_TRUE(mvtest::ffmpeg("-i " + mvtest::shell_quote(raw.string()) +
                             " -af highpass=f=300:poles=2,highpass=f=300:poles=2,lowpass=f=3400:poles=2,lowpass=f=3400:poles=2"
                             " -ar 48000 " + mvtest::shell_quote(voice.string())));
  return voice;
}

/// The clip: shots of four patterns cut at kCuts; with `voice`, its sound is
/// the voice at kSpeech1 and kSpeech2 and silence else; without, it has no sound.
fs::path make_clip(const TempDir& dir, const std::string& name, const fs::path& voice) {
  const fs::path clip = dir / name;
  std::string shots;
  std::string graph;
  const char* sources[] = {"testsrc2", "smptebars", "mandelbrot", "rgbtestsrc"};
  std::string inputs;
  for (const char* s : sources) inputs += std::string(" -f lavfi -i ") + s + "=s=320x180:r=30";
  double at = 0.0;
  std::vector<double> ends = kCuts;
  ends.push_back(kClipS);
  for (std::size_t i = 0; i < ends.size(); ++i) {
    char part[160];
    std::snprintf(part, sizeof part, "[%zu]trim=%.3f:%.3f,setpts=PTS-STARTPTS[s%zu];", i % 4, at, ends[i], i);
    graph += part;
    shots += "[s" + std::to_string(i) + "]";
    at = ends[i];
  }
  graph += shots + "concat=n=" + std::to_string(ends.size()) + ":v=1:a=0[v]";
  std::string audio_args;
  if (!voice.empty()) {
    inputs += " -i " + mvtest::shell_quote(voice.string());
    graph += ";[4]asplit[va][vb];[va]adelay=3000:all=1,apad[a1];[vb]adelay=11000:all=1,apad[a2];"
             "[a1][a2]amix=inputs=2:normalize=0,atrim=0:20[a]";
    audio_args = " -map [a] -c:a aac -ar 48000";
  }
  EXPECT_TRUE(mvtest::ffmpeg(inputs + " -filter_complex " + mvtest::shell_quote(graph) + " -map [v]" + audio_args +
                             " -c:v libx264 -preset ultrafast -t 20 " + mvtest::shell_quote(clip.string())));
  return clip;
}

/// The decoded sound of a file, 48 kHz stereo.
mv::Pcm decode(const fs::path& path) {
  mv::Pcm pcm;
  mv::AudioReader reader(path, 48000, 2);
  std::vector<float> chunk;
  while (reader.read(chunk)) {}
  pcm.samples = std::move(chunk);
  return pcm;
}

/// The video packets' MD5 of a file (FFmpeg's md5 muxer over a stream copy).
std::string video_md5(const fs::path& path) {
  return mvtest::run_stdout("ffmpeg -nostdin -v error -i " + mvtest::shell_quote(path.string()) + " -map 0:v -c copy -f md5 -").output;
}

/// One soundtrack of the talking clip, made once for the tests that read it.
class TalkingClip : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    clip_ = make_clip(*dir_, "talk.mp4", make_voice(*dir_));
    mv::SoundtrackRequest req;
    req.video = clip_;
    req.output = *dir_ / "talk with music.mp4";
    req.prompt = "upbeat";
    result_ = new mv::SoundtrackResult(mv::make_soundtrack(req));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static TempDir* dir_;
  static fs::path clip_;
  static mv::SoundtrackResult* result_;
};
TempDir* TalkingClip::dir_ = nullptr;
fs::path TalkingClip::clip_;
mv::SoundtrackResult* TalkingClip::result_ = nullptr;

TEST_F(TalkingClip, TheVideoStreamIsTheClipsBitForBit) {
  const std::string in = video_md5(clip_), out = video_md5(result_->output);
  ASSERT_FALSE(in.empty());
  EXPECT_EQ(in, out);
  EXPECT_NEAR(mv::probe_media(result_->output).duration_s, kClipS, 0.1);
  EXPECT_TRUE(result_->video_copied);
}

TEST_F(TalkingClip, TheCutsAndTheSpeechAreFound) {
  ASSERT_EQ(result_->cuts.size(), kCuts.size());
  for (std::size_t i = 0; i < kCuts.size(); ++i) EXPECT_NEAR(result_->cuts[i], kCuts[i], 0.04);
  ASSERT_EQ(result_->speech.empty(), false);
  EXPECT_NEAR(result_->speech.front().first, kSpeech1, 0.15);
  // Speech in both phrases, none before the first or between them.
  double in_first = 0.0, in_second = 0.0, elsewhere = 0.0;
  for (const auto& [a, b] : result_->speech) {
    if (a >= kSpeech1 - 0.2 && b <= kSpeech1 + 5.0) {
      in_first += b - a;
    } else if (a >= kSpeech2 - 0.2 && b <= kSpeech2 + 5.0) {
      in_second += b - a;
    } else {
      elsewhere += b - a;
    }
  }
  EXPECT_GT(in_first, 3.0);
  EXPECT_GT(in_second, 3.0);
  EXPECT_LT(elsewhere, 0.3);
}

TEST_F(TalkingClip, MusicIsHeardBetweenTheWordsAndDuckedSixDecibelsUnderThem) {
  const std::vector<float> treble = mvtest::treble_of(result_->output, dir_->path());
  ASSERT_GT(treble.size(), 48000u * 19);
  // While the voice speaks (inside each phrase) against where nobody does (between them).
  const double speaking = 0.5 * (mvtest::power_db(treble, 48000, kSpeech1 + 0.8, kSpeech1 + 3.8) +
                                 mvtest::power_db(treble, 48000, kSpeech2 + 0.8, kSpeech2 + 3.8));
  const double quiet = mvtest::power_db(treble, 48000, 8.3, 10.6);
  EXPECT_GT(quiet, -60.0) << "the music must be heard where nobody speaks";
  EXPECT_GE(quiet - speaking, 6.0) << "quiet " << quiet << " dB, speaking " << speaking << " dB";
  const std::vector<float> all = mv::mono_of(decode(result_->output));
  EXPECT_GT(mvtest::power_db(all, 48000, 8.3, 10.6), -35.0);
}

TEST_F(TalkingClip, TheMixMeetsTheLoudnessTarget) {
  const mv::Loudness l = mv::measure_loudness(decode(result_->output));  // the AAC in the file, decoded
  EXPECT_NEAR(l.integrated_lufs, -14.0, 0.5);
  EXPECT_LE(l.true_peak_dbtp, -1.0);
  EXPECT_NEAR(result_->loudness_lufs, -14.0, 0.3);
}

TEST_F(TalkingClip, TheComposedMusicPutsTheCutsOnItsBeats) {
  EXPECT_EQ(result_->source, "generated");
  EXPECT_EQ(result_->mood, "upbeat");
  // Cuts 2 s apart mostly: 120 BPM puts them on downbeats.
  EXPECT_GE(result_->cuts_on_downbeats, 5);
  EXPECT_NE(result_->reason.find("upbeat"), std::string::npos) << result_->reason;
}

TEST(Soundtrack, AClipWithoutSoundGetsMusicThatEndsOnADownbeatWithAFade) {
  TempDir dir;
  const fs::path clip = make_clip(dir, "silent.mp4", {});
  mv::SoundtrackRequest req;
  req.video = clip;
  req.output = dir / "out.mp4";
  req.prompt = "calm";
  const mv::SoundtrackResult r = mv::make_soundtrack(req);
  EXPECT_FALSE(r.clip_has_sound);
  EXPECT_EQ(r.mood, "calm");
  ASSERT_FALSE(r.downbeats.empty());
  EXPECT_NEAR(r.downbeats.back(), r.ending_s, 1e-6);
  EXPECT_LE(r.ending_s, kClipS - 1.0);
  const std::vector<float> mono = mv::mono_of(decode(r.output));
  const double hit = mvtest::power_db(mono, 48000, r.ending_s, r.ending_s + 0.3);
  EXPECT_GT(hit, -30.0);
  EXPECT_LT(mvtest::power_db(mono, 48000, kClipS - 0.15, kClipS), hit - 20.0) << "the last chord fades out";
  // Our analyzer hears the final chord's attack on that downbeat.
  const mv::Analysis a = mv::analyze_file(r.output, {});
  EXPECT_TRUE(std::any_of(a.onsets.begin(), a.onsets.end(), [&](double t) { return std::abs(t - r.ending_s) < 0.06; }));
  EXPECT_NEAR(mv::measure_loudness(decode(r.output)).integrated_lufs, -14.0, 0.5);
}

TEST(Soundtrack, AVideoMp4CannotHoldIsReencodedAndKeepsItsPictures) {
  TempDir dir;
  const fs::path clip = dir / "phone.webm";  // VP8: MP4 has no place for it
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=s=320x180:r=25 -f lavfi -i sine=frequency=440 -t 4 -c:v libvpx -b:v 1M "
                             "-c:a libvorbis " + mvtest::shell_quote(clip.string())));
  mv::SoundtrackRequest req;
  req.video = clip;
  req.output = dir / "out.mp4";
  const mv::SoundtrackResult r = mv::make_soundtrack(req);
  EXPECT_FALSE(r.video_copied);
  EXPECT_EQ(r.to_json()["video"], "encoded");
  const mv::MediaInfo info = mv::probe_media(r.output);
  EXPECT_EQ(info.video_codec, "h264");
  EXPECT_EQ(info.width, 320);
  EXPECT_NEAR(info.duration_s, 4.0, 0.1);
  // The same pictures: frame 50 (2 s) of the output against the input's frames 49–51 (the
  // webm starts at 3 ms, so FFmpeg's constant-rate reading of it may be a frame off), in RGB at 64×36
  // (the output is BT.709, the webm BT.601: their Y' differ for the same colours).
  const auto in = mvtest::rgb_frames(clip, 64, 36), out = mvtest::rgb_frames(r.output, 64, 36);
  ASSERT_GT(in.size(), 60u);
  ASSERT_GT(out.size(), 60u);
  double best = 1e9;
  for (std::size_t k = 49; k <= 51; ++k) {
    double diff = 0.0;
    for (std::size_t i = 0; i < in[k].size(); ++i) diff += std::abs(int{in[k][i]} - int{out[50][i]});
    best = std::min(best, diff / static_cast<double>(in[k].size()));
  }
  EXPECT_LT(best, 8.0);
}

TEST(Music, TheSameSeedGivesTheSameAudioAndAnotherSeedOther) {
  mv::ComposeRequest req;
  req.duration_s = 8.0;
  req.mood = mv::Mood::Lofi;
  req.cuts = {1.5, 4.0};
  req.seed = 7;
  const mv::Pcm a = mv::render_arrangement(mv::compose(req));
  const mv::Pcm b = mv::render_arrangement(mv::compose(req));
  ASSERT_EQ(a.samples.size(), static_cast<std::size_t>(8.0 * 48000 * 2));
  EXPECT_TRUE(a.samples == b.samples);
  req.seed = 8;
  const mv::Arrangement other = mv::compose(req);
  const mv::Pcm c = mv::render_arrangement(other);
  EXPECT_FALSE(a.samples == c.samples);
}

TEST(Music, OurAnalyzerFindsTheGeneratedTempoWithinTwoPercent) {
  TempDir dir;
  for (const mv::Mood mood : mv::moods()) {
    mv::ComposeRequest req;
    req.duration_s = 30.0;
    req.mood = mood;
    req.seed = 3;
    const mv::Arrangement arr = mv::compose(req);
    const mv::Pcm pcm = mv::render_arrangement(arr);
    const fs::path wav = dir / (std::string(mv::mood_id(mood)) + ".wav");
    mvtest::write_wav(wav, pcm.samples, pcm.rate, pcm.channels);
    const mv::Analysis a = mv::analyze_file(wav, {});
    EXPECT_NEAR(a.tempo_bpm / arr.tempo_bpm, 1.0, 0.02) << mv::mood_id(mood) << ": composed " << arr.tempo_bpm << " BPM, heard "
                                                         << a.tempo_bpm;
  }
}

TEST(Music, TheTempoPutsTheCutsOnBeats) {
  // A cut every 1.5 s (with a frame of jitter): 120 BPM (3 beats) or 80 (2 beats) hold them all.
  std::vector<double> cuts;
  for (int i = 1; i <= 12; ++i) cuts.push_back(1.5 * i + (i % 2 == 0 ? 0.02 : -0.01));
  const auto [bpm, phase] = mv::fit_tempo(cuts, mv::Mood::Upbeat);
  EXPECT_GE(bpm, 100.0);
  EXPECT_LE(bpm, 128.0);
  const double beat = 60.0 / bpm;
  for (double c : cuts) {
    double d = std::fmod(c - phase, beat);
    d = std::min(std::abs(d), beat - std::abs(d));
    EXPECT_LT(d, 0.06) << "cut at " << c << " s, " << bpm << " BPM";
  }
  const mv::Arrangement arr = mv::compose({20.0, mv::Mood::Upbeat, cuts, 1, std::nullopt});
  EXPECT_EQ(arr.accents.size(), std::count_if(cuts.begin(), cuts.end(), [&](double c) { return c >= 0.3 && c <= arr.ending_s - 0.1; }));
}

TEST(Music, PromptWordsChooseTheMoodInEnglishAndChinese) {
  EXPECT_EQ(mv::mood_from_prompt("something chill for my vlog"), mv::Mood::Calm);
  EXPECT_EQ(mv::mood_from_prompt("Epic trailer music"), mv::Mood::Epic);
  EXPECT_EQ(mv::mood_from_prompt("欢快的背景音乐"), mv::Mood::Upbeat);
  EXPECT_EQ(mv::mood_from_prompt("低保真 学习"), mv::Mood::Lofi);
  EXPECT_EQ(mv::mood_from_prompt("悬疑"), mv::Mood::Dark);
  EXPECT_FALSE(mv::mood_from_prompt("my clip").has_value());
}

TEST(Soundtrack, TheUsersTrackThatFitsIsChosenAndFilledToTheClip) {
  TempDir dir;
  const fs::path music = dir / "music";
  fs::create_directories(music);
  std::vector<double> beats;
  // 120 BPM and 75 BPM drum tracks of 12 s: shorter than the clip, so a section repeats.
  mvtest::write_wav(music / "fast drums.wav", mvtest::synth_rhythm(mvtest::Rhythm::Drums, 120, 12, 44100, &beats), 44100, 1);
  mvtest::write_wav(music / "slow chill drums.wav", mvtest::synth_rhythm(mvtest::Rhythm::Drums, 75, 12, 44100, &beats), 44100, 1);
  mvtest::write_text(music / "notes.txt", "not music");
  const fs::path clip = make_clip(dir, "clip.mp4", {});
  mv::SoundtrackRequest req;
  req.video = clip;
  req.output = dir / "fast.mp4";
  req.music = music;
  const mv::SoundtrackResult fast = mv::make_soundtrack(req);
  EXPECT_EQ(fast.source, "music");
  EXPECT_EQ(fast.track.filename(), "fast drums.wav") << fast.reason;
  EXPECT_NE(fast.reason.find("repeated"), std::string::npos) << fast.reason;
  EXPECT_GE(fast.cuts_on_downbeats, 3) << fast.reason;
  // The music plays through the whole clip (no gap where the loop jumps back), then fades.
  const std::vector<float> mono = mv::mono_of(decode(fast.output));
  for (double t = 0.5; t + 1.0 < fast.ending_s; t += 1.0) EXPECT_GT(mvtest::power_db(mono, 48000, t, t + 1.0), -40.0) << "at " << t << " s";
  req.output = dir / "calm.mp4";
  req.prompt = "something chill";
  const mv::SoundtrackResult calm = mv::make_soundtrack(req);
  EXPECT_EQ(calm.track.filename(), "slow chill drums.wav") << calm.reason;
}

TEST(Soundtrack, BadInputGivesAClearErrorAndLeavesNothingBehind) {
  TempDir dir;
  const fs::path clip = make_clip(dir, "clip.mp4", {});
  fs::create_directories(dir / "empty");
  mvtest::write_text(dir / "broken.mp3", "this is not an mp3 file at all");
  mvtest::write_wav(dir / "song.wav", std::vector<float>(48000, 0.0f), 48000, 1);
  const auto before = mvtest::file_names(dir.path());
  const std::string mvgen = mvtest::mvgen_path() + " soundtrack ";
  const std::string out = " -o " + mvtest::shell_quote((dir / "out.mp4").string());
  const struct {
    std::string args;
    const char* says;
  } cases[] = {
      {mvtest::shell_quote(clip.string()) + out + " --music " + mvtest::shell_quote((dir / "empty").string()), "has no music"},
      {mvtest::shell_quote(clip.string()) + out + " --music " + mvtest::shell_quote((dir / "broken.mp3").string()), "cannot be read"},
      {mvtest::shell_quote(clip.string()) + out + " --music " + mvtest::shell_quote((dir / "missing").string()), "does not exist"},
      {mvtest::shell_quote((dir / "song.wav").string()) + out, "no moving pictures"},
  };
  for (const auto& c : cases) {
    const auto r = mvtest::run_command(mvgen + c.args);
    EXPECT_EQ(r.exit_code, 3) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.says), std::string::npos) << r.output;
    EXPECT_EQ(mvtest::file_names(dir.path()), before) << "something was left behind by " << c.args;
  }
}

}  // namespace
