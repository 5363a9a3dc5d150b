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

#include "mv/cloud-client.hpp"
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
  /// What to make: "music_video" (from a song), "montage" (clips/photos cut on the
  /// song's beats), "promo" (photos + voice-over; cloud only), "background_music"
  /// (music for a clip; cloud only), or "edit" (cloud only: a chat message that
  /// edits the timeline of `session_id` and renders it again; no inputs).
  std::string kind = "music_video";
  std::string session_id, user_id;  ///< the cloud session an "edit" continues
  std::string priority = "idle";    ///< local renders: "idle", "low" or "normal" (see PluginSettings)
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
  std::string session_id, user_id;  ///< cloud jobs: the session the video was made in (for edits)
  std::string priority_applied;  ///< how the job's thread actually ran: "idle", "nice N"
  [[nodiscard]] nlohmann::json to_json() const;
  static JobInfo from_json(const nlohmann::json& j);
};

/// True for kinds only the cloud backend can make (promo, background_music, edit).
bool cloud_only_kind(const std::string& kind);

/// The instruction a cloud job sends in its chat turn: the kind's request
/// ("Make a music video for this song.", ...), then the style, aspect and title
/// when set, then the user's prompt. Edits send the prompt alone.
std::string cloud_instruction(const JobRequest& request);

/// Credits and the timeline of a cloud session, as the dock shows them.
struct CloudInfo {
  bool ok = false;
  double available = 0, frozen = 0, total = 0;  ///< credits
  std::string timeline;  ///< one-line summary of the session's draft ("" without a session)
  std::string error;     ///< plain message when !ok
  std::string error_id;  ///< cloud_error_id() of the failure
};

/// Runs jobs one at a time: a worker thread starts each job on a thread of its
/// own at the job's CPU priority (lowering a thread's priority cannot be undone
/// without privileges, so each job gets a fresh thread), and a helper thread
/// does short work (input preparation, credit queries) meanwhile.
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

  /// Prepares a job's inputs on the helper thread before it is queued (e.g.
  /// writes the rolling audio buffer to a WAV and puts its path in `inputs`).
  using Prepare = std::function<void(JobRequest&)>;

  /// Queues a job and returns its id at once. With `prepare`, the job is listed
  /// at once (stage "prepare"), prepared on the helper thread, then queued; an
  /// exception from `prepare` fails the job with its message. Errors:
  /// std::invalid_argument for a request without input (and no `prepare`), an
  /// unknown kind, or an "edit" without session or message.
  std::string submit(JobRequest request, Prepare prepare = {});
  /// Runs `task` on the helper thread (short work that must not wait behind a
  /// render: buffer snapshots, credit queries). Tasks get the shutdown token;
  /// tasks still queued at shutdown are dropped.
  void run_async(std::function<void(const mv::CancelToken&)> task);
  /// Reads credits (and the timeline of `session_id`, if not empty) on the
  /// helper thread and calls `done` there with the result.
  void cloud_info(const std::string& session_id, const std::string& user_id, std::function<void(const CloudInfo&)> done);
  [[nodiscard]] std::optional<JobInfo> get(const std::string& id) const;
  [[nodiscard]] std::vector<JobInfo> list() const;
  /// Cancels a queued or running job; false if unknown or already finished.
  bool cancel(const std::string& id);
  /// Queues a copy of a finished job; returns the new id (empty if unknown).
  std::string retry(const std::string& id);
  /// Cancels all jobs, joins the worker and helper, writes the job file a last
  /// time and joins the saver. Idempotent.
  void shutdown();
  /// Waits until the job file holds every change made so far (it is written by a
  /// saver thread, never by the caller).
  void flush();
  /// The cloud backend's base URL (plugin settings; empty: $NEMO_API_URL, else
  /// the vendor's host) and a registered token (empty: anonymous).
  void set_cloud(const std::string& url, const std::string& token);
  /// Queues a job for every unfinished cloud job in the cloud job file that has
  /// a render id (a render submitted before OBS closed or crashed): it is polled
  /// and downloaded, never submitted again. Returns the new job ids.
  std::vector<std::string> resume_cloud_jobs();

 private:
  void run();
  void run_helper();
  void execute(const std::string& id);
  [[nodiscard]] mv::CloudSettings cloud_settings() const;
  void update(const std::string& id, const std::function<void(JobInfo&)>& change, bool save);
  void save_locked();
  void run_saver();

  std::filesystem::path jobs_file_, cloud_dir_;
  std::string cloud_api_url_, cloud_token_;
  Notify notify_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<JobInfo> jobs_;
  std::deque<std::string> queue_;
  std::map<std::string, std::shared_ptr<mv::CancelToken>> cancels_;
  bool stopping_ = false;
  std::deque<std::function<void(const mv::CancelToken&)>> helper_tasks_;
  std::condition_variable helper_wake_;
  mv::CancelToken helper_cancel_;
  std::condition_variable save_wake_;
  std::uint64_t save_wanted_ = 0, save_done_ = 0;  // job file versions asked for / written
  bool saver_stopping_ = false;
  std::thread worker_, helper_, saver_;
};

/// A free output path in `dir` for `input`: "<stem> music video.mp4", then
/// "<stem> music video (2).mp4", ... (never an existing file).
std::filesystem::path unique_output_path(const std::filesystem::path& dir, const std::filesystem::path& input);

}  // namespace mvplugin
