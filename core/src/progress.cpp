// progress.cpp — stage names for progress output, the cancellation check and the error-code ids
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

const char* error_code_id(ErrorCode code) {
  switch (code) {
    case ErrorCode::Usage: return "usage";
    case ErrorCode::InputMissing: return "input_missing";
    case ErrorCode::InputInvalid: return "input_invalid";
    case ErrorCode::Output: return "output";
    case ErrorCode::Media: return "media";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Internal: return "internal";
  }
  return "internal";
}

}  // namespace mv
