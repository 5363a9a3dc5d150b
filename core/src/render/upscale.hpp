// upscale.hpp — bilinear scaling of a low-resolution field onto a full-size
// plane, in integers and separably (each low row is scaled across once, then
// every output row is one blend of two such rows), for the compositor's soft
// layers (glow, generated backgrounds) computed at 1/4 or 1/16 size. The
// loops (row-loops.hpp) have no table lookups so that the compiler vectorizes them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "row-loops.hpp"

namespace mv {

/// Scales the lw × lh field (row-major ints) up to w × h, where one field
/// pixel covers `step` output pixels (field pixel i spans output pixels
/// [i·step, (i+1)·step), values ramp linearly from one field pixel to the
/// next), and calls `row_op(y, values)` for each output row y with its w
/// values. `scratch` is reused between calls. Needs lw ≥ w / step + 1 and
/// lh ≥ h / step + 1, step ≥ 1. With `live` (one flag per field row), output
/// rows between two field rows that are both all zero are skipped.
template <class RowOp>
void upscale_rows(const std::vector<int>& field, int lw, int lh, int w, int h, int step, std::vector<int>& scratch,
                  RowOp row_op, const std::vector<char>* live = nullptr) {
  const int padded = (w / step + 1) * step;
  scratch.resize(static_cast<std::size_t>(lh + 1) * static_cast<std::size_t>(padded));
  for (int r = 0; r < lh; ++r) {
    const int* src = &field[static_cast<std::size_t>(r) * static_cast<std::size_t>(lw)];
    int* dst = &scratch[static_cast<std::size_t>(r) * static_cast<std::size_t>(padded)];
    ramp_row(dst, src, lw, w, step);
  }
  int* out = &scratch[static_cast<std::size_t>(lh) * static_cast<std::size_t>(padded)];
  for (int y = 0; y < h; ++y) {
    const int i = std::min(y / step, lh - 2);
    if (live != nullptr && (*live)[static_cast<std::size_t>(i)] == 0 && (*live)[static_cast<std::size_t>(i) + 1] == 0) continue;
    const int a = ((y - i * step) * 256) / step;
    const int* r0 = &scratch[static_cast<std::size_t>(i) * static_cast<std::size_t>(padded)];
    const int* r1 = r0 + padded;
    blend_rows(out, r0, r1, a, w);
    row_op(y, out);
  }
}

}  // namespace mv
