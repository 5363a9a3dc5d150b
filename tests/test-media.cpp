// test-media.cpp — mv::probe_media and mv::AudioReader on files made with the
// ffmpeg CLI: every supported format decodes to the right length and timing,
// excerpts are sample-exact, bad inputs fail with the right error code; plus
// CancelToken and stage_name from progress.hpp.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mv/base/error.hpp"
#include "mv/media/canvas.hpp"
#include "mv/media/media.hpp"
#include "mv/media/picture-out.hpp"
#include "mv/base/progress.hpp"
#include "test-support.hpp"

namespace {

namespace fs = std::filesystem;
using mvtest::TempDir;

constexpr int kSourceRate = 44100;
constexpr double kSourceSeconds = 3.0;
constexpr double kBpm = 120.0;  // clicks at 0.5, 1.0, 1.5, 2.0, 2.5 s

/// Decodes a whole file (or excerpt) with AudioReader into one buffer.
std::vector<float> decode(const fs::path& path, int rate, int channels, double start_s = 0.0,
                          std::optional<double> duration_s = std::nullopt) {
  mv::AudioReader reader(path, rate, channels, start_s, duration_s);
  std::vector<float> out;
  while (reader.read(out)) {
  }
  return out;
}

double rms(const std::vector<float>& x) {
  double sum = 0.0;
  for (float s : x) sum += static_cast<double>(s) * s;
  return x.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(x.size()));
}

/// Times (s) where a mono signal first rises above `threshold`, at least 0.2 s apart.
std::vector<double> onsets(const std::vector<float>& mono, int rate, float threshold = 0.1f) {
  std::vector<double> times;
  std::size_t quiet_until = 0;
  for (std::size_t i = 0; i < mono.size(); ++i) {
    if (i >= quiet_until && std::fabs(mono[i]) > threshold) {
      times.push_back(static_cast<double>(i) / rate);
      quiet_until = i + static_cast<std::size_t>(0.2 * rate);
    }
  }
  return times;
}

/// Error code thrown by `fn`, or nullopt; `message` receives the text.
template <typename Fn>
std::optional<mv::ErrorCode> error_code_of(Fn fn, std::string* message = nullptr) {
  try {
    fn();
  } catch (const mv::Error& e) {
    if (message != nullptr) *message = e.what();
    return e.code();
  }
  return std::nullopt;
}

/// One encoded fixture: file name, ffmpeg arguments, and what to expect.
struct Format {
  std::string name;
  std::string file;
  std::string args;       ///< ffmpeg args; {wav} is the source, {video} a 3 s test pattern
  bool video = false;
  double extra_s = 0.0;   ///< priming the container cannot signal (ADTS AAC)
};

std::ostream& operator<<(std::ostream& os, const Format& f) { return os << f.name; }

