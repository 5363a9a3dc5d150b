// test-plugin-logic.cpp — the plugin's logic that needs no running OBS: the
// job list (queue, states, cancel, retry, persistence across a restart), the
// websocket Generate request format, settings round trip, output naming.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>
#include <atomic>
#include <cmath>
#include <future>
#include <set>
#include <sys/resource.h>

#include "job-manager.hpp"
#include "look-preview.hpp"
#include "mv/base/json-file.hpp"
#include "mv/render/look.hpp"
#include "plugin-settings.hpp"
#include "test-support.hpp"

namespace {

namespace fs = std::filesystem;
using mvplugin::JobInfo;
using mvplugin::JobManager;
using mvplugin::JobState;

/// Records notifications and waits for a job to reach a state.
struct Watcher {
  std::mutex m;
  std::condition_variable cv;
  std::vector<JobInfo> seen;
  JobManager::Notify notify() {
    return [this](const JobInfo& j) {
      std::lock_guard lock(m);
      seen.push_back(j);
      cv.notify_all();
    };
  }
  bool wait_for(const std::string& id, JobState state, std::chrono::seconds timeout = std::chrono::seconds(120)) {
    std::unique_lock lock(m);
    return cv.wait_for(lock, timeout, [&] {
      for (const auto& j : seen) {
        if (j.id == id && j.state == state) return true;
      }
      return false;
    });
  }
};

fs::path song(const mvtest::TempDir& dir, double seconds = 3.0) {
  const auto mono = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 120, seconds, 44100, nullptr);
  mvtest::write_wav(dir / "song.wav", mono, 44100, 1);
  return dir / "song.wav";
}

TEST(JobList, ALocalJobRunsToDoneWithProgressAndTheVideoExists) {
  mvtest::TempDir dir;
  Watcher w;
  JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
  mv::JobSpec r;
  r.inputs = {song(dir)};
  r.output_dir = dir.path();
  r.framing.aspect = mv::Aspect::Square;
  const auto id = jobs.submit(r);
  ASSERT_TRUE(w.wait_for(id, JobState::Done));
  const auto job = jobs.get(id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->output, (dir / "song music video.mp4").string());
  EXPECT_TRUE(fs::exists(job->output));
  EXPECT_NEAR(job->duration_s, 3.0, 0.05);
  bool saw_running = false;
  double last_progress = -1.0;
  bool monotonic = true;
  for (const auto& s : w.seen) {
    if (s.id != id || s.state != JobState::Running) continue;
    saw_running = true;
    monotonic = monotonic && (s.stage != "render" || s.progress >= last_progress);
    if (s.stage == "render") last_progress = s.progress;
  }
  EXPECT_TRUE(saw_running);
  EXPECT_TRUE(monotonic) << "render progress went backwards";
}

TEST(JobList, ABadInputFailsWithAPlainMessage) {
  mvtest::TempDir dir;
  Watcher w;
  JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
  std::ofstream(dir / "notes.mp3") << "not audio";
  mv::JobSpec r;
  r.inputs = {(dir / "notes.mp3")};
  const auto id = jobs.submit(r);
  ASSERT_TRUE(w.wait_for(id, JobState::Failed));
  EXPECT_NE(jobs.get(id)->error.find("not an audio or video file"), std::string::npos);
}

TEST(JobList, CancelStopsARunningJobAndAQueuedOne) {
  mvtest::TempDir dir;
  Watcher w;
  JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
  mv::JobSpec r;
  r.inputs = {song(dir, 60.0)};
  r.output_dir = dir.path();
  const auto first = jobs.submit(r);
  const auto second = jobs.submit(r);
  ASSERT_TRUE(w.wait_for(first, JobState::Running));
  EXPECT_TRUE(jobs.cancel(second));
  EXPECT_TRUE(jobs.cancel(first));
  ASSERT_TRUE(w.wait_for(first, JobState::Cancelled, std::chrono::seconds(60)));
  EXPECT_EQ(jobs.get(second)->state, JobState::Cancelled);
  for (const auto& e : fs::directory_iterator(dir.path())) EXPECT_NE(e.path().extension(), ".mp4") << e.path();
  // Retry makes a new queued job from a finished one.
  const auto again = jobs.retry(second);
  EXPECT_FALSE(again.empty());
  EXPECT_NE(again, second);
  jobs.cancel(again);
}

