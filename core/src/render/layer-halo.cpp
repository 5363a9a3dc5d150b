// layer-halo.cpp — the halo visualizer (the look of Trap Nation / NCS-style
// channels): three stacked, smoothed spectrum rings around a round centre
// picture (the cover art or --image; a generated disc without one). The
// spectrum runs from the bass at the top down both sides (mirrored), smoothed
// across neighbours; the rings and the picture swell with the bass.
//
// Drawing is by polar coverage: for every pixel of the ring's bounding box the
// radius and the angle bin are computed once (the centre is fixed; the frame's
// shake is a post effect), and each frame a pixel is covered where its radius
// is below the ring's radius at its angle, with a one-pixel anti-aliased edge.
#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "layers.hpp"
#include "mv/base/simd.hpp"
#include "mv/media/visual-source.hpp"

namespace mv {

namespace {

constexpr int kBins = 256;  // angle bins around the circle

/// One row's run of ring pixels and what the three rings need to blend there.
struct RingSpan {
  const float* radius = nullptr;         ///< per pixel of the run, from the centre
  const std::uint16_t* angle = nullptr;  ///< per pixel, its angle in bins, 8.8 fixed point
  std::uint8_t* luma = nullptr;          ///< the run's first luma sample
  int count = 0;                         ///< pixels in the run
  float inner = 0, outer = 0;            ///< radii outside which nothing is drawn
  std::array<const float*, 3> edge{};    ///< per ring, its radius per bin (kBins + 1 values)
  std::array<int, 3> y{};                ///< per ring, its luma
  std::array<float, 3> a_scale{};        ///< per ring, its opacity × 256
};

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/// The luma of the first multiple of 8 pixels of `s`, 8 at a time with AVX2
/// gathers; the same arithmetic as HaloLayer::blend_rings (float, no fused
/// multiply-add: AVX2 alone does not enable FMA), so the same bytes. Each
/// ring's opacity per pixel (0..256) goes to alpha[k][x] for the chroma pass.
/// Returns the number of pixels done.
// NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast): intrinsics take untyped pointers
__attribute__((target("avx2"))) int ring_luma_avx2(const RingSpan& s, std::array<std::vector<int>, 3>& alpha) {
  const int n = s.count / 8 * 8;
  const __m256 inner = _mm256_set1_ps(s.inner), outer = _mm256_set1_ps(s.outer), half = _mm256_set1_ps(0.5f);
  const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.0f), per_bin = _mm256_set1_ps(1.0f / 256.0f);
  const __m256i full = _mm256_set1_epi32(256), low = _mm256_set1_epi32(255);
  const __m256i pick = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,  //
                                        0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  for (int x = 0; x < n; x += 8) {
    const __m256 r = _mm256_loadu_ps(s.radius + x);
    const __m256i ang = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.angle + x)));
    const __m256i inside = _mm256_castps_si256(_mm256_and_ps(_mm256_cmp_ps(r, inner, _CMP_GE_OQ), _mm256_cmp_ps(r, outer, _CMP_LE_OQ)));
    const __m256i bin = _mm256_srli_epi32(ang, 8);
    const __m256 t = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_and_si256(ang, low)), per_bin);
    __m256i luma = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(s.luma + x)));
    for (int k = 0; k < 3; ++k) {
      const __m256 e0 = _mm256_i32gather_ps(s.edge[k], bin, 4), e1 = _mm256_i32gather_ps(s.edge[k] + 1, bin, 4);
      const __m256 e = _mm256_add_ps(e0, _mm256_mul_ps(_mm256_sub_ps(e1, e0), t));
      const __m256 cover = _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(_mm256_sub_ps(e, r), half), zero), one);
      const __m256i a = _mm256_and_si256(_mm256_cvttps_epi32(_mm256_mul_ps(cover, _mm256_set1_ps(s.a_scale[k]))), inside);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(alpha[static_cast<std::size_t>(k)].data() + x), a);
      luma = _mm256_srli_epi32(_mm256_add_epi32(_mm256_mullo_epi32(_mm256_set1_epi32(s.y[k]), a),
                                                _mm256_mullo_epi32(luma, _mm256_sub_epi32(full, a))), 8);
    }
    const __m256i packed = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(luma, pick), _mm256_setr_epi32(0, 4, 1, 1, 1, 1, 1, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(s.luma + x), _mm256_castsi256_si128(packed));
  }
  return n;
}
// NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)
#else
int ring_luma_avx2(const RingSpan& /*s*/, std::array<std::vector<int>, 3>& /*alpha*/) { return 0; }
#endif

