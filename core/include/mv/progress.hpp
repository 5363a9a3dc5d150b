// progress.hpp — how long-running core jobs report where they are and learn
// that they should stop. Shared by the CLI (progress bar, --json lines) and
// later the OBS dock (queued signals).
#pragma once

#include <atomic>
#include <functional>
#include <string>

namespace mv {

/// Stages of a local generation job, in order.
enum class Stage { Probe, Analyze, Plan, Render, Finalize };

/// Lower-case stage name as printed in --json lines: "probe", "analyze", ...
const char* stage_name(Stage stage);

/// Callback for progress: `stage` and `fraction` of that stage in [0, 1].
/// Called from the job's thread; must be cheap and must not throw.
using ProgressFn = std::function<void(Stage stage, double fraction)>;

/// Cooperative cancellation: a job checks `requested()` between units of work
/// (an audio packet, a video frame) and throws Error{Cancelled} when set.
/// `request()` is async-signal-safe (a lock-free atomic store).
class CancelToken {
 public:
  void request() noexcept { flag_.store(true, std::memory_order_relaxed); }
  [[nodiscard]] bool requested() const noexcept { return flag_.load(std::memory_order_relaxed); }
  /// Throws Error{ErrorCode::Cancelled} if cancellation was requested.
  void throw_if_requested() const;

 private:
  std::atomic<bool> flag_{false};
};

}  // namespace mv