TEST(JobList, JobsSurviveARestartAndARunningOneIsShownAsInterrupted) {
  mvtest::TempDir dir;
  {
    // As an OBS that was killed mid-render would have left the file.
    JobInfo running;
    running.id = "job-1";
    running.state = JobState::Running;
    running.request.inputs = {"/music/song.mp3"};
    JobInfo done;
    done.id = "job-2";
    done.state = JobState::Done;
    done.output = "/videos/song music video.mp4";
    done.highlight_start_s = 26.8;  // a Short: the stretch of the song it took
    done.highlight_end_s = 55.1;
    mv::write_json_file(dir / "jobs.json", nlohmann::json::array({running.to_json(), done.to_json()}), 0600);
  }
  JobManager jobs(dir / "jobs.json", dir / "cloud", {});
  const auto list = jobs.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].state, JobState::Interrupted);
  EXPECT_FALSE(list[0].error.empty());
  EXPECT_EQ(list[1].state, JobState::Done);
  EXPECT_EQ(list[1].output, "/videos/song music video.mp4");
  EXPECT_DOUBLE_EQ(list[1].highlight_start_s, 26.8);
  EXPECT_DOUBLE_EQ(list[1].highlight_end_s, 55.1);
}

TEST(JobList, ShutdownIsPromptEvenMidRender) {
  mvtest::TempDir dir;
  Watcher w;
  auto jobs = std::make_unique<JobManager>(dir / "jobs.json", dir / "cloud", w.notify());
  mv::JobSpec r;
  r.inputs = {song(dir, 120.0)};
  r.output_dir = dir.path();
  const auto id = jobs->submit(r);
  ASSERT_TRUE(w.wait_for(id, JobState::Running));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto t0 = std::chrono::steady_clock::now();
  jobs.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));  // a frame or two here; slack for a loaded machine
  for (const auto& e : fs::directory_iterator(dir.path())) EXPECT_NE(e.path().extension(), ".mp4") << e.path();
}

