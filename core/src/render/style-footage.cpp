// style-footage.cpp — the input's own pictures (a recording, a replay, a clip)
// in sync with its own sound: each video frame shows the input's picture at the
// song's time (an excerpt starts the picture at the excerpt's start), punched
// (zoomed into the centre) on beats and harder on downbeats, graded with a
// gentle S-curve of contrast and a little more colour, with a spectrum strip
// along the bottom edge over a darkened band and a light flash on downbeats.
#include <algorithm>
#include <array>
#include <cmath>

#include "mv/base/error.hpp"
#include "mv/media/visual-source.hpp"
#include "styles.hpp"

namespace mv {

namespace {

/// Y' (16..235) through a smooth S-curve: contrast +18 % around mid-grey, the
/// ends kept (a "filmic" grade that does not clip highlights).
std::array<std::uint8_t, 256> contrast_curve() {
  std::array<std::uint8_t, 256> lut{};
  for (int v = 0; v < 256; ++v) {
    const double x = std::clamp((v - 16) / 219.0, 0.0, 1.0);
    const double s = x * x * (3.0 - 2.0 * x);            // smoothstep: the S
    const double y = std::clamp(0.55 * x + 0.45 * s, 0.0, 1.0);  // blended back toward linear
    lut[static_cast<std::size_t>(v)] = static_cast<std::uint8_t>(std::lround(16.0 + 219.0 * y));
  }
  return lut;
}

/// Chroma (16..240, neutral 128) scaled by `gain` around neutral: saturation.
std::array<std::uint8_t, 256> saturation_curve(double gain) {
  std::array<std::uint8_t, 256> lut{};
  for (int v = 0; v < 256; ++v) {
    lut[static_cast<std::size_t>(v)] = static_cast<std::uint8_t>(std::clamp(std::lround(128.0 + (v - 128) * gain), 16L, 240L));
  }
  return lut;
}

class FootageStyle : public Style {
 public:
  FootageStyle(const Palette& palette, int width, int height, const Track& track)
      : palette_(palette), luma_(contrast_curve()), chroma_(saturation_curve(1.12)) {
    if (track.segments.empty() || track.segments.front().source.empty()) {
      throw Error(ErrorCode::Usage, "the footage style needs a video input");
    }
    const Segment& first = track.segments.front();
    const double start_s = first.extra.contains("start_s") ? first.extra["start_s"].get<double>() : 0.0;
    video_ = VisualSource::open(first.source, width, height, start_s);
    if (video_->is_still()) throw Error(ErrorCode::Usage, first.source + " has no moving picture for the footage style");
  }

  void draw(Canvas& canvas, const FrameInfo& f) override {
    // The punch: in on the beat, back out within ~0.3 s; a downbeat hits harder.
    const double punch = 0.035 * std::exp(-f.beat_age_s / 0.09) + 0.05 * std::exp(-f.downbeat_age_s / 0.14);
    video_->set_zoom(1.0 + punch * std::min(1.5, f.intensity));
    video_->draw(canvas, f.time_s, 0.0, 0);
    grade(canvas);
    draw_spectrum(canvas, f);
    if (const double flash = downbeat_flash(f); flash > 0) canvas.tint(palette_.highlight, 0.5 * flash);
  }

 private:
  void grade(Canvas& canvas) const {
    std::uint8_t* y = canvas.y();
    const std::size_t ny = static_cast<std::size_t>(canvas.width()) * static_cast<std::size_t>(canvas.height());
    for (std::size_t i = 0; i < ny; ++i) y[i] = luma_[y[i]];
    for (std::uint8_t* plane : {canvas.u(), canvas.v()}) {
      for (std::size_t i = 0; i < ny / 4; ++i) plane[i] = chroma_[plane[i]];
    }
  }

  /// A low band along the bottom: darkened (so the bars read over any picture),
  /// one thin bar per band rising with its level, brighter on beats.
  void draw_spectrum(Canvas& canvas, const FrameInfo& f) const {
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
      const double level = std::min(1.0, f.bands[static_cast<std::size_t>(b)] * f.intensity);
      const int bh = std::max(1, static_cast<int>(level * max_bar));
      const int x = static_cast<int>(b * slot + (slot - bar_w) / 2);
      const Rgb c = mix(mix(palette_.primary, palette_.accent, static_cast<double>(b) / kBandCount), palette_.highlight, 0.5 * glow);
      canvas.blend_rect(x, base_y - bh, bar_w, bh, c, 0.75);
    }
  }

  Palette palette_;
  std::array<std::uint8_t, 256> luma_, chroma_;
  std::unique_ptr<VisualSource> video_;
};

}  // namespace

std::unique_ptr<Style> make_footage_style(const Palette& palette, int width, int height, const Track& video_track) {
  return std::make_unique<FootageStyle>(palette, width, height, video_track);
}

}  // namespace mv
