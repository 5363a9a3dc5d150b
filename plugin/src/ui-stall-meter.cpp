// ui-stall-meter.cpp — see ui-stall-meter.hpp.
#include "ui-stall-meter.hpp"

#include <sys/resource.h>
#include <time.h>

#include <algorithm>

namespace mvplugin {

nlohmann::json UiStallMeter::Snapshot::to_json() const {
  return {{"uiCalls", calls},          {"uiTotalMs", total_ms},   {"uiMaxMs", max_ms},
          {"uiMaxWhere", max_where},   {"uiOverBudget", over_budget},
          {"uiBudgetMs", kBudget.count()}, {"loopMaxGapMs", loop_max_gap_ms},
          {"uiCpuMaxMs", cpu_max_ms},   {"uiCpuMaxWhere", cpu_max_where},
          {"uiOverBudgetUnpreempted", over_budget_unpreempted},
          {"uiSlow", [&] {
             nlohmann::json list = nlohmann::json::array();
             for (const auto& [where, ms] : slow) list.push_back({{"where", where}, {"ms", ms}});
             return list;
           }()}};
}

std::chrono::nanoseconds thread_cpu_time() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

long thread_preemptions() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_nivcsw;
}

void UiStallMeter::record(const char* where, std::chrono::nanoseconds duration, std::chrono::nanoseconds cpu,
                          bool preempted) {
  const double ms = std::chrono::duration<double, std::milli>(duration).count();
  const double cpu_ms = std::chrono::duration<double, std::milli>(cpu).count();
  std::lock_guard lock(mutex_);
  if (cpu_ms > s_.cpu_max_ms) {
    s_.cpu_max_ms = cpu_ms;
    s_.cpu_max_where = where;
  }
  ++s_.calls;
  s_.total_ms += ms;
  if (ms > s_.max_ms) {
    s_.max_ms = ms;
    s_.max_where = where;
  }
  if (duration > kBudget) {
    ++s_.over_budget;
    if (!preempted) ++s_.over_budget_unpreempted;
    if (s_.slow.size() < 20) s_.slow.emplace_back(where, ms);
  }
}

void UiStallMeter::record_loop_gap(std::chrono::nanoseconds lateness) {
  const double ms = std::chrono::duration<double, std::milli>(lateness).count();
  std::lock_guard lock(mutex_);
  s_.loop_max_gap_ms = std::max(s_.loop_max_gap_ms, ms);
}

UiStallMeter::Snapshot UiStallMeter::snapshot() const {
  std::lock_guard lock(mutex_);
  return s_;
}

void UiStallMeter::reset() {
  std::lock_guard lock(mutex_);
  s_ = Snapshot{};
}

UiStallMeter& ui_stall_meter() {
  static UiStallMeter meter;
  return meter;
}

UiStallMeter& websocket_meter() {
  static UiStallMeter meter;
  return meter;
}

}  // namespace mvplugin
