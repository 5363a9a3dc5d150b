// progress.hpp — how long-running core jobs report where they are and learn
// that they should stop. Shared by the CLI (progress bar, --json lines) and
// later the OBS dock (queued signals).
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mv {

/// Stages of a job, the one list of stage ids shared by mvgen's --json lines,
/// the dock's texts (locale key "Stage.<id>") and obs-websocket's JobProgress
/// events. A local job runs Probe → Analyze → Plan → Render → Finalize; a cloud
/// job Session → Upload → Generate (the chat turn) → Render → Download; Prepare
/// is a front end's own work before a job is queued (writing a buffer to a
/// WAV); Done ends every job.
enum class Stage { Prepare, Probe, Analyze, Plan, Render, Finalize, Session, Upload, Generate, Download, Done };

/// Every stage, in the order above.
const std::vector<Stage>& all_stages();

/// Lower-case stage id: "prepare", "probe", "analyze", "plan", "render",
/// "finalize", "session", "upload", "generate", "download", "done".
const char* stage_name(Stage stage);

/// The stage of an id (stage_name's inverse); nullopt for an unknown id.
std::optional<Stage> stage_from_name(std::string_view id);

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
