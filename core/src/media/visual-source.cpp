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
#include "unfinished-mp4.hpp"
#include "mv/base/error.hpp"

namespace mv {

namespace {

constexpr double kMargin = 1.15;   // pre-scaled still size relative to the canvas (detail for zooming)
constexpr double kMaxZoom = 1.12;  // Ken Burns zoom range is 1.0 .. kMaxZoom
constexpr double kPanZoom = 1.08;  // zoom held during pans


FramePtr new_frame() {
  FramePtr f(av_frame_alloc());
  if (!f) throw Error(ErrorCode::Internal, "out of memory (video frame)");
  return f;
}

/// A rectangle in source pixels.
struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
};

/// The layout-equivalent non-deprecated format of `fmt` (yuvj* → yuv*), and
/// whether the "j" said full range.
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

/// Crop-origin alignment (pixels) that keeps every plane of `fmt` on a whole sample.
std::pair<int, int> crop_alignment(AVPixelFormat fmt) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  if (d == nullptr) return {1, 1};
  const int ax = (d->flags & AV_PIX_FMT_FLAG_BITSTREAM) != 0 ? 8 : 1 << d->log2_chroma_w;
  return {ax, 1 << d->log2_chroma_h};
}

/// The centred rectangle of a w × h source that has the aspect of tw × th
/// ("cover" crop), its origin aligned for `fmt`.
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

/// `r` (a crop of a w × h source) moved so that its centre is at (fx·w, fy·h),
/// kept inside the source with a pixel to spare for the sub-pixel shift: the
/// origin aligned for `fmt`, the rest of the exact position in `shift_x`/`shift_y`
/// (source pixels, 0 ≤ shift < 2).
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

/// Three passes of a 3 × 3 box blur over a w × h plane (about a Gaussian of σ 1.4 pixels).
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

/// The centre 1/zoom of `r` (zoom ≥ 1), its origin aligned for `fmt`'s chroma.
/// `step_w` > 1 (pixels): the width is rounded to the nearest multiple of it
/// (the height follows `r`'s aspect), so the zoom moves in steps of
/// step_w / r.w; a zoom that rounds to the whole width gives `r` itself.
Rect zoomed_rect(Rect r, double zoom, AVPixelFormat fmt, int step_w = 1) {
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

/// The width step for a punch's crop of `r` drawn out_w pixels wide:
/// swscale's fast bilinear enlargement has an x86 (MMXEXT) horizontal scaler
/// for 8-bit planar YUV sources whose width is a multiple of 16 drawn at a
/// multiple of 32 (libswscale/utils.c, `canMMXEXTBeUsed`), ~1/3 cheaper than
/// its C loop at 1080p here (0.78 against 1.16 ms a frame). So a punch into a
/// source that is enlarged anyway crops a width that is a multiple of 16: zoom
/// steps of 16 / r.w (0.8 % at 1080p), below what the eye follows in a punch's
/// 0.2 s decay. 1 (exact zoom) where the fast path cannot run (RGB or deep
/// sources, a sub-pixel shift, an output width not a multiple of 32, or an
/// enlargement past 1.25, which takes the exact bilinear filter anyway) and
/// where a step would be over 1 % (crops under 1600 pixels wide: 720p and
/// smaller frames, which are cheap to scale exactly).
int punch_step(Rect r, int out_w, AVPixelFormat fmt, bool shifted) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  if (d == nullptr || shifted || out_w % 32 != 0 || r.w > out_w || r.w * 5 < out_w * 4 || r.w < 1600) return 1;
  const bool planar_yuv = (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM)) == 0 &&
                          (d->flags & AV_PIX_FMT_FLAG_PLANAR) != 0 && d->comp[0].depth == 8 && d->nb_components >= 3;
  return planar_yuv ? 16 : 1;
}

