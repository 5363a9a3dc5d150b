// mp4-writer.cpp — H.264 + AAC encode and MP4 mux on libavcodec/libavformat,
// after FFmpeg's doc/examples/mux.c: open output, add streams, encode, write.
#include "mv/media/mp4-writer.hpp"
#include "mv/media/media.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/hwcontext.h>
#include <libavutil/opt.h>
}

#include "av-ptr.hpp"
#include "mv/base/error.hpp"
#include "mv/media/resampler.hpp"
#include "video-encoder.hpp"

namespace mv {

namespace {

using Clock = std::chrono::steady_clock;


double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool aac_supports_rate(const AVCodec* codec, int rate) {
  if (codec->supported_samplerates == nullptr) return true;
  for (const int* r = codec->supported_samplerates; *r != 0; ++r) {
    if (*r == rate) return true;
  }
  return false;
}

}  // namespace

struct Mp4Writer::Impl {
  std::filesystem::path path;
  Mp4Settings settings;
  AVFormatContext* fmt = nullptr;
  bool header_written = false;
  bool io_open = false;
  CodecCtxPtr video, audio;
  VideoEncoder encoder;  // its ctx moves to `video`
  FramePtr hwframe;      // VA-API: the uploaded frame
  AVStream* vstream = nullptr;
  AVStream* astream = nullptr;
  FramePtr vframe, aframe;
  /// The canvas lent to the encoder without a copy (write_video): 0 until the
  /// first frame shows whether the encoder lets go of its frames inside send(),
  /// then 1 (lend) or -1 (copy into vframe, as before).
  int lend = 0;
  FramePtr lent;
  PacketPtr packet;
  std::int64_t video_index = 0;
  std::int64_t audio_pts = 0;         // in AAC samples
  std::vector<float> pending;         // interleaved, at the AAC rate
  std::unique_ptr<Resampler> resampler;
  std::vector<float> resampled;
  std::size_t input_frames = 0;
  Mp4Timings timings;
  // Copied video (Mp4Settings::copy_video_from).
  FormatPtr source;
  int source_stream = -1;
  std::int64_t source_start = 0;  // in the source stream's time base
  bool source_done = false;
  PacketPtr pending_copy;  // read, not yet written (its time is after the last request)

  ~Impl() {
    if (fmt != nullptr) {
      if (io_open) avio_closep(&fmt->pb);
      avformat_free_context(fmt);
    }
  }

  /// Throws Error{Output} naming the file; a full disk, a quota or the file
  /// size limit (ENOSPC, EDQUOT, EFBIG) is said in plain words first.
  [[noreturn]] void fail_output(const std::string& what, int err) const {
    std::string reason;
    if (err == AVERROR(ENOSPC)) {
      reason = "the disk is full (no space left on the device); free some space or choose another folder — ";
    } else if (err == AVERROR(EDQUOT)) {
      reason = "the disk quota is used up; free some space or choose another folder — ";
    } else if (err == AVERROR(EFBIG)) {
      reason = "the file is too large for the disk or the file size limit (ulimit -f); choose another folder — ";
    }
    throw Error(ErrorCode::Output, "cannot write " + path.string() + ": " + reason + what + " (" + av_error_text(err) + ")");
  }

  void drain(AVCodecContext* ctx, AVStream* stream) {
    for (;;) {
      auto t0 = Clock::now();
      const int ret = avcodec_receive_packet(ctx, packet.get());
      timings.encode_s += seconds_since(t0);
      if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
      if (ret < 0) throw Error(ErrorCode::Media, std::string("encoder failed: ") + av_error_text(ret));
      av_packet_rescale_ts(packet.get(), ctx->time_base, stream->time_base);
      packet->stream_index = stream->index;
      t0 = Clock::now();
      const int w = av_interleaved_write_frame(fmt, packet.get());
      timings.mux_s += seconds_since(t0);
      if (w < 0) fail_output("writing a packet failed", w);
    }
  }

