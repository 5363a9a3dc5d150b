// visual-source.hpp — the user's pictures as sources: a photo, a clip or a recording
// video clip decoded with libavformat/libavcodec and drawn full-frame into a
// Canvas ("cover": scaled to fill, centre-cropped, aspect kept) with libswscale.
// Photos get a slow Ken Burns move; clips play on at their own frame rate.
#pragma once

#include <array>
#include <filesystem>
#include <memory>

#include "mv/media/canvas.hpp"

namespace mv {

/// A user's photo or video clip, drawn full-frame ("cover": scaled to fill the
/// canvas, centre-cropped, aspect kept). Output is BT.709 limited range whatever
/// the source's pixel format and colour tags. Not thread-safe; one per user.
class VisualSource {
 public:
  virtual ~VisualSource() = default;

  /// Opens an image (png, jpg, webp, bmp, gif's first frame) or a video file
  /// (mp4, mov, mkv, webm, ...). `out_w`/`out_h`: the canvas size in pixels
  /// (positive, even). A still is decoded once here and kept pre-scaled
  /// (about 1.15 × the canvas, YUV 4:2:0); a video keeps its decoder open.
  /// Pictures stored sideways or mirrored are turned upright first: a photo's
  /// EXIF Orientation, a video's display matrix (a phone held upright).
  /// Errors: Error{InputMissing} if the path is absent or not a regular file;
  /// Error{InputInvalid} "<path> is not an image or video FFmpeg can read" or
  /// "<path> has no picture"; Error{Internal} for a bad canvas size.
  /// `start_s` (videos): clip time 0 is this time of the file, seconds (the
  /// excerpt of a recording whose own sound is the song: the picture stays in
  /// sync with it); the decoder seeks to the key frame before it and decodes on.
  static std::unique_ptr<VisualSource> open(const std::filesystem::path& path, int out_w, int out_h,
                                            double start_s = 0.0);

  /// Zooms into the centre of the picture by `zoom` (≥ 1; 1 = the whole
  /// "cover" view) from the next draw on: a beat's punch. Clamped to 1..2.
  /// Videos whose crop is 1600 pixels wide or more and is enlarged crop a
  /// width that is a multiple of 16 pixels (zoom steps of 0.8 % at 1080p, for
  /// swscale's fast x86 scaler); a zoom under half a step draws the picture as
  /// it is. Smaller frames zoom exactly.
  void set_zoom(double zoom) { zoom_ = zoom < 1.0 ? 1.0 : (zoom > 2.0 ? 2.0 : zoom); }

  /// Draws only output rows [top, bottom) of the canvas from the next draw on,
  /// leaving the rest of `dst` as it was: the rows under letterbox bars, which
  /// are painted over anyway, are neither scaled nor converted. Both are
  /// clamped to the canvas and rounded down to even rows; bottom <= top means
  /// every row (the default). Videos only: a still draws every row.
  void set_rows(int top, int bottom) {
    rows_top_ = top;
    rows_bottom_ = bottom;
  }

  /// How a video of another aspect fills the canvas (videos only; a still always covers):
  /// Cover — scaled to fill, cropped around the focus (set_focus); Contain — the whole
  /// picture, scaled to fit, on black bars (letterbox or pillarbox); Blur — the whole
  /// picture over a blurred, darkened copy of itself that fills the frame (as the
  /// platforms show a landscape video in a vertical feed).
  enum class Fit { Cover, Contain, Blur };
  void set_fit(Fit fit) { fit_ = fit; }

  /// Cover: where the crop is centred, as fractions of the picture's width and
  /// height (0.5, 0.5 = the centre, the default), from the next draw on; the crop
  /// stays inside the picture (a focus near an edge crops at that edge). Sub-pixel
  /// positions are kept (a slow pan moves smoothly). Clamped to 0..1.
  void set_focus(double x, double y) {
    focus_x_ = x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
    focus_y_ = y < 0.0 ? 0.0 : (y > 1.0 ? 1.0 : y);
  }

  /// Cover (videos): only the box [x0, x1) × [y0, y1) of the picture (fractions,
  /// 0,0 top left) is shown, as if it were the whole picture — a webcam overlay
  /// cut out of a stream recording — and set_focus() is not used. Clamped to
  /// the picture; an empty box means the whole picture (the default).
  void set_source_box(double x0, double y0, double x1, double y1) {
    box_[0] = x0 < 0.0 ? 0.0 : x0;
    box_[1] = y0 < 0.0 ? 0.0 : y0;
    box_[2] = x1 > 1.0 ? 1.0 : x1;
    box_[3] = y1 > 1.0 ? 1.0 : y1;
  }

  /// True for a photo (or a single-frame video / cover picture).
  [[nodiscard]] virtual bool is_still() const = 0;
  /// The path given to open().
  [[nodiscard]] virtual const std::filesystem::path& path() const = 0;

  /// Draws the picture at shot-local time `t` (seconds, 0 <= t <= shot_s) of a
  /// shot lasting `shot_s` seconds into `dst` (the whole canvas, of the size
  /// given to open()).
  /// Stills: a slow Ken Burns move, zoom between 1.0 and 1.12 plus a pan, eased
  /// with smoothstep, chosen by `move` (0..3 taken modulo 4): 0 zoom in on the centre,
  /// 1 zoom out, 2 pan left → right at zoom 1.08, 3 diagonal pan top-left →
  /// bottom-right at zoom 1.08; kMoveToFocus: zoom in from the whole picture
  /// toward the focus (set_focus, fractions of the picture as drawn at zoom 1),
  /// which ends at the centre of the view as far as the picture's edges allow.
  /// Videos: frames follow `t` at the clip's own frame rate (the frame whose
  /// pts <= clip time is shown); a new shot (t going back, e.g. restarting from 0)
  /// continues where the clip left off, looping to the start at end of file.
  /// Corrupt packets are skipped, never thrown; a clip that stops decoding
  /// keeps showing its last good frame.
  virtual void draw(Canvas& dst, double t, double shot_s, int move) = 0;

  /// The `move` of draw() that zooms a still toward its focus.
  static constexpr int kMoveToFocus = 4;

 protected:
  double zoom_ = 1.0;  ///< set_zoom()
  int rows_top_ = 0, rows_bottom_ = 0;  ///< set_rows(); bottom <= top: all rows
  Fit fit_ = Fit::Cover;                ///< set_fit()
  double focus_x_ = 0.5, focus_y_ = 0.5;  ///< set_focus()
  std::array<double, 4> box_{};  ///< set_source_box(): x0, y0, x1, y1; empty = the whole picture
};

}  // namespace mv
