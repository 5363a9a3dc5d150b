// effects.hpp — the compositor's post effects and colour grades, drawn on the
// Y'CbCr 4:2:0 canvas directly (no conversion pass): each works on the planes
// with lookup tables, fixed point and low-resolution buffers.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "layers.hpp"

namespace mv {

/// A colour grade (Look::grade) as tables: Y' → Y', and per chroma plane
/// (Y' of the 2×2 block's top-left pixel, Cb or Cr) → Cb or Cr, so grades may
/// tint shadows and highlights differently (teal-orange). Grades:
/// "filmic" S-curve (+18 % contrast at mid-grey, ends kept) and chroma ×1.12;
/// "warm" lifted blacks, chroma ×0.95 toward red/yellow; "cool" toward blue;
/// "teal-orange" the S-curve with shadows toward teal and highlights toward
/// orange; "mono" the S-curve without chroma; "none" nothing.
class Grade {
 public:
  explicit Grade(const std::string& name);
  /// A grade from a 3D LUT: `lut` is a bundled LUT's name (bundled_lut_names())
  /// or a LUT file (.cube, .3dl, .dat, .m3d, .csp), read and interpolated by
  /// FFmpeg's lut3d (media/lut-file.hpp) at 256 Y' × 33 Cb × 33 Cr points once;
  /// per pixel the table is read with bilinear interpolation in Cb and Cr (the
  /// 2×2 block's chroma) at the pixel's own Y', so hue-dependent moves (skin
  /// toward orange, the rest toward teal) survive 4:2:0. "none": no grade.
  /// Errors: as map_through_lut_file(); Error{Usage} for an unknown bundled name
  /// that is not a file either.
  static Grade from_lut(const std::string& lut);
  [[nodiscard]] bool active() const { return active_; }
  /// True for a 3D LUT grade (it cannot be fused into PostEffects' pass).
  [[nodiscard]] bool is_3d() const { return !lut_y_.empty(); }
  /// Grades the whole canvas. A 3D LUT on a 1080p frame (grade-simd.hpp): 1.8 ms with AVX-512
  /// (4.2 ms in plain C++) on a photo, 1.7 ms (2.6 ms) on testsrc2's flat colours on an Intel
  /// CPU; on an AMD Zen 5, 1.6 ms with AVX-512 and 0.8 ms (testsrc2) to 1.0 ms (street footage)
  /// with VBMI.
  void apply(Canvas& canvas) const;
  /// Grades luma rows 2·`row` and 2·`row` + 1 and chroma row `row` (one row of
  /// 2×2 blocks), for passes that work a row pair at a time.
  void grade_rows(Canvas& canvas, int row) const;
  [[nodiscard]] const std::array<std::uint8_t, 256>& luma_table() const { return luma_; }
  /// 256 (Y') × 256 (Cb or Cr) tables, row = the Y' of the 2×2 block's top-left pixel.
  [[nodiscard]] const std::vector<std::uint8_t>& cb_table() const { return cb_; }
  [[nodiscard]] const std::vector<std::uint8_t>& cr_table() const { return cr_; }

 private:
  Grade() = default;
  void grade_rows_3d(Canvas& canvas, int row) const;

  bool active_ = false;
  std::array<std::uint8_t, 256> luma_{};
  /// 3D LUT tables: [Cb node × 33 + Cr node][Y'], nodes every 8 code values;
  /// lut_c_ holds Cb | Cr << 16, so one multiply-add interpolates both.
  std::vector<std::uint8_t> lut_y_;
  std::vector<std::uint32_t> lut_c_;
  /// For the VBMI kernel only: [Cb node × 33 + Cr node][Y'] → the four nodes'
  /// chroma around it in 8 bytes (grade-simd.hpp, GradeRow::corners).
  std::vector<std::uint64_t> lut_c4_;
  std::vector<std::uint8_t> cb_, cr_;  ///< 256 (Y') × 256 (Cb or Cr)
};

/// The look's transition at section changes (Look::transition), drawn after the
/// post effects on the whole frame, timed by FrameInfo::section_age_s and
/// next_section_in_s so that its strongest moment is the section's first frame
/// (a downbeat). "crossfade" keeps a copy of the last frame before the change
/// and dissolves from it over 0.5 s; "zoom" scales the frame about its centre by
/// 1 + 0.15·(1 − p)² over 0.4 s (bilinear, fixed point); "whip" pans the frame
/// out to the left over the 0.12 s before the change and in from the right over
/// the 0.18 s after it (wrapping round), blurred along the motion by a box as
/// wide as the frame's move per frame; "flash" tints toward white by 0.75·(1 − p)²
/// over 0.35 s. Costs nothing outside those windows.
class Transition {
 public:
  Transition(const std::string& name, int width, int height);
  void apply(Canvas& canvas, const FrameInfo& frame);