  void send(AVCodecContext* ctx, AVStream* stream, const AVFrame* frame) {
    const auto t0 = Clock::now();
    const int ret = avcodec_send_frame(ctx, frame);
    timings.encode_s += seconds_since(t0);
    if (ret < 0) throw Error(ErrorCode::Media, std::string("encoder rejected a frame: ") + av_error_text(ret));
    drain(ctx, stream);
  }

  /// Opens the file whose video is copied and adds its stream (codec
  /// parameters, time base, frame rate and rotation as they are).
  void open_copied_video(const std::filesystem::path& from) {
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, ("file:" + from.string()).c_str(), nullptr, nullptr) < 0 ||
        (source.reset(raw), avformat_find_stream_info(source.get(), nullptr) < 0)) {
      throw Error(ErrorCode::InputInvalid, from.string() + " is not a video FFmpeg can read");
    }
    source_stream = av_find_best_stream(source.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (source_stream < 0) throw Error(ErrorCode::InputInvalid, from.string() + " has no video");
    const AVStream* in = source->streams[source_stream];
    for (unsigned i = 0; i < source->nb_streams; ++i) {
      if (static_cast<int>(i) != source_stream) source->streams[i]->discard = AVDISCARD_ALL;
    }
    if (avformat_query_codec(fmt->oformat, in->codecpar->codec_id, FF_COMPLIANCE_NORMAL) != 1) {
      throw Error(ErrorCode::Media, "the video of " + from.string() + " (" + avcodec_get_name(in->codecpar->codec_id) +
                                        ") cannot be copied into an MP4");
    }
    vstream = avformat_new_stream(fmt, nullptr);
    if (vstream == nullptr || avcodec_parameters_copy(vstream->codecpar, in->codecpar) < 0) {
      throw Error(ErrorCode::Internal, "out of memory (video stream)");
    }
    vstream->codecpar->codec_tag = 0;
    vstream->time_base = in->time_base;
    vstream->avg_frame_rate = in->avg_frame_rate;
    for (int i = 0; i < in->nb_side_data; ++i) {  // the display matrix: a phone's rotation
      const AVPacketSideData& sd = in->side_data[i];
      std::uint8_t* copy = av_stream_new_side_data(vstream, sd.type, sd.size);
      if (copy != nullptr) std::memcpy(copy, sd.data, sd.size);
    }
    // The file's start (its earliest stream) becomes 0, as the audio's reader counts it.
    source_start = source->start_time != AV_NOPTS_VALUE
                       ? av_rescale_q(source->start_time, AVRational{1, AV_TIME_BASE}, in->time_base)
                       : (in->start_time != AV_NOPTS_VALUE ? in->start_time : 0);
  }

  /// Copies source packets until one's decoding time reaches `seconds`;
  /// false at the source's end.
  bool copy_packets_until(double seconds) {
    if (source_done) return false;
    const AVStream* in = source->streams[source_stream];
    const double tb = av_q2d(in->time_base);
    for (;;) {
      if (pending_copy == nullptr) {
        pending_copy.reset(av_packet_alloc());
        if (!pending_copy) throw Error(ErrorCode::Internal, "out of memory (packet)");
        int r = 0;
        while ((r = av_read_frame(source.get(), pending_copy.get())) >= 0 && pending_copy->stream_index != source_stream) {
          av_packet_unref(pending_copy.get());
        }
        if (r < 0) {
          source_done = true;
          return false;
        }
      }
      const std::int64_t ts = pending_copy->dts != AV_NOPTS_VALUE ? pending_copy->dts : pending_copy->pts;
      if (ts != AV_NOPTS_VALUE && static_cast<double>(ts - source_start) * tb >= seconds) return true;
      if (pending_copy->pts != AV_NOPTS_VALUE) pending_copy->pts -= source_start;
      if (pending_copy->dts != AV_NOPTS_VALUE) pending_copy->dts -= source_start;
      av_packet_rescale_ts(pending_copy.get(), in->time_base, vstream->time_base);
      pending_copy->stream_index = vstream->index;
      pending_copy->pos = -1;
      const auto t0 = Clock::now();
      const int w = av_interleaved_write_frame(fmt, pending_copy.get());
      timings.mux_s += seconds_since(t0);
      if (w < 0) fail_output("writing a packet failed", w);
      pending_copy.reset();
    }
  }