class HaloLayer : public Layer {
 public:
  HaloLayer(const Palette& palette, int width, int height, const std::filesystem::path& centre)
      : sections_(palette), palette_(palette), cx_(width / 2.0), cy_(centre_y(width, height)) {
    const double unit = std::min(width, height);
    r0_ = unit * 0.17;
    reach_ = unit * 0.15;
    const double r_max = (r0_ + reach_) * 1.12 + 2.0;
    box_x0_ = std::max(0, static_cast<int>(cx_ - r_max));
    box_y0_ = std::max(0, static_cast<int>(cy_ - r_max));
    box_x1_ = std::min(width, static_cast<int>(cx_ + r_max) + 1);
    box_y1_ = std::min(height, static_cast<int>(cy_ + r_max) + 1);
    const int bw = box_x1_ - box_x0_, bh = box_y1_ - box_y0_;
    radius_.resize(static_cast<std::size_t>(bw) * static_cast<std::size_t>(bh));
    angle_.resize(radius_.size());
    for (int y = 0; y < bh; ++y) {
      for (int x = 0; x < bw; ++x) {
        const double dx = box_x0_ + x + 0.5 - cx_, dy = box_y0_ + y + 0.5 - cy_;
        const auto i = static_cast<std::size_t>(y) * static_cast<std::size_t>(bw) + static_cast<std::size_t>(x);
        radius_[i] = static_cast<float>(std::sqrt(dx * dx + dy * dy));
        // Angle from the top, clockwise, 0..1 → bin position in 8.8 fixed point.
        const double a = std::atan2(dx, -dy) / (2.0 * M_PI);
        angle_[i] = static_cast<std::uint16_t>(static_cast<int>((a < 0 ? a + 1.0 : a) * kBins * 256.0) & (kBins * 256 - 1));
      }
    }
    load_centre(centre);
  }

  void draw(Canvas& canvas, const FrameInfo& f) override {
    palette_ = sections_.at(f);
    const double swell = 1.0 + (0.07 * f.bass + 0.03 * f.beat_pulse) * std::min(1.5, f.intensity);
    spectrum(f);
    const double r_in = r0_ * swell;
    // Back to front: the widest ring (accent) behind, the tightest (highlight) on top.
    const double reach = reach_ * std::min(1.4, f.intensity);
    const std::array<Ring, 3> rings{{{palette_.accent, reach * 1.0, 0.55},
                                     {palette_.primary, reach * 0.72, 0.8},
                                     {mix(palette_.highlight, palette_.primary, 0.55), reach * 0.42, 0.9}}};
    draw_rings(canvas, r_in, rings);
    draw_centre(canvas, r_in * 0.97, f);
  }

 private:
  /// Ring radius per angle bin, 0..1: bands mapped to half a turn (bass at the
  /// top) and mirrored, smoothed over ±4 bins.
  void spectrum(const FrameInfo& f) {
    std::array<double, kBins> raw{};
    for (int i = 0; i < kBins; ++i) {
      const double half = i < kBins / 2 ? i : kBins - 1 - i;  // 0 at the top … kBins/2 − 1 at the bottom
      const double pos = half / (kBins / 2.0) * (kBandCount - 1) * 0.85;  // the top 15 % of bands are mostly air
      const auto b = static_cast<std::size_t>(pos);
      const double t = pos - static_cast<double>(b);
      raw[static_cast<std::size_t>(i)] = f.bands[b] * (1 - t) + f.bands[std::min<std::size_t>(b + 1, kBandCount - 1)] * t;
    }
    for (int i = 0; i < kBins; ++i) {
      double sum = 0.0, weight = 0.0;
      for (int k = -4; k <= 4; ++k) {
        const double wk = 5.0 - std::abs(k);
        sum += wk * raw[static_cast<std::size_t>((i + k + kBins) % kBins)];
        weight += wk;
      }
      level_[static_cast<std::size_t>(i)] = std::pow(sum / weight, 1.3);
    }
  }