const std::vector<Format>& formats() {
  static const std::vector<Format> all = {
      {"wav", "a.wav", "-i {wav} -c:a pcm_s16le", false, 0.0},
      {"mp3", "a.mp3", "-i {wav} -c:a libmp3lame -b:a 192k", false, 0.0},
      {"flac", "a.flac", "-i {wav} -c:a flac", false, 0.0},
      {"ogg", "a.ogg", "-i {wav} -c:a libvorbis -q:a 6", false, 0.0},
      {"m4a", "a.m4a", "-i {wav} -c:a aac -b:a 192k", false, 0.0},
      {"aac", "a.aac", "-i {wav} -c:a aac -b:a 192k -f adts", false, 0.06},
      {"mp4", "v.mp4", "{video} -i {wav} -c:v libx264 -preset ultrafast -c:a aac -b:a 192k", true, 0.0},
      {"mov", "v.mov", "{video} -i {wav} -c:v libx264 -preset ultrafast -c:a aac -b:a 192k", true, 0.0},
      {"mkv", "v.mkv", "{video} -i {wav} -c:v libx264 -preset ultrafast -c:a libvorbis", true, 0.0},
      {"webm", "v.webm", "{video} -i {wav} -c:v libvpx-vp9 -deadline realtime -c:a libopus -b:a 128k", true, 0.0},
  };
  return all;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

/// Fixtures shared by all tests: the source WAV (click track, stereo) and one file per format.
class MediaFiles {
 public:
  static MediaFiles& get() {
    static MediaFiles files;
    return files;
  }
  [[nodiscard]] fs::path path(const std::string& file) const { return dir_ / file; }
  [[nodiscard]] const fs::path& source() const { return source_; }
  [[nodiscard]] const std::vector<double>& beats() const { return beats_; }

 private:
  MediaFiles() {
    const std::vector<float> mono =
        mvtest::synth_rhythm(mvtest::Rhythm::Click, kBpm, kSourceSeconds, kSourceRate, &beats_);
    std::vector<float> stereo;
    for (float s : mono) stereo.insert(stereo.end(), {s, s});
    source_ = dir_ / "source.wav";
    mvtest::write_wav(source_, stereo, kSourceRate, 2);
    const std::string video = "-f lavfi -i testsrc2=size=320x240:rate=25:duration=3";
    for (const Format& f : formats()) {
      std::string args = replace_all(f.args, "{wav}", mvtest::shell_quote(source_.string()));
      args = replace_all(args, "{video}", video);
      (void)mvtest::ffmpeg(args + " -shortest " + mvtest::shell_quote(path(f.file).string()));  // checked per test
    }
  }
  TempDir dir_;
  fs::path source_;
  std::vector<double> beats_;
};

class FormatTest : public ::testing::TestWithParam<Format> {
 protected:
  fs::path file() const {
    const fs::path p = MediaFiles::get().path(GetParam().file);
    EXPECT_TRUE(fs::exists(p)) << "ffmpeg failed to make " << p;
    return p;
  }
};

TEST_P(FormatTest, ProbeDescribesStreams) {
  const mv::MediaInfo info = mv::probe_media(file());
  EXPECT_TRUE(info.has_audio);
  EXPECT_NEAR(info.duration_s, kSourceSeconds, 0.1);
  EXPECT_EQ(info.sample_rate, GetParam().name == "webm" ? 48000 : kSourceRate);  // Opus is always 48 kHz
  EXPECT_EQ(info.channels, 2);
  EXPECT_FALSE(info.audio_codec.empty());
  EXPECT_FALSE(info.format_name.empty());
  EXPECT_EQ(info.has_video, GetParam().video);
  EXPECT_FALSE(info.is_still_image);
  if (GetParam().video) {
    EXPECT_EQ(info.width, 320);
    EXPECT_EQ(info.height, 240);
  }
}

TEST_P(FormatTest, DecodesWholeTrackInTime) {
  constexpr int rate = 22050;
  mv::AudioReader reader(file(), rate, 1);
  EXPECT_EQ(reader.sample_rate(), rate);
  EXPECT_EQ(reader.channels(), 1);
  EXPECT_NEAR(reader.expected_duration_s(), kSourceSeconds, 0.1);
  std::vector<float> mono;
  int chunks = 0;
  while (reader.read(mono)) ++chunks;
  EXPECT_FALSE(reader.read(mono)) << "read() keeps returning false at the end";
  EXPECT_GT(chunks, 10) << "read() should deliver about a frame at a time";
  EXPECT_EQ(reader.skipped_packets(), 0);
  EXPECT_NEAR(reader.position_s(), kSourceSeconds, 0.1);

  const double seconds = static_cast<double>(mono.size()) / rate;
  EXPECT_GE(seconds, kSourceSeconds - 0.05);
  EXPECT_LE(seconds, kSourceSeconds + 0.05 + GetParam().extra_s);
  EXPECT_GT(rms(mono), 0.01) << "decoded audio is silent";
  EXPECT_LE(*std::max_element(mono.begin(), mono.end()), 1.2f);

  // The clicks land where they were synthesised (ADTS carries no priming info).
  const std::vector<double> found = onsets(mono, rate);
  const std::vector<double>& beats = MediaFiles::get().beats();
  ASSERT_EQ(found.size(), beats.size());
  const double tolerance = 0.03 + GetParam().extra_s;
  for (std::size_t i = 0; i < beats.size(); ++i) EXPECT_NEAR(found[i], beats[i], tolerance) << "beat " << i;
}

TEST_P(FormatTest, ExcerptHasExactLengthAndTiming) {
  constexpr int rate = 22050;
  mv::AudioReader reader(file(), rate, 1, 1.0, 1.5);
  EXPECT_NEAR(reader.expected_duration_s(), 1.5, 1e-9);
  std::vector<float> mono;
  while (reader.read(mono)) {
  }
  EXPECT_EQ(mono.size(), static_cast<std::size_t>(1.5 * rate));
  EXPECT_LE(reader.position_s(), 1.6);
  // Clicks at 1.0, 1.5 and 2.0 s of the song are at 0, 0.5 and 1.0 s of the excerpt.
  const std::vector<double> found = onsets(mono, rate);
  ASSERT_EQ(found.size(), 3u);
  const double tolerance = 0.03 + GetParam().extra_s;
  for (std::size_t i = 0; i < found.size(); ++i) EXPECT_NEAR(found[i], 0.5 * static_cast<double>(i), tolerance);
}

INSTANTIATE_TEST_SUITE_P(Formats, FormatTest, ::testing::ValuesIn(formats()),
                         [](const ::testing::TestParamInfo<Format>& p) { return p.param.name; });

// Lossless formats: an excerpt is bit-identical to the same span of a full decode.
class LosslessTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LosslessTest, ExcerptMatchesFullDecodeSampleForSample) {
  const fs::path path = MediaFiles::get().path(GetParam());
  const std::vector<float> full = decode(path, 0, 0);
  ASSERT_EQ(full.size(), static_cast<std::size_t>(kSourceSeconds * kSourceRate * 2));
  const std::vector<float> part = decode(path, 0, 0, 1.0, 1.5);
  ASSERT_EQ(part.size(), static_cast<std::size_t>(1.5 * kSourceRate * 2));
  const auto offset = static_cast<std::ptrdiff_t>(1.0 * kSourceRate * 2);
  EXPECT_TRUE(std::equal(part.begin(), part.end(), full.begin() + offset));
  EXPECT_GT(rms(part), 0.01);
}