  void encode_audio_frames(bool final) {
    const int ch = audio->ch_layout.nb_channels;
    const auto frame_size = static_cast<std::size_t>(audio->frame_size);
    std::size_t offset = 0;
    const std::size_t available = pending.size() / static_cast<std::size_t>(ch);
    while (available - offset >= frame_size || (final && available > offset)) {
      const std::size_t n = std::min(frame_size, available - offset);
      if (av_frame_make_writable(aframe.get()) < 0) throw Error(ErrorCode::Media, "cannot allocate an audio frame");
      aframe->nb_samples = static_cast<int>(n);
      for (int c = 0; c < ch; ++c) {
        auto* dst = reinterpret_cast<float*>(aframe->data[c]);
        for (std::size_t i = 0; i < n; ++i) dst[i] = pending[(offset + i) * static_cast<std::size_t>(ch) + static_cast<std::size_t>(c)];
      }
      aframe->pts = audio_pts;
      audio_pts += static_cast<std::int64_t>(n);
      send(audio.get(), astream, aframe.get());
      offset += n;
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(offset * static_cast<std::size_t>(ch)));
  }
};

Mp4Writer::Mp4Writer(const std::filesystem::path& path, const Mp4Settings& s) : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.path = path;
  m.settings = s;
  int err = avformat_alloc_output_context2(&m.fmt, nullptr, "mp4", path.c_str());
  if (err < 0 || m.fmt == nullptr) throw Error(ErrorCode::Internal, "the mp4 muxer is missing from FFmpeg");

  if (!s.copy_video_from.empty()) {
    m.open_copied_video(s.copy_video_from);
  } else {
    // Video: H.264, BT.709 limited range, CFR (video-encoder.cpp).
    m.encoder = open_video_encoder(s, (m.fmt->oformat->flags & AVFMT_GLOBALHEADER) != 0);
    m.video = std::move(m.encoder.ctx);
    auto* v = m.video.get();
    m.vstream = avformat_new_stream(m.fmt, nullptr);
    m.vstream->time_base = v->time_base;
    m.vstream->avg_frame_rate = v->framerate;
    avcodec_parameters_from_context(m.vstream->codecpar, v);
  }

  // Audio: FFmpeg's native AAC encoder, float planar.
  const AVCodec* aac = avcodec_find_encoder(AV_CODEC_ID_AAC);
  if (aac == nullptr) throw Error(ErrorCode::Internal, "FFmpeg has no AAC encoder");
  m.audio.reset(avcodec_alloc_context3(aac));
  auto* a = m.audio.get();
  const int rate = aac_supports_rate(aac, s.audio_rate) ? s.audio_rate : 48000;
  if (rate != s.audio_rate) m.resampler = std::make_unique<Resampler>(s.audio_rate, s.audio_channels, rate, s.audio_channels);
  a->sample_fmt = AV_SAMPLE_FMT_FLTP;
  a->sample_rate = rate;
  av_channel_layout_default(&a->ch_layout, s.audio_channels);
  a->bit_rate = s.audio_bitrate;
  a->time_base = AVRational{1, rate};
  if (m.fmt->oformat->flags & AVFMT_GLOBALHEADER) a->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if ((err = avcodec_open2(a, aac, nullptr)) < 0) {
    throw Error(ErrorCode::Media, std::string("cannot open the AAC encoder: ") + av_error_text(err));
  }
  m.astream = avformat_new_stream(m.fmt, nullptr);
  m.astream->time_base = a->time_base;
  avcodec_parameters_from_context(m.astream->codecpar, a);

  m.vframe.reset(av_frame_alloc());
  m.vframe->format = m.video ? m.encoder.sw_format : AV_PIX_FMT_GRAY8;  // copied video: a token frame, never sent
  m.vframe->width = m.video ? s.width : 16;
  m.vframe->height = m.video ? s.height : 16;
  m.vframe->color_primaries = AVCOL_PRI_BT709;
  m.vframe->color_trc = AVCOL_TRC_BT709;
  m.vframe->colorspace = AVCOL_SPC_BT709;
  m.vframe->color_range = AVCOL_RANGE_MPEG;
  m.aframe.reset(av_frame_alloc());
  m.aframe->format = AV_SAMPLE_FMT_FLTP;
  m.aframe->sample_rate = rate;
  av_channel_layout_copy(&m.aframe->ch_layout, &a->ch_layout);
  m.aframe->nb_samples = a->frame_size;
  m.packet.reset(av_packet_alloc());
  if (av_frame_get_buffer(m.vframe.get(), 0) < 0 || av_frame_get_buffer(m.aframe.get(), 0) < 0 || !m.packet) {
    throw Error(ErrorCode::Internal, "out of memory allocating frames");
  }

  if ((err = avio_open(&m.fmt->pb, path.c_str(), AVIO_FLAG_WRITE)) < 0) m.fail_output("cannot create the file", err);
  m.io_open = true;
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "movflags", "+faststart", 0);
  err = avformat_write_header(m.fmt, &opts);
  av_dict_free(&opts);
  if (err < 0) m.fail_output("writing the header failed", err);
  m.header_written = true;
}

