// compositor.hpp — the layered compositor of the local engine. Per frame, bottom
// to top: background (footage, clips, the blurred or panned artwork, a
// generated field, or the palette's gradient) → its colour grade → particles →
// the visualizer → post effects (shake, glow, chromatic split, vignette, grain,
// scanlines, letterbox, flash) → the title. Which layers and how strongly is
// the resolved look's data (data/looks/*.json); every layer reads the same
// FrameInfo (bands, loudness, beats, downbeats, onsets, sections).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "effects.hpp"
#include "layers.hpp"
#include "mv/render/generate.hpp"
#include "mv/render/text.hpp"

namespace mv {

/// The Title track's text with a fade in and out and a soft shadow, placed by
/// the look (Look::title) inside the frame's safe area: clear of letterbox bars
/// and of a centred visualizer (halo, pulse).
class TitleOverlay {
 public:
  TitleOverlay(const Timeline& timeline, const Look& look, const Palette& palette, int width, int height, int letterbox_px);
  void draw(Canvas& canvas, double t) const;

 private:
  Rgb color_;
  TextMask mask_;
  double start_s_ = 0, end_s_ = 0;
  int x_ = 0, y_ = 0, shadow_ = 2;
};

class Compositor {
 public:
  /// Builds the layers. `video_track` is the planned Video track (montage
  /// reads its shots, footage its input). Errors: those of the layers
  /// (VisualSource::open for pictures, Error{Usage} for a missing input).
  Compositor(const ResolvedLook& look, const VideoSettings& settings, const Timeline& timeline, const Track* video_track);
  /// Draws frame `f` into `canvas` (which holds the previous frame).
  void draw(Canvas& canvas, const FrameInfo& f);
  /// Seconds spent per layer so far: (name, s), in drawing order.
  [[nodiscard]] std::vector<std::pair<std::string, double>> layer_seconds() const;

 private:
  struct Timed {
    std::string name;
    double seconds = 0.0;
  };
  std::unique_ptr<Layer> background_, particles_, visualizer_;
  Grade grade_;
  PostEffects post_;
  std::unique_ptr<TitleOverlay> title_;
  std::vector<Timed> timed_;
};

}  // namespace mv
