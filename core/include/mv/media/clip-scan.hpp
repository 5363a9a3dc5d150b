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

/// True for a key frame with nothing to see: near black (mean Y' below 24) and flat
/// (detail below 1.5 code values), as OBS records a scene with no picture in it.
bool is_black(const KeyFrameLook& frame);

/// True when `clip` has key frames and every one is_black(): a recording of a
/// scene whose only source was sound (a song, a mic), whose pictures are empty.
bool all_black(const ClipActivity& clip);

/// Every frame of a clip, seen at 64×36 luma: where its shots change.
struct CutScan {
  double duration_s = 0.0;          ///< of the video stream, s
  double fps = 0.0;                 ///< frames per second (from the frame times)
  std::vector<double> frame_times;  ///< s from the start of the file, per decoded frame
  /// Per frame: mean absolute difference from the frame before, code values (0 for the first).
  std::vector<double> change;
  std::vector<double> cuts;         ///< s: the first frame of each new shot (hard cuts), ascending
};

/// Finds a clip's scene cuts: decodes every frame (the loop filter skipped:
/// only a 64×36 thumbnail is needed), compares each frame's thumbnail with the
/// one before, and calls a frame a cut when its change is at least 18 code
/// values and 3× the median change of the 30 frames around it (so motion and
/// camera pans, which change every frame a little, are not cuts; the median
/// threshold is the usual adaptive one of shot-boundary detection, e.g.
/// Hanjalic, "Shot-boundary detection: unraveled and resolved?", IEEE TCSVT 2002).
/// Cuts closer than 0.25 s to the one before are dropped (flashes, fades).
/// Errors: as probe_media; Error{InputInvalid} without moving pictures; Error{Cancelled}.
CutScan scan_cuts(const std::filesystem::path& path, const CancelToken* cancel = nullptr);

}  // namespace mv
