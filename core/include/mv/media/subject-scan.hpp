// subject-scan.hpp — where the subject of a video is over time, for reframing
// a landscape recording into a vertical or square frame (--fit follow): the
// region of motion, sampled a few times a second at low resolution.
#pragma once

#include <filesystem>
#include <vector>

#include "mv/base/progress.hpp"

namespace mv {

/// Where the subject is at one moment of a video.
struct SubjectSample {
  double time_s = 0.0;  ///< from the start of the scanned stretch
  double x = 0.5;       ///< its centre, as a fraction of the picture's width (0 left, 1 right)
  double y = 0.5;       ///< and of its height (0 top)
  /// How sure: the share of the picture that moves (0: nothing moved, the
  /// sample says nothing; x and y are then the previous sample's).
  double weight = 0.0;
};

/// Scans [start_s, start_s + duration_s) of a video every `step_s` seconds:
/// each sample compares the picture with the one `step_s` / 2 before it, at 192
/// pixels wide (luma), and takes the centroid of the pixels whose brightness
/// changed by more than 12 code values, each weighted by its change (the
/// moving region: a performer's hands and face, a player's character). The
/// whole video is decoded in the stretch (about 0.1 s per second of 1080p30).
/// Errors: VisualSource::open's; Error{Cancelled}.
std::vector<SubjectSample> scan_subject(const std::filesystem::path& path, double start_s, double duration_s,
                                        double step_s = 0.25, const CancelToken* cancel = nullptr);

}  // namespace mv
