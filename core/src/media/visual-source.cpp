// visual-source.cpp — photos and video clips for the montage mode, decoded with
// libavformat/libavcodec and scaled with libswscale straight into the canvas
// planes. Cropping is done by offsetting the source plane pointers (no copy):
// "cover" for clips, a moving sub-rectangle of a pre-scaled still for Ken Burns.
#include "mv/media/visual-source.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <list>
#include <string>
#include <system_error>
#include <utility>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include "av-ptr.hpp"
#include "hdr-convert.hpp"
#include "orientation.hpp"
#include "picture-scaler.hpp"
#include "unfinished-mp4.hpp"
#include "mv/base/error.hpp"

namespace mv {

namespace {

constexpr double kMargin = 1.15;   // pre-scaled still size relative to the canvas (detail for zooming)
constexpr double kMaxZoom = 1.12;  // Ken Burns zoom range is 1.0 .. kMaxZoom
constexpr double kPanZoom = 1.08;  // zoom held during pans


/// Writes the canvas's planes and strides for Scaler::scale.
void canvas_planes(Canvas& c, std::array<std::uint8_t*, 3>& planes, std::array<int, 3>& strides) {
  planes = {c.y(), c.u(), c.v()};
  strides = {c.y_stride(), c.uv_stride(), c.uv_stride()};
}

[[noreturn]] void unreadable(const std::filesystem::path& path) {
  throw_if_unfinished_mp4(path);
  throw Error(ErrorCode::InputInvalid, path.string() + " is not an image or video FFmpeg can read");
}

/// An open demuxer + decoder on the best picture stream of a file.
struct Decoder {
  FormatPtr fmt;
  CodecCtxPtr dec;
  PacketPtr pkt;
  int stream = -1;
  bool draining = false;  // the demuxer hit the end; the decoder is being flushed
  Uprighter upright;
  /// HDR or wide-gamut pictures are converted to BT.709 SDR (hdr-convert.hpp)
  /// at about the size they are drawn at: `fit_w` × `fit_h` (the canvas; 0: as decoded).
  ColourKind colour = ColourKind::Sdr709;
  HdrConverter hdr;
  int fit_w = 0, fit_h = 0;

  /// Opens `path`. Errors as VisualSource::open.
  static Decoder open(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      throw Error(ErrorCode::InputMissing, path.string() + " does not exist or is not a file");
    }
    Decoder d;
    // "file:" keeps a ':' in the name from reading as a protocol; pattern_type=none
    // keeps image2 from reading a '%' in it as a numbered sequence.
    AVDictionary* options = nullptr;
    av_dict_set(&options, "pattern_type", "none", 0);
    AVFormatContext* raw = nullptr;
    const int opened = avformat_open_input(&raw, ("file:" + path.string()).c_str(), nullptr, &options);
    av_dict_free(&options);
    if (opened < 0) unreadable(path);
    d.fmt.reset(raw);
    if (avformat_find_stream_info(d.fmt.get(), nullptr) < 0) unreadable(path);
    const AVCodec* codec = nullptr;
    d.stream = av_find_best_stream(d.fmt.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (d.stream == AVERROR_DECODER_NOT_FOUND) unreadable(path);
    if (d.stream < 0 || codec == nullptr) {
      throw Error(ErrorCode::InputInvalid, path.string() + " has no picture");
    }
    for (unsigned i = 0; i < d.fmt->nb_streams; ++i) {
      if (static_cast<int>(i) != d.stream) d.fmt->streams[i]->discard = AVDISCARD_ALL;
    }
    d.dec.reset(avcodec_alloc_context3(codec));
    d.pkt.reset(av_packet_alloc());
    if (!d.dec || !d.pkt) throw Error(ErrorCode::Internal, "out of memory (video decoder)");
    if (avcodec_parameters_to_context(d.dec.get(), d.fmt->streams[d.stream]->codecpar) < 0) unreadable(path);
    // Up to 1080p one thread (the caller's): one decoder there runs several
    // times faster than real time, its CPU is counted as ours, and no frames
    // wait in other threads. Larger pictures (4K phone video) get a second one.
    // Many clips may be open at once: threads and frames in flight stay few.
    const AVCodecParameters* par = d.fmt->streams[d.stream]->codecpar;
    d.dec->thread_count = static_cast<std::int64_t>(par->width) * par->height <= 1920LL * 1088 ? 1 : 2;
    if (avcodec_open2(d.dec.get(), codec, nullptr) < 0) unreadable(path);
    d.colour = colour_kind(par->color_trc, par->color_primaries);
    return d;
  }

