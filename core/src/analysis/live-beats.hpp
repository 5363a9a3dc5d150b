// live-beats.hpp — the causal beat tracker of LiveAnalyzer: tempo, beat phase
// and bar phase from the onset envelope up to now, predicting each beat before
// it sounds so that a beat pulse lands on the beat and not one analysis window
// late.
//
// Method (per 11.6 ms hop of the onset envelope):
//  - tempo: a running autocorrelation of the mean-removed onset envelope
//    (each lag's products forgotten with a 3 s time constant, so every lag up
//    to four beats at the slowest tempo rests on as much audio) is read every
//    0.5 s as the offline estimator reads its ACF (pick_tempo(): the fastest
//    comb peak within 15 % of the best, refined to a fraction of a hop), the
//    current tempo counting 10 % more; the first tempo is taken when two
//    picks in a row agree; the same tempo is followed smoothly (a
//    quarter of the difference per step); a different one is taken when it
//    wins for 1 s, or for 3 s when it is a simple ratio of the current one
//    (half, double, a third, 3/2, …: usually the same music heard at another
//    metrical level); the phase is then found afresh. An ACF of a short
//    window is no substitute: its long lags rest on a second of audio and
//    crown slow tempos;
//  - phase: a comb of ten teeth one period apart, weights 0.85^j into the
//    past, slid over one period of the envelope (half-hop steps, parabolic
//    refinement) gives the latest beat; the beat after it is the measurement
//    of a phase-locked loop whose prediction of the next beat moves a
//    twentieth of the way to each hop's measurement (Large & Kolen's adaptive
//    oscillator idea, "Resonance and the perception of musical meter",
//    Connection Science 1994; the comb is the causal half of Davies &
//    Plumbley's, IEEE TASLP 15(3), 2007). Tuned on the charted songs (`mvgen
//    bench --charts`): 6 teeth at 0.8 and a gain of 0.1 gave live F 0.84;
//  - steadiness: beats are emitted only while the audio pulses (a streamer's
//    voice, game sound and noise have a "best" tempo too): the picked tempo's
//    comb salience (tempo_evidence()) must be ≥ 0.12 and ≥ 0.04 over the median
//    of all tempos', and the pick must not sit at either end of the tempo grid
//    (a smooth envelope's ACF falls from lag 0, crowning the fastest tempo), for
//    two picks in a row at one tempo (1 s); six picks without (3 s) stop the
//    beats, the phase running on unseen. Live F on the charted songs 0.872 → 0.869; a minute of
//    espeak-ng speech shows 23 beats instead of 126, pink noise none instead of
//    132 (`mvgen bench --charts`);
//  - (the offline correct_beat_phase(), which moves the beats half a beat when
//    the drums fall between them, has no causal counterpart: decided on the
//    last 8–25 beats it moved right beats more often than wrong ones, and
//    cost 0.02–0.04 of live F on the charted songs);
//  - bars: each beat's kick rise (40–200 Hz) and accent (onset strength), as
//    the offline find_downbeats(), feed a decaying score per beat-in-bar
//    (4/4); the best phase gives downbeats once it beats the mean of the other
//    three by 5 %, and a new phase must beat the current one by 10 %.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace mv {

class LiveBeatTracker {
 public:
  /// One beat as it is emitted. `time_s`: when it sounds (predicted), s from the stream's start.
  struct Beat {
    double time_s = 0.0;
    std::int64_t index = 0;  ///< 0, 1, 2, … since the tracker first locked
    bool downbeat = false;
  };

  /// Tempo search range, BPM (as AnalysisOptions::min_bpm/max_bpm).
  LiveBeatTracker(double min_bpm, double max_bpm);

  /// Adds the next hop: `flux` (the raw spectral flux, ≥ 0), `kick` (mean band
  /// level 0..1 over 40–200 Hz), `rms` (full scale 1).
  void add_hop(float flux, float kick, float rms);
  /// Emits, in order, every predicted beat up to `until_s` (s). Beats
  /// predicted before `late_s` (their moment passed unseen, after a phase
  /// jump) are emitted at `late_s`.
  void emit_until(double until_s, double late_s, std::vector<Beat>& out);
  /// The followed tempo, BPM; 0 while none (too little audio, or silence).
  [[nodiscard]] double tempo_bpm() const { return tempo_; }
  /// The tempo shown: tempo_bpm() while the audio pulses steadily (beats are emitted; see
  /// the file comment), else 0.
  [[nodiscard]] double shown_tempo_bpm() const { return steady_ ? tempo_ : 0.0; }

 private:
  void update_tempo();
  /// Follows `bpm` from now on (unless it is within 4 % of the current tempo): the phase is found afresh.
  void take_tempo(double bpm);
  /// One tempo pick's verdict on whether the audio pulses steadily, at `bpm` (the pick); flips
  /// steady_ after kSteadyOnPicks verdicts in a row for a pulse at one tempo (within 4 %), or
  /// kSteadyOffPicks in a row against it.
  void update_steadiness(bool pulsing, double bpm);
  void update_phase();
  void score_bar(const Beat& beat);
  [[nodiscard]] double env_at(double hop) const;
  [[nodiscard]] double band_rise(const std::vector<float>& band, std::int64_t hop) const;
  [[nodiscard]] std::int64_t hops() const { return base_ + static_cast<std::int64_t>(env_.size()); }

  double min_bpm_, max_bpm_;
  // Per-hop history from hop base_ on (trimmed to the last ~12 s).
  std::int64_t base_ = 0;
  std::vector<float> env_, kick_, rms_;
  float env_peak_ = 1e-6f;  ///< decaying maximum of the flux (normalises the accent)
  double tempo_ = 0.0;      ///< BPM, 0: none
  std::vector<double> acf_;       ///< running autocorrelation of the envelope, by lag (hops)
  std::vector<double> acf_weight_;  ///< the forgetting sum of each lag's products' weights
  std::vector<float> centred_;    ///< the envelope minus its running mean, recent hops
  double env_mean_ = 0.0;
  bool steady_ = false;        ///< a steady pulse is heard: beats are emitted
  int steadiness_count_ = 0;   ///< tempo picks in a row that disagree with steady_
  double steadiness_bpm_ = 0.0;  ///< the tempo of the last pick that heard a pulse while not steady_
  double pending_ = 0.0;    ///< a different tempo seen in the last estimate
  int pending_count_ = 0;
  double next_beat_s_ = -1.0;  ///< the predicted next beat, s (< 0: none yet)
  double last_emitted_s_ = -1.0;
  double horizon_s_ = 0.0;     ///< beats up to here are emitted already, s
  std::int64_t next_index_ = 0;
  double kick_mean_ = 0.0, accent_mean_ = 0.0;
  std::vector<Beat> unscored_;                 ///< emitted beats whose audio has not all arrived
  std::array<double, 4> bar_score_{};
  std::array<int, 4> bar_count_{};
  int bar_phase_ = -1;  ///< beat index mod 4 of the downbeats, −1: none stands out
};

}  // namespace mv
