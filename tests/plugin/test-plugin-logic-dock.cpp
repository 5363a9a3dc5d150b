// test-plugin-logic-dock.cpp — the plugin's logic behind the dock that needs no running
// OBS: the rolling audio buffer, input discovery from the scene and the recording, the UI
// stall meter, the dock's previews (a look's frame, the Short's range, a recording's audio
// tracks) and the locale texts of every error id and of every key the dock and dialogs use.
// The job list and settings are in test-plugin-logic.cpp, in the same test executable.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "audio-ring-buffer.hpp"
#include "input-discovery.hpp"
#include "job-manager.hpp"
#include "look-preview.hpp"
#include "mv/analysis/analysis.hpp"
#include "mv/cloud/errors.hpp"
#include "mv/media/media.hpp"
#include "mv/render/look.hpp"
#include "test-support.hpp"
#include "ui-stall-meter.hpp"

namespace {

namespace fs = std::filesystem;
using mvplugin::JobState;

/// Pushes `seconds` of a stereo ramp (left = n / rate mod 1, right = -left) in 1024-frame packets.
void push_ramp(mvplugin::AudioRingBuffer& ring, double seconds, std::size_t& n) {
  const auto total = static_cast<std::size_t>(seconds * ring.sample_rate());
  std::vector<float> left(1024), right(1024);
  for (std::size_t done = 0; done < total; done += 1024) {
    const std::size_t frames = std::min<std::size_t>(1024, total - done);
    for (std::size_t i = 0; i < frames; ++i, ++n) {
      left[i] = static_cast<float>(std::fmod(static_cast<double>(n) / ring.sample_rate(), 1.0)) * 0.5f;
      right[i] = -left[i];
    }
    const float* planes[2] = {left.data(), right.data()};
    ASSERT_TRUE(ring.push(planes, frames));
  }
}

TEST(RollingAudioBuffer, KeepsOnlyTheChosenLengthAndWritesTheLastSeconds) {
  mvtest::TempDir dir;
  mvplugin::AudioRingBuffer ring(8000, 2, 30.0);
  EXPECT_DOUBLE_EQ(ring.capacity_seconds(), 30.0);
  std::size_t n = 0;
  push_ramp(ring, 45.0, n);  // wraps around once
  EXPECT_DOUBLE_EQ(ring.buffered_seconds(), 30.0);
  const double written = ring.write_wav(dir / "last.wav", 10.0);
  EXPECT_DOUBLE_EQ(written, 10.0);
  // The file decodes, is 10 s long, and ends with the newest samples.
  mv::AudioReader reader(dir / "last.wav", 0, 2);
  std::vector<float> pcm;
  while (reader.read(pcm)) {
  }
  ASSERT_EQ(pcm.size(), 2u * 80000u);
  const double last_expected = std::fmod(static_cast<double>(n - 1) / 8000.0, 1.0) * 0.5;
  EXPECT_NEAR(pcm[pcm.size() - 2], last_expected, 1e-3);
  EXPECT_NEAR(pcm[pcm.size() - 1], -last_expected, 1e-3);
  const double first_expected = std::fmod(static_cast<double>(n - 80000) / 8000.0, 1.0) * 0.5;
  EXPECT_NEAR(pcm[0], first_expected, 1e-3);
  // Asking for more than is buffered gives what there is; the length is clamped to 30..600 s.
  EXPECT_DOUBLE_EQ(ring.write_wav(dir / "all.wav", 100.0), 30.0);
  EXPECT_DOUBLE_EQ(mvplugin::AudioRingBuffer(8000, 1, 5.0).capacity_seconds(), 30.0);
  EXPECT_DOUBLE_EQ(mvplugin::AudioRingBuffer(8000, 1, 9999.0).capacity_seconds(), 600.0);
}

TEST(RollingAudioBuffer, PushesDuringAWriteAreStoredOrCountedAsDroppedNeverLost) {
  // The audio thread only try-locks: a packet that meets a writer is dropped and
  // counted, never waited for. Every push is accounted for, and the file written
  // meanwhile is whole.
  mvtest::TempDir dir;
  mvplugin::AudioRingBuffer ring(48000, 2, 60.0);
  std::size_t n = 0;
  push_ramp(ring, 60.0, n);
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (int i = 0; i < 5; ++i) ring.write_wav(dir / "w.wav", 60.0);
    writing = false;
  });
  std::vector<float> silence(1024, 0.0f);
  const float* planes[2] = {silence.data(), silence.data()};
  std::uint64_t stored = 0, calls = 0;
  while (writing) {
    ++calls;
    if (ring.push(planes, 1024)) ++stored;
  }
  writer.join();
  EXPECT_EQ(stored + ring.dropped_packets(), calls);
  EXPECT_NEAR(mv::probe_media(dir / "w.wav").duration_s, 60.0, 0.01);
}