TEST(Settings, RoundTripAndMode0600) {
  mvtest::TempDir dir;
  mvplugin::PluginSettings s;
  s.backend = "cloud";
  s.api_url = "http://127.0.0.1:9";
  s.output_dir = "/videos";
  s.default_style = "pulse";
  s.default_aspect = "9:16";
  s.auto_import = false;
  s.looping = true;
  s.render_threads = 2;
  s.render_priority = "low";
  s.token = "secret-token-123";
  s.music_dir = "/music";
  s.save(dir / "settings.json");
  const auto back = mvplugin::PluginSettings::load(dir / "settings.json");
  EXPECT_EQ(back.backend, "cloud");
  EXPECT_EQ(back.api_url, s.api_url);
  EXPECT_EQ(back.output_dir, "/videos");
  EXPECT_EQ(back.default_style, "pulse");
  EXPECT_EQ(back.default_aspect, "9:16");
  EXPECT_FALSE(back.auto_import);
  EXPECT_TRUE(back.looping);
  EXPECT_EQ(back.render_threads, 2);
  EXPECT_EQ(back.render_priority, "low");
  EXPECT_EQ(back.token, "secret-token-123");
  EXPECT_EQ(back.music_dir, "/music");
  // Background music takes the music folder unless the job names its music.
  mv::JobSpec bg;
  bg.kind = mv::JobKind::BackgroundMusic;
  back.apply_to(bg, false);
  EXPECT_EQ(bg.music, "/music");
  mv::JobSpec video;
  back.apply_to(video, false);
  EXPECT_TRUE(video.music.empty());
  // What obs-websocket's GetSettings answers never carries the token.
  EXPECT_EQ(back.to_json().dump().find("secret-token-123"), std::string::npos);
  EXPECT_TRUE(back.to_json()["has_token"].get<bool>());
  struct stat st {};
  ASSERT_EQ(stat((dir / "settings.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Missing or corrupt settings give the defaults.
  std::ofstream(dir / "bad.json") << "{not json";
  EXPECT_EQ(mvplugin::PluginSettings::load(dir / "bad.json").backend, "local");
  // Values out of range fall back to safe ones.
  mvplugin::PluginSettings odd;
  odd.apply_json({{"render_priority", "realtime"}, {"render_threads", 99}});
  EXPECT_EQ(odd.render_priority, "idle");
  EXPECT_EQ(odd.render_threads, 16);
}

}  // namespace

#include "audio-ring-buffer.hpp"
#include "mv/analysis/analysis.hpp"
#include "mv/media/media.hpp"

namespace {

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

}  // namespace

#include "fake-nemo-server.hpp"
#include "mv/cloud/client.hpp"
#include "mv/cloud/job-file.hpp"
#include "mv/cloud/errors.hpp"

namespace {

TEST(CloudJobs, ARenderSubmittedBeforeARestartIsPolledAndDownloadedNotSubmittedAgain) {
  mvtest::TempDir dir;
  mvtest::FakeNemoServer server;
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=f=440 -t 2 -c:v libx264 "
                             "-preset ultrafast -c:a aac -shortest " + (dir / "render.mp4").string()));
  server.set_download_file(dir / "render.mp4");
  unsetenv("NEMO_TOKEN");
  // A previous OBS run: session, render submitted, job file written, then OBS died.
  mv::CloudSettings settings;
  settings.base_url = server.base_url();
  settings.config_dir = dir / "cloud";
  mv::CloudClient client(settings);
  auto session = client.create_session();
  const auto render = client.submit_render(session, client.state(session).draft.to_json());
  mv::CloudJob job;
  job.id = "cloud-job-1";
  job.session_id = session.session_id;
  job.render_id = render.id;
  job.output = (dir / "from-the-cloud.mp4").string();
  job.state = "rendering";
  mv::CloudJobStore(dir / "cloud" / "jobs.json").save(job);
  // The new OBS run.
  Watcher w;
  JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
  jobs.set_cloud(server.base_url(), "");
  const auto ids = jobs.resume_cloud_jobs();
  ASSERT_EQ(ids.size(), 1u);
  ASSERT_TRUE(w.wait_for(ids[0], JobState::Done, std::chrono::seconds(60))) << jobs.get(ids[0])->error;
  EXPECT_EQ(jobs.get(ids[0])->output, job.output);
  EXPECT_TRUE(fs::exists(job.output));
  EXPECT_EQ(server.render_jobs().size(), 1u);  // polled, never submitted again
  EXPECT_EQ(mv::CloudJobStore(dir / "cloud" / "jobs.json").find("cloud-job-1")->state, "done");
  EXPECT_TRUE(jobs.resume_cloud_jobs().empty());  // nothing left to resume
}

}  // namespace

#include <regex>

namespace {

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

TEST(JobList, AFailedJobCarriesAnErrorIdForTranslation) {
  mvtest::TempDir dir;
  Watcher w;
  JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
  mv::JobSpec r;
  r.inputs = {(dir / "missing.mp3")};
  const auto id = jobs.submit(r);
  ASSERT_TRUE(w.wait_for(id, JobState::Failed));
  EXPECT_EQ(jobs.get(id)->error_id, "input_missing");
}

}  // namespace

#include "input-discovery.hpp"
#include "ui-stall-meter.hpp"

