// background-montage.cpp — montage of the user's clips and photos following the
// planned Video track: each segment shows its source (stills with a Ken Burns
// move, clips playing on), hard cuts on beats and a crossfade where the
// segment's effect is "crossfade" (section changes). A shot of a longer clip
// starts at the moment the planner picked for it ("in_s", shot-picker.hpp); a
// moment shown again plays at its "speed" and "zoom".
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
    draw_segment(canvas, current_, f.time_s);
    const double into = f.time_s - static_cast<double>(seg.start_ms) / 1000.0;
    // Crossfade from the previous shot, unless it is the same clip playing on
    // (it cannot be shown at two times at once: that is a hard cut).
    if (seg.effect == "crossfade" && current_ > 0 && into < kCrossfadeS &&
        (segments_[current_ - 1].source != seg.source || seg.extra.contains("in_s"))) {
      draw_segment(scratch_, current_ - 1, f.time_s);
      canvas.blend_from(scratch_, 1.0 - into / kCrossfadeS);
    }
    evict();
  }

 private:
  /// A shot with an in-point ("in_s": the planner picked a moment of a longer
  /// clip) gets its own source opened there, kept by segment index; the
  /// others share one source per file.
  VisualSource& source(std::size_t index) {
    const Segment& seg = segments_[index];
    if (seg.extra.contains("in_s")) {
      auto it = shots_.find(index);
      if (it == shots_.end()) {
        it = shots_.emplace(index, VisualSource::open(seg.source, width_, height_, seg.extra["in_s"].get<double>())).first;
      }
      return *it->second;
    }
    auto it = open_.find(seg.source);
    if (it == open_.end()) it = open_.emplace(seg.source, VisualSource::open(seg.source, width_, height_)).first;
    return *it->second;
  }

  void draw_segment(Canvas& dst, std::size_t index, double time_s) {
    const Segment& seg = segments_[index];
    const double shot_s = std::max(0.04, static_cast<double>(seg.duration_ms) / 1000.0);
    const double t = std::clamp(time_s - static_cast<double>(seg.start_ms) / 1000.0, 0.0, shot_s + kCrossfadeS);
    const int move = seg.extra.contains("move") ? seg.extra["move"].get<int>() : 0;
    VisualSource& src = source(index);
    if (seg.extra.contains("focus_x")) src.set_focus(seg.extra["focus_x"].get<double>(), seg.extra.value("focus_y", 0.5));
    // A moment shown again (shot-picker.hpp): slower and closer.
    const double speed = seg.extra.value("speed", 1.0);
    src.set_zoom(seg.extra.value("zoom", 1.0));
    src.draw(dst, std::min(t, shot_s) * speed, shot_s * speed, move);
  }

  /// Keeps open only the stills and shots of the previous, current and next
  /// segment (clips without in-points stay open: used again, they continue
  /// where they stopped).
  void evict() {
    const std::size_t first = current_ == 0 ? 0 : current_ - 1, last = std::min(current_ + 1, segments_.size() - 1);
    for (auto it = open_.begin(); it != open_.end();) {
      bool needed = !it->second->is_still();
      for (std::size_t i = first; i <= last; ++i) needed = needed || segments_[i].source == it->first;
      it = needed ? std::next(it) : open_.erase(it);
    }
    for (auto it = shots_.begin(); it != shots_.end();) it = it->first >= first && it->first <= last ? std::next(it) : shots_.erase(it);
  }

  int width_, height_;
  std::vector<Segment> segments_;
  std::size_t current_ = 0;
  Canvas scratch_;
  std::map<std::string, std::unique_ptr<VisualSource>> open_;
  std::map<std::size_t, std::unique_ptr<VisualSource>> shots_;  ///< by segment index
};

}  // namespace

std::unique_ptr<Layer> make_montage_background(int width, int height, const Track& video_track) {
  return std::make_unique<MontageBackground>(width, height, video_track);
}

}  // namespace mv
