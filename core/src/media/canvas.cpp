// canvas.cpp — drawing primitives on YUV 4:2:0 planes (see canvas.hpp).
#include "mv/media/canvas.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <utility>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "mv/base/error.hpp"
#include "mv/base/simd.hpp"

namespace mv {

namespace {

/// Alpha 0..1 → 0..256 fixed point.
int alpha_fixed(double alpha) { return static_cast<int>(std::lround(std::clamp(alpha, 0.0, 1.0) * 256.0)); }

inline std::uint8_t blend8(std::uint8_t dst, std::uint8_t src, int a) {
  return static_cast<std::uint8_t>((src * a + dst * (256 - a)) >> 8);
}

}  // namespace

Yuv to_yuv(Rgb c) {
  // BT.709: Y' = 0.2126 R' + 0.7152 G' + 0.0722 B'; Cb = (B' − Y') / 1.8556; Cr = (R' − Y') / 1.5748.
  const double r = c.r / 255.0, g = c.g / 255.0, b = c.b / 255.0;
  const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const double cb = (b - y) / 1.8556;
  const double cr = (r - y) / 1.5748;
  auto q = [](double v) { return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L)); };
  return {q(16.0 + 219.0 * y), q(128.0 + 224.0 * cb), q(128.0 + 224.0 * cr)};
}

Rgb mix(Rgb a, Rgb b, double t) {
  t = std::clamp(t, 0.0, 1.0);
  auto m = [t](std::uint8_t x, std::uint8_t y) {
    return static_cast<std::uint8_t>(std::lround(x + (y - x) * t));
  };
  return {m(a.r, b.r), m(a.g, b.g), m(a.b, b.b)};
}

Canvas::Canvas(int width, int height) : width_(width), height_(height) {
  if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
    throw Error(ErrorCode::Internal, "canvas size must be positive and even");
  }
  const auto luma = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  y_.assign(luma, 16);
  u_.assign(luma / 4, 128);
  v_.assign(luma / 4, 128);
}

void Canvas::track_coverage(bool on) {
  if (on) {
    c_.assign(y_.size(), 0);
  } else {
    c_.clear();
    c_.shrink_to_fit();
  }
}

void Canvas::clear() {
  std::memset(y_.data(), 16, y_.size());
  std::memset(u_.data(), 128, u_.size());
  std::memset(v_.data(), 128, v_.size());
  if (tracks_coverage()) std::memset(c_.data(), 0, c_.size());
}

void Canvas::fill(Rgb color) {
  const Yuv c = to_yuv(color);
  std::memset(y_.data(), c.y, y_.size());
  std::memset(u_.data(), c.u, u_.size());
  std::memset(v_.data(), c.v, v_.size());
  if (tracks_coverage()) std::memset(c_.data(), 255, c_.size());
}

void Canvas::vertical_gradient(Rgb top, Rgb bottom) {
  if (tracks_coverage()) std::memset(c_.data(), 255, c_.size());
  for (int row = 0; row < height_; ++row) {
    const Yuv c = to_yuv(mix(top, bottom, static_cast<double>(row) / (height_ - 1)));
    std::memset(y_.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(width_), c.y,
                static_cast<std::size_t>(width_));
    if (row % 2 == 0) {
      const auto off = static_cast<std::size_t>(row / 2) * static_cast<std::size_t>(width_ / 2);
      std::memset(u_.data() + off, c.u, static_cast<std::size_t>(width_ / 2));
      std::memset(v_.data() + off, c.v, static_cast<std::size_t>(width_ / 2));
    }
  }
}

void Canvas::copy_from(const Canvas& other) {
  y_ = other.y_;
  u_ = other.u_;
  v_ = other.v_;
  if (other.tracks_coverage()) {
    c_ = other.c_;
  } else if (tracks_coverage()) {
    c_.assign(y_.size(), 255);  // the copied picture covers everything
  }
  width_ = other.width_;
  height_ = other.height_;
}

