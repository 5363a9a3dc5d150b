// compositor.hpp — the layered compositor of the local engine. Per frame, bottom
// to top: background (footage, clips, the blurred or panned artwork, a
// generated field, or the palette's gradient) → its colour grade → particles →
// the visualizer → post effects (shake, glow, chromatic split, vignette, grain,
// scanlines, letterbox, flash) → the transition at section changes → the end card's darkening, the progress bar and
// the titles and lyrics (libass). Which layers and how strongly is
// the resolved look's data (data/looks/*.json); every layer reads the same
// FrameInfo (bands, loudness, beats, downbeats, onsets, sections).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "effects.hpp"
#include "layers.hpp"
#include "mv/render/generate.hpp"
#include "ass-text.hpp"

namespace mv {

class Compositor {
 public:
  /// Builds the layers. `video_track` is the planned Video track (montage
  /// reads its shots, footage its input); `lyrics` (may be null) the lyrics
  /// with times from the video's start; `reframe` the footage's crop path
  /// (plan_follow(), one value per frame; empty: centred) and facecam box
  /// (stacked over the gameplay). Errors: those of the layers
  /// (VisualSource::open for pictures, Error{Usage} for a missing input,
  /// AssText's). `transparent`: the look without its ground, to be laid over
  /// another picture (a live look over the streamer's scene): no background
  /// (black), no grade, and none of the effects that cover the whole frame
  /// (vignette, grain, letterbox, the downbeat flash, the flash transition,
  /// a card's darkening); the canvas is cleared to black and tracks coverage
  /// (Canvas::track_coverage), from which and the colours alpha_from_black()
  /// then makes the alpha.
  Compositor(const ResolvedLook& look, const VideoSettings& settings, const Timeline& timeline, const Track* video_track,
             const Lyrics* lyrics = nullptr, const Reframe& reframe = {}, bool transparent = false);
  /// Draws frame `f` into `canvas` (which holds the previous frame).
  void draw(Canvas& canvas, const FrameInfo& f);
  /// Seconds spent per layer so far: (name, s), in drawing order.
  [[nodiscard]] std::vector<std::pair<std::string, double>> layer_seconds() const;

 private:
  struct Timed {
    std::string name;
    double seconds = 0.0;
  };
  struct ProgressBar {
    Rgb colour;
    double duration_s = 0.0;
    int letterbox_px = 0;
  };
  /// The end card's darkening, the progress bar, then the titles and lyrics.
  void draw_text(Canvas& canvas, const FrameInfo& f);
  static void draw_progress(Canvas& canvas, const ProgressBar& bar, double t);
  std::unique_ptr<Layer> background_, particles_, visualizer_;
  Grade grade_;
  PostEffects post_;
  Transition transition_;
  std::unique_ptr<AssText> text_;
  std::optional<ProgressBar> progress_;
  bool fused_ = false;  ///< grade, vignette and grain in one pass (PostEffects::apply_graded)
  std::vector<Timed> timed_;
};

}  // namespace mv
