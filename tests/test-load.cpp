// test-load.cpp — issue 5 point 5, "Load": 20 jobs queued at once run with a
// bounded number in parallel and bounded memory, and all finish; cancelling
// half of them (running and queued ones) leaves the other half intact.
//
// The bound is observed, not timed: `mvgen generate --batch --json` prints every
// job state change under the queue's lock, so counting "running" lines against
// "done" lines gives the exact number of jobs running at each moment; the
// in-process test counts the same through mv::JobQueue's state callback.
// Memory: peak RSS of the mvgen child from wait4(), compared with one job's.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "mv/base/error.hpp"
#include "mv/render/generate.hpp"
#include "mv/jobs/job-queue.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kJobs = 20;
constexpr double kSeconds = 3.0;

/// `count` 3 s stereo drum tracks at different tempi: in/song-00.wav … song-19.wav.
std::vector<fs::path> make_songs(const fs::path& dir, int count) {
  fs::create_directories(dir);
  std::vector<fs::path> songs;
  for (int i = 0; i < count; ++i) {
    const auto mono = mvtest::synth_rhythm(i % 2 == 0 ? mvtest::Rhythm::Drums : mvtest::Rhythm::Click, 80.0 + 5.0 * i,
                                           kSeconds, 44100, nullptr);
    std::vector<float> stereo;
    for (float s : mono) {
      stereo.push_back(s);
      stereo.push_back(s);
    }
    char name[32];
    std::snprintf(name, sizeof name, "song-%02d.wav", i);
    mvtest::write_wav(dir / name, stereo, 44100, 2);
    songs.push_back(dir / name);
  }
  return songs;
}

