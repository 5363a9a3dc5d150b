// test-beat-compare.cpp — the beat benchmark's parts (issue 11, point 2): the
// MIDI tempo-map reader on files written here byte by byte, the scores on
// known answers, the QM DSP library's tracker on synthetic drums, and our
// tempo's sub-hop precision (a 170 BPM song read as 172.3 drifted off the beat).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "mv/analysis/analysis.hpp"
#include "mv/analysis/beat-compare.hpp"
#include "mv/base/error.hpp"
#include "test-support.hpp"

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

void put_be(Bytes& b, std::uint32_t v, int count) {
  for (int i = count - 1; i >= 0; --i) b.push_back(static_cast<std::uint8_t>((v >> (8 * i)) & 0xFFu));
}

void put_vlq(Bytes& b, std::uint32_t v) {
  Bytes tmp{static_cast<std::uint8_t>(v & 0x7Fu)};
  while ((v >>= 7) != 0) tmp.insert(tmp.begin(), static_cast<std::uint8_t>(0x80u | (v & 0x7Fu)));
  b.insert(b.end(), tmp.begin(), tmp.end());
}

Bytes chunk(const char* id, const Bytes& body) {
  Bytes b(id, id + 4);
  put_be(b, static_cast<std::uint32_t>(body.size()), 4);
  b.insert(b.end(), body.begin(), body.end());
  return b;
}

/// An SMF header chunk: format, track count, ticks per quarter note.
Bytes smf_header(std::uint32_t format, std::uint32_t tracks, std::uint32_t division) {
  Bytes header;
  put_be(header, format, 2);
  put_be(header, tracks, 2);
  put_be(header, division, 2);
  return chunk("MThd", header);
}

/// A tempo event (FF 51) of `us_per_quarter` after `delta` ticks.
void put_tempo(Bytes& track, std::uint32_t delta, std::uint32_t us_per_quarter) {
  put_vlq(track, delta);
  track.insert(track.end(), {0xFF, 0x51, 0x03});
  put_be(track, us_per_quarter, 3);
}

/// An SMF type 1 at 480 ticks per quarter: track 0 holds the tempo map
/// (120 BPM, 4/4; at tick 1920 = bar 2: 150 BPM and 3/4), track 1 notes with
/// running status and a SysEx, as charts have.
Bytes two_track_song() {
  Bytes tempo;
  put_vlq(tempo, 0);
  tempo.insert(tempo.end(), {0xFF, 0x58, 0x04, 4, 2, 24, 8});  // 4/4
  put_tempo(tempo, 0, 500000);  // 120 BPM
  put_vlq(tempo, 0);
  tempo.insert(tempo.end(), {0xFF, 0x03, 0x04, 'm', 'a', 'p', '!'});  // track name, skipped
  put_tempo(tempo, 1920, 400000);  // 150 BPM
  put_vlq(tempo, 0);
  tempo.insert(tempo.end(), {0xFF, 0x58, 0x04, 3, 2, 24, 8});  // 3/4
  put_vlq(tempo, 0);
  tempo.insert(tempo.end(), {0xFF, 0x2F, 0x00});
  Bytes notes;
  put_vlq(notes, 0);
  notes.insert(notes.end(), {0xF0, 0x03, 0x7E, 0x7F, 0xF7});  // SysEx
  put_vlq(notes, 0);
  notes.insert(notes.end(), {0x90, 60, 100});
  put_vlq(notes, 240);
  notes.insert(notes.end(), {62, 100});  // running status
  put_vlq(notes, 240);
  notes.insert(notes.end(), {0xC0, 5});  // program change: one data byte
  put_vlq(notes, 0);
  notes.insert(notes.end(), {0x80, 60, 0});
  put_vlq(notes, 0);
  notes.insert(notes.end(), {0xFF, 0x2F, 0x00});
  Bytes file = smf_header(1, 2, 480);
  for (const auto& c : {chunk("MTrk", tempo), chunk("MTrk", notes)}) file.insert(file.end(), c.begin(), c.end());
  return file;
}

fs::path write_file(const fs::path& dir, const std::string& name, const Bytes& bytes) {
  const fs::path p = dir / name;
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return p;
}