TEST_P(LosslessTest, ResampledExcerptMatchesFullDecode) {
  constexpr int rate = 22050;
  const fs::path path = MediaFiles::get().path(GetParam());
  const std::vector<float> full = decode(path, rate, 1);
  const std::vector<float> part = decode(path, rate, 1, 1.0, 1.5);
  ASSERT_EQ(part.size(), static_cast<std::size_t>(1.5 * rate));
  // Past the resampler's filter warm-up the two decodes agree.
  double worst = 0.0;
  for (std::size_t i = 64; i < part.size(); ++i) {
    worst = std::max(worst, static_cast<double>(std::fabs(part[i] - full[i + rate])));
  }
  EXPECT_LT(worst, 1e-3);
}

INSTANTIATE_TEST_SUITE_P(Lossless, LosslessTest, ::testing::Values("a.wav", "a.flac"),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                           return p.param.substr(2);
                         });

TEST(AudioReader, KeepsNativeRateAndStereoByDefault) {
  mv::AudioReader reader(MediaFiles::get().source(), 0, 0);
  EXPECT_EQ(reader.sample_rate(), kSourceRate);
  EXPECT_EQ(reader.channels(), 2);
  std::vector<float> out{42.0f};
  ASSERT_TRUE(reader.read(out));
  EXPECT_EQ(out.front(), 42.0f) << "read() appends, it does not clear";
  const std::size_t after_one = out.size();
  ASSERT_TRUE(reader.read(out));
  EXPECT_GT(out.size(), after_one);
  EXPECT_EQ((out.size() - 1) % 2, 0u);
}

TEST(AudioReader, DurationPastTheEndStopsAtTheEnd) {
  const std::vector<float> mono = decode(MediaFiles::get().source(), 8000, 1, 2.0, 5.0);
  EXPECT_EQ(mono.size(), 8000u);
}

TEST(AudioReader, ZeroDurationGivesNothing) {
  mv::AudioReader reader(MediaFiles::get().source(), 8000, 1, 0.5, 0.0);
  std::vector<float> out;
  EXPECT_FALSE(reader.read(out));
  EXPECT_TRUE(out.empty());
}

