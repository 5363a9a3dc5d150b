// background-montage.cpp — montage of the user's clips and photos following the
// planned Video track: each segment shows its source (stills with a Ken Burns
// move, clips playing on), hard cuts on beats and a crossfade where the
// segment's effect is "crossfade" (section changes).
#include <algorithm>
#include <cmath>
#include <map>

#include "mv/base/error.hpp"
#include "layers.hpp"
#include "mv/media/visual-source.hpp"

namespace mv {

namespace {

constexpr double kCrossfadeS = 0.5;

class MontageBackground : public Layer {
 public:
  MontageBackground(int width, int height, const Track& track)
      : width_(width), height_(height), segments_(track.segments), scratch_(width, height) {
    if (segments_.empty()) throw Error(ErrorCode::Usage, "montage needs at least one clip or photo (--clips)");
  }

  void draw(Canvas& canvas, const FrameInfo& f) override {
    const auto ms = static_cast<std::int64_t>(std::llround(f.time_s * 1000.0));
    while (current_ + 1 < segments_.size() && segments_[current_ + 1].start_ms <= ms) ++current_;
    const Segment& seg = segments_[current_];
    draw_segment(canvas, seg, f.time_s);
    const double into = f.time_s - static_cast<double>(seg.start_ms) / 1000.0;
    // Crossfade from the previous shot, unless it is the same source (a clip
    // cannot be shown at two times at once: that is a hard cut).
    if (seg.effect == "crossfade" && current_ > 0 && into < kCrossfadeS &&
        segments_[current_ - 1].source != seg.source) {
      const Segment& prev = segments_[current_ - 1];
      draw_segment(scratch_, prev, f.time_s);
      canvas.blend_from(scratch_, 1.0 - into / kCrossfadeS);
    }
    evict();
  }

 private:
  VisualSource& source(const std::string& path) {
    auto it = open_.find(path);
    if (it == open_.end()) it = open_.emplace(path, VisualSource::open(path, width_, height_)).first;
    return *it->second;
  }

  void draw_segment(Canvas& dst, const Segment& seg, double time_s) {
    const double shot_s = std::max(0.04, static_cast<double>(seg.duration_ms) / 1000.0);
    const double t = std::clamp(time_s - static_cast<double>(seg.start_ms) / 1000.0, 0.0, shot_s + kCrossfadeS);
    const int move = seg.extra.contains("move") ? seg.extra["move"].get<int>() : 0;
    source(seg.source).draw(dst, std::min(t, shot_s), shot_s, move);
  }

  /// Keeps open only the stills of the previous, current and next segment
  /// (videos stay open so a clip used again continues where it stopped).
  void evict() {
    for (auto it = open_.begin(); it != open_.end();) {
      bool needed = !it->second->is_still();
      for (std::size_t i = current_ == 0 ? 0 : current_ - 1; i <= std::min(current_ + 1, segments_.size() - 1); ++i) {
        needed = needed || segments_[i].source == it->first;
      }
      it = needed ? std::next(it) : open_.erase(it);
    }
  }

  int width_, height_;
  std::vector<Segment> segments_;
  std::size_t current_ = 0;
  Canvas scratch_;
  std::map<std::string, std::unique_ptr<VisualSource>> open_;
};

}  // namespace

std::unique_ptr<Layer> make_montage_background(int width, int height, const Track& video_track) {
  return std::make_unique<MontageBackground>(width, height, video_track);
}

}  // namespace mv