TEST(MidiGrid, TempoAndTimeSignatureChangesLayOutBeatsAndBars) {
  mvtest::TempDir dir;
  const auto grid = mv::read_midi_grid(write_file(dir.path(), "song.mid", two_track_song()), 6.1);
  EXPECT_DOUBLE_EQ(grid.first_bpm, 120.0);
  // Bar 1: four beats of 0.5 s; then 0.4 s beats in bars of three.
  const std::vector<double> beats = {0.0, 0.5, 1.0, 1.5, 2.0, 2.4, 2.8, 3.2, 3.6, 4.0, 4.4, 4.8, 5.2, 5.6, 6.0};
  ASSERT_EQ(grid.beats.size(), beats.size());
  for (std::size_t i = 0; i < beats.size(); ++i) EXPECT_NEAR(grid.beats[i], beats[i], 1e-9) << i;
  const std::vector<double> bars = {0.0, 2.0, 3.2, 4.4, 5.6};
  ASSERT_EQ(grid.downbeats.size(), bars.size());
  for (std::size_t i = 0; i < bars.size(); ++i) EXPECT_NEAR(grid.downbeats[i], bars[i], 1e-9) << i;
}

TEST(MidiGrid, ATempoChangeInsideABeatIsIntegratedPiecewise) {
  Bytes track;
  put_tempo(track, 0, 500000);     // 120 BPM
  put_tempo(track, 240, 1000000);  // half a beat in: 60 BPM
  put_vlq(track, 0);
  track.insert(track.end(), {0xFF, 0x2F, 0x00});
  Bytes file = smf_header(0, 1, 480);
  const Bytes t = chunk("MTrk", track);
  file.insert(file.end(), t.begin(), t.end());
  mvtest::TempDir dir;
  const auto grid = mv::read_midi_grid(write_file(dir.path(), "change.mid", file), 2.0);
  ASSERT_GE(grid.beats.size(), 3u);
  EXPECT_NEAR(grid.beats[1], 0.25 + 0.5, 1e-9);  // 240 ticks at 120 BPM, 240 at 60 BPM
  EXPECT_NEAR(grid.beats[2], 0.75 + 1.0, 1e-9);
}

TEST(MidiGrid, BrokenFilesNameTheByteAndMissingFilesSaySo) {
  mvtest::TempDir dir;
  Bytes truncated = two_track_song();
  truncated.resize(truncated.size() - 9);
  try {
    mv::read_midi_grid(write_file(dir.path(), "cut.mid", truncated), 10.0);
    FAIL() << "a truncated file was accepted";
  } catch (const mv::Error& e) {
    EXPECT_EQ(e.code(), mv::ErrorCode::InputInvalid);
    EXPECT_NE(std::string(e.what()).find("cut.mid: not a valid MIDI file at byte"), std::string::npos) << e.what();
  }
  try {
    mv::read_midi_grid(write_file(dir.path(), "song.ogg.mid", {'O', 'g', 'g', 'S', 0, 0, 0, 0}), 10.0);
    FAIL() << "an Ogg header was accepted";
  } catch (const mv::Error& e) {
    EXPECT_NE(std::string(e.what()).find("no MThd header"), std::string::npos) << e.what();
  }
  EXPECT_THROW(mv::read_midi_grid(dir.path() / "absent.mid", 10.0), mv::Error);
}

mv::ReferenceGrid steady_grid(double bpm, double seconds) {
  mv::ReferenceGrid g;
  g.first_bpm = bpm;
  for (int i = 0; i * 60.0 / bpm <= seconds; ++i) {
    g.beats.push_back(i * 60.0 / bpm);
    if (i % 4 == 0) g.downbeats.push_back(i * 60.0 / bpm);
  }
  return g;
}

