// subject-scan.cpp — see subject-scan.hpp. Faces first, then frame
// differencing for the region of motion, the classic fallback of automatic
// reframing when no face is found (Google's AutoFlip ranks face detections
// above motion and saliency signals in the same way).
#include "mv/media/subject-scan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "mv/media/canvas.hpp"
#include "mv/media/media.hpp"
#include "mv/media/visual-source.hpp"
#include "face-finder.hpp"

namespace mv {

namespace {

/// The mean of each 2×2 block of `src`'s luma into `dst` (half its width and height).
void halve_luma(const Canvas& src, std::vector<std::uint8_t>& dst, int w, int h) {
  dst.resize(static_cast<std::size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* r0 = src.y() + static_cast<std::ptrdiff_t>(2 * y) * src.y_stride();
    const std::uint8_t* r1 = r0 + src.y_stride();
    std::uint8_t* out = dst.data() + static_cast<std::ptrdiff_t>(y) * w;
    for (int x = 0; x < w; ++x) out[x] = static_cast<std::uint8_t>((r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1] + 2) / 4);
  }
}

/// The region of motion between two luma pictures (w × h, packed): the
/// centroid of the pixels that changed by more than `threshold`, each weighted
/// by its change, into `s` (x, y; weight = the changed share of 255 · pixels).
void measure_motion(const std::vector<std::uint8_t>& before, const std::vector<std::uint8_t>& now, int w, int h,
                    int threshold, SubjectSample& s) {
  double sum = 0.0, sx = 0.0, sy = 0.0;
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* a = before.data() + static_cast<std::ptrdiff_t>(y) * w;
    const std::uint8_t* b = now.data() + static_cast<std::ptrdiff_t>(y) * w;
    for (int x = 0; x < w; ++x) {
      const int d = std::abs(int(a[x]) - int(b[x]));
      if (d <= threshold) continue;
      sum += d;
      sx += static_cast<double>(d) * (x + 0.5);
      sy += static_cast<double>(d) * (y + 0.5);
    }
  }
  s.weight = sum / (255.0 * w * h);
  if (sum > 0.0) {
    s.x = sx / sum / w;
    s.y = sy / sum / h;
  }
}

/// Puts the followed face into the samples (`found`: each sample's faces in
/// pixels of a scan_w × scan_h picture, surest first): a face counts when a
/// neighbouring sample sees the same one; the face followed so far stays the
/// subject while it is found, else the surest; a face lost for under
/// `hold_s` is held.
void follow_faces(std::vector<SubjectSample>& out, const std::vector<std::vector<FaceBox>>& found, double scan_w,
                  double scan_h, double hold_s) {
  // The same face: centres within a tenth of the width, sizes within 1.5×.
  auto same = [&](const FaceBox& f, const FaceBox& g) {
    const double ratio = static_cast<double>(g.height) / std::max(1, f.height);
    return std::fabs((g.x + g.width / 2.0 - f.x - f.width / 2.0) / scan_w) < 0.1 && ratio < 1.5 && ratio > 1 / 1.5;
  };
  auto confirmed = [&](std::size_t i, const FaceBox& f) {
    for (const std::size_t j : {i - 1, i + 1}) {
      if (j >= found.size()) continue;  // i - 1 wraps to a huge index at i = 0
      if (std::any_of(found[j].begin(), found[j].end(), [&](const FaceBox& g) { return same(f, g); })) return true;
    }
    return false;
  };
  double face_seen_at = -1e9;
  SubjectSample held;
  FaceBox followed;  // the face chosen last
  for (std::size_t i = 0; i < out.size() && i < found.size(); ++i) {
    // Tracking by detection: the followed face is a steadier subject than each sample's surest.
    const FaceBox* best = nullptr;
    const bool following = out[i].time_s - face_seen_at <= hold_s;
    for (const auto& f : found[i]) {
      if (!confirmed(i, f)) continue;
      if (following && same(followed, f)) {
        best = &f;
        break;
      }
      if (best == nullptr) best = &f;  // surest first
    }
    if (best != nullptr) {
      followed = *best;
      out[i].x = (best->x + best->width / 2.0) / scan_w;
      out[i].y = (best->y + best->height / 2.0) / scan_h;
      out[i].face = true;
      out[i].face_height = best->height / scan_h;
      face_seen_at = out[i].time_s;
      held = out[i];
    } else if (following) {
      out[i].x = held.x;  // the face turned away for a moment: stay on it
      out[i].y = held.y;
      out[i].face = true;
      out[i].face_height = held.face_height;
    }
  }
}

}  // namespace

std::vector<SubjectSample> scan_subject(const std::filesystem::path& path, double start_s, double duration_s,
                                        double step_s, const CancelToken* cancel) {
  constexpr int kScanWidth = 384;         // decoded width: faces of 10 % height are 21+ px tall here
  constexpr int kWidth = kScanWidth / 2;  // motion is measured at half that
  constexpr int kThreshold = 12;          // code values of luma change that count as motion
  constexpr double kMinFace = 0.10;       // of the picture's height
  constexpr double kFaceHoldS = 1.0;
  const MediaInfo info = probe_media(path);
  const double aspect = info.width > 0 && info.height > 0 ? static_cast<double>(info.height) / info.width : 9.0 / 16.0;
  const int h = std::max(2, static_cast<int>(std::lround(kWidth * aspect)) & ~1);
  auto video = VisualSource::open(path, kScanWidth, 2 * h, start_s);
  auto faces = FaceFinder::open();
  Canvas before_full(kScanWidth, 2 * h), now_full(kScanWidth, 2 * h);
  std::vector<std::uint8_t> before, now;
  std::vector<SubjectSample> out;
  std::vector<std::vector<FaceBox>> found;  // per sample, in scan pixels
  SubjectSample last;
  for (int i = 1; i * step_s <= duration_s + 1e-9; ++i) {
    if (cancel != nullptr) cancel->throw_if_requested();
    const double t = i * step_s;
    video->draw(before_full, t - step_s / 2.0, 0.0, 0);
    video->draw(now_full, t, 0.0, 0);
    halve_luma(before_full, before, kWidth, h);
    halve_luma(now_full, now, kWidth, h);
    SubjectSample s = last;  // a still sample keeps the previous place
    s.time_s = t;
    s.face = false;
    s.face_height = 0.0;
    measure_motion(before, now, kWidth, h, kThreshold, s);
    found.push_back(faces ? faces->find(now_full.y(), kScanWidth, 2 * h, now_full.y_stride(),
                                        static_cast<int>(std::ceil(kMinFace * 2 * h)))
                          : std::vector<FaceBox>{});
    out.push_back(s);
    last = s;
  }
  follow_faces(out, found, kScanWidth, 2.0 * h, kFaceHoldS);
  return out;
}

}  // namespace mv
