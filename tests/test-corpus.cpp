// test-corpus.cpp — issue 25: inputs made the way OBS and phones make them
// (tests/corpus/make-corpus.sh writes them into <build>/corpus before these
// tests run: the ctest fixture "corpus"): nothing the user gave is ever
// replaced; multi-track OBS recordings; HLG and PQ clips; CJK and other
// scripts; cut recordings; silence, vertical and square clips, 5.1, a video
// without sound, camera file names.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <numeric>
#include <tuple>

#include <nlohmann/json.hpp>

#include "ass-text.hpp"
#include "live-render.hpp"
#include "mv/analysis/live-analyzer.hpp"
#include "mv/audio/mix.hpp"
#include "mv/audio/track-profile.hpp"
#include "mv/media/canvas.hpp"
#include "mv/media/media.hpp"
#include "mv/media/visual-source.hpp"
#include "mv/render/generate.hpp"
#include "mv/render/glyph-check.hpp"
#include "mv/render/look.hpp"
#include "mv/timeline/timeline.hpp"
#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using mvtest::shell_quote;

const fs::path kCorpus = MV_CORPUS_DIR;

fs::path corpus(const std::string& name) {
  const fs::path p = kCorpus / name;
  if (!fs::exists(p)) throw std::runtime_error(p.string() + " is missing: the corpus fixture (tests/corpus/make-corpus.sh) did not run");
  return p;
}

std::string q(const fs::path& p) { return shell_quote(p.string()); }

mvtest::CommandResult mvgen(const std::string& args) { return mvtest::run_command(shell_quote(mvtest::mvgen_path()) + " " + args); }

/// The last line of `--json` output as JSON (the result or the error).
json last_json(const std::string& output) {
  std::string last;
  std::size_t at = 0;
  while (at < output.size()) {
    const auto end = output.find('\n', at);
    const std::string line = output.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (!line.empty() && line.front() == '{') last = line;
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return last.empty() ? json() : json::parse(last);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const char* kSmall = " --size 320x180 --preset ultrafast --quiet";

/// The 100 ms energy envelope of a file's audio (track `track`, 0: best), mono 22050 Hz.
std::vector<double> envelope(const fs::path& path, int track = 0) {
  mv::AudioReader reader(path, 22050, 1, 0.0, std::nullopt, track);
  std::vector<float> chunk, mono;
  while (reader.read(chunk)) {
    mono.insert(mono.end(), chunk.begin(), chunk.end());
    chunk.clear();
  }
  std::vector<double> out;
  for (std::size_t a = 0; a + 2205 <= mono.size(); a += 2205) {
    double e = 0.0;
    for (std::size_t i = a; i < a + 2205; ++i) e += static_cast<double>(mono[i]) * mono[i];
    out.push_back(e / 2205.0);
  }
  return out;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  const double ma = std::accumulate(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), 0.0) / static_cast<double>(n);
  const double mb = std::accumulate(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n), 0.0) / static_cast<double>(n);
  double ab = 0.0, aa = 0.0, bb = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) * (a[i] - ma);
    bb += (b[i] - mb) * (b[i] - mb);
  }
  return ab / std::sqrt(aa * bb);
}

// ---------------------------------------------------------------------------
// 1. Nothing the user gave is ever overwritten or replaced, with --force or without.

/// Copies a corpus file into `dir` under `name`.
fs::path copy_in(const mvtest::TempDir& dir, const std::string& from, const std::string& name) {
  fs::copy_file(corpus(from), dir / name);
  return dir / name;
}

/// Runs mvgen `args`, then checks the refusal: exit 4, the message, `input` byte for byte as before, no leftovers.
void expect_refused(const std::string& args, const fs::path& input, const std::string& message) {
  const std::string before = slurp(input);
  const auto r = mvgen(args);
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
  EXPECT_EQ(slurp(input), before) << input << " changed";
  for (const auto& e : fs::directory_iterator(input.parent_path())) {
    EXPECT_EQ(e.path().string().find(".part"), std::string::npos) << "left over: " << e.path();
  }
}