TEST(MediaErrors, MissingPathIsInputMissing) {
  TempDir dir;
  const fs::path missing = dir / "nope.mp3";
  std::string message;
  EXPECT_EQ(error_code_of([&] { (void)mv::probe_media(missing); }, &message), mv::ErrorCode::InputMissing);
  EXPECT_NE(message.find("No such file"), std::string::npos) << message;
  EXPECT_EQ(error_code_of([&] { mv::AudioReader r(missing, 0, 0); }), mv::ErrorCode::InputMissing);
}

TEST(MediaErrors, DirectoryIsInputMissing) {
  TempDir dir;
  std::string message;
  EXPECT_EQ(error_code_of([&] { (void)mv::probe_media(dir.path()); }, &message), mv::ErrorCode::InputMissing);
  EXPECT_NE(message.find("directory"), std::string::npos) << message;
}

TEST(MediaErrors, EmptyFileIsInputInvalid) {
  TempDir dir;
  const fs::path empty = dir / "empty.mp3";
  std::ofstream(empty).close();
  std::string message;
  EXPECT_EQ(error_code_of([&] { (void)mv::probe_media(empty); }, &message), mv::ErrorCode::InputInvalid);
  EXPECT_NE(message.find("empty"), std::string::npos) << message;
  EXPECT_EQ(error_code_of([&] { mv::AudioReader r(empty, 0, 0); }), mv::ErrorCode::InputInvalid);
}

TEST(MediaErrors, TextFileNamedMp3IsInputInvalid) {
  TempDir dir;
  const fs::path text = dir / "notes.mp3";
  std::ofstream(text) << "These are not the droids you are looking for.\nJust some text.\n";
  std::string message;
  EXPECT_EQ(error_code_of([&] { (void)mv::probe_media(text); }, &message), mv::ErrorCode::InputInvalid);
  EXPECT_NE(message.find("FFmpeg can read"), std::string::npos) << message;
  EXPECT_EQ(error_code_of([&] { mv::AudioReader r(text, 0, 0); }), mv::ErrorCode::InputInvalid);
}

TEST(MediaErrors, StillImageProbesButHasNoAudio) {
  TempDir dir;
  const fs::path png = dir / "red.png";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=red:size=64x64 -frames:v 1 " + mvtest::shell_quote(png.string())));
  const mv::MediaInfo info = mv::probe_media(png);
  EXPECT_TRUE(info.is_still_image);
  EXPECT_TRUE(info.has_video);
  EXPECT_FALSE(info.has_audio);
  EXPECT_EQ(info.video_codec, "png");
  EXPECT_EQ(info.width, 64);
  EXPECT_EQ(info.height, 64);
  std::string message;
  EXPECT_EQ(error_code_of([&] { mv::AudioReader r(png, 0, 0); }, &message), mv::ErrorCode::InputInvalid);
  EXPECT_NE(message.find("no audio"), std::string::npos) << message;
}

TEST(MediaErrors, CoverArtIsNotVideo) {
  TempDir dir;
  const fs::path png = dir / "cover.png";
  const fs::path mp3 = dir / "with-cover.mp3";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=blue:size=64x64 -frames:v 1 " + mvtest::shell_quote(png.string())));
  ASSERT_TRUE(mvtest::ffmpeg("-i " + mvtest::shell_quote(MediaFiles::get().path("a.mp3").string()) + " -i " +
                             mvtest::shell_quote(png.string()) +
                             " -map 0 -map 1 -c copy -id3v2_version 3 -disposition:v attached_pic " +
                             mvtest::shell_quote(mp3.string())));
  const mv::MediaInfo info = mv::probe_media(mp3);
  EXPECT_TRUE(info.has_audio);
  EXPECT_FALSE(info.has_video);
  EXPECT_FALSE(info.is_still_image);
  EXPECT_NEAR(static_cast<double>(decode(mp3, 8000, 1).size()) / 8000, kSourceSeconds, 0.05);
}

