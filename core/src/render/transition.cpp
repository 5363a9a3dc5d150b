// transition.cpp — Transition (effects.hpp): the look's move at section changes.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "effects.hpp"

namespace mv {

namespace {

constexpr double kCrossfadeS = 0.5, kZoomS = 0.4, kWhipOutS = 0.12, kWhipInS = 0.18, kFlashS = 0.35;

/// Plane `p` (w × h) scaled by `scale` ≥ 1 about its centre into `out`, bilinear (16.16 fixed point).
void zoom_plane(const std::uint8_t* p, int w, int h, double scale, std::uint8_t* out) {
  const double inv = 1.0 / scale;
  const auto step = static_cast<std::int64_t>(std::llround(inv * 65536.0));
  const auto x0 = static_cast<std::int64_t>(std::llround(((1.0 - inv) * w / 2.0 + 0.5 * inv - 0.5) * 65536.0));
  for (int y = 0; y < h; ++y) {
    const double sy = (y + 0.5) * inv + (1.0 - inv) * h / 2.0 - 0.5;
    const int ya = std::clamp(static_cast<int>(sy), 0, h - 1), yb = std::min(ya + 1, h - 1);
    const int fy = std::clamp(static_cast<int>((sy - ya) * 256.0), 0, 256);
    const std::uint8_t* ra = p + static_cast<std::ptrdiff_t>(ya) * w;
    const std::uint8_t* rb = p + static_cast<std::ptrdiff_t>(yb) * w;
    std::uint8_t* o = out + static_cast<std::ptrdiff_t>(y) * w;
    std::int64_t sx = x0;
    for (int x = 0; x < w; ++x, sx += step) {
      const int xa = std::clamp(static_cast<int>(sx >> 16), 0, w - 1), xb = std::min(xa + 1, w - 1);
      const int fx = static_cast<int>((sx >> 8) & 0xFF);
      const int top = ra[xa] * (256 - fx) + ra[xb] * fx, bottom = rb[xa] * (256 - fx) + rb[xb] * fx;
      o[x] = static_cast<std::uint8_t>((top * (256 - fy) + bottom * fy + (1 << 15)) >> 16);
    }
  }
}

/// Each row of plane `p` (w × h) moved right by `dx` pixels (wrapping round) and
/// averaged over a box of `r` pixels either side (running sums). The window's
/// start wraps once per row instead of a modulo per pixel, and the division by
/// the box width n is a multiply by ⌊2³²/n⌋ + 1 and a shift, exact for sums
/// up to 255·n while 255·n² < 2³² (n < 4104; wider boxes divide).
void whip_plane(std::uint8_t* p, int w, int h, int dx, int r, std::vector<std::uint8_t>& row, std::vector<int>& sums) {
  row.resize(static_cast<std::size_t>(w));
  sums.resize(static_cast<std::size_t>(w) + 1);
  const int n = 2 * r + 1;
  const bool reciprocal = n < 4104;
  const std::uint64_t m = (std::uint64_t{1} << 32) / static_cast<std::uint64_t>(n) + 1;
  const int first = (((-dx - r) % w) + w) % w;  // the window's start for x = 0
  for (int y = 0; y < h; ++y) {
    std::uint8_t* line = p + static_cast<std::ptrdiff_t>(y) * w;
    int* s = sums.data();
    s[0] = 0;
    for (int x = 0; x < w; ++x) s[x + 1] = s[x] + line[x];
    const int total = s[w];
    int a = first;
    for (int x = 0; x < w; ++x) {
      // Sum of the wrapped source [a, a + n).
      const int b = a + n;
      const int sum = b <= w ? s[b] - s[a] : total - s[a] + s[b - w];
      row[static_cast<std::size_t>(x)] = static_cast<std::uint8_t>(
          reciprocal ? (static_cast<std::uint64_t>(sum) * m) >> 32 : static_cast<std::uint64_t>(sum / n));
      if (++a == w) a = 0;
    }
    std::memcpy(line, row.data(), static_cast<std::size_t>(w));
  }
}

}  // namespace

Transition::Transition(const std::string& name, int width, int height)
    : name_(name), width_(width), height_(height), previous_(name == "crossfade" ? width : 2, name == "crossfade" ? height : 2) {}

void Transition::apply(Canvas& canvas, const FrameInfo& f) {
  const double age = f.section_age_s, ahead = f.next_section_in_s, frame = 1.0 / f.fps;
  if (name_ == "crossfade") {
    if (have_previous_ && age < kCrossfadeS) canvas.blend_from(previous_, 1.0 - age / kCrossfadeS);
    // The last frame before a change is what the next section dissolves from.
    if (ahead > 0 && ahead <= frame + 1e-9) {
      previous_.copy_from(canvas);
      have_previous_ = true;
    }
  } else if (name_ == "zoom" && age < kZoomS) {
    const double p = age / kZoomS;
    zoom(canvas, 1.0 + 0.15 * (1.0 - p) * (1.0 - p));
  } else if (name_ == "whip" && (age < kWhipInS || (ahead > 0 && ahead <= kWhipOutS))) {
    // Out: accelerating to the left; in: from the right, settling. Speed (px
    // per frame) sets the blur, so the jump at the change is hidden in it.
    const double w = width_;
    double offset = 0.0, speed = 0.0;
    if (age < kWhipInS) {
      const double q = 1.0 - age / kWhipInS;
      offset = 0.5 * w * q * q;
      speed = w * q / kWhipInS * frame;
    } else {
      const double p = 1.0 - ahead / kWhipOutS;
      offset = -0.5 * w * p * p;
      speed = w * p / kWhipOutS * frame;
    }
    whip(canvas, offset, std::min(w / 12.0, 0.5 * speed));
  } else if (name_ == "flash" && age < kFlashS) {
    const double q = 1.0 - age / kFlashS;
    canvas.tint(Rgb{255, 255, 255}, 0.75 * q * q);
  }
}

void Transition::zoom(Canvas& canvas, double scale) {
  if (scale <= 1.0005) return;
  row_.resize(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_));
  auto plane = [&](std::uint8_t* p, int w, int h) {
    zoom_plane(p, w, h, scale, row_.data());
    std::memcpy(p, row_.data(), static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
  };
  plane(canvas.y(), width_, height_);
  plane(canvas.u(), width_ / 2, height_ / 2);
  plane(canvas.v(), width_ / 2, height_ / 2);
  if (canvas.tracks_coverage()) plane(canvas.coverage(), width_, height_);
}

void Transition::whip(Canvas& canvas, double offset_px, double blur_px) {
  const int dx = static_cast<int>(std::lround(offset_px / 2.0)) * 2, r = static_cast<int>(std::lround(blur_px / 2.0));
  if (dx == 0 && r == 0) return;
  whip_plane(canvas.y(), width_, height_, dx, 2 * r, row_, sums_);
  whip_plane(canvas.u(), width_ / 2, height_ / 2, dx / 2, r, row_, sums_);
  whip_plane(canvas.v(), width_ / 2, height_ / 2, dx / 2, r, row_, sums_);
  if (canvas.tracks_coverage()) whip_plane(canvas.coverage(), width_, height_, dx, 2 * r, row_, sums_);
}

}  // namespace mv
