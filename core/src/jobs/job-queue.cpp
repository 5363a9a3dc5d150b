// job-queue.cpp — bounded worker pool with per-job cancellation (see job-queue.hpp).
#include "mv/jobs/job-queue.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>

#include "mv/base/error.hpp"

namespace mv {


namespace {
bool finished(JobState s) { return s == JobState::Done || s == JobState::Failed || s == JobState::Cancelled; }
}  // namespace

JobQueue::JobQueue(int max_parallel, StateFn on_state)
    : max_parallel_(std::max(1, max_parallel)), on_state_(std::move(on_state)) {
  workers_.reserve(static_cast<std::size_t>(max_parallel_));
  for (int i = 0; i < max_parallel_; ++i) workers_.emplace_back([this] { worker(); });
}

JobQueue::~JobQueue() {
  cancel_all();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void JobQueue::set_state(JobId id, Job& job, JobState state, std::unique_lock<std::mutex>& /*held*/) {
  job.state = state;
  if (on_state_) on_state_(id, state, job.error);
  if (finished(state)) done_cv_.notify_all();
}

JobQueue::JobId JobQueue::submit(JobFn fn) {
  std::unique_lock<std::mutex> lock(mutex_);
  const JobId id = next_id_++;
  Job& job = jobs_[id];
  job.fn = std::move(fn);
  set_state(id, job, JobState::Queued, lock);
  queue_.push_back(id);
  lock.unlock();
  work_cv_.notify_one();
  return id;
}

bool JobQueue::cancel(JobId id) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto it = jobs_.find(id);
  if (it == jobs_.end() || finished(it->second.state)) return false;
  Job& job = it->second;
  job.cancel->request();
  if (job.state == JobState::Queued) {
    queue_.erase(std::remove(queue_.begin(), queue_.end(), id), queue_.end());
    job.fn = nullptr;  // frees whatever the job captured
    set_state(id, job, JobState::Cancelled, lock);
  }
  return true;
}

void JobQueue::cancel_all() {
  std::vector<JobId> ids;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, job] : jobs_) {
      if (!finished(job.state)) ids.push_back(id);
    }
  }
  for (JobId id : ids) cancel(id);
}

JobState JobQueue::wait(JobId id) {
  std::unique_lock<std::mutex> lock(mutex_);
  const Job& job = jobs_.at(id);
  done_cv_.wait(lock, [&] { return finished(job.state); });
  return job.state;
}

void JobQueue::wait_all() {
  std::unique_lock<std::mutex> lock(mutex_);
  done_cv_.wait(lock, [&] {
    return std::all_of(jobs_.begin(), jobs_.end(), [](const auto& kv) { return finished(kv.second.state); });
  });
}

JobState JobQueue::state(JobId id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_.at(id).state;
}

std::string JobQueue::error(JobId id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return jobs_.at(id).error;
}

int JobQueue::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return running_;
}

int JobQueue::peak_running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return peak_running_;
}

void JobQueue::worker() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping and nothing left
    const JobId id = queue_.front();
    queue_.pop_front();
    Job& job = jobs_.at(id);  // std::map: the reference stays valid while others are added
    ++running_;
    peak_running_ = std::max(peak_running_, running_);
    set_state(id, job, JobState::Running, lock);
    JobFn fn = std::move(job.fn);
    const CancelToken& token = *job.cancel;
    lock.unlock();
    JobState end = JobState::Done;
    std::string error;
    try {
      fn(token);
    } catch (const Error& e) {
      end = e.code() == ErrorCode::Cancelled || token.requested() ? JobState::Cancelled : JobState::Failed;
      error = e.what();
    } catch (const std::exception& e) {
      end = token.requested() ? JobState::Cancelled : JobState::Failed;
      error = e.what();
    } catch (...) {
      end = token.requested() ? JobState::Cancelled : JobState::Failed;
      error = "unknown error";
    }
    fn = nullptr;  // release the job's captures before it is reported finished
    lock.lock();
    --running_;
    job.error = end == JobState::Failed ? error : std::string();
    set_state(id, job, end, lock);
  }
}

}  // namespace mv
