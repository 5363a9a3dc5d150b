// job-queue.hpp — a bounded pool of worker threads running queued jobs, each
// with its own CancelToken. Used by `mvgen generate --batch` (local backend)
// so that 20 queued renders never run more than N at a time: memory and CPU
// stay bounded by N, not by the length of the queue.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mv/base/progress.hpp"
#include "mv/jobs/job.hpp"

namespace mv {

// A JobQueue's jobs use mv::JobState (jobs/job.hpp): Queued → Running →
// Done|Failed|Cancelled, or Queued → Cancelled (a job cancelled while queued
// never runs). Interrupted is never used here.

/// A fixed number of worker threads taking jobs first in, first out.
///
/// A job is a function run on a worker thread with the job's own CancelToken.
/// It ends Done when it returns, Cancelled when it throws after its token was
/// requested (or throws Error{Cancelled}), Failed when it throws anything else
/// (the exception's what() is kept as the job's error). Thread-safe: every
/// member may be called from any thread, except that the destructor must not
/// run on a worker thread (i.e. not from inside a job or a state callback).
class JobQueue {
 public:
  using JobId = std::uint64_t;
  /// The work of one job; must poll or pass on `cancel` to stop early.
  using JobFn = std::function<void(const CancelToken& cancel)>;
  /// Called on every state change with the state and (Failed only) the error
  /// message, under the queue's lock, so calls are totally ordered: a Running
  /// call and the job's final call bracket exactly the time it counts as
  /// running. Called from submit(), a worker thread or cancel(); must be
  /// quick and must not call the queue.
  using StateFn = std::function<void(JobId id, JobState state, const std::string& error)>;

  /// Starts `max_parallel` worker threads (clamped to at least 1).
  explicit JobQueue(int max_parallel = 2, StateFn on_state = {});
  /// Cancels every job that has not finished, waits for running ones to stop
  /// and joins the workers.
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  /// Queues a job; returns its id (1, 2, 3, … in submission order).
  JobId submit(JobFn fn);
  /// Cancels a job: a queued one becomes Cancelled at once and never runs; a
  /// running one gets its token requested (it ends Cancelled when it stops,
  /// or Done if it was already finishing). Returns false for an unknown or
  /// finished job.
  bool cancel(JobId id);
  /// cancel() for every job.
  void cancel_all();
  /// Blocks until the job is Done, Failed or Cancelled; returns that state.
  /// Errors: std::out_of_range for an unknown id.
  JobState wait(JobId id);
  /// Blocks until every submitted job has finished.
  void wait_all();

  /// Current state of a job. Errors: std::out_of_range for an unknown id.
  [[nodiscard]] JobState state(JobId id) const;
  /// The error message of a Failed job ("" otherwise).
  [[nodiscard]] std::string error(JobId id) const;
  /// Jobs running right now (0..max_parallel()).
  [[nodiscard]] int running() const;
  /// The most jobs that ever ran at the same time.
  [[nodiscard]] int peak_running() const;
  [[nodiscard]] int max_parallel() const { return max_parallel_; }

 private:
  struct Job {
    JobFn fn;
    JobState state = JobState::Queued;
    std::string error;
    std::unique_ptr<CancelToken> cancel = std::make_unique<CancelToken>();
  };
  void worker();
  void set_state(JobId id, Job& job, JobState state, std::unique_lock<std::mutex>& lock);

  const int max_parallel_;
  StateFn on_state_;
  mutable std::mutex mutex_;
  std::condition_variable work_cv_, done_cv_;
  std::deque<JobId> queue_;
  std::map<JobId, Job> jobs_;
  JobId next_id_ = 1;
  int running_ = 0, peak_running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace mv
