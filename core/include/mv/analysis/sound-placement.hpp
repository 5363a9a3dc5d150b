// sound-placement.hpp — where a source's sound lands in a mix that contains it.
//
// A live look hears a source's audio as the source sends it, stamped with when
// the source meant it to sound; the output mix (what the stream and the
// recording carry) may play it later: OBS moves a source's sound later when
// the source ran short at a mix tick, or when it restarted, and keeps where to
// itself. SoundPlacement measures it from the sound itself: the source's audio
// on its timeline against the mix on the mix's own timestamps.
//
// Method: both streams are summed to mono and binned onto one 8 kHz grid of
// the shared clock (each bin the mean of the samples whose time falls in it:
// a 6-sample box at 48 kHz), so that both are indexed by the clock alone.
// Every measure(), the source's latest 0.512 s (4096 bins) that the mix has
// had time to play is cross-correlated with the mix over lags kMinLagMs..
// kMaxLagMs by the generalised cross-correlation with the phase transform
// (GCC-PHAT: the cross-spectrum divided by its magnitude — here by its 0.7th
// power, a partial whitening — so the sound's own periodicity, a bass note or
// a held chord, does not make a broad or doubled peak; Knapp & Carter, "The
// generalized correlation method for estimation of time delay", IEEE TASSP
// 24(4), 1976), via libavutil's av_tx FFT. The peak, over the sum of the
// weighted cross-spectrum's magnitudes (1: the mix is the source, delayed), is
// refined by a parabola. It is taken only when it stands out: at least
// kMinPeak high and kMinContrast times the highest value over 3 ms away from
// it (a sound that is not in the mix, a muted source, a pure tone give nothing).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

struct AVTXContext;
struct AVComplexFloat;

namespace mv {

/// Measures how much later a mix plays a source's sound than the source's
/// timestamps say (see the file comment for the method). Feed both streams in
/// time order (blocks of any size, any channel count, both at the rate given to
/// the constructor, timestamps in ns on one clock), then call measure(). Keeps
/// the last 4.1 s of each; memory about 400 KB. Not thread-safe: one thread feeds and measures.
class SoundPlacement {
 public:
  /// Lags searched, ms: the mix playing the source from this much earlier to this much later.
  static constexpr double kMinLagMs = -30.0;
  static constexpr double kMaxLagMs = 250.0;
  /// The least peak taken (1: the mix is the source, delayed; a song at 0.4 under another at 0.5: 0.3–0.45).
  static constexpr double kMinPeak = 0.15;
  /// How many times the highest value over 3 ms from the peak the peak must be.
  static constexpr double kMinContrast = 3.0;
  /// The bins' rate, Hz.
  static constexpr int kGridRate = 8000;

  /// `sample_rate`: of both streams' samples, Hz (8000..384000).
  /// Errors: Error{Usage} for a rate out of range; Error{Internal} when the FFT cannot be set up.
  explicit SoundPlacement(int sample_rate);
  ~SoundPlacement();
  SoundPlacement(const SoundPlacement&) = delete;
  SoundPlacement& operator=(const SoundPlacement&) = delete;

  /// The source's `frames` frames of `channels` interleaved samples whose
  /// first sounds, by the source's timeline, at `timestamp_ns` (any clock the mix shares).
  void add_source(const float* interleaved, int channels, std::size_t frames, std::uint64_t timestamp_ns);
  /// The mix's `frames` frames of `channels` interleaved samples whose first plays at `timestamp_ns`.
  void add_mix(const float* interleaved, int channels, std::size_t frames, std::uint64_t timestamp_ns);

  /// One measurement on the latest audio both have (see the file comment):
  /// how much later the mix plays the source's sound than the source's
  /// timeline says, ns (negative: earlier); nothing when there is not yet
  /// enough of both, the source is silent there, or no lag stands out.
  [[nodiscard]] std::optional<std::int64_t> measure();
  /// The last measure()'s peak height and contrast (for diagnostics and tests); 0 before one.
  [[nodiscard]] double last_peak() const { return last_peak_; }
  [[nodiscard]] double last_contrast() const { return last_contrast_; }

 private:
  /// One stream on the 8 kHz grid: bins lo..hi−1 kept (the last kKeepBins).
  struct Grid {
    std::vector<float> sum;
    std::vector<std::uint16_t> count;
    std::int64_t lo = 0, hi = 0;  ///< global bin indices (time · kGridRate), hi exclusive
    [[nodiscard]] float at(std::int64_t bin) const;
    void add(std::int64_t bin, float value);
  };
  void release();
  void add(Grid& grid, const float* interleaved, int channels, std::size_t frames, std::uint64_t timestamp_ns) const;

  int rate_;
  Grid source_, mix_;
  AVTXContext* forward_ = nullptr;
  AVTXContext* inverse_ = nullptr;
  void (*forward_fn_)(AVTXContext*, void*, void*, std::ptrdiff_t) = nullptr;
  void (*inverse_fn_)(AVTXContext*, void*, void*, std::ptrdiff_t) = nullptr;
  AVComplexFloat *a_ = nullptr, *b_ = nullptr, *fa_ = nullptr, *fb_ = nullptr;
  double last_peak_ = 0.0, last_contrast_ = 0.0;
};

}  // namespace mv
