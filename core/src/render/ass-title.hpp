// ass-title.hpp — the title typeset with libass: an ASS script made from the
// Title track and the look (DejaVu Sans Bold found through fontconfig, an
// outline, a soft shadow, a fade in and out), placed in the frame's safe area
// and blended onto the canvas from libass's coverage bitmaps.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layers.hpp"

namespace mv {

/// One text event of the Title track: the title card (in the look's place) or
/// the end card (centred, larger). Times in s.
struct TitleEvent {
  std::string text, artist;  ///< artist: a smaller line under the text, may be empty
  double start_s = 0.0, end_s = 0.0;
  bool end_card = false;
};

class AssTitle {
 public:
  /// `letterbox_px`: the height of each letterbox bar, which the title keeps clear of.
  /// A timeline without a Title track (or a look with title "none") draws nothing.
  /// Errors: Error{Internal} when libass cannot start.
  AssTitle(const Timeline& timeline, const Look& look, const Palette& palette, int width, int height, int letterbox_px);
  ~AssTitle();
  AssTitle(const AssTitle&) = delete;
  AssTitle& operator=(const AssTitle&) = delete;
  /// Draws the title as it is at `t` seconds (nothing outside its segments).
  void draw(Canvas& canvas, double t);
  /// How much the frame is darkened under the end card at `t` s: 0, rising to
  /// 0.55 over its first half second.
  [[nodiscard]] double card_dim(double t) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The ASS script of the titles (exposed for tests): PlayRes = the frame, a
/// "Title" style placed by `alignment` (ASS numpad: 2 bottom, 5 middle, 8 top)
/// and `margin_v` (pixels), an "End" style centred and larger; one event per
/// TitleEvent with \fad(500,700), the artist a line below at 60 % size.
std::string title_script(const std::vector<TitleEvent>& events, int width, int height, Rgb colour, int alignment,
                         int margin_v);

}  // namespace mv