void Canvas::paste_rows(const Canvas& band, int y) {
  if (band.width_ != width_) return;
  y &= ~1;
  const int first = std::max(0, -y), last = std::min(band.height_, height_ - y);
  if (last <= first) return;
  const auto w = static_cast<std::size_t>(width_), cw = w / 2;
  std::copy(band.y_.begin() + static_cast<std::ptrdiff_t>(first * w), band.y_.begin() + static_cast<std::ptrdiff_t>(last * w),
            y_.begin() + static_cast<std::ptrdiff_t>((y + first) * w));
  if (tracks_coverage()) std::memset(c_.data() + static_cast<std::ptrdiff_t>((y + first) * w), 255, static_cast<std::size_t>(last - first) * w);
  const int cf = first / 2, cl = last / 2, cy = y / 2;
  for (auto [dst, src] : {std::pair{&u_, &band.u_}, std::pair{&v_, &band.v_}}) {
    std::copy(src->begin() + static_cast<std::ptrdiff_t>(cf * cw), src->begin() + static_cast<std::ptrdiff_t>(cl * cw),
              dst->begin() + static_cast<std::ptrdiff_t>((cy + cf) * cw));
  }
}

void Canvas::blend_from(const Canvas& other, double alpha) {
  const int a = alpha_fixed(alpha);
  if (a <= 0) return;
  auto blend_plane = [a](std::vector<std::uint8_t>& dst, const std::vector<std::uint8_t>& src) {
    for (std::size_t i = 0; i < dst.size(); ++i) dst[i] = blend8(dst[i], src[i], a);
  };
  blend_plane(y_, other.y_);
  blend_plane(u_, other.u_);
  blend_plane(v_, other.v_);
  if (tracks_coverage()) {
    if (other.tracks_coverage()) {
      blend_plane(c_, other.c_);
    } else {
      for (auto& p : c_) p = blend8(p, 255, a);
    }
  }
}

void Canvas::tint(Rgb color, double amount) {
  const int a = alpha_fixed(amount);
  if (a <= 0) return;
  const Yuv c = to_yuv(color);
  for (auto& p : y_) p = blend8(p, c.y, a);
  for (auto& p : u_) p = blend8(p, c.u, a);
  for (auto& p : v_) p = blend8(p, c.v, a);
}

void Canvas::blend_rect(int x, int y, int w, int h, Rgb color, double alpha) {
  const int x0 = std::max(0, x), y0 = std::max(0, y);
  const int x1 = std::min(width_, x + w), y1 = std::min(height_, y + h);
  const int a = alpha_fixed(alpha);
  if (x0 >= x1 || y0 >= y1 || a <= 0) return;
  const Yuv c = to_yuv(color);
  if (a >= 256) {  // opaque (letterbox bars, fills): plain stores
    for (int row = y0; row < y1; ++row) {
      std::memset(y_.data() + static_cast<std::ptrdiff_t>(row) * width_ + x0, c.y, static_cast<std::size_t>(x1 - x0));
      if (tracks_coverage()) std::memset(c_.data() + static_cast<std::ptrdiff_t>(row) * width_ + x0, 255, static_cast<std::size_t>(x1 - x0));
    }
    const int cx0 = (x0 + 1) / 2, cx1 = (x1 + 1) / 2;
    for (int row = (y0 + 1) / 2; row < (y1 + 1) / 2 && cx1 > cx0; ++row) {
      const auto off = static_cast<std::ptrdiff_t>(row) * (width_ / 2) + cx0;
      std::memset(u_.data() + off, c.u, static_cast<std::size_t>(cx1 - cx0));
      std::memset(v_.data() + off, c.v, static_cast<std::size_t>(cx1 - cx0));
    }
    return;
  }
  for (int row = y0; row < y1; ++row) {
    std::uint8_t* py = y_.data() + static_cast<std::ptrdiff_t>(row) * width_;
    for (int col = x0; col < x1; ++col) py[col] = blend8(py[col], c.y, a);
    if (!tracks_coverage()) continue;
    std::uint8_t* pc = c_.data() + static_cast<std::ptrdiff_t>(row) * width_;
    for (int col = x0; col < x1; ++col) pc[col] = blend8(pc[col], 255, a);
  }
  for (int row = (y0 + 1) / 2; row < (y1 + 1) / 2; ++row) {
    const auto off = static_cast<std::ptrdiff_t>(row) * (width_ / 2);
    for (int col = (x0 + 1) / 2; col < (x1 + 1) / 2; ++col) {
      u_[static_cast<std::size_t>(off + col)] = blend8(u_[static_cast<std::size_t>(off + col)], c.u, a);
      v_[static_cast<std::size_t>(off + col)] = blend8(v_[static_cast<std::size_t>(off + col)], c.v, a);
    }
  }
}

void Canvas::blend_column(int x, int y0, int y1, Rgb color, double alpha) {
  if (y0 > y1) std::swap(y0, y1);
  blend_rect(x, y0, 1, y1 - y0 + 1, color, alpha);
}