  /// Coverage `c` after blending with opacity `a` (0..256) over it, as Canvas's blends update it.
  static std::uint8_t cover(std::uint8_t c, int a) { return static_cast<std::uint8_t>((255 * a + c * (256 - a)) >> 8); }

  struct Ring {
    Rgb color;
    double reach, alpha;  ///< pixels at full level; opacity
  };

  /// All rings in one pass over the box: per pixel the angle is interpolated
  /// once and each ring blends where the pixel lies inside its edge.
  void draw_rings(Canvas& canvas, double r_in, const std::array<Ring, 3>& rings) {
    std::array<std::array<float, kBins + 1>, 3> edge{};
    std::array<Yuv, 3> yuv{};
    std::array<float, 3> a_max{};
    float outer = 0.0f;
    for (std::size_t k = 0; k < 3; ++k) {
      for (int i = 0; i < kBins; ++i) {
        edge[k][static_cast<std::size_t>(i)] = static_cast<float>(r_in + 2.0 + rings[k].reach * level_[static_cast<std::size_t>(i)]);
        outer = std::max(outer, edge[k][static_cast<std::size_t>(i)]);
      }
      edge[k][kBins] = edge[k][0];
      yuv[k] = to_yuv(rings[k].color);
      a_max[k] = static_cast<float>(rings[k].alpha * 256.0);
    }
    const auto inner = static_cast<float>(r_in * 0.9);  // inside is the centre picture
    outer += 1.0f;
    for (int y = box_y0_; y < box_y1_; ++y) {
      // Only the annulus inner..outer of this row is visited: the spans where
      // |dx| may lie between the radii, each a pixel wider than exact (the
      // per-pixel test below still decides), so nothing changes but the count.
      const double dy = y + 0.5 - cy_;
      if (dy * dy > static_cast<double>(outer) * outer) continue;
      const double half = std::sqrt(static_cast<double>(outer) * outer - dy * dy) + 1.0;
      const int xa = std::max(box_x0_, static_cast<int>(std::floor(cx_ - 0.5 - half)));
      const int xb = std::min(box_x1_, static_cast<int>(std::ceil(cx_ - 0.5 + half)) + 1);
      const double hole = dy * dy < static_cast<double>(inner) * inner ? std::sqrt(static_cast<double>(inner) * inner - dy * dy) - 1.0 : 0.0;
      int xi0 = xb, xi1 = xb;  // [xi0, xi1): inside the inner radius, skipped
      if (hole > 1.0) {
        xi0 = std::clamp(static_cast<int>(std::ceil(cx_ - 0.5 - hole)), xa, xb);
        xi1 = std::clamp(static_cast<int>(std::floor(cx_ - 0.5 + hole)) + 1, xi0, xb);
      }
      RingRow rr{canvas, y, static_cast<std::size_t>(y - box_y0_) * static_cast<std::size_t>(box_x1_ - box_x0_), inner, outer};
      blend_rings(rr, xa, xi0, edge, yuv, a_max);
      blend_rings(rr, xi1, xb, edge, yuv, a_max);
    }
  }

  struct RingRow {
    Canvas& canvas;
    int y;
    std::size_t box_row;  ///< index of the box's first pixel on this row
    float inner, outer;
  };

