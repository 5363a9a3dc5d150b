// progress.cpp — stage names for progress output and the cancellation check
// shared by all long-running core jobs (see mv/base/progress.hpp).
#include "mv/base/progress.hpp"

#include "mv/base/error.hpp"

namespace mv {

const std::vector<Stage>& all_stages() {
  static const std::vector<Stage> kStages = {Stage::Prepare, Stage::Probe,   Stage::Analyze,  Stage::Plan,
                                             Stage::Render,  Stage::Finalize, Stage::Session, Stage::Upload,
                                             Stage::Generate, Stage::Download, Stage::Done};
  return kStages;
}

const char* stage_name(Stage stage) {
  switch (stage) {
    case Stage::Prepare: return "prepare";
    case Stage::Probe: return "probe";
    case Stage::Analyze: return "analyze";
    case Stage::Plan: return "plan";
    case Stage::Render: return "render";
    case Stage::Finalize: return "finalize";
    case Stage::Session: return "session";
    case Stage::Upload: return "upload";
    case Stage::Generate: return "generate";
    case Stage::Download: return "download";
    case Stage::Done: return "done";
  }
  return "unknown";
}

std::optional<Stage> stage_from_name(std::string_view id) {
  for (Stage s : all_stages()) {
    if (id == stage_name(s)) return s;
  }
  return std::nullopt;
}

void CancelToken::throw_if_requested() const {
  if (requested()) throw Error(ErrorCode::Cancelled, "cancelled");
}

}  // namespace mv