  /// An HDR or wide-gamut frame as BT.709 SDR, scaled down (never up) so that
  /// it still covers the fit size with 25 % to spare for zoom punches.
  void to_sdr(AVFrame& f, int orientation) {
    if (f.color_trc == AVCOL_TRC_UNSPECIFIED) f.color_trc = dec->color_trc;
    if (f.color_primaries == AVCOL_PRI_UNSPECIFIED) f.color_primaries = dec->color_primaries;
    if (f.colorspace == AVCOL_SPC_UNSPECIFIED) f.colorspace = dec->colorspace;
    const bool turned = orientation >= 5;  // shown a quarter turn from how it is stored
    const double dw = turned ? f.height : f.width, dh = turned ? f.width : f.height;
    const double scale = fit_w > 0 && fit_h > 0 ? std::min(1.0, 1.25 * std::max(fit_w / dw, fit_h / dh)) : 1.0;
    hdr.convert(f, colour, scale);
  }

  [[nodiscard]] AVStream* st() const { return fmt->streams[stream]; }

  /// Decodes the next picture into `out`. False at end of stream (or when
  /// nothing more can be read). Corrupt packets are skipped.
  bool next(AVFrame* out) {
    for (;;) {
      const int ret = avcodec_receive_frame(dec.get(), out);
      if (ret >= 0) {
        const int orientation = frame_orientation(*out, *st());
        if (colour != ColourKind::Sdr709) to_sdr(*out, orientation);  // before turning: 10-bit in, 8-bit out
        upright.apply(*out, orientation);  // a phone's sideways photo or video
        return true;
      }
      if (ret == AVERROR_EOF || draining) return false;
      // EAGAIN (wants input) or a decode error (skip it): feed the next packet.
      if (av_read_frame(fmt.get(), pkt.get()) < 0) {
        draining = true;
        avcodec_send_packet(dec.get(), nullptr);
        continue;
      }
      if (pkt->stream_index == stream) (void)avcodec_send_packet(dec.get(), pkt.get());  // errors: skipped
      av_packet_unref(pkt.get());
    }
  }

  /// Moves to the key frame at or before `ts` (stream time base) and flushes
  /// the decoder. False if the file cannot be sought.
  bool seek(std::int64_t ts) {
    if (av_seek_frame(fmt.get(), stream, ts, AVSEEK_FLAG_BACKWARD) < 0) return false;
    avcodec_flush_buffers(dec.get());
    draining = false;
    return true;
  }

  /// Goes back to the first picture. False if the file cannot be sought.
  bool rewind() {
    const std::int64_t start = st()->start_time != AV_NOPTS_VALUE ? st()->start_time : 0;
    if (av_seek_frame(fmt.get(), stream, start, AVSEEK_FLAG_BACKWARD) < 0) return false;
    avcodec_flush_buffers(dec.get());
    draining = false;
    return true;
  }
};

/// A photo: decoded once, kept pre-scaled to cover kMargin × the canvas (so
/// zooming in stays sharp), then drawn as a moving, zooming sub-rectangle of
/// that: zoom 1 shows all of it, zoom z the centre 1/z (or a panned 1/z).
class StillSource final : public VisualSource {
 public:
  StillSource(std::filesystem::path path, const AVFrame& picture, int out_w, int out_h)
      : path_(std::move(path)), out_w_(out_w), out_h_(out_h), pre_(new_frame()) {
    pre_->format = AV_PIX_FMT_YUV420P;
    pre_->width = std::max(2, static_cast<int>(std::lround(out_w * kMargin)) & ~1);
    pre_->height = std::max(2, static_cast<int>(std::lround(out_h * kMargin)) & ~1);
    pre_->colorspace = AVCOL_SPC_BT709;
    pre_->color_range = AVCOL_RANGE_MPEG;
    if (av_frame_get_buffer(pre_.get(), 32) < 0) throw Error(ErrorCode::Internal, "out of memory (photo)");
    const Rect r = cover_rect(picture.width, picture.height, pre_->width, pre_->height,
                              plain_format(static_cast<AVPixelFormat>(picture.format)).first);
    Scaler scaler;
    scaler.scale(picture, r, {pre_->data[0], pre_->data[1], pre_->data[2]},
                 {pre_->linesize[0], pre_->linesize[1], pre_->linesize[2]}, pre_->width, pre_->height);
  }

