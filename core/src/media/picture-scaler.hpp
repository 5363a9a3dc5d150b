// picture-scaler.hpp — the geometry of drawing a picture into a canvas (crops
// that cover, follow a focus or zoom, aligned for the chroma planes) and the
// scaler that converts any picture into BT.709 YUV 4:2:0 with libswscale.
// Internal to the media library: VisualSource draws with it.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <list>
#include <string>
#include <utility>
#include <vector>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include "av-ptr.hpp"
#include "mv/base/error.hpp"

namespace mv {

/// A new empty AVFrame. Error{Internal} when out of memory.
FramePtr new_frame();

/// A rectangle in source pixels.
struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
};

/// The layout-equivalent non-deprecated format of `fmt` (yuvj* → yuv*), and
/// whether the "j" said full range.
std::pair<AVPixelFormat, bool> plain_format(AVPixelFormat fmt);

/// Crop-origin alignment (pixels) that keeps every plane of `fmt` on a whole sample.
std::pair<int, int> crop_alignment(AVPixelFormat fmt);

/// The centred rectangle of a w × h source that has the aspect of tw × th
/// ("cover" crop), its origin aligned for `fmt`.
Rect cover_rect(int w, int h, int tw, int th, AVPixelFormat fmt);

/// `r` (a crop of a w × h source) moved so that its centre is at (fx·w, fy·h),
/// kept inside the source with a pixel to spare for the sub-pixel shift: the
/// origin aligned for `fmt`, the rest of the exact position in `shift_x`/`shift_y`
/// (source pixels, 0 ≤ shift < 2).
Rect focused_rect(Rect r, int w, int h, double fx, double fy, AVPixelFormat fmt, double& shift_x, double& shift_y);

/// Three passes of a 3 × 3 box blur over a w × h plane (about a Gaussian of σ 1.4 pixels).
void blur_plane(std::uint8_t* p, int w, int h, int stride);

/// The centre 1/zoom of `r` (zoom ≥ 1), its origin aligned for `fmt`'s chroma.
/// `step_w` > 1 (pixels): the width is rounded to the nearest multiple of it
/// (the height follows `r`'s aspect), so the zoom moves in steps of
/// step_w / r.w; a zoom that rounds to the whole width gives `r` itself.
Rect zoomed_rect(Rect r, double zoom, AVPixelFormat fmt, int step_w = 1);

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
int punch_step(Rect r, int out_w, AVPixelFormat fmt, bool shifted);

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

}  // namespace mv