TEST(NeverReplaced, TheInput) {
  mvtest::TempDir dir;
  const fs::path clip = copy_in(dir, "IMG_0042.MOV", "clip.mp4");
  expect_refused("generate " + q(clip) + " -o " + q(clip) + " --force" + kSmall, clip, "is an input");
}

TEST(NeverReplaced, TheInputThroughASymbolicLinkOrAHardLink) {
  mvtest::TempDir dir;
  const fs::path song = copy_in(dir, "cjk.m4a", "song.m4a");
  fs::create_symlink(song, dir / "link.mp4");
  expect_refused("generate " + q(song) + " -o " + q(dir / "link.mp4") + " --force" + kSmall, song, "is an input");
  ASSERT_EQ(::link(song.c_str(), (dir / "hard.mov").c_str()), 0);
  expect_refused("generate " + q(song) + " -o " + q(dir / "hard.mov") + " --force" + kSmall, song, "is an input");
}

TEST(NeverReplaced, AClip) {
  mvtest::TempDir dir;
  const fs::path clip = copy_in(dir, "IMG_0042.MOV", "take.mov");
  expect_refused("generate " + q(corpus("cjk.mp3")) + " --clips " + q(clip) + " -o " + q(clip) + " --force" + kSmall, clip,
                 "is an input");
}

TEST(NeverReplaced, TheMusicFile) {
  mvtest::TempDir dir;
  const fs::path music = copy_in(dir, "cjk.m4a", "bed.mp4");  // an audio-only MP4: a name an output could have
  expect_refused("soundtrack " + q(corpus("IMG_0042.MOV")) + " --music " + q(music) + " -o " + q(music) + " --force --quiet",
                 music, "is an input");
}

TEST(NeverReplaced, AFileOfTheMusicFolder) {
  mvtest::TempDir dir;
  fs::create_directory(dir / "music");
  copy_in(dir, "cjk.mp3", "music/one.mp3");
  const fs::path other = copy_in(dir, "IMG_0042.MOV", "music/old video.mp4");
  expect_refused("soundtrack " + q(corpus("IMG_0042.MOV")) + " --music " + q(dir / "music") + " -o " + q(other) +
                     " --force --quiet",
                 other, "input folder");
}

/// `mvgen generate INPUT OPTION FILE -o OUT --force` where OUT (named `out`) is a
/// symbolic link to FILE: refused, FILE unchanged.
void expect_linked_file_refused(const mvtest::TempDir& dir, const std::string& input, const std::string& option,
                                const fs::path& file, const std::string& out) {
  fs::create_symlink(file, dir / out);
  expect_refused("generate " + q(corpus(input)) + " " + option + " " + q(file) + " -o " + q(dir / out) + " --force" + kSmall,
                 file, "is an input");
}

TEST(NeverReplaced, TheImage) {
  mvtest::TempDir dir;
  const fs::path image = dir / "cover.png";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=s=320x240 -frames:v 1 " + q(image)));
  expect_linked_file_refused(dir, "cjk.mp3", "--image", image, "out.mp4");
}

TEST(NeverReplaced, TheLyrics) {
  mvtest::TempDir dir;
  const fs::path lyrics = dir / "words.lrc";
  mvtest::write_text(lyrics, "[00:01.00]Hello\n[00:03.00]World\n");
  expect_linked_file_refused(dir, "cjk.mp3", "--lyrics", lyrics, "out.m4v");
}

TEST(NeverReplaced, TheLut) {
  mvtest::TempDir dir;
  const fs::path lut = dir / "grade.cube";
  mvtest::write_text(lut, "LUT_3D_SIZE 2\n0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n");
  expect_linked_file_refused(dir, "IMG_0042.MOV", "--lut", lut, "out.mp4");
}