  [[nodiscard]] bool is_still() const override { return true; }
  [[nodiscard]] const std::filesystem::path& path() const override { return path_; }

  void draw(Canvas& dst, double t, double shot_s, int move) override {
    const double lin = shot_s > 0.0 ? std::clamp(t / shot_s, 0.0, 1.0) : 0.0;
    const double p = lin * lin * (3.0 - 2.0 * lin);  // smoothstep
    double zoom = kPanZoom, fx = 0.5, fy = 0.5;       // fx, fy: view position within the free margin
    const int pw = pre_->width, ph = pre_->height;
    if (move == kMoveToFocus) {
      // The view's centre travels from the picture's centre to the focus as it closes in.
      zoom = 1.0 + (kMaxZoom - 1.0) * p;
      const double vw = pw / zoom, vh = ph / zoom;
      const auto toward = [&](double focus, double full, double view) {
        if (full - view < 1e-6) return 0.5;
        const double centre = (0.5 + (focus - 0.5) * p) * full;
        return std::clamp((centre - view / 2.0) / (full - view), 0.0, 1.0);
      };
      fx = toward(focus_x_, pw, vw);
      fy = toward(focus_y_, ph, vh);
    } else {
      switch (((move % 4) + 4) % 4) {
        case 0: zoom = 1.0 + (kMaxZoom - 1.0) * p; break;
        case 1: zoom = kMaxZoom - (kMaxZoom - 1.0) * p; break;
        case 2: fx = p; break;
        default: fx = fy = p; break;
      }
    }
    const double vw = pw / zoom, vh = ph / zoom;                 // the view, in pre-scaled pixels
    const double vx = fx * (pw - vw), vy = fy * (ph - vh);
    Rect r;
    r.w = std::clamp(static_cast<int>(std::lround(vw)), 2, pw);
    r.h = std::clamp(static_cast<int>(std::lround(vh)), 2, ph);
    r.x = std::min(static_cast<int>(vx) & ~1, (pw - r.w) & ~1);  // even: whole chroma samples
    r.y = std::min(static_cast<int>(vy) & ~1, (ph - r.h) & ~1);
    std::array<std::uint8_t*, 3> planes{};
    std::array<int, 3> strides{};
    canvas_planes(dst, planes, strides);
    scaler_.scale(*pre_, r, planes, strides, out_w_, out_h_, vx - r.x, vy - r.y);
  }

 private:
  std::filesystem::path path_;
  int out_w_, out_h_;
  FramePtr pre_;  // YUV 4:2:0, BT.709 limited, about kMargin × the canvas, already "cover"
  Scaler scaler_;
};

/// A clip: its decoder stays open and plays on across shots, looping at the end.
class VideoSource final : public VisualSource {
 public:
  VideoSource(std::filesystem::path path, Decoder decoder, FramePtr first, FramePtr second, int out_w, int out_h,
              double start_s)
      : path_(std::move(path)), out_w_(out_w), out_h_(out_h), dec_(std::move(decoder)),
        cur_(std::move(first)), next_(std::move(second)) {
    const AVStream* st = dec_.st();
    tb_ = av_q2d(st->time_base);
    AVRational rate = st->avg_frame_rate;
    if (rate.num <= 0 || rate.den <= 0) rate = st->r_frame_rate;
    frame_s_ = rate.num > 0 && rate.den > 0 ? std::clamp(av_q2d(av_inv_q(rate)), 1.0 / 240.0, 1.0) : 1.0 / 25.0;
    origin_ = cur_->best_effort_timestamp != AV_NOPTS_VALUE ? cur_->best_effort_timestamp : 0;
    cur_time_ = 0.0;
    next_time_ = time_of(*next_, cur_time_);
    has_next_ = true;
    if (start_s > 0.0) start_at(start_s);
  }

