// test-beats.cpp — tempo and beat tracking on synthetic click and drum tracks
// (issue: F-measure ≥ 0.9 at ±70 ms and tempo within 2 % at 70–174 BPM), and
// on the real sample song.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include "mv/analysis/analysis.hpp"
#include "test-support.hpp"

namespace {

struct RhythmCase {
  mvtest::Rhythm rhythm;
  double bpm;
};

std::string case_name(const testing::TestParamInfo<RhythmCase>& info) {
  return std::string(info.param.rhythm == mvtest::Rhythm::Click ? "Click" : "Drums") +
         std::to_string(static_cast<int>(info.param.bpm)) + "bpm";
}

mv::Analysis analyse_samples(const std::vector<float>& samples, const mv::AnalysisOptions& options = {}) {
  mv::FeatureExtractor extractor;
  extractor.push(samples.data(), samples.size());
  mv::Analysis analysis;
  analysis.duration_s = static_cast<double>(samples.size()) / mv::kAnalysisRate;
  analysis.features = extractor.finish();
  mv::analyze_features(analysis, options);
  return analysis;
}

class BeatTracking : public testing::TestWithParam<RhythmCase> {};

TEST_P(BeatTracking, FMeasureAtLeast0_9And_TempoWithin2Percent) {
  const auto [rhythm, bpm] = GetParam();
  std::vector<double> truth;
  const auto samples = mvtest::synth_rhythm(rhythm, bpm, 30.0, mv::kAnalysisRate, &truth);
  const auto analysis = analyse_samples(samples);
  const double f = mvtest::beat_f_measure(truth, analysis.beats, 0.070);
  EXPECT_GE(f, 0.9) << "estimated tempo " << analysis.tempo_bpm;
  EXPECT_NEAR(analysis.tempo_bpm, bpm, 0.02 * bpm);
}

TEST_P(BeatTracking, BeatsLandWithinOneVideoFrameOfTheHits) {
  const auto [rhythm, bpm] = GetParam();
  std::vector<double> truth;
  const auto samples = mvtest::synth_rhythm(rhythm, bpm, 20.0, mv::kAnalysisRate, &truth);
  const auto analysis = analyse_samples(samples);
  ASSERT_FALSE(analysis.beats.empty());
  double worst = 0.0;
  for (double b : analysis.beats) {
    double nearest = 1e9;
    for (double t : truth) nearest = std::min(nearest, std::fabs(t - b));
    worst = std::max(worst, nearest);
  }
  EXPECT_LT(worst, 1.0 / 30.0);
}

INSTANTIATE_TEST_SUITE_P(
    SyntheticTracks, BeatTracking,
    testing::Values(RhythmCase{mvtest::Rhythm::Click, 70}, RhythmCase{mvtest::Rhythm::Click, 90},
                    RhythmCase{mvtest::Rhythm::Click, 120}, RhythmCase{mvtest::Rhythm::Click, 128},
                    RhythmCase{mvtest::Rhythm::Click, 150}, RhythmCase{mvtest::Rhythm::Click, 174},
                    RhythmCase{mvtest::Rhythm::Drums, 70}, RhythmCase{mvtest::Rhythm::Drums, 90},
                    RhythmCase{mvtest::Rhythm::Drums, 120}, RhythmCase{mvtest::Rhythm::Drums, 128},
                    RhythmCase{mvtest::Rhythm::Drums, 150}, RhythmCase{mvtest::Rhythm::Drums, 174}),
    case_name);

TEST(Tempo, BpmOverrideIsReportedAndFollowed) {
  std::vector<double> truth;
  const auto samples = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 120, 20.0, mv::kAnalysisRate, &truth);
  mv::AnalysisOptions options;
  options.bpm = 120.0;
  const auto analysis = analyse_samples(samples, options);
  EXPECT_DOUBLE_EQ(analysis.tempo_bpm, 120.0);
  EXPECT_GE(mvtest::beat_f_measure(truth, analysis.beats, 0.070), 0.9);
}

TEST(Tempo, RangeFixesADoubleTempoReading) {
  // 150 BPM clicks read inside 60–100 BPM must come out as 75 (half tempo).
  const auto samples = mvtest::synth_rhythm(mvtest::Rhythm::Click, 150, 20.0, mv::kAnalysisRate, nullptr);
  mv::AnalysisOptions options;
  options.min_bpm = 60;
  options.max_bpm = 100;
  const auto analysis = analyse_samples(samples, options);
  EXPECT_NEAR(analysis.tempo_bpm, 75.0, 1.5);
}

TEST(Downbeats, AccentedClicksGiveTheAccentedBeats) {
  std::vector<double> truth;
  const auto samples = mvtest::synth_rhythm(mvtest::Rhythm::Click, 120, 20.0, mv::kAnalysisRate, &truth);
  const auto analysis = analyse_samples(samples);
  ASSERT_GE(analysis.downbeats.size(), 4u);
  for (double d : analysis.downbeats) {
    // Ground-truth downbeats are truth[0], truth[4], ...
    double nearest = 1e9;
    for (std::size_t i = 0; i < truth.size(); i += 4) nearest = std::min(nearest, std::fabs(truth[i] - d));
    EXPECT_LT(nearest, 0.05) << "downbeat at " << d;
  }
}

TEST(Onsets, EveryHitIsAnOnset) {
  std::vector<double> truth;
  const auto samples = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 90, 15.0, mv::kAnalysisRate, &truth);
  const auto analysis = analyse_samples(samples);
  EXPECT_GE(mvtest::beat_f_measure(truth, analysis.onsets, 0.05), 0.95);
}

TEST(Sections, QuietThenLoudHalvesSplitNearTheChange) {
  // 20 s of soft clicks, then 20 s of loud drums: one boundary near 20 s.
  auto soft = mvtest::synth_rhythm(mvtest::Rhythm::Click, 120, 20.0, mv::kAnalysisRate, nullptr);
  for (auto& s : soft) s *= 0.1f;
  const auto loud = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 120, 20.0, mv::kAnalysisRate, nullptr);
  soft.insert(soft.end(), loud.begin(), loud.end());
  const auto analysis = analyse_samples(soft);
  ASSERT_GE(analysis.sections.size(), 2u);
  bool near_change = false;
  for (std::size_t i = 1; i < analysis.sections.size(); ++i) {
    near_change = near_change || std::fabs(analysis.sections[i].start_s - 20.0) < 2.0;
  }
  EXPECT_TRUE(near_change);
  EXPECT_LT(analysis.sections.front().energy, analysis.sections.back().energy);
  EXPECT_DOUBLE_EQ(analysis.sections.back().end_s, analysis.duration_s);
}

}  // namespace