TEST(NeverReplaced, APromosVoiceOverAndPhoto) {
  mvtest::TempDir dir;
  const fs::path voice = copy_in(dir, "speech.wav", "voice.wav");
  const fs::path photo = dir / "photo.jpg";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=s=320x240 -frames:v 1 " + q(photo)));
  fs::create_symlink(voice, dir / "v.mp4");
  fs::create_symlink(photo, dir / "p.mp4");
  expect_refused("generate " + q(voice) + " --kind promo --clips " + q(photo) + " -o " + q(dir / "v.mp4") + " --force" + kSmall,
                 voice, "is an input");
  expect_refused("generate " + q(voice) + " --kind promo --clips " + q(photo) + " -o " + q(dir / "p.mp4") + " --force" + kSmall,
                 photo, "is an input");
}

TEST(NeverReplaced, TheExtensionNamesTheContainer) {
  mvtest::TempDir dir;
  const auto r = mvgen("generate " + q(corpus("cjk.mp3")) + " -o " + q(dir / "video.mkv") + kSmall);
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find(".mp4, .m4v or .mov (not .mkv)"), std::string::npos) << r.output;
  EXPECT_TRUE(mvtest::file_names(dir.path()).empty());
  const auto ok = mvgen("generate " + q(corpus("cjk.mp3")) + " --duration 2 -o " + q(dir / "video.M4V") + kSmall);
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_TRUE(fs::exists(dir / "video.M4V"));
}

// ---------------------------------------------------------------------------
// 2. Multi-track recordings.

