// test-live-analysis.cpp — the causal analysis behind live looks
// (mv/analysis/live-analyzer.hpp): the same FrameInfo whatever the audio's
// block size, beats predicted on the beat, relocking after a tempo change,
// auto-gain, silence, and its errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "live-render.hpp"
#include "mv/analysis/beat-compare.hpp"
#include "mv/analysis/live-analyzer.hpp"
#include "mv/base/error.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"

namespace {

using mvtest::run_live;

/// Stereo from mono: the right channel a little quieter, so the downmix is exercised.
std::vector<float> stereo(const std::vector<float>& mono, float gain = 1.0f) {
  std::vector<float> out;
  out.reserve(mono.size() * 2);
  for (float s : mono) {
    out.push_back(s * gain);
    out.push_back(s * gain * 0.8f);
  }
  return out;
}

/// Median distance of the beats from `from_s` on to their nearest true beat (within 70 ms), s.
double median_error(const std::vector<double>& beats, const std::vector<double>& truth, double from_s) {
  mv::ReferenceGrid grid;
  grid.beats = truth;
  return mv::score_beats(beats, {}, grid, 0.07, from_s).median_error_s;
}

std::vector<double> after(const std::vector<double>& v, double from_s) {
  std::vector<double> out;
  for (double x : v) {
    if (x >= from_s) out.push_back(x);
  }
  return out;
}

}  // namespace

TEST(LiveAnalysis, BlocksOf64_480And4096SamplesGiveTheSameFrames) {
  constexpr int kRate = 44100;
  std::vector<double> truth;
  const auto drums = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 128.0, 24.0, kRate, &truth);
  const auto audio = stereo(drums);
  std::vector<std::vector<mv::FrameInfo>> runs;
  for (std::size_t block : {64u, 480u, 4096u}) {
    mv::LiveAnalyzer live(kRate, 2, {});
    std::vector<mv::FrameInfo> frames;
    run_live(live, audio, kRate, 2, block, [&](const mv::FrameInfo& f) { frames.push_back(f); });
    runs.push_back(std::move(frames));
  }
  ASSERT_EQ(runs[0].size(), runs[1].size());
  ASSERT_EQ(runs[0].size(), runs[2].size());
  std::size_t beats = 0;
  for (std::size_t r = 1; r < runs.size(); ++r) {
    for (std::size_t k = 0; k < runs[0].size(); ++k) {
      const auto& a = runs[0][k];
      const auto& b = runs[r][k];
      ASSERT_EQ(std::memcmp(a.bands.data(), b.bands.data(), sizeof(float) * a.bands.size()), 0) << "frame " << k << " run " << r;
      ASSERT_EQ(a.level, b.level) << "frame " << k;
      ASSERT_EQ(a.beat_frame, b.beat_frame) << "frame " << k;
      ASSERT_EQ(a.downbeat_frame, b.downbeat_frame) << "frame " << k;
      ASSERT_EQ(a.beat_pulse, b.beat_pulse) << "frame " << k;
      ASSERT_EQ(a.onset_pulse, b.onset_pulse) << "frame " << k;
      ASSERT_EQ(a.beat_period_s, b.beat_period_s) << "frame " << k;
      ASSERT_EQ(a.section, b.section) << "frame " << k;
      ASSERT_EQ(a.waveform, b.waveform) << "frame " << k;
      beats += a.beat_frame ? 1 : 0;
    }
  }
  EXPECT_GT(beats, 2u * 30u) << "the runs compared found beats (about 2 × 41 after the warm-up)";
}

TEST(LiveAnalysis, BeatsArePredictedOnTheClicks) {
  constexpr int kRate = 48000;
  for (double bpm : {92.0, 128.0, 174.0}) {
    std::vector<double> truth;
    const auto clicks = mvtest::synth_rhythm(mvtest::Rhythm::Click, bpm, 40.0, kRate, &truth);
    mv::LiveAnalyzerOptions options;
    options.fps = 60.0;
    mv::LiveAnalyzer live(kRate, 1, options);
    run_live(live, clicks, kRate, 1, 480, [](const mv::FrameInfo&) {}, options.fps);
    const auto beats = after(live.beats(), 10.0);
    const double f = mvtest::beat_f_measure(after(truth, 10.0), beats, 0.070);
    const double err = median_error(live.beats(), truth, 10.0);
    std::printf("%.0f BPM clicks: live F %.3f after 10 s, median error %.1f ms, tempo %.1f\n", bpm, f, err * 1000, live.tempo_bpm());
    EXPECT_GE(f, 0.95) << bpm << " BPM";
    EXPECT_LE(err, 0.020) << bpm << " BPM";
    EXPECT_NEAR(live.tempo_bpm(), bpm, 0.02 * bpm);
    EXPECT_FALSE(live.downbeats().empty()) << "the accented clicks give the bars";
  }
}

