// shot-picker.hpp — which moments of a clip a montage shows: the liveliest,
// never black, frozen or near-static, each used once, spread over the clip.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "mv/base/progress.hpp"
#include "mv/media/clip-scan.hpp"

namespace mv {

/// A dead second (black, frozen or near-static): never shown when avoidable.
inline constexpr double kDeadSecond = -1.0;

/// Liveliness of each whole second of a clip, 0..1, or kDeadSecond. Motion is
/// the second's video bytes against the clip's 75th percentile (an encoder
/// spends almost nothing on a still picture), change the difference between
/// the key frames around it (the smaller of the change into the next key frame
/// and from the one before: a still card just before a cut does not count as
/// moving), loudness its sound between the clip's 10th and
/// 90th percentiles: 0.45 · motion + 0.35 · change + 0.2 · loudness. Dead: the
/// key frame is black (Y' < 24 with almost no detail), or the picture does not
/// change between its key frames (< 0.8 code values at 64×36) while motion is
/// under 30 % of the reference. Near-static (the key frames differ by under 2
/// code values, however many bytes the encoder spent: a still scene with
/// sensor noise) scores at most 0.1.
std::vector<double> liveliness(const ClipActivity& activity);

/// Seconds of a clip (liveliness() scores) that a montage shows by choice:
/// alive, not near-static (a dark "starting soon" card with a ticking clock,
/// a still scene with sensor noise) — a score of at least 0.12 and at least
/// half the clip's 90th percentile of living seconds.
std::vector<bool> lively_seconds(const std::vector<double>& live);

/// Where one shot of a clip comes from.
struct ShotPick {
  double in_s = 0.0;    ///< where in the clip it starts, s
  double speed = 1.0;   ///< playback speed: 0.5 for a lively moment shown again in slow motion
  double zoom = 1.0;    ///< a tighter crop (the centre): 1.25 for a moment shown again
  bool reused = false;  ///< a lively moment already shown, shown again (slower, closer)
  bool dull = false;    ///< no lively footage was left: a dull (but never dead) stretch
};

/// The shots of `durations` (s, in the order shown) from one clip of `clip_s`
/// seconds with per-second `live` scores. The clip is cut into as many equal
/// zones as shots; each shot takes, in this order of preference, (1) the free
/// window of its zone with the highest mean score whose seconds are all lively
/// (lively_seconds()), (2) such a window anywhere, (3) a lively moment again —
/// half the shot's length of it, played at half speed and 25 % closer,
/// preferring the moments shown least —, (4) the best free window with no
/// dead second, (5) the free window with the fewest dead seconds; searched
/// every 0.5 s, no two first showings overlapping. So dull footage is shown
/// only when the lively footage, even twice, cannot fill the shots. Empty when
/// the shots do not fit into the clip. `note` (may be null) gets one line
/// when shots were reused or dull ("" otherwise).
std::vector<ShotPick> pick_shots(const std::vector<double>& live, double clip_s, const std::vector<double>& durations,
                                 std::string* note = nullptr);

/// Where a photo's detail is, for a Ken Burns move toward it: the photo as
/// it covers a `width` × `height` frame, seen at 96 pixels wide; the centre of
/// the window of a third of its width and height with the most luma gradient
/// (|∂x| + |∂y|, summed with an integral image), as fractions of the frame
/// (0.5, 0.5 = the centre). The centre when no window stands out (under 1.25×
/// the mean window) or the file is not a still picture.
std::pair<double, double> detail_focus(const std::filesystem::path& photo, int width, int height);

/// scan_clip() of `path`, remembered for the process by path, size and
/// modification time (previews and renders of the same clips scan once).
/// Thread-safe. Errors: as scan_clip().
const ClipActivity& scanned_clip(const std::filesystem::path& path, const CancelToken* cancel = nullptr);

}  // namespace mv
