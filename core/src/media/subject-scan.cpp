// subject-scan.cpp — see subject-scan.hpp. Frame differencing for the region
// of motion, the classic fallback of automatic reframing when no face is found
// (Google's AutoFlip falls back to motion and saliency signals in the same way).
#include "mv/media/subject-scan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "mv/media/canvas.hpp"
#include "mv/media/media.hpp"
#include "mv/media/visual-source.hpp"

namespace mv {

std::vector<SubjectSample> scan_subject(const std::filesystem::path& path, double start_s, double duration_s,
                                        double step_s, const CancelToken* cancel) {
  constexpr int kWidth = 192;
  constexpr int kThreshold = 12;  // code values of luma change that count as motion
  const MediaInfo info = probe_media(path);
  const double aspect = info.width > 0 && info.height > 0 ? static_cast<double>(info.height) / info.width : 9.0 / 16.0;
  const int h = std::max(2, static_cast<int>(std::lround(kWidth * aspect)) & ~1);
  auto video = VisualSource::open(path, kWidth, h, start_s);
  Canvas before(kWidth, h), now(kWidth, h);
  std::vector<SubjectSample> out;
  SubjectSample last;
  for (int i = 1; i * step_s <= duration_s + 1e-9; ++i) {
    if (cancel != nullptr) cancel->throw_if_requested();
    const double t = i * step_s;
    video->draw(before, t - step_s / 2.0, 0.0, 0);
    video->draw(now, t, 0.0, 0);
    double sum = 0.0, sx = 0.0, sy = 0.0;
    for (int y = 0; y < h; ++y) {
      const std::uint8_t* a = before.y() + static_cast<std::ptrdiff_t>(y) * before.y_stride();
      const std::uint8_t* b = now.y() + static_cast<std::ptrdiff_t>(y) * now.y_stride();
      for (int x = 0; x < kWidth; ++x) {
        const int d = std::abs(int(a[x]) - int(b[x]));
        if (d <= kThreshold) continue;
        sum += d;
        sx += static_cast<double>(d) * (x + 0.5);
        sy += static_cast<double>(d) * (y + 0.5);
      }
    }
    SubjectSample s = last;
    s.time_s = t;
    s.weight = sum / (255.0 * kWidth * h);
    if (sum > 0.0) {
      s.x = sx / sum / kWidth;
      s.y = sy / sum / h;
    }
    out.push_back(s);
    last = s;
  }
  return out;
}

}  // namespace mv
