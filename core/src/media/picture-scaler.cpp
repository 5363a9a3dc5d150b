// picture-scaler.cpp — see picture-scaler.hpp.
#include "picture-scaler.hpp"

namespace mv {

FramePtr new_frame() {
  FramePtr f(av_frame_alloc());
  if (!f) throw Error(ErrorCode::Internal, "out of memory (video frame)");
  return f;
}

std::pair<AVPixelFormat, bool> plain_format(AVPixelFormat fmt) {
  switch (fmt) {
    case AV_PIX_FMT_YUVJ420P: return {AV_PIX_FMT_YUV420P, true};
    case AV_PIX_FMT_YUVJ422P: return {AV_PIX_FMT_YUV422P, true};
    case AV_PIX_FMT_YUVJ444P: return {AV_PIX_FMT_YUV444P, true};
    case AV_PIX_FMT_YUVJ440P: return {AV_PIX_FMT_YUV440P, true};
    case AV_PIX_FMT_YUVJ411P: return {AV_PIX_FMT_YUV411P, true};
    default: return {fmt, false};
  }
}

std::pair<int, int> crop_alignment(AVPixelFormat fmt) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  if (d == nullptr) return {1, 1};
  const int ax = (d->flags & AV_PIX_FMT_FLAG_BITSTREAM) != 0 ? 8 : 1 << d->log2_chroma_w;
  return {ax, 1 << d->log2_chroma_h};
}

Rect cover_rect(int w, int h, int tw, int th, AVPixelFormat fmt) {
  const double s = std::max(static_cast<double>(tw) / w, static_cast<double>(th) / h);
  Rect r;
  r.w = std::clamp(static_cast<int>(std::lround(tw / s)), 1, w);
  r.h = std::clamp(static_cast<int>(std::lround(th / s)), 1, h);
  const auto [ax, ay] = crop_alignment(fmt);
  r.x = (w - r.w) / 2 / ax * ax;
  r.y = (h - r.h) / 2 / ay * ay;
  return r;
}

Rect focused_rect(Rect r, int w, int h, double fx, double fy, AVPixelFormat fmt, double& shift_x, double& shift_y) {
  const auto [ax, ay] = crop_alignment(fmt);
  const double x = std::clamp(fx * w - r.w / 2.0, 0.0, std::max(0.0, w - r.w - 2.0));
  const double y = std::clamp(fy * h - r.h / 2.0, 0.0, std::max(0.0, h - r.h - 2.0));
  r.x = static_cast<int>(x) / ax * ax;
  r.y = static_cast<int>(y) / ay * ay;
  shift_x = ax <= 2 ? x - r.x : 0.0;
  shift_y = ay <= 2 ? y - r.y : 0.0;
  return r;
}

void blur_plane(std::uint8_t* p, int w, int h, int stride) {
  std::vector<int> row(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
  for (int pass = 0; pass < 3; ++pass) {
    for (int y = 0; y < h; ++y) {  // horizontal into row
      const std::uint8_t* s = p + static_cast<std::ptrdiff_t>(y) * stride;
      for (int x = 0; x < w; ++x) {
        row[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] =
            s[std::max(0, x - 1)] + s[x] + s[std::min(w - 1, x + 1)];
      }
    }
    for (int y = 0; y < h; ++y) {  // vertical back into p
      std::uint8_t* d = p + static_cast<std::ptrdiff_t>(y) * stride;
      const auto wide = static_cast<std::size_t>(w);
      const int* a = &row[static_cast<std::size_t>(std::max(0, y - 1)) * wide];
      const int* b = &row[static_cast<std::size_t>(y) * wide];
      const int* c = &row[static_cast<std::size_t>(std::min(h - 1, y + 1)) * wide];
      for (int x = 0; x < w; ++x) d[x] = static_cast<std::uint8_t>((a[x] + b[x] + c[x] + 4) / 9);
    }
  }
}

Rect zoomed_rect(Rect r, double zoom, AVPixelFormat fmt, int step_w) {
  if (zoom <= 1.0) return r;
  const auto [ax, ay] = crop_alignment(fmt);
  Rect z;
  if (step_w > 1) {
    z.w = std::clamp(static_cast<int>(std::lround(r.w / zoom / step_w)) * step_w, step_w, r.w);
    if (z.w >= r.w) return r;
    z.h = std::max(ay, static_cast<int>(std::lround(static_cast<double>(z.w) * r.h / r.w / ay)) * ay);
  } else {
    z.w = std::max(ax, static_cast<int>(std::lround(r.w / zoom)) / ax * ax);
    z.h = std::max(ay, static_cast<int>(std::lround(r.h / zoom)) / ay * ay);
  }
  z.x = r.x + (r.w - z.w) / 2 / ax * ax;
  z.y = r.y + (r.h - z.h) / 2 / ay * ay;
  return z;
}

int punch_step(Rect r, int out_w, AVPixelFormat fmt, bool shifted) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  if (d == nullptr || shifted || out_w % 32 != 0 || r.w > out_w || r.w * 5 < out_w * 4 || r.w < 1600) return 1;
  const bool planar_yuv = (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM)) == 0 &&
                          (d->flags & AV_PIX_FMT_FLAG_PLANAR) != 0 && d->comp[0].depth == 8 && d->nb_components >= 3;
  return planar_yuv ? 16 : 1;
}

}  // namespace mv
