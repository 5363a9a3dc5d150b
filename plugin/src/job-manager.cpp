// job-manager.cpp — see job-manager.hpp.
#include "job-manager.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "mv/cloud-client.hpp"
#include "mv/cloud-errors.hpp"
#include "mv/cloud-flow.hpp"
#include "mv/error.hpp"
#include "mv/generate.hpp"
#include "mv/json-file.hpp"

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
  json j = {{"input", input}, {"backend", backend}, {"prompt", prompt}, {"style", style},
            {"aspect", aspect}, {"title", title},     {"output_dir", output_dir}, {"threads", threads}};
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
  return r;
}

json JobInfo::to_json() const {
  return {{"jobId", id},         {"state", job_state_name(state)}, {"stage", stage},
          {"progress", progress}, {"message", message},            {"output", output},
          {"error", error},
          {"errorId", error_id},  {"errorLink", error_link},       {"duration", duration_s},
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
    const fs::path candidate = dir / (n == 1 ? stem + ".mp4" : stem + " (" + std::to_string(n) + ").mp4");
    std::error_code ec;
    if (!fs::exists(candidate, ec)) return candidate;
  }
}

JobManager::JobManager(fs::path jobs_file, fs::path cloud_config_dir, Notify notify)
    : jobs_file_(std::move(jobs_file)), cloud_dir_(std::move(cloud_config_dir)), notify_(std::move(notify)) {
  if (auto j = mv::read_json_file(jobs_file_); j && j->is_array()) {
    for (const auto& item : *j) {
      JobInfo info = JobInfo::from_json(item);
      if (info.id.empty()) continue;
      if (info.state == JobState::Queued || info.state == JobState::Running) {
        info.state = JobState::Interrupted;
        info.error = "OBS closed while this job was running; press Retry to make it again.";
      }
      jobs_.push_back(std::move(info));
    }
  }
  worker_ = std::thread([this] { run(); });
}

JobManager::~JobManager() { shutdown(); }

void JobManager::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !worker_.joinable()) return;
    stopping_ = true;
    for (auto& [id, token] : cancels_) token->request();
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

std::string JobManager::submit(JobRequest request) {
  if (request.inputs.empty()) throw std::invalid_argument("no input file given");
  JobInfo info;
  info.id = mv::make_uuid_v4();
  if (request.output_dir.empty()) request.output_dir = fs::path(request.inputs.front()).parent_path().string();
  info.request = std::move(request);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw std::invalid_argument("OBS is closing");
    jobs_.push_back(info);
    queue_.push_back(info.id);
    cancels_[info.id] = std::make_shared<mv::CancelToken>();
    save_locked();
  }
  wake_.notify_all();
  if (notify_) notify_(info);
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

void JobManager::save_locked() const {
  json out = json::array();
  for (const auto& j : jobs_) out.push_back(j.to_json());
  try {
    mv::write_json_file(jobs_file_, out, 0600);
  } catch (const mv::Error&) {
    // The job list is a convenience; a full disk must not stop a render.
  }
}

void JobManager::run() {
  // Below OBS's own threads: a render must never cost a stream its frames.
  // SCHED_IDLE runs this thread only when a core would otherwise idle (Linux
  // sched(7)); the threads x264 starts from here inherit it (glibc's default
  // PTHREAD_INHERIT_SCHED). Where SCHED_IDLE is refused, fall back to nice 19.
  sched_param idle{};
  if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle) != 0) {
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 19);
  }
  for (;;) {
    std::string id;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      id = queue_.front();
      queue_.pop_front();
    }
    execute(id);
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
  update(id, [](JobInfo& j) { j.state = JobState::Running; j.stage = "probe"; }, true);
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
    const fs::path output = req.resume_cloud_job.empty() ? unique_output_path(req.output_dir, req.inputs.front()) : fs::path();
    if (req.backend == "cloud") {
      mv::CloudSettings settings;
      settings.config_dir = cloud_dir_;
      settings.skill_platform = "obs";
      {
        std::lock_guard lock(mutex_);
        settings.base_url = cloud_api_url_;
        settings.token = cloud_token_;
      }
      mv::CloudClient client(settings, cancel.get());
      const mv::CloudJobStore store(cloud_dir_ / "jobs.json");
      const auto on_progress = [&](const std::string& stage, double f, const std::string& message) {
        report(stage, f, message);
      };
      mv::CloudJob job;
      if (!req.resume_cloud_job.empty()) {
        const auto saved = store.find(req.resume_cloud_job);
        if (!saved) throw std::runtime_error("the cloud job is no longer in the job file");
        job = mv::resume_cloud_job(client, store, *saved, on_progress);
        if (job.state != "done") throw std::runtime_error(job.error.empty() ? "the cloud job could not be finished" : job.error);
      } else {
        std::vector<fs::path> inputs(req.inputs.begin(), req.inputs.end());
        job = mv::cloud_generate(client, store, {inputs, req.prompt, output, false}, on_progress);
      }
      update(id, [&](JobInfo& j) { j.state = JobState::Done; j.output = job.output; j.progress = 1.0; j.stage = "done"; }, true);
    } else {
      mv::GenerateRequest g;
      g.input = req.inputs.front();
      g.output = output;
      for (std::size_t i = 1; i < req.inputs.size(); ++i) g.video.clips.emplace_back(req.inputs[i]);
      if (req.aspect == "9:16") {
        g.video.width = 1080, g.video.height = 1920;
      } else if (req.aspect == "1:1") {
        g.video.width = 1080, g.video.height = 1080;
      }
      if (!req.style.empty()) g.video.style = req.style;
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
}

}  // namespace mvplugin
