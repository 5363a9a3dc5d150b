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

#include "mv/base/error.hpp"
#include "mv/base/json-file.hpp"
#include "mv/base/uuid.hpp"
#include "mv/cloud/errors.hpp"
#include "mv/cloud/job-file.hpp"
#include "mv/jobs/backend.hpp"
#include "mv/media/media.hpp"

namespace mvplugin {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const char* const kInterruptedMessage = "OBS closed while this job was running; press Retry to make it again.";

}  // namespace

json JobInfo::to_json() const {
  return {{"jobId", id},         {"state", job_state_name(state)}, {"stage", stage},
          {"progress", progress}, {"message", message},            {"output", output},
          {"error", error},
          {"errorId", error_id},  {"errorLink", error_link},       {"duration", duration_s},
          {"sessionId", session_id}, {"userId", user_id},          {"priorityApplied", priority_applied},
          // An object: obs-websocket's obs_data keeps arrays of objects only.
          {"highlight", {{"start_s", highlight_start_s}, {"end_s", highlight_end_s}}}, {"request", request.to_json()}};
}

JobInfo JobInfo::from_json(const json& j) {
  JobInfo info;
  info.id = j.value("jobId", std::string());
  info.state = mv::job_state_from_name(j.value("state", std::string("failed"))).value_or(JobState::Failed);
  info.stage = j.value("stage", std::string());
  info.progress = j.value("progress", 0.0);
  info.message = j.value("message", std::string());
  info.output = j.value("output", std::string());
  info.error = j.value("error", std::string());
  info.error_id = j.value("errorId", std::string());
  info.error_link = j.value("errorLink", std::string());
  info.duration_s = j.value("duration", 0.0);
  if (j.contains("highlight") && j["highlight"].is_object()) {
    info.highlight_start_s = j["highlight"].value("start_s", 0.0);
    info.highlight_end_s = j["highlight"].value("end_s", 0.0);
  }
  info.session_id = j.value("sessionId", std::string());
  info.user_id = j.value("userId", std::string());
  info.priority_applied = j.value("priorityApplied", std::string());
  if (j.contains("request")) {
    try {
      info.request = mv::JobSpec::from_json(j["request"]);
    } catch (const mv::Error&) {
      // A request this version cannot read: the job is listed without it.
    }
  }
  return info;
}

namespace {

/// Lowers the calling thread's CPU priority as asked and says what it got.
/// Idle: SCHED_IDLE (sched(7): runs only when a core would otherwise idle),
/// else nice 19; Low: nice 10; Normal: unchanged. Threads x264 starts from
/// this one inherit it (glibc's default PTHREAD_INHERIT_SCHED; Linux nice is per thread).
std::string apply_priority(mv::RenderPriority priority) {
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  if (priority == mv::RenderPriority::Idle) {
    sched_param idle{};
    if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) != 0) setpriority(PRIO_PROCESS, tid, 19);
  } else if (priority == mv::RenderPriority::Low) {
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
  queue_ = std::make_unique<mv::JobQueue>(1, [this](mv::JobQueue::JobId qid, JobState state, const std::string&) {
    on_queue_state(qid, state);
  });
  helper_ = std::thread([this] { run_tasks(helper_tasks_, helper_wake_); });
  pictures_ = std::thread([this] { run_tasks(picture_tasks_, picture_wake_); });
  saver_ = std::thread([this] { run_saver(); });
}

JobManager::~JobManager() { shutdown(); }

void JobManager::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !saver_.joinable()) return;
    stopping_ = true;
    helper_cancel_.request();
    helper_tasks_.clear();
    picture_tasks_.clear();
  }
  helper_wake_.notify_all();
  picture_wake_.notify_all();
  {
    // Cancels every job (a queued one at once, a running one within a frame) and joins the worker.
    std::lock_guard queue_lock(queue_mutex_);
    queue_.reset();
  }
  if (helper_.joinable()) helper_.join();
  if (pictures_.joinable()) pictures_.join();
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

void JobManager::run_pictures(std::function<void(const mv::CancelToken&)> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    picture_tasks_.push_back(std::move(task));
  }
  picture_wake_.notify_all();
}

