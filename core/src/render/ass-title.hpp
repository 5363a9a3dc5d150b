// ass-title.hpp — the title typeset with libass: an ASS script made from the
// Title track and the look (DejaVu Sans Bold found through fontconfig, an
// outline, a soft shadow, a fade in and out), placed in the frame's safe area
// and blended onto the canvas from libass's coverage bitmaps.
#pragma once

#include <memory>

#include "layers.hpp"

namespace mv {

class AssTitle {
 public:
  /// `letterbox_px`: the height of each letterbox bar, which the title keeps clear of.
  /// A timeline without a Title track (or a look with title "none") draws nothing.
  /// Errors: Error{Internal} when libass cannot start.
  AssTitle(const Timeline& timeline, const Look& look, const Palette& palette, int width, int height, int letterbox_px);
  ~AssTitle();
  AssTitle(const AssTitle&) = delete;
  AssTitle& operator=(const AssTitle&) = delete;
  /// Draws the title as it is at `t` seconds (nothing outside its segment).
  void draw(Canvas& canvas, double t);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The ASS script of a title (exposed for tests): PlayRes = the frame, one
/// style, one event with \fad(500,700). `alignment` is ASS numpad alignment
/// (2 bottom, 5 middle, 8 top) and `margin_v` the vertical margin, pixels.
std::string title_script(const std::string& text, int width, int height, Rgb colour, int alignment, int margin_v,
                         double start_s, double end_s);

}  // namespace mv