TEST(RollingAudioBuffer, ItsOutlineFollowsTheLoudnessOldestFirstAndForgetsWhatFellOut) {
  mvplugin::AudioRingBuffer ring(8000, 1, 30.0);
  EXPECT_TRUE(ring.peaks(10).empty()) << "nothing buffered";
  // 10 s at half scale, then 10 s silent, then 10 s at full scale.
  const auto push_level = [&ring](float level, double seconds) {
    std::vector<float> block(800);
    for (std::size_t i = 0; i < block.size(); ++i) block[i] = (i % 2 == 0 ? level : -level);
    const float* planes[] = {block.data()};
    for (int k = 0; k < static_cast<int>(seconds * 10); ++k) ASSERT_TRUE(ring.push(planes, block.size()));
  };
  push_level(0.5F, 10.0);
  const auto early = ring.peaks(50);
  ASSERT_EQ(early.size(), 50u);  // 100 tenths into 50 bins
  for (const float p : early) EXPECT_NEAR(p, 0.5F, 0.01F);
  push_level(0.0F, 10.0);
  push_level(1.0F, 10.0);
  const auto full = ring.peaks(3);
  ASSERT_EQ(full.size(), 3u);
  EXPECT_NEAR(full[0], 0.5F, 0.01F);
  EXPECT_NEAR(full[1], 0.0F, 0.01F);
  EXPECT_NEAR(full[2], 1.0F, 0.01F);
  EXPECT_EQ(ring.peaks(1000).size(), 300u) << "never more bins than tenths buffered";
  push_level(0.25F, 10.0);  // the half-scale 10 s fall out of the 30 s ring
  const auto later = ring.peaks(3);
  EXPECT_NEAR(later[0], 0.0F, 0.01F);
  EXPECT_NEAR(later[1], 1.0F, 0.01F);
  EXPECT_NEAR(later[2], 0.25F, 0.01F);
}

TEST(Locale, EveryErrorIdHasATranslationInEnglishAndChinese) {
  // Every row of the cloud error table and every local error must read in the user's language.
  const std::vector<std::string> ids = {"usage", "input_missing", "input_invalid", "output", "media", "internal"};
  std::vector<std::string> all = ids;
  for (auto kind : {mv::CloudErrorKind::TokenInvalid, mv::CloudErrorKind::SessionNotFound, mv::CloudErrorKind::NoCredits,
                    mv::CloudErrorKind::UnsupportedFile, mv::CloudErrorKind::FileTooLarge,
                    mv::CloudErrorKind::MissingClientId, mv::CloudErrorKind::ExportNotAllowed,
                    mv::CloudErrorKind::RateLimited, mv::CloudErrorKind::ServerError, mv::CloudErrorKind::Network,
                    mv::CloudErrorKind::Timeout, mv::CloudErrorKind::StreamCut, mv::CloudErrorKind::RenderFailed,
                    mv::CloudErrorKind::BadResponse, mv::CloudErrorKind::BadRedirect,
                    mv::CloudErrorKind::DownloadInvalid, mv::CloudErrorKind::FileUnreadable,
                    mv::CloudErrorKind::DiskWrite}) {
    all.emplace_back(mv::cloud_error_id(kind));
  }
  for (const char* locale : {"en-US", "zh-CN"}) {
    std::ifstream in(fs::path(MV_SOURCE_DIR) / "data" / "locale" / (std::string(locale) + ".ini"));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(text.empty()) << locale;
    for (const auto& id : all) {
      EXPECT_TRUE(std::regex_search(text, std::regex("(^|\\n)Error\\." + id + "=\"[^\"]+\""))) << locale << ": Error." << id;
    }
  }
}

