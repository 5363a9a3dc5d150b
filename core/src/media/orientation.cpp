// orientation.cpp — see orientation.hpp.
#include "orientation.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" {
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include "mv/base/error.hpp"

namespace mv {

namespace {

/// EXIF code for a display matrix (see frame_orientation).
int orientation_of_matrix(const std::int32_t* m) {
  const double det = static_cast<double>(m[0]) * m[4] - static_cast<double>(m[1]) * m[3];
  std::int32_t plain[9];
  for (int i = 0; i < 9; ++i) plain[i] = m[i];
  if (det < 0) av_display_matrix_flip(plain, 1, 0);  // the mirror out; the rest is a turn
  const double angle = av_display_rotation_get(plain);  // anticlockwise degrees
  if (std::isnan(angle)) return 1;
  const int quarter = ((static_cast<int>(std::lround(-angle / 90.0)) % 4) + 4) % 4;  // clockwise
  static constexpr int kTurned[4] = {1, 6, 3, 8}, kMirrored[4] = {2, 7, 4, 5};
  return det < 0 ? kMirrored[quarter] : kTurned[quarter];
}

/// Source pixel (sx, sy) for upright pixel (x, y) of a w × h stored picture.
inline void source_of(int orientation, int x, int y, int w, int h, int& sx, int& sy) {
  switch (orientation) {
    case 2: sx = w - 1 - x, sy = y; break;
    case 3: sx = w - 1 - x, sy = h - 1 - y; break;
    case 4: sx = x, sy = h - 1 - y; break;
    case 5: sx = y, sy = x; break;
    case 6: sx = y, sy = h - 1 - x; break;
    case 7: sx = w - 1 - y, sy = h - 1 - x; break;
    default: sx = w - 1 - y, sy = x; break;  // 8
  }
}

/// Copies a w × h plane of `bpp`-byte pixels into its upright place.
void turn_plane(const std::uint8_t* src, int src_stride, int w, int h, int bpp, std::uint8_t* dst, int dst_stride,
                int orientation) {
  const bool swapped = orientation >= 5;
  const int ow = swapped ? h : w, oh = swapped ? w : h;
  for (int y = 0; y < oh; ++y) {
    std::uint8_t* out = dst + static_cast<std::ptrdiff_t>(y) * dst_stride;
    for (int x = 0; x < ow; ++x) {
      int sx = 0, sy = 0;
      source_of(orientation, x, y, w, h, sx, sy);
      const std::uint8_t* in = src + static_cast<std::ptrdiff_t>(sy) * src_stride + static_cast<std::ptrdiff_t>(sx) * bpp;
      for (int b = 0; b < bpp; ++b) out[x * bpp + b] = in[b];
    }
  }
}

}  // namespace

int frame_orientation(const AVFrame& frame, const AVStream& stream) {
  if (const AVDictionaryEntry* tag = av_dict_get(frame.metadata, "Orientation", nullptr, 0); tag != nullptr) {
    const long code = std::strtol(tag->value, nullptr, 10);  // FFmpeg pads it: "    6"
    return code >= 1 && code <= 8 ? static_cast<int>(code) : 1;
  }
  if (const AVFrameSideData* sd = av_frame_get_side_data(&frame, AV_FRAME_DATA_DISPLAYMATRIX);
      sd != nullptr && sd->size >= 9 * sizeof(std::int32_t)) {
    return orientation_of_matrix(reinterpret_cast<const std::int32_t*>(sd->data));
  }
  std::size_t size = 0;
  // FFmpeg 5.1's way to the stream's side data (codecpar's coded_side_data is 6.1+).
  const std::uint8_t* m = av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  return m != nullptr && size >= 9 * sizeof(std::int32_t) ? orientation_of_matrix(reinterpret_cast<const std::int32_t*>(m)) : 1;
}

void Uprighter::apply(AVFrame& frame, int orientation) {
  if (orientation < 2 || orientation > 8 || frame.width <= 0 || frame.height <= 0) return;
  AVPixelFormat fmt = static_cast<AVPixelFormat>(frame.format);
  bool full = frame.color_range == AVCOL_RANGE_JPEG;
  switch (fmt) {  // the "j" formats: their layout, full range
    case AV_PIX_FMT_YUVJ420P: fmt = AV_PIX_FMT_YUV420P, full = true; break;
    case AV_PIX_FMT_YUVJ422P: fmt = AV_PIX_FMT_YUV422P, full = true; break;
    case AV_PIX_FMT_YUVJ444P: fmt = AV_PIX_FMT_YUV444P, full = true; break;
    case AV_PIX_FMT_YUVJ440P: fmt = AV_PIX_FMT_YUV440P, full = true; break;
    case AV_PIX_FMT_YUVJ411P: fmt = AV_PIX_FMT_YUV411P, full = true; break;
    default: break;
  }
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  if (d == nullptr) throw Error(ErrorCode::Media, "unknown picture format in a turned photo or clip");
  const bool rgb = (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)) != 0;
  if (!rgb && d->nb_components <= 2 && frame.color_range != AVCOL_RANGE_MPEG) full = true;  // grey: full unless tagged
  const AVPixelFormat target = rgb ? AV_PIX_FMT_RGBA : AV_PIX_FMT_YUV444P;
  const int w = frame.width, h = frame.height;
  if (!full_ || full_->width != w || full_->height != h || full_->format != target) {
    full_.reset(av_frame_alloc());
    if (!full_) throw Error(ErrorCode::Internal, "out of memory (turning a picture)");
    full_->format = target;
    full_->width = w;
    full_->height = h;
    if (av_frame_get_buffer(full_.get(), 32) < 0) throw Error(ErrorCode::Internal, "out of memory (turning a picture)");
  }
  // Same size, same matrix and range: only the chroma is brought to full resolution.
  conv_.reset(sws_getCachedContext(conv_.release(), w, h, fmt, w, h, target, SWS_POINT, nullptr, nullptr, nullptr));
  if (!conv_) throw Error(ErrorCode::Media, std::string("cannot turn a ") + d->name + " picture upright");
  if (!rgb) {
    const int* coeffs = sws_getCoefficients(SWS_CS_DEFAULT);
    sws_setColorspaceDetails(conv_.get(), coeffs, full ? 1 : 0, coeffs, full ? 1 : 0, 0, 1 << 16, 1 << 16);
  }
  sws_scale(conv_.get(), frame.data, frame.linesize, 0, h, full_->data, full_->linesize);

  FramePtr out(av_frame_alloc());
  if (!out) throw Error(ErrorCode::Internal, "out of memory (turning a picture)");
  const bool swapped = orientation >= 5;
  out->format = target;
  out->width = swapped ? h : w;
  out->height = swapped ? w : h;
  if (av_frame_get_buffer(out.get(), 32) < 0 || av_frame_copy_props(out.get(), &frame) < 0) {
    throw Error(ErrorCode::Internal, "out of memory (turning a picture)");
  }
  for (int p = 0; p < (rgb ? 1 : 3); ++p) {
    turn_plane(full_->data[p], full_->linesize[p], w, h, rgb ? 4 : 1, out->data[p], out->linesize[p], orientation);
  }
  out->color_range = rgb ? AVCOL_RANGE_JPEG : (full ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG);
  av_dict_set(&out->metadata, "Orientation", nullptr, 0);  // upright now
  av_frame_remove_side_data(out.get(), AV_FRAME_DATA_DISPLAYMATRIX);
  av_frame_unref(&frame);
  av_frame_move_ref(&frame, out.get());
}

}  // namespace mv
