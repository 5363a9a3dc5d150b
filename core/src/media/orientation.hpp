// orientation.hpp — pictures stored sideways or mirrored, made upright: a
// phone's photo (EXIF Orientation) or video (a display matrix on its stream).
// Internal to the media library.
#pragma once

#include "av-ptr.hpp"

extern "C" {
#include <libavformat/avformat.h>
}

namespace mv {

/// The EXIF Orientation code (TIFF tag 274: 1 as stored, 2 mirrored, 3 turned
/// 180°, 4 flipped, 5 transposed, 6 turned 90° clockwise, 7 transversed, 8
/// turned 90° anticlockwise to display) of a decoded frame of `stream`: the
/// frame's "Orientation" tag (FFmpeg's JPEG decoder copies EXIF tags into the
/// frame's metadata), else a display matrix on the frame, else one on the
/// stream (phone videos), else 1. The matrix's rotation is read as FFmpeg's own
/// command line does (−av_display_rotation_get, in quarter turns); a negative
/// determinant is a mirror, applied before the turn.
int frame_orientation(const AVFrame& frame, const AVStream& stream);

/// Turns and mirrors pictures upright; keeps its scratch between frames.
class Uprighter {
 public:
  /// Replaces `frame`'s picture with the upright one for `orientation` (2..8;
  /// 1 or anything else leaves it alone). Timestamps and colour tags are kept;
  /// the pixel format becomes YUV 4:4:4 (range and matrix as the source's) or,
  /// for RGB and paletted sources, RGBA. ~10 ms per 1080p frame here.
  /// Error{Media} if swscale cannot convert the picture; Error{Internal} when
  /// out of memory.
  void apply(AVFrame& frame, int orientation);

 private:
  SwsPtr conv_;
  FramePtr full_;  ///< the picture at full chroma resolution, as stored
};

}  // namespace mv