void Canvas::blend_ring(double cx, double cy, double r, double t, Rgb color, double alpha) {
  const double r_out = r, r_in = std::max(0.0, r - t);
  const int a_max = alpha_fixed(alpha);
  if (a_max <= 0 || r_out <= 0) return;
  const Yuv c = to_yuv(color);
  const int row0 = std::max(0, static_cast<int>(std::floor(cy - r_out - 1)));
  const int row1 = std::min(height_ - 1, static_cast<int>(std::ceil(cy + r_out + 1)));
  const double edge = 1.5;
  for (int row = row0; row <= row1; ++row) {
    const double dy = row + 0.5 - cy;
    const double out2 = (r_out + edge) * (r_out + edge) - dy * dy;
    if (out2 <= 0) continue;
    const double half_out = std::sqrt(out2);
    const double in2 = (r_in - edge) * (r_in - edge) - dy * dy;
    const double half_in = (r_in > edge && in2 > 0) ? std::sqrt(in2) : -1.0;
    // Up to two spans per row: [cx − out, cx − in] and [cx + in, cx + out].
    for (int side = 0; side < 2; ++side) {
      double s0, s1;
      if (half_in < 0) {
        if (side == 1) break;
        s0 = cx - half_out;
        s1 = cx + half_out;
      } else {
        s0 = side == 0 ? cx - half_out : cx + half_in;
        s1 = side == 0 ? cx - half_in : cx + half_out;
      }
      const int c0 = std::max(0, static_cast<int>(std::floor(s0)));
      const int c1 = std::min(width_ - 1, static_cast<int>(std::ceil(s1)));
      std::uint8_t* py = y_.data() + static_cast<std::ptrdiff_t>(row) * width_;
      std::uint8_t* pc = tracks_coverage() ? c_.data() + static_cast<std::ptrdiff_t>(row) * width_ : nullptr;
      const bool chroma_row = row % 2 == 0;
      for (int col = c0; col <= c1; ++col) {
        const double dx = col + 0.5 - cx;
        const double d = std::sqrt(dx * dx + dy * dy);
        // Coverage: 1 inside [r_in, r_out], ramps over `edge` pixels outside it.
        double cov = 1.0;
        if (d > r_out) cov = 1.0 - (d - r_out) / edge;
        else if (r_in > 0 && d < r_in) cov = 1.0 - (r_in - d) / edge;
        if (cov <= 0) continue;
        const int a = static_cast<int>(a_max * std::min(1.0, cov));
        py[col] = blend8(py[col], c.y, a);
        if (pc != nullptr) pc[col] = blend8(pc[col], 255, a);
        if (chroma_row && col % 2 == 0) {
          const auto off = static_cast<std::size_t>(row / 2) * static_cast<std::size_t>(width_ / 2) + static_cast<std::size_t>(col / 2);
          u_[off] = blend8(u_[off], c.u, a);
          v_[off] = blend8(v_[off], c.v, a);
        }
      }
    }
  }
}

void Canvas::blend_disc(double cx, double cy, double r, Rgb color, double alpha) {
  blend_ring(cx, cy, r, r + 2.0, color, alpha);
}

void Canvas::blend_mask(const std::uint8_t* mask, int w, int h, int x, int y, Rgb color, double alpha) {
  const int a_max = alpha_fixed(alpha);
  if (a_max <= 0) return;
  const Yuv c = to_yuv(color);
  for (int row = 0; row < h; ++row) {
    const int cy = y + row;
    if (cy < 0 || cy >= height_) continue;
    std::uint8_t* py = y_.data() + static_cast<std::ptrdiff_t>(cy) * width_;
    std::uint8_t* pc = tracks_coverage() ? c_.data() + static_cast<std::ptrdiff_t>(cy) * width_ : nullptr;
    const std::uint8_t* pm = mask + static_cast<std::ptrdiff_t>(row) * w;
    for (int col = 0; col < w; ++col) {
      const int cx = x + col;
      if (cx < 0 || cx >= width_ || pm[col] == 0) continue;
      const int a = (pm[col] * a_max) / 255;
      py[cx] = blend8(py[cx], c.y, a);
      if (pc != nullptr) pc[cx] = blend8(pc[cx], 255, a);
      if (cy % 2 == 0 && cx % 2 == 0) {
        const auto off = static_cast<std::size_t>(cy / 2) * static_cast<std::size_t>(width_ / 2) + static_cast<std::size_t>(cx / 2);
        u_[off] = blend8(u_[off], c.u, a);
        v_[off] = blend8(v_[off], c.v, a);
      }
    }
  }
}