/// Converts any picture to BT.709 limited-range YUV 4:2:0 with libswscale,
/// reusing its context while the geometry stays the same.
class Scaler {
 public:
  /// Scales rectangle `r` of `src` (any pixel format; origin aligned as
  /// crop_alignment says) to dst_w × dst_h pixels in the YUV 4:2:0 planes `dst`
  /// with row strides `stride` (bytes). `shift_x`/`shift_y` (source pixels,
  /// 0 <= shift < 2) move the origin on by a fraction of the alignment step, for
  /// smooth slow motion; they are applied as a swscale source filter (linear
  /// interpolation), quantised to 1/32 pixel. Error{Media} if swscale refuses.
  void scale(const AVFrame& src, Rect r, const std::array<std::uint8_t*, 3>& dst,
             const std::array<int, 3>& stride, int dst_w, int dst_h, double shift_x = 0.0,
             double shift_y = 0.0) {
    auto [fmt, full] = plain_format(static_cast<AVPixelFormat>(src.format));
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
    if (d == nullptr) throw Error(ErrorCode::Media, "unknown picture format in a clip or photo");
    const bool rgb = (d->flags & AV_PIX_FMT_FLAG_RGB) != 0 || (d->flags & AV_PIX_FMT_FLAG_PAL) != 0;
    const bool gray = !rgb && d->nb_components <= 2;
    full = full || src.color_range == AVCOL_RANGE_JPEG || (gray && src.color_range != AVCOL_RANGE_MPEG);
    Planes in = cropped_planes(src, r, *d);
    if (via_rgb(fmt, *d)) {  // swscale maps palettes with fixed BT.601 maths: expand to RGB first
      expand_to_rgb(in, r, fmt, *d);
      scale(*rgb_, Rect{0, 0, r.w, r.h}, dst, stride, dst_w, dst_h);
      return;
    }
    const auto q = [](double v) { return static_cast<int>(std::lround(std::clamp(v, 0.0, 1.97) * 32.0)); };
    const Key key{r.w, r.h, fmt, dst_w, dst_h, source_colorspace(src, full), full, q(shift_x), q(shift_y)};
    SwsContext* ctx = context(key, *d);
    std::array<std::uint8_t*, 4> out{dst[0], dst[1], dst[2], nullptr};
    std::array<int, 4> out_stride{stride[0], stride[1], stride[2], 0};
    sws_scale(ctx, in.data.data(), in.stride.data(), 0, r.h, out.data(), out_stride.data());
  }

 private:
  struct Key {
    int w = 0, h = 0;
    AVPixelFormat fmt = AV_PIX_FMT_NONE;
    int dst_w = 0, dst_h = 0, cs = 0;
    bool full = false;
    int shift_x = 0, shift_y = 0;  // 1/32 pixel
    bool operator==(const Key&) const = default;
  };
  /// A picture's planes with their row strides (bytes).
  struct Planes {
    std::array<const std::uint8_t*, 4> data{};
    std::array<int, 4> stride{};
  };

  /// swscale's colourspace of a source: its tag, else BT.601 for JPEG-range or
  /// SD pictures and BT.709 for HD (what players assume).
  static int source_colorspace(const AVFrame& src, bool full) {
    switch (src.colorspace) {
      case AVCOL_SPC_BT709: return SWS_CS_ITU709;
      case AVCOL_SPC_BT470BG:
      case AVCOL_SPC_SMPTE170M: return SWS_CS_ITU601;
      case AVCOL_SPC_FCC: return SWS_CS_FCC;
      case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
      case AVCOL_SPC_BT2020_NCL:
      case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
      default: return (full || src.height < 720) ? SWS_CS_ITU601 : SWS_CS_ITU709;  // JPEG / SD guess
    }
  }

  /// Plane pointers moved to the crop origin of `r`: the crop costs nothing.
  static Planes cropped_planes(const AVFrame& src, Rect r, const AVPixFmtDescriptor& d) {
    Planes p;
    for (int i = 0; i < 4; ++i) {
      p.data[i] = src.data[i];
      p.stride[i] = src.linesize[i];
    }
    std::array<bool, 4> moved{};
    for (int c = 0; c < d.nb_components; ++c) {
      const AVComponentDescriptor& comp = d.comp[c];
      if (moved[comp.plane] || p.data[comp.plane] == nullptr) continue;
      moved[comp.plane] = true;
      const bool chroma = comp.plane == 1 || comp.plane == 2;
      const int sx = chroma ? d.log2_chroma_w : 0, sy = chroma ? d.log2_chroma_h : 0;
      std::ptrdiff_t bytes_x = static_cast<std::ptrdiff_t>(r.x >> sx) * comp.step;
      if ((d.flags & AV_PIX_FMT_FLAG_BITSTREAM) != 0) bytes_x /= 8;
      p.data[comp.plane] += static_cast<std::ptrdiff_t>(r.y >> sy) * p.stride[comp.plane] + bytes_x;
    }
    return p;
  }

  /// Expands a paletted or low-bit RGB crop into rgb_ (RGB24, r.w × r.h).
  void expand_to_rgb(const Planes& in, Rect r, AVPixelFormat fmt, const AVPixFmtDescriptor& d) {
    if (!rgb_ || rgb_->width != r.w || rgb_->height != r.h) {
      rgb_ = new_frame();
      rgb_->format = AV_PIX_FMT_RGB24;
      rgb_->width = r.w;
      rgb_->height = r.h;
      if (av_frame_get_buffer(rgb_.get(), 32) < 0) throw Error(ErrorCode::Internal, "out of memory (picture)");
    }
    expand_.reset(sws_getCachedContext(expand_.release(), r.w, r.h, fmt, r.w, r.h, AV_PIX_FMT_RGB24, SWS_POINT,
                                       nullptr, nullptr, nullptr));
    if (!expand_) throw Error(ErrorCode::Media, std::string("cannot convert a ") + d.name + " picture");
    sws_scale(expand_.get(), in.data.data(), in.stride.data(), 0, r.h, rgb_->data, rgb_->linesize);
  }

