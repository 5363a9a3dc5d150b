// styles.hpp — what a style sees each video frame, and the style interface.
// The renderer (render-job.cpp) computes a FrameInfo per frame from the
// analysis; styles only draw.
#pragma once

#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "mv/analysis/analysis.hpp"
#include "mv/media/canvas.hpp"
#include "mv/render/look.hpp"
#include "mv/timeline/timeline.hpp"

namespace mv {

/// Per-frame drawing inputs. Levels are 0..1 unless said otherwise.
struct FrameInfo {
  std::int64_t index = 0;      ///< frame number
  double time_s = 0.0;         ///< PTS of the frame, seconds
  double fps = 30.0;
  std::array<float, kBandCount> bands{};  ///< smoothed band levels (fast attack, slow release)
  float level = 0.0f;          ///< overall loudness (RMS in dB over a 50 dB range)
  float bass = 0.0f, mid = 0.0f, treble = 0.0f;  ///< band groups: <250 Hz, 250–2k, >2k
  float beat_pulse = 0.0f;     ///< 1 on the frame of a beat, decaying (τ = 120 ms)
  float bar_pulse = 0.0f;      ///< 1 on the frame of a downbeat, decaying (τ = 250 ms)
  float onset_pulse = 0.0f;    ///< same for onsets (τ = 60 ms)
  double beat_age_s = 1e9;     ///< time since the latest beat frame (0 on a beat frame)
  double downbeat_age_s = 1e9; ///< time since the latest downbeat frame
  bool beat_frame = false;     ///< a beat lands on this frame
  bool downbeat_frame = false; ///< a downbeat lands on this frame
  std::int64_t beat_index = -1;  ///< index of the latest beat at or before this frame
  double beat_period_s = 0.5;  ///< 60 / tempo
  std::size_t section = 0;     ///< index of the current section
  double section_energy = 1.0; ///< its energy, 0..1
  bool section_start = false;  ///< first frame of a section (not of the song)
  std::vector<float> waveform; ///< mono samples around time_s (2 frame durations), ±1
  double intensity = 1.0;      ///< user intensity (0.6 calm … 1.5 intense)
};

/// A style draws one frame into a canvas that holds the previous frame.
class Style {
 public:
  virtual ~Style() = default;
  virtual void draw(Canvas& canvas, const FrameInfo& frame) = 0;
  /// A picture backdrop (make_picture_backdrop) instead of the palette's
  /// gradient, for the styles that draw one (bars, wave, pulse).
  void set_backdrop(std::shared_ptr<const Canvas> backdrop) { backdrop_ = std::move(backdrop); }

 protected:
  /// The section's background: the backdrop lightly tinted with the palette's
  /// top colour, else the palette's vertical gradient.
  void fill_background(Canvas& background, const Palette& palette) const;

 private:
  std::shared_ptr<const Canvas> backdrop_;
};

/// A picture (cover art, --image FILE: anything VisualSource opens) as a
/// width × height backdrop: scaled to cover, blurred (three box blurs of
/// radius height/40 ≈ a Gaussian), darkened to 42 % with a vignette, chroma at
/// 80 %, dithered by ±½ level against banding. Errors: those of VisualSource::open.
std::shared_ptr<const Canvas> make_picture_backdrop(const std::filesystem::path& picture, int width, int height);

/// Strength of a full-frame flash after a downbeat: 0.28 · e^(−age / 50 ms),
/// cut to 0 below 0.03 so that only ~3 frames change as a whole (whole-frame
/// changes are what costs the H.264 encoder most; see README "Benchmark").
double downbeat_flash(const FrameInfo& frame);

/// The palette for a section: the base palette with its colours rotated per
/// section so that section changes change the look.
Palette section_palette(const Palette& base, std::size_t section);

std::unique_ptr<Style> make_bars_style(const Palette& palette, int width, int height);
std::unique_ptr<Style> make_wave_style(const Palette& palette, int width, int height);
std::unique_ptr<Style> make_pulse_style(const Palette& palette, int width, int height);
std::unique_ptr<Style> make_montage_style(const Palette& palette, int width, int height, const Track& video_track);
/// The input's own video in sync with its sound (the Video track's first
/// segment names the input and its excerpt start, extra "start_s").
std::unique_ptr<Style> make_footage_style(const Palette& palette, int width, int height, const Track& video_track);

/// Creates a style by name ("bars", "wave", "pulse", "montage", "footage").
/// `video_track` is the planned Video track (montage reads its clip segments,
/// footage its input). Errors: Error{Usage}.
std::unique_ptr<Style> make_style(const std::string& name, const Palette& palette, int width, int height,
                                  const Track* video_track);

}  // namespace mv