using mvplugin::InputChoice;
using mvplugin::SceneSourceInfo;

TEST(InputDiscovery, SceneMediaImageSlideshowAndVlcFilesAreOfferedNetworkStreamsAreNot) {
  const std::vector<SceneSourceInfo> scene = {
      {"ffmpeg_source", "Song", {{"local_file", "/music/song.mp3"}, {"is_local_file", true}}, true},
      {"ffmpeg_source", "Stream", {{"input", "rtmp://example/live"}, {"is_local_file", false}, {"local_file", "/old.mp4"}}, true},
      {"image_source", "Logo", {{"file", "/img/logo.png"}}, true},
      {"slideshow", "Photos", {{"files", {{{"value", "/img/a.jpg"}}, {{"value", "/img/b.jpg"}, {"hidden", true}}}}}, true},
      {"vlc_source", "Playlist", {{"playlist", {{{"value", "/music/two.flac"}}}}}, true},
      {"ffmpeg_source", "Unset", nlohmann::json::object(), true},  // no file chosen yet
      {"browser_source", "Overlay", {{"url", "https://example.com"}}, true},
      {"ffmpeg_source", "Default local", {{"local_file", "/clips/c.mp4"}}, true},  // is_local_file left at its default (true)
  };
  const auto choices = mvplugin::discover_inputs("", false, "", scene);
  std::vector<std::string> paths;
  for (const auto& c : choices) paths.push_back(c.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/music/song.mp3", "/img/logo.png", "/img/a.jpg", "/music/two.flac", "/clips/c.mp4"}));
  EXPECT_EQ(choices[0].kind, InputChoice::Kind::SceneMedia);
  EXPECT_EQ(choices[0].source, "Song");
  EXPECT_EQ(choices[1].kind, InputChoice::Kind::SceneImage);
  EXPECT_EQ(choices[2].kind, InputChoice::Kind::SceneImage);
}

TEST(InputDiscovery, RecordingFirstThenReplayThenVisibleItemsThenHiddenEachPathOnce) {
  const std::vector<SceneSourceInfo> scene = {
      {"ffmpeg_source", "Hidden clip", {{"local_file", "/clips/hidden.mp4"}}, false},
      {"ffmpeg_source", "Replay again", {{"local_file", "/rec/replay.mkv"}}, true},
      {"ffmpeg_source", "Shown clip", {{"local_file", "/clips/shown.mp4"}}, true},
  };
  const auto choices = mvplugin::discover_inputs("/rec/2026-11-21 12-00-00.mkv", false, "/rec/replay.mkv", scene);
  ASSERT_EQ(choices.size(), 4u);
  EXPECT_EQ(choices[0].kind, InputChoice::Kind::Recording);
  EXPECT_EQ(choices[0].path, "/rec/2026-11-21 12-00-00.mkv");
  EXPECT_EQ(choices[1].kind, InputChoice::Kind::Replay);
  EXPECT_EQ(choices[2].path, "/clips/shown.mp4");   // the replay, already listed, is not repeated
  EXPECT_EQ(choices[3].path, "/clips/hidden.mp4");  // hidden items after the visible ones
}

TEST(InputDiscovery, WithAutoRemuxTheRemuxedMp4IsUsedOnceItExists) {
  EXPECT_EQ(mvplugin::remuxed_recording_path("/rec/a.mkv", true), "/rec/a.mp4");
  EXPECT_EQ(mvplugin::remuxed_recording_path("/rec/a.MP4", true), "/rec/a.MP4");
  EXPECT_EQ(mvplugin::remuxed_recording_path("/rec/a.mkv", false), "/rec/a.mkv");
  const auto pending = mvplugin::discover_inputs("/rec/a.mkv", true, "", {}, [](const std::string&) { return false; });
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].path, "/rec/a.mkv");  // the remux has not finished: the recording itself
  const auto remuxed = mvplugin::discover_inputs("/rec/a.mkv", true, "", {},
                                                 [](const std::string& p) { return p == "/rec/a.mp4"; });
  ASSERT_EQ(remuxed.size(), 1u);
  EXPECT_EQ(remuxed[0].path, "/rec/a.mp4");
}