void JobManager::run_tasks(std::deque<std::function<void(const mv::CancelToken&)>>& tasks, std::condition_variable& wake) {
  for (;;) {
    std::function<void(const mv::CancelToken&)> task;
    {
      std::unique_lock lock(mutex_);
      wake.wait(lock, [&] { return stopping_ || !tasks.empty(); });
      if (stopping_) return;
      task = std::move(tasks.front());
      tasks.pop_front();
    }
    try {
      task(helper_cancel_);
    } catch (const std::exception&) {
      // Tasks report their own errors; one failing never stops the thread.
    }
  }
}

mv::CloudSettings JobManager::cloud_settings() const {
  mv::CloudSettings settings;
  settings.config_dir = cloud_dir_;
  settings.skill_platform = "obs";
  settings.verify_download = mv::require_video_file;
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

std::string JobManager::submit(mv::JobSpec spec, Prepare prepare) {
  if (spec.kind == mv::JobKind::Edit) spec.backend = mv::Backend::Cloud;
  if (!prepare) spec.validate();
  JobInfo info;
  info.id = mv::make_uuid_v4();
  info.request = std::move(spec);
  if (prepare) info.stage = mv::stage_name(mv::Stage::Prepare);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw mv::Error(mv::ErrorCode::Usage, "OBS is closing");
    jobs_.push_back(info);
    save_locked();
  }
  if (notify_) notify_(info);
  if (!prepare) enqueue(info.id);
  if (prepare) {
    run_async([this, id = info.id, prepare = std::move(prepare)](const mv::CancelToken& cancel) {
      prepare_job(id, prepare, cancel);
    });
  }
  return info.id;
}

void JobManager::prepare_job(const std::string& id, const Prepare& prepare, const mv::CancelToken& cancel) {
  auto job = get(id);
  if (!job || job->state != JobState::Queued) return;  // cancelled meanwhile
  mv::JobSpec prepared = job->request;
  try {
    prepare(prepared, cancel);
    prepared.validate();
  } catch (const std::exception& e) {
    update(id, [&](JobInfo& j) {
      j.state = JobState::Failed;
      j.error = e.what();
      j.error_id = "input_missing";
    }, true);
    return;
  }
  bool queued = false;
  update(id, [&](JobInfo& j) {
    if (j.state != JobState::Queued) return;  // cancelled while it was prepared
    j.request = prepared;
    j.stage.clear();
    queued = true;
  }, true);
  if (queued) enqueue(id);
}

void JobManager::enqueue(const std::string& id) {
  // queue_mutex_ keeps the queue alive across submit (shutdown resets it under the same
  // lock); mutex_ is not held meanwhile, as the queue's state calls take it.
  std::lock_guard queue_lock(queue_mutex_);
  if (!queue_) return;
  const mv::JobQueue::JobId qid = queue_->submit([this, id](const mv::CancelToken& cancel) {
    // Below OBS's own threads: a render must never cost a stream its frames. Each
    // job runs on a thread of its own at the job's priority (apply_priority).
    std::thread job_thread([this, &id, &cancel] { execute(id, cancel); });
    job_thread.join();
  });
  std::lock_guard lock(mutex_);
  queued_[id] = qid;
  job_of_[qid] = id;
}

