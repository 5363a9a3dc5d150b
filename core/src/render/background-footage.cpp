// background-footage.cpp — the input's own pictures (a recording, a replay, a
// clip) in sync with its own sound: each video frame shows the input's picture
// at the song's time (an excerpt starts the picture at the excerpt's start),
// punched (zoomed into the centre) on beats and harder on downbeats. Also the
// strip visualizer drawn over footage: a thin spectrum along the bottom edge.
// A streamer's facecam layout in a vertical frame is stacked: the webcam box
// on top, the gameplay under it, each filling its panel.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "layers.hpp"
#include "mv/base/error.hpp"
#include "mv/media/visual-source.hpp"

namespace mv {

namespace {

class FootageBackground : public Layer {
 public:
  FootageBackground(int width, int height, const Track& track, double punch, int letterbox_px, const std::string& fit,
                    Reframe reframe, int fps)
      : punch_(punch), focus_(std::move(reframe.path)), fps_(fps) {
    if (track.segments.empty() || track.segments.front().source.empty()) {
      throw Error(ErrorCode::Usage, "the footage needs a video input");
    }
    const Segment& first = track.segments.front();
    const double start_s = first.extra.contains("start_s") ? first.extra["start_s"].get<double>() : 0.0;
    if (reframe.facecam && fit == "follow") {  // stacked: two panels inside the letterbox
      top_ = letterbox_px & ~1;
      cam_h_ = facecam_panel_height(width, height, letterbox_px);
      const int game_h = std::max(2, (height - 2 * top_ - cam_h_) & ~1);
      cam_ = VisualSource::open(first.source, width, cam_h_, start_s);
      const FacecamBox& b = *reframe.facecam;
      cam_->set_source_box(b.x0, b.y0, b.x1, b.y1);
      cam_canvas_ = Canvas(width, cam_h_);
      game_canvas_ = Canvas(width, game_h);
      video_ = VisualSource::open(first.source, width, game_h, start_s);
      if (video_->is_still()) throw Error(ErrorCode::Usage, first.source + " has no moving picture to use as footage");
      return;
    }
    video_ = VisualSource::open(first.source, width, height, start_s);
    if (video_->is_still()) throw Error(ErrorCode::Usage, first.source + " has no moving picture to use as footage");
    if (letterbox_px > 0) video_->set_rows(letterbox_px, height - letterbox_px);
    if (fit == "blur") video_->set_fit(VisualSource::Fit::Blur);
    if (fit == "letterbox") video_->set_fit(VisualSource::Fit::Contain);
  }

  void draw(Canvas& canvas, const FrameInfo& f) override {
    if (!focus_.empty()) {
      const auto k = static_cast<std::size_t>(std::clamp<long long>(std::llround(f.time_s * fps_), 0, static_cast<long long>(focus_.size()) - 1));
      video_->set_focus(focus_[k], 0.5);
    }
    video_->set_zoom(1.0 + punch_amount(f, punch_));
    if (cam_) {  // the webcam keeps still (no punch); the gameplay punches on the beat
      cam_->draw(cam_canvas_, f.time_s, 0.0, 0);
      video_->draw(game_canvas_, f.time_s, 0.0, 0);
      canvas.paste_rows(cam_canvas_, top_);
      canvas.paste_rows(game_canvas_, top_ + cam_h_);
      canvas.blend_rect(0, top_ + cam_h_ - 2, canvas.width(), 4, Rgb{0, 0, 0}, 0.85);  // the seam
      return;
    }
    video_->draw(canvas, f.time_s, 0.0, 0);
  }

 private:
  double punch_;
  std::vector<double> focus_;  // the crop's centre per frame (fit "follow"), fractions of the source width
  int fps_;
  std::unique_ptr<VisualSource> video_;
  // Stacked facecam layout (else unused): the webcam panel, rows [top_, top_ + cam_h_), and the gameplay under it.
  std::unique_ptr<VisualSource> cam_;
  Canvas cam_canvas_, game_canvas_;
  int top_ = 0, cam_h_ = 0;
};

}  // namespace

double punch_amount(const FrameInfo& f, double strength) {
  // Every downbeat; every beat as well in the loud sections (the chorus, the
  // drop), fading in from 70 % to 90 % of the loudest section's energy, so the
  // verses breathe and the chorus hits.
  const double on_beats = std::clamp((f.section_energy - 0.7) / 0.2, 0.0, 1.0);
  // Each punch decays exponentially and lands on 0 at a set time (the decay
  // less its value then, rescaled to start at 1): the same attack, but no long
  // sub-percent tail that moves the picture by a pixel or two per frame, costs
  // a rescale of every frame and keeps still areas from staying still.
  const auto decay = [](double age_s, double tau_s, double end_s) {
    if (age_s >= end_s) return 0.0;
    const double floor = std::exp(-end_s / tau_s);
    return (std::exp(-age_s / tau_s) - floor) / (1.0 - floor);
  };
  const double punch = 0.035 * on_beats * decay(f.beat_age_s, 0.09, 0.2) + 0.05 * decay(f.downbeat_age_s, 0.14, 0.35);
  const double amount = punch * strength * std::min(1.5, f.intensity);
  // Below 0.2 % (2 pixels at 1080p) the picture is shown as it is: no rescale,
  // and still areas stay still for the encoder.
  return amount < 0.002 ? 0.0 : amount;
}

namespace {

/// A low band along the bottom: darkened (so the bars read over any picture),
/// one thin bar per band rising with its level, brighter on beats.
class StripLayer : public Layer {
 public:
  explicit StripLayer(const Palette& palette) : palette_(palette) {}

  void draw(Canvas& canvas, const FrameInfo& f) override {
    const int w = canvas.width(), h = canvas.height();
    const int band_h = std::max(8, h / 9);
    const int margin = std::max(2, h / 60);
    const int base_y = h - margin;
    const int max_bar = band_h - margin - 2;  // pixels
    canvas.blend_rect(0, h - band_h, w, band_h, Rgb{0, 0, 0}, 0.32);
    const double slot = static_cast<double>(w) / kBandCount;
    const int bar_w = std::max(1, static_cast<int>(slot * 0.55));
    const double glow = std::exp(-f.beat_age_s / 0.1);
    for (int b = 0; b < kBandCount; ++b) {
      const double level = soft_ceiling(f.bands[static_cast<std::size_t>(b)] * f.intensity);
      const int bh = std::max(1, static_cast<int>(level * max_bar));
      const int x = static_cast<int>(b * slot + (slot - bar_w) / 2);
      const Rgb c = mix(mix(palette_.primary, palette_.accent, static_cast<double>(b) / kBandCount), palette_.highlight, 0.5 * glow);
      canvas.blend_rect(x, base_y - bh, bar_w, bh, c, 0.75);
    }
  }

 private:
  Palette palette_;
};

}  // namespace

std::unique_ptr<Layer> make_footage_background(int width, int height, const Track& video_track, double punch,
                                               int letterbox_px, const std::string& fit, Reframe reframe,
                                               int fps) {
  return std::make_unique<FootageBackground>(width, height, video_track, punch, letterbox_px, fit, std::move(reframe), fps);
}

std::unique_ptr<Layer> make_strip_layer(const Palette& palette, int /*width*/, int /*height*/) {
  return std::make_unique<StripLayer>(palette);
}

}  // namespace mv
