// analysis.hpp — what the local engine learns from a song: tempo, beats,
// downbeats, onsets, loudness and sections, plus the per-hop spectral
// features the renderer draws from.
//
// Pipeline (one streaming pass, memory independent of song length except the
// small per-hop feature arrays):
//   decode (FFmpeg) → EBU R128 loudness (libebur128, at the native rate)
//   → mono 22050 Hz → STFT (1024-point Hann, hop 256 = 11.6 ms, libavutil av_tx)
//   → log-magnitude spectral flux onset envelope + 48 log-spaced band energies
// then, offline over the envelope:
//   tempo: autocorrelation + comb salience (see tempo-estimator.cpp)
//   beats: dynamic programming, Ellis 2007 (see beat-tracker.cpp)
//   downbeats: bar phase with the strongest low-band accents (downbeat-finder.cpp)
//   sections: Foote 2000 checkerboard novelty over band features (section-finder.cpp)
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mv/base/progress.hpp"

namespace mv {

/// Sample rate (Hz), FFT size and hop (samples) of the analysis STFT.
inline constexpr int kAnalysisRate = 22050;
inline constexpr int kFftSize = 1024;
inline constexpr int kHopSize = 256;
/// Number of log-spaced frequency bands kept per hop for the visuals (40 Hz – 11 kHz).
inline constexpr int kBandCount = 48;
/// The onset envelope peaks this much before the perceived attack (the band
/// level rises as soon as an attack enters the 46 ms window); beat and onset
/// times are shifted by it. Measured on synthetic clicks and drums (test-beats).
inline constexpr double kOnsetLatencyS = 0.012;

/// The tempo search range both beat trackers use unless told otherwise, BPM.
inline constexpr double kDefaultMinBpm = 60.0;
inline constexpr double kDefaultMaxBpm = 200.0;

/// Whether [min_bpm, max_bpm] is a tempo search range the trackers take: within
/// 20..400 BPM and max_bpm ≥ 1.5 × min_bpm (the comb needs room for one tempo).
constexpr bool valid_tempo_range(double min_bpm, double max_bpm) {
  return min_bpm >= 20.0 && max_bpm <= 400.0 && max_bpm >= 1.5 * min_bpm;
}

/// Knobs of the analysis.
struct AnalysisOptions {
  double start_s = 0.0;                  ///< excerpt start in the input, seconds
  std::optional<double> duration_s;      ///< excerpt length, seconds (none = to the end)
  std::optional<double> bpm;             ///< force the tempo (BPM); beats still follow the onsets
  double min_bpm = kDefaultMinBpm;       ///< tempo search range, BPM (use to fix half/double errors)
  double max_bpm = kDefaultMaxBpm;
  /// The audio track to analyse (AudioTrack::number, 1-based); 0 = FFmpeg's best.
  int audio_track = 0;
};

/// A stretch of the song with a consistent energy, between two novelty peaks.
struct Section {
  double start_s = 0.0;
  double end_s = 0.0;
  double energy = 0.0;   ///< mean RMS of the section relative to the loudest section, 0..1
  /// "A", "B", …: sections whose music is the same (mean beat-chroma and
  /// timbre similarity from their starts well above the song's typical one)
  /// share a letter, given in order of first appearance (label_sections()).
  std::string label;
};

/// The length of a highlight when none is given (a Short), and the range a
/// user may ask for (Shorts, Reels and TikToks run 15–60 s), seconds.
inline constexpr double kDefaultHighlightS = 30.0;
inline constexpr double kMinHighlightS = 15.0, kMaxHighlightS = 60.0;

/// A candidate excerpt for a Short: the chorus or hook (find_highlights()).
struct Highlight {
  double start_s = 0.0, end_s = 0.0;  ///< on downbeats (bar starts), s
  double score = 0.0;       ///< 0.55 repetition + 0.35 energy + 0.10 when it starts a section
  double repetition = 0.0;  ///< 0..1: how strongly its music comes back elsewhere (1 = the most of any candidate)
  int repeats = 0;          ///< how many other places (up to 3) repeat it clearly
  double energy = 0.0;      ///< 0..1: its loudness, 0 at 12 dB below the loudest candidate
  bool section_start = false;  ///< starts where a section starts
};

/// Per-hop features kept for rendering (hop = kHopSize / kAnalysisRate s).
struct Features {
  double hop_s = static_cast<double>(kHopSize) / kAnalysisRate;
  std::vector<float> onset_envelope;   ///< spectral flux per hop, >= 0, normalised to max 1
  std::vector<float> rms;              ///< RMS amplitude per hop (full scale = 1)
  std::vector<std::uint8_t> bands;     ///< hops × kBandCount, log energy mapped to 0..255
  /// hops × 12: chroma (pitch-class profile, C first) of the STFT bins from
  /// 100 Hz to 5 kHz, each bin's magnitude added to its nearest pitch class
  /// (A4 = 440 Hz), scaled so the hop's largest class is 255 (all 0 in silence).
  std::vector<std::uint8_t> chroma;
  [[nodiscard]] std::size_t hops() const { return rms.size(); }
  /// Band energies of hop `i` as 0..1, `kBandCount` values.
  [[nodiscard]] float band(std::size_t hop, int band_index) const {
    return static_cast<float>(bands[hop * kBandCount + static_cast<std::size_t>(band_index)]) / 255.0f;
  }
};

/// Result of analysing one song (or excerpt). All times in seconds from the excerpt start.
struct Analysis {
  double duration_s = 0.0;          ///< decoded length of the excerpt
  int sample_rate = 0;              ///< of the input audio stream, Hz
  int channels = 0;                 ///< of the input audio stream
  /// The tempo, BPM; 0 when no beat was found (a silent or near-silent input:
  /// no hop louder than kNoBeatRms), and then `beats`, `downbeats` and `onsets`
  /// are empty: nothing is invented.
  double tempo_bpm = 0.0;
  std::vector<double> beats;
  std::vector<double> downbeats;    ///< empty when no bar phase stands out
  std::vector<double> onsets;
  double integrated_lufs = -70.0;   ///< EBU R128 integrated loudness, LUFS
  double loudness_range_lu = 0.0;   ///< EBU R128 LRA, LU
  double short_term_step_s = 0.5;   ///< spacing of `short_term_lufs`
  std::vector<double> short_term_lufs;  ///< EBU R128 short-term (3 s window) loudness, LUFS
  std::vector<Section> sections;
  int skipped_packets = 0;          ///< corrupt packets skipped while decoding
  /// The input ended before it should have (AudioReader::ended_early(): a
  /// recording cut off), and the length its container claimed (s, 0 unknown).
  bool ended_early = false;
  double claimed_duration_s = 0.0;
  Features features;
};

/// Below this RMS (full scale 1; −50 dBFS) in every hop, an input has no beat to find.
inline constexpr double kNoBeatRms = 0.00316;

/// Decodes `path` and analyses it. Errors: Error{InputMissing|InputInvalid}
/// (see probe_media), Error{InputInvalid} if the audio is shorter than 1 s,
/// Error{Cancelled}. `progress` gets Stage::Analyze fractions.
Analysis analyze_file(const std::filesystem::path& path, const AnalysisOptions& options,
                      const ProgressFn& progress = {}, const CancelToken* cancel = nullptr);

/// A moment of `path` with sound, for a still of it (the dock's look tiles and
/// source card): a look drawn from a silent moment (a recording that cut to an
/// empty scene, a song's intro) shows next to nothing. Scans the audio of
/// `track` (AudioTrack::number; 0: FFmpeg's best) from `from_s` for at most
/// `scan_s` seconds as mono 8 kHz, in 0.25 s windows of RMS. Returns
/// `preferred_s` (s, from the file's start) when every window from 1.5 s
/// before it (inside the scan) to 0.25 s after it is no more than 20 dB below the scan's loud
/// level (the 90th percentile of the windows' RMS; a look draws what it
/// heard, and after a silence it starts a new section); else the middle of the
/// window nearest it where that holds (ties: the later one); else the end of
/// the longest run of sounding windows (the nearest of equal runs).
/// `preferred_s` unchanged for a file without sound (all below −60 dBFS),
/// without an audio track, or that cannot be read. ~0.1 s per minute scanned.
/// Errors: Error{Cancelled} only.
double audible_moment(const std::filesystem::path& path, double preferred_s, double from_s = 0.0,
                      double scan_s = 120.0, int track = 0, const CancelToken* cancel = nullptr);

/// Streaming STFT front end: push mono samples at kAnalysisRate, get Features.
class FeatureExtractor {
 public:
  FeatureExtractor();
  ~FeatureExtractor();
  FeatureExtractor(const FeatureExtractor&) = delete;
  FeatureExtractor& operator=(const FeatureExtractor&) = delete;
  /// Appends `count` mono samples (full scale ±1) at kAnalysisRate.
  void push(const float* samples, std::size_t count);
  /// Flushes the tail (zero padded) and returns the features. Call once.
  Features finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Estimates tempo in BPM from an onset envelope sampled every `hop_s` seconds,
/// searching [min_bpm, max_bpm]. Method in tempo-estimator.cpp.
double estimate_tempo(const std::vector<float>& onset_envelope, double hop_s, double min_bpm,
                      double max_bpm);

/// The tempo estimate_tempo() picks (BPM in [min_bpm, max_bpm]; 0 when nothing
/// pulses), from an autocorrelation of the onset envelope normalised to
/// acf[0] = 1 (index: lag in hops of `hop_s`; tempo_acf_lags() of them): the
/// comb salience of every tempo on a 0.1 BPM grid, the fastest peak within
/// 15 % of the best, refined to a fraction of a hop. A range ending below
/// 200 BPM folds: the peak picked up to 200 BPM, when faster than max_bpm, is
/// halved (else quartered) into the range and the salience peak within 4 % of
/// that taken; the range's own pick when no fold lands in it. Tempos within 2 % of
/// `favoured_bpm` (> 0) count 10 % more: a tracker keeping its tempo. The live
/// tracker feeds it a running, exponentially forgetting autocorrelation.
double pick_tempo(const std::vector<double>& acf, double hop_s, double min_bpm, double max_bpm, double favoured_bpm = 0.0);

/// How clearly an onset envelope pulses at a tempo, read from the same
/// normalised autocorrelation as pick_tempo(): `salience` is the comb salience
/// S(bpm) (mean ACF peak over the first four beat lags, 0..1), `median` the
/// median of S over every tempo from `min_bpm` to max(`max_bpm`, 200 BPM) in
/// 1 BPM steps: what any tempo scores on this audio. Music with a beat stands
/// out: over the live tracker's picks (its running ACF), the charted songs'
/// median salience is 0.17–0.36, 0.10–0.26 over the median; espeak-ng speech
/// 0.09 and 0.05, pink noise 0.08 and 0.02. Both 0 for an empty ACF or a tempo ≤ 0.
struct TempoEvidence {
  double salience = 0.0;
  double median = 0.0;
};
TempoEvidence tempo_evidence(const std::vector<double>& acf, double hop_s, double bpm, double min_bpm, double max_bpm);

/// How many lags (0..n−1, hops) pick_tempo() reads for tempos from `min_bpm` on.
std::size_t tempo_acf_lags(double hop_s, double min_bpm);

/// Beat times (s) by dynamic programming over the onset envelope at a given
/// tempo (Ellis, "Beat Tracking by Dynamic Programming", JNMR 36(1), 2007).
std::vector<double> track_beats(const std::vector<float>& onset_envelope, double hop_s,
                                double tempo_bpm);

/// The beats moved half a beat when the drums (kick and snare rises) fall
/// between them rather than on them — the tracker followed off-beat strums or
/// hi-hats (method in downbeat-finder.cpp); otherwise `beats` unchanged. s.
std::vector<double> correct_beat_phase(const std::vector<double>& beats, const Features& features);

/// Downbeats: every 4th beat starting at the phase whose beats carry the most
/// low-band energy and onset strength; empty when no phase stands out by 5 %.
std::vector<double> find_downbeats(const std::vector<double>& beats, const Features& features);

/// Onset times (s): peaks of the envelope above a moving median + delta,
/// at least 50 ms apart.
std::vector<double> pick_onsets(const std::vector<float>& onset_envelope, double hop_s);

/// Sections from Foote checkerboard novelty over 0.5 s band-energy frames,
/// boundaries at least 8 s apart and snapped to the nearest downbeat (or beat).
std::vector<Section> find_sections(const Features& features, double duration_s,
                                   const std::vector<double>& downbeats,
                                   const std::vector<double>& beats);

/// The best excerpts of about `length_s` seconds for a Short, best first, at
/// most `count`, none starting within half a length of a better one: each
/// starts on a downbeat and lasts whole bars (a multiple of 4 when within 25 %
/// of `length_s`), scored by repetition (beat-synchronous chroma and timbre
/// self-similarity along bar-aligned diagonals; Goto 2003, Bartsch & Wakefield
/// 2005), energy and section starts — method in highlight-finder.cpp. Uses
/// beats, downbeats, sections and features. Empty for an empty analysis.
/// O(N²/4) dot products for N beats (a 20-minute song, 3482 beats: 0.05 s measured).
std::vector<Highlight> find_highlights(const Analysis& analysis, double length_s, std::size_t count = 3);

/// The excerpt of about `length_s` that starts on the bar start nearest
/// `start_s` (s), scored like find_highlights()'s: a highlight the user moved.
/// Whole bars, within the song. None for an empty analysis.
std::optional<Highlight> highlight_near(const Analysis& analysis, double length_s, double start_s);

/// Gives every section a label (Section::label); repeated music shares one.
void label_sections(Analysis& analysis);

/// The highlights as `mvgen analyze` prints them: [{start_s, end_s, score,
/// repeats, repetition, energy, section_start}].
nlohmann::json highlights_to_json(const std::vector<Highlight>& highlights);

/// Runs tempo → beats → downbeats → onsets → sections over ready features.
/// Fills those fields of `analysis` (duration_s and features must be set).
/// An input with no hop above kNoBeatRms gets no tempo, beats, downbeats or
/// onsets (unless options.bpm forces a tempo), only sections.
void analyze_features(Analysis& analysis, const AnalysisOptions& options);

/// The analysis as printed by `mvgen analyze`: duration_s, sample_rate,
/// channels, tempo_bpm, beats, downbeats, onsets (s, rounded to ms),
/// loudness {integrated_lufs, range_lu, short_term_step_s, short_term_lufs},
/// sections [{start_s, end_s, energy}], segments [{start_s, end_s, label,
/// energy}] (the sections with their labels), skipped_packets.
nlohmann::json analysis_to_json(const Analysis& analysis);

}  // namespace mv
