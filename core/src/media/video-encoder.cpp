// video-encoder.cpp — see video-encoder.hpp. The option names are those of
// FFmpeg's encoders (libavcodec/libx264.c, nvenc.c, qsvenc_h264.c, vaapi_encode_h264.c).
#include "video-encoder.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

extern "C" {
#include <libavutil/hwcontext.h>
#include <libavutil/opt.h>
}

#include "mv/base/error.hpp"
#include "mv/media/media.hpp"

namespace mv {

namespace {

struct Candidate {
  const char* id;
  const char* name;
  AVPixelFormat sw_format;
};

constexpr Candidate kCandidates[] = {
    {"nvenc", "h264_nvenc", AV_PIX_FMT_YUV420P},
    {"qsv", "h264_qsv", AV_PIX_FMT_NV12},
    {"vaapi", "h264_vaapi", AV_PIX_FMT_NV12},
    {"x264", "libx264", AV_PIX_FMT_YUV420P},
};

/// Tries to open one encoder; returns the reason on failure ("" on success).
std::string try_open(const Candidate& c, const Mp4Settings& s, bool global_header, VideoEncoder& out) {
  const AVCodec* codec = avcodec_find_encoder_by_name(c.name);
  if (codec == nullptr) return std::string("FFmpeg has no ") + c.name;
  CodecCtxPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) return "out of memory";
  AVCodecContext* v = ctx.get();
  v->width = s.width;
  v->height = s.height;
  v->pix_fmt = c.sw_format;
  v->time_base = AVRational{1, s.fps};
  v->framerate = AVRational{s.fps, 1};
  v->gop_size = s.fps * 4;
  v->max_b_frames = 2;
  v->thread_count = s.threads;
  v->color_primaries = AVCOL_PRI_BT709;
  v->color_trc = AVCOL_TRC_BT709;
  v->colorspace = AVCOL_SPC_BT709;
  v->color_range = AVCOL_RANGE_MPEG;
  if (global_header) v->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  const std::string id = c.id;
  if (id == "x264") {
    v->max_b_frames = -1;  // the preset decides
    av_opt_set(v->priv_data, "preset", s.preset.c_str(), 0);
    av_opt_set_int(v->priv_data, "crf", s.crf, 0);
  } else if (id == "nvenc") {
    av_opt_set(v->priv_data, "preset", "p4", 0);
    av_opt_set(v->priv_data, "rc", "vbr", 0);
    av_opt_set_int(v->priv_data, "cq", s.crf, 0);
    v->bit_rate = 0;
  } else if (id == "qsv") {
    av_opt_set(v->priv_data, "preset", "veryfast", 0);
    v->global_quality = s.crf;
  } else {  // vaapi: frames are uploaded to the GPU
    AVBufferRef* device = nullptr;
    if (const int err = av_hwdevice_ctx_create(&device, AV_HWDEVICE_TYPE_VAAPI, nullptr, nullptr, 0); err < 0) {
      return std::string("no VA-API device (") + av_error_text(err) + ")";
    }
    BufferRefPtr device_ref(device);
    BufferRefPtr frames(av_hwframe_ctx_alloc(device));
    if (!frames) return "out of memory";
    auto* fc = reinterpret_cast<AVHWFramesContext*>(frames->data);
    fc->format = AV_PIX_FMT_VAAPI;
    fc->sw_format = AV_PIX_FMT_NV12;
    fc->width = s.width;
    fc->height = s.height;
    fc->initial_pool_size = 20;
    if (const int err = av_hwframe_ctx_init(frames.get()); err < 0) return std::string("VA-API frames: ") + av_error_text(err);
    v->pix_fmt = AV_PIX_FMT_VAAPI;
    v->hw_frames_ctx = av_buffer_ref(frames.get());
    av_opt_set(v->priv_data, "rc_mode", "CQP", 0);
    v->global_quality = s.crf;
    out.hardware_frames = true;
  }
  if (const int err = avcodec_open2(v, codec, nullptr); err < 0) return av_error_text(err);
  out.ctx = std::move(ctx);
  out.id = c.id;
  out.name = c.name;
  out.sw_format = c.sw_format;
  return "";
}

}  // namespace

const std::vector<std::string>& video_encoder_names() {
  static const std::vector<std::string> names{"auto", "x264", "nvenc", "vaapi", "qsv"};
  return names;
}

VideoEncoder open_video_encoder(const Mp4Settings& s, bool global_header) {
  const std::string& want = s.encoder;
  const auto& names = video_encoder_names();
  if (std::find(names.begin(), names.end(), want) == names.end()) {
    throw Error(ErrorCode::Usage, "unknown encoder \"" + want + "\"; choose auto, x264, nvenc, vaapi or qsv");
  }
  VideoEncoder enc;
  std::string tried;
  for (const auto& c : kCandidates) {
    if (want != "auto" && want != c.id) continue;
    enc.hardware_frames = false;
    const std::string why = try_open(c, s, global_header, enc);
    if (why.empty()) {
      if (want == "auto" && enc.id == "x264") {
        enc.note = "no hardware H.264 encoder opened (" + tried + "); encoding with libx264";
      }
      return enc;
    }
    if (want != "auto") {
      throw Error(ErrorCode::Media, std::string("the ") + c.id + " encoder (" + c.name + ") could not be opened: " + why +
                                        "; use --encoder auto or x264");
    }
    tried += (tried.empty() ? "" : "; ") + std::string(c.name) + ": " + why;
  }
  throw Error(ErrorCode::Media, "no H.264 encoder could be opened (" + tried + ")");
}

void fill_video_frame(const Canvas& canvas, AVFrame* f) {
  const int w = canvas.width(), h = canvas.height();
  for (int row = 0; row < h; ++row) {
    std::memcpy(f->data[0] + static_cast<std::ptrdiff_t>(row) * f->linesize[0], canvas.y() + static_cast<std::ptrdiff_t>(row) * w,
                static_cast<std::size_t>(w));
  }
  if (f->format == AV_PIX_FMT_NV12) {  // Cb and Cr interleaved
    for (int row = 0; row < h / 2; ++row) {
      std::uint8_t* dst = f->data[1] + static_cast<std::ptrdiff_t>(row) * f->linesize[1];
      const std::uint8_t* u = canvas.u() + static_cast<std::ptrdiff_t>(row) * (w / 2);
      const std::uint8_t* v = canvas.v() + static_cast<std::ptrdiff_t>(row) * (w / 2);
      for (int x = 0; x < w / 2; ++x) {
        dst[2 * x] = u[x];
        dst[2 * x + 1] = v[x];
      }
    }
    return;
  }
  for (int row = 0; row < h / 2; ++row) {
    std::memcpy(f->data[1] + static_cast<std::ptrdiff_t>(row) * f->linesize[1], canvas.u() + static_cast<std::ptrdiff_t>(row) * (w / 2),
                static_cast<std::size_t>(w / 2));
    std::memcpy(f->data[2] + static_cast<std::ptrdiff_t>(row) * f->linesize[2], canvas.v() + static_cast<std::ptrdiff_t>(row) * (w / 2),
                static_cast<std::size_t>(w / 2));
  }
}

}  // namespace mv
