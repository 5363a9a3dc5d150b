// canvas.hpp — a planar YUV 4:2:0 (BT.709, limited range) picture that the
// styles draw into directly, so frames go to the H.264 encoder without a
// colour conversion pass. Colours are given as sRGB and converted once.
//
// Blending happens in Y'CbCr, which is a linear map of R'G'B', so
// `a·src + (1 − a)·dst` here equals the same blend in R'G'B'. Chroma is
// shared by 2×2 pixels: shapes set chroma for a block when its top-left pixel
// is covered, which keeps edges sharp in luma and costs a quarter in chroma.
#pragma once

#include <cstdint>
#include <vector>

#include "mv/base/simd.hpp"

namespace mv {

/// An sRGB colour, 0..255 per channel.
struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};

/// The same colour in BT.709 limited-range Y'CbCr (Y 16..235, Cb/Cr 16..240).
struct Yuv {
  std::uint8_t y = 16, u = 128, v = 128;
};

/// sRGB → BT.709 limited range (ITU-R BT.709-6, table 3, scaled to 8-bit video range).
Yuv to_yuv(Rgb c);

/// Linear mix of two colours, t in [0, 1] (0 → a, 1 → b).
Rgb mix(Rgb a, Rgb b, double t);

/// Owned YUV 4:2:0 planes. Width and height must be even (pixels).
class Canvas {
 public:
  Canvas() = default;
  Canvas(int width, int height);

  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  std::uint8_t* y() { return y_.data(); }
  std::uint8_t* u() { return u_.data(); }
  std::uint8_t* v() { return v_.data(); }
  [[nodiscard]] const std::uint8_t* y() const { return y_.data(); }
  [[nodiscard]] const std::uint8_t* u() const { return u_.data(); }
  [[nodiscard]] const std::uint8_t* v() const { return v_.data(); }
  /// Bytes per row of the Y plane (= width) and of the U/V planes (= width / 2).
  [[nodiscard]] int y_stride() const { return width_; }
  [[nodiscard]] int uv_stride() const { return width_ / 2; }

  /// Coverage: an optional plane (width × height bytes, 0 = nothing drawn,
  /// 255 = covered) that every blend and fill below also updates, as an alpha
  /// plane is composited ("over": c + a · (255 − c)), so that a look drawn over
  /// black knows where it drew dark things (a text's shadow, a record's vinyl)
  /// and alpha_from_black() keeps them. Off by default (nothing is tracked and
  /// nothing costs); on: all zero. tint() leaves it as it is.
  void track_coverage(bool on);
  [[nodiscard]] bool tracks_coverage() const { return !c_.empty(); }
  std::uint8_t* coverage() { return c_.data(); }
  [[nodiscard]] const std::uint8_t* coverage() const { return c_.data(); }
  /// Black with nothing covered (coverage 0 where tracked): a transparent look's ground.
  void clear();

  /// Fills everything with one colour.
  void fill(Rgb color);
  /// Vertical gradient from `top` to `bottom`.
  void vertical_gradient(Rgb top, Rgb bottom);
  /// Copies all planes from a canvas of the same size (its coverage too, when it tracks one).
  void copy_from(const Canvas& other);
  /// Copies all of `band` (as wide as this canvas) into rows [y, y + band's
  /// height) of this one; rows outside the canvas are skipped. `y` even.
  void paste_rows(const Canvas& band, int y);
  /// Blends `other` over this canvas with opacity `alpha` (0..1); same size.
  void blend_from(const Canvas& other, double alpha);
  /// Moves every pixel toward `color` by `amount` (0..1): fades, flashes, trails.
  void tint(Rgb color, double amount);

  /// Blends a rectangle (clipped to the canvas). x, y, w, h in pixels.
  void blend_rect(int x, int y, int w, int h, Rgb color, double alpha);
  /// Blends a filled disc centred at (cx, cy), radius r pixels, with a soft
  /// 1.5-pixel edge.
  void blend_disc(double cx, double cy, double r, Rgb color, double alpha);
  /// Blends a ring (annulus) of outer radius r and thickness t pixels.
  void blend_ring(double cx, double cy, double r, double t, Rgb color, double alpha);
  /// Blends the vertical span [y0, y1] of column x (a one-pixel-wide bar).
  void blend_column(int x, int y0, int y1, Rgb color, double alpha);
  /// Blends an 8-bit coverage mask (w × h, row-major) with its top-left at
  /// (x, y): pixel alpha = mask / 255 · alpha.
  void blend_mask(const std::uint8_t* mask, int w, int h, int x, int y, Rgb color, double alpha);

 private:
  int width_ = 0, height_ = 0;
  std::vector<std::uint8_t> y_, u_, v_;
  std::vector<std::uint8_t> c_;  ///< coverage, when tracked (else empty)
};

/// Takes black away from a picture drawn over black, for laying it over
/// another. Each pixel's alpha is the larger of its coverage (when the canvas
/// tracks it: what was drawn there, dark or bright) and its brightest R'G'B'
/// component, max(R', G', B') in 0..1 (BT.709 limited range; chroma from its
/// 2×2 block): light added without covering anything (glow, bloom) gets the
/// alpha of its brightness, the "unmultiply" of motion graphics (e.g. Red
/// Giant's Unmult), so it fades out instead of darkening what is under it. The
/// colour is then divided by the alpha. `canvas` becomes the straight (not
/// premultiplied) colour, the chroma divided by the mean alpha of its block;
/// `alpha` is resized to width × height bytes (0..255, row-major). Black where
/// nothing was drawn gets alpha 0. `level`: the widest vector instructions to
/// use (AVX2 and up: 16 pixels at a time; the same bytes as None).
void alpha_from_black(Canvas& canvas, std::vector<std::uint8_t>& alpha, SimdLevel level = simd_level());

}  // namespace mv