TEST(LiveAnalysis, ATempoChangeFrom170To95BpmRelocksWithinSixSeconds) {
  constexpr int kRate = 48000;
  std::vector<double> first, second;
  auto audio = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 170.0, 24.0, kRate, &first);
  const auto slow = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 95.0, 24.0, kRate, &second);
  const double change_s = static_cast<double>(audio.size()) / kRate;
  audio.insert(audio.end(), slow.begin(), slow.end());
  std::vector<double> truth = first;
  for (double t : second) truth.push_back(t + change_s);
  mv::LiveAnalyzer live(kRate, 1, {});
  run_live(live, audio, kRate, 1, 1024, [](const mv::FrameInfo&) {});
  const double locked_first = mv::lock_time(live.beats(), first, 0.0, 4.0);
  const double relocked = mv::lock_time(live.beats(), truth, change_s, 4.0);
  std::printf("170 BPM locked at %.2f s; after the change to 95 BPM at %.2f s, locked again at %.2f s (%.2f s later), tempo %.1f\n",
              locked_first, change_s, relocked, relocked - change_s, live.tempo_bpm());
  EXPECT_GE(locked_first, 0.0);
  ASSERT_GE(relocked, 0.0) << "never locked to 95 BPM";
  EXPECT_LE(relocked - change_s, 6.0);
}

TEST(LiveAnalysis, NoiseShowsNoBeatAndDrumsComingInDo) {
  // 30 s of pink noise (Kellet's filter over a fixed LCG's white noise), then drums at
  // 128 BPM over it: the noise has a "best" tempo too, but nothing pulses there.
  constexpr int kRate = 48000;
  constexpr double kNoiseS = 30.0;
  std::vector<double> drum_beats;
  const auto drums = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 128.0, 20.0, kRate, &drum_beats);
  std::vector<float> audio(static_cast<std::size_t>(kNoiseS * kRate) + drums.size());
  std::uint32_t state = 12345;
  double b0 = 0, b1 = 0, b2 = 0;
  for (std::size_t i = 0; i < audio.size(); ++i) {
    state = state * 1664525u + 1013904223u;
    const double white = static_cast<double>(state >> 8) / 8388608.0 - 1.0;
    b0 = 0.99765 * b0 + white * 0.0990460;
    b1 = 0.96300 * b1 + white * 0.2965164;
    b2 = 0.57000 * b2 + white * 1.0526913;
    const double pink = 0.05 * (b0 + b1 + b2 + white * 0.1848);
    const std::size_t d = i - static_cast<std::size_t>(kNoiseS * kRate);
    audio[i] = static_cast<float>(i < static_cast<std::size_t>(kNoiseS * kRate) ? pink : 0.25 * pink + drums[d]);
  }
  mv::LiveAnalyzer live(kRate, 1, {});
  std::size_t in_noise = 0;
  double tempo_in_noise = -1.0;
  run_live(live, audio, kRate, 1, 1024, [&](const mv::FrameInfo& f) {
    if (f.time_s < kNoiseS) in_noise += f.beat_frame ? 1 : 0;
    if (std::fabs(f.time_s - (kNoiseS - 1.0)) < 1e-9) tempo_in_noise = live.tempo_bpm();
  });
  std::vector<double> truth;
  for (double t : drum_beats) truth.push_back(t + kNoiseS);
  const double locked = mv::lock_time(live.beats(), truth, kNoiseS, 4.0);
  std::printf("pink noise: %zu beats shown in %.0f s (tempo shown %.1f); drums at 128 BPM from %.0f s: locked at %.2f s\n", in_noise,
              kNoiseS, tempo_in_noise, kNoiseS, locked);
  EXPECT_LE(in_noise, 2u) << "beats invented on noise";
  EXPECT_EQ(tempo_in_noise, 0.0);
  ASSERT_GE(locked, 0.0) << "never locked onto the drums";
  EXPECT_LE(locked - kNoiseS, 6.0);
}

