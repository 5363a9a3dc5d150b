// test-nothing-lost.cpp — issue 5 point 4, "Nothing lost": mvgen killed with
// SIGKILL at random points of a local render and of a cloud job never leaves a
// partial file at the output path nor a corrupt job file, and `mvgen jobs
// resume` finishes the cloud job; the job file writer survives thousands of
// kills; a full disk (a tiny tmpfs, and the file size limit) gives a clear
// error and leaves no temporary file; inputs are opened read-only and never
// modified (they sit in a read-only folder, on a read-only mount when root).
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "fake-nemo-server.hpp"
#include "mv/cloud/job-file.hpp"
#include "mv/base/json-file.hpp"
#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using mvtest::shell_quote;

std::string q(const fs::path& p) { return shell_quote(p.string()); }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// FNV-1a 64 of a file's bytes.
std::uint64_t file_hash(const fs::path& p) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : slurp(p)) h = (h ^ c) * 1099511628211ULL;
  return h;
}

/// Bytes and modification time of an input, to prove it was not touched.
struct Fingerprint {
  std::uint64_t hash = 0;
  std::int64_t mtime_ns = 0;
  std::uintmax_t size = 0;
  bool operator==(const Fingerprint&) const = default;
};
Fingerprint fingerprint(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return {file_hash(p), static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec,
          static_cast<std::uintmax_t>(st.st_size)};
}

/// A stereo drum track at 100 BPM.
fs::path make_song(const fs::path& dir, const std::string& name, double seconds) {
  const auto mono = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 100, seconds, 44100, nullptr);
  std::vector<float> stereo;
  stereo.reserve(mono.size() * 2);
  for (float s : mono) {
    stereo.push_back(s);
    stereo.push_back(s);
  }
  mvtest::write_wav(dir / name, stereo, 44100, 2);
  return dir / name;
}

/// Files in `dir` whose name contains `needle`.
std::vector<fs::path> files_with(const fs::path& dir, const std::string& needle) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().find(needle) != std::string::npos) out.push_back(e.path());
  }
  return out;
}

/// mvgen started with fork/exec: optional environment additions, stdout on a
/// pipe (or /dev/null), stderr to a file, optional RLIMIT_FSIZE (with SIGXFSZ
/// ignored so an oversize write() fails with EFBIG instead of killing it).
struct Child {
  pid_t pid = -1;
  int out_fd = -1;
  std::string buffer;