void JobManager::on_queue_state(mv::JobQueue::JobId qid, JobState state) {
  // Called under the queue's lock: quick, and never calls the queue. Only a job
  // cancelled before it ran is news here; a running one reports through execute().
  if (state != JobState::Cancelled) return;
  std::string id;
  bool closing = false;
  {
    std::lock_guard lock(mutex_);
    const auto it = job_of_.find(qid);
    if (it == job_of_.end()) return;
    id = it->second;
    closing = stopping_;
  }
  update(id, [&](JobInfo& j) {
    if (j.state != JobState::Queued) return;
    j.state = closing ? JobState::Interrupted : JobState::Cancelled;
    if (closing) j.error = kInterruptedMessage;  // OBS is closing, not the user's doing: Retry
  }, true);
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
  std::optional<mv::JobQueue::JobId> qid;
  bool preparing = false;
  {
    std::lock_guard lock(mutex_);
    if (const auto it = queued_.find(id); it != queued_.end()) qid = it->second;
    for (const auto& j : jobs_) {
      if (j.id == id && j.state == JobState::Queued && j.stage == "prepare") preparing = true;  // not queued yet
    }
  }
  if (preparing) {
    update(id, [](JobInfo& j) { j.state = JobState::Cancelled; }, true);
    return true;
  }
  std::lock_guard queue_lock(queue_mutex_);
  return qid && queue_ && queue_->cancel(*qid);
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
      already = already || (j.request.resume_cloud_job == cloud_job.id && !mv::job_finished(j.state));
    }
    if (already) continue;
    mv::JobSpec spec;
    spec.backend = mv::Backend::Cloud;
    for (const auto& in : cloud_job.inputs.empty() ? std::vector<std::string>{cloud_job.output} : cloud_job.inputs) {
      spec.inputs.emplace_back(in);
    }
    spec.output_dir = fs::path(cloud_job.output).parent_path();
    spec.resume_cloud_job = cloud_job.id;
    ids.push_back(submit(std::move(spec)));
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

void JobManager::execute(const std::string& id, const mv::CancelToken& cancel) {
  mv::JobSpec spec;
  {
    std::lock_guard lock(mutex_);
    for (const auto& j : jobs_) {
      if (j.id == id) spec = j.request;
    }
  }
  const bool local = spec.backend == mv::Backend::Local && spec.resume_cloud_job.empty();
  const std::string applied = local ? apply_priority(spec.priority) : std::string("normal (network)");
  update(id, [&](JobInfo& j) {
    j.state = JobState::Running;
    j.stage = mv::stage_name(local ? mv::Stage::Probe : mv::Stage::Session);
    j.priority_applied = applied;
  }, true);
  auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  const mv::JobEventFn report = [&](const mv::JobEvent& e) {
    const auto now = std::chrono::steady_clock::now();
    if (e.message.empty() && !e.frame && now - last < std::chrono::milliseconds(250) && e.fraction < 1.0) return;
    last = now;
    update(id, [&](JobInfo& j) {
      j.stage = mv::stage_name(e.stage);
      j.progress = e.fraction;
      if (!e.message.empty()) j.message = e.message;
      if (e.frame) j.frame = e.frame;
    }, false);
  };
  try {
    mv::CloudBackendOptions cloud{cloud_settings(), cloud_dir_ / "jobs.json", false};
    mv::JobRunner runner(std::move(cloud));
    finish(id, runner.run(spec, report, cancel));
  } catch (const std::exception& e) {
    fail(id, e);
  }
  std::lock_guard lock(mutex_);
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

void JobManager::finish(const std::string& id, const mv::JobResult& result) {
  update(id, [&](JobInfo& j) {
    j.state = JobState::Done;
    j.output = result.output.string();
    j.duration_s = result.duration_s;
    if (result.highlight) {
      j.highlight_start_s = result.highlight->start_s;
      j.highlight_end_s = result.highlight->end_s;
    }
    j.progress = 1.0;
    j.frame.reset();
    j.stage = mv::stage_name(mv::Stage::Done);
    j.session_id = result.session_id;
    j.user_id = result.user_id;
  }, true);
}

void JobManager::fail(const std::string& id, const std::exception& error) {
  const mv::JobError e = mv::job_error_from(error);
  const bool cancelled = e.code == mv::ErrorCode::Cancelled;
  update(id, [&](JobInfo& j) {
    j.state = cancelled ? JobState::Cancelled : JobState::Failed;
    j.error = cancelled ? "" : e.message;
    j.error_id = cancelled ? "" : e.id;
    j.error_link = cancelled ? "" : e.link;
  }, true);
}

json vendor_error_answer(const std::exception& error) {
  mv::JobError e = mv::job_error_from(error);
  if (dynamic_cast<const std::invalid_argument*>(&error) != nullptr) e.id = mv::error_code_id(mv::ErrorCode::Usage);
  json answer = {{"ok", false}, {"error", e.message}, {"errorId", e.id}};
  if (!e.link.empty()) answer["errorLink"] = e.link;
  return answer;
}

}  // namespace mvplugin