namespace {

/// alpha_from_black()'s tables, in integers: Y' and the block's lift in luma
/// code values (0..219 above 16), the lift's BT.709 factors × 219/224 in 10-bit
/// fixed point, and reciprocals in 16-bit (luma) and 12-bit (chroma) fixed point.
struct UnmultTables {
  std::array<std::uint8_t, 220> alpha{};      ///< code value a (0..219) → alpha 0..255
  std::array<std::uint32_t, 220> luma{};      ///< a → 219 · 2^16 / a (a = 0: 0)
  std::array<std::int32_t, 877> chroma{};     ///< sum of the block's four a (0..876) → 876 · 2^12 / sum
  std::array<std::uint8_t, 256> covered{};    ///< coverage 0..255 → a (0..219): c · 220 / 256
  UnmultTables() {
    for (int c = 0; c <= 255; ++c) covered[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>((c * 220) >> 8);
    for (int a = 0; a <= 219; ++a) {
      alpha[static_cast<std::size_t>(a)] = static_cast<std::uint8_t>((a * 1193 + 512) >> 10);  // × 255 / 219
      luma[static_cast<std::size_t>(a)] = a == 0 ? 0U : static_cast<std::uint32_t>((219U * 65536U + static_cast<unsigned>(a) / 2) / static_cast<unsigned>(a));
    }
    for (int sum = 1; sum <= 876; ++sum) chroma[static_cast<std::size_t>(sum)] = (876 * 4096 + sum / 2) / sum;
  }
};

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast): intrinsics take untyped pointers
/// Eight bytes at p as 32-bit lanes.
__attribute__((target("avx2"))) inline __m256i load8_avx2(const std::uint8_t* p) {
  return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
}
/// Eight 32-bit lanes (each 0..255) as eight bytes at p.
__attribute__((target("avx2"))) inline void store8_avx2(std::uint8_t* p, __m256i v) {
  const __m256i pick = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,  //
                                        0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m256i packed = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(v, pick), _mm256_setr_epi32(0, 4, 1, 1, 1, 1, 1, 1));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(p), _mm256_castsi256_si128(packed));
}
/// True when the first `bytes` bytes of v all equal those of `to`.
__attribute__((target("avx2"))) inline bool all_equal(__m128i v, __m128i to, int bytes) {
  const int mask = (1 << bytes) - 1;
  return (_mm_movemask_epi8(_mm_cmpeq_epi8(v, to)) & mask) == mask;
}
__attribute__((target("avx2"))) inline __m128i load16_sse(const std::uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
/// A block's straight chroma: clamp((d · k + 2048) >> 12, ±112) + 128 where the block has alpha, else as it was.
__attribute__((target("avx2"))) inline __m256i straight_chroma(__m256i d, __m256i k, __m256i some) {
  const __m256i k128 = _mm256_set1_epi32(128);
  const __m256i scaled = _mm256_srai_epi32(_mm256_add_epi32(_mm256_mullo_epi32(d, k), _mm256_set1_epi32(2048)), 12);
  const __m256i sd = _mm256_min_epi32(_mm256_set1_epi32(112), _mm256_max_epi32(_mm256_set1_epi32(-112), scaled));
  return _mm256_blendv_epi8(_mm256_add_epi32(d, k128), _mm256_add_epi32(sd, k128), some);
}

/// One row pair of alpha_from_black() with AVX2, 16 pixels (8 chroma blocks) at a
/// time: the same integer arithmetic and tables as the plain loop (gathers for
/// the reciprocals), so the same bytes. Returns the blocks done (a multiple of 8).
__attribute__((target("avx2"))) int unmult_pair_avx2(const UnmultTables& t, std::array<std::uint8_t*, 2> y, std::array<std::uint8_t*, 2> a,
                                                     std::array<const std::uint8_t*, 2> c, std::uint8_t* pu, std::uint8_t* pv, int blocks) {
  const int n = blocks / 8 * 8;
  const __m256i k128 = _mm256_set1_epi32(128), k16 = _mm256_set1_epi32(16), k219 = _mm256_set1_epi32(219), zero = _mm256_setzero_si256();
  const __m256i lo = _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3), hi = _mm256_setr_epi32(4, 4, 5, 5, 6, 6, 7, 7);
  const __m256i order = _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7);
  const __m128i black_y = _mm_set1_epi8(16), grey = _mm_set1_epi8(static_cast<char>(128)), none = _mm_setzero_si128();
  for (int bx = 0; bx < n; bx += 8) {
    const int x = 2 * bx;
    // Sixteen columns of pure black with nothing covered (most of a transparent frame): alpha stays 0.
    if (all_equal(load16_sse(y[0] + x), black_y, 16) && all_equal(load16_sse(y[1] + x), black_y, 16) &&
        all_equal(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(pu + bx)), grey, 8) &&
        all_equal(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(pv + bx)), grey, 8) &&
        (c[0] == nullptr || (all_equal(load16_sse(c[0] + x), none, 16) && all_equal(load16_sse(c[1] + x), none, 16)))) {
      continue;
    }
    const __m256i du = _mm256_sub_epi32(load8_avx2(pu + bx), k128), dv = _mm256_sub_epi32(load8_avx2(pv + bx), k128);
    const __m256i r = _mm256_mullo_epi32(dv, _mm256_set1_epi32(1577));
    const __m256i g = _mm256_sub_epi32(_mm256_mullo_epi32(du, _mm256_set1_epi32(-187)), _mm256_mullo_epi32(dv, _mm256_set1_epi32(469)));
    const __m256i b = _mm256_max_epi32(_mm256_mullo_epi32(du, _mm256_set1_epi32(1858)), zero);
    const __m256i lift = _mm256_srai_epi32(_mm256_max_epi32(_mm256_max_epi32(r, g), b), 10);
    __m256i sum = zero;
    for (int row = 0; row < 2; ++row) {
      __m256i first = zero, second = zero;  // the row's a, pixels 0..7 and 8..15
      for (int half = 0; half < 2; ++half) {
        std::uint8_t* py = y[static_cast<std::size_t>(row)] + x + 8 * half;
        const __m256i luma = _mm256_max_epi32(_mm256_sub_epi32(load8_avx2(py), k16), zero);
        __m256i covered = zero;
        if (c[static_cast<std::size_t>(row)] != nullptr) {
          covered = _mm256_srli_epi32(_mm256_mullo_epi32(load8_avx2(c[static_cast<std::size_t>(row)] + x + 8 * half), _mm256_set1_epi32(220)), 8);
        }
        const __m256i l = _mm256_permutevar8x32_epi32(lift, half == 0 ? lo : hi);
        const __m256i av = _mm256_min_epi32(k219, _mm256_max_epi32(_mm256_add_epi32(luma, l), covered));
        (half == 0 ? first : second) = av;
        store8_avx2(a[static_cast<std::size_t>(row)] + x + 8 * half,
               _mm256_srli_epi32(_mm256_add_epi32(_mm256_mullo_epi32(av, _mm256_set1_epi32(1193)), _mm256_set1_epi32(512)), 10));
        const __m256i recip = _mm256_i32gather_epi32(reinterpret_cast<const int*>(t.luma.data()), av, 4);
        const __m256i straight = _mm256_srli_epi32(_mm256_add_epi32(_mm256_mullo_epi32(luma, recip), _mm256_set1_epi32(32768)), 16);
        store8_avx2(py, _mm256_add_epi32(k16, _mm256_min_epu32(straight, k219)));
      }
      // Pairs summed: [0+1, 2+3, 8+9, 10+11 | 4+5, 6+7, 12+13, 14+15] → blocks in order.
      sum = _mm256_add_epi32(sum, _mm256_permutevar8x32_epi32(_mm256_hadd_epi32(first, second), order));
    }
    const __m256i k = _mm256_i32gather_epi32(t.chroma.data(), sum, 4);
    const __m256i some = _mm256_cmpgt_epi32(sum, zero);
    store8_avx2(pu + bx, straight_chroma(du, k, some));
    store8_avx2(pv + bx, straight_chroma(dv, k, some));
  }
  return n;
}
// NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
#else
int unmult_pair_avx2(const UnmultTables& /*t*/, std::array<std::uint8_t*, 2> /*y*/, std::array<std::uint8_t*, 2> /*a*/,
                     std::array<const std::uint8_t*, 2> /*c*/, std::uint8_t* /*pu*/, std::uint8_t* /*pv*/, int /*blocks*/) {
  return 0;
}
#endif

}  // namespace