TEST(Tracks, AnalyzeListsEveryTrackWithWhatItHolds) {
  const auto r = mvtest::run_stdout(shell_quote(mvtest::mvgen_path()) + " analyze " + q(corpus("obs-tracks.mkv")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json j = json::parse(r.output);
  ASSERT_EQ(j["audio_tracks"].size(), 4u) << j["audio_tracks"].dump();
  const std::vector<std::string> names = {"Track 1", "Mic", "Game", "Music"}, content = {"both", "speech", "other", "music"};
  for (std::size_t i = 0; i < 4; ++i) {
    const json& t = j["audio_tracks"][i];
    EXPECT_EQ(t["number"], i + 1);
    EXPECT_EQ(t["name"], names[i]);
    EXPECT_EQ(t["channels"], 2);
    EXPECT_NEAR(t["duration_s"].get<double>(), 20.0, 0.2);
    EXPECT_EQ(t["content"], content[i]) << t.dump();
    EXPECT_EQ(t["mix"], i == 0) << t.dump();
  }
  EXPECT_EQ(j["audio_track"], 4) << "the analysis is of the music";
}

TEST(Tracks, TheMusicVideoTakesTheMusicTrackAndNoTrackNameIsATitle) {
  mvtest::TempDir dir;
  const auto r = mvgen("generate " + q(corpus("obs-tracks.mkv")) + " -o " + q(dir / "v.mp4") + kSmall + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json result = last_json(r.output)["result"];
  EXPECT_NE(result["note"].get<std::string>().find("audio track 4"), std::string::npos) << result.dump();
  EXPECT_EQ(result["timeline"].get<std::string>().find("Track 1"), std::string::npos) << result["timeline"];
  // The video's sound follows the music track, not the microphone.
  const auto out = envelope(dir / "v.mp4");
  EXPECT_GT(correlation(out, envelope(corpus("obs-tracks.mkv"), 4)), 0.9);
  EXPECT_LT(correlation(out, envelope(corpus("obs-tracks.mkv"), 2)), 0.3);
}

TEST(Tracks, AudioTrackChoosesAnotherAndAMissingOneIsNamed) {
  mvtest::TempDir dir;
  const auto r = mvgen("generate " + q(corpus("obs-tracks.mkv")) + " --audio-track 2 --duration 8 -o " + q(dir / "v.mp4") + kSmall);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_GT(correlation(envelope(dir / "v.mp4"), envelope(corpus("obs-tracks.mkv"), 2)), 0.9);
  const auto bad = mvgen("generate " + q(corpus("obs-tracks.mkv")) + " --audio-track 7 -o " + q(dir / "w.mp4") + kSmall);
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("has 4 audio tracks: 1 \"Track 1\", 2 \"Mic\", 3 \"Game\", 4 \"Music\""), std::string::npos) << bad.output;
  EXPECT_FALSE(fs::exists(dir / "w.mp4"));
}

TEST(Tracks, TheSoundtrackDucksUnderTheMicAndReplacesTheMusicTrack) {
  mvtest::TempDir dir;
  const auto r = mvgen("soundtrack " + q(corpus("obs-tracks.mkv")) + " -o " + q(dir / "s.mp4") + " --json --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json st = last_json(r.output)["result"];
  EXPECT_EQ(st["tracks_kept"], json::array({2, 3})) << st.dump();
  EXPECT_EQ(st["tracks_replaced"], json::array({4})) << st.dump();
  // The voice alone: four phrases, about 9 s of speech in 20 s (the mix's speech measure found ~1.3 s).
  EXPECT_GT(st["speech_s"].get<double>(), 7.0) << st.dump();
  // The song that was playing is gone from the sound: it follows the new mix, not the old music.
  EXPECT_LT(correlation(envelope(dir / "s.mp4"), envelope(corpus("obs-tracks.mkv"), 4)), 0.5);
}

TEST(Tracks, TheProfilesOfSingleFiles) {
  for (const auto& [file, content] : std::vector<std::pair<std::string, mv::TrackContent>>{
           {"speech.wav", mv::TrackContent::Speech}, {"music.wav", mv::TrackContent::Music},
           {"game.wav", mv::TrackContent::Other}, {"silent.wav", mv::TrackContent::Silent}}) {
    const mv::MediaInfo info = mv::probe_media(corpus(file));
    const auto profile = mv::profile_tracks(corpus(file), info);
    ASSERT_EQ(profile.size(), 1u);
    EXPECT_EQ(profile[0].content, content) << file << ": " << profile[0].to_json().dump();
  }
}

// The live look's beats (mv::LiveAnalyzer, as the "Music Video Look" source runs it) on the
// streamer's voice alone and on the music: a voice has a "best" tempo too, but no pulse.
TEST(Tracks, TheLiveLookShowsNoBeatOnAVoiceAndBeatsOnTheMusic) {
  for (const auto& [file, beats_at_least, beats_at_most] :
       std::vector<std::tuple<std::string, std::size_t, std::size_t>>{{"speech.wav", 0, 0}, {"music.wav", 30, 1000}}) {
    const mv::Pcm pcm = mv::read_sound(corpus(file), 48000, 20 * 48000);
    mv::LiveAnalyzer live(pcm.rate, pcm.channels, {});
    mvtest::run_live(live, pcm.samples, pcm.rate, pcm.channels, 1024, [](const mv::FrameInfo&) {});  // OBS's blocks, 30 fps
    std::printf("%s: %zu live beats in %.0f s, tempo shown %.1f BPM\n", file.c_str(), live.beats().size(), pcm.seconds(),
                live.tempo_bpm());
    EXPECT_GE(live.beats().size(), beats_at_least) << file;
    EXPECT_LE(live.beats().size(), beats_at_most) << file;
  }
}

TEST(Titles, CameraAndRecorderNamesAreNeverTitles) {
  for (const char* name : {"IMG_0042", "VID_20231105_142233", "PXL_20240101_120000123", "DJI_0001", "GOPR0042", "MVI_1234",
                           "DSC01234", "DSCF0001", "img_0042~2", "IMG_0042 (1)", "Track 1", "Track 6", "20231105_142233"}) {
    EXPECT_TRUE(mv::is_machine_name(name)) << name;
    EXPECT_TRUE(mv::title_from_file_name(std::string(name) + ".mov").first.empty()) << name;
  }
  for (const char* name : {"Imagine", "Video Killed the Radio Star", "Track of my life", "1999", "DJ Set 2", "Moonlight"}) {
    EXPECT_FALSE(mv::is_machine_name(name)) << name;
  }
  mvtest::TempDir dir;
  const auto r = mvgen("generate " + q(corpus("IMG_0042.MOV")) + " -o " + q(dir / "v.mp4") + kSmall + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(last_json(r.output)["result"]["timeline"].get<std::string>().find("Title"), std::string::npos) << r.output;
}

// ---------------------------------------------------------------------------
// 3. HDR and wide gamut.

/// Colourfulness (Hasler & Süsstrunk 2003) and mean luma of packed RGB pixels.
std::pair<double, double> colourfulness_and_luma(const std::vector<unsigned char>& rgb) {
  double srg = 0, syb = 0, srg2 = 0, syb2 = 0, luma = 0;
  const double n = static_cast<double>(rgb.size() / 3);
  for (std::size_t i = 0; i + 2 < rgb.size(); i += 3) {
    const double r = rgb[i], g = rgb[i + 1], b = rgb[i + 2];
    const double rg = r - g, yb = 0.5 * (r + g) - b;
    srg += rg, syb += yb, srg2 += rg * rg, syb2 += yb * yb;
    luma += 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  const double mrg = srg / n, myb = syb / n;
  const double sd = std::sqrt(std::max(0.0, srg2 / n - mrg * mrg) + std::max(0.0, syb2 / n - myb * myb));
  return {sd + 0.3 * std::sqrt(mrg * mrg + myb * myb), luma / n};
}

/// Renders `clip` with its footage, ungraded and untitled, at 320x180.
fs::path render_footage(const mvtest::TempDir& dir, const std::string& clip, std::string* output = nullptr) {
  const fs::path out = dir / (clip + ".mp4");
  const auto r = mvgen("generate " + q(corpus(clip)) + " -o " + q(out) + " --look cinema --lut none --no-title" + kSmall);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  if (output != nullptr) *output = r.output;
  return out;
}

/// An HDR (or full-range) version of the SDR clip renders like the SDR clip: over
/// its frames the mean absolute difference of R'G'B' stays within `max_diff`
/// code values, mean luma within `max_luma` and colourfulness within `max_colour` (a ratio).
void expect_like_sdr(const std::string& clip, double max_diff, double max_luma, double max_colour) {
  mvtest::TempDir dir;
  std::string said;
  const auto sdr = mvtest::rgb_frames(render_footage(dir, "sdr.mp4"), 160, 90);
  const fs::path converted = render_footage(dir, clip, &said);
  const auto hdr = mvtest::rgb_frames(converted, 160, 90);
  ASSERT_GE(std::min(sdr.size(), hdr.size()), 100u);  // 4 s at 30 fps (an MKV may hold a frame more)
  double diff = 0.0, luma_gap = 0.0, colour_ratio = 0.0;
  for (std::size_t f = 10; f < std::min(sdr.size(), hdr.size()); f += 10) {
    double d = 0.0;
    for (std::size_t i = 0; i < sdr[f].size(); ++i) d += std::abs(sdr[f][i] - hdr[f][i]);
    diff = std::max(diff, d / static_cast<double>(sdr[f].size()));
    const auto [c_sdr, l_sdr] = colourfulness_and_luma(sdr[f]);
    const auto [c_hdr, l_hdr] = colourfulness_and_luma(hdr[f]);
    luma_gap = std::max(luma_gap, std::abs(l_sdr - l_hdr));
    colour_ratio = std::max(colour_ratio, std::abs(std::log(c_hdr / c_sdr)));
  }
  EXPECT_LE(diff, max_diff) << clip;
  EXPECT_LE(luma_gap, max_luma) << clip;
  EXPECT_LE(colour_ratio, std::log(max_colour)) << clip;
  std::cout << clip << ": mean |ΔR'G'B'| ≤ " << diff << ", |Δ luma| ≤ " << luma_gap << ", colourfulness ×"
            << std::exp(colour_ratio) << " at most\n";
  const mv::MediaInfo out = mv::probe_media(converted);
  EXPECT_TRUE(out.color_transfer.empty() || out.color_transfer == "bt709") << out.color_transfer;
  EXPECT_TRUE(out.color_primaries.empty() || out.color_primaries == "bt709") << out.color_primaries;
  if (clip != "full-range.mp4") {
    EXPECT_NE(said.find("converted to BT.709 SDR"), std::string::npos) << said;
  }
}

TEST(Hdr, AnHlgClipRendersLikeItsSdrOriginal) { expect_like_sdr("hlg.mov", 6.0, 4.0, 1.12); }

TEST(Hdr, APqClipRendersLikeItsSdrOriginal) { expect_like_sdr("pq.mkv", 6.0, 4.0, 1.12); }

TEST(Hdr, AFullRangeClipRendersLikeItsLimitedRangeOriginal) { expect_like_sdr("full-range.mp4", 3.0, 2.0, 1.05); }

TEST(Hdr, HlgReferenceWhiteLandsAtSdrWhite) {
  // 75 % HLG (BT.2408's reference white) and 38 % (about mid grey) as a 10-bit HEVC picture.
  mvtest::TempDir dir;
  const fs::path clip = dir / "white.mkv";
  ASSERT_TRUE(mvtest::ffmpeg(
      "-f lavfi -i color=c=white:s=128x64:d=0.2,format=yuv420p -vf "
      "\"setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv,"
      "zscale=t=linear:npl=203,format=gbrpf32le,zscale=p=bt2020:t=arib-std-b67:m=bt2020nc:r=tv:npl=203,format=yuv420p10le\" "
      "-c:v libx265 -x265-params log-level=error:colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc "
      "-color_primaries bt2020 -color_trc arib-std-b67 -colorspace bt2020nc " + q(clip)));
  const auto source = mv::VisualSource::open(clip, 128, 64);
  mv::Canvas canvas(128, 64);
  source->draw(canvas, 0.0, 1.0, 0);
  const int y = canvas.y()[32 * canvas.y_stride() + 64];
  EXPECT_GE(y, 228) << "SDR white is 235";
  EXPECT_LE(y, 235);
}

// ---------------------------------------------------------------------------
// 4. Every script typesets.

/// Draws `title` as a title card at 640x360 and returns libass's count of
/// glyphs it found no font for, and how many pixels the text changed.
std::pair<int, int> typeset(const std::string& title) {
  mv::Timeline timeline;
  mv::Track text;
  text.type = static_cast<int>(mv::TrackType::Text);
  mv::Segment seg;
  seg.start_ms = 0;
  seg.duration_ms = 4000;
  seg.text = title;
  text.segments.push_back(seg);
  timeline.tracks.push_back(text);
  const mv::Look look = mv::look_library().find("bars");
  const mv::Palette palette = mv::palette_by_name("neon");
  mv::AssText ass(timeline, look, palette, nullptr, 640, 360, 0);
  mv::Canvas canvas(640, 360);
  canvas.fill(mv::Rgb{0, 0, 0});
  ass.draw(canvas, 2.0);
  int changed = 0;
  for (int y = 0; y < 360; ++y) {
    for (int x = 0; x < 640; ++x) changed += canvas.y()[y * canvas.y_stride() + x] > 40 ? 1 : 0;
  }
  return {ass.missing_glyphs(), changed};
}

TEST(Scripts, ChineseAndJapaneseTitlesTypesetWithNoMissingGlyph) {
  for (const std::string title : {"音乐视频", "夜に駆ける", "ヨルシカ — 周杰伦"}) {
    EXPECT_TRUE(mv::missing_glyphs(title).empty()) << title << ": " << mv::describe_characters(mv::missing_glyphs(title));
    const auto [missing, pixels] = typeset(title);
    EXPECT_EQ(missing, 0) << title;
    EXPECT_GT(pixels, 800) << title << " drew almost nothing";
  }
  // From the song's tags, with no warning.
  mvtest::TempDir dir;
  const auto r = mvgen("generate " + q(corpus("cjk.mp3")) + " --duration 5 -o " + q(dir / "v.mp4") + kSmall + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const json result = last_json(r.output)["result"];
  EXPECT_NE(result["timeline"].get<std::string>().find("夜に駆ける"), std::string::npos) << result.dump();
  EXPECT_EQ(r.output.find("warning"), std::string::npos) << r.output;
}

TEST(Scripts, ArabicAndHindiTypesetOrAreWarnedAbout) {
  for (const std::string title : {"مرحبا بالعالم", "नमस्ते दुनिया"}) {
    const auto missing = mv::missing_glyphs(title);
    const auto [reports, pixels] = typeset(title);
    if (missing.empty()) {
      EXPECT_EQ(reports, 0) << title << ": fontconfig has every glyph, libass must find them";
      EXPECT_GT(pixels, 1000) << title;
      continue;
    }
    EXPECT_GT(reports, 0) << title << ": " << mv::describe_characters(missing) << " has no font, libass must say so too";
    mvtest::TempDir dir;
    const auto r = mvgen("generate " + q(corpus("cjk.mp3")) + " --duration 2 --title " + q(title) + " -o " + q(dir / "v.mp4") + kSmall);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("mvgen: warning: no installed font has"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(mv::describe_characters({missing.front()})), std::string::npos) << r.output;
  }
}

TEST(Scripts, ACharacterNoFontHasIsNamed) {
  // U+10FFFD (a private-use code point): no font has it.
  const std::string text = "Song \xF4\x8F\xBF\xBD";
  const auto missing = mv::missing_glyphs(text);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing.front(), 0x10FFFDu);
  EXPECT_EQ(mv::describe_characters(missing), "'\xF4\x8F\xBF\xBD' (U+10FFFD)");
}

// ---------------------------------------------------------------------------
// 5. Crashed and incomplete recordings.

TEST(Crashed, AnMp4WithoutItsIndexIsAnIncompleteRecording) {
  mvtest::TempDir dir;
  const auto r = mvgen("generate " + q(corpus("cut.mp4")) + " -o " + q(dir / "v.mp4") + kSmall);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  for (const char* words : {"incomplete recording", "moov atom", "untrunc", "Remux Recordings", "MKV"}) {
    EXPECT_NE(r.output.find(words), std::string::npos) << words << "\n" << r.output;
  }
  EXPECT_EQ(r.output.find("[mov,mp4"), std::string::npos) << "FFmpeg's own line reached the terminal:\n" << r.output;
  EXPECT_TRUE(mvtest::file_names(dir.path()).empty());
  const auto verbose = mvgen("generate " + q(corpus("cut.mp4")) + " -o " + q(dir / "v.mp4") + kSmall + " --verbose");
  EXPECT_NE(verbose.output.find("moov atom not found"), std::string::npos) << verbose.output;
}

TEST(Crashed, CutMkvTsAndFlvRenderWhatIsReadableAndSaySo) {
  for (const char* file : {"cut.mkv", "cut.ts", "cut.flv"}) {
    mvtest::TempDir dir;
    const auto r = mvgen("generate " + q(corpus(file)) + " -o " + q(dir / "v.mp4") + kSmall + " --json");
    ASSERT_EQ(r.exit_code, 0) << file << "\n" << r.output;
    const json result = last_json(r.output)["result"];
    const std::string note = result.value("note", "");
    EXPECT_NE(note.find("ends early: the recording was cut off"), std::string::npos) << file << ": " << note;
    EXPECT_NEAR(result["duration"].get<double>(), 8.3, 0.6) << file;  // 60 % of a 12 s recording, up to the cut
    EXPECT_EQ(r.output.find(" @ 0x"), std::string::npos) << "FFmpeg's own line reached the terminal:\n" << r.output;
  }
}

TEST(Crashed, AWholeRecordingIsNotCalledCut) {
  mvtest::TempDir dir;
  const auto r = mvgen("generate " + q(corpus("obs-tracks.mkv")) + " --audio-track 4 -o " + q(dir / "v.mp4") + kSmall + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(last_json(r.output)["result"].value("note", "").find("ends early"), std::string::npos) << r.output;
}

// ---------------------------------------------------------------------------
// 6. The smaller cases.

TEST(Smaller, SilenceHasNoTempoAndSaysSo) {
  for (const char* file : {"silent.wav", "near-silent.wav"}) {
    mvtest::TempDir dir;
    const auto r = mvgen("generate " + q(corpus(file)) + " -o " + q(dir / "v.mp4") + kSmall + " --json");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const json result = last_json(r.output)["result"];
    EXPECT_TRUE(result["bpm"].is_null()) << file << ": " << result.dump();
    EXPECT_NE(result.value("note", "").find("no beat found: the picture follows loudness only"), std::string::npos) << file;
    const auto plain = mvgen("generate " + q(corpus(file)) + " -o " + q(dir / "w.mp4") + " --size 320x180 --preset ultrafast");
    EXPECT_NE(plain.output.find("no beat,"), std::string::npos) << plain.output;
    EXPECT_EQ(plain.output.find("BPM"), std::string::npos) << plain.output;
    const auto analysis = mvtest::run_stdout(shell_quote(mvtest::mvgen_path()) + " analyze " + q(corpus(file)));
    const json a = json::parse(analysis.output);
    EXPECT_TRUE(a["tempo_bpm"].is_null()) << file;
    EXPECT_TRUE(a["beats"].empty()) << file;
  }
}

TEST(Smaller, TheFrameFollowsTheInputsShape) {
  for (const auto& [file, w, h] : std::vector<std::tuple<std::string, int, int>>{
           {"vertical-vfr.mp4", 720, 1280}, {"square.mp4", 720, 720}, {"IMG_0042.MOV", 1280, 720}}) {
    mvtest::TempDir dir;
    const auto r = mvgen("generate " + q(corpus(file)) + " --duration 2 --resolution 720p --preset ultrafast --quiet -o " +
                         q(dir / "v.mp4"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const auto v = mvtest::probe_video(dir / "v.mp4");
    EXPECT_EQ(v.width, w) << file;
    EXPECT_EQ(v.height, h) << file;
  }
}

TEST(Smaller, FiveOneIsDownmixedToStereo) {
  mvtest::TempDir dir;
  const auto r = mvgen("generate " + q(corpus("surround.m4a")) + " -o " + q(dir / "v.mp4") + kSmall);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const mv::MediaInfo out = mv::probe_media(dir / "v.mp4");
  EXPECT_EQ(out.channels, 2);
  // The centre and surround channels are in the mix (not dropped): about the source's loudness.
  EXPECT_GT(correlation(envelope(dir / "v.mp4"), envelope(corpus("surround.m4a"))), 0.95);
}

TEST(Smaller, AVideoWithoutSoundPointsToTheSoundtrack) {
  mvtest::TempDir dir;
  const auto r = mvgen("generate " + q(corpus("no-sound.mp4")) + " -o " + q(dir / "v.mp4") + kSmall);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("mvgen soundtrack " + corpus("no-sound.mp4").string()), std::string::npos) << r.output;
  EXPECT_TRUE(mvtest::file_names(dir.path()).empty());
}

}  // namespace
