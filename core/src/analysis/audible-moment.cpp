// audible-moment.cpp — audible_moment(): a moment of a file with sound, for a still of it.
#include <algorithm>
#include <cmath>
#include <exception>
#include <vector>

#include "mv/analysis/analysis.hpp"
#include "mv/base/error.hpp"
#include "mv/media/media.hpp"

namespace mv {

namespace {

constexpr int kRate = 8000;          ///< Hz: the level needs no more
constexpr double kWindowS = 0.25;    ///< s, one RMS window
// A look draws what it heard: the 1.5 s before the moment must sound too (after a silence,
// looks start a new section: bars grow back in, a shot of the footage cuts in).
constexpr int kBefore = 6;           ///< windows before the moment's that must sound (1.5 s)
constexpr int kAfter = 1;            ///< windows after it (0.25 s)
constexpr double kQuietDb = 20.0;    ///< a window this far below the loud level is quiet
constexpr double kSilentRms = 0.001; ///< −60 dBFS: a loud level below this is no sound at all

}  // namespace

double audible_moment(const std::filesystem::path& path, double preferred_s, double from_s, double scan_s, int track,
                      const CancelToken* cancel) {
  std::vector<double> rms;  // one per window, from from_s
  try {
    AudioReader reader(path, kRate, 1, from_s, scan_s, track);
    const auto window = static_cast<std::size_t>(kWindowS * kRate);
    std::vector<float> pcm;
    std::size_t used = 0;
    auto drain = [&] {
      while (pcm.size() - used >= window) {
        double sum = 0.0;
        for (std::size_t i = used; i < used + window; ++i) sum += static_cast<double>(pcm[i]) * pcm[i];
        rms.push_back(std::sqrt(sum / static_cast<double>(window)));
        used += window;
      }
      pcm.erase(pcm.begin(), pcm.begin() + static_cast<std::ptrdiff_t>(used));
      used = 0;
    };
    while (reader.read(pcm)) {
      if (cancel != nullptr) cancel->throw_if_requested();
      drain();
    }
    drain();
  } catch (const Error& e) {
    if (e.code() == ErrorCode::Cancelled) throw;
    return preferred_s;  // no audio track, or unreadable: nothing to choose by
  } catch (const std::exception&) {
    return preferred_s;
  }
  if (rms.empty()) return preferred_s;
  std::vector<double> sorted = rms;
  const auto p90 = sorted.begin() + static_cast<std::ptrdiff_t>(0.9 * static_cast<double>(sorted.size() - 1));
  std::nth_element(sorted.begin(), p90, sorted.end());
  const double loud = *p90;
  if (loud < kSilentRms) return preferred_s;
  const double quiet = loud * std::pow(10.0, -kQuietDb / 20.0);
  const auto n = static_cast<std::ptrdiff_t>(rms.size());
  // A window "holds" when it, the kBefore before it (all inside the scan) and the kAfter after it sound.
  auto holds = [&](std::ptrdiff_t i) {
    if (i < kBefore) return false;
    for (std::ptrdiff_t j = i - kBefore; j <= std::min(n - 1, i + kAfter); ++j) {
      if (rms[static_cast<std::size_t>(j)] < quiet) return false;
    }
    return true;
  };
  // A preferred moment past the audio read (the file is shorter than its container said, or
  // than the caller thought) is the last window's: never a moment with no sound at all.
  const auto wanted = static_cast<std::ptrdiff_t>(std::floor((preferred_s - from_s) / kWindowS));
  const auto at = std::clamp(wanted, std::ptrdiff_t{0}, n - 1);
  if (holds(at)) return at == wanted ? preferred_s : from_s + (static_cast<double>(at) + 0.5) * kWindowS;
  for (std::ptrdiff_t d = 1; d < n; ++d) {  // the nearest that holds; the later one first
    for (const std::ptrdiff_t i : {at + d, at - d}) {
      if (i >= 0 && i < n && holds(i)) return from_s + (static_cast<double>(i) + 0.5) * kWindowS;
    }
  }
  // None has 1.5 s of sound before it (a short recording with a long silence): the end of the
  // longest sounding run the scan has, the nearest such; the look has heard the most there.
  std::ptrdiff_t best = -1, best_run = 0, run = 0;
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    run = rms[static_cast<std::size_t>(i)] >= quiet ? run + 1 : 0;
    if (run > best_run || (run == best_run && run > 0 && std::abs(i - at) < std::abs(best - at))) {
      best = i;
      best_run = run;
    }
  }
  return best < 0 ? preferred_s : from_s + (static_cast<double>(best) + 0.5) * kWindowS;
}

}  // namespace mv
