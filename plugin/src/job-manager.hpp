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

#include "mv/base/progress.hpp"
#include "mv/cloud/client.hpp"
#include "mv/jobs/job-spec.hpp"
#include "mv/jobs/job-queue.hpp"
#include "mv/jobs/job.hpp"

namespace mvplugin {

using mv::JobState;
using mv::job_state_name;

/// A job as the UI and the websocket API see it.
struct JobInfo {
  std::string id;
  mv::JobSpec request;      ///< what to make (the core job model; "request" in JSON)
  JobState state = JobState::Queued;
  std::string stage;        ///< current stage id (mv::stage_name)
  double progress = 0.0;    ///< 0..1
  std::string message;      ///< latest word from the backend (cloud text, "still working" notices)
  std::string output;       ///< the MP4 (when done)
  std::string error;        ///< plain-language message (failed), English
  std::string error_id;     ///< stable id for translated text: a cloud_error_id() ("no_credits", …)
                            ///< or input_missing, input_invalid, output, usage, media, internal
  std::string error_link;   ///< a link the message points to (the registration URL for no_credits)
  double duration_s = 0.0;  ///< of the finished video
  /// The song's stretch a highlight job chose, s from the song's start (both 0: none).
  double highlight_start_s = 0.0, highlight_end_s = 0.0;
  std::string session_id, user_id;  ///< cloud jobs: the session the video was made in (for edits)
  std::string priority_applied;  ///< how the job's thread actually ran: "idle", "nice N"
  /// The latest frame of a running local render (every 2 s of video), null
  /// otherwise; not kept in the job file.
  std::shared_ptr<const mv::RgbPicture> frame;
  [[nodiscard]] nlohmann::json to_json() const;
  static JobInfo from_json(const nlohmann::json& j);
};

/// Credits and the timeline of a cloud session, as the dock shows them.
struct CloudInfo {
  bool ok = false;
  double available = 0, frozen = 0, total = 0;  ///< credits
  std::string timeline;  ///< one-line summary of the session's draft ("" without a session)
  std::string error;     ///< plain message when !ok
  std::string error_id;  ///< cloud_error_id() of the failure
};

/// Runs jobs one at a time on core's job queue (mv::JobQueue, one worker: the
/// one queue of jobs, as mvgen --batch has): the worker starts each job on a
/// thread of its own at the job's CPU priority (lowering a thread's priority
/// cannot be undone without privileges, so each job gets a fresh thread), and a
/// helper thread does short work (input preparation, credit queries) meanwhile.
/// This class keeps the list the UI and the websocket show, and its file.
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
  /// writes the rolling audio buffer to a WAV and puts its path first in
  /// `inputs`). Gets the shutdown token: a long write stops when OBS closes.
  using Prepare = std::function<void(mv::JobSpec&, const mv::CancelToken&)>;

  /// Queues a job and returns its id at once. With `prepare`, the job is listed
  /// at once (stage "prepare"), prepared on the helper thread, then validated
  /// and queued; an exception from `prepare` fails the job with its message.
  /// An Edit always runs on the cloud backend. Errors: mv::Error{Usage} from
  /// JobSpec::validate (checked now unless `prepare` is given), or "OBS is closing".
  std::string submit(mv::JobSpec spec, Prepare prepare = {});
  /// Runs `task` on the helper thread (short work that must not wait behind a
  /// render: buffer snapshots, credit queries). Tasks get the shutdown token;
  /// tasks still queued at shutdown are dropped.
  void run_async(std::function<void(const mv::CancelToken&)> task);
  /// Runs `task` on the picture thread: the dock's pictures and analyses
  /// (seconds of work), kept apart so that they never delay the helper's
  /// quick tasks (the audio buffer's snapshot is taken when asked for). As
  /// run_async otherwise.
  void run_pictures(std::function<void(const mv::CancelToken&)> task);
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
  /// One task thread: runs `tasks` in order until stopping_.
  void run_tasks(std::deque<std::function<void(const mv::CancelToken&)>>& tasks, std::condition_variable& wake);
  /// Queues a prepared job on the job queue.
  void enqueue(const std::string& id);
  /// The job queue's state changes: a job cancelled while queued.
  void on_queue_state(mv::JobQueue::JobId qid, JobState state);
  void execute(const std::string& id, const mv::CancelToken& cancel);
  void prepare_job(const std::string& id, const Prepare& prepare, const mv::CancelToken& cancel);
  void finish(const std::string& id, const mv::JobResult& result);
  void fail(const std::string& id, const std::exception& error);
  [[nodiscard]] mv::CloudSettings cloud_settings() const;
  void update(const std::string& id, const std::function<void(JobInfo&)>& change, bool save);
  void save_locked();
  void run_saver();

  std::filesystem::path jobs_file_, cloud_dir_;
  std::string cloud_api_url_, cloud_token_;
  Notify notify_;
  mutable std::mutex mutex_;
  std::vector<JobInfo> jobs_;
  std::map<std::string, mv::JobQueue::JobId> queued_;  ///< jobs handed to the queue, by job id
  std::map<mv::JobQueue::JobId, std::string> job_of_;  ///< and back
  bool stopping_ = false;
  std::deque<std::function<void(const mv::CancelToken&)>> helper_tasks_;
  std::condition_variable helper_wake_;
  mv::CancelToken helper_cancel_;
  std::condition_variable save_wake_;
  std::uint64_t save_wanted_ = 0, save_done_ = 0;  // job file versions asked for / written
  bool saver_stopping_ = false;
  std::deque<std::function<void(const mv::CancelToken&)>> picture_tasks_;
  std::condition_variable picture_wake_;
  std::thread helper_, pictures_, saver_;
  std::mutex queue_mutex_;               ///< guards queue_'s lifetime; taken before mutex_, never after it
  std::unique_ptr<mv::JobQueue> queue_;  ///< last: its worker is stopped first
};

/// The answer of an obs-websocket request that failed: {"ok": false, "error":
/// message, "errorId": id for translated text, "errorLink"?: link}. The id is
/// mv::job_error_from's ("usage", "input_missing", "no_credits", …); a
/// std::invalid_argument (a malformed request) is "usage".
nlohmann::json vendor_error_answer(const std::exception& error);

}  // namespace mvplugin