TEST(UiStall, TheMeterKeepsTheLongestRunItsPlaceAndTheRunsOverBudget) {
  mvplugin::UiStallMeter meter;
  {
    const mvplugin::UiStallScope timed(meter, "short");
  }
  {
    const mvplugin::UiStallScope timed(meter, "sleeps 60 ms");
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
  }
  meter.record("recorded", std::chrono::milliseconds(5));
  meter.record_loop_gap(std::chrono::milliseconds(12));
  const auto s = meter.snapshot();
  EXPECT_EQ(s.calls, 3u);
  EXPECT_GE(s.max_ms, 60.0);
  EXPECT_EQ(s.max_where, "sleeps 60 ms");
  EXPECT_EQ(s.over_budget, 1u);
  EXPECT_DOUBLE_EQ(s.loop_max_gap_ms, 12.0);
  EXPECT_EQ(s.to_json()["uiMaxWhere"], "sleeps 60 ms");
  meter.reset();
  EXPECT_EQ(meter.snapshot().calls, 0u);
}

TEST(Locale, EveryTextKeyTheDockAndDialogsUseExistsInEnglishAndChinese) {
  std::set<std::string> keys;
  const std::regex call(R"((?:tr_text|obs_module_text)\(\s*"([A-Za-z]+\.[A-Za-z_.]+)\"\s*\))");
  for (const char* file : {"music-video-dock.cpp", "settings-dialog.cpp", "plugin-main.cpp"}) {
    std::ifstream in(fs::path(MV_SOURCE_DIR) / "plugin" / "src" / file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(text.empty()) << file;
    for (std::sregex_iterator it(text.begin(), text.end(), call), end; it != end; ++it) keys.insert((*it)[1]);
  }
  // The texts of core's lists and ids (the dock and dialogs fill their choices from them).
  for (const auto& k : mv::job_kinds()) {
    if (k.offered) keys.insert(std::string("Kind.") + k.id);
  }
  for (auto p : {mv::RenderPriority::Idle, mv::RenderPriority::Low, mv::RenderPriority::Normal}) {
    keys.insert(std::string("Settings.Priority.") + mv::priority_id(p));
  }
  for (const auto& s : mv::style_names()) keys.insert("Style." + s);
  for (auto s : mv::all_stages()) keys.insert(std::string("Stage.") + mv::stage_name(s));  // the ids of --json and JobProgress
  for (auto st : {JobState::Queued, JobState::Running, JobState::Done, JobState::Failed, JobState::Cancelled,
                  JobState::Interrupted}) {
    keys.insert(std::string("State.") + mv::job_state_name(st));
  }
  EXPECT_GT(keys.size(), 40u);
  for (const char* locale : {"en-US", "zh-CN"}) {
    std::ifstream in(fs::path(MV_SOURCE_DIR) / "data" / "locale" / (std::string(locale) + ".ini"));
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& key : keys) {
      EXPECT_TRUE(std::regex_search(text, std::regex("(^|\\n)" + std::regex_replace(key, std::regex("\\."), "\\.") + "=\"[^\"]+\"")))
          << locale << ": " << key;
    }
  }
}