  /// Pixels [x0, x1) of one row: each ring blends where the pixel lies inside
  /// its edge. The luma of most of the run is done 8 pixels at a time with
  /// AVX2 where the CPU has it (ring_luma_avx2), the chroma from its opacities.
  void blend_rings(const RingRow& rr, int x0, int x1, const std::array<std::array<float, kBins + 1>, 3>& edge,
                   const std::array<Yuv, 3>& yuv, const std::array<float, 3>& a_max) {
    Canvas& canvas = rr.canvas;
    const int y = rr.y;
    std::uint8_t* py = canvas.y() + static_cast<std::ptrdiff_t>(y) * canvas.width();
    const bool chroma_row = y % 2 == 0;
    std::uint8_t* pu = canvas.u() + static_cast<std::ptrdiff_t>(y / 2) * (canvas.width() / 2);
    std::uint8_t* pv = canvas.v() + static_cast<std::ptrdiff_t>(y / 2) * (canvas.width() / 2);
    // Coverage (a transparent look): each ring covers as it blends.
    std::uint8_t* pc = canvas.tracks_coverage() ? canvas.coverage() + static_cast<std::ptrdiff_t>(y) * canvas.width() : nullptr;
    int from = x0;
    if (x1 - x0 >= 8 && simd_level() != SimdLevel::None) {
      const std::size_t first = rr.box_row + static_cast<std::size_t>(x0 - box_x0_);
      RingSpan span;
      span.radius = &radius_[first];
      span.angle = &angle_[first];
      span.luma = py + x0;
      span.count = x1 - x0;
      span.inner = rr.inner;
      span.outer = rr.outer;
      for (std::size_t k = 0; k < 3; ++k) {
        span.edge[k] = edge[k].data();
        span.y[k] = yuv[k].y;
        span.a_scale[k] = a_max[k];
        alpha_[k].resize(static_cast<std::size_t>(span.count));
      }
      const int done = ring_luma_avx2(span, alpha_);
      for (int x = x0; pc != nullptr && x < x0 + done; ++x) {
        for (std::size_t k = 0; k < 3; ++k) pc[x] = cover(pc[x], alpha_[k][static_cast<std::size_t>(x - x0)]);
      }
      for (int x = x0 + (x0 % 2); chroma_row && x < x0 + done; x += 2) {
        for (std::size_t k = 0; k < 3; ++k) {
          const int a = alpha_[k][static_cast<std::size_t>(x - x0)];
          pu[x / 2] = static_cast<std::uint8_t>((yuv[k].u * a + pu[x / 2] * (256 - a)) >> 8);
          pv[x / 2] = static_cast<std::uint8_t>((yuv[k].v * a + pv[x / 2] * (256 - a)) >> 8);
        }
      }
      from = x0 + done;
    }
    for (int x = from; x < x1; ++x) {
      const std::size_t i = rr.box_row + static_cast<std::size_t>(x - box_x0_);
      const float r = radius_[i];
      if (r < rr.inner || r > rr.outer) continue;
      // The ring's radius at this angle, interpolated between bins: smooth, not stepped.
      const std::size_t b = angle_[i] >> 8;
      const float t = static_cast<float>(angle_[i] & 255) / 256.0f;
      for (std::size_t k = 0; k < 3; ++k) {
        const float e = edge[k][b] + (edge[k][b + 1] - edge[k][b]) * t;
        const float cover = std::clamp(e - r + 0.5f, 0.0f, 1.0f);
        if (cover <= 0.0f) continue;
        const int a = static_cast<int>(cover * a_max[k]);
        py[x] = static_cast<std::uint8_t>((yuv[k].y * a + py[x] * (256 - a)) >> 8);
        if (pc != nullptr) pc[x] = HaloLayer::cover(pc[x], a);
        if (chroma_row && x % 2 == 0) {
          pu[x / 2] = static_cast<std::uint8_t>((yuv[k].u * a + pu[x / 2] * (256 - a)) >> 8);
          pv[x / 2] = static_cast<std::uint8_t>((yuv[k].v * a + pv[x / 2] * (256 - a)) >> 8);
        }
      }
    }
  }

  /// The centre picture, cover-cropped to a square of side 2 × r0 × 1.15 once.
  void load_centre(const std::filesystem::path& centre) {
    const int side = static_cast<int>(r0_ * 1.15) * 2;
    picture_ = Canvas(side, side);
    if (!centre.empty()) {
      VisualSource::open(centre, side, side)->draw(picture_, 0.0, 1.0, 0);
      has_picture_ = true;
      return;
    }
    draw_record(picture_, sections_.base());
  }