void alpha_from_black(Canvas& canvas, std::vector<std::uint8_t>& alpha, SimdLevel level) {
  static const UnmultTables t;
  const int w = canvas.width(), h = canvas.height();
  alpha.assign(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0);
  const bool avx2 = level != SimdLevel::None && simd_level() != SimdLevel::None;
  constexpr std::uint64_t kBlackY = 0x1010101010101010ULL;  // eight Y' = 16
  constexpr std::uint32_t kGrey = 0x80808080U;                // four Cb or Cr = 128
  for (int by = 0; by < h / 2; ++by) {
    std::uint8_t* pu = canvas.u() + static_cast<std::ptrdiff_t>(by) * canvas.uv_stride();
    std::uint8_t* pv = canvas.v() + static_cast<std::ptrdiff_t>(by) * canvas.uv_stride();
    std::uint8_t* y0 = canvas.y() + static_cast<std::ptrdiff_t>(2 * by) * canvas.y_stride();
    std::uint8_t* y1 = y0 + canvas.y_stride();
    std::uint8_t* a0 = alpha.data() + static_cast<std::ptrdiff_t>(2 * by) * w;
    std::uint8_t* a1 = a0 + w;
    const std::uint8_t* c0 = canvas.tracks_coverage() ? canvas.coverage() + static_cast<std::ptrdiff_t>(2 * by) * w : nullptr;
    int from = 0;
    if (avx2) {
      const std::uint8_t* c1 = c0 != nullptr ? c0 + w : nullptr;
      from = unmult_pair_avx2(t, {y0, y1}, {a0, a1}, {c0, c1}, pu, pv, w / 2);
    }
    for (int bx = from; bx < w / 2; ++bx) {
      const int x = 2 * bx;
      if (bx % 4 == 0 && x + 8 <= w) {  // eight columns of pure black (most of a transparent frame): alpha stays 0
        std::uint64_t r0 = 0, r1 = 0;
        std::uint32_t cu = 0, cv = 0;
        std::memcpy(&r0, y0 + x, 8);
        std::memcpy(&r1, y1 + x, 8);
        std::memcpy(&cu, pu + bx, 4);
        std::memcpy(&cv, pv + bx, 4);
        std::uint64_t k0 = 0, k1 = 0;
        if (c0 != nullptr) {
          std::memcpy(&k0, c0 + x, 8);
          std::memcpy(&k1, c0 + w + x, 8);
        }
        if (r0 == kBlackY && r1 == kBlackY && cu == kGrey && cv == kGrey && k0 == 0 && k1 == 0) {
          bx += 3;
          continue;
        }
      }
      const int du = pu[bx] - 128, dv = pv[bx] - 128;
      // max(R' − Y', G' − Y', B' − Y') of the block's chroma (BT.709), in luma code values; ≥ 0.
      const int lift = std::max({1577 * dv, -187 * du - 469 * dv, 1858 * du, 0}) >> 10;
      int sum = 0;
      for (int r = 0; r < 2; ++r) {
        std::uint8_t* py = (r == 0 ? y0 : y1) + x;
        std::uint8_t* pa = (r == 0 ? a0 : a1) + x;
        const std::uint8_t* pc = c0 != nullptr ? c0 + r * w + x : nullptr;
        for (int c = 0; c < 2; ++c) {
          const int luma = std::max(0, py[c] - 16);
          // The brightest channel, or what was drawn there if more (coverage, 0..255 → 0..219).
          const int covered = pc != nullptr ? t.covered[static_cast<std::size_t>(pc[c])] : 0;
          const int a = std::min(219, std::max(luma + lift, covered));
          sum += a;
          pa[c] = t.alpha[static_cast<std::size_t>(a)];
          const std::uint32_t straight = (static_cast<std::uint32_t>(luma) * t.luma[static_cast<std::size_t>(a)] + 32768U) >> 16U;
          py[c] = static_cast<std::uint8_t>(16U + std::min<std::uint32_t>(219U, straight));
        }
      }
      if (sum == 0) continue;
      const std::int32_t k = t.chroma[static_cast<std::size_t>(sum)];
      pu[bx] = static_cast<std::uint8_t>(128 + std::clamp((du * k + 2048) >> 12, -112, 112));
      pv[bx] = static_cast<std::uint8_t>(128 + std::clamp((dv * k + 2048) >> 12, -112, 112));
    }
  }
}

}  // namespace mv