// The dock's source card: a recording of a scene whose only source is a song (OBS writes
// black frames) shows what the video will look like, not a black box; real footage shows itself.
TEST(Preview, TheSourceCardOfARecordingWithOnlyBlackFramesShowsTheLookNotBlack) {
  mvtest::TempDir dir;
  const fs::path black = dir / "recording.mkv", footage = dir / "footage.mkv";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=black:s=640x360:r=30:d=10 -f lavfi -i \"sine=frequency=110:duration=10\" "
                             "-c:v libx264 -preset ultrafast -c:a aac -shortest " + mvtest::shell_quote(black.string())));
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=s=640x360:r=30:d=10 -f lavfi -i \"sine=frequency=110:duration=10\" "
                             "-c:v libx264 -preset ultrafast -c:a aac -shortest " + mvtest::shell_quote(footage.string())));
  auto spread = [](const std::vector<std::uint8_t>& rgb) {
    const auto [lo, hi] = std::minmax_element(rgb.begin(), rgb.end());
    return rgb.empty() ? 0 : *hi - *lo;
  };
  const auto card = mvplugin::summarize_input(black, 224, nullptr);
  ASSERT_TRUE(card.error.empty()) << card.error;
  EXPECT_TRUE(card.has_video);
  EXPECT_NEAR(card.duration_s, 10.0, 0.2);
  ASSERT_FALSE(card.picture.rgb.empty()) << card.picture.error;
  EXPECT_GT(spread(card.picture.rgb), 60) << "the default look's frame, drawn from the song";
  mv::JobSpec spec;
  spec.inputs = {black};
  const auto look = mvplugin::render_look_preview(spec, 224, nullptr);
  EXPECT_EQ(card.picture.rgb, look.rgb) << "the same frame the video's preview draws";
  const auto shot = mvplugin::summarize_input(footage, 224, nullptr);
  ASSERT_TRUE(shot.error.empty()) << shot.error;
  EXPECT_EQ(shot.picture.width, 224);
  EXPECT_EQ(shot.picture.height, 126);
  EXPECT_NEAR(shot.picture.at_s, 3.0, 0.2) << "the footage's own frame, 30 % in";
  EXPECT_GT(spread(shot.picture.rgb), 60);
}

TEST(Preview, TheDocksPreviewIsAFrameOfTheChosenLookAtItsAspectAndErrorsArePlainText) {
  mvtest::TempDir dir;
  const fs::path song = dir / "song.wav";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i \"sine=frequency=110:duration=10\" -ac 2 " + mvtest::shell_quote(song.string())));
  mv::JobSpec spec;
  spec.inputs = {song};
  spec.look.name = "bars";
  spec.framing.aspect = mv::Aspect::Tall;
  spec.backend = mv::Backend::Cloud;  // the preview is drawn locally whatever the backend
  const auto picture = mvplugin::render_look_preview(spec, 384, nullptr);
  ASSERT_TRUE(picture.error.empty()) << picture.error;
  EXPECT_EQ(picture.width, 384);
  EXPECT_EQ(picture.height, 682);  // 9:16
  ASSERT_EQ(picture.rgb.size(), 384u * 682u * 3u);
  EXPECT_NEAR(picture.at_s, 4.0, 0.01) << "40 % into the song";
  // Not one flat colour: the look is drawn.
  const auto [lo, hi] = std::minmax_element(picture.rgb.begin(), picture.rgb.end());
  EXPECT_GT(*hi - *lo, 60);
  // Another look draws another frame.
  spec.look.name = "retro";
  const auto other = mvplugin::render_look_preview(spec, 384, nullptr);
  ASSERT_EQ(other.rgb.size(), picture.rgb.size());
  EXPECT_NE(other.rgb, picture.rgb);
  // Errors come back as text, never thrown.
  spec.inputs = {dir / "missing.wav"};
  const auto missing = mvplugin::render_look_preview(spec, 384, nullptr);
  EXPECT_TRUE(missing.rgb.empty());
  EXPECT_NE(missing.error.find("missing.wav"), std::string::npos) << missing.error;
  spec.inputs.clear();
  EXPECT_FALSE(mvplugin::render_look_preview(spec, 384, nullptr).error.empty());
  // Cancelled before it starts: an error, no picture.
  mv::CancelToken cancel;
  cancel.request();
  spec.inputs = {song};
  EXPECT_TRUE(mvplugin::render_look_preview(spec, 384, &cancel).rgb.empty());
}