  /// Next stdout line, waiting at most `timeout_ms`; nullopt at EOF or timeout.
  std::optional<std::string> next_line(int timeout_ms) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      if (const auto nl = buffer.find('\n'); nl != std::string::npos) {
        std::string line = buffer.substr(0, nl);
        buffer.erase(0, nl + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0 || out_fd < 0) return std::nullopt;
      pollfd p{out_fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      char chunk[4096];
      const ssize_t n = ::read(out_fd, chunk, sizeof chunk);
      if (n <= 0) {
        ::close(out_fd);
        out_fd = -1;
        return std::nullopt;
      }
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }
  std::optional<int> reaped_status;  ///< set when the caller already reaped it (waitpid WNOHANG)

  /// Waits for the process; returns the exit code, or 128 + signal.
  int wait() {
    int status = reaped_status.value_or(0);
    while (!reaped_status && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (out_fd >= 0) ::close(out_fd);
    out_fd = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  /// SIGKILL, unless already reaped (its pid may belong to another process by now).
  void kill9() const {
    if (!reaped_status) ::kill(pid, SIGKILL);
  }
};

Child spawn_mvgen(const std::vector<std::string>& args, const std::vector<std::pair<std::string, std::string>>& env,
                  const fs::path& stderr_file, bool pipe_stdout, rlim_t fsize_limit = RLIM_INFINITY) {
  int fds[2] = {-1, -1};
  if (pipe_stdout) {
    EXPECT_EQ(::pipe(fds), 0);
  }
  Child c;
  std::fflush(nullptr);  // the child must not inherit and re-print our buffered output
  c.pid = ::fork();
  if (c.pid == 0) {
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    if (pipe_stdout) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
    } else if (FILE* null = std::freopen("/dev/null", "w", stdout); null == nullptr) {
      _exit(126);
    }
    if (std::freopen(stderr_file.c_str(), "w", stderr) == nullptr) _exit(126);
    if (fsize_limit != RLIM_INFINITY) {
      ::signal(SIGXFSZ, SIG_IGN);  // stays ignored across exec
      const rlimit lim{fsize_limit, fsize_limit};
      ::setrlimit(RLIMIT_FSIZE, &lim);
    }
    std::vector<char*> argv;
    const std::string path = mvtest::mvgen_path();
    argv.push_back(const_cast<char*>(path.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(path.c_str(), argv.data());
    _exit(127);
  }
  if (pipe_stdout) {
    ::close(fds[1]);
    c.out_fd = fds[0];
  }
  return c;
}

/// The job file and its .bak (when present) are complete JSON arrays.
void expect_job_file_parses(const fs::path& jobs, const std::string& when) {
  for (fs::path p : {jobs, fs::path(jobs.string() + ".bak")}) {
    if (!fs::exists(p)) continue;
    const auto j = json::parse(slurp(p), nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << p << " is not valid JSON " << when << ":\n" << slurp(p);
    EXPECT_TRUE(j.is_array()) << p << " " << when;
  }
}

/// A seeded generator whose seed is printed, so a failing run can be replayed
/// with MV_TEST_SEED=<seed>.
std::mt19937 seeded_rng(const char* test) {
  unsigned seed = std::random_device{}();
  if (const char* env = std::getenv("MV_TEST_SEED"); env != nullptr && *env != '\0') seed = static_cast<unsigned>(std::strtoul(env, nullptr, 10));
  std::printf("[%s] seed %u (replay with MV_TEST_SEED=%u)\n", test, seed, seed);
  return std::mt19937(seed);
}

// ---- (a) local render killed at random points ------------------------------------------

TEST(NothingLost, LocalRenderKilledAtRandomPointsLeavesNoPartialOutputAndTheInputUntouched) {
  mvtest::TempDir dir;
  const auto song = make_song(dir.path(), "song.wav", 20.0);
  const Fingerprint input_before = fingerprint(song);
  const fs::path out = dir / "out.mp4";
  const std::vector<std::string> render = {"generate", song.string(), "-o", out.string(), "--size", "640x360",
                                           "--preset", "ultrafast", "--quiet"};
  auto rng = seeded_rng("local");

  // A reference run gives the finished file's size; each kill lands when the running
  // render's own temporary file has grown to a random fraction of it (or, for a fraction
  // under 3 %, at once), so the kills are spread over the whole render however fast this
  // machine is at the moment (a time-based schedule was flaky under load).
  {
    auto c = spawn_mvgen(render, {}, dir / "ref.err", false);
    ASSERT_EQ(c.wait(), 0) << slurp(dir / "ref.err");
  }
  const auto ref = mvtest::probe_video(out);
  ASSERT_NEAR(ref.video_duration_s, 20.0, 0.05);
  const auto full_bytes = static_cast<double>(fs::file_size(out));
  fs::remove(out);
  /// Bytes in the temporary files of process `pid` (`.<name>.<pid>-<n>.part`).
  const auto part_bytes = [&](pid_t pid) {
    const std::string prefix = "." + out.filename().string() + "." + std::to_string(pid) + "-";
    std::uintmax_t total = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir.path(), ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind(prefix, 0) == 0) total += e.file_size(ec);
    }
    return static_cast<double>(total);
  };

  std::optional<std::uint64_t> completed;  // hash of the last complete file at `out`
  int kills = 0, stale_parts_seen = 0, finished_before_kill = 0;
  std::uniform_real_distribution<double> when(0.0, 0.9);
  for (int round = 0; round < 8; ++round) {
    auto args = render;
    if (completed) args.push_back("--force");  // replacing a finished video: the kill must not hurt it
    const double fraction = when(rng);
    auto c = spawn_mvgen(args, {}, dir / "kill.err", false);
    const auto started = Clock::now();
    double grown = 0;
    while (fraction >= 0.03 && Clock::now() - started < std::chrono::seconds(120)) {
      int status = 0;
      if (::waitpid(c.pid, &status, WNOHANG) == c.pid) {  // finished before the point was reached
        c.reaped_status = status;
        break;
      }
      grown = part_bytes(c.pid);
      if (grown >= fraction * full_bytes) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    c.kill9();
    const int rc = c.wait();
    const double delay = std::chrono::duration<double>(Clock::now() - started).count();
    std::printf("round %d: SIGKILL at %.0f %% of the file (%.0f of %.0f bytes written, %.2f s) -> %s\n", round,
                fraction * 100, grown, full_bytes, delay, rc == 128 + SIGKILL ? "killed" : "had finished");
    if (rc == 128 + SIGKILL) {
      ++kills;
      if (completed) {
        ASSERT_TRUE(fs::exists(out)) << "a killed --force run removed the finished video";
        EXPECT_EQ(file_hash(out), *completed) << "a killed run changed the finished video";
      } else {
        EXPECT_FALSE(fs::exists(out)) << "a partial file sits at the output path after a kill in round " << round;
      }
      stale_parts_seen += static_cast<int>(files_with(dir.path(), ".part").size());
    } else {
      ASSERT_EQ(rc, 0) << slurp(dir / "kill.err");
      ++finished_before_kill;
      completed = file_hash(out);
    }
    if (fs::exists(out)) {
      EXPECT_NEAR(mvtest::probe_video(out).video_duration_s, 20.0, 0.05);
    }
    EXPECT_EQ(fingerprint(song), input_before) << "the input changed";
    // Every second round a re-run finishes: it succeeds, and sweeps the killed runs' .part files.
    if (round % 2 == 1) {
      auto again = render;
      if (fs::exists(out)) again.push_back("--force");
      auto r = spawn_mvgen(again, {}, dir / "rerun.err", false);
      ASSERT_EQ(r.wait(), 0) << slurp(dir / "rerun.err");
      const auto v = mvtest::probe_video(out);
      EXPECT_NEAR(v.video_duration_s, 20.0, 0.05);
      EXPECT_NEAR(v.audio_duration_s, 20.0, 0.05);
      EXPECT_EQ(v.video_codec, "h264");
      EXPECT_TRUE(files_with(dir.path(), ".part").empty()) << "stale temporary files were not swept";
      completed = file_hash(out);
    }
  }
  std::printf("local: %d kills, %d runs finished first, %d stale .part files seen after kills (all swept)\n", kills,
              finished_before_kill, stale_parts_seen);
  EXPECT_GE(kills, 6);
  EXPECT_EQ(fingerprint(song), input_before);
}

// ---- (b) cloud job killed at random points, then `mvgen jobs resume` ---------------------

/// A real 6 s MP4 for the fake server to hand back as the render.
fs::path make_render(const fs::path& dir) {
  const auto path = dir / "render.mp4";
  EXPECT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=f=440 -t 6 -c:v libx264 "
                             "-preset ultrafast -c:a aac -shortest " + q(path)));
  return path;
}

TEST(NothingLost, CloudJobKilledAtRandomPointsIsFinishedByJobsResume) {
  mvtest::FakeNemoServer server;
  mvtest::TempDir dir;
  const auto song = make_song(dir.path(), "song.wav", 3.0);
  const Fingerprint input_before = fingerprint(song);
  const auto render = make_render(dir.path());
  const std::string render_bytes = slurp(render);
  server.set_download_file(render);
  server.set_render_polls(1);  // mvgen polls every 10 s; the delay below opens the window instead
  auto rng = seeded_rng("cloud");
  // Each stage is made to last about 1.5 s so a kill lands inside it.
  const std::vector<std::string> stages = {"upload", "generate", "render", "download"};
  const int window_ms = 1500;
  int kills = 0, resumed = 0, range_resumes = 0;
  for (int round = 0; round < 8; ++round) {
    const std::string stage = stages[static_cast<std::size_t>(round) % stages.size()];
    server.clear_faults();
    server.set_download_throttle(0);
    server.set_default_script(mvtest::FakeNemoServer::builtin_default_script());
    if (stage == "upload") server.delay_next("^/api/upload-video/", 1, window_ms);
    if (stage == "generate") {
      server.set_default_script({mvtest::SseStep::text("Planning the cuts. ", 500), mvtest::SseStep::text("Adding titles. ", 500),
                                 mvtest::SseStep::text("Done.", 500)});
    }
    if (stage == "render") server.delay_next("^/api/render/proxy/lambda/[^/]+$", 1, window_ms);
    if (stage == "download") server.set_download_throttle(render_bytes.size() * 1000 / window_ms);
    const fs::path config = dir / ("xdg-" + std::to_string(round));
    const fs::path out = dir / ("cloud-" + std::to_string(round) + ".mp4");
    const fs::path jobs = config / "obs-music-video" / "jobs.json";
    const std::vector<std::pair<std::string, std::string>> env = {{"XDG_CONFIG_HOME", config.string()},
                                                                  {"NEMO_API_URL", server.base_url()}};
    auto c = spawn_mvgen({"generate", "--backend", "cloud", song.string(), "-o", out.string(), "--json"}, env,
                         dir / "cloud.err", true);
    // Wait for the stage to start, then kill at a random point inside it.
    bool reached = false;
    while (auto line = c.next_line(20000)) {
      const auto j = json::parse(*line, nullptr, false);
      if (!j.is_discarded() && j.value("stage", "") == stage) {
        reached = true;
        break;
      }
    }
    ASSERT_TRUE(reached) << "stage " << stage << " never started: " << slurp(dir / "cloud.err");
    const int delay = std::uniform_int_distribution<int>(0, window_ms / 2)(rng);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    c.kill9();
    const int rc = c.wait();
    std::printf("round %d: SIGKILL %d ms into %s -> %s\n", round, delay, stage.c_str(),
                rc == 128 + SIGKILL ? "killed" : "had finished");
    expect_job_file_parses(jobs, "after a kill in " + stage);
    if (rc != 128 + SIGKILL) {
      ASSERT_EQ(rc, 0) << slurp(dir / "cloud.err");
      EXPECT_EQ(slurp(out), render_bytes);
      continue;
    }
    ++kills;
    EXPECT_FALSE(fs::exists(out)) << "a partial download sits at the output path";
    const auto saved = mv::CloudJobStore(jobs).load();
    ASSERT_EQ(saved.size(), 1u) << "the job was not on disk when killed in " << stage;
    EXPECT_FALSE(saved[0].finished());
    fs::path part = out;
    part += ".part";
    const bool had_part = fs::exists(part) && fs::file_size(part) > 0;
    // Resume with the server at full speed.
    server.clear_faults();
    server.set_download_throttle(0);
    server.set_default_script(mvtest::FakeNemoServer::builtin_default_script());
    server.clear_requests();
    auto r = spawn_mvgen({"jobs", "resume", "--json"}, env, dir / "resume.err", true);
    while (r.next_line(30000)) {
    }
    ASSERT_EQ(r.wait(), 0) << slurp(dir / "resume.err");
    ++resumed;
    ASSERT_TRUE(fs::exists(out)) << "jobs resume did not finish the job killed in " << stage;
    EXPECT_EQ(slurp(out), render_bytes) << "the resumed download is not the render";
    EXPECT_FALSE(fs::exists(part));
    const auto after = mv::CloudJobStore(jobs).load();
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].state, "done");
    EXPECT_EQ(after[0].id, saved[0].id);
    expect_job_file_parses(jobs, "after resume");
    if (had_part) {
      bool ranged = false;
      for (const auto& req : server.requests("^/files/|/download$")) ranged = ranged || req.has_header("range");
      EXPECT_TRUE(ranged) << "the partial download was not continued with Range";
      range_resumes += ranged ? 1 : 0;
    }
  }
  std::printf("cloud: %d kills, %d resumed to a complete MP4, %d downloads continued with Range\n", kills, resumed,
              range_resumes);
  EXPECT_GE(kills, 6);
  EXPECT_EQ(fingerprint(song), input_before);
}