namespace {

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

TEST(JobList, EachJobRunsAtTheChosenPriority) {
  mvtest::TempDir dir;
  Watcher w;
  JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
  std::map<std::string, std::string> applied;
  // "normal" after "idle": each job gets a fresh thread, so a lowered priority does not stick.
  // The priority is applied (and recorded) before any work; a missing input then fails the
  // job at once, so a job at SCHED_IDLE needs no CPU time on a loaded machine.
  for (auto priority : {mv::RenderPriority::Idle, mv::RenderPriority::Low, mv::RenderPriority::Normal}) {
    mv::JobSpec r;
    r.inputs = {dir / "missing.wav"};
    r.output_dir = dir.path();
    r.priority = priority;
    const auto id = jobs.submit(r);
    ASSERT_TRUE(w.wait_for(id, JobState::Failed, std::chrono::seconds(600))) << jobs.get(id)->error;
    applied[mv::priority_id(priority)] = jobs.get(id)->priority_applied;
  }
  errno = 0;
  const int base = getpriority(PRIO_PROCESS, 0);
  EXPECT_TRUE(applied["idle"] == "idle" || applied["idle"] == "nice 19") << applied["idle"];
  EXPECT_EQ(applied["low"], "nice " + std::to_string(std::max(10, base)));
  EXPECT_EQ(applied["normal"], "nice " + std::to_string(base));
}

TEST(JobList, APromoWithoutPhotosIsRefusedWithAPlainMessage) {
  mvtest::TempDir dir;
  Watcher w;
  JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
  mv::JobSpec r;
  r.inputs = {song(dir, 2.0)};
  r.kind = mv::JobKind::Promo;
  try {
    (void)jobs.submit(r);
    ADD_FAILURE() << "a promo without photos was accepted";
  } catch (const mv::Error& e) {
    EXPECT_EQ(e.code(), mv::ErrorCode::Usage);
    EXPECT_NE(std::string(e.what()).find("photos"), std::string::npos) << e.what();
  }
}

TEST(JobList, BackgroundMusicForAClipRunsOnTheLocalBackend) {
  mvtest::TempDir dir;
  Watcher w;
  JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
  const fs::path clip = dir / "clip.mp4";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=s=160x90:r=15 -t 4 -c:v libx264 -preset ultrafast " +
                             mvtest::shell_quote(clip.string())));
  mv::JobSpec r;
  r.inputs = {clip};
  r.kind = mv::JobKind::BackgroundMusic;
  r.output_dir = dir.path();
  const auto id = jobs.submit(r);
  ASSERT_TRUE(w.wait_for(id, JobState::Done)) << jobs.get(id)->error;
  EXPECT_EQ(fs::path(jobs.get(id)->output).filename(), "clip with music.mp4");
  EXPECT_TRUE(mv::probe_media(jobs.get(id)->output).has_audio);
}

TEST(JobList, APreparedJobIsListedAtOnceAndQueuedWhenItsInputIsWritten) {
  mvtest::TempDir dir;
  Watcher w;
  JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
  const auto input = song(dir, 2.0);
  mv::JobSpec r;
  r.output_dir = dir.path();
  std::promise<void> checked;
  auto listed = checked.get_future().share();
  const auto id = jobs.submit(r, [&, listed](mv::JobSpec& prepared, const mv::CancelToken&) {
    listed.wait();  // the test has seen the job listed as "prepare"
    fs::copy_file(input, dir / "buffer.wav");
    prepared.inputs = {dir / "buffer.wav"};
  });
  EXPECT_EQ(jobs.get(id)->stage, "prepare");  // listed before the input exists
  checked.set_value();
  ASSERT_TRUE(w.wait_for(id, JobState::Done)) << jobs.get(id)->error;
  EXPECT_EQ(jobs.get(id)->request.inputs.front(), dir / "buffer.wav");
  const auto failing = jobs.submit(r, [](mv::JobSpec&, const mv::CancelToken&) { throw std::invalid_argument("nothing is buffered yet"); });
  ASSERT_TRUE(w.wait_for(failing, JobState::Failed));
  EXPECT_EQ(jobs.get(failing)->error, "nothing is buffered yet");
}