// The look tiles of a recording that cut to an empty scene for a moment (silent, black):
// drawn where it has sound, so that each tile shows its look moving, not a dark box.
/// The mean of a picture's R'G'B' bytes (0-255; 0 for none).
double mean_rgb(const std::vector<std::uint8_t>& rgb) {
  double sum = 0.0;
  for (const std::uint8_t v : rgb) sum += v;
  return rgb.empty() ? 0.0 : sum / static_cast<double>(rgb.size());
}

TEST(Preview, ALooksTileIsDrawnWhereTheRecordingHasSound) {
  mvtest::TempDir dir;
  const fs::path recording = dir / "recording.mkv";
  const fs::path song = mvtest::sample_dir() / "chaos-god.ogg";
  ASSERT_TRUE(fs::exists(song)) << "no sample song: scripts/fetch-sample.sh fetches it (the test command runs it)";
  // 8 s of the song's chorus under black frames, silent from 2.5 to 4 s (40 % in is 3.2 s).
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=black:s=640x360:r=30:d=8 -ss 60 -t 8 -i " + mvtest::shell_quote(song.string()) +
                             " -af \"volume='if(between(t,2.5,4),0,1)':eval=frame\" -map 0:v -map 1:a "
                             "-c:v libx264 -preset ultrafast -c:a aac -shortest " + mvtest::shell_quote(recording.string())));
  mv::JobSpec spec;
  spec.inputs = {recording};
  spec.look.name = "bars";
  const std::optional<double> at = mvplugin::look_preview_moment(spec, nullptr);
  ASSERT_TRUE(at.has_value());
  // 40 % in (3.2 s) is silent: the nearest moment after 1.5 s of sound, before the gap.
  EXPECT_TRUE(*at >= 1.5 && *at <= 2.5) << *at;
  const auto tile = mvplugin::render_look_preview(spec, 192, nullptr);
  ASSERT_TRUE(tile.error.empty()) << tile.error;
  EXPECT_DOUBLE_EQ(tile.at_s, *at);
  const auto silent = mvplugin::render_look_preview(spec, 192, nullptr, 3.2);
  ASSERT_TRUE(silent.error.empty()) << silent.error;
  std::printf("bars tile: mean R'G'B' %.1f at %.2f s, %.1f at 3.2 s (silent)\n", mean_rgb(tile.rgb), *at, mean_rgb(silent.rgb));
  EXPECT_GT(mean_rgb(tile.rgb), 1.5 * mean_rgb(silent.rgb)) << "the bars drawn from sound, not from silence";
}

// OBS's recording of a cut to an empty scene can have the picture black where the sound still
// plays (the audio buffered behind the picture): the looks that draw over the footage show black.
TEST(Preview, ALooksTileIsDrawnWhereTheRecordingHasAPictureToo) {
  mvtest::TempDir dir;
  const fs::path recording = dir / "cut.mkv";
  // 8 s of a test picture, black from 2.5 to 4 s (40 % in is 3.2 s), over a tone that never stops.
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=s=320x180:r=30:d=8 -f lavfi -i sine=frequency=220:duration=8 "
                             "-vf \"drawbox=enable='between(t,2.5,4)':color=black:t=fill\" "
                             "-c:v libx264 -preset ultrafast -c:a aac -shortest " + mvtest::shell_quote(recording.string())));
  mv::JobSpec spec;
  spec.inputs = {recording};
  spec.look.name = "cinema";
  const std::optional<double> at = mvplugin::look_preview_moment(spec, nullptr);
  ASSERT_TRUE(at.has_value());
  EXPECT_NEAR(*at, 0.7 * 8.0, 0.05) << "70 % in: sound and a picture";
  const auto tile = mvplugin::render_look_preview(spec, 192, nullptr, at);
  const auto black = mvplugin::render_look_preview(spec, 192, nullptr, 3.2);
  ASSERT_TRUE(tile.error.empty() && black.error.empty()) << tile.error << black.error;
  std::printf("cinema tile: mean R'G'B' %.1f at %.2f s, %.1f at 3.2 s (black picture)\n", mean_rgb(tile.rgb), *at, mean_rgb(black.rgb));
  EXPECT_GT(mean_rgb(tile.rgb), 2.0 * mean_rgb(black.rgb)) << "the footage, not the black";
}

