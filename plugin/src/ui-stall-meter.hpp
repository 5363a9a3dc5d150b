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
    [[nodiscard]] nlohmann::json to_json() const;
  };

  /// Records one run of `duration` labelled `where` (thread-safe).
  void record(const char* where, std::chrono::nanoseconds duration);
  /// Records how late the UI loop's probe timer fired (thread-safe).
  void record_loop_gap(std::chrono::nanoseconds lateness);
  [[nodiscard]] Snapshot snapshot() const;
  void reset();

 private:
  mutable std::mutex mutex_;
  Snapshot s_;
};

/// Times the enclosing block into a meter (steady_clock), recorded on exit.
class UiStallScope {
 public:
  UiStallScope(UiStallMeter& meter, const char* where)
      : meter_(meter), where_(where), start_(std::chrono::steady_clock::now()) {}
  ~UiStallScope() { meter_.record(where_, std::chrono::steady_clock::now() - start_); }
  UiStallScope(const UiStallScope&) = delete;
  UiStallScope& operator=(const UiStallScope&) = delete;

 private:
  UiStallMeter& meter_;
  const char* where_;
  std::chrono::steady_clock::time_point start_;
};

/// The process-wide meter of the plugin's runs on OBS's UI thread.
UiStallMeter& ui_stall_meter();
/// The process-wide meter of the plugin's obs-websocket request handlers (the
/// time from a request reaching the plugin to its answer; the same 50 ms budget).
UiStallMeter& websocket_meter();

}  // namespace mvplugin