 private:
  void zoom(Canvas& canvas, double scale);
  void whip(Canvas& canvas, double offset_px, double blur_px);

  std::string name_;
  int width_, height_;
  Canvas previous_;  ///< crossfade: the last frame before the change
  bool have_previous_ = false;
  std::vector<std::uint8_t> row_;
  std::vector<int> sums_;
};

/// The look's effects after the layers (LookEffects, strengths 0..1), in this
/// order: shake (the frame moves by up to 1.2 % of its height with the bass),
/// glow (bloom: luma above 60 %, found at 1/8 resolution, blurred by three box
/// passes (σ ≈ 2 % of the height), added back with its colour at chroma
/// resolution, stronger on beats), vignette, grain (Gaussian luma noise,
/// σ = 6 code values × strength, from a fixed 256² tile; a new offset into the
/// tile on each downbeat, held for the bar so the encoder codes it once), chromatic split (Cb and
/// Cr shifted apart for ~150 ms after each downbeat), scanlines, letterbox
/// (bars to a 2.39:1 picture in landscape, 8 % of the height in portrait, ×
/// strength) and the flash on downbeats. Deterministic per frame index.
class PostEffects {
 public:
  PostEffects(const LookEffects& effects, const Palette& palette, int width, int height);
  void apply(Canvas& canvas, const FrameInfo& frame);
  /// The same with `grade` applied first, in one pass with the vignette and the
  /// grain, a row pair at a time, skipping the rows under the letterbox bars:
  /// for frames where nothing is drawn between the background and the effects
  /// (footage and clips without an overlay). Needs no shake and no glow (they
  /// would come between); the compositor checks. ~3 passes over the frame
  /// become one.
  void apply_graded(Canvas& canvas, const FrameInfo& frame, const Grade& grade);
  /// True when apply_graded() may be used for these effects.
  [[nodiscard]] bool can_fuse_grade() const { return fx_.shake <= 0 && fx_.glow <= 0; }
  /// Height of each letterbox bar, pixels (0 without one): titles keep clear of it.
  [[nodiscard]] int letterbox_px() const { return letterbox_px_; }

 private:
  void shake(Canvas& canvas, const FrameInfo& f);
  void glow(Canvas& canvas, const FrameInfo& f);
  void chromatic(Canvas& canvas, const FrameInfo& f) const;
  void vignette(Canvas& canvas) const;
  /// Vignette and grain on chroma row `row` and its two luma rows (grain offset ox, oy).
  void shade_rows(Canvas& canvas, int row, int ox, int oy) const;
  void grain(Canvas& canvas, const FrameInfo& f) const;
  /// The grain tile's offset (x, y pixels) for a frame: from the frame of its latest downbeat.
  static std::pair<int, int> grain_offsets(const FrameInfo& f);
  void scanlines(Canvas& canvas) const;
  void finish(Canvas& canvas, const FrameInfo& f);  ///< chromatic, scanlines, letterbox, flash
  /// Grain row y (shifted by the frame's offset), kGrain × 2 values to read linearly.
  [[nodiscard]] const std::int8_t* grain_row(int y, int oy) const;

  LookEffects fx_;
  Palette palette_;
  int width_, height_;
  int letterbox_px_ = 0;
  /// The vignette's gains (0..255, /256) for the top half: it is symmetric
  /// about the middle row, so row y reads row min(y, height − 1 − y) (half the
  /// table to keep in cache). Luma: per pixel; chroma: per sample, at the
  /// centre of its 2 × 2 block.
  std::vector<std::uint8_t> vignette_, vignette_c_;
  /// The gains of luma row `y` (width_ values).
  [[nodiscard]] const std::uint8_t* vignette_luma_row(int y) const;
  /// The gains of chroma row `row` (width_ / 2 values).
  [[nodiscard]] const std::uint8_t* vignette_chroma_row(int row) const;
  std::vector<std::int8_t> grain_;      ///< kGrain rows of 2 × kGrain values (each row twice, to read without wrapping)
  std::vector<int> bright_, cb_, cr_, line_;  ///< glow buffers, 1/8 resolution
  std::vector<char> live_;                   ///< glow rows that are not all zero
  std::vector<std::uint8_t> row_;          ///< scratch for shifting rows
  double shake_x_ = 0.0, shake_y_ = 0.0;   ///< smoothed offsets, pixels
};

}  // namespace mv
