// job-manager.cpp — see job-manager.hpp.
#include "job-manager.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <stdexcept>

#include "mv/cloud-client.hpp"
#include "mv/cloud-errors.hpp"
#include "mv/cloud-flow.hpp"
#include "mv/error.hpp"
#include "mv/generate.hpp"
#include "mv/json-file.hpp"
#include "mv/router.hpp"

namespace mvplugin {

namespace fs = std::filesystem;
using json = nlohmann::json;

const char* job_state_name(JobState state) {
  switch (state) {
    case JobState::Queued: return "queued";
    case JobState::Running: return "running";
    case JobState::Done: return "done";
    case JobState::Failed: return "failed";
    case JobState::Cancelled: return "cancelled";
    case JobState::Interrupted: return "interrupted";
  }
  return "failed";
}

namespace {

const char* const kInterruptedMessage = "OBS closed while this job was running; press Retry to make it again.";

JobState state_from(const std::string& s) {
  for (auto st : {JobState::Queued, JobState::Running, JobState::Done, JobState::Failed, JobState::Cancelled,
                  JobState::Interrupted}) {
    if (s == job_state_name(st)) return st;
  }
  return JobState::Failed;
}

}  // namespace

json JobRequest::to_json() const {
  // Inputs as objects: obs_data (obs-websocket's event and answer format) drops arrays of strings.
  json input = json::array();
  for (const auto& p : inputs) input.push_back({{"path", p}});
  json j = {{"input", input}, {"backend", backend}, {"kind", kind},   {"prompt", prompt},
            {"style", style}, {"aspect", aspect},   {"title", title}, {"output_dir", output_dir},
            {"threads", threads}, {"priority", priority}};
  if (!session_id.empty()) j["session_id"] = session_id;
  if (!user_id.empty()) j["user_id"] = user_id;
  if (start) j["start"] = *start;
  if (duration) j["duration"] = *duration;
  if (!resume_cloud_job.empty()) j["resume_cloud_job"] = resume_cloud_job;
  return j;
}

JobRequest JobRequest::from_json(const json& j) {
  if (!j.is_object()) throw std::invalid_argument("the request must be a JSON object");
  JobRequest r;
  if (j.contains("input")) {
    const auto& in = j["input"];
    if (in.is_string()) {
      r.inputs.push_back(in.get<std::string>());
    } else if (in.is_array()) {
      // obs-websocket passes requestData through obs_data, which keeps arrays
      // of objects only: [{"path": "..."}] works there, [".."] from other callers.
      for (const auto& p : in) {
        if (p.is_string()) {
          r.inputs.push_back(p.get<std::string>());
        } else if (p.is_object() && p.contains("path") && p["path"].is_string()) {
          r.inputs.push_back(p["path"].get<std::string>());
        } else {
          throw std::invalid_argument("\"input\" must be a path or a list of paths");
        }
      }
    } else {
      throw std::invalid_argument("\"input\" must be a path or a list of paths");
    }
  }
  auto text = [&](const char* key, std::string& out) {
    if (j.contains(key) && !j[key].is_null()) {
      if (!j[key].is_string()) throw std::invalid_argument(std::string("\"") + key + "\" must be a string");
      out = j[key].get<std::string>();
    }
  };
  text("backend", r.backend);
  text("prompt", r.prompt);
  text("style", r.style);
  text("aspect", r.aspect);
  text("title", r.title);
  text("output_dir", r.output_dir);
  text("resume_cloud_job", r.resume_cloud_job);
  text("kind", r.kind);
  text("session_id", r.session_id);
  text("user_id", r.user_id);
  text("priority", r.priority);
  auto number = [&](const char* key) -> std::optional<double> {
    if (!j.contains(key) || j[key].is_null()) return std::nullopt;
    if (!j[key].is_number()) throw std::invalid_argument(std::string("\"") + key + "\" must be a number of seconds");
    return j[key].get<double>();
  };
  r.start = number("start");
  r.duration = number("duration");
  if (j.contains("threads") && j["threads"].is_number_integer()) r.threads = j["threads"].get<int>();
  if (r.backend != "local" && r.backend != "cloud") throw std::invalid_argument("\"backend\" must be \"local\" or \"cloud\"");
  if (r.aspect != "16:9" && r.aspect != "9:16" && r.aspect != "1:1") throw std::invalid_argument("\"aspect\" must be 16:9, 9:16 or 1:1");
  if (r.kind != "music_video" && r.kind != "montage" && r.kind != "promo" && r.kind != "background_music" && r.kind != "edit") {
    throw std::invalid_argument("\"kind\" must be music_video, montage, promo, background_music or edit");
  }
  if (r.priority != "idle" && r.priority != "low" && r.priority != "normal") {
    throw std::invalid_argument("\"priority\" must be idle, low or normal");
  }
  return r;
}

json JobInfo::to_json() const {
  return {{"jobId", id},         {"state", job_state_name(state)}, {"stage", stage},
          {"progress", progress}, {"message", message},            {"output", output},
          {"error", error},
          {"errorId", error_id},  {"errorLink", error_link},       {"duration", duration_s},
          {"sessionId", session_id}, {"userId", user_id},          {"priorityApplied", priority_applied},
          {"request", request.to_json()}};
}

JobInfo JobInfo::from_json(const json& j) {
  JobInfo info;
  info.id = j.value("jobId", std::string());
  info.state = state_from(j.value("state", std::string("failed")));
  info.stage = j.value("stage", std::string());
  info.progress = j.value("progress", 0.0);
  info.message = j.value("message", std::string());
  info.output = j.value("output", std::string());
  info.error = j.value("error", std::string());
  info.error_id = j.value("errorId", std::string());
  info.error_link = j.value("errorLink", std::string());
  info.duration_s = j.value("duration", 0.0);
  info.session_id = j.value("sessionId", std::string());
  info.user_id = j.value("userId", std::string());
  info.priority_applied = j.value("priorityApplied", std::string());
  if (j.contains("request")) {
    try {
      info.request = JobRequest::from_json(j["request"]);
    } catch (const std::invalid_argument&) {
    }
  }
  return info;
}

fs::path unique_output_path(const fs::path& dir, const fs::path& input) {
  const std::string stem = input.stem().string() + " music video";
  for (int n = 1;; ++n) {
    fs::path candidate = dir / (n == 1 ? stem + ".mp4" : stem + " (" + std::to_string(n) + ").mp4");
    std::error_code ec;
    if (!fs::exists(candidate, ec)) return candidate;
  }
}

bool cloud_only_kind(const std::string& kind) { return kind == "promo" || kind == "background_music" || kind == "edit"; }

std::string cloud_instruction(const JobRequest& r) {
  if (r.kind == "edit") return r.prompt;
  std::string text;
  if (r.kind == "montage") {
    text = "Make a montage of these clips and photos, cut on the beat of the song.";
  } else if (r.kind == "promo") {
    text = "Make a promo video from these photos with the voice-over.";
  } else if (r.kind == "background_music") {
    text = "Add fitting background music to this clip.";
  } else {
    text = "Make a music video for this song.";
  }
  if (!r.style.empty()) text += " Style: " + r.style + ".";
  if (r.aspect != "16:9") text += " Aspect ratio " + r.aspect + ".";
  if (!r.title.empty()) text += " Title: \"" + r.title + "\".";
  if (!r.prompt.empty()) text += " " + r.prompt;
  return text;
}

namespace {

/// Lowers the calling thread's CPU priority as asked and says what it got.
/// "idle": SCHED_IDLE (sched(7): runs only when a core would otherwise idle),
/// else nice 19; "low": nice 10; "normal": unchanged. Threads x264 starts from
/// this one inherit it (glibc's default PTHREAD_INHERIT_SCHED; Linux nice is per thread).
std::string apply_priority(const std::string& priority) {
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  if (priority == "idle") {
    sched_param idle{};
    if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) != 0) setpriority(PRIO_PROCESS, tid, 19);
  } else if (priority == "low") {
    setpriority(PRIO_PROCESS, tid, 10);
  }
  int policy = 0;
  sched_param param{};
  pthread_getschedparam(pthread_self(), &policy, &param);
  if (policy == SCHED_IDLE) return "idle";
  errno = 0;
  return "nice " + std::to_string(getpriority(PRIO_PROCESS, tid));
}

}  // namespace