// A look's tile drawn from a recording OBS has not finished (no length yet) would show the
// look's first frame, and the dock keeps a tile for good: no moment, so no tile until it has one.
TEST(Preview, ARecordingWithNoLengthYetHasNoMomentForALooksTile) {
  mvtest::TempDir dir;
  const fs::path writing = dir / "writing.mkv", done = dir / "done.mkv";
  // Matroska written to a pipe has no duration and no cues, as a recording while OBS writes it.
  const std::string av = "-f lavfi -i color=black:s=320x180:r=30:d=6 -f lavfi -i sine=frequency=220:duration=6 "
                         "-c:v libx264 -preset ultrafast -c:a aac -shortest ";
  ASSERT_TRUE(mvtest::ffmpeg(av + "-f matroska pipe:1 > " + mvtest::shell_quote(writing.string())));
  ASSERT_TRUE(mvtest::ffmpeg(av + mvtest::shell_quote(done.string())));
  ASSERT_DOUBLE_EQ(mv::probe_media(writing).duration_s, 0.0) << "the fixture must have no length";
  mv::JobSpec spec;
  spec.look.name = "bars";
  spec.inputs = {writing};
  EXPECT_FALSE(mvplugin::look_preview_moment(spec, nullptr).has_value()) << "no length yet";
  spec.inputs = {dir / "missing.mkv"};
  EXPECT_FALSE(mvplugin::look_preview_moment(spec, nullptr).has_value()) << "not on disk (yet)";
  spec.inputs = {done};
  const auto at = mvplugin::look_preview_moment(spec, nullptr);
  ASSERT_TRUE(at.has_value()) << "finished";
  EXPECT_NEAR(*at, 0.4 * 6.0, 0.05) << "40 % in, where it sounds";
}

// The dock keeps a look's tile per input; a song exported again under the same name must get
// new tiles, so the tile remembers the file's identity and is drawn again when it changes.
TEST(Preview, AFileRewrittenUnderTheSameNameHasAnotherIdentity) {
  mvtest::TempDir dir;
  const fs::path song = dir / "song.wav";
  EXPECT_EQ(mvplugin::file_identity(song), "") << "missing";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=220:duration=1 " + mvtest::shell_quote(song.string())));
  const std::string first = mvplugin::file_identity(song);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(mvplugin::file_identity(song), first) << "the same file, asked again";
  // Exported again: the same length (so the same size), only its time differs.
  const auto before = fs::last_write_time(song);
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=440:duration=1 " + mvtest::shell_quote(song.string())));
  fs::last_write_time(song, before + std::chrono::seconds(2));  // coarse file clocks: a clear step
  const std::string second = mvplugin::file_identity(song);
  EXPECT_EQ(fs::file_size(song), std::stoull(first.substr(0, first.find(':')))) << "the fixture keeps the size";
  EXPECT_NE(second, first);
  // Another length, the time put back: the size tells.
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i sine=frequency=440:duration=2 " + mvtest::shell_quote(song.string())));
  fs::last_write_time(song, before);
  EXPECT_NE(mvplugin::file_identity(song), first);
}

