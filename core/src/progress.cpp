// progress.cpp — stage names for progress output and the cancellation check
// shared by all long-running core jobs (see mv/progress.hpp).
#include "mv/progress.hpp"

#include "mv/error.hpp"

namespace mv {

const char* stage_name(Stage stage) {
  switch (stage) {
    case Stage::Probe: return "probe";
    case Stage::Analyze: return "analyze";
    case Stage::Plan: return "plan";
    case Stage::Render: return "render";
    case Stage::Finalize: return "finalize";
  }
  return "unknown";
}

void CancelToken::throw_if_requested() const {
  if (requested()) throw Error(ErrorCode::Cancelled, "cancelled");
}

}  // namespace mv