  /// No picture: a vinyl record in the palette's colours, the way it looks
  /// under one light. A label (accent into highlight) with the spindle hole;
  /// around it near-black vinyl whose grooves are a fine radial texture (each
  /// one-pixel ring its own small brightness step from a hash, so there is no
  /// period to band or beat against the scaling), three smooth gaps between
  /// tracks, and the sheen of the grooves: two opposite wedges of the
  /// palette's light (cos(2θ)^6), which stay put while a real record turns.
  /// Colours are computed in floating point and rounded once, with a
  /// ±0.5-level dither from the same hash, so the sheen's gradient does not step.
  static void draw_record(Canvas& picture, const Palette& p) {
    const int side = picture.width();
    const double half = side / 2.0;
    const auto hash = [](std::uint32_t v) {  // a 32-bit integer hash (Wellons' "lowbias32")
      v ^= v >> 16U;
      v *= 0x7feb352dU;
      v ^= v >> 15U;
      v *= 0x846ca68bU;
      v ^= v >> 16U;
      return static_cast<double>(v & 0xffffU) / 65535.0;
    };
    const auto channel = [](const Rgb& c, int k) { return static_cast<double>(k == 0 ? c.r : k == 1 ? c.g : c.b); };
    const Rgb vinyl = mix(mix(p.background_bottom, p.primary, 0.12), Rgb{0, 0, 0}, 0.55);
    const Rgb sheen = mix(p.primary, p.highlight, 0.5);
    const Rgb label_in = mix(p.highlight, p.accent, 0.35), label_out = p.accent;
    constexpr double kLabel = 0.34, kHole = 0.03;            // radii, as fractions of the disc's
    constexpr std::array<double, 3> kGaps{0.53, 0.69, 0.85};  // the smooth vinyl between tracks
    for (int y = 0; y < side; ++y) {
      for (int x = 0; x < side; ++x) {
        const double dx = x + 0.5 - half, dy = y + 0.5 - half;
        const double rad = std::hypot(dx, dy);
        const double q = rad / half;  // 0 at the centre, 1 at the disc's edge
        const double dither = hash(static_cast<std::uint32_t>(y * side + x) * 2654435761U) - 0.5;
        std::array<double, 3> c{};
        if (q < kLabel) {
          const double edge = std::clamp((kLabel - q) * half - 0.5, 0.0, 1.0);  // a dark line round the label
          const double hole = std::clamp((q - kHole) * half + 0.5, 0.0, 1.0);
          for (int k = 0; k < 3; ++k) {
            const double lit = channel(label_in, k) + (channel(label_out, k) - channel(label_in, k)) * (q / kLabel);
            c[static_cast<std::size_t>(k)] = (lit * (0.45 + 0.55 * edge)) * hole + 10.0 * (1 - hole);
          }
        } else {
          const auto ring = static_cast<std::uint32_t>(rad);
          const double t = rad - ring;
          const double groove = hash(ring * 40503U + 7U) * (1 - t) + hash((ring + 1) * 40503U + 7U) * t;  // per one-pixel ring, 0..1
          double gap = 0.0;
          for (double g : kGaps) gap = std::max(gap, std::exp(-std::pow((q - g) * half / 1.6, 2)));
          const double theta = std::atan2(dy, dx) + 0.6;
          const double wedge = std::pow(std::max(0.0, std::cos(2.0 * theta)), 6.0) * (1 - 0.7 * gap);
          const double lip = std::clamp((q - 0.975) * half, 0.0, 1.0);  // the raised outer edge
          for (int k = 0; k < 3; ++k) {
            const double base = channel(vinyl, k) * (0.85 + 0.3 * groove * (1 - gap)) * (1 - 0.35 * gap);
            c[static_cast<std::size_t>(k)] = base + (channel(sheen, k) - base) * (0.5 * wedge * (0.7 + 0.3 * groove) + 0.25 * lip);
          }
        }
        Rgb out;
        out.r = static_cast<std::uint8_t>(std::clamp(std::lround(c[0] + dither), 0L, 255L));
        out.g = static_cast<std::uint8_t>(std::clamp(std::lround(c[1] + dither), 0L, 255L));
        out.b = static_cast<std::uint8_t>(std::clamp(std::lround(c[2] + dither), 0L, 255L));
        picture.blend_rect(x, y, 1, 1, out, 1.0);
      }
    }
  }

