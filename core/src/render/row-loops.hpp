// row-loops.hpp — the compositor's innermost per-row loops, each compiled for
// AVX-512 (x86-64-v4) and AVX2 as well as the baseline x86-64 (SSE2) by GCC's
// function multiversioning (target_clones: the loader picks one per CPU). SSE2
// has no 32-bit multiply or min/max, so these loops vectorize well only in the
// wider copies. Every function gives the same bytes on every path (integer
// arithmetic only).
#pragma once

#include <cstdint>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MV_ROW_LOOP __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define MV_ROW_LOOP
#endif

namespace mv {

/// Field row `src` (lw values) spread over `w` outputs, `step` outputs per
/// field value, ramping linearly to the next value: dst[i·step + k] =
/// src[i] + (src[i+1] − src[i])·k / step (C++ division, toward zero), the last
/// value held; writes ⌈w / step⌉ · step values.
void ramp_row(int* dst, const int* src, int lw, int w, int step);

/// out[x] = r0[x] + ((r1[x] − r0[x])·a >> 8) for x < w; a in 0..256.
void blend_rows(int* out, const int* r0, const int* r1, int a, int w);

/// row[x] = clamp((v[x] + d[x mod period]) >> 8, lo, hi): 8.8 fixed-point
/// values with an ordered dither of `period` values (a power of two).
void dither_row(std::uint8_t* row, const int* v, const std::uint8_t* d, int period, int w, int lo, int hi);

/// row[x] = clamp(row[x] + (v[x]·gain >> 8), lo, hi) for x < w.
void add_scaled_row(std::uint8_t* row, const int* v, int gain, int w, int lo, int hi);

/// Both samples of each pair: row[2x], row[2x+1] += v[x]·gain >> 8, at most
/// 235, for x < half_w (a chroma-resolution field added to a luma row).
void add_scaled_pairs(std::uint8_t* row, const int* v, int gain, int half_w);

}  // namespace mv