TEST(CloudPanel, CreditsTimelineAndAChatEditRenderANewVersionInTheSameSession) {
  mvtest::TempDir dir;
  mvtest::FakeNemoServer server;
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=f=440 -t 2 -c:v libx264 "
                             "-preset ultrafast -c:a aac -shortest " + (dir / "render.mp4").string()));
  server.set_download_file(dir / "render.mp4");
  server.set_render_polls(1);
  server.set_credits(42, 3);
  unsetenv("NEMO_TOKEN");
  Watcher w;
  JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
  jobs.set_cloud(server.base_url(), "");
  mv::JobSpec r;
  r.backend = mv::Backend::Cloud;
  r.inputs = {song(dir, 2.0)};
  r.output_dir = dir.path();
  const auto first = jobs.submit(r);
  ASSERT_TRUE(w.wait_for(first, JobState::Done, std::chrono::seconds(60))) << jobs.get(first)->error;
  const auto done = *jobs.get(first);
  ASSERT_FALSE(done.session_id.empty());
  // Credits and the session's timeline, from the helper thread.
  std::promise<mvplugin::CloudInfo> got;
  jobs.cloud_info(done.session_id, done.user_id, [&](const mvplugin::CloudInfo& info) { got.set_value(info); });
  auto future = got.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  const auto info = future.get();
  ASSERT_TRUE(info.ok) << info.error;
  EXPECT_EQ(info.available, 42);
  EXPECT_EQ(info.frozen, 3);
  EXPECT_NE(info.timeline.find("Urban Dreams"), std::string::npos) << info.timeline;
  // A chat edit in the same session makes a new version, never a new session.
  const auto sessions_before = server.session_ids().size();
  mv::JobSpec edit;
  edit.kind = mv::JobKind::Edit;
  edit.session_id = done.session_id;
  edit.user_id = done.user_id;
  edit.prompt = "make the title red";
  edit.output_dir = dir.path();
  const auto second = jobs.submit(edit);
  ASSERT_TRUE(w.wait_for(second, JobState::Done, std::chrono::seconds(60))) << jobs.get(second)->error;
  const auto edited = *jobs.get(second);
  EXPECT_EQ(edited.session_id, done.session_id);
  EXPECT_NE(edited.output, done.output);
  EXPECT_TRUE(fs::exists(edited.output));
  EXPECT_EQ(server.session_ids().size(), sessions_before);
  const auto said = server.chat_messages();
  ASSERT_FALSE(said.empty());
  EXPECT_EQ(said.back(), "make the title red");
  EXPECT_EQ(said.front(), "Make a music video for this song.");
  EXPECT_EQ(server.render_jobs().size(), 2u);
  // An edit without a session is refused at once.
  edit.session_id.clear();
  EXPECT_THROW(jobs.submit(edit), mv::Error);
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

}  // namespace

namespace {

TEST(JobList, TheJobFileIsWrittenByTheSaverAndHoldsTheLastStateAfterShutdown) {
  mvtest::TempDir dir;
  std::string done_id, queued_id;
  {
    Watcher w;
    JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
    mv::JobSpec r;
    r.inputs = {song(dir, 2.0)};
    r.output_dir = dir.path();
    done_id = jobs.submit(r);
    ASSERT_TRUE(w.wait_for(done_id, JobState::Done)) << jobs.get(done_id)->error;
    jobs.flush();
    const auto file = mv::read_json_file(dir / "jobs.json");
    ASSERT_TRUE(file && file->is_array() && file->size() == 1);
    EXPECT_EQ((*file)[0]["state"], "done");
    r.inputs = {song(dir, 60.0)};
    jobs.submit(r);                 // runs
    queued_id = jobs.submit(r);     // waits behind it; shutdown cancels both
  }
  JobManager again(dir / "jobs.json", dir / "cloud", {});
  ASSERT_EQ(again.list().size(), 3u);
  EXPECT_EQ(again.get(done_id)->state, JobState::Done);
  EXPECT_EQ(again.get(queued_id)->state, JobState::Interrupted);  // OBS closed: Retry, not "cancelled"
  EXPECT_FALSE(again.get(queued_id)->error.empty());
}

}  // namespace

namespace {

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

}  // namespace

namespace {

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

}  // namespace

namespace {

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
