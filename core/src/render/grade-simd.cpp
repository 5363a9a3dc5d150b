// grade-simd.cpp — see grade-simd.hpp. The vector kernels do per lane what the
// scalar one does per block, without its "same chroma as the last block" shortcut:
// gathers read the four chroma nodes and each pixel's curve entry (a 32-bit
// gather at a byte offset, masked to its low byte, hence kGradeCurvePad).
#include "grade-simd.hpp"

#include <array>
#include <cstddef>
#include <initializer_list>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// GCC 12's AVX-512 headers build narrowing results from _mm512_undefined_*()
// and then warn that it "may be used uninitialized" (or "is used uninitialized",
// once inlined into a lambda) at every call: a known
// false positive of the headers, not of this file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

namespace mv {

void grade_blocks_scalar(const GradeRow& row, int from) {
  constexpr int kN = kGradeNodes, kS = kGradeStep;
  int last = -1;  // neighbouring blocks mostly share their chroma: the last node and weights are kept
  const std::uint32_t* p = row.chroma;
  const std::uint8_t* curve = row.curves;
  std::uint32_t w00 = 0, w01 = 0, w10 = 0, w11 = 0;
  for (int x = from; x < row.blocks; ++x) {
    const int cb = row.u[x], cr = row.v[x];
    if (const int key = cb << 8 | cr; key != last) {
      last = key;
      const int fi = cb & (kS - 1), fj = cr & (kS - 1);
      p = row.chroma + static_cast<std::size_t>((cb / kS) * kN + cr / kS) * 256;
      w00 = static_cast<std::uint32_t>((kS - fi) * (kS - fj));
      w01 = static_cast<std::uint32_t>((kS - fi) * fj);
      w10 = static_cast<std::uint32_t>(fi * (kS - fj));
      w11 = static_cast<std::uint32_t>(fi * fj);
      // Y': the nearest chroma node's curve (Y' moves little with chroma; one read per pixel).
      curve = row.curves + static_cast<std::size_t>(((cb + kS / 2) / kS) * kN + (cr + kS / 2) / kS) * 256;
    }
    std::uint8_t* a = row.y0 + 2 * x;
    std::uint8_t* b = row.y1 + 2 * x;
    const int mean = (a[0] + a[1] + b[0] + b[1] + 2) >> 2;
    // Cb in the low half, Cr in the high half (each ≤ 255 · 64: no carry between them).
    const std::uint32_t* q = p + mean;
    const std::uint32_t c = q[0] * w00 + q[256] * w01 + q[kN * 256] * w10 + q[kN * 256 + 256] * w11 + (32u | 32u << 16);
    row.u[x] = static_cast<std::uint8_t>((c & 0xffffu) >> 6);
    row.v[x] = static_cast<std::uint8_t>(c >> 22);
    a[0] = curve[a[0]];
    a[1] = curve[a[1]];
    b[0] = curve[b[0]];
    b[1] = curve[b[1]];
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

// Intrinsics take untyped pointers: the casts below are how they are called.
// NOLINTBEGIN(cppcoreguidelines-pro-type-reinterpret-cast)

namespace {

/// The chroma of blocks [x, x + 16) of `row` (bilinear between the four nodes
/// around each block's Cb, Cr at its mean Y', as grade_blocks_scalar), and the
/// offset of each block's nearest node's curve (node × 256) for its Y'.
/// `corners(idx)` returns the four nodes' chroma (NodeChroma) for the table
/// index idx = node × 256 + mean Y' of each block.
struct NodeChroma {
  __m512i c00, c01, c10, c11;  ///< Cb | Cr << 16 of nodes (i, j), (i, j + 1), (i + 1, j), (i + 1, j + 1)
};

template <typename Corners>
__attribute__((target("avx512f,avx512bw"))) inline __m512i grade_chroma(const GradeRow& row, int x, Corners corners) {
  constexpr int kN = kGradeNodes;
  const __m512i seven = _mm512_set1_epi32(7), eight = _mm512_set1_epi32(8), four = _mm512_set1_epi32(4);
  const __m512i nodes = _mm512_set1_epi32(kN);
  const __m512i round = _mm512_set1_epi32(32 | 32 << 16), two = _mm512_set1_epi32(2), ones = _mm512_set1_epi16(1);
  const __m512i cb = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row.u + x)));
  const __m512i cr = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row.v + x)));
  const __m512i fi = _mm512_and_si512(cb, seven), fj = _mm512_and_si512(cr, seven);
  const __m512i gi = _mm512_sub_epi32(eight, fi), gj = _mm512_sub_epi32(eight, fj);
  const __m512i node = _mm512_add_epi32(_mm512_mullo_epi32(_mm512_srli_epi32(cb, 3), nodes), _mm512_srli_epi32(cr, 3));
  // The block's mean Y': 32 pixels of each row, summed in pairs of rows then pixels.
  const std::uint8_t* a = row.y0 + 2 * x;
  const std::uint8_t* b = row.y1 + 2 * x;
  const __m512i sum2 = _mm512_add_epi16(_mm512_cvtepu8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a))),
                                        _mm512_cvtepu8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b))));
  const __m512i mean = _mm512_srli_epi32(_mm512_add_epi32(_mm512_madd_epi16(sum2, ones), two), 2);
  const NodeChroma n = corners(_mm512_add_epi32(_mm512_slli_epi32(node, 8), mean));
  __m512i c = round;
  c = _mm512_add_epi32(c, _mm512_mullo_epi32(n.c00, _mm512_mullo_epi32(gi, gj)));
  c = _mm512_add_epi32(c, _mm512_mullo_epi32(n.c01, _mm512_mullo_epi32(gi, fj)));
  c = _mm512_add_epi32(c, _mm512_mullo_epi32(n.c10, _mm512_mullo_epi32(fi, gj)));
  c = _mm512_add_epi32(c, _mm512_mullo_epi32(n.c11, _mm512_mullo_epi32(fi, fj)));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(row.u + x), _mm512_cvtepi32_epi8(_mm512_srli_epi32(c, 6)));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(row.v + x), _mm512_cvtepi32_epi8(_mm512_srli_epi32(c, 22)));
  const __m512i near = _mm512_add_epi32(_mm512_mullo_epi32(_mm512_srli_epi32(_mm512_add_epi32(cb, four), 3), nodes),
                                        _mm512_srli_epi32(_mm512_add_epi32(cr, four), 3));
  return _mm512_slli_epi32(near, 8);
}