JobManager::JobManager(fs::path jobs_file, fs::path cloud_config_dir, Notify notify)
    : jobs_file_(std::move(jobs_file)), cloud_dir_(std::move(cloud_config_dir)), notify_(std::move(notify)) {
  if (auto j = mv::read_json_file(jobs_file_); j && j->is_array()) {
    for (const auto& item : *j) {
      JobInfo info = JobInfo::from_json(item);
      if (info.id.empty()) continue;
      if (info.state == JobState::Queued || info.state == JobState::Running) {
        info.state = JobState::Interrupted;
        info.error = kInterruptedMessage;
      }
      jobs_.push_back(std::move(info));
    }
  }
  worker_ = std::thread([this] { run(); });
  helper_ = std::thread([this] { run_helper(); });
  saver_ = std::thread([this] { run_saver(); });
}

JobManager::~JobManager() { shutdown(); }

void JobManager::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !worker_.joinable() && !saver_.joinable()) return;
    stopping_ = true;
    for (auto& [id, token] : cancels_) token->request();
    helper_cancel_.request();
    helper_tasks_.clear();
  }
  wake_.notify_all();
  helper_wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  if (helper_.joinable()) helper_.join();
  {
    // Jobs still waiting were not cancelled by the user: OBS is closing.
    std::lock_guard lock(mutex_);
    for (auto& j : jobs_) {
      if (j.state == JobState::Queued) {
        j.state = JobState::Interrupted;
        j.error = kInterruptedMessage;
        save_locked();
      }
    }
    // Last: the workers' final updates are written before the saver ends.
    saver_stopping_ = true;
  }
  save_wake_.notify_all();
  if (saver_.joinable()) saver_.join();
}