TEST(BeatScore, KnownAnswers) {
  const auto grid = steady_grid(120, 60);
  const auto same = mv::score_beats(grid.beats, grid.downbeats, grid);
  EXPECT_DOUBLE_EQ(same.f_measure, 1.0);
  EXPECT_DOUBLE_EQ(same.on_beat, 1.0);
  EXPECT_DOUBLE_EQ(same.downbeat_f, 1.0);
  EXPECT_NEAR(same.bpm, 120.0, 1e-6);
  EXPECT_EQ(same.detected, same.reference);

  // On the "and": every beat half a beat late, bars one beat late.
  std::vector<double> off, late_bars;
  for (const double b : grid.beats) off.push_back(b + 0.25);
  for (const double d : grid.downbeats) late_bars.push_back(d + 0.5);
  const auto and_score = mv::score_beats(off, late_bars, grid);
  EXPECT_DOUBLE_EQ(and_score.f_measure, 0.0);
  EXPECT_DOUBLE_EQ(and_score.on_beat, 0.0);
  EXPECT_DOUBLE_EQ(and_score.downbeat_f, 0.0);

  // Double time: every beat found, half the detections extra → P 0.5, R 1, F 2/3.
  std::vector<double> doubled;
  for (const double b : grid.beats) {
    doubled.push_back(b);
    doubled.push_back(b + 0.25);
  }
  const auto d = mv::score_beats(doubled, {}, grid);
  EXPECT_NEAR(d.f_measure, 2.0 / 3.0, 0.01);
  EXPECT_NEAR(d.bpm, 240.0, 0.1);
  EXPECT_DOUBLE_EQ(d.downbeat_f, 0.0);
  // Within the tolerance counts, outside does not.
  std::vector<double> early, too_early;
  for (const double b : grid.beats) {
    early.push_back(b - 0.06);
    too_early.push_back(b - 0.08);
  }
  EXPECT_GE(mv::score_beats(early, {}, grid).f_measure, 0.99);  // one beat leaves the window at the 5 s edge
  EXPECT_DOUBLE_EQ(mv::score_beats(too_early, {}, grid).f_measure, 0.0);
  EXPECT_DOUBLE_EQ(mv::score_beats({}, {}, grid).f_measure, 0.0);
}

TEST(LockTime, KnownAnswersAtEachMetricalLevel) {
  // 120 BPM reference; the tracker follows 150 BPM until 10 s, then the reference at `level`.
  const auto grid = steady_grid(120, 40);
  auto tracker = [&](double level, double shift_s) {
    std::vector<double> beats;
    for (int i = 0; i < 25; ++i) beats.push_back(0.4 * i);
    for (int j = 0; 10.0 + shift_s + j * 0.5 / level <= 40.0; ++j) beats.push_back(10.0 + shift_s + j * 0.5 / level);
    return beats;
  };
  const auto same = tracker(1.0, 0.0), twice = tracker(2.0, 0.0), half_odd = tracker(0.5, 0.5), off = tracker(1.0, 0.25);
  EXPECT_DOUBLE_EQ(mv::lock_time(same, grid.beats, 5.0), 10.0);
  EXPECT_DOUBLE_EQ(mv::lock_time(twice, grid.beats, 5.0), -1.0) << "every other beat is extra at the reference's level";
  const auto a = mv::lock_time_at_any_level(same, grid.beats, 5.0);
  EXPECT_DOUBLE_EQ(a.time_s, 10.0);
  EXPECT_DOUBLE_EQ(a.level, 1.0);
  const auto b = mv::lock_time_at_any_level(twice, grid.beats, 5.0);
  EXPECT_DOUBLE_EQ(b.time_s, 10.0);
  EXPECT_DOUBLE_EQ(b.level, 2.0);
  const auto c = mv::lock_time_at_any_level(half_odd, grid.beats, 5.0);
  EXPECT_DOUBLE_EQ(c.time_s, 10.5) << "every other beat, from the odd one";
  EXPECT_DOUBLE_EQ(c.level, 0.5);
  const auto d = mv::lock_time_at_any_level(off, grid.beats, 5.0);
  EXPECT_DOUBLE_EQ(d.time_s, -1.0) << "the off-beat is no metrical level";
  EXPECT_DOUBLE_EQ(d.level, 0.0);
}

TEST(QmTracker, FindsTheBeatsOfADrumTrack) {
  std::vector<double> truth;
  const auto samples = mvtest::synth_rhythm(mvtest::Rhythm::Drums, 128, 30.0, mv::kAnalysisRate, &truth);
  const auto beats = mv::track_beats_qm(samples, mv::kAnalysisRate);
  ASSERT_GT(beats.size(), 40u);
  mv::ReferenceGrid grid;
  grid.beats = truth;
  const auto s = mv::score_beats(beats, {}, grid);
  EXPECT_GE(s.f_measure, 0.9) << "QM's tempo " << s.bpm;
  EXPECT_NEAR(s.bpm, 128.0, 128.0 * 0.02);
  // Its times are placed on the attacks (the window's centre), not a window later.
  double sum = 0;
  int n = 0;
  for (const double b : beats) {
    double nearest = 1e9;
    for (const double t : truth) {
      if (std::abs(t - b) < std::abs(nearest)) nearest = b - t;
    }
    if (b > 5 && std::abs(nearest) < 0.07) {
      sum += nearest;
      ++n;
    }
  }
  ASSERT_GT(n, 0);
  EXPECT_LT(std::abs(sum / n), 0.025) << "mean offset " << sum / n << " s";
  EXPECT_TRUE(mv::track_beats_qm(std::vector<float>(1000, 0.0f), mv::kAnalysisRate).empty());
  EXPECT_THROW(mv::track_beats_qm(samples, 4000), mv::Error);
}