TEST(Preview, TheShortsRangeIsTheSongsHighlightFoundBeforeRendering) {
  const fs::path song = mvtest::sample_dir() / "chaos-god.ogg";
  ASSERT_TRUE(fs::exists(song)) << "no sample song: scripts/fetch-sample.sh fetches it (the test command runs it)";
  mv::JobSpec spec;
  spec.inputs = {song};
  const auto range = mvplugin::find_short_range(spec, mv::kDefaultHighlightS, {}, nullptr);
  ASSERT_TRUE(range.error.empty()) << range.error;
  // The same stretch a Short job takes (find_highlights over the whole song).
  const auto expected = mv::find_highlights(mv::analyze_file(song, {}), mv::kDefaultHighlightS, 1);
  ASSERT_EQ(expected.size(), 1u);
  EXPECT_DOUBLE_EQ(range.start_s, expected.front().start_s);
  EXPECT_DOUBLE_EQ(range.end_s, expected.front().end_s);
  EXPECT_EQ(range.repeats, expected.front().repeats);
  EXPECT_NEAR(range.song_s, mv::probe_media(song).duration_s, 0.1);
  EXPECT_NEAR(range.end_s - range.start_s, mv::kDefaultHighlightS, 0.25 * mv::kDefaultHighlightS);
  // A newer input supersedes it: it stops with "cancelled" and no range.
  int asked = 0;
  const auto stopped = mvplugin::find_short_range(spec, mv::kDefaultHighlightS, [&] { return ++asked > 2; }, nullptr);
  EXPECT_EQ(stopped.error, "cancelled");
  EXPECT_EQ(stopped.end_s, 0.0);
  // Errors come back as text.
  spec.inputs = {"/nonexistent/song.ogg"};
  EXPECT_NE(mvplugin::find_short_range(spec, 30, {}, nullptr).error.find("song.ogg"), std::string::npos);
  spec.inputs.clear();
  EXPECT_FALSE(mvplugin::find_short_range(spec, 30, {}, nullptr).error.empty());
}

TEST(Preview, TheDockListsARecordingsTracksByTheirNamesAndWhatTheyHold) {
  const fs::path song = mvtest::sample_dir() / "chaos-god.ogg";
  ASSERT_TRUE(fs::exists(song)) << "no sample song: scripts/fetch-sample.sh fetches it (the test command runs it)";
  mvtest::TempDir dir;
  // An OBS-style recording: a picture, a voice on "Mic" and the song on "Music" (stream titles, as obs-ffmpeg-mux writes them).
  ASSERT_EQ(std::system(("espeak-ng -s 160 -w " + mvtest::shell_quote((dir / "v.wav").string()) +
                         " 'Hello chat, this is the stream. We are back after the break, thanks for waiting.'").c_str()),
            0);
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=s=320x180:d=12 -i " + mvtest::shell_quote((dir / "v.wav").string()) +
                             " -ss 60 -t 12 -i " + mvtest::shell_quote(song.string()) +
                             " -map 0:v -map 1:a -map 2:a -c:v libx264 -preset ultrafast -c:a aac -metadata:s:a:0 title=Mic"
                             " -metadata:s:a:1 title=Music " + mvtest::shell_quote((dir / "rec.mkv").string())));
  const auto tracks = mvplugin::audio_track_choices(dir / "rec.mkv", nullptr);
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_EQ(tracks[0].number, 1);
  EXPECT_EQ(tracks[0].label, "1 \u00b7 Mic (speech)");
  EXPECT_EQ(tracks[1].label, "2 \u00b7 Music (music)");
  EXPECT_FALSE(tracks[0].music);
  EXPECT_TRUE(tracks[1].music) << "a music video takes the music";
  // One track, or a file that is not there: nothing to choose.
  EXPECT_TRUE(mvplugin::audio_track_choices(song, nullptr).empty());
  EXPECT_TRUE(mvplugin::audio_track_choices(dir / "missing.mkv", nullptr).empty());
  // The Short's range is found on the music, as the job will take it.
  mv::JobSpec spec;
  spec.inputs = {dir / "rec.mkv"};
  const auto range = mvplugin::find_short_range(spec, 15.0, {}, nullptr);
  EXPECT_TRUE(range.error.empty() || range.error.find("too short") != std::string::npos) << range.error;
}

}  // namespace
