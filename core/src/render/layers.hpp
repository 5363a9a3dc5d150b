// layers.hpp — the layers of the compositor (compositor.hpp). Each sees a
// FrameInfo per video frame (mv/analysis/frame-info.hpp), filled from the
// whole song's analysis (FrameFeeder) or live (LiveAnalyzer); layers only draw.
#pragma once

#include <array>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "mv/analysis/analysis.hpp"
#include "mv/analysis/frame-info.hpp"
#include "mv/media/canvas.hpp"
#include "mv/render/reframe.hpp"
#include "mv/render/look.hpp"
#include "mv/timeline/timeline.hpp"

namespace mv {

/// One layer of the compositor: draws its part of a frame over what the
/// layers below it drew (a background layer fills the whole canvas).
class Layer {
 public:
  virtual ~Layer() = default;
  virtual void draw(Canvas& canvas, const FrameInfo& frame) = 0;
};

// ---- backgrounds: fill the whole frame ------------------------------------

/// The palette's vertical gradient, recoloured per section (section_palette).
/// `vignette` (0..1) is baked in (vignette_gain); so for the next two.
std::unique_ptr<Layer> make_gradient_background(const Palette& palette, int width, int height, double vignette);
/// A picture as the backdrop: scaled to cover, blurred (three box blurs of
/// radius height/40 ≈ a Gaussian), darkened to 42 % with a vignette, chroma at
/// 80 %, dithered by ±½ level against banding, lightly tinted per section.
/// With `pan` > 0 the picture is drawn sharp instead, slowly panned and zoomed
/// (a Ken Burns move per section) and darkened less. Errors: those of VisualSource::open.
std::unique_ptr<Layer> make_picture_background(const std::filesystem::path& picture, const Palette& palette, int width,
                                               int height, double pan, double vignette);
/// An animated field for songs without a picture: soft blobs of the palette's
/// colours drifting on Lissajous paths over its gradient, brighter with the
/// bass, computed at 1/16 resolution and scaled up bilinearly with dither.
std::unique_ptr<Layer> make_generated_background(const Palette& palette, int width, int height, double vignette);

/// A level (0 up; 1 = the full height) as drawn: itself up to `knee`, then bent
/// smoothly toward 1 without reaching it (knee + (1 − knee)·(1 − e^(−(x − knee)/(1 − knee))),
/// an exponential soft clip: slope 1 at the knee, so no kink). Loud bands on a beat
/// then still differ near the top instead of pinning a row of bars at one height,
/// as a hard min(1, x) did. At the default knee 0.7: 1.0 → 0.89, 1.5 → 0.98.
inline double soft_ceiling(double x, double knee = 0.7) {
  if (x <= knee) return x;
  return knee + (1.0 - knee) * (1.0 - std::exp(-(x - knee) / (1.0 - knee)));
}

/// The vignette's gain at pixel (x, y) of a w × h frame for a strength 0..1:
/// 1 inside an ellipse of 35 % of the half-diagonal, falling smoothly to
/// 1 − 0.6 · strength at the corners. Backgrounds that are drawn once per
/// section (gradient, blurred picture) or at low resolution (generated) bake
/// it in; the compositor then leaves it out of the post effects.
double vignette_gain(double x, double y, int w, int h, double strength);
/// Multiplies luma (toward black) and chroma (toward neutral) by vignette_gain.
void apply_vignette(Canvas& canvas, double strength);
/// The user's clips and photos following the planned Video track (beat cuts,
/// crossfades at section changes).
std::unique_ptr<Layer> make_montage_background(int width, int height, const Track& video_track);
/// The input's own video in sync with its sound (the Video track's first
/// segment names the input and its excerpt start, extra "start_s"), zoomed in
/// on beats by `punch` (0..1, punch_amount). `letterbox_px` (pixels, ≥ 0): the
/// height of each letterbox bar; those rows are not drawn (painted over later).
/// `fit`: how a picture of another aspect fills the frame — "follow" (cropped,
/// the crop centred per frame on `reframe.path`: plan_follow()'s path at `fps`;
/// centred when it is empty; with `reframe.facecam`, the webcam box stacked
/// over the gameplay: facecam_panel_height() rows on top, the rest under a
/// dark seam), "blur" or "letterbox" (VisualSource::Fit).
std::unique_ptr<Layer> make_footage_background(int width, int height, const Track& video_track, double punch,
                                               int letterbox_px = 0, const std::string& fit = "follow",
                                               Reframe reframe = {}, int fps = 30);
/// The footage's zoom punch for a frame: the picture is scaled by 1 + this
/// around its centre. A downbeat adds 5 % decaying with τ = 140 ms to 0 at
/// 350 ms; each beat 3.5 % (τ = 90 ms, 0 at 200 ms) in sections above 70 % of
/// the loudest one's energy (full from 90 %); × `strength` (the look's "punch", 0..1) × the user's intensity
/// (at most 1.5). Returns exactly 0 below 0.002 (the picture is shown unscaled).
double punch_amount(const FrameInfo& f, double strength);

// ---- visualizers: the audio-reactive layer ---------------------------------

/// Creates a visualizer by name (visualizer_names(); "none" gives nullptr).
/// `centre` is the picture the halo rings surround (empty: a generated disc).
/// Errors: Error{Usage} for an unknown name.
std::unique_ptr<Layer> make_visualizer(const std::string& name, const Palette& palette, int width, int height,
                                       const std::filesystem::path& centre);

std::unique_ptr<Layer> make_bars_layer(const Palette& palette, int width, int height);
std::unique_ptr<Layer> make_club_layer(const Palette& palette, int width, int height);
std::unique_ptr<Layer> make_wave_layer(const Palette& palette, int width, int height);
std::unique_ptr<Layer> make_pulse_layer(const Palette& palette, int width, int height);
std::unique_ptr<Layer> make_halo_layer(const Palette& palette, int width, int height, const std::filesystem::path& centre);
std::unique_ptr<Layer> make_retro_layer(const Palette& palette, int width, int height);
/// A thin spectrum along the bottom edge over a darkened band: for footage.
std::unique_ptr<Layer> make_strip_layer(const Palette& palette, int width, int height);
/// Particles flying toward the camera from the centre, faster when louder;
/// `amount` 0..1 scales their number.
std::unique_ptr<Layer> make_particle_layer(const Palette& palette, int width, int height, double amount);

/// Where a visualizer with a centre (halo, pulse) puts it: the frame's middle,
/// a little above it in portrait frames (pixels).
inline double centre_y(int width, int height) { return height > width ? height * 0.42 : height * 0.5; }

/// Strength of a full-frame flash after a downbeat: 0.28 · e^(−age / 50 ms),
/// cut to 0 below 0.03 so that only ~3 frames change as a whole (whole-frame
/// changes are what costs the H.264 encoder most; see README "Benchmark").
double downbeat_flash(const FrameInfo& frame);

/// The palette for a section: the base palette with its colours rotated per
/// section so that section changes change the look.
Palette section_palette(const Palette& base, std::size_t section);

/// A layer's palette, following the sections: section_palette() of the base,
/// recomputed on the first frame and whenever the section changes.
class SectionPalette {
 public:
  explicit SectionPalette(const Palette& base) : base_(base), current_(base) {}
  /// The palette for frame `f` (updated first if its section changed).
  const Palette& at(const FrameInfo& f) {
    if (f.index == 0 || f.section != section_ || !started_) {
      current_ = section_palette(base_, f.section);
      section_ = f.section;
      started_ = true;
    }
    return current_;
  }
  [[nodiscard]] const Palette& base() const { return base_; }

 private:
  Palette base_, current_;
  std::size_t section_ = 0;
  bool started_ = false;
};

/// One w × h 8-bit plane blurred in place by a box of radius `r` along rows,
/// then along columns (edges clamped). Three passes approximate a Gaussian
/// (W. M. Wells, "Efficient synthesis of Gaussian filters by cascaded uniform
/// filters", IEEE PAMI 1986).
void box_blur(std::uint8_t* plane, int w, int h, int r);

}  // namespace mv
