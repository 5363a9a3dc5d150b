// simd.cpp — see simd.hpp.
#include "mv/base/simd.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace mv {

namespace {

SimdLevel detect() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  SimdLevel best = SimdLevel::None;
  if (__builtin_cpu_supports("avx2")) best = SimdLevel::Avx2;
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) best = SimdLevel::Avx512;
  if (best == SimdLevel::Avx512 && __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("bmi2")) {
    best = SimdLevel::Avx512Vbmi;
  }
  const char* forced = std::getenv("MV_SIMD");  // NOLINT(concurrency-mt-unsafe): read once, before any worker starts it
  if (forced == nullptr) return best;
  const std::string want = forced;
  if (want == "none") return SimdLevel::None;
  if (want == "avx2") return std::min(best, SimdLevel::Avx2);
  if (want == "avx512") return std::min(best, SimdLevel::Avx512);
  return best;
#else
  return SimdLevel::None;
#endif
}

}  // namespace

SimdLevel simd_level() {
  static const SimdLevel level = detect();
  return level;
}

const char* simd_name(SimdLevel level) {
  switch (level) {
    case SimdLevel::Avx2: return "avx2";
    case SimdLevel::Avx512: return "avx512";
    case SimdLevel::Avx512Vbmi: return "avx512vbmi";
    case SimdLevel::None: break;
  }
  return "none";
}

}  // namespace mv