TEST(LiveAnalysis, AQuietAndALoudSourceMoveTheLookAlike) {
  constexpr int kRate = 48000;
  std::vector<double> truth;
  const auto music = mvtest::synth_music(120.0, 30.0, kRate, &truth);
  // −8 and −30 dB below the synthetic track's own level (its peaks are near full scale).
  std::vector<double> mean_level, mean_bass, wave_rms;
  for (float gain : {std::pow(10.0f, -8.0f / 20.0f), std::pow(10.0f, -30.0f / 20.0f)}) {
    mv::LiveAnalyzer live(kRate, 2, {});
    double level = 0.0, bass = 0.0, wave = 0.0;
    std::size_t n = 0, samples = 0;
    run_live(live, stereo(music, gain), kRate, 2, 480, [&](const mv::FrameInfo& f) {
      if (f.time_s < 15.0) return;
      level += f.level;
      bass += f.bass;
      for (float s : f.waveform) wave += static_cast<double>(s) * s;
      samples += f.waveform.size();
      ++n;
    });
    mean_level.push_back(level / static_cast<double>(n));
    mean_bass.push_back(bass / static_cast<double>(n));
    wave_rms.push_back(std::sqrt(wave / static_cast<double>(samples)));
  }
  std::printf("mean level %.3f (−8 dB) vs %.3f (−30 dB); mean bass %.3f vs %.3f; waveform RMS %.3f vs %.3f\n", mean_level[0],
              mean_level[1], mean_bass[0], mean_bass[1], wave_rms[0], wave_rms[1]);
  EXPECT_GT(mean_level[0], 0.2);
  EXPECT_GT(mean_bass[0], 0.1);
  EXPECT_NEAR(mean_level[1], mean_level[0], 0.05);
  EXPECT_NEAR(mean_bass[1], mean_bass[0], 0.05);
  EXPECT_GT(wave_rms[0], 0.05) << "the waveform the wave look draws";
  EXPECT_NEAR(wave_rms[1] / wave_rms[0], 1.0, 0.1) << "22 dB quieter, drawn as large (AutoGain::wave_gain)";
}

TEST(LiveAnalysis, SilenceHasNoTempoNoBeatsAndAStillPicture) {
  constexpr int kRate = 48000;
  const std::vector<float> silence(static_cast<std::size_t>(kRate) * 12, 0.0f);
  mv::LiveAnalyzer live(kRate, 1, {});
  float most = 0.0f;
  run_live(live, silence, kRate, 1, 480, [&](const mv::FrameInfo& f) {
    most = std::max({most, f.level, f.bass, f.beat_pulse, f.onset_pulse});
  });
  EXPECT_EQ(live.tempo_bpm(), 0.0);
  EXPECT_TRUE(live.beats().empty());
  EXPECT_EQ(most, 0.0f);
}

TEST(LiveAnalysis, BadArgumentsAreUsageErrors) {
  EXPECT_THROW(mv::LiveAnalyzer(4000, 2, {}), mv::Error);
  EXPECT_THROW(mv::LiveAnalyzer(48000, 0, {}), mv::Error);
  mv::LiveAnalyzerOptions options;
  options.fps = 0.0;
  EXPECT_THROW(mv::LiveAnalyzer(48000, 2, options), mv::Error);
  mv::LiveAnalyzer live(48000, 2, {});
  live.frame(10);
  try {
    live.frame(9);
    FAIL() << "a frame before the last one was accepted";
  } catch (const mv::Error& e) {
    EXPECT_EQ(e.code(), mv::ErrorCode::Usage);
  }
}

// A tempo range is a fold, as a DJ program's BPM range is: a 170 BPM metal song in the look
// source's "58–115" range is followed at its half tempo, 85, live and in the file — not at
// 113, two thirds of it, whose comb teeth fall on every third eighth note.
TEST(LiveAnalysis, ASlowTempoRangeFollowsAFastSongAtHalfItsTempo) {
  const std::filesystem::path song = mvtest::sample_dir() / "chaos-god.ogg";
  ASSERT_TRUE(std::filesystem::exists(song)) << "no sample song: scripts/fetch-sample.sh fetches it (the test command runs it)";
  mv::AnalysisOptions offline;
  offline.min_bpm = 58.0;
  offline.max_bpm = 115.0;
  offline.duration_s = 60.0;
  const mv::Analysis file = mv::analyze_file(song, offline);
  EXPECT_NEAR(file.tempo_bpm, 85.0, 1.5) << "the file's analysis, --tempo-range 58-115";
  constexpr int kRate = 48000;
  std::vector<float> audio;
  mv::AudioReader reader(song, kRate, 2, 0.0, 60.0);
  while (reader.read(audio)) {}
  mv::LiveAnalyzerOptions options;
  options.min_bpm = 58.0;
  options.max_bpm = 115.0;
  mv::LiveAnalyzer live(kRate, 2, options);
  std::vector<double> tempos;  // every second after 20 s (the song's drums come in by then)
  run_live(live, audio, kRate, 2, 1024, [&](const mv::FrameInfo& f) {
    if (f.index >= 20 * 30 && f.index % 30 == 0) tempos.push_back(live.tempo_bpm());
  });
  ASSERT_FALSE(tempos.empty());
  std::sort(tempos.begin(), tempos.end());
  std::printf("live tempo in 58-115 BPM from 20 to 60 s: median %.1f, range %.1f-%.1f; file %.1f\n", tempos[tempos.size() / 2],
              tempos.front(), tempos.back(), file.tempo_bpm);
  EXPECT_NEAR(tempos[tempos.size() / 2], 85.0, 1.5) << "live";
}
