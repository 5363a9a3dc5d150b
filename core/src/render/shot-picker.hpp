// shot-picker.hpp — which moments of a clip a montage shows: the liveliest,
// never black, frozen or near-static, each used once, spread over the clip.
#pragma once

#include <filesystem>
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
/// the key frames around it, loudness its sound between the clip's 10th and
/// 90th percentiles: 0.45 · motion + 0.35 · change + 0.2 · loudness. Dead: the
/// key frame is black (Y' < 24 with almost no detail), or the picture does not
/// change between its key frames (< 0.8 code values at 64×36) while motion is
/// under 30 % of the reference.
std::vector<double> liveliness(const ClipActivity& activity);

/// In-points (s) for shots of `durations` (s, in the order they are shown) on
/// one clip of `clip_s` seconds with per-second `live` scores: the clip is cut
/// into as many equal zones as shots and each shot takes the window of its
/// zone with the highest mean score that holds no dead second and overlaps no
/// other shot (searched every 0.5 s); when its zone has none, the best such
/// window anywhere; when there is none at all, the window with the fewest dead
/// seconds. Empty when the shots do not fit into the clip without overlapping.
std::vector<double> pick_in_points(const std::vector<double>& live, double clip_s, const std::vector<double>& durations);

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
