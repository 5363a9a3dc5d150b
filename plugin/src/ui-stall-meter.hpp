// ui-stall-meter.hpp — measures how long the plugin holds OBS's UI thread.
// Every piece of plugin code that runs on the UI thread (dock slots, queued job
// updates, scene imports, frontend events) is timed with a UiStallScope; the
// meter keeps the longest run, where it happened, and how many exceeded the
// budget (50 ms: three frames at 60 fps, the limit). obs-websocket's
// GetDiagnostics answers these figures; the end-to-end test asserts them.
// No OBS and no Qt here.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace mvplugin {

class UiStallMeter {
 public:
  /// The budget a single UI-thread run of plugin code must stay under.
  static constexpr std::chrono::milliseconds kBudget{50};

  /// Figures so far. Times in milliseconds.
  struct Snapshot {
    std::uint64_t calls = 0;       ///< timed runs
    double total_ms = 0;           ///< their sum
    double max_ms = 0;             ///< the longest run
    std::string max_where;         ///< its label ("dock.generate", "job.import", ...)
    std::uint64_t over_budget = 0; ///< runs longer than kBudget
    double loop_max_gap_ms = 0;    ///< longest lateness of the UI event loop seen by a probe timer
                                   ///< (all of OBS, not only the plugin; informational)
    std::vector<std::pair<std::string, double>> slow;  ///< the first 20 runs over budget: label, ms
    double cpu_max_ms = 0;         ///< the most CPU time one run used on its thread (CLOCK_THREAD_CPUTIME_ID):
                                   ///< the work itself, without the time other processes took the core
    std::string cpu_max_where;     ///< its label
    std::uint64_t over_budget_unpreempted = 0;  ///< runs over budget although the kernel never took their
                                                ///< thread's core (no involuntary context switch): the
                                                ///< plugin's own work or a wait (disk, network, a join)
    [[nodiscard]] nlohmann::json to_json() const;
  };

  /// Records one run of `duration` (wall clock) and `cpu` (the thread's CPU
  /// time) labelled `where` (thread-safe). The budget applies to the wall clock.
  void record(const char* where, std::chrono::nanoseconds duration, std::chrono::nanoseconds cpu = {},
              bool preempted = false);
  /// Records how late the UI loop's probe timer fired (thread-safe).
  void record_loop_gap(std::chrono::nanoseconds lateness);
  [[nodiscard]] Snapshot snapshot() const;
  void reset();

 private:
  mutable std::mutex mutex_;
  Snapshot s_;
};

/// CPU time the calling thread has used (CLOCK_THREAD_CPUTIME_ID).
std::chrono::nanoseconds thread_cpu_time();
/// Times the kernel took the calling thread's core away (involuntary context
/// switches, getrusage RUSAGE_THREAD ru_nivcsw).
long thread_preemptions();

/// Times the enclosing block into a meter (steady_clock and the thread's CPU time), recorded on exit.
class UiStallScope {
 public:
  UiStallScope(UiStallMeter& meter, const char* where)
      : meter_(meter), where_(where), start_(std::chrono::steady_clock::now()), cpu_start_(thread_cpu_time()),
        preemptions_start_(thread_preemptions()) {}
  ~UiStallScope() {
    meter_.record(where_, std::chrono::steady_clock::now() - start_, thread_cpu_time() - cpu_start_,
                  thread_preemptions() != preemptions_start_);
  }
  UiStallScope(const UiStallScope&) = delete;
  UiStallScope& operator=(const UiStallScope&) = delete;

 private:
  UiStallMeter& meter_;
  const char* where_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::nanoseconds cpu_start_;
  long preemptions_start_;
};

/// The process-wide meter of the plugin's runs on OBS's UI thread.
UiStallMeter& ui_stall_meter();
/// The process-wide meter of the plugin's obs-websocket request handlers (the
/// time from a request reaching the plugin to its answer; the same 50 ms budget).
UiStallMeter& websocket_meter();

}  // namespace mvplugin
