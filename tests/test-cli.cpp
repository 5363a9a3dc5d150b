// test-cli.cpp — mvgen as a user runs it: every bad input of the issue gets a
// clear message, the documented exit code, and loses nothing; --json lines;
// Ctrl-C; video input; the real sample song; a 20-minute input.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using mvtest::shell_quote;

mvtest::CommandResult mvgen(const std::string& args) { return mvtest::run_command(shell_quote(mvtest::mvgen_path()) + " " + args); }

std::string q(const fs::path& p) { return shell_quote(p.string()); }

/// A short song for the CLI tests: 4 s of drums at 100 BPM, stereo WAV.
fs::path make_song(const mvtest::TempDir& dir, const std::string& name = "song.wav", double seconds = 4.0) {
  const auto mono = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 100, seconds, 44100, nullptr);
  std::vector<float> stereo;
  for (float s : mono) {
    stereo.push_back(s);
    stereo.push_back(s);
  }
  mvtest::write_wav(dir / name, stereo, 44100, 2);
  return dir / name;
}

const char* kFast = " --resolution 720p --preset ultrafast --quiet";

/// No temporary or partial file is left in `dir`.
void expect_no_leftovers(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    EXPECT_EQ(e.path().string().find(".part"), std::string::npos) << "left over: " << e.path();
  }
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(BadInput, MissingFileSaysSoWithExitCode3) {
  mvtest::TempDir dir;
  const auto r = mvgen("generate " + q(dir / "nope.mp3") + " -o " + q(dir / "out.mp4"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("No such file"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "out.mp4"));
  expect_no_leftovers(dir.path());
}

TEST(BadInput, EmptyFileSaysEmpty) {
  mvtest::TempDir dir;
  std::ofstream(dir / "empty.mp3").close();
  const auto r = mvgen("generate " + q(dir / "empty.mp3") + " -o " + q(dir / "out.mp4"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("empty"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "out.mp4"));
  expect_no_leftovers(dir.path());
}

TEST(BadInput, TextFileNamedMp3IsNotMedia) {
  mvtest::TempDir dir;
  std::ofstream(dir / "notes.mp3") << "These are my lyrics, not an mp3.\n";
  const auto r = mvgen("generate " + q(dir / "notes.mp3") + " -o " + q(dir / "out.mp4"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("not an audio or video file"), std::string::npos) << r.output;
  expect_no_leftovers(dir.path());
}

TEST(BadInput, TruncatedMp3RendersWhatIsThere) {
  mvtest::TempDir dir;
  const auto song = make_song(dir, "song.wav", 6.0);
  ASSERT_TRUE(mvtest::ffmpeg("-i " + q(song) + " -c:a libmp3lame -b:a 128k " + q(dir / "full.mp3")));
  const std::string bytes = read_file(dir / "full.mp3");
  std::ofstream(dir / "cut.mp3", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  const auto r = mvgen("generate " + q(dir / "cut.mp3") + " -o " + q(dir / "out.mp4") + kFast);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto v = mvtest::probe_video(dir / "out.mp4");
  EXPECT_NEAR(v.video_duration_s, 3.0, 0.5);
  EXPECT_NEAR(v.video_duration_s, v.audio_duration_s, 1.0 / 30.0);
}

TEST(BadInput, ImageWithoutAudioIsRefused) {
  mvtest::TempDir dir;
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=red:size=64x64 -frames:v 1 " + q(dir / "cover.png")));
  const auto r = mvgen("generate " + q(dir / "cover.png") + " -o " + q(dir / "out.mp4"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("no audio"), std::string::npos) << r.output;
  expect_no_leftovers(dir.path());
}

TEST(BadInput, AudioUnderOneSecondIsRefused) {
  mvtest::TempDir dir;
  const auto song = make_song(dir, "short.wav", 0.5);
  const auto r = mvgen("generate " + q(song) + " -o " + q(dir / "out.mp4"));
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("at least 1 s"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir / "out.mp4"));
  expect_no_leftovers(dir.path());
}

TEST(BadOutput, FolderThatCannotBeWrittenIsRefused) {
  mvtest::TempDir dir;
  const auto song = make_song(dir);
  // /proc cannot hold new files, even for root (chmod does not stop root).
  auto r = mvgen("generate " + q(song) + " -o /proc/mvgen-test.mp4");
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("cannot write to folder /proc"), std::string::npos) << r.output;
  r = mvgen("generate " + q(song) + " -o " + q(dir / "no-such-folder" / "out.mp4"));
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("does not exist"), std::string::npos) << r.output;
}

TEST(BadOutput, OutputEqualToInputIsRefused) {
  mvtest::TempDir dir;
  const auto song = make_song(dir);
  const std::string before = read_file(song);
  const auto r = mvgen("generate " + q(song) + " -o " + q(song) + " --force");
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("is an input"), std::string::npos) << r.output;
  EXPECT_EQ(read_file(song), before);
}

TEST(BadOutput, ExistingOutputNeedsForce) {
  mvtest::TempDir dir;
  const auto song = make_song(dir);
  std::ofstream(dir / "out.mp4") << "my precious earlier render";
  auto r = mvgen("generate " + q(song) + " -o " + q(dir / "out.mp4") + kFast);
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("already exists"), std::string::npos) << r.output;
  EXPECT_EQ(read_file(dir / "out.mp4"), "my precious earlier render");
  r = mvgen("generate " + q(song) + " -o " + q(dir / "out.mp4") + kFast + " --force");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(mvtest::probe_video(dir / "out.mp4").video_codec, "h264");
  expect_no_leftovers(dir.path());
}