/// grade_chroma with the four nodes read by four gathers of row.chroma.
__attribute__((target("avx512f,avx512bw"))) inline __m512i grade_chroma_avx512(const GradeRow& row, int x) {
  const auto* table = reinterpret_cast<const int*>(row.chroma);
  return grade_chroma(row, x, [table](__m512i idx) __attribute__((target("avx512f,avx512bw"))) {
    constexpr int kN = kGradeNodes;
    return NodeChroma{_mm512_i32gather_epi32(idx, table, 4), _mm512_i32gather_epi32(idx, table + 256, 4),
                      _mm512_i32gather_epi32(idx, table + kN * 256, 4), _mm512_i32gather_epi32(idx, table + kN * 256 + 256, 4)};
  });
}

/// Y' of the 16 blocks' 64 pixels (32 of row a, 32 of row b), each through its
/// block's curve (`base`: the curve's offset per block), one gather per 16 pixels.
__attribute__((target("avx512f,avx512bw"))) inline void grade_luma_gather(std::uint8_t* a, std::uint8_t* b, __m512i base,
                                                                        const std::uint8_t* curves) {
  // Pixel j of the 32 in a row belongs to block j / 2.
  const __m512i first_half = _mm512_set_epi32(7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0);
  const __m512i second_half = _mm512_set_epi32(15, 15, 14, 14, 13, 13, 12, 12, 11, 11, 10, 10, 9, 9, 8, 8);
  const __m512i low_byte = _mm512_set1_epi32(0xff);
  const auto* table = reinterpret_cast<const int*>(curves);
  const __m512i base_lo = _mm512_permutexvar_epi32(first_half, base), base_hi = _mm512_permutexvar_epi32(second_half, base);
  for (std::uint8_t* line : {a, b}) {
    const __m512i p0 = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(line)));
    const __m512i p1 = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(line + 16)));
    const __m512i g0 = _mm512_and_si512(_mm512_i32gather_epi32(_mm512_add_epi32(base_lo, p0), table, 1), low_byte);
    const __m512i g1 = _mm512_and_si512(_mm512_i32gather_epi32(_mm512_add_epi32(base_hi, p1), table, 1), low_byte);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(line), _mm512_cvtepi32_epi8(g0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(line + 16), _mm512_cvtepi32_epi8(g1));
  }
}