TEST(MediaErrors, TruncatedMp3YieldsWhatItHas) {
  TempDir dir;
  const fs::path cut = dir / "cut.mp3";
  {
    std::ifstream in(MediaFiles::get().path("a.mp3"), std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(bytes.size(), 1000u);
    std::ofstream(cut, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size() * 4 / 10));
  }
  std::vector<float> mono;
  EXPECT_NO_THROW(mono = decode(cut, 22050, 1));
  const double seconds = static_cast<double>(mono.size()) / 22050;
  EXPECT_GE(seconds, 0.8);
  EXPECT_LE(seconds, 1.6);
  EXPECT_GT(rms(mono), 0.01);
}

TEST(MediaErrors, CorruptPacketsAreSkippedAndCounted) {
  for (const std::string name : {"a.mp3", "a.m4a"}) {
    TempDir dir;
    const fs::path bad = dir / name;
    {
      std::ifstream in(MediaFiles::get().path(name), std::ios::binary);
      std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      ASSERT_GT(bytes.size(), 1000u);
      std::mt19937 rng(7);  // garbage over a tenth of the file, a third of the way in
      for (std::size_t i = bytes.size() / 3; i < bytes.size() / 3 + bytes.size() / 10; ++i) {
        bytes[i] = static_cast<char>(rng() & 0xff);
      }
      std::ofstream(bad, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    mv::AudioReader reader(bad, 22050, 1);
    std::vector<float> mono;
    EXPECT_NO_THROW(while (reader.read(mono)) {}) << name;
    EXPECT_GT(reader.skipped_packets(), 0) << name;
    const double seconds = static_cast<double>(mono.size()) / 22050;
    EXPECT_GE(seconds, 1.5) << name;
    EXPECT_LE(seconds, kSourceSeconds + 0.05) << name;
  }
}

TEST(MediaErrors, RejectsBadChannelCount) {
  EXPECT_EQ(error_code_of([&] { mv::AudioReader r(MediaFiles::get().source(), 0, 6); }), mv::ErrorCode::Usage);
}

TEST(Progress, CancelTokenThrowsOnlyAfterRequest) {
  mv::CancelToken token;
  EXPECT_FALSE(token.requested());
  EXPECT_NO_THROW(token.throw_if_requested());
  token.request();
  EXPECT_TRUE(token.requested());
  EXPECT_EQ(error_code_of([&] { token.throw_if_requested(); }), mv::ErrorCode::Cancelled);
}

TEST(Progress, StageNamesAreLowerCase) {
  EXPECT_STREQ(mv::stage_name(mv::Stage::Probe), "probe");
  EXPECT_STREQ(mv::stage_name(mv::Stage::Analyze), "analyze");
  EXPECT_STREQ(mv::stage_name(mv::Stage::Plan), "plan");
  EXPECT_STREQ(mv::stage_name(mv::Stage::Render), "render");
  EXPECT_STREQ(mv::stage_name(mv::Stage::Finalize), "finalize");
}

}  // namespace

// RGB pictures of every width: swscale's converters write whole blocks of pixels
// per row, so a width that is not a multiple of the block (a 90x160 Short's
// frame) once wrote past the end of the picture (heap corruption at free).
TEST(PictureOut, RgbPicturesOfAnyWidthHoldTheirColourToTheLastPixel) {
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{2, 2}, {30, 18}, {90, 160}, {98, 56}, {322, 180}}) {
    mv::Canvas canvas(w, h);
    canvas.fill(mv::Rgb{200, 40, 90});
    const std::vector<std::uint8_t> rgb = mv::canvas_to_rgb(canvas);
    ASSERT_EQ(rgb.size(), static_cast<std::size_t>(w) * h * 3) << w << "x" << h;
    const std::size_t last = rgb.size() - 3;
    EXPECT_NEAR(rgb[last], 200, 3) << w << "x" << h;
    EXPECT_NEAR(rgb[last + 1], 40, 3) << w << "x" << h;
    EXPECT_NEAR(rgb[last + 2], 90, 3) << w << "x" << h;
    for (const int width : {w, w / 2 + 1, 320}) {
      const mv::RgbPicture small = mv::thumbnail(canvas, width);
      ASSERT_EQ(small.rgb.size(), static_cast<std::size_t>(small.width) * small.height * 3);
      EXPECT_LE(small.width, w);
      EXPECT_NEAR(small.rgb[small.rgb.size() - 3], 200, 3) << w << "x" << h << " to " << width;
    }
  }
}
