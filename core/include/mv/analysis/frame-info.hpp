// frame-info.hpp — what every layer of the compositor sees per video frame:
// band levels, loudness, band groups, beat, downbeat and onset events and
// pulses, the section. Filled from a whole song's analysis by the renderer's
// FrameFeeder, or causally, from the audio up to the frame's time, by
// LiveAnalyzer (live-analyzer.hpp): the same type, so a look draws the same
// way live and in a file.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "mv/analysis/analysis.hpp"

namespace mv {

/// Per-frame drawing inputs. Levels are 0..1 unless said otherwise.
struct FrameInfo {
  std::int64_t index = 0;      ///< frame number
  double time_s = 0.0;         ///< PTS of the frame, seconds
  double fps = 30.0;
  std::array<float, kBandCount> bands{};  ///< smoothed band levels (fast attack, slow release)
  float level = 0.0f;          ///< overall loudness (RMS in dB over a 50 dB range)
  float bass = 0.0f, mid = 0.0f, treble = 0.0f;  ///< band groups: <250 Hz, 250–2k, >2k
  float beat_pulse = 0.0f;     ///< 1 on the frame of a beat, decaying (τ = 120 ms)
  float bar_pulse = 0.0f;      ///< 1 on the frame of a downbeat, decaying (τ = 250 ms)
  float onset_pulse = 0.0f;    ///< same for onsets (τ = 60 ms)
  double beat_age_s = 1e9;     ///< time since the latest beat frame (0 on a beat frame)
  double downbeat_age_s = 1e9; ///< time since the latest downbeat frame
  bool beat_frame = false;     ///< a beat lands on this frame
  bool downbeat_frame = false; ///< a downbeat lands on this frame
  std::int64_t beat_index = -1;  ///< index of the latest beat at or before this frame
  double beat_period_s = 0.5;  ///< 60 / tempo
  std::size_t section = 0;     ///< index of the current section
  double section_energy = 1.0; ///< its energy, 0..1
  bool section_start = false;  ///< first frame of a section (not of the song)
  double section_age_s = 1e9;  ///< time since the current section's first frame (1e9 in the first section)
  double next_section_in_s = 1e9;  ///< time until the next section's first frame (1e9 in the last)
  std::vector<float> waveform; ///< mono samples around time_s (2 frame durations), ±1, times AutoGain::wave_gain()
  double intensity = 1.0;      ///< user intensity (0.6 calm … 1.5 intense)
};

}  // namespace mv
