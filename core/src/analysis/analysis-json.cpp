// analysis-json.cpp — the analysis as JSON (the `mvgen analyze` output).
#include <cmath>

#include "mv/analysis/analysis.hpp"

namespace mv {

namespace {

/// Rounds to a multiple of `step` (0.001, 0.01, 0.1); dividing by the inverse
/// keeps the printed value short (170.2, not 170.20000000000002).
double round_to(double v, double step) {
  const double inverse = std::round(1.0 / step);
  return std::round(v * inverse) / inverse;
}

nlohmann::json times(const std::vector<double>& values) {
  auto out = nlohmann::json::array();
  for (double v : values) out.push_back(round_to(v, 0.001));
  return out;
}

}  // namespace

nlohmann::json highlights_to_json(const std::vector<Highlight>& highlights) {
  auto out = nlohmann::json::array();
  for (const auto& h : highlights) {
    out.push_back({{"start_s", round_to(h.start_s, 0.001)}, {"end_s", round_to(h.end_s, 0.001)},
                   {"score", round_to(h.score, 0.01)}, {"repeats", h.repeats},
                   {"repetition", round_to(h.repetition, 0.01)}, {"energy", round_to(h.energy, 0.01)},
                   {"section_start", h.section_start}});
  }
  return out;
}

nlohmann::json analysis_to_json(const Analysis& a) {
  auto sections = nlohmann::json::array(), segments = nlohmann::json::array();
  for (const auto& s : a.sections) {
    sections.push_back({{"start_s", round_to(s.start_s, 0.001)}, {"end_s", round_to(s.end_s, 0.001)},
                        {"energy", round_to(s.energy, 0.01)}});
    segments.push_back({{"start_s", round_to(s.start_s, 0.001)}, {"end_s", round_to(s.end_s, 0.001)},
                        {"label", s.label}, {"energy", round_to(s.energy, 0.01)}});
  }
  auto short_term = nlohmann::json::array();
  for (double v : a.short_term_lufs) short_term.push_back(round_to(v, 0.1));
  return {{"duration_s", round_to(a.duration_s, 0.001)},
          {"sample_rate", a.sample_rate},
          {"channels", a.channels},
          {"tempo_bpm", a.tempo_bpm > 0.0 ? nlohmann::json(round_to(a.tempo_bpm, 0.01)) : nlohmann::json(nullptr)},
          {"beats", times(a.beats)},
          {"downbeats", times(a.downbeats)},
          {"onsets", times(a.onsets)},
          {"loudness",
           {{"integrated_lufs", round_to(a.integrated_lufs, 0.1)},
            {"range_lu", round_to(a.loudness_range_lu, 0.1)},
            {"short_term_step_s", a.short_term_step_s},
            {"short_term_lufs", short_term}}},
          {"sections", sections},
          {"segments", segments},
          {"skipped_packets", a.skipped_packets},
          {"ended_early", a.ended_early}};
}

}  // namespace mv