/// What a finished mvgen run left: exit code, stdout, stderr, peak RSS (KiB, from wait4).
struct RunResult {
  int exit_code = -1;
  std::string out, err;
  long max_rss_kb = 0;
  double wall_s = 0.0;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs mvgen with `args` as a child and measures its peak RSS with wait4().
RunResult run_mvgen(const std::vector<std::string>& args, const fs::path& scratch) {
  const fs::path out_file = scratch / "run.out", err_file = scratch / "run.err";
  const auto t0 = Clock::now();
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (std::freopen(out_file.c_str(), "w", stdout) == nullptr || std::freopen(err_file.c_str(), "w", stderr) == nullptr) _exit(126);
    std::vector<char*> argv;
    const std::string path = mvtest::mvgen_path();
    argv.push_back(const_cast<char*>(path.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(path.c_str(), argv.data());
    _exit(127);
  }
  RunResult r;
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  r.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.max_rss_kb = usage.ru_maxrss;
  r.out = slurp(out_file);
  r.err = slurp(err_file);
  return r;
}

/// From a batch's --json lines: the most jobs that were running at once, and how many ended done.
struct BatchReport {
  int max_running = 0, done_lines = 0, results = 0;
  json summary;
};
BatchReport read_batch(const std::string& out) {
  BatchReport b;
  std::istringstream lines(out);
  std::string line;
  int running = 0;
  while (std::getline(lines, line)) {
    const auto j = json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      ADD_FAILURE() << "not JSON: " << line;
      continue;
    }
    if (j.contains("state")) {
      const std::string s = j["state"];
      if (s == "running") {
        b.max_running = std::max(b.max_running, ++running);
      } else if (s == "done" || s == "failed" || s == "cancelled") {
        --running;
        b.done_lines += s == "done" ? 1 : 0;
      }
    }
    if (j.contains("result")) ++b.results;
    if (j.value("stage", "") == "done" && j.contains("peak_running")) b.summary = j;
  }
  return b;
}

/// Every MP4 of `names` in `dir` is complete: H.264 + AAC, 3 s of video and audio.
void expect_valid_videos(const fs::path& dir, const std::vector<std::string>& names) {
  for (const auto& n : names) {
    const auto v = mvtest::probe_video(dir / n);
    EXPECT_EQ(v.video_codec, "h264") << n;
    EXPECT_EQ(v.audio_codec, "aac") << n;
    EXPECT_EQ(v.width, 320) << n;
    EXPECT_NEAR(v.audio_duration_s, kSeconds, 0.05) << n;
    EXPECT_NEAR(v.video_duration_s, kSeconds, 1.0 / 30.0 + 1e-6) << n;
  }
}

std::vector<std::string> batch_args(const std::vector<fs::path>& songs, std::size_t count, const fs::path& out, int jobs) {
  std::vector<std::string> a = {"generate", "--batch"};
  for (std::size_t i = 0; i < count; ++i) a.push_back(songs[i].string());
  for (const std::string& s : std::vector<std::string>{"-o", out.string(), "--jobs", std::to_string(jobs), "--size", "320x180", "--preset",
                              "ultrafast", "--threads", "1", "--json"}) {
    a.push_back(s);
  }
  return a;
}

TEST(Load, TwentyQueuedJobsRunTwoAtATimeInBoundedMemoryAndAllFinish) {
  mvtest::TempDir dir;
  const auto songs = make_songs(dir / "in", kJobs);
  // One job alone: the memory of one render.
  fs::create_directories(dir / "one");
  const RunResult one = run_mvgen({"generate", songs[0].string(), "-o", (dir / "one" / "x.mp4").string(), "--size", "320x180",
                             "--preset", "ultrafast", "--threads", "1", "--quiet"},
                            dir.path());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  // Four queued, two at a time: the memory of the bound.
  fs::create_directories(dir / "four");
  const RunResult four = run_mvgen(batch_args(songs, 4, dir / "four", 2), dir.path());
  ASSERT_EQ(four.exit_code, 0) << four.err;
  // Twenty queued at once, two at a time.
  fs::create_directories(dir / "twenty");
  const RunResult twenty = run_mvgen(batch_args(songs, kJobs, dir / "twenty", 2), dir.path());
  ASSERT_EQ(twenty.exit_code, 0) << twenty.err << twenty.out;
  const BatchReport report = read_batch(twenty.out);
  EXPECT_EQ(report.max_running, 2) << "the bound was not reached or was exceeded";
  EXPECT_EQ(report.summary.value("peak_running", -1), 2);
  EXPECT_EQ(report.summary.value("done", -1), kJobs);
  EXPECT_EQ(report.done_lines, kJobs);
  EXPECT_EQ(report.results, kJobs);
  std::vector<std::string> names;
  for (const auto& s : songs) names.push_back(s.stem().string() + ".mp4");
  expect_valid_videos(dir / "twenty", names);
  for (const auto& e : fs::directory_iterator(dir / "twenty")) {
    EXPECT_EQ(e.path().extension(), ".mp4") << "left over: " << e.path();
  }
  // Memory is bounded by the two running jobs, not by the twenty queued ones.
  EXPECT_LE(twenty.max_rss_kb, four.max_rss_kb + 8 * 1024) << "peak RSS grows with the length of the queue";
  EXPECT_LE(twenty.max_rss_kb, 2 * one.max_rss_kb) << "more than two jobs' worth of memory";
  // Control: the same twenty with no bound to speak of use visibly more, so the check above can fail.
  fs::create_directories(dir / "unbounded");
  const RunResult unbounded = run_mvgen(batch_args(songs, kJobs, dir / "unbounded", kJobs), dir.path());
  ASSERT_EQ(unbounded.exit_code, 0) << unbounded.err;
  const BatchReport wide = read_batch(unbounded.out);
  EXPECT_GT(wide.max_running, 2);
  EXPECT_GT(unbounded.max_rss_kb, twenty.max_rss_kb + 8 * 1024);
  std::printf("peak RSS: one job %ld MB; 4 jobs (2 at a time) %ld MB; 20 jobs (2 at a time) %ld MB, %.1f s; "
              "20 jobs with --jobs 20: %ld MB, %d at once, %.1f s\n",
              one.max_rss_kb / 1024, four.max_rss_kb / 1024, twenty.max_rss_kb / 1024, twenty.wall_s,
              unbounded.max_rss_kb / 1024, wide.max_running, unbounded.wall_s);
}

TEST(Load, CancellingHalfOfTwentyJobsLeavesTheOtherHalfIntact) {
  mv::quiet_ffmpeg_log();
  mvtest::TempDir dir;
  const auto songs = make_songs(dir / "in", kJobs);
  const fs::path out = dir / "out";
  fs::create_directories(out);
  // Ten victims: four cancelled while they render (ids 1, 4, 7, 10), six while still queued.
  const std::set<mv::JobQueue::JobId> cancel_running = {1, 4, 7, 10};
  const std::set<mv::JobQueue::JobId> cancel_queued = {12, 13, 15, 17, 18, 20};

  std::mutex m;
  std::condition_variable cv;
  int running = 0, max_running = 0;
  std::set<mv::JobQueue::JobId> ever_ran;
  std::vector<mv::JobQueue::JobId> mid_render;  // running victims that reached the middle of their render
  std::map<mv::JobQueue::JobId, mv::JobState> final_state;
  mv::JobQueue queue(2, [&](mv::JobQueue::JobId id, mv::JobState s, const std::string&) {
    std::lock_guard<std::mutex> lock(m);
    if (s == mv::JobState::Running) {
      ever_ran.insert(id);
      max_running = std::max(max_running, ++running);
    } else if (s != mv::JobState::Queued) {
      if (ever_ran.count(id) != 0) --running;
      final_state[id] = s;
    }
  });
  ASSERT_EQ(queue.max_parallel(), 2);
  std::vector<mv::JobQueue::JobId> ids;
  for (int i = 0; i < kJobs; ++i) {
    const mv::JobQueue::JobId expected_id = static_cast<mv::JobQueue::JobId>(i + 1);
    const bool victim = cancel_running.count(expected_id) != 0;
    ids.push_back(queue.submit([&, i, expected_id, victim](const mv::CancelToken& cancel) {
      mv::GenerateRequest req;
      req.input = songs[static_cast<std::size_t>(i)];
      req.output = out / (songs[static_cast<std::size_t>(i)].stem().string() + ".mp4");
      req.video.framing.size = std::make_pair(320, 180);
      req.video.preset = "ultrafast";
      req.video.threads = 1;
      bool told = false;
      mv::generate(
          req,
          [&](mv::Stage stage, double fraction) {
            if (!victim || told || stage != mv::Stage::Render || fraction < 0.3) return;
            told = true;
            {
              std::lock_guard<std::mutex> lock(m);
              mid_render.push_back(expected_id);
            }
            cv.notify_all();
            // Hold here (mid-render, .part open) until the test has cancelled this job.
            const auto until = Clock::now() + std::chrono::seconds(300);
            while (!cancel.requested() && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(2));
          },
          &cancel);
    }));
    ASSERT_EQ(ids.back(), expected_id);
  }
  // The queued victims are cancelled at once (only jobs 1 and 2 can be running now).
  for (auto id : cancel_queued) {
    EXPECT_EQ(queue.state(id), mv::JobState::Queued);
    EXPECT_TRUE(queue.cancel(id));
    EXPECT_EQ(queue.state(id), mv::JobState::Cancelled);
  }
  // Each running victim is cancelled while it renders.
  for (std::size_t k = 0; k < cancel_running.size(); ++k) {
    mv::JobQueue::JobId id = 0;
    {
      std::unique_lock<std::mutex> lock(m);
      ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return !mid_render.empty(); }));
      id = mid_render.front();
      mid_render.erase(mid_render.begin());
    }
    EXPECT_EQ(queue.state(id), mv::JobState::Running);
    EXPECT_TRUE(queue.cancel(id));
  }
  queue.wait_all();
  EXPECT_EQ(max_running, 2);
  EXPECT_EQ(queue.peak_running(), 2);
  EXPECT_FALSE(queue.cancel(1)) << "a finished job cannot be cancelled again";
  std::vector<std::string> kept;
  for (auto id : ids) {
    const fs::path mp4 = out / (songs[id - 1].stem().string() + ".mp4");
    const bool victim = cancel_running.count(id) != 0 || cancel_queued.count(id) != 0;
    EXPECT_EQ(final_state[id], victim ? mv::JobState::Cancelled : mv::JobState::Done) << "job " << id << ": " << queue.error(id);
    EXPECT_EQ(queue.state(id), final_state[id]);
    EXPECT_EQ(fs::exists(mp4), !victim) << mp4;
    if (cancel_queued.count(id) != 0) {
      EXPECT_EQ(ever_ran.count(id), 0u) << "queued job " << id << " ran after being cancelled";
    }
    if (!victim) kept.push_back(mp4.filename().string());
  }
  ASSERT_EQ(kept.size(), 10u);
  expect_valid_videos(out, kept);
  for (const auto& e : fs::directory_iterator(out)) {
    EXPECT_EQ(e.path().string().find(".part"), std::string::npos) << "left over: " << e.path();
  }
  std::printf("cancelled 4 running + 6 queued of 20 (at most %d at a time); 10 complete MP4s\n", max_running);
}