Mp4Writer::~Mp4Writer() = default;

namespace {

void keep_buffer(void* /*opaque*/, std::uint8_t* /*data*/) {}  // the canvas owns the memory

/// Sets `f` (format, size and properties already set) to show the canvas's
/// planes through read-only buffers that free nothing. Error{Internal} when
/// out of memory.
void lend_planes(AVFrame* f, const Canvas& canvas) {
  const int w = canvas.width(), h = canvas.height();
  // AVBufferRef holds a non-const pointer; the buffers are flagged read-only and
  // the encoder only reads them.
  // NOLINTBEGIN(cppcoreguidelines-pro-type-const-cast)
  const std::array<std::uint8_t*, 3> planes{const_cast<std::uint8_t*>(canvas.y()), const_cast<std::uint8_t*>(canvas.u()),
                                            const_cast<std::uint8_t*>(canvas.v())};
  // NOLINTEND(cppcoreguidelines-pro-type-const-cast)
  const std::array<int, 3> strides{canvas.y_stride(), canvas.uv_stride(), canvas.uv_stride()};
  const std::array<std::size_t, 3> sizes{static_cast<std::size_t>(w) * static_cast<std::size_t>(h),
                                         static_cast<std::size_t>(w / 2) * static_cast<std::size_t>(h / 2),
                                         static_cast<std::size_t>(w / 2) * static_cast<std::size_t>(h / 2)};
  for (std::size_t i = 0; i < 3; ++i) {
    f->buf[i] = av_buffer_create(planes[i], sizes[i], keep_buffer, nullptr, AV_BUFFER_FLAG_READONLY);
    if (f->buf[i] == nullptr) throw Error(ErrorCode::Internal, "out of memory (video frame)");
    f->data[i] = planes[i];
    f->linesize[i] = strides[i];
  }
}

/// True when only `f` itself still refers to each of its buffers.
bool only_holder(const AVFrame& f) {
  for (const AVBufferRef* b : f.buf) {
    if (b != nullptr && av_buffer_get_ref_count(b) != 1) return false;
  }
  return true;
}

}  // namespace

