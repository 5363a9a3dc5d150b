// video-encoder.hpp — opening an H.264 encoder: libx264, or a hardware one
// (NVIDIA NVENC, Intel Quick Sync, VA-API) where FFmpeg has it and the machine
// can open it; "auto" tries the hardware ones first and falls back to libx264.
#pragma once

#include <string>

#include "av-ptr.hpp"
#include "mv/media/canvas.hpp"
#include "mv/media/mp4-writer.hpp"

namespace mv {

/// An opened H.264 encoder and how frames reach it.
struct VideoEncoder {
  CodecCtxPtr ctx;
  std::string id;    ///< "x264", "nvenc", "qsv" or "vaapi"
  std::string name;  ///< FFmpeg's encoder name, e.g. "h264_nvenc"
  AVPixelFormat sw_format = AV_PIX_FMT_YUV420P;  ///< the frames we fill: YUV420P or NV12
  bool hardware_frames = false;  ///< frames are uploaded to ctx->hw_frames_ctx (VA-API)
  std::string note;  ///< one line when "auto" fell back to libx264, else empty
};

/// Opens the encoder `settings.encoder` names for `settings` (size, rate,
/// preset/crf; the hardware encoders take crf as their constant-quality level).
/// "auto" tries nvenc, qsv, vaapi, then libx264 (setting `note`).
/// Errors: Error{Usage} for an unknown name; Error{Media} when a named
/// encoder cannot be opened (the message says which and why).
VideoEncoder open_video_encoder(const Mp4Settings& settings, bool global_header);

/// Copies the canvas into `frame` (allocated in the encoder's sw_format).
void fill_video_frame(const Canvas& canvas, AVFrame* frame);

}  // namespace mv