  /// The picture inside radius r, scaled (bilinear on luma, nearest on chroma),
  /// with an anti-aliased edge and a thin highlight rim that flares on beats.
  void draw_centre(Canvas& canvas, double r, const FrameInfo& f) const {
    const int side = picture_.width();
    const double scale = side / (2.0 * r * 1.0);  // picture pixels per canvas pixel
    const int x0 = std::max(0, static_cast<int>(cx_ - r - 1)), x1 = std::min(canvas.width(), static_cast<int>(cx_ + r + 2));
    const int y0 = std::max(0, static_cast<int>(cy_ - r - 1)), y1 = std::min(canvas.height(), static_cast<int>(cy_ + r + 2));
    const double brighten = has_picture_ ? 0.0 : 0.12 * f.beat_pulse;  // the record lifts a little on beats
    for (int y = y0; y < y1; ++y) {
      std::uint8_t* py = canvas.y() + static_cast<std::ptrdiff_t>(y) * canvas.width();
      std::uint8_t* pc = canvas.tracks_coverage() ? canvas.coverage() + static_cast<std::ptrdiff_t>(y) * canvas.width() : nullptr;
      // This row's chord of the disc, a pixel wider than exact; inside [xs0, xs1)
      // the distance is under r − 0.5 by more than a pixel, so the cover is 1 without a sqrt.
      const double dy = y + 0.5 - cy_;
      const double reach = (r + 0.5) * (r + 0.5) - dy * dy;
      if (reach <= 0.0) continue;
      const double chord = std::sqrt(reach) + 1.0;
      const int xa = std::max(x0, static_cast<int>(std::floor(cx_ - 0.5 - chord)));
      const int xb = std::min(x1, static_cast<int>(std::ceil(cx_ - 0.5 + chord)) + 1);
      const double solid = r > 0.5 && (r - 0.5) * (r - 0.5) > dy * dy ? std::sqrt((r - 0.5) * (r - 0.5) - dy * dy) - 1.0 : 0.0;
      const int xs0 = solid > 1.0 ? std::clamp(static_cast<int>(std::ceil(cx_ - 0.5 - solid)), xa, xb) : xb;
      const int xs1 = solid > 1.0 ? std::clamp(static_cast<int>(std::floor(cx_ - 0.5 + solid)) + 1, xs0, xb) : xb;
      for (int x = xa; x < xb; ++x) {
        const double dx = x + 0.5 - cx_;
        const double cover = x >= xs0 && x < xs1 ? 1.0 : std::clamp(r - std::sqrt(dx * dx + dy * dy) + 0.5, 0.0, 1.0);
        if (cover <= 0.0) continue;
        const double sx = std::clamp(side / 2.0 + dx * scale - 0.5, 0.0, side - 1.001);
        const double sy = std::clamp(side / 2.0 + dy * scale - 0.5, 0.0, side - 1.001);
        const int ix = static_cast<int>(sx), iy = static_cast<int>(sy);
        const double ax = sx - ix, ay = sy - iy;
        const std::uint8_t* p0 = picture_.y() + static_cast<std::ptrdiff_t>(iy) * side + ix;
        const std::uint8_t* p1 = p0 + (iy + 1 < side ? side : 0);
        const int nx = ix + 1 < side ? 1 : 0;
        double v = (p0[0] * (1 - ax) + p0[nx] * ax) * (1 - ay) + (p1[0] * (1 - ax) + p1[nx] * ax) * ay;
        v += (235.0 - v) * brighten;
        const int a = static_cast<int>(cover * 256.0);
        py[x] = static_cast<std::uint8_t>((static_cast<int>(v) * a + py[x] * (256 - a)) >> 8);
        if (pc != nullptr) pc[x] = HaloLayer::cover(pc[x], a);
        if (y % 2 == 0 && x % 2 == 0 && cover >= 0.5) {
          const auto ci = static_cast<std::size_t>(y / 2) * static_cast<std::size_t>(canvas.width() / 2) + static_cast<std::size_t>(x / 2);
          const auto pi = static_cast<std::size_t>(iy / 2) * static_cast<std::size_t>(side / 2) + static_cast<std::size_t>(ix / 2);
          canvas.u()[ci] = picture_.u()[pi];
          canvas.v()[ci] = picture_.v()[pi];
        }
      }
    }
    canvas.blend_ring(cx_, cy_, r + 1.0, 3.0 + 4.0 * f.beat_pulse, palette_.highlight, 0.55 + 0.4 * f.beat_pulse);
  }