  [[nodiscard]] bool is_still() const override { return false; }
  [[nodiscard]] const std::filesystem::path& path() const override { return path_; }

  void draw(Canvas& dst, double t, double /*shot_s*/, int /*move*/) override {
    if (t < last_t_) base_ = last_clip_s_;  // a new shot: continue where the clip left off
    last_t_ = t;
    last_clip_s_ = base_ + t;
    advance(last_clip_s_);
    const auto fmt = plain_format(static_cast<AVPixelFormat>(cur_->format)).first;
    std::array<std::uint8_t*, 3> planes{};
    std::array<int, 3> strides{};
    canvas_planes(dst, planes, strides);
    if (fit_ != Fit::Cover) {
      draw_fitted(dst, fmt, planes, strides);
      return;
    }
    Rect r = cover_rect(cur_->width, cur_->height, out_w_, out_h_, fmt);
    double shift_x = 0.0, shift_y = 0.0;
    if (box_[2] > box_[0] && box_[3] > box_[1]) {  // a box of the picture, covered as a picture of its own
      const auto [ax, ay] = crop_alignment(fmt);
      const int bx = static_cast<int>(box_[0] * cur_->width) / ax * ax, by = static_cast<int>(box_[1] * cur_->height) / ay * ay;
      const int bw = std::max(ax, static_cast<int>((box_[2] - box_[0]) * cur_->width) / ax * ax);
      const int bh = std::max(ay, static_cast<int>((box_[3] - box_[1]) * cur_->height) / ay * ay);
      r = cover_rect(std::min(bw, cur_->width - bx), std::min(bh, cur_->height - by), out_w_, out_h_, fmt);
      r.x += bx;
      r.y += by;
    } else if (focus_x_ != 0.5 || focus_y_ != 0.5) {
      r = focused_rect(r, cur_->width, cur_->height, focus_x_, focus_y_, fmt, shift_x, shift_y);
    }
    r = zoomed_rect(r, zoom_, fmt, punch_step(r, out_w_, fmt, shift_x != 0.0 || shift_y != 0.0));
    const int top = std::clamp(rows_top_, 0, out_h_) & ~1, bottom = std::clamp(rows_bottom_, 0, out_h_) & ~1;
    if (bottom <= top || (top == 0 && bottom == out_h_)) {
      scaler_.scale(*cur_, r, planes, strides, out_w_, out_h_, shift_x, shift_y);
      return;
    }
    // The band's share of the source rectangle, its rows aligned for the chroma
    // planes (at most one alignment step off the exact mapping).
    const int ay = crop_alignment(fmt).second;
    const int y0 = static_cast<int>(std::lround(static_cast<double>(top) * r.h / out_h_)) / ay * ay;
    const int y1 = std::min(r.h, (static_cast<int>(std::lround(static_cast<double>(bottom) * r.h / out_h_)) + ay - 1) / ay * ay);
    r.y += y0;
    r.h = std::max(ay, y1 - y0);
    planes[0] += static_cast<std::ptrdiff_t>(top) * strides[0];
    planes[1] += static_cast<std::ptrdiff_t>(top / 2) * strides[1];
    planes[2] += static_cast<std::ptrdiff_t>(top / 2) * strides[2];
    scaler_.scale(*cur_, r, planes, strides, out_w_, bottom - top, shift_x, shift_y);
  }