// ---- (c) the job file writer under thousands of kills ----------------------------------

TEST(NothingLost, JobFileWriterKilledThousandsOfTimesNeverLeavesACorruptFile) {
  mvtest::TempDir dir;
  const fs::path file = dir / "cfg" / "jobs.json";
  fs::path bak = file;
  bak += ".bak";
  auto rng = seeded_rng("json");
  std::uniform_int_distribution<int> delay_us(0, 6000);
  // The folder exists before the first child runs: a child killed before its
  // first write (it creates the folder) must not leave the parent listing
  // nothing (that race failed this test once on a clean clone).
  fs::create_directories(file.parent_path());
  long last_seq = -1;
  int kills = 0, killed_mid_write_chance = 0;
  // A fixed number of rounds, not a time window: on a loaded machine the rounds
  // take longer, but every one of them still kills a writer at a random moment.
  constexpr int kRounds = 1000;
  for (int round = 0; round < kRounds; ++round) {
    std::fflush(nullptr);
    // The child says when its first write is done; the random delay counts from
    // there, so a slow start (a loaded machine, a sanitizer build) never turns a
    // round into a kill before any work.
    std::array<int, 2> ready{};
    ASSERT_EQ(::pipe(ready.data()), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(ready[0]);
      // Writes the job file forever through the real store: a few jobs, the sequence number in each prompt.
      const mv::CloudJobStore store(file);
      long seq = 0;
      for (const auto& j : store.load()) seq = std::max(seq, std::strtol(j.prompt.c_str(), nullptr, 10) + 1);
      for (;; ++seq) {
        mv::CloudJob job;
        job.id = "job-" + std::to_string(seq % 4);
        job.prompt = std::to_string(seq);
        job.output = std::string(512, 'o');
        job.state = "rendering";
        store.save(job);
        if (ready[1] >= 0) {
          (void)!::write(ready[1], "w", 1);
          ::close(ready[1]);
          ready[1] = -1;
        }
      }
    }
    ::close(ready[1]);
    pollfd first_write{ready[0], POLLIN, 0};
    const bool wrote = ::poll(&first_write, 1, 120000) == 1;  // at most 2 minutes, however loaded
    ::close(ready[0]);
    if (!wrote) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      FAIL() << "the writer did not finish its first write in 2 minutes";
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself";
    ++kills;
    killed_mid_write_chance += files_with(file.parent_path(), ".tmp").empty() ? 0 : 1;
    // Both files, when present, are complete JSON; the file never goes back in time.
    long seq = -1;
    for (const auto& p : {file, bak}) {
      if (!fs::exists(p)) continue;
      const auto j = json::parse(slurp(p), nullptr, false);
      ASSERT_FALSE(j.is_discarded()) << p << " is corrupt after kill " << kills << ":\n" << slurp(p);
      ASSERT_TRUE(j.is_array());
      if (p == file) {
        for (const auto& job : j) seq = std::max(seq, std::strtol(job.value("prompt", "").c_str(), nullptr, 10));
      }
    }
    if (seq >= 0) {
      ASSERT_GE(seq, last_seq) << "the job file went back to an older version";
      last_seq = seq;
    }
    ASSERT_LE(files_with(file.parent_path(), ".tmp").size(), 1u) << "temporary files of killed writers pile up";
  }
  // A normal save afterwards sweeps the last killed writer's temporary file.
  mv::CloudJobStore(file).save(mv::CloudJob{});
  EXPECT_TRUE(files_with(file.parent_path(), ".tmp").empty());
  EXPECT_TRUE(mv::read_json_file(file).has_value());
  std::printf("json: %d kills, %d of them left a temporary file (killed mid-write), last sequence %ld\n", kills,
              killed_mid_write_chance, last_seq);
  EXPECT_EQ(kills, kRounds);
  EXPECT_GT(killed_mid_write_chance, 0) << "no kill landed inside a write";
  EXPECT_GT(last_seq, 0);
}

