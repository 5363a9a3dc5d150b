// clip-scan.hpp — a quick look through a clip or recording for where it is
// alive: motion (the video's bytes per second: a still or frozen picture costs
// an encoder almost nothing, motion and detail cost a lot), pictures at its key
// frames (black, detail, change from the key frame before), and the loudness
// of its own sound. Only key frames are decoded, at 64×36, so a 10-minute
// 1080p recording scans in seconds (bench: `mvgen bench`).
#pragma once

#include <filesystem>
#include <vector>

#include "mv/base/progress.hpp"

namespace mv {

/// One key frame's picture, seen at 64×36 luma.
struct KeyFrameLook {
  double time_s = 0.0;  ///< from the start of the file
  double luma = 0.0;    ///< mean Y', 16 (black) … 235 (white)
  double detail = 0.0;  ///< mean absolute difference of neighbouring pixels, code values
  double change = 0.0;  ///< mean absolute difference from the key frame before, code values (0 for the first)
};

/// What scan_clip() found, per whole second of the file.
struct ClipActivity {
  double duration_s = 0.0;
  std::vector<double> video_bytes;  ///< bytes of video packets whose time falls in second i
  std::vector<double> loudness_db;  ///< RMS of the sound in second i, dBFS (−100 silent); empty without sound
  std::vector<KeyFrameLook> key_frames;
};

/// Scans a video file: demuxes every video packet (sizes and times), decodes
/// the key frames only (AVDISCARD_NONKEY) scaled to 64×36 luma, and decodes
/// its sound (mono, 8 kHz) for the loudness.
/// Errors: Error{InputMissing}/Error{InputInvalid} as probe_media; Error{Cancelled}.
ClipActivity scan_clip(const std::filesystem::path& path, const CancelToken* cancel = nullptr);

}  // namespace mv