TEST(Load, BatchUsageErrors) {
  mvtest::TempDir dir;
  const auto songs = make_songs(dir / "in", 1);
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  fs::copy_file(songs[0], dir / "a" / "same.wav");
  fs::copy_file(songs[0], dir / "b" / "same.wav");
  auto r = run_mvgen({"generate", "--batch", (dir / "a" / "same.wav").string(), (dir / "b" / "same.wav").string(), "-o",
                      dir.path().string()},
                     dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("would both write"), std::string::npos) << r.err;
  r = run_mvgen({"generate", "--batch", songs[0].string(), "-o", (dir / "missing").string()}, dir.path());
  EXPECT_EQ(r.exit_code, 4) << r.err;
  r = run_mvgen({"generate", "--batch", songs[0].string(), "-o", dir.path().string(), "--jobs", "0"}, dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = run_mvgen({"generate", songs[0].string(), "-o", (dir / "x.mp4").string(), "--jobs", "2"}, dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  // One bad input in a batch fails alone; the others finish; exit code of the failure (3, bad input).
  std::ofstream(dir / "in" / "bad.wav") << "not audio";
  fs::create_directories(dir / "mixed");
  r = run_mvgen({"generate", "--batch", songs[0].string(), (dir / "in" / "bad.wav").string(), "-o",
                 (dir / "mixed").string(), "--size", "320x180", "--preset", "ultrafast", "--quiet"},
                dir.path());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_TRUE(fs::exists(dir / "mixed" / "song-00.mp4"));
  EXPECT_FALSE(fs::exists(dir / "mixed" / "bad.mp4"));
}

}  // namespace
