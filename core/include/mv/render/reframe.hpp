// reframe.hpp — a landscape recording in a vertical or square frame: the
// path of the crop window that follows the subject (--fit follow).
#pragma once

#include <optional>
#include <vector>

#include "mv/media/subject-scan.hpp"

namespace mv {

/// How the crop window moves. Units: fractions of the source picture's width.
struct FollowOptions {
  double max_speed = 0.4;    ///< fastest pan, widths per second (a 1080p source: 770 px/s)
  double max_accel = 1.5;    ///< widths per second², so pans start and stop smoothly
  double dead_zone = 0.2;    ///< the subject may wander this share of the crop's width either side of its centre unfollowed
  double jump = 0.6;         ///< a subject this many crop widths away is a jump: cut, do not pan
  double jump_hold_s = 0.5;  ///< a jump must last this long (a flash of motion is not a jump)
  double min_weight = 0.0003; ///< samples with less motion say nothing (the subject is where it was): about a 20 px wide edge moving a pixel at 192 px
};

/// The crop window's centre for every output frame (`duration_s` × `fps`
/// values, fractions of the source width), for a crop `crop_width` wide (a
/// fraction of the source width, 0 < crop_width ≤ 1; the centre stays within
/// [crop_width/2, 1 − crop_width/2]).
/// The subject's position is the samples' x (those with motion; a median over
/// five samples rejects flicker). The window holds still while the subject
/// stays inside its dead zone; when it leaves it, the window pans to centre it
/// again (or to the picture's edge) with bounded speed and acceleration, then
/// holds; when the subject jumps (further than
/// `jump` crop widths for `jump_hold_s`) cuts to it on the next beat (`beats`,
/// s; at once when none are left). Empty samples give the centre throughout.
/// Method: the camera model of automatic reframing tools (a dead zone and a
/// speed limit, as in Google's AutoFlip "camera motion" stabilisation), ours.
std::vector<double> plan_follow(const std::vector<SubjectSample>& samples, double crop_width,
                                const std::vector<double>& beats, double duration_s, int fps,
                                const FollowOptions& options = {});

/// A webcam overlay in a corner of gameplay (a streamer's facecam), as
/// fractions of the source picture (0,0 top left).
struct FacecamBox {
  double x0 = 0.0, y0 = 0.0, x1 = 0.0, y1 = 0.0;
};

/// Finds a facecam layout: a face in at least 60 % of the samples, small (its
/// median height under 22 % of the picture's: a webcam corner, not a person
/// filling the shot), steady (90 % of its centres within 4 % of the width of
/// their median) and off-centre (its centre in the outer third across, or the
/// outer 30 % down). The box is the webcam picture estimated around the face:
/// 2.8 face heights tall, 16:9 in source pixels (`source_aspect` = width /
/// height), the face a little above its middle, kept inside the picture. None
/// otherwise. Ours (a heuristic: streaming layouts put the webcam in a corner).
std::optional<FacecamBox> find_facecam(const std::vector<SubjectSample>& samples, double source_aspect);

/// The webcam panel's height (pixels, even) in a stacked facecam layout of a
/// `width` × `height` frame with letterbox bars of `letterbox_px`: a 16:9
/// panel across the width, at most 42 % of the picture's height; the gameplay
/// gets the rest.
int facecam_panel_height(int width, int height, int letterbox_px = 0);

/// How footage of another aspect is reframed: the crop path (plan_follow(),
/// empty: centred) and, for a facecam layout in a vertical frame, the webcam
/// box stacked over the gameplay.
struct Reframe {
  std::vector<double> path;
  std::optional<FacecamBox> facecam;
};

}  // namespace mv