void JobManager::run_async(std::function<void(const mv::CancelToken&)> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    helper_tasks_.push_back(std::move(task));
  }
  helper_wake_.notify_all();
}

void JobManager::run_helper() {
  for (;;) {
    std::function<void(const mv::CancelToken&)> task;
    {
      std::unique_lock lock(mutex_);
      helper_wake_.wait(lock, [this] { return stopping_ || !helper_tasks_.empty(); });
      if (stopping_) return;
      task = std::move(helper_tasks_.front());
      helper_tasks_.pop_front();
    }
    try {
      task(helper_cancel_);
    } catch (const std::exception&) {
      // Tasks report their own errors; one failing never stops the helper.
    }
  }
}

mv::CloudSettings JobManager::cloud_settings() const {
  mv::CloudSettings settings;
  settings.config_dir = cloud_dir_;
  settings.skill_platform = "obs";
  std::lock_guard lock(mutex_);
  settings.base_url = cloud_api_url_;
  settings.token = cloud_token_;
  return settings;
}

void JobManager::cloud_info(const std::string& session_id, const std::string& user_id,
                            std::function<void(const CloudInfo&)> done) {
  run_async([this, session_id, user_id, done = std::move(done)](const mv::CancelToken& cancel) {
    CloudInfo info;
    try {
      mv::CloudClient client(cloud_settings(), &cancel);
      const auto credits = client.credits();
      info.available = credits.available;
      info.frozen = credits.frozen;
      info.total = credits.total;
      if (!session_id.empty()) {
        mv::CloudSession session{session_id, "", user_id.empty() ? "me" : user_id};
        info.timeline = client.state(session).draft.summary();
      }
      info.ok = true;
    } catch (const mv::CloudError& e) {
      info.error = e.what();
      info.error_id = mv::cloud_error_id(e.kind());
    } catch (const std::exception& e) {
      info.error = e.what();
      info.error_id = "internal";
    }
    if (!cancel.requested() && done) done(info);
  });
}

