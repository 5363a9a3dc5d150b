// picture-out.cpp — see picture-out.hpp.
#include "mv/media/picture-out.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include "av-ptr.hpp"
#include "mv/base/error.hpp"
#include "mv/base/output-file.hpp"

namespace mv {

namespace {

/// Runs `sws` (the canvas's YUV 4:2:0 to RGB24 at `width` × `height`) and
/// returns the packed rows. swscale's SIMD converters write whole blocks of
/// pixels (8 or more) per row, past the end of a row whose width is not a
/// multiple of the block, and so past the end of the last row: it writes into
/// rows padded to 64 bytes plus a spare row, and the rows are packed after.
std::vector<std::uint8_t> scale_to_rgb(SwsContext* sws, const Canvas& canvas, int width, int height) {
  const auto row = static_cast<std::size_t>(width) * 3;
  const std::size_t padded = (row + 63) / 64 * 64 + 64;
  std::vector<std::uint8_t> scratch(padded * (static_cast<std::size_t>(height) + 1));
  const std::uint8_t* const src[] = {canvas.y(), canvas.u(), canvas.v()};
  const int src_stride[] = {canvas.y_stride(), canvas.uv_stride(), canvas.uv_stride()};
  std::uint8_t* const dst[] = {scratch.data()};
  const int dst_stride[] = {static_cast<int>(padded)};
  sws_scale(sws, src, src_stride, 0, canvas.height(), dst, dst_stride);
  std::vector<std::uint8_t> rgb(row * static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y) {
    std::copy_n(scratch.data() + padded * static_cast<std::size_t>(y), row, rgb.data() + row * static_cast<std::size_t>(y));
  }
  return rgb;
}

}  // namespace

std::vector<std::uint8_t> canvas_to_rgb(const Canvas& canvas) {
  const int w = canvas.width(), h = canvas.height();
  SwsPtr sws(sws_getContext(w, h, AV_PIX_FMT_YUV420P, w, h, AV_PIX_FMT_RGB24, SWS_BILINEAR | SWS_ACCURATE_RND, nullptr,
                            nullptr, nullptr));
  if (!sws) throw Error(ErrorCode::Internal, "cannot convert the picture to RGB");
  // BT.709 limited range in, full range out.
  const int* coefs = sws_getCoefficients(SWS_CS_ITU709);
  sws_setColorspaceDetails(sws.get(), coefs, 0, coefs, 1, 0, 1 << 16, 1 << 16);
  return scale_to_rgb(sws.get(), canvas, w, h);
}

RgbPicture thumbnail(const Canvas& canvas, int width) {
  const int w = canvas.width(), h = canvas.height();
  RgbPicture out;
  out.width = std::clamp(width, 2, w);
  out.height = std::max(2, static_cast<int>(static_cast<long>(h) * out.width / w) & ~1);
  SwsPtr sws(sws_getContext(w, h, AV_PIX_FMT_YUV420P, out.width, out.height, AV_PIX_FMT_RGB24, SWS_AREA, nullptr, nullptr,
                            nullptr));
  if (!sws) throw Error(ErrorCode::Internal, "cannot make a thumbnail");
  const int* coefs = sws_getCoefficients(SWS_CS_ITU709);
  sws_setColorspaceDetails(sws.get(), coefs, 0, coefs, 1, 0, 1 << 16, 1 << 16);
  out.rgb = scale_to_rgb(sws.get(), canvas, out.width, out.height);
  return out;
}

void write_png(const Canvas& canvas, const std::filesystem::path& path) {
  const std::vector<std::uint8_t> rgb = canvas_to_rgb(canvas);
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  if (codec == nullptr) throw Error(ErrorCode::Media, "FFmpeg has no PNG encoder");
  CodecCtxPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) throw Error(ErrorCode::Internal, "out of memory (PNG encoder)");
  ctx->width = canvas.width();
  ctx->height = canvas.height();
  ctx->pix_fmt = AV_PIX_FMT_RGB24;
  ctx->time_base = {1, 1};
  if (avcodec_open2(ctx.get(), codec, nullptr) < 0) throw Error(ErrorCode::Media, "cannot open the PNG encoder");
  FramePtr frame(av_frame_alloc());
  PacketPtr packet(av_packet_alloc());
  if (!frame || !packet) throw Error(ErrorCode::Internal, "out of memory (PNG)");
  frame->width = canvas.width();
  frame->height = canvas.height();
  frame->format = AV_PIX_FMT_RGB24;
  av_image_fill_arrays(frame->data, frame->linesize, rgb.data(), AV_PIX_FMT_RGB24, canvas.width(), canvas.height(), 1);
  if (avcodec_send_frame(ctx.get(), frame.get()) < 0 || avcodec_send_frame(ctx.get(), nullptr) < 0 ||
      avcodec_receive_packet(ctx.get(), packet.get()) < 0) {
    throw Error(ErrorCode::Media, "cannot encode the PNG");
  }
  TempOutput temp(path);
  {
    std::ofstream out(temp.path(), std::ios::binary);
    out.write(reinterpret_cast<const char*>(packet->data), packet->size);
    if (!out.flush()) throw Error(ErrorCode::Output, "cannot write " + path.string());
  }
  temp.commit(path);
}

}  // namespace mv