 private:
  /// Contain and Blur: the whole picture (zoomed by a punch), scaled to fit and
  /// centred, over black or over a blurred, darkened copy that covers the frame.
  void draw_fitted(Canvas& dst, AVPixelFormat fmt, std::array<std::uint8_t*, 3> planes, const std::array<int, 3>& strides) {
    const int w = cur_->width, h = cur_->height;
    const auto [ax, ay] = crop_alignment(fmt);
    const Rect whole = zoomed_rect(Rect{0, 0, w / ax * ax, h / ay * ay}, zoom_, fmt);
    const double s = std::min(static_cast<double>(out_w_) / whole.w, static_cast<double>(out_h_) / whole.h);
    const int fw = std::clamp(static_cast<int>(std::lround(whole.w * s)) & ~1, 2, out_w_);
    const int fh = std::clamp(static_cast<int>(std::lround(whole.h * s)) & ~1, 2, out_h_);
    const int x0 = ((out_w_ - fw) / 2) & ~1, y0 = ((out_h_ - fh) / 2) & ~1;
    if (fit_ == Fit::Blur) {
      draw_backdrop(fmt, planes, strides);
    } else {
      dst.fill(Rgb{0, 0, 0});
    }
    planes[0] += static_cast<std::ptrdiff_t>(y0) * strides[0] + x0;
    planes[1] += static_cast<std::ptrdiff_t>(y0 / 2) * strides[1] + x0 / 2;
    planes[2] += static_cast<std::ptrdiff_t>(y0 / 2) * strides[2] + x0 / 2;
    scaler_.scale(*cur_, whole, planes, strides, fw, fh);
  }

  /// The frame covered by the picture shrunk to 1/16, blurred, darkened to
  /// half (70 % of its colour) and scaled back up (swscale's bilinear upscaling of a blurred
  /// thumbnail is a wide, smooth blur for a fraction of a full-size one's cost).
  void draw_backdrop(AVPixelFormat fmt, const std::array<std::uint8_t*, 3>& planes, const std::array<int, 3>& strides) {
    const int sw = std::max(4, (out_w_ / 16) & ~1), sh = std::max(4, (out_h_ / 16) & ~1);
    if (!small_) {
      small_ = new_frame();
      small_->format = AV_PIX_FMT_YUV420P;
      small_->width = sw;
      small_->height = sh;
      small_->colorspace = AVCOL_SPC_BT709;
      small_->color_range = AVCOL_RANGE_MPEG;
      if (av_frame_get_buffer(small_.get(), 32) < 0) throw Error(ErrorCode::Internal, "out of memory (picture)");
    }
    const std::array<std::uint8_t*, 3> sp{small_->data[0], small_->data[1], small_->data[2]};
    const std::array<int, 3> ss{small_->linesize[0], small_->linesize[1], small_->linesize[2]};
    shrink_.scale(*cur_, cover_rect(cur_->width, cur_->height, out_w_, out_h_, fmt), sp, ss, sw, sh);
    blur_plane(sp[0], sw, sh, ss[0]);
    blur_plane(sp[1], sw / 2, sh / 2, ss[1]);
    blur_plane(sp[2], sw / 2, sh / 2, ss[2]);
    for (int y = 0; y < sh; ++y) {  // half the brightness, 70 % of the colour
      std::uint8_t* row = sp[0] + static_cast<std::ptrdiff_t>(y) * ss[0];
      for (int x = 0; x < sw; ++x) row[x] = static_cast<std::uint8_t>(16 + (row[x] - 16) / 2);
    }
    for (int c = 1; c < 3; ++c) {
      for (int y = 0; y < sh / 2; ++y) {
        std::uint8_t* row = sp[static_cast<std::size_t>(c)] + static_cast<std::ptrdiff_t>(y) * ss[static_cast<std::size_t>(c)];
        for (int x = 0; x < sw / 2; ++x) row[x] = static_cast<std::uint8_t>(128 + (row[x] - 128) * 7 / 10);
      }
    }
    grow_.scale(*small_, Rect{0, 0, sw, sh}, planes, strides, out_w_, out_h_);
  }

  /// Seconds since the clip's first picture, for a decoded frame (`prev`: the time of the one before).
  [[nodiscard]] double time_of(const AVFrame& f, double prev) const {
    if (f.best_effort_timestamp == AV_NOPTS_VALUE) return prev + frame_s_;
    return static_cast<double>(f.best_effort_timestamp - origin_) * tb_;
  }

