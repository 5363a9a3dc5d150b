// row-loops.cpp — see row-loops.hpp.
#include "row-loops.hpp"

#include <algorithm>

namespace mv {

namespace {

/// ramp_row with the step known at compile time: its division becomes shifts.
template <int Step>
inline void ramp_fixed(int* dst, const int* src, int lw, int count) {
  for (int i = 0; i < count; ++i) {
    const int a = src[i], d = src[std::min(i + 1, lw - 1)] - src[i];
    for (int k = 0; k < Step; ++k) dst[i * Step + k] = a + d * k / Step;
  }
}

}  // namespace

MV_ROW_LOOP void ramp_row(int* dst, const int* src, int lw, int w, int step) {
  const int count = (w + step - 1) / step;  // every i with i·step < w
  switch (step) {
    case 16: ramp_fixed<16>(dst, src, lw, count); return;
    case 8: ramp_fixed<8>(dst, src, lw, count); return;
    case 4: ramp_fixed<4>(dst, src, lw, count); return;
    case 2: ramp_fixed<2>(dst, src, lw, count); return;
    default: break;
  }
  for (int i = 0; i < count; ++i) {
    const int a = src[i], d = src[std::min(i + 1, lw - 1)] - src[i];
    for (int k = 0; k < step; ++k) dst[i * step + k] = a + d * k / step;
  }
}

MV_ROW_LOOP void blend_rows(int* out, const int* r0, const int* r1, int a, int w) {
  for (int x = 0; x < w; ++x) out[x] = r0[x] + (((r1[x] - r0[x]) * a) >> 8);
}

MV_ROW_LOOP void dither_row(std::uint8_t* row, const int* v, const std::uint8_t* d, int period, int w, int lo, int hi) {
  for (int x0 = 0; x0 < w; x0 += period) {  // a period at a time: no index masking inside
    const int n = std::min(period, w - x0);
    std::uint8_t* r = row + x0;
    const int* s = v + x0;
    for (int x = 0; x < n; ++x) r[x] = static_cast<std::uint8_t>(std::clamp((s[x] + d[x]) >> 8, lo, hi));
  }
}

MV_ROW_LOOP void add_scaled_row(std::uint8_t* row, const int* v, int gain, int w, int lo, int hi) {
  for (int x = 0; x < w; ++x) row[x] = static_cast<std::uint8_t>(std::clamp(row[x] + ((v[x] * gain) >> 8), lo, hi));
}

MV_ROW_LOOP void add_scaled_pairs(std::uint8_t* row, const int* v, int gain, int half_w) {
  for (int x = 0; x < half_w; ++x) {
    const int add = (v[x] * gain) >> 8;
    row[2 * x] = static_cast<std::uint8_t>(std::min(235, row[2 * x] + add));
    row[2 * x + 1] = static_cast<std::uint8_t>(std::min(235, row[2 * x + 1] + add));
  }
}

}  // namespace mv
