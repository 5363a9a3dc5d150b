// test-highlight.cpp — the song's best part (issue 11, point 1): a song built
// here from distinct parts, one of which comes back three times and is not the
// loudest, gets its highlight inside a repetition, starting on a downbeat and
// lasting whole phrases; the repeated parts share a segment label; `mvgen
// generate --highlight` renders that excerpt with fades and reports it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mv/analysis/analysis.hpp"
#include "mv/base/error.hpp"
#include "mv/jobs/job-spec.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"
#include "video-probe.hpp"

namespace {

namespace fs = std::filesystem;
using mvtest::shell_quote;

constexpr int kRate = 22050;
constexpr double kBpm = 120.0, kBeat = 60.0 / kBpm, kBar = 4 * kBeat;
constexpr int kBarsPerPart = 8;
constexpr double kPart = kBarsPerPart * kBar;  // 16 s

/// One part: a chord per bar (MIDI notes of its triad), a melody note per beat, a level.
struct Part {
  std::vector<std::vector<int>> chords;  // one per bar, repeated to fill the part
  std::vector<int> melody;               // one per beat, repeated
  double level;
};

double hz(int midi) { return 440.0 * std::pow(2.0, (midi - 69) / 12.0); }

/// Adds a plucked note (three harmonics, decaying over the beat) at `t0` s.
void pluck(std::vector<float>& out, double t0, double seconds, int midi, double amp) {
  const auto i0 = static_cast<std::size_t>(t0 * kRate);
  const auto n = static_cast<std::size_t>(seconds * kRate);
  const double f = hz(midi);
  for (std::size_t i = 0; i < n && i0 + i < out.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    const double env = std::min(1.0, t / 0.005) * std::exp(-t * 3.0);
    const double s = std::sin(2 * M_PI * f * t) + 0.5 * std::sin(4 * M_PI * f * t) + 0.25 * std::sin(6 * M_PI * f * t);
    out[i0 + i] += static_cast<float>(amp * env * s);
  }
}

/// Kick on beats 1 and 3, snare on 2 and 4, the same in every part (so the beat is clear).
void drums(std::vector<float>& out, double t0, int beat, std::mt19937& rng) {
  std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
  const auto i0 = static_cast<std::size_t>(t0 * kRate);
  for (std::size_t i = 0; i < static_cast<std::size_t>(0.15 * kRate) && i0 + i < out.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    if (beat % 2 == 0) {
      out[i0 + i] += static_cast<float>(0.5 * std::exp(-t * 25) * std::sin(2 * M_PI * (50 + 60 * std::exp(-t * 40)) * t));
    } else {
      out[i0 + i] += static_cast<float>(0.25 * std::exp(-t * 30)) * noise(rng);
    }
  }
}

/// Intro, verse, chorus, bridge, chorus, loud solo, chorus, outro: the chorus (B) at 32, 64 and
/// 96 s; the solo (D, 80–96 s) is the loudest part and plays once.
std::vector<float> song_with_a_chorus() {
  const Part intro{{{48, 52, 55}}, {72, 76, 79, 76}, 0.5};
  const Part verse{{{57, 60, 64}, {53, 57, 60}, {48, 52, 55}, {55, 59, 62}}, {69, 67, 64, 67, 65, 64, 62, 64}, 0.8};
  const Part chorus{{{58, 62, 65}, {53, 57, 60}, {55, 58, 62}, {50, 54, 57}}, {70, 74, 77, 74, 72, 70, 69, 66}, 0.8};
  const Part bridge{{{52, 56, 59}, {57, 61, 64}, {59, 63, 66}, {52, 56, 59}}, {76, 73, 71, 68}, 0.8};
  const Part solo{{{54, 58, 61}, {59, 63, 66}, {61, 65, 68}, {54, 58, 61}}, {78, 80, 82, 85, 82, 80, 78, 75}, 1.4};
  const Part outro{{{48, 52, 55}, {53, 57, 60}, {55, 59, 62}, {48, 52, 55}}, {72, 71, 67, 64}, 0.6};
  const std::vector<const Part*> order{&intro, &verse, &chorus, &bridge, &chorus, &solo, &chorus, &outro};
  std::vector<float> out(static_cast<std::size_t>((static_cast<double>(order.size()) * kPart + 1.0) * kRate), 0.0f);
  std::mt19937 rng(7);
  for (std::size_t p = 0; p < order.size(); ++p) {
    const Part& part = *order[p];
    for (int bar = 0; bar < kBarsPerPart; ++bar) {
      const double bar_t = static_cast<double>(p) * kPart + bar * kBar;
      const auto& chord = part.chords[static_cast<std::size_t>(bar) % part.chords.size()];
      for (int beat = 0; beat < 4; ++beat) {
        const double t = bar_t + beat * kBeat;
        for (int note : chord) pluck(out, t, kBeat, note, 0.08 * part.level);
        pluck(out, t, kBeat, chord.front() - 12, 0.12 * part.level);  // bass
        pluck(out, t, kBeat, part.melody[static_cast<std::size_t>(bar * 4 + beat) % part.melody.size()], 0.1 * part.level);
        drums(out, t, beat, rng);
      }
    }
  }
  return out;
}

bool inside_a_chorus(double start_s, double end_s) {
  for (const double c : {32.0, 64.0, 96.0}) {
    if (start_s >= c - 0.3 && end_s <= c + kPart + 0.3) return true;
  }
  return false;
}

struct Song {
  mvtest::TempDir dir;
  fs::path path = dir / "chorus song.wav";
  Song() { mvtest::write_wav(path, song_with_a_chorus(), kRate, 1); }
};

TEST(Highlight, TheRepeatedPartWinsOverTheLoudestAndStartsOnADownbeat) {
  Song song;
  const mv::Analysis a = mv::analyze_file(song.path, {});
  ASSERT_NEAR(a.tempo_bpm, kBpm, 2.0);
  ASSERT_FALSE(a.downbeats.empty());
  const auto highlights = mv::find_highlights(a, 15.0);
  ASSERT_FALSE(highlights.empty());
  const mv::Highlight& best = highlights.front();
  EXPECT_TRUE(inside_a_chorus(best.start_s, best.end_s)) << best.start_s << "–" << best.end_s;
  EXPECT_NEAR(best.end_s - best.start_s, kPart, 0.3) << "8 bars: a whole phrase near 15 s";
  EXPECT_GE(best.repeats, 2) << "the chorus comes back twice more";
  const double nearest = *std::min_element(a.downbeats.begin(), a.downbeats.end(), [&](double x, double y) {
    return std::fabs(x - best.start_s) < std::fabs(y - best.start_s);
  });
  EXPECT_LT(std::fabs(nearest - best.start_s), 0.02) << "starts on a downbeat";
  // The loud solo (80–96 s) is not chosen over it.
  EXPECT_FALSE(best.start_s > 78.0 && best.start_s < 90.0);
  // 30 s: 16 bars (32 s), still on a downbeat, covering a chorus.
  const auto longer = mv::find_highlights(a, 30.0);
  ASSERT_FALSE(longer.empty());
  EXPECT_NEAR(longer.front().end_s - longer.front().start_s, 2 * kPart, 0.3);
}

TEST(Highlight, RepeatedSectionsShareALabel) {
  Song song;
  const mv::Analysis a = mv::analyze_file(song.path, {});
  ASSERT_GE(a.sections.size(), 4u);
  auto label_at = [&](double t) {
    for (const auto& s : a.sections) {
      if (t >= s.start_s && t < s.end_s) return s.label;
    }
    return std::string();
  };
  // The middle of each chorus, of the verse and of the solo.
  const std::string c1 = label_at(40.0), c2 = label_at(72.0), c3 = label_at(104.0);
  EXPECT_FALSE(c1.empty());
  EXPECT_EQ(c1, c2);
  EXPECT_EQ(c1, c3);
  EXPECT_NE(c1, label_at(24.0)) << "the verse is another part";
  EXPECT_NE(c1, label_at(88.0)) << "the solo is another part";
}

TEST(Highlight, GenerateRendersTheHighlightWithFades) {
  Song song;
  const fs::path out = song.dir / "short.mp4";
  const auto r = mvtest::run_stdout(shell_quote(mvtest::mvgen_path()) + " generate " + shell_quote(song.path.string()) +
                                    " --highlight 15 --size 90x160 --preset ultrafast --json -o " + shell_quote(out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string lines = r.output.substr(0, r.output.find_last_not_of('\n') + 1);
  const auto last = lines.substr(lines.rfind('\n') + 1);  // the "done" line
  const auto j = nlohmann::json::parse(last);
  ASSERT_TRUE(j["result"].contains("highlight")) << last;
  const double start = j["result"]["highlight"]["start_s"], end = j["result"]["highlight"]["end_s"];
  EXPECT_TRUE(inside_a_chorus(start, end)) << start << "–" << end;
  const auto probed = mvtest::probe_video(out);
  EXPECT_NEAR(probed.video_duration_s, end - start, 0.1);
  EXPECT_EQ(probed.width, 90);
  // The audio fades in (0.25 s) and out (1 s): quieter at both ends than in the middle.
  mv::AudioReader reader(out, 8000, 1);
  std::vector<float> pcm, chunk;
  while (reader.read(chunk)) pcm.insert(pcm.end(), chunk.begin(), chunk.end());
  auto rms = [&](double t0, double t1) {
    double sq = 0.0;
    const auto i0 = static_cast<std::size_t>(t0 * 8000), i1 = std::min(pcm.size(), static_cast<std::size_t>(t1 * 8000));
    for (std::size_t i = i0; i < i1; ++i) sq += static_cast<double>(pcm[i]) * pcm[i];
    return std::sqrt(sq / static_cast<double>(std::max<std::size_t>(1, i1 - i0)));
  };
  const double length = static_cast<double>(pcm.size()) / 8000.0;
  ASSERT_GT(length, 10.0);
  const double middle = rms(4.0, 8.0);
  EXPECT_LT(rms(0.0, 0.08), 0.5 * middle) << "fades in";
  EXPECT_LT(rms(length - 0.15, length), 0.3 * middle) << "fades out";
  // --highlight with --start is refused.
  const auto bad = mvtest::run_command(shell_quote(mvtest::mvgen_path()) + " generate " + shell_quote(song.path.string()) +
                                       " --highlight --start 3 -o " + shell_quote((song.dir / "x.mp4").string()));
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_FALSE(fs::exists(song.dir / "x.mp4"));
}

TEST(Highlight, AMovedHighlightStartsOnTheBarNearestTheUsersStart) {
  Song song;
  const mv::Analysis a = mv::analyze_file(song.path, {});
  ASSERT_FALSE(a.downbeats.empty());
  // The bar start nearest 57.3 s (bars of 2 s from the first downbeat), 8 bars long.
  const auto moved = mv::highlight_near(a, 15.0, 57.3);
  ASSERT_TRUE(moved.has_value());
  const double nearest = *std::min_element(a.downbeats.begin(), a.downbeats.end(),
                                           [](double x, double y) { return std::fabs(x - 57.3) < std::fabs(y - 57.3); });
  EXPECT_NEAR(moved->start_s, nearest, 0.02);
  EXPECT_NEAR(moved->end_s - moved->start_s, kPart, 0.3);
  // Through mvgen: --highlight-start renders that stretch and reports it.
  const fs::path out = song.dir / "moved.mp4";
  const auto r = mvtest::run_stdout(shell_quote(mvtest::mvgen_path()) + " generate " + shell_quote(song.path.string()) +
                                    " --highlight 15 --highlight-start 57.3 --size 90x160 --preset ultrafast --json -o " +
                                    shell_quote(out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string lines = r.output.substr(0, r.output.find_last_not_of('\n') + 1);
  const auto j = nlohmann::json::parse(lines.substr(lines.rfind('\n') + 1));
  EXPECT_NEAR(j["result"]["highlight"]["start_s"].get<double>(), nearest, 0.02);
  EXPECT_NEAR(mvtest::probe_video(out).video_duration_s, moved->end_s - moved->start_s, 0.1);
  // A start without a highlight in a job's JSON is refused, naming the field.
  try {
    mv::JobSpec::from_json(nlohmann::json{{"input", song.path.string()}, {"highlight_start", 10}}).validate();
    FAIL() << "highlight_start without highlight was accepted";
  } catch (const mv::Error& e) {
    EXPECT_NE(std::string(e.what()).find("highlight_start"), std::string::npos) << e.what();
  }
}

}  // namespace

namespace {

TEST(Highlight, BatchShortMakesOneShortPerInput) {
  Song song;
  const fs::path second = song.dir / "second song.wav";
  fs::copy_file(song.path, second);
  const fs::path out = song.dir / "shorts";
  fs::create_directories(out);
  const auto r = mvtest::run_command(shell_quote(mvtest::mvgen_path()) + " generate --batch " + shell_quote(song.path.string()) +
                                     " " + shell_quote(second.string()) + " --short --size 90x160 --preset ultrafast -o " +
                                     shell_quote(out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* name : {"chorus song.mp4", "second song.mp4"}) {
    const auto probed = mvtest::probe_video(out / name);
    EXPECT_EQ(probed.width, 90) << name;
    EXPECT_EQ(probed.height, 160) << name;
    // --short: 30 s at 120 BPM is 16 bars (32 s) of the song.
    EXPECT_NEAR(probed.video_duration_s, 32.0, 0.2) << name;
  }
}

}  // namespace

// A still of a recording (the dock's look tiles) is drawn where it has sound: a recording
// that cut to an empty scene for a moment is silent there, and a look drawn from silence
// shows next to nothing.
TEST(AudibleMoment, AQuietMomentMovesToTheNearestOneWithSound) {
  mvtest::TempDir dir;
  const fs::path cut = dir / "cut.mkv", loud = dir / "loud.wav", silent = dir / "silent.wav", picture = dir / "still.mkv";
  // 4 s of a tone with 1.0–1.6 s silent, under black frames, as OBS records a scene switch.
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=black:s=320x180:r=30:d=4 -f lavfi -i "
                             "\"sine=frequency=220:duration=4,volume='if(between(t,1,1.6),0,1)':eval=frame\" "
                             "-c:v libx264 -preset ultrafast -c:a aac -shortest " + shell_quote(cut.string())));
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i \"sine=frequency=220:duration=4\" " + shell_quote(loud.string())));
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i anullsrc=r=44100:cl=mono -t 4 " + shell_quote(silent.string())));
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i color=black:s=320x180:r=30:d=4 -c:v libx264 -preset ultrafast " +
                             shell_quote(picture.string())));
  const double moved = mv::audible_moment(cut, 1.3);
  // The 1.5 s before it and the 0.25 s after it sound: 1.5 s after the gap, not in it or just after it.
  EXPECT_NEAR(moved, 3.125, 0.13) << "the nearest moment whose 1.5 s before and 0.25 s after all sound";
  EXPECT_DOUBLE_EQ(mv::audible_moment(cut, 3.0), 3.0) << "a moment with sound stays";
  EXPECT_NEAR(mv::audible_moment(cut, 12.0), 3.875, 0.13) << "past the end: the last window with sound, not past it";
  EXPECT_DOUBLE_EQ(mv::audible_moment(loud, 1.6), 1.6);
  EXPECT_DOUBLE_EQ(mv::audible_moment(silent, 1.6), 1.6) << "nothing sounds: nothing better to pick";
  EXPECT_DOUBLE_EQ(mv::audible_moment(picture, 1.6), 1.6) << "no audio track";
  EXPECT_DOUBLE_EQ(mv::audible_moment(dir / "missing.wav", 1.6), 1.6) << "unreadable: the caller reports it";
  // Scanned from an excerpt's start: the times stay the file's.
  EXPECT_DOUBLE_EQ(mv::audible_moment(cut, 3.4, 1.8, 2.2), 3.4);
  EXPECT_NEAR(mv::audible_moment(cut, 1.3, 0.5, 3.5), 3.125, 0.13) << "the 1.5 s of sound before it inside the scan";
  // A short recording whose sound never lasts 1.5 s: the end of its longest sounding run.
  const fs::path choppy = dir / "choppy.wav";
  ASSERT_TRUE(mvtest::ffmpeg("-f lavfi -i \"sine=frequency=220:duration=4,volume='if(between(t,0.8,2.6),0,1)':eval=frame\" " +
                             shell_quote(choppy.string())));
  EXPECT_NEAR(mv::audible_moment(choppy, 1.6), 3.875, 0.13) << "sound 0-0.8 s and 2.6-4 s: the end of the longer run";
  mv::CancelToken cancel;
  cancel.request();
  EXPECT_THROW(mv::audible_moment(cut, 1.3, 0.0, 120.0, 0, &cancel), mv::Error);
}
