// test-plugin-logic.cpp — the plugin's logic that needs no running OBS, the job side: the
// job list (queue, states, cancel, retry, priority, prepared jobs, persistence across a
// restart), settings round trip, output naming, and cloud jobs (a render resumed after a
// restart, the cloud panel's credits, timeline and chat edits). The dock's side (rolling
// audio buffer, input discovery, UI stall meter, previews, locale texts) is in
// test-plugin-logic-dock.cpp, in the same test executable.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fake-nemo-server.hpp"
#include "job-manager.hpp"
#include "mv/base/json-file.hpp"
#include "mv/cloud/client.hpp"
#include "mv/cloud/errors.hpp"
#include "mv/cloud/job-file.hpp"
#include "mv/media/media.hpp"
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