std::string JobManager::submit(JobRequest request, Prepare prepare) {
  if (request.kind == "edit") {
    if (request.session_id.empty()) throw std::invalid_argument("no cloud session to edit: generate a cloud video first");
    if (request.prompt.empty()) throw std::invalid_argument("the edit message is empty");
    request.backend = "cloud";
  } else if (request.inputs.empty() && !prepare) {
    throw std::invalid_argument("no input file given");
  }
  JobInfo info;
  info.id = mv::make_uuid_v4();
  if (request.output_dir.empty() && !request.inputs.empty()) {
    request.output_dir = fs::path(request.inputs.front()).parent_path().string();
  }
  info.request = std::move(request);
  if (prepare) info.stage = "prepare";
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw std::invalid_argument("OBS is closing");
    jobs_.push_back(info);
    if (!prepare) queue_.push_back(info.id);
    cancels_[info.id] = std::make_shared<mv::CancelToken>();
    save_locked();
  }
  wake_.notify_all();
  if (notify_) notify_(info);
  if (prepare) {
    run_async([this, id = info.id, prepare = std::move(prepare)](const mv::CancelToken&) {
      auto job = get(id);
      if (!job || job->state != JobState::Queued) return;  // cancelled meanwhile
      JobRequest prepared = job->request;
      try {
        prepare(prepared);
        if (prepared.inputs.empty()) throw std::invalid_argument("no input file given");
      } catch (const std::exception& e) {
        update(id, [&](JobInfo& j) { j.state = JobState::Failed; j.error = e.what(); j.error_id = "input_missing"; }, true);
        std::lock_guard lock(mutex_);
        cancels_.erase(id);
        return;
      }
      if (prepared.output_dir.empty()) prepared.output_dir = fs::path(prepared.inputs.front()).parent_path().string();
      bool queued = false;
      {
        std::lock_guard lock(mutex_);
        for (auto& j : jobs_) {
          if (j.id == id && j.state == JobState::Queued) {
            j.request = prepared;
            queue_.push_back(id);
            queued = true;
          }
        }
      }
      if (queued) {
        wake_.notify_all();
        update(id, [](JobInfo& j) { j.stage.clear(); }, true);
      }
    });
  }
  return info.id;
}

std::optional<JobInfo> JobManager::get(const std::string& id) const {
  std::lock_guard lock(mutex_);
  for (const auto& j : jobs_) {
    if (j.id == id) return j;
  }
  return std::nullopt;
}

std::vector<JobInfo> JobManager::list() const {
  std::lock_guard lock(mutex_);
  return jobs_;
}

bool JobManager::cancel(const std::string& id) {
  bool was_queued = false;
  {
    std::lock_guard lock(mutex_);
    auto it = cancels_.find(id);
    if (it == cancels_.end()) return false;
    it->second->request();
    for (auto q = queue_.begin(); q != queue_.end(); ++q) {
      if (*q == id) {
        queue_.erase(q);
        was_queued = true;
        break;
      }
    }
    for (const auto& j : jobs_) {
      if (j.id == id && j.state == JobState::Queued && j.stage == "prepare") was_queued = true;  // not queued yet
    }
  }
  if (was_queued) {
    update(id, [](JobInfo& j) { j.state = JobState::Cancelled; }, true);
    std::lock_guard lock(mutex_);
    cancels_.erase(id);
  }
  return true;
}

void JobManager::set_cloud(const std::string& url, const std::string& token) {
  std::lock_guard lock(mutex_);
  cloud_api_url_ = url;
  cloud_token_ = token;
}

std::vector<std::string> JobManager::resume_cloud_jobs() {
  std::vector<std::string> ids;
  const mv::CloudJobStore store(cloud_dir_ / "jobs.json");
  for (const auto& cloud_job : store.load()) {
    if (cloud_job.finished() || cloud_job.render_id.empty()) continue;
    bool already = false;
    for (const auto& j : list()) {
      already = already || (j.request.resume_cloud_job == cloud_job.id &&
                            (j.state == JobState::Queued || j.state == JobState::Running));
    }
    if (already) continue;
    JobRequest r;
    r.backend = "cloud";
    r.inputs = cloud_job.inputs.empty() ? std::vector<std::string>{cloud_job.output} : cloud_job.inputs;
    r.output_dir = fs::path(cloud_job.output).parent_path().string();
    r.resume_cloud_job = cloud_job.id;
    ids.push_back(submit(std::move(r)));
  }
  return ids;
}

