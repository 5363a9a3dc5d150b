// ui-stall-meter.cpp — see ui-stall-meter.hpp.
#include "ui-stall-meter.hpp"

#include <algorithm>

namespace mvplugin {

nlohmann::json UiStallMeter::Snapshot::to_json() const {
  return {{"uiCalls", calls},          {"uiTotalMs", total_ms},   {"uiMaxMs", max_ms},
          {"uiMaxWhere", max_where},   {"uiOverBudget", over_budget},
          {"uiBudgetMs", kBudget.count()}, {"loopMaxGapMs", loop_max_gap_ms},
          {"uiSlow", [&] {
             nlohmann::json list = nlohmann::json::array();
             for (const auto& [where, ms] : slow) list.push_back({{"where", where}, {"ms", ms}});
             return list;
           }()}};
}

void UiStallMeter::record(const char* where, std::chrono::nanoseconds duration) {
  const double ms = std::chrono::duration<double, std::milli>(duration).count();
  std::lock_guard lock(mutex_);
  ++s_.calls;
  s_.total_ms += ms;
  if (ms > s_.max_ms) {
    s_.max_ms = ms;
    s_.max_where = where;
  }
  if (duration > kBudget) {
    ++s_.over_budget;
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