void Mp4Writer::write_video(const Canvas& frame) {
  auto& m = *impl_;
  if (!m.video) throw Error(ErrorCode::Internal, "this MP4's video is copied, not drawn");
  const bool plain = !m.encoder.hardware_frames && m.vframe->format == AV_PIX_FMT_YUV420P;
  if (plain && m.lend > 0) {
    // The canvas itself, not a 3 MB copy per 1080p frame: this encoder (libx264
    // copies each picture in x264_encoder_encode) was seen to let go of the
    // first frame inside send(). Should one ever keep a lent frame, the canvas
    // would change under it: that stops the render rather than encode wrong pictures.
    if (!m.lent) m.lent.reset(av_frame_alloc());
    AVFrame* f = m.lent.get();
    if (f == nullptr || av_frame_copy_props(f, m.vframe.get()) < 0) throw Error(ErrorCode::Internal, "out of memory (video frame)");
    f->format = m.vframe->format;
    f->width = m.vframe->width;
    f->height = m.vframe->height;
    lend_planes(f, frame);
    f->pts = m.video_index++;
    m.send(m.video.get(), m.vstream, f);
    const bool released = only_holder(*f);
    av_frame_unref(f);
    if (!released) throw Error(ErrorCode::Internal, "the video encoder kept a frame it was lent");
    return;
  }
  if (av_frame_make_writable(m.vframe.get()) < 0) throw Error(ErrorCode::Internal, "cannot allocate a video frame");
  AVFrame* f = m.vframe.get();
  fill_video_frame(frame, f);
  if (m.encoder.hardware_frames) {
    if (!m.hwframe) m.hwframe.reset(av_frame_alloc());
    av_frame_unref(m.hwframe.get());
    if (av_hwframe_get_buffer(m.video->hw_frames_ctx, m.hwframe.get(), 0) < 0 ||
        av_hwframe_transfer_data(m.hwframe.get(), f, 0) < 0) {
      throw Error(ErrorCode::Media, "cannot upload a frame to the GPU encoder");
    }
    av_frame_copy_props(m.hwframe.get(), f);
    f = m.hwframe.get();
  }
  f->pts = m.video_index++;
  m.send(m.video.get(), m.vstream, f);
  if (plain && m.lend == 0) m.lend = only_holder(*m.vframe) ? 1 : -1;
}

void Mp4Writer::write_audio(const float* interleaved, std::size_t frames) {
  auto& m = *impl_;
  m.input_frames += frames;
  if (m.resampler) {
    m.resampled.clear();
    m.resampler->convert(interleaved, frames, m.resampled);
    m.pending.insert(m.pending.end(), m.resampled.begin(), m.resampled.end());
  } else {
    m.pending.insert(m.pending.end(), interleaved, interleaved + frames * static_cast<std::size_t>(m.settings.audio_channels));
  }
  m.encode_audio_frames(false);
}

void Mp4Writer::finish() {
  auto& m = *impl_;
  if (m.resampler) {
    m.resampled.clear();
    m.resampler->flush(m.resampled);
    m.pending.insert(m.pending.end(), m.resampled.begin(), m.resampled.end());
  }
  m.encode_audio_frames(true);
  m.send(m.audio.get(), m.astream, nullptr);
  if (m.video) {
    m.send(m.video.get(), m.vstream, nullptr);
  } else {
    while (m.copy_packets_until(1e18)) {}
  }
  const auto t0 = Clock::now();
  const int err = av_write_trailer(m.fmt);
  m.timings.mux_s += seconds_since(t0);
  if (err < 0) m.fail_output("finishing the file failed", err);
  const int close_err = avio_closep(&m.fmt->pb);
  m.io_open = false;
  if (close_err < 0) m.fail_output("closing the file failed", close_err);
}

bool mp4_can_copy_video(const std::filesystem::path& path) {
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, ("file:" + path.string()).c_str(), nullptr, nullptr) < 0) return false;
  const FormatPtr in(raw);
  if (avformat_find_stream_info(raw, nullptr) < 0) return false;
  const int stream = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  const AVOutputFormat* mp4 = av_guess_format("mp4", nullptr, nullptr);
  return stream >= 0 && mp4 != nullptr &&
         avformat_query_codec(mp4, raw->streams[stream]->codecpar->codec_id, FF_COMPLIANCE_NORMAL) == 1;
}

bool Mp4Writer::copy_video_until(double seconds) {
  auto& m = *impl_;
  if (!m.source) throw Error(ErrorCode::Internal, "this MP4's video is encoded, not copied");
  return m.copy_packets_until(seconds);
}

const Mp4Timings& Mp4Writer::timings() const { return impl_->timings; }

double Mp4Writer::audio_seconds() const {
  return static_cast<double>(impl_->input_frames) / impl_->settings.audio_rate;
}

const std::string& Mp4Writer::encoder_id() const { return impl_->encoder.id; }

const std::string& Mp4Writer::encoder_note() const { return impl_->encoder.note; }

}  // namespace mv
