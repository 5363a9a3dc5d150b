// test-plugin-logic.cpp — the plugin's logic that needs no running OBS: the
// job list (queue, states, cancel, retry, persistence across a restart), the
// websocket Generate request format, settings round trip, output naming.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>
#include <atomic>
#include <cmath>

#include "job-manager.hpp"
#include "mv/json-file.hpp"
#include "plugin-settings.hpp"
#include "test-support.hpp"

namespace {

namespace fs = std::filesystem;
using mvplugin::JobInfo;
using mvplugin::JobManager;
using mvplugin::JobRequest;
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

TEST(JobRequestFormat, AcceptsTheWebsocketGenerateShape) {
  const auto r = JobRequest::from_json(
      {{"input", {"/a/song.mp3", "/a/photo.jpg"}}, {"backend", "local"}, {"prompt", "neon"}, {"style", "bars"},
       {"aspect", "9:16"}, {"title", "Hi"}, {"start", 5}, {"duration", 30.5}});
  EXPECT_EQ(r.inputs, (std::vector<std::string>{"/a/song.mp3", "/a/photo.jpg"}));
  EXPECT_EQ(r.aspect, "9:16");
  EXPECT_DOUBLE_EQ(r.start.value_or(0), 5.0);
  EXPECT_DOUBLE_EQ(r.duration.value_or(0), 30.5);
  EXPECT_EQ(JobRequest::from_json({{"input", "/x.wav"}}).inputs, std::vector<std::string>{"/x.wav"});
  // Through obs-websocket (obs_data) only arrays of objects survive.
  EXPECT_EQ(JobRequest::from_json({{"input", {{{"path", "/a.wav"}}, {{"path", "/b.png"}}}}}).inputs,
            (std::vector<std::string>{"/a.wav", "/b.png"}));
  EXPECT_EQ(JobRequest::from_json(r.to_json()).inputs, r.inputs);
  EXPECT_THROW(JobRequest::from_json({{"input", 3}}), std::invalid_argument);
  EXPECT_THROW(JobRequest::from_json({{"input", "/x.wav"}, {"backend", "gpu"}}), std::invalid_argument);
  EXPECT_THROW(JobRequest::from_json({{"input", "/x.wav"}, {"aspect", "4:3"}}), std::invalid_argument);
  EXPECT_THROW(JobRequest::from_json({{"input", "/x.wav"}, {"start", "soon"}}), std::invalid_argument);
}

TEST(JobList, ALocalJobRunsToDoneWithProgressAndTheVideoExists) {
  mvtest::TempDir dir;
  Watcher w;
  JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
  JobRequest r;
  r.inputs = {song(dir).string()};
  r.output_dir = dir.path().string();
  r.aspect = "1:1";
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
  JobRequest r;
  r.inputs = {(dir / "notes.mp3").string()};
  const auto id = jobs.submit(r);
  ASSERT_TRUE(w.wait_for(id, JobState::Failed));
  EXPECT_NE(jobs.get(id)->error.find("not an audio or video file"), std::string::npos);
}

TEST(JobList, CancelStopsARunningJobAndAQueuedOne) {
  mvtest::TempDir dir;
  Watcher w;
  JobManager jobs(dir / "jobs.json", dir / "cloud", w.notify());
  JobRequest r;
  r.inputs = {song(dir, 60.0).string()};
  r.output_dir = dir.path().string();
  const auto first = jobs.submit(r);
  const auto second = jobs.submit(r);
  ASSERT_TRUE(w.wait_for(first, JobState::Running));
  EXPECT_TRUE(jobs.cancel(second));
  EXPECT_TRUE(jobs.cancel(first));
  ASSERT_TRUE(w.wait_for(first, JobState::Cancelled, std::chrono::seconds(10)));
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
    mv::write_json_file(dir / "jobs.json", nlohmann::json::array({running.to_json(), done.to_json()}), 0600);
  }
  JobManager jobs(dir / "jobs.json", dir / "cloud", {});
  const auto list = jobs.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].state, JobState::Interrupted);
  EXPECT_FALSE(list[0].error.empty());
  EXPECT_EQ(list[1].state, JobState::Done);
  EXPECT_EQ(list[1].output, "/videos/song music video.mp4");
}

TEST(JobList, ShutdownIsPromptEvenMidRender) {
  mvtest::TempDir dir;
  Watcher w;
  auto jobs = std::make_unique<JobManager>(dir / "jobs.json", dir / "cloud", w.notify());
  JobRequest r;
  r.inputs = {song(dir, 120.0).string()};
  r.output_dir = dir.path().string();
  const auto id = jobs->submit(r);
  ASSERT_TRUE(w.wait_for(id, JobState::Running));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto t0 = std::chrono::steady_clock::now();
  jobs.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
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
  s.token = "secret-token-123";
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
  EXPECT_EQ(back.token, "secret-token-123");
  // What obs-websocket's GetSettings answers never carries the token.
  EXPECT_EQ(back.to_json().dump().find("secret-token-123"), std::string::npos);
  EXPECT_TRUE(back.to_json()["has_token"].get<bool>());
  struct stat st {};
  ASSERT_EQ(stat((dir / "settings.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Missing or corrupt settings give the defaults.
  std::ofstream(dir / "bad.json") << "{not json";
  EXPECT_EQ(mvplugin::PluginSettings::load(dir / "bad.json").backend, "local");
}

TEST(OutputNaming, NeverReusesAnExistingFile) {
  mvtest::TempDir dir;
  EXPECT_EQ(mvplugin::unique_output_path(dir.path(), "/in/My Song.mp3"), dir / "My Song music video.mp4");
  std::ofstream(dir / "My Song music video.mp4") << "x";
  EXPECT_EQ(mvplugin::unique_output_path(dir.path(), "/in/My Song.mp3"), dir / "My Song music video (2).mp4");
}

}  // namespace

#include "audio-ring-buffer.hpp"
#include "mv/media.hpp"

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
#include "mv/cloud-client.hpp"
#include "mv/cloud-jobs.hpp"
#include "mv/cloud-errors.hpp"

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
                    mv::CloudErrorKind::DownloadInvalid}) {
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
  JobRequest r;
  r.inputs = {(dir / "missing.mp3").string()};
  const auto id = jobs.submit(r);
  ASSERT_TRUE(w.wait_for(id, JobState::Failed));
  EXPECT_EQ(jobs.get(id)->error_id, "input_missing");
}

}  // namespace
