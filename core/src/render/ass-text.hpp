// ass-text.hpp — the text of a video typeset with libass: the title card, the
// end card and synced lyrics (karaoke where words are timed) as one ASS script
// made from the Title track, the lyrics and the look (DejaVu Sans Bold found
// through fontconfig, an outline, a soft shadow, fades), placed in the frame's
// safe area; a lyrics file in ASS keeps its own script and styles. Blended onto
// the canvas from libass's coverage bitmaps.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layers.hpp"
#include "mv/timeline/lyrics.hpp"

namespace mv {

/// One text event of the Title track: the title card (in the look's place) or
/// the end card (centred, larger). Times in s.
struct TitleEvent {
  std::string text, artist;  ///< artist: a smaller line under the text, may be empty
  double start_s = 0.0, end_s = 0.0;
  bool end_card = false;
};

/// Where and how the text is set, in pixels of a width × height frame.
struct TextLayout {
  int width = 0, height = 0;
  Rgb colour;                 ///< the title's colour
  Rgb sung;                   ///< the colour of sung words (karaoke); unsung ones are translucent white
  int title_alignment = 5;    ///< ASS numpad: 2 bottom, 5 middle, 8 top
  bool title_card_size = false;  ///< a middle title moved up (portrait): drawn at the card size all the same
  int title_margin_v = 0;     ///< from the top (8) or bottom (2) edge
  int lyrics_margin_v = 0;    ///< lyrics: bottom-centred, this far above the bottom edge
  int lyrics_margin_l = 0, lyrics_margin_r = 0;  ///< lyrics wrap inside these side margins
};

/// The colour of sung words in a palette: its accent, else its primary colour
/// when the accent is nearly grey (max − min channel ≤ 60), else white; mixed
/// toward white until its luma (Rec. 709) is at least 140 of 255, so that it
/// reads on dark backgrounds.
Rgb sung_colour(const Palette& palette);

/// The layout for a frame: title per the look's `title` ("top", "lower",
/// "centre"; a "lower" title goes to the top when there are lyrics, which
/// own the lower part), lyrics bottom-centred; both inside the safe area of the aspect —
/// in 9:16 clear of the platforms' top 12 % and bottom 20 % (their captions and
/// buttons) and of the right-hand column of buttons (16 % of the width), in
/// wider frames clear of the letterbox bars (`letterbox_px` each) and of the
/// progress bar.
TextLayout text_layout(int width, int height, const std::string& title_place, bool lyrics, const Palette& palette,
                       int letterbox_px);

/// The ASS script (exposed for tests): PlayRes = the frame; a "Title" style
/// placed by the layout, an "End" style centred and larger, a "Lyrics" style
/// bottom-centred (unsung words translucent white, sung ones in `sung`, smart
/// wrapping inside the margins). One title event per TitleEvent with
/// \fad(500,700), the artist a line below at 60 % size; one lyrics event per
/// line, with a \kf sweep per timed word (durations in centiseconds from the
/// line's start, so rounding never drifts) and a short fade where the line
/// does not follow another at once. Text is disarmed: "{" and "}" become
/// brackets, a backslash cannot start an override.
std::string text_script(const std::vector<TitleEvent>& titles, const std::vector<LyricLine>& lyrics,
                        const TextLayout& layout);

class AssText {
 public:
  /// `lyrics` (may be null): lines with times from the video's start (an
  /// excerpt already applied), or an ASS script drawn with its own styles.
  /// A timeline without a Title track (or a look with title "none") and no
  /// lyrics draws nothing. `letterbox_px`: each letterbox bar's height.
  /// Errors: Error{Internal} when libass cannot start; Error{InputInvalid}
  /// when libass cannot read an ASS lyrics script.
  AssText(const Timeline& timeline, const Look& look, const Palette& palette, const Lyrics* lyrics, int width, int height,
          int letterbox_px);
  ~AssText();
  AssText(const AssText&) = delete;
  AssText& operator=(const AssText&) = delete;
  /// Draws the text as it is at `t` seconds of the video.
  void draw(Canvas& canvas, double t);
  /// How many times libass found no installed font for a glyph while drawing
  /// (its "failed to find any fallback" message): 0 when every character had one.
  [[nodiscard]] int missing_glyphs() const;
  /// How much the frame is darkened under the end card at `t` s: 0, rising to
  /// 0.55 over its first half second.
  [[nodiscard]] double card_dim(double t) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mv
