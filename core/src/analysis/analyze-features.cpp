// analyze-features.cpp — the offline analysis steps over ready features:
// tempo → beats (phase checked against the drums) → tempo from the beats → downbeats → onsets → sections.
#include <algorithm>
#include <cmath>
#include <vector>

#include "mv/analysis/analysis.hpp"

namespace mv {

void analyze_features(Analysis& analysis, const AnalysisOptions& options) {
  const Features& f = analysis.features;
  const bool audible = std::any_of(f.rms.begin(), f.rms.end(), [](float r) { return r >= kNoBeatRms; });
  if (!audible && !options.bpm) {  // silence or near-silence: no beat to find, none invented
    analysis.tempo_bpm = 0.0;
    analysis.beats.clear();
    analysis.downbeats.clear();
    analysis.onsets.clear();
    analysis.sections = find_sections(f, analysis.duration_s, {}, {});
    label_sections(analysis);
    return;
  }
  double tempo = options.bpm.value_or(0.0);
  if (tempo <= 0.0) tempo = estimate_tempo(f.onset_envelope, f.hop_s, options.min_bpm, options.max_bpm);
  analysis.beats = correct_beat_phase(track_beats(f.onset_envelope, f.hop_s, tempo), f);
  // Report the tempo the beats actually follow (median inter-beat interval),
  // unless the user forced it.
  if (!options.bpm && analysis.beats.size() >= 4) {
    std::vector<double> ibi;
    for (std::size_t i = 1; i < analysis.beats.size(); ++i) ibi.push_back(analysis.beats[i] - analysis.beats[i - 1]);
    std::nth_element(ibi.begin(), ibi.begin() + static_cast<std::ptrdiff_t>(ibi.size() / 2), ibi.end());
    const double median = ibi[ibi.size() / 2];
    // Mean of the intervals near the median: finer than one hop.
    double sum = 0.0;
    int count = 0;
    for (std::size_t i = 1; i < analysis.beats.size(); ++i) {
      const double d = analysis.beats[i] - analysis.beats[i - 1];
      if (std::fabs(d - median) < 0.1 * median) {
        sum += d;
        ++count;
      }
    }
    if (count > 0) tempo = 60.0 / (sum / count);
  }
  analysis.tempo_bpm = tempo;
  analysis.downbeats = find_downbeats(analysis.beats, f);
  analysis.onsets = pick_onsets(f.onset_envelope, f.hop_s);
  for (auto& t : analysis.onsets) t += kOnsetLatencyS;
  analysis.sections = find_sections(f, analysis.duration_s, analysis.downbeats, analysis.beats);
  label_sections(analysis);
}

}  // namespace mv
