// progress-printer.hpp — how mvgen shows progress: a bar with stage, percent
// and ETA on a terminal (stderr), or one JSON object per line (--json, stdout).
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "mv/base/progress.hpp"
#include "mv/jobs/job.hpp"

namespace mvcli {

class ProgressPrinter {
 public:
  /// json: print JSON lines on stdout; quiet: print nothing (errors still go to stderr).
  ProgressPrinter(bool json, bool quiet);
  /// Progress callback for mvcore (same thread as the job).
  void update(mv::Stage stage, double fraction);
  /// A job event: progress as update(); a message (the cloud's words) as its own
  /// JSON line {"stage", "progress", "message"} or a "[stage] message" line on
  /// stderr. Done events are left to the result line.
  void event(const mv::JobEvent& event);
  /// Ends the bar line (terminal) before the result or an error is printed.
  void finish();
  /// Prints a final JSON object as one line (json mode) — result or error.
  void json_line(const nlohmann::json& object) const;
  [[nodiscard]] bool json() const { return json_; }

 private:
  bool json_, quiet_, tty_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
  int last_json_permille_ = -1;
  mv::Stage last_stage_ = mv::Stage::Probe;
  bool drawn_ = false;
};

/// Overall job fraction from a stage and its fraction: for a local job the stage
/// weights are probe 1 %, analyze 6 %, plan 1 %, render 90 %, finalize 2 %; the
/// cloud's stages (and prepare) report their own fraction; done is 1.
double overall_fraction(mv::Stage stage, double fraction);

}  // namespace mvcli
