// test-planner.cpp — prompt vocabulary, look resolution and the planned
// timeline (sections for the visualizers, beat cuts for the montage).
#include <gtest/gtest.h>

#include "mv/base/error.hpp"
#include "mv/render/generate.hpp"
#include "mv/render/look.hpp"

namespace {

mv::Analysis fake_analysis() {
  mv::Analysis a;
  a.duration_s = 40.0;
  a.tempo_bpm = 120.0;
  for (double t = 0.25; t < 40.0; t += 0.5) a.beats.push_back(t);
  for (std::size_t i = 0; i < a.beats.size(); i += 4) a.downbeats.push_back(a.beats[i]);
  a.sections = {{0.0, 16.25, 0.4, "A"}, {16.25, 32.25, 1.0, "B"}, {32.25, 40.0, 0.6, "C"}};
  return a;
}

TEST(Prompt, KeywordsPickStylePaletteAndIntensity) {
  const auto h = mv::parse_prompt("An INTENSE neon club video, lots of particles!");
  ASSERT_TRUE(h.style && h.palette && h.intensity);
  EXPECT_EQ(*h.style, "pulse");  // "club" then "particles": the later word wins
  EXPECT_EQ(*h.palette, "neon");
  EXPECT_DOUBLE_EQ(*h.intensity, 1.5);
  EXPECT_EQ(h.matched, (std::vector<std::string>{"intense", "neon", "club", "particles"}));
}

TEST(Prompt, ChineseKeywordsAndUnknownWords) {
  const auto h = mv::parse_prompt("做一个日落风格的波形视频，安静一点");
  EXPECT_EQ(h.style.value_or(""), "wave");
  EXPECT_EQ(h.palette.value_or(""), "sunset");
  EXPECT_DOUBLE_EQ(h.intensity.value_or(0), 0.6);
  const auto none = mv::parse_prompt("barstool wavelength");  // whole words only
  EXPECT_FALSE(none.style || none.palette || none.intensity);
}

TEST(Look, ExplicitSettingsWinOverThePromptAndDefaultsFillTheRest) {
  mv::VideoSettings s;
  EXPECT_EQ(mv::resolve_look(s).style, "bars");
  EXPECT_EQ(mv::resolve_look(s).palette, "neon");
  s.prompt = "calm ocean waveform";
  auto look = mv::resolve_look(s);
  EXPECT_EQ(look.style, "wave");
  EXPECT_EQ(look.palette, "ocean");
  EXPECT_DOUBLE_EQ(look.intensity, 0.6);
  s.look.name = "pulse";
  s.look.palette = "fire";
  EXPECT_EQ(mv::resolve_look(s).style, "pulse");
  EXPECT_EQ(mv::resolve_look(s).palette, "fire");
}

TEST(Look, ClipsMeanMontageAndMontageNeedsClips) {
  mv::VideoSettings s;
  s.clips = {"a.png"};
  EXPECT_EQ(mv::resolve_look(s).pictures, "montage");
  EXPECT_EQ(mv::resolve_look(s).style, mv::kDefaultPicturesLook);
  mv::VideoSettings no_clips;
  no_clips.look.name = "montage";
  try {
    mv::resolve_look(no_clips);
    FAIL();
  } catch (const mv::Error& e) {
    EXPECT_EQ(e.code(), mv::ErrorCode::Usage);
    EXPECT_NE(std::string(e.what()).find("--clips"), std::string::npos);
  }
  mv::VideoSettings bad;
  bad.look.palette = "plaid";
  EXPECT_THROW(mv::resolve_look(bad), mv::Error);
}

TEST(Plan, VisualizerHasOneSegmentPerSectionAndTheThreeTracks) {
  mv::VideoSettings s;
  s.captions.title = "Urban Dreams";
  const auto a = fake_analysis();
  const auto tl = mv::plan_timeline(a, s, mv::resolve_look(s), "/music/song.mp3");
  ASSERT_EQ(tl.tracks.size(), 3u);
  EXPECT_EQ(tl.duration_ms, 40000);
  ASSERT_EQ(tl.tracks[0].segments.size(), 3u);
  EXPECT_EQ(tl.tracks[0].segments[1].start_ms, 16250);
  EXPECT_EQ(tl.tracks[0].segments[1].effect, "flash");
  EXPECT_EQ(tl.summary(),
            "Timeline (3 tracks): 1. Video: bars neon (section 1) +2 more (0-40s) 2. BGM: song.mp3 (0-40s, 100%) "
            "3. Title: \"Urban Dreams\" (0-4s)");
  EXPECT_TRUE(tl.ready_for_export());
  // The plan survives the vendor JSON round trip.
  EXPECT_EQ(mv::Timeline::from_json(tl.to_json()).to_json(), tl.to_json());
}

TEST(Plan, MontageCutsOnDownbeatsAndCrossfadesAtSectionChanges) {
  mv::VideoSettings s;
  s.clips = {"a.jpg", "b.mp4"};
  const auto a = fake_analysis();
  const auto tl = mv::plan_timeline(a, s, mv::resolve_look(s), "song.wav");
  const auto& shots = tl.tracks[0].segments;
  ASSERT_GE(shots.size(), 10u);
  std::int64_t end = 0;
  for (std::size_t i = 0; i < shots.size(); ++i) {
    EXPECT_EQ(shots[i].start_ms, end) << "shots must tile the song";
    end = shots[i].start_ms + shots[i].duration_ms;
    EXPECT_EQ(shots[i].source, i % 2 == 0 ? "a.jpg" : "b.mp4");
    if (i == 0) continue;
    const double cut = static_cast<double>(shots[i].start_ms) / 1000.0;
    bool on_downbeat = false;
    for (double d : a.downbeats) on_downbeat = on_downbeat || std::abs(d - cut) < 0.001;
    EXPECT_TRUE(on_downbeat) << "cut at " << cut;
    const bool section_start = shots[i].start_ms == 16250 || shots[i].start_ms == 32250;
    EXPECT_EQ(shots[i].effect, section_start ? "crossfade" : "cut") << "cut at " << cut;
  }
  EXPECT_EQ(end, 40000);
}

}  // namespace
