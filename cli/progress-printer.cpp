// progress-printer.cpp — see progress-printer.hpp.
#include "progress-printer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mvcli {

double overall_fraction(mv::Stage stage, double fraction) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  switch (stage) {
    case mv::Stage::Probe: return 0.01 * fraction;
    case mv::Stage::Analyze: return 0.01 + 0.06 * fraction;
    case mv::Stage::Plan: return 0.07 + 0.01 * fraction;
    case mv::Stage::Render: return 0.08 + 0.90 * fraction;
    case mv::Stage::Finalize: return 0.98 + 0.02 * fraction;
    case mv::Stage::Done: return 1.0;
    default: return fraction;  // cloud stages and prepare: the stage's own fraction
  }
}

ProgressPrinter::ProgressPrinter(bool json, bool quiet)
    : json_(json), quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {}

void ProgressPrinter::update(mv::Stage stage, double fraction) {
  if (quiet_) return;
  if (json_) {
    const int permille = static_cast<int>(std::lround(overall_fraction(stage, fraction) * 1000));
    if (permille / 5 == last_json_permille_ / 5 && stage == last_stage_) return;  // every 0.5 %
    last_json_permille_ = permille;
    last_stage_ = stage;
    json_line({{"stage", mv::stage_name(stage)}, {"progress", permille / 1000.0}});
    return;
  }
  if (!tty_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && stage == last_stage_ && now - last_draw_ < std::chrono::milliseconds(100) && fraction < 1.0) return;
  last_draw_ = now;
  last_stage_ = stage;
  const double p = overall_fraction(stage, fraction);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  char eta[32] = "--:--";
  if (p > 0.02) {
    const auto left = static_cast<long>(elapsed * (1.0 - p) / p);
    std::snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
  }
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(p * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '-');
  std::fprintf(stderr, "\r%-9s [%s] %3d%%  ETA %s ", mv::stage_name(stage), bar.c_str(), static_cast<int>(p * 100), eta);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressPrinter::event(const mv::JobEvent& e) {
  if (quiet_ || e.stage == mv::Stage::Done) return;
  if (e.message.empty()) {
    update(e.stage, e.fraction);
    return;
  }
  if (json_) {
    json_line({{"stage", mv::stage_name(e.stage)}, {"progress", overall_fraction(e.stage, e.fraction)}, {"message", e.message}});
    last_stage_ = e.stage;
    return;
  }
  finish();
  std::fprintf(stderr, "[%s] %s\n", mv::stage_name(e.stage), e.message.c_str());
  last_stage_ = e.stage;
}

void ProgressPrinter::finish() {
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

void ProgressPrinter::json_line(const nlohmann::json& object) const {
  std::fputs((object.dump() + "\n").c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace mvcli