std::string JobManager::retry(const std::string& id) {
  const auto job = get(id);
  if (!job || job->state == JobState::Queued || job->state == JobState::Running) return {};
  return submit(job->request);
}

void JobManager::update(const std::string& id, const std::function<void(JobInfo&)>& change, bool save) {
  JobInfo copy;
  {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(jobs_.begin(), jobs_.end(), [&](const JobInfo& j) { return j.id == id; });
    if (it == jobs_.end()) return;
    change(*it);
    copy = *it;
    if (save) save_locked();
  }
  if (notify_) notify_(copy);
}

void JobManager::save_locked() {
  // The file is written by the saver thread: no caller (the UI thread among
  // them) waits for a disk, and mutex_ is never held across a write.
  ++save_wanted_;
  save_wake_.notify_all();
}

void JobManager::run_saver() {
  std::unique_lock lock(mutex_);
  for (;;) {
    save_wake_.wait(lock, [this] { return saver_stopping_ || save_wanted_ != save_done_; });
    if (save_wanted_ == save_done_) return;  // stopping with nothing left to write
    const std::uint64_t seq = save_wanted_;
    json out = json::array();
    for (const auto& j : jobs_) out.push_back(j.to_json());
    lock.unlock();
    try {
      mv::write_json_file(jobs_file_, out, 0600);
    } catch (const mv::Error&) {
      // The job list is a convenience; a full disk must not stop a render.
    }
    lock.lock();
    save_done_ = seq;
    save_wake_.notify_all();
  }
}

void JobManager::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t want = save_wanted_;
  save_wake_.wait(lock, [&] { return save_done_ >= want; });
}

void JobManager::run() {
  // Below OBS's own threads: a render must never cost a stream its frames. Each
  // job runs on a thread of its own at the job's priority (apply_priority).
  for (;;) {
    std::string id;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      id = queue_.front();
      queue_.pop_front();
    }
    std::thread job_thread([this, id] { execute(id); });
    job_thread.join();
  }
}