/// grade_luma_gather's result by byte permutes (VBMI) while the 16 blocks share
/// at most kVbmiNodes nearest nodes (most groups: chroma moves slowly across a
/// picture): a node's 256-entry curve sits in four registers and two permutes
/// look it up for all 64 pixels at once; each pixel keeps its own node's value.
/// Groups with more distinct nodes go to the gathers.
__attribute__((target("avx512f,avx512bw,avx512vbmi,bmi2"))) inline void grade_luma_vbmi(std::uint8_t* a, std::uint8_t* b,
                                                                                      __m512i base,
                                                                                      const std::uint8_t* curves) {
  constexpr int kVbmiNodes = 3;
  const __m512i pix = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a))),
                                         _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b)), 1);
  const __mmask64 upper = _mm512_movepi8_mask(pix);  // Y' >= 128: the curve's upper half
  alignas(64) std::int32_t offset[16];
  _mm512_store_si512(offset, base);
  __m512i out = pix;
  auto todo = static_cast<__mmask16>(0xffff);
  for (int k = 0; k < kVbmiNodes && todo != 0; ++k) {
    const std::int32_t at = offset[__builtin_ctz(todo)];
    const __mmask16 same = _mm512_mask_cmpeq_epi32_mask(todo, base, _mm512_set1_epi32(at));
    todo = static_cast<__mmask16>(todo & ~same);
    const std::uint8_t* t = curves + at;
    const __m512i lo = _mm512_permutex2var_epi8(_mm512_loadu_si512(t), pix, _mm512_loadu_si512(t + 64));
    const __m512i hi = _mm512_permutex2var_epi8(_mm512_loadu_si512(t + 128), pix, _mm512_loadu_si512(t + 192));
    // Block j holds pixels 2j and 2j + 1 of each row: its bit doubled, in both rows' halves.
    const std::uint64_t row_bits = static_cast<std::uint64_t>(_pdep_u32(same, 0x55555555u)) * 3u;
    out = _mm512_mask_blend_epi8(row_bits | row_bits << 32, out, _mm512_mask_blend_epi8(upper, lo, hi));
  }
  if (todo != 0) {
    grade_luma_gather(a, b, base, curves);
    return;
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(a), _mm512_castsi512_si256(out));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(b), _mm512_extracti64x4_epi64(out, 1));
}

}  // namespace

__attribute__((target("avx512f,avx512bw"))) int grade_blocks_avx512(const GradeRow& row) {
  const int n = row.blocks / 16 * 16;
  for (int x = 0; x < n; x += 16) {
    const __m512i base = grade_chroma_avx512(row, x);  // before Y' changes: it reads the block means
    grade_luma_gather(row.y0 + 2 * x, row.y1 + 2 * x, base, row.curves);
  }
  return n;
}

/// Corner k of block j is bytes 8j + 2k (Cb) and 8j + 2k + 1 (Cr) of two
/// gathered registers (blocks 0-7, 8-15): permute indices that bring them to
/// bytes 0 and 2 of 32-bit lane j (the others are zeroed).
constexpr std::array<std::array<std::uint8_t, 64>, 4> corner_bytes() {
  std::array<std::array<std::uint8_t, 64>, 4> pick{};
  for (int k = 0; k < 4; ++k) {
    for (int j = 0; j < 16; ++j) {
      pick[k][4 * j] = static_cast<std::uint8_t>(8 * j + 2 * k);
      pick[k][4 * j + 2] = static_cast<std::uint8_t>(8 * j + 2 * k + 1);
    }
  }
  return pick;
}
alignas(64) constexpr std::array<std::array<std::uint8_t, 64>, 4> kCornerBytes = corner_bytes();

/// grade_chroma with the four nodes' chroma read as one 8-byte entry of
/// row.corners per block (two gathers of 8 instead of four of 16), spread back
/// into the four Cb | Cr << 16 words the weights multiply by byte permutes.
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) inline __m512i grade_chroma_vbmi(const GradeRow& row, int x) {
  const auto* table = reinterpret_cast<const long long*>(row.corners);
  return grade_chroma(row, x, [table](__m512i idx) __attribute__((target("avx512f,avx512bw,avx512vbmi"))) {
    const __m512i lo = _mm512_i32gather_epi64(_mm512_castsi512_si256(idx), table, 8);        // blocks 0-7
    const __m512i hi = _mm512_i32gather_epi64(_mm512_extracti64x4_epi64(idx, 1), table, 8);  // blocks 8-15
    const auto corner = [&](std::size_t k) __attribute__((target("avx512f,avx512bw,avx512vbmi"))) {
      return _mm512_maskz_permutex2var_epi8(0x5555555555555555ull, lo, _mm512_load_si512(kCornerBytes[k].data()), hi);
    };
    return NodeChroma{corner(0), corner(1), corner(2), corner(3)};
  });
}

__attribute__((target("avx512f,avx512bw,avx512vbmi,bmi2"))) int grade_blocks_avx512_vbmi(const GradeRow& row) {
  const int n = row.blocks / 16 * 16;
  for (int x = 0; x < n; x += 16) {
    const __m512i base = grade_chroma_vbmi(row, x);
    grade_luma_vbmi(row.y0 + 2 * x, row.y1 + 2 * x, base, row.curves);
  }
  return n;
}