  /// The scaling context for `key` (like sws_getCachedContext's cache, which
  /// ignores filters: a Ken Burns move changes the crop every frame, a clip never
  /// does). A sub-pixel shift is a 2-tap linear source filter.
  /// The swscale context for `key`: the most recently used few are kept, so a
  /// zoom punch that passes through the same crops after every beat does not
  /// rebuild its filters each frame (a 1080p context costs milliseconds).
  SwsContext* context(const Key& key, const AVPixFmtDescriptor& d) {
    constexpr std::size_t kKept = 16;
    auto it = std::find_if(cache_.begin(), cache_.end(), [&](const auto& c) { return c.first == key; });
    if (it == cache_.end()) {
      if (cache_.size() >= kKept) cache_.pop_back();
      cache_.emplace_front(key, make_context(key, d));
    } else if (it != cache_.begin()) {
      cache_.splice(cache_.begin(), cache_, it);
    }
    return cache_.front().second.get();
  }

  static SwsPtr make_context(const Key& key, const AVPixFmtDescriptor& d) {
    std::array<std::array<double, 5>, 4> taps{};  // lumH, lumV, chrH, chrV; tap 2 is "no shift"
    const auto set_shift = [](std::array<double, 5>& t, double shift) {
      const int whole = static_cast<int>(shift);
      // 2 + whole and 3 + whole index a 5-tap array: small ints, no overflow before widening.
      t[static_cast<std::size_t>(2 + whole)] = 1.0 - (shift - whole);  // NOLINT(bugprone-misplaced-widening-cast)
      t[static_cast<std::size_t>(3 + whole)] = shift - whole;          // NOLINT(bugprone-misplaced-widening-cast)
    };
    set_shift(taps[0], key.shift_x / 32.0);
    set_shift(taps[1], key.shift_y / 32.0);
    set_shift(taps[2], key.shift_x / 32.0 / (1 << d.log2_chroma_w));
    set_shift(taps[3], key.shift_y / 32.0 / (1 << d.log2_chroma_h));
    std::array<SwsVector, 4> vec{};
    for (std::size_t i = 0; i < 4; ++i) vec[i] = SwsVector{taps[i].data(), 5};
    SwsFilter filter{&vec[0], &vec[1], &vec[2], &vec[3]};
    const bool shifted = key.shift_x != 0 || key.shift_y != 0;
    // A slight enlargement (a beat's punch into footage: up to 25 %) uses
    // swscale's fast bilinear path, ~25 % cheaper per 1080p frame here and the
    // same to the eye at these factors; shrinking and larger factors keep the
    // exact bilinear filter.
    const bool slight_up = !shifted && key.dst_w >= key.w && key.dst_h >= key.h && key.dst_w * 4 <= key.w * 5 &&
                           key.dst_h * 4 <= key.h * 5;
    SwsPtr ctx(sws_getContext(key.w, key.h, key.fmt, key.dst_w, key.dst_h, AV_PIX_FMT_YUV420P,
                              slight_up ? SWS_FAST_BILINEAR : SWS_BILINEAR,
                              shifted ? &filter : nullptr, nullptr, nullptr));
    if (!ctx) throw Error(ErrorCode::Media, std::string("cannot convert a ") + d.name + " picture");
    sws_setColorspaceDetails(ctx.get(), sws_getCoefficients(key.cs), key.full ? 1 : 0,
                             sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
    return ctx;
  }

  /// Paletted and 8-bit-or-less packed RGB formats, which swscale reads through a BT.601 palette.
  static bool via_rgb(AVPixelFormat fmt, const AVPixFmtDescriptor& d) {
    return (d.flags & AV_PIX_FMT_FLAG_PAL) != 0 || fmt == AV_PIX_FMT_RGB8 || fmt == AV_PIX_FMT_BGR8 ||
           fmt == AV_PIX_FMT_RGB4 || fmt == AV_PIX_FMT_BGR4 || fmt == AV_PIX_FMT_RGB4_BYTE ||
           fmt == AV_PIX_FMT_BGR4_BYTE;
  }

  std::list<std::pair<Key, SwsPtr>> cache_;  ///< most recently used first
  SwsPtr expand_;  // palette → RGB24, same size
  FramePtr rgb_;   // its output, the size of the last crop
};

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