void JobManager::execute(const std::string& id) {
  std::shared_ptr<mv::CancelToken> cancel;
  JobRequest req;
  {
    std::lock_guard lock(mutex_);
    cancel = cancels_[id];
    for (const auto& j : jobs_) {
      if (j.id == id) req = j.request;
    }
  }
  const std::string applied = req.backend == "local" ? apply_priority(req.priority) : std::string("normal (network)");
  update(id, [&](JobInfo& j) {
    j.state = JobState::Running;
    j.stage = "probe";
    j.priority_applied = applied;
  }, true);
  auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  auto report = [&](const std::string& stage, double fraction, const std::string& message = {}) {
    const auto now = std::chrono::steady_clock::now();
    if (message.empty() && now - last < std::chrono::milliseconds(250) && fraction < 1.0) return;
    last = now;
    update(id, [&](JobInfo& j) {
      j.stage = stage;
      j.progress = fraction;
      if (!message.empty()) j.message = message;
    }, false);
  };
  try {
    if (req.backend == "local" && cloud_only_kind(req.kind)) {
      throw mv::Error(mv::ErrorCode::Usage, "this kind of video (" + req.kind + ") is made by the cloud backend only; choose Cloud");
    }
    const fs::path naming = req.inputs.empty() ? fs::path("edit") : fs::path(req.inputs.front());
    const fs::path output = req.resume_cloud_job.empty() ? unique_output_path(req.output_dir, naming) : fs::path();
    if (req.backend == "cloud") {
      mv::CloudClient client(cloud_settings(), cancel.get());
      const mv::CloudJobStore store(cloud_dir_ / "jobs.json");
      const auto on_progress = [&](const std::string& stage, double f, const std::string& message) {
        // The backend talks as if the user had its web editor ("click Export"): say it our way.
        report(stage, f, stage == "generate" ? mv::rewrite_gui_language(message) : message);
      };
      mv::CloudJob job;
      if (!req.resume_cloud_job.empty()) {
        const auto saved = store.find(req.resume_cloud_job);
        if (!saved) throw std::runtime_error("the cloud job is no longer in the job file");
        job = mv::resume_cloud_job(client, store, *saved, on_progress);
        if (job.state != "done") throw std::runtime_error(job.error.empty() ? "the cloud job could not be finished" : job.error);
      } else if (req.kind == "edit") {
        job = mv::cloud_edit(client, store, req.session_id, req.user_id, req.prompt, output, on_progress);
      } else {
        std::vector<fs::path> inputs(req.inputs.begin(), req.inputs.end());
        job = mv::cloud_generate(client, store, {inputs, cloud_instruction(req), output, false}, on_progress);
      }
      update(id, [&](JobInfo& j) {
        j.state = JobState::Done;
        j.output = job.output;
        j.progress = 1.0;
        j.stage = "done";
        j.session_id = job.session_id;
        j.user_id = job.user_id;
      }, true);
    } else {
      mv::GenerateRequest g;
      g.input = req.inputs.front();
      g.output = output;
      for (std::size_t i = 1; i < req.inputs.size(); ++i) g.video.clips.emplace_back(req.inputs[i]);
      if (req.kind == "montage") {
        if (g.video.clips.empty()) throw mv::Error(mv::ErrorCode::Usage, "a montage needs clips or photos besides the song");
        g.video.style = "montage";
      }
      if (req.aspect == "9:16") {
        g.video.width = 1080, g.video.height = 1920;
      } else if (req.aspect == "1:1") {
        g.video.width = 1080, g.video.height = 1080;
      }
      if (!req.style.empty() && req.kind != "montage") g.video.style = req.style;
      g.video.prompt = req.prompt;
      g.video.title = req.title;
      g.video.threads = std::max(1, req.threads);
      g.analysis.start_s = req.start.value_or(0.0);
      g.analysis.duration_s = req.duration;
      const auto result = mv::generate(
          g, [&](mv::Stage s, double f) { report(mv::stage_name(s), f); }, cancel.get());
      update(id, [&](JobInfo& j) {
        j.state = JobState::Done;
        j.output = result.output.string();
        j.duration_s = result.duration_s;
        j.progress = 1.0;
        j.stage = "done";
      }, true);
    }
  } catch (const mv::CloudError& e) {
    const bool cancelled = e.kind() == mv::CloudErrorKind::Cancelled;
    const std::string message = e.what();
    const auto http = message.find("http");
    update(id, [&](JobInfo& j) {
      j.state = cancelled ? JobState::Cancelled : JobState::Failed;
      j.error = cancelled ? "" : message;
      j.error_id = cancelled ? "" : mv::cloud_error_id(e.kind());
      if (e.kind() == mv::CloudErrorKind::NoCredits && http != std::string::npos) {
        j.error_link = message.substr(http, message.find_first_of(" )", http) - http);
      }
    }, true);
  } catch (const mv::Error& e) {
    const bool cancelled = e.code() == mv::ErrorCode::Cancelled;
    update(id, [&](JobInfo& j) {
      j.state = cancelled ? JobState::Cancelled : JobState::Failed;
      j.error = cancelled ? "" : e.what();
      j.error_id = cancelled ? "" : mv::error_code_id(e.code());
    }, true);
  } catch (const std::exception& e) {
    update(id, [&](JobInfo& j) { j.state = JobState::Failed; j.error = e.what(); }, true);
  }
  std::lock_guard lock(mutex_);
  cancels_.erase(id);
  if (stopping_) {
    // Cancelled because OBS is closing, not by the user: shown as interrupted, with Retry.
    for (auto& j : jobs_) {
      if (j.id == id && j.state == JobState::Cancelled) {
        j.state = JobState::Interrupted;
        j.error = kInterruptedMessage;
        save_locked();
      }
    }
  }
}

}  // namespace mvplugin
