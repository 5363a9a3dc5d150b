// auto-gain.hpp — the levels a look moves with, mapped through the recent
// range of the audio, so that a −30 LUFS source and a −8 LUFS one, or a quiet
// verse and the loud chorus after it, move a look alike. Shared by the live
// analysis (LiveAnalyzer, causal) and the file render (FrameFeeder, primed
// with the song's first seconds), so both draw the same levels.
//
// Method, per block of 43 hops (~0.5 s):
//  - the loudness envelope ("top"): the block's 95th percentile of hop RMS in
//    dBFS; the envelope takes a louder block at once and falls 4 dB a second
//    toward a quieter one (a compressor's instant attack and linear release),
//    never under −50 dB (hiss is not music);
//  - per band, a histogram of the band's level (the analysis' band bytes, 0..255
//    over −80..0 dB) *relative to the envelope*, forgetting with a 10 s time
//    constant: its 30th percentile maps to 0 and its 99th to 1 (at least 20
//    bytes, ~6 dB, apart), then level^1.5. Relative levels keep the shape of
//    the last 10 s while the envelope alone follows the volume, so a passage
//    24 dB quieter moves a look again within ~6 s, not after the 30–45 s a
//    histogram of absolute levels needs to forget the loud part. A band whose
//    peak (falling 1 byte per block) stays under −72 dB is silent: it stays at 0;
//  - the loudness maps the 40 dB under the envelope to 0..1; the waveform is
//    scaled so that the envelope sits at kWaveRefDb.
#pragma once

#include <array>
#include <cstdint>

#include "mv/analysis/analysis.hpp"

namespace mv {

/// Hops per block of AutoGain (43 × 256 / 22050 Hz ≈ 0.5 s).
inline constexpr std::int64_t kAutoGainBlockHops = 43;
/// Time constant of AutoGain's band histograms, s.
inline constexpr double kAutoGainMemoryS = 10.0;
/// How fast AutoGain's loudness envelope falls toward a quieter block, dB per second.
inline constexpr double kAutoGainReleaseDbPerS = 4.0;
/// The RMS (dBFS, of the analysis' Hann-windowed frames) the waveform's
/// envelope is brought to: a loudly mastered song's (measured on the bundled
/// charted songs: −4 to −7.5 dB over whole songs; the sample's quiet intro −10
/// to −17), so such songs draw about as before and quiet ones as large.
inline constexpr double kWaveRefDb = -6.0;

/// The mapping in force between two blocks.
struct AutoGainRange {
  std::array<float, kBandCount> low{};   ///< band byte over the envelope's byte mapped to 0
  std::array<float, kBandCount> span{};  ///< bytes from 0 to 1 (1e9: a silent band)
  double top_db = -50.0;                 ///< the loudness envelope, dBFS (at least −50)
  bool ready = false;                    ///< false until the first block: every level 0
};

/// The loudness envelope and the histograms of the recent band levels, read
/// every kAutoGainBlockHops hops. Not thread-safe: one per stream.
class AutoGain {
 public:
  /// Adds one analysis hop: its kBandCount band bytes (band levels as in
  /// Features::bands) and its RMS (full scale 1). After every
  /// kAutoGainBlockHops-th hop the block is read into the range.
  void add_hop(const std::uint8_t* bands, float rms);
  /// Reads the hops added since the last block now, as after a block's last
  /// hop (a stream shorter than one block).
  void read();
  /// The range read last.
  [[nodiscard]] const AutoGainRange& range() const { return range_; }

  /// Band `b`'s byte `v` mapped to 0..1 through `r`.
  static float band_level(const AutoGainRange& r, std::size_t b, std::uint8_t v);
  /// An RMS (full scale 1) mapped to 0..1 through `r`: the 40 dB under top_db.
  static float loudness(const AutoGainRange& r, double rms);
  /// The factor for the waveform's samples: kWaveRefDb over top_db, from 0.5 (−6 dB) to 100 (+40 dB).
  static float wave_gain(const AutoGainRange& r);

 private:
  /// Histogram bins of a band byte relative to the envelope's byte: −255..+255 → 0..510.
  static constexpr std::size_t kRelativeBins = 511;
  std::array<std::array<double, kRelativeBins>, kBandCount> band_hist_{};
  std::array<float, kBandCount> peak_{};  ///< each band's recent peak byte
  std::array<std::array<std::uint8_t, kBandCount>, kAutoGainBlockHops> block_bands_{};
  std::array<float, kAutoGainBlockHops> block_db_{};
  std::int64_t in_block_ = 0;
  AutoGainRange range_;
};

}  // namespace mv
