// simd.hpp — which vector instructions the per-pixel loops may use, chosen once
// per process from what the CPU reports.
#pragma once

namespace mv {

/// The widest vector instruction set the hand-vectorized pixel loops use.
enum class SimdLevel {
  None,    ///< plain C++ (what the compiler vectorizes by itself, SSE2 on x86-64)
  Avx2,    ///< AVX2 (8 × 32-bit lanes, gathers): Intel since 2013, AMD since 2015
  Avx512,  ///< AVX-512 F + BW (16 × 32-bit lanes): Intel since Skylake-SP, AMD Zen 4
  Avx512Vbmi,  ///< AVX-512 F + BW + VBMI (byte permutes across 64 bytes) and BMI2: Intel since Ice Lake, AMD Zen 4
};

/// The level for this process: the best the CPU supports (GCC/Clang's
/// __builtin_cpu_supports), lowered by the environment variable MV_SIMD
/// ("none", "avx2", "avx512" or "avx512vbmi"; like FFmpeg's -cpuflags, for comparing paths and
/// for tests; a level the CPU lacks is never taken). None off x86-64. Read once;
/// thread-safe.
SimdLevel simd_level();

/// "none", "avx2", "avx512" or "avx512vbmi".
const char* simd_name(SimdLevel level);

}  // namespace mv