  /// Makes cur_ the last frame with time <= clip time `clip_s` (looping at the end).
  void advance(double clip_s) {
    constexpr int kMaxDecodes = 1 << 20;  // only guards against a pathological file
    for (int i = 0; i < kMaxDecodes; ++i) {
      if (!has_next_) {
        has_next_ = dec_.next(next_.get());
        if (has_next_) next_time_ = time_of(*next_, cur_time_);
      }
      if (!has_next_) {  // end of file: hold the last frame for its duration, then loop
        const double length = cur_time_ + frame_s_;
        const double local = clip_s - offset_;
        if (local < length || !restart()) return;
        offset_ += length * std::floor(local / length);
        continue;
      }
      if (next_time_ > clip_s - offset_) return;
      std::swap(cur_, next_);
      cur_time_ = next_time_;
      av_frame_unref(next_.get());
      has_next_ = false;
    }
  }

  /// Makes clip time 0 the file's time `start_s`: seeks to the key frame
  /// before it and decodes on to the frame on screen then. A file that cannot
  /// be sought is decoded from its start (slower, same result).
  void start_at(double start_s) {
    const auto shift = static_cast<std::int64_t>(std::llround(start_s / tb_));
    if (dec_.seek(origin_ + shift) && dec_.next(next_.get())) {
      std::swap(cur_, next_);  // the key frame at or before start_s
      has_next_ = false;
    }
    origin_ += shift;  // times are now relative to start_s: frames before it are negative
    cur_time_ = time_of(*cur_, -frame_s_);
    if (has_next_) next_time_ = time_of(*next_, cur_time_);
    advance(0.0);
  }

  /// Back to the start of the file (seek, else reopen). False if neither works.
  bool restart() {
    if (!dec_.rewind()) {
      try {
        const int fit_w = dec_.fit_w, fit_h = dec_.fit_h;
        dec_ = Decoder::open(path_);
        dec_.fit_w = fit_w;
        dec_.fit_h = fit_h;
      } catch (const Error&) {
        return false;
      }
    }
    has_next_ = dec_.next(next_.get());
    if (!has_next_) return false;
    next_time_ = std::max(0.0, time_of(*next_, 0.0));
    return true;
  }

  std::filesystem::path path_;
  int out_w_, out_h_;
  Decoder dec_;
  FramePtr cur_, next_;      // the frame on screen and the one after it (decoded ahead)
  bool has_next_ = false;
  double tb_ = 0.0, frame_s_ = 0.04;
  std::int64_t origin_ = 0;  // pts of the first picture
  double cur_time_ = 0.0, next_time_ = 0.0;  // seconds since the first picture
  double offset_ = 0.0;      // clip time at which the current pass through the file began
  double base_ = 0.0, last_t_ = 0.0, last_clip_s_ = 0.0;
  Scaler scaler_;
  Scaler shrink_, grow_;  // Fit::Blur's backdrop: to the thumbnail and back up
  FramePtr small_;        // the backdrop's thumbnail, YUV 4:2:0 BT.709 limited
};

}  // namespace

std::unique_ptr<VisualSource> VisualSource::open(const std::filesystem::path& path, int out_w, int out_h,
                                                 double start_s) {
  if (out_w <= 0 || out_h <= 0 || out_w % 2 != 0 || out_h % 2 != 0) {
    throw Error(ErrorCode::Internal, "picture size must be positive and even");
  }
  Decoder dec = Decoder::open(path);
  dec.fit_w = out_w;
  dec.fit_h = out_h;
  FramePtr first = new_frame();
  if (!dec.next(first.get())) unreadable(path);

  const std::string format = dec.fmt->iformat->name;
  const bool image_format = format == "image2" || format == "gif" ||
                            (format.size() > 5 && format.compare(format.size() - 5, 5, "_pipe") == 0);
  const bool cover_art = (dec.st()->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0;
  if (!image_format && !cover_art) {
    FramePtr second = new_frame();
    if (dec.next(second.get())) {
      return std::make_unique<VideoSource>(path, std::move(dec), std::move(first), std::move(second), out_w, out_h,
                                           start_s);
    }
  }
  return std::make_unique<StillSource>(path, *first, out_w, out_h);  // one picture: a still
}

}  // namespace mv
