// job-manager.hpp — the plugin's jobs: a queue run by one worker thread at
// low priority, each job a local render (mvcore generate) or a cloud job,
// cancellable, listed with its state, and kept in a JSON file so a restart
// shows interrupted jobs. No OBS and no Qt here: the module hands results to
// the UI thread itself (queued), and tests drive this class directly.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "mv/progress.hpp"

namespace mvplugin {

/// Where a job is.
enum class JobState { Queued, Running, Done, Failed, Cancelled, Interrupted };

/// Lower-case name: queued, running, done, failed, cancelled, interrupted.
const char* job_state_name(JobState state);

/// What to make. Times in seconds.
struct JobRequest {
  std::vector<std::string> inputs;  ///< the song (or video) first, then clips/photos for a montage
  std::string backend = "local";    ///< "local" or "cloud"
  std::string prompt, style, aspect = "16:9", title;
  std::optional<double> start, duration;
  std::string output_dir;           ///< where the MP4 goes
  int threads = 1;                  ///< encoder threads for local renders
  std::string resume_cloud_job;     ///< id of an unfinished cloud job (job file) to finish instead

  [[nodiscard]] nlohmann::json to_json() const;
  /// Parses the obs-websocket `Generate` requestData shape: {"input": path or
  /// [paths], "backend", "prompt", "style", "aspect", "title", "start",
  /// "duration"}. Errors: std::invalid_argument with a plain message.
  static JobRequest from_json(const nlohmann::json& j);
};

/// A job as the UI and the websocket API see it.
struct JobInfo {
  std::string id;
  JobRequest request;
  JobState state = JobState::Queued;
  std::string stage;        ///< current stage name
  double progress = 0.0;    ///< 0..1
  std::string message;      ///< latest word from the backend (cloud text, "still working" notices)
  std::string output;       ///< the MP4 (when done)
  std::string error;        ///< plain-language message (failed), English
  std::string error_id;     ///< stable id for translated text: a cloud_error_id() ("no_credits", …)
                            ///< or input_missing, input_invalid, output, usage, media, internal
  std::string error_link;   ///< a link the message points to (the registration URL for no_credits)
  double duration_s = 0.0;  ///< of the finished video
  [[nodiscard]] nlohmann::json to_json() const;
  static JobInfo from_json(const nlohmann::json& j);
};

/// Runs jobs one at a time on a worker thread.
class JobManager {
 public:
  /// Called on the worker thread whenever a job changes (throttled progress).
  using Notify = std::function<void(const JobInfo&)>;
  /// `jobs_file`: where the job list is kept (loaded now: jobs that were
  /// queued or running when the file was written become Interrupted).
  /// `cloud_config_dir`: identity/jobs folder of the cloud client.
  JobManager(std::filesystem::path jobs_file, std::filesystem::path cloud_config_dir, Notify notify);
  /// Cancels everything and joins the worker (bounded: jobs stop within a frame).
  ~JobManager();
  JobManager(const JobManager&) = delete;
  JobManager& operator=(const JobManager&) = delete;

  /// Queues a job and returns its id at once. Errors: std::invalid_argument
  /// for a request without input.
  std::string submit(JobRequest request);
  [[nodiscard]] std::optional<JobInfo> get(const std::string& id) const;
  [[nodiscard]] std::vector<JobInfo> list() const;
  /// Cancels a queued or running job; false if unknown or already finished.
  bool cancel(const std::string& id);
  /// Queues a copy of a finished job; returns the new id (empty if unknown).
  std::string retry(const std::string& id);
  /// Cancels all jobs and joins the worker. Idempotent.
  void shutdown();
  /// The cloud backend's base URL (plugin settings; empty: $NEMO_API_URL, else
  /// the vendor's host) and a registered token (empty: anonymous).
  void set_cloud(const std::string& url, const std::string& token);
  /// Queues a job for every unfinished cloud job in the cloud job file that has
  /// a render id (a render submitted before OBS closed or crashed): it is polled
  /// and downloaded, never submitted again. Returns the new job ids.
  std::vector<std::string> resume_cloud_jobs();

 private:
  void run();
  void execute(const std::string& id);
  void update(const std::string& id, const std::function<void(JobInfo&)>& change, bool save);
  void save_locked() const;

  std::filesystem::path jobs_file_, cloud_dir_;
  std::string cloud_api_url_, cloud_token_;
  Notify notify_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<JobInfo> jobs_;
  std::deque<std::string> queue_;
  std::map<std::string, std::shared_ptr<mv::CancelToken>> cancels_;
  bool stopping_ = false;
  std::thread worker_;
};

/// A free output path in `dir` for `input`: "<stem> music video.mp4", then
/// "<stem> music video (2).mp4", ... (never an existing file).
std::filesystem::path unique_output_path(const std::filesystem::path& dir, const std::filesystem::path& input);

}  // namespace mvplugin