TEST(Tempo, ReadToAFractionOfAHop) {
  // 170 BPM is 30.4 hops: a whole-hop autocorrelation reads 172.3 (30 hops) and the tracker drifts.
  for (const double bpm : {170.0, 157.0, 97.0}) {
    std::vector<double> truth;
    const auto samples = mvtest::synth_rhythm(mvtest::Rhythm::Drums, bpm, 40.0, mv::kAnalysisRate, &truth);
    mv::FeatureExtractor extractor;
    extractor.push(samples.data(), samples.size());
    const auto features = extractor.finish();
    const double found = mv::estimate_tempo(features.onset_envelope, features.hop_s, 60, 200);
    EXPECT_NEAR(found, bpm, 0.004 * bpm) << bpm;
  }
}

TEST(BeatPhase, LoudOffBeatStabsDoNotPullTheBeatsOntoTheAnd) {
  // Drums on the beat (kick on 1 and 3, snare on 2 and 4) and, louder, a bright chord stab on
  // every "and" (a ska/reggae upstroke, or a strummed guitar): the onset envelope peaks most on
  // the stabs, so the beat tracker alone follows them.
  std::vector<double> truth;
  const double bpm = 120.0, period = 60.0 / bpm;
  auto samples = mvtest::synth_rhythm(mvtest::Rhythm::Drums, bpm, 30.0, mv::kAnalysisRate, &truth);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> white(-1.0, 1.0);
  for (const double t : truth) {
    const auto start = static_cast<std::size_t>((t + period / 2) * mv::kAnalysisRate);
    double previous = 0.0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(0.15 * mv::kAnalysisRate) && start + i < samples.size(); ++i) {
      const double tt = static_cast<double>(i) / mv::kAnalysisRate;
      double chord = 0.0;
      for (const double f : {659.3, 830.6, 987.8, 1318.5, 1661.2, 1975.5}) chord += std::sin(2 * M_PI * f * tt);
      const double noise = white(rng);
      const double hiss = noise - previous;  // first difference: the noise without its lows, as a strum's scrape
      previous = noise;
      samples[start + i] += static_cast<float>(std::exp(-tt / 0.05) * (0.25 * chord + 0.6 * hiss));
    }
  }
  mv::FeatureExtractor extractor;
  extractor.push(samples.data(), samples.size());
  mv::Analysis analysis;
  analysis.duration_s = static_cast<double>(samples.size()) / mv::kAnalysisRate;
  analysis.features = extractor.finish();
  mv::ReferenceGrid grid;
  grid.beats = truth;
  // The tracker alone: on the stabs (this is what the test guards against).
  const auto& f = analysis.features;
  const auto raw = mv::track_beats(f.onset_envelope, f.hop_s, mv::estimate_tempo(f.onset_envelope, f.hop_s, 60, 200));
  EXPECT_LT(mv::score_beats(raw, {}, grid).on_beat, 0.2);
  // The whole analysis: on the drums.
  mv::analyze_features(analysis, {});
  const auto s = mv::score_beats(analysis.beats, {}, grid);
  EXPECT_GE(s.on_beat, 0.95);
  EXPECT_GE(s.f_measure, 0.9);
  // And drums alone are left where they are.
  const auto plain = mvtest::synth_rhythm(mvtest::Rhythm::Drums, bpm, 30.0, mv::kAnalysisRate, nullptr);
  mv::FeatureExtractor e2;
  e2.push(plain.data(), plain.size());
  const auto f2 = e2.finish();
  const auto beats2 = mv::track_beats(f2.onset_envelope, f2.hop_s, bpm);
  EXPECT_EQ(mv::correct_beat_phase(beats2, f2), beats2);
}

}  // namespace