// ---- (d) disk full ------------------------------------------------------------------------

TEST(NothingLost, AFullDiskGivesAClearErrorAndRemovesTheTemporaryFile) {
  // A real full disk: a 512 KB tmpfs mounted in a private user + mount namespace
  // (no privileges needed where unprivileged user namespaces are allowed).
  if (mvtest::run_command("unshare -rm true").exit_code != 0) {
    GTEST_SKIP() << "unshare -rm is not allowed here; the file-size-limit test below covers the write path";
  }
  mvtest::TempDir dir;
  const auto song = make_song(dir.path(), "song.wav", 20.0);
  const Fingerprint input_before = fingerprint(song);
  fs::create_directory(dir / "small");
  const std::string script = "mount -t tmpfs -o size=512k tmpfs " + q(dir / "small") + " && " +
                             shell_quote(mvtest::mvgen_path()) + " generate " + q(song) + " -o " +
                             q(dir / "small" / "out.mp4") + " --size 640x360 --preset ultrafast --quiet; rc=$?; " +
                             "echo LISTING:$(ls -A " + q(dir / "small") + "); exit $rc";
  const auto r = mvtest::run_command("unshare -rm sh -c " + shell_quote(script));
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("disk is full"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("cannot write"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("LISTING:\n"), std::string::npos) << "something was left on the full disk: " << r.output;
  EXPECT_EQ(fingerprint(song), input_before);
  std::printf("%s", r.output.c_str());
}

TEST(NothingLost, TheFileSizeLimitGivesAClearErrorAndRemovesTheTemporaryFile) {
  mvtest::TempDir dir;
  const auto song = make_song(dir.path(), "song.wav", 20.0);
  fs::create_directory(dir / "out");
  // 300 KB: the header and the first packets fit, the rest of the video does not.
  auto c = spawn_mvgen({"generate", song.string(), "-o", (dir / "out" / "out.mp4").string(), "--size", "640x360",
                        "--preset", "ultrafast", "--quiet"},
                       {}, dir / "fsize.err", false, 300 * 1024);
  const int rc = c.wait();
  const std::string err = slurp(dir / "fsize.err");
  EXPECT_EQ(rc, 4) << err;
  EXPECT_NE(err.find("cannot write"), std::string::npos) << err;
  EXPECT_NE(err.find("too large"), std::string::npos) << err;
  EXPECT_TRUE(fs::is_empty(dir / "out")) << "a temporary or partial file was left behind";
  std::printf("%s", err.c_str());
}

// ---- (e) inputs are opened read-only ----------------------------------------------------

TEST(NothingLost, InputsInAReadOnlyFolderRenderLocallyAndUploadUnchanged) {
  mvtest::FakeNemoServer server;
  mvtest::TempDir dir;
  const fs::path ro = dir / "inputs";
  fs::create_directory(ro);
  const auto song = make_song(ro, "song.wav", 4.0);
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=blue:size=160x120 -frames:v 1 " + q(ro / "photo.png")));
  server.set_download_file(make_render(dir.path()));
  server.set_render_polls(1);
  const Fingerprint song_before = fingerprint(song), photo_before = fingerprint(ro / "photo.png");
  fs::permissions(song, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(ro / "photo.png", fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read | fs::perms::group_exec |
                          fs::perms::others_read | fs::perms::others_exec);
  // Root ignores file modes, so when root the folder is also bind-mounted read-only in a
  // private namespace: any open for writing fails there with EROFS.
  const bool wrap = ::geteuid() == 0 && mvtest::run_command("unshare -rm true").exit_code == 0;
  auto run = [&](const std::string& mvgen_args, const std::string& env) {
    const std::string cmd = env + shell_quote(mvtest::mvgen_path()) + " " + mvgen_args;
    if (!wrap) return mvtest::run_command(cmd);
    const std::string script = "mount --bind " + q(ro) + " " + q(ro) + " && mount -o remount,bind,ro " + q(ro) + " " +
                               q(ro) + " && { touch " + q(ro / "probe") + " 2>/dev/null && echo WRITABLE; true; } && " + cmd;
    return mvtest::run_command("unshare -rm sh -c " + shell_quote(script));
  };
  const auto local = run("generate " + q(song) + " -o " + q(dir / "local.mp4") +
                             " --clips " + q(ro / "photo.png") + " --size 320x180 --preset ultrafast --quiet",
                         "");
  ASSERT_EQ(local.exit_code, 0) << local.output;
  EXPECT_EQ(local.output.find("WRITABLE"), std::string::npos) << "the read-only mount was writable";
  EXPECT_NEAR(mvtest::probe_video(dir / "local.mp4").audio_duration_s, 4.0, 0.05);
  const std::string env = "XDG_CONFIG_HOME=" + q(dir / "xdg") + " NEMO_API_URL=" + shell_quote(server.base_url()) + " ";
  const auto cloud = run("generate --backend cloud " + q(song) + " " + q(ro / "photo.png") + " -o " +
                             q(dir / "cloud.mp4") + " --prompt 'neon city'",
                         env);
  ASSERT_EQ(cloud.exit_code, 0) << cloud.output;
  EXPECT_TRUE(fs::exists(dir / "cloud.mp4"));
  std::uint64_t uploaded = 0;
  for (const auto& u : server.uploads()) uploaded += u.size;
  EXPECT_EQ(uploaded, song_before.size + photo_before.size) << "the uploads are not the input files";
  EXPECT_EQ(fingerprint(song), song_before);
  EXPECT_EQ(fingerprint(ro / "photo.png"), photo_before);
  std::printf("read-only inputs: %s; local and cloud runs succeeded, inputs unchanged\n",
              wrap ? "read-only bind mount + modes 0444/0555" : "modes 0444/0555");
  fs::permissions(ro, fs::perms::owner_all);  // so TempDir can clean up
}

}  // namespace
