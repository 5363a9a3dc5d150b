// grade-simd.hpp — the 3D LUT grade's row-pair kernel (Grade::grade_rows_3d,
// effects.hpp) in plain C++ and vectorized for AVX2 and AVX-512; all three give
// identical bytes (test-titles-luts renders with each and compares).
#pragma once

#include <cstdint>

namespace mv {

/// One row of 2×2 blocks of a Y'CbCr 4:2:0 picture and the grade's tables.
struct GradeRow {
  std::uint8_t* y0 = nullptr;  ///< luma row 2·r (2·blocks pixels)
  std::uint8_t* y1 = nullptr;  ///< luma row 2·r + 1
  std::uint8_t* u = nullptr;   ///< Cb row r (blocks samples)
  std::uint8_t* v = nullptr;   ///< Cr row r
  int blocks = 0;
  /// [Cb node × 33 + Cr node][Y'] → Cb | Cr << 16, nodes every 8 code values.
  const std::uint32_t* chroma = nullptr;
  /// [node][Y'] → Y', followed by at least kGradeCurvePad readable bytes.
  const std::uint8_t* curves = nullptr;
  /// For grade_blocks_avx512_vbmi: [Cb node × 33 + Cr node][Y'] → bytes Cb, Cr
  /// of node (i, j), then of (i, j + 1), (i + 1, j), (i + 1, j + 1) (node 32 for
  /// any beyond it): the four reads of `chroma` as one 8-byte read.
  const std::uint64_t* corners = nullptr;
};

constexpr int kGradeNodes = 33;   ///< chroma nodes per axis (node 32 reads 255)
constexpr int kGradeStep = 8;     ///< code values between nodes
constexpr int kGradeCurvePad = 4;  ///< the gathers read 4 bytes at each curve entry

/// Grades blocks [from, row.blocks): chroma bilinear between the four nodes
/// around (Cb, Cr) at the block's mean Y' (weights summing to 64, rounded), each
/// Y' through the nearest node's curve.
void grade_blocks_scalar(const GradeRow& row, int from);

/// Grade blocks [0, n) with n the largest multiple of 16 (8) ≤ row.blocks, and
/// return n; the caller grades the rest with grade_blocks_scalar. Only call
/// when simd_level() allows it.
int grade_blocks_avx512(const GradeRow& row);
/// grade_blocks_avx512 with fewer gathers (the same bytes), for CPUs with
/// AVX-512 VBMI: the four chroma nodes in one 8-byte read (row.corners, needed),
/// Y' curves looked up by byte permutes where 16 blocks share few of them.
int grade_blocks_avx512_vbmi(const GradeRow& row);
int grade_blocks_avx2(const GradeRow& row);

}  // namespace mv
