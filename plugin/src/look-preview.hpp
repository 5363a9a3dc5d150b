// look-preview.hpp — the dock's preview: one frame of what the chosen input and
// look would make, rendered by the local engine (mv::render_preview) on the job
// manager's helper thread, never on the UI thread. No Qt here (tested without OBS).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mv/base/progress.hpp"
#include "mv/jobs/job-spec.hpp"

namespace mvplugin {

/// A preview frame as packed 8-bit R'G'B', or why there is none.
struct PreviewPicture {
  int width = 0, height = 0;        ///< pixels
  std::vector<std::uint8_t> rgb;    ///< width × height × 3 bytes; empty on error
  double at_s = 0.0;                ///< where in the input the frame is, s
  std::string error;                ///< a plain message when `rgb` is empty
};

/// The frame `spec` would show 40 % into its input (at most 60 s in, where the
/// song has usually arrived), at `width` pixels wide and the spec's aspect,
/// drawn by the local engine whatever the spec's backend. Takes ~0.2–0.8 s (it
/// analyses the 8 s around the frame). Never throws: errors (no input, a file
/// that is not media, cancelled) come back in `error`.
PreviewPicture render_look_preview(const mv::JobSpec& spec, int width, const mv::CancelToken* cancel);

}  // namespace mvplugin