TEST(Usage, BadOptionValuesExitWith2) {
  mvtest::TempDir dir;
  const auto song = make_song(dir);
  for (const std::string bad : {"--aspect 4:3", "--fps 25", "--resolution 4k", "--style disco", "--palette plaid",
                                "--tempo-range 100", "--bogus"}) {
    const auto r = mvgen("generate " + q(song) + " -o " + q(dir / "o.mp4") + " " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
  }
  EXPECT_EQ(mvgen("generate " + q(song)).exit_code, 2);
}

TEST(Json, ProgressLinesThenAResult) {
  mvtest::TempDir dir;
  const auto song = make_song(dir);
  const auto r = mvtest::run_stdout(shell_quote(mvtest::mvgen_path()) + " generate " + q(song) + " -o " +
                                     q(dir / "o.mp4") + " --resolution 720p --preset ultrafast --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::istringstream lines(r.output);
  std::string line;
  double last = -1.0;
  nlohmann::json result;
  int count = 0;
  while (std::getline(lines, line)) {
    const auto j = nlohmann::json::parse(line);
    ++count;
    ASSERT_TRUE(j.contains("stage"));
    const double p = j["progress"].get<double>();
    EXPECT_GE(p, last);
    EXPECT_LE(p, 1.0);
    last = p;
    if (j.contains("result")) result = j["result"];
  }
  EXPECT_GT(count, 5);
  ASSERT_TRUE(result.is_object());
  EXPECT_EQ(result["path"], (dir / "o.mp4").string());
  EXPECT_NEAR(result["duration"].get<double>(), 4.0, 1.0 / 30.0);
  EXPECT_EQ(result["size"].get<std::uintmax_t>(), fs::file_size(dir / "o.mp4"));
  EXPECT_NEAR(result["bpm"].get<double>(), 100.0, 2.0);
}

TEST(Json, ErrorsAreJsonToo) {
  mvtest::TempDir dir;
  const auto r = mvtest::run_stdout(shell_quote(mvtest::mvgen_path()) + " generate " + q(dir / "x.mp3") + " -o " +
                                     q(dir / "o.mp4") + " --json");
  EXPECT_EQ(r.exit_code, 3);
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["error"]["code"], "input_missing");
}

TEST(Interrupt, CtrlCStopsCleanlyWithNoPartialOutput) {
  mvtest::TempDir dir;
  const auto song = make_song(dir, "long.wav", 60.0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string out = (dir / "out.mp4").string();
    const std::string in = song.string();
    execl(mvtest::mvgen_path().c_str(), "mvgen", "generate", in.c_str(), "-o", out.c_str(), "--quiet",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until the render has started (its temporary file exists), then Ctrl-C.
  bool started = false;
  for (int i = 0; i < 2400 && !started; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (const auto& e : fs::directory_iterator(dir.path())) started = started || e.path().string().find(".part") != std::string::npos;
  }
  EXPECT_TRUE(started);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_FALSE(fs::exists(dir / "out.mp4"));
  expect_no_leftovers(dir.path());
}

TEST(Input, VideoFileUsesItsAudioTrack) {
  mvtest::TempDir dir;
  const auto song = make_song(dir, "song.wav", 5.0);
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -i " + q(song) +
                             " -shortest -c:v libx264 -preset ultrafast -c:a aac " + q(dir / "clip.mp4")));
  const auto r = mvgen("generate " + q(dir / "clip.mp4") + " -o " + q(dir / "out.mp4") + kFast + " --aspect 9:16");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto v = mvtest::probe_video(dir / "out.mp4");
  EXPECT_EQ(v.width, 720);
  EXPECT_EQ(v.height, 1280);
  EXPECT_NEAR(v.audio_duration_s, 5.0, 0.05);
  EXPECT_NEAR(v.video_duration_s, v.audio_duration_s, 1.0 / 30.0);
}

TEST(Analyze, PrintsTheDocumentedFields) {
  mvtest::TempDir dir;
  const auto song = make_song(dir, "song.wav", 12.0);
  const auto r = mvtest::run_stdout(shell_quote(mvtest::mvgen_path()) + " analyze " + q(song));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_NEAR(j["duration_s"].get<double>(), 12.0, 0.01);
  EXPECT_EQ(j["sample_rate"], 44100);
  EXPECT_NEAR(j["tempo_bpm"].get<double>(), 100.0, 2.0);
  EXPECT_GE(j["beats"].size(), 17u);
  EXPECT_FALSE(j["onsets"].empty());
  EXPECT_LT(j["loudness"]["integrated_lufs"].get<double>(), 0.0);
  EXPECT_GT(j["loudness"]["integrated_lufs"].get<double>(), -40.0);
  EXPECT_NEAR(static_cast<double>(j["loudness"]["short_term_lufs"].size()), 24.0, 1.0);
  EXPECT_FALSE(j["sections"].empty());
  // --bpm and --tempo-range are honoured.
  const auto forced = nlohmann::json::parse(
      mvtest::run_stdout(shell_quote(mvtest::mvgen_path()) + " analyze " + q(song) + " --bpm 50").output);
  EXPECT_DOUBLE_EQ(forced["tempo_bpm"].get<double>(), 50.0);
  const auto halved = nlohmann::json::parse(mvtest::run_stdout(shell_quote(mvtest::mvgen_path()) + " analyze " +
                                                                q(song) + " --tempo-range 30-70")
                                                .output);
  EXPECT_NEAR(halved["tempo_bpm"].get<double>(), 50.0, 1.0);
}

TEST(RealSample, ChaosGodAnalysisFindsItsTempo) {
  const auto sample = mvtest::sample_dir() / "chaos-god.ogg";
  ASSERT_TRUE(fs::exists(sample)) << "run scripts/fetch-sample.sh";
  const auto r = mvtest::run_stdout(shell_quote(mvtest::mvgen_path()) + " analyze " + q(sample));
  ASSERT_EQ(r.exit_code, 0);
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_NEAR(j["duration_s"].get<double>(), 183.5, 0.2);
  // The game chart of the song gives 170 BPM (../shared/MEDIA-NOTES.md).
  EXPECT_NEAR(j["tempo_bpm"].get<double>(), 170.0, 3.4);
  EXPECT_GE(j["sections"].size(), 3u);
}

TEST(LongInput, TwentyMinutesRenders) {
  const auto sample = mvtest::sample_dir() / "long-20min.ogg";
  ASSERT_TRUE(fs::exists(sample)) << "run scripts/fetch-sample.sh";
  mvtest::TempDir dir;
  const auto r = mvgen("generate " + q(sample) + " -o " + q(dir / "long.mp4") +
                       " --resolution 720p --fps 24 --preset ultrafast --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto v = mvtest::probe_video(dir / "long.mp4");
  EXPECT_NEAR(v.audio_duration_s, 1200.0, 0.1);
  EXPECT_NEAR(v.video_duration_s, v.audio_duration_s, 1.0 / 24.0);
}

}  // namespace

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

TEST(BadInput, AWavWhoseHeaderClaimsGigabytesIsRefusedWithoutTakingThem) {
  // Found by fuzz/fuzz-media-probe: 300 bytes of RIFF/WAVE whose LIST chunk claims
  // 0x7a00001a bytes made libavformat 5.1 zero-fill a 1.95 GB buffer (ffprobe too).
  // mvgen caps single FFmpeg allocations (mv::limit_ffmpeg_allocation).
  static const unsigned char kWav[] = {
      0x52, 0x49, 0x46, 0x46, 0xc6, 0x0c, 0x00, 0x00, 0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20, 0x10, 0x00,
      0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x40, 0x1f, 0x00, 0x00, 0x80, 0x3e, 0x00, 0x00, 0x02, 0x00, 0x10, 0x00,
      0x4c, 0x49, 0x53, 0x54, 0x1a, 0x00, 0x00, 0x7a, 0x49, 0x4e, 0x46, 0x4f, 0x49, 0x53, 0x46, 0x54, 0x0e, 0x00,
      0x71, 0x74, 0x20, 0x20, 0x76, 0x66, 0x35, 0x39, 0x2e, 0x32, 0x37, 0x2e, 0x31, 0x30, 0x30, 0x00, 0x64, 0x61,
      0x74, 0x61, 0x80, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x6b, 0x05, 0x32, 0x0a, 0xc5, 0x0d, 0xb6, 0x0f};
  mvtest::TempDir dir;
  const auto wav = dir / "claims-2gb.wav";
  {
    std::ofstream out(wav, std::ios::binary);
    out.write(reinterpret_cast<const char*>(kWav), sizeof kWav);
  }
  const std::string path = mvtest::mvgen_path();
  const std::string file = wav.string();
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (std::freopen("/dev/null", "w", stdout) == nullptr || std::freopen("/dev/null", "w", stderr) == nullptr) _exit(126);
    ::execl(path.c_str(), path.c_str(), "analyze", file.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  ASSERT_EQ(::wait4(pid, &status, 0, &usage), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3) << "an unreadable input is exit code 3";
  EXPECT_LT(usage.ru_maxrss, 300L * 1024) << "peak RSS " << usage.ru_maxrss / 1024 << " MB";
}

}  // namespace