  SectionPalette sections_;
  Palette palette_;  ///< this section's
  double cx_, cy_, r0_ = 0, reach_ = 0;
  int box_x0_ = 0, box_y0_ = 0, box_x1_ = 0, box_y1_ = 0;
  std::vector<float> radius_;        ///< per box pixel, from the centre
  std::vector<std::uint16_t> angle_;  ///< per box pixel, its angle in bins, 8.8 fixed point
  std::array<double, kBins> level_{};
  Canvas picture_;
  bool has_picture_ = false;
  std::array<std::vector<int>, 3> alpha_;  ///< per ring, the opacity of each pixel of a run (blend_rings)
};

/// Particles in 3-D flying from far away toward the camera through the centre
/// of the frame: speed grows with loudness, size and brightness with nearness.
class ParticleLayer : public Layer {
 public:
  ParticleLayer(const Palette& palette, int width, int height, double amount)
      : palette_(palette), cx_(width / 2.0), cy_(centre_y(width, height)), focal_(std::min(width, height) * 0.5),
        rng_(5) {  // NOLINT(cert-msc51-cpp): reproducible particles, not security
    const int count = std::max(8, static_cast<int>(220 * amount));
    for (int i = 0; i < count; ++i) {
      particles_.push_back(spawn());
      particles_.back().z = 0.1 + 0.9 * uniform();  // spread in depth from the start
    }
    spread_ = static_cast<double>(width) / std::min(width, height);
  }

  void draw(Canvas& canvas, const FrameInfo& f) override {
    const double speed = (0.08 + 0.9 * f.level * f.level + 0.25 * f.beat_pulse) * std::min(1.5, f.intensity);
    for (auto& p : particles_) {
      p.z -= speed / f.fps;
      if (p.z <= 0.05) p = spawn();
      const double sx = cx_ + p.x / p.z * focal_ * spread_, sy = cy_ + p.y / p.z * focal_;
      if (sx < -20 || sy < -20 || sx > canvas.width() + 20 || sy > canvas.height() + 20) {
        p = spawn();
        continue;
      }
      const double near = 1.0 - p.z;  // 0 far … 1 at the camera
      const double size = 0.8 + 3.5 * near * near * canvas.height() / 1080.0 * 1.6;
      const double alpha = std::min(1.0, near * 1.6) * (0.5 + 0.5 * f.treble);
      canvas.blend_disc(sx, sy, size, mix(palette_.primary, palette_.highlight, p.tint), 0.8 * alpha);
    }
  }

 private:
  struct Particle {
    double x, y, z, tint;
  };
  double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }
  Particle spawn() {
    // Far away, spread over a disc wider than the view so they fly past the edges.
    const double a = uniform() * 2.0 * M_PI, r = 0.08 + 0.6 * std::sqrt(uniform());
    return {r * std::cos(a), r * std::sin(a), 1.0, uniform()};
  }

  Palette palette_;
  double cx_, cy_, focal_, spread_ = 1.0;
  std::mt19937 rng_;
  std::vector<Particle> particles_;
};

}  // namespace

std::unique_ptr<Layer> make_halo_layer(const Palette& palette, int width, int height, const std::filesystem::path& centre) {
  return std::make_unique<HaloLayer>(palette, width, height, centre);
}

std::unique_ptr<Layer> make_particle_layer(const Palette& palette, int width, int height, double amount) {
  return std::make_unique<ParticleLayer>(palette, width, height, amount);
}

}  // namespace mv