namespace {

/// The low byte of each of the 8 32-bit lanes, as 8 bytes (AVX2 has no narrowing store):
/// a curve entry gathered as 32 bits, or a chroma value shifted down.
__attribute__((target("avx2"))) inline void store_low_bytes(std::uint8_t* out, __m256i v) {
  const __m256i pick = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,  //
                                        0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m256i packed = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(v, pick), _mm256_setr_epi32(0, 4, 1, 1, 1, 1, 1, 1));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(packed));
}

}  // namespace

__attribute__((target("avx2"))) int grade_blocks_avx2(const GradeRow& row) {
  constexpr int kN = kGradeNodes;
  const auto* table = reinterpret_cast<const int*>(row.chroma);
  const auto* curves = reinterpret_cast<const int*>(row.curves);
  const __m256i seven = _mm256_set1_epi32(7), eight = _mm256_set1_epi32(8), four = _mm256_set1_epi32(4);
  const __m256i nodes = _mm256_set1_epi32(kN);
  const __m256i round = _mm256_set1_epi32(32 | 32 << 16), two = _mm256_set1_epi32(2), ones = _mm256_set1_epi16(1);
  const __m256i first_half = _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3), second_half = _mm256_setr_epi32(4, 4, 5, 5, 6, 6, 7, 7);
  const int n = row.blocks / 8 * 8;
  for (int x = 0; x < n; x += 8) {
    const __m256i cb = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(row.u + x)));
    const __m256i cr = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(row.v + x)));
    const __m256i fi = _mm256_and_si256(cb, seven), fj = _mm256_and_si256(cr, seven);
    const __m256i gi = _mm256_sub_epi32(eight, fi), gj = _mm256_sub_epi32(eight, fj);
    const __m256i node = _mm256_add_epi32(_mm256_mullo_epi32(_mm256_srli_epi32(cb, 3), nodes), _mm256_srli_epi32(cr, 3));
    std::uint8_t* a = row.y0 + 2 * x;
    std::uint8_t* b = row.y1 + 2 * x;
    const __m256i sum2 = _mm256_add_epi16(_mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a))),
                                          _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b))));
    const __m256i mean = _mm256_srli_epi32(_mm256_add_epi32(_mm256_madd_epi16(sum2, ones), two), 2);
    const __m256i idx = _mm256_add_epi32(_mm256_slli_epi32(node, 8), mean);
    __m256i c = round;
    c = _mm256_add_epi32(c, _mm256_mullo_epi32(_mm256_i32gather_epi32(table, idx, 4), _mm256_mullo_epi32(gi, gj)));
    c = _mm256_add_epi32(c, _mm256_mullo_epi32(_mm256_i32gather_epi32(table + 256, idx, 4), _mm256_mullo_epi32(gi, fj)));
    c = _mm256_add_epi32(c, _mm256_mullo_epi32(_mm256_i32gather_epi32(table + kN * 256, idx, 4), _mm256_mullo_epi32(fi, gj)));
    c = _mm256_add_epi32(c, _mm256_mullo_epi32(_mm256_i32gather_epi32(table + kN * 256 + 256, idx, 4), _mm256_mullo_epi32(fi, fj)));
    store_low_bytes(row.u + x, _mm256_srli_epi32(c, 6));
    store_low_bytes(row.v + x, _mm256_srli_epi32(c, 22));
    const __m256i near = _mm256_add_epi32(_mm256_mullo_epi32(_mm256_srli_epi32(_mm256_add_epi32(cb, four), 3), nodes),
                                          _mm256_srli_epi32(_mm256_add_epi32(cr, four), 3));
    const __m256i base = _mm256_slli_epi32(near, 8);
    const __m256i base_lo = _mm256_permutevar8x32_epi32(base, first_half), base_hi = _mm256_permutevar8x32_epi32(base, second_half);
    for (std::uint8_t* line : {a, b}) {
      const __m256i p0 = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(line)));
      const __m256i p1 = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(line + 8)));
      store_low_bytes(line, _mm256_i32gather_epi32(curves, _mm256_add_epi32(base_lo, p0), 1));
      store_low_bytes(line + 8, _mm256_i32gather_epi32(curves, _mm256_add_epi32(base_hi, p1), 1));
    }
  }
  return n;
}

// NOLINTEND(cppcoreguidelines-pro-type-reinterpret-cast)

#else

int grade_blocks_avx512(const GradeRow& /*row*/) { return 0; }
int grade_blocks_avx512_vbmi(const GradeRow& /*row*/) { return 0; }
int grade_blocks_avx2(const GradeRow& /*row*/) { return 0; }

#endif

}  // namespace mv
