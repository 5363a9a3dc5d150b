// subject-scan.hpp — where the subject of a video is over time, for reframing
// a landscape recording into a vertical or square frame (--fit follow): a
// performer's face where one is found, else the region of motion, sampled a
// few times a second at low resolution.
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
  /// x and y are a face's centre (a face found here, or one seen under 1 s
  /// ago and not replaced by motion elsewhere): the subject for certain.
  bool face = false;
  double face_height = 0.0;  ///< the face's height as a fraction of the picture's (0 without)
};

/// Scans [start_s, start_s + duration_s) of a video every `step_s` seconds,
/// decoding it at 384 pixels wide (luma):
///  - faces: frontal faces (OpenCV's Haar cascade, media/face-finder.hpp) at
///    least 10 % of the picture's height — a performer on camera, a singer, an
///    IRL streamer; a face counts when a neighbouring sample also sees it
///    within a tenth of the width at about its size (a lone detection is taken
///    for a false face); the face followed so far stays the subject while it is
///    found, else the surest one; it is held for up to 1 s while the face turns away;
///  - else motion: the picture is compared, at 192 pixels wide, with the one
///    `step_s` / 2 before it, and the centroid of the pixels whose brightness
///    changed by more than 12 code values, each weighted by its change, is the
///    subject (the moving region: a player's character, hands on an instrument).
/// Without OpenCV's cascade files, motion alone. The whole video is decoded in
/// the stretch (about 0.1 s per second of 1080p30) and the cascade costs about
/// 10 ms a sample. Errors: VisualSource::open's; Error{Cancelled}.
std::vector<SubjectSample> scan_subject(const std::filesystem::path& path, double start_s, double duration_s,
                                        double step_s = 0.25, const CancelToken* cancel = nullptr);

}  // namespace mv
