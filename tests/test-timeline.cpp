// test-timeline.cpp — mv::Timeline: JSON round trip, vendor variants, errors, summary, export readiness.
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mv/base/error.hpp"
#include "mv/timeline/timeline.hpp"

namespace {

using nlohmann::json;

mv::Segment seg(std::int64_t s, std::int64_t d, std::string name = {}) {
  mv::Segment g;
  g.start_ms = s;
  g.duration_ms = d;
  g.name = std::move(name);
  return g;
}

/// The example of timeline.hpp.
mv::Timeline example() {
  mv::Timeline tl;
  tl.duration_ms = 10000;
  tl.meta = {{"title", "Urban Dreams"}, {"width", 1920}, {"height", 1080}};
  mv::Track video{0, "Video", {seg(0, 10000, "city timelapse")}, json::object()};
  mv::Segment song = seg(0, 10000, "Lo-fi");
  song.volume = 35;
  mv::Track bgm{1, "BGM", {song}, json::object()};
  mv::Segment title = seg(0, 3000);
  title.text = "Urban Dreams";
  mv::Track text{7, "Title", {title}, json::object()};
  tl.tracks = {video, bgm, text};
  return tl;
}

/// Error code and message of from_json(j); fails the test when nothing is thrown.
std::string error_of(const json& j, mv::ErrorCode* code = nullptr) {
  try {
    (void)mv::Timeline::from_json(j);
  } catch (const mv::Error& e) {
    if (code) *code = e.code();
    return e.what();
  }
  ADD_FAILURE() << "no error for " << j.dump();
  return {};
}

TEST(Timeline, RoundTripPreservesFieldsAndUnknownKeys) {
  mv::Timeline tl = example();
  tl.extra = {{"version", "3.2"}, {"canvas", {{"ratio", "16:9"}}}};
  tl.tracks[0].extra = {{"locked", true}};
  tl.tracks[0].segments[0].source = "/clips/city.mp4";
  tl.tracks[0].segments[0].effect = "crossfade";
  tl.tracks[0].segments[0].extra = {{"speed", 1.5}, {"asset_id", "a-17"}};
  const json first = tl.to_json();
  const mv::Timeline back = mv::Timeline::from_json(first);
  EXPECT_EQ(back.to_json(), first);
  EXPECT_EQ(back.tracks.size(), 3u);
  EXPECT_EQ(back.tracks[0].segments[0].source, "/clips/city.mp4");
  EXPECT_EQ(back.tracks[0].segments[0].extra.at("asset_id"), "a-17");
  EXPECT_EQ(back.tracks[1].segments[0].volume, 35);
  EXPECT_EQ(back.tracks[2].segments[0].text, "Urban Dreams");
  EXPECT_EQ(back.extra.at("canvas").at("ratio"), "16:9");
  EXPECT_FALSE(first["t"][2]["sg"][0].contains("v"));  // volume -1 omitted
  EXPECT_FALSE(first["t"][2]["sg"][0].contains("n"));  // empty name omitted
}

TEST(Timeline, RoundTripOfVendorDraftIsVerbatim) {
  const json vendor = json::parse(R"({
    "d": 12000, "m": {"title": "Trip", "fps": 30}, "ver": 4,
    "t": [{"tt": 0, "n": "Main", "mute": false,
           "sg": [{"s": 0, "d": 6000, "src": "a.mp4", "asset_id": "x1", "speed": 1.25},
                  {"s": 6000, "d": 6000, "src": "b.mp4", "fx": "flash",
                   "fx_params": {"intensity": 0.7, "color": [255, 255, 255]}}]},
          {"tt": 3, "sg": [{"s": 500, "d": 1000, "sticker": "heart"}]},
          {"tt": 1, "sg": [{"s": 0, "d": 12000, "n": "Song", "v": 80, "fade_out": 2000}]}]})");
  const mv::Timeline tl = mv::Timeline::from_json(vendor);
  EXPECT_EQ(tl.to_json(), vendor);
  EXPECT_EQ(tl.tracks[0].segments[1].extra.at("fx_params").at("intensity"), 0.7);
  EXPECT_EQ(tl.tracks[1].type, 3);
}

TEST(Timeline, SummaryOfHeaderExample) {
  EXPECT_EQ(example().summary(),
            "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) "
            "3. Title: \"Urban Dreams\" (0-3s)");
}

TEST(Timeline, SummaryLabelsFallbacksAndMore) {
  mv::Timeline tl;
  EXPECT_EQ(tl.summary(), "Timeline (0 tracks): empty");
  mv::Track bars{0, "", {}, json::object()};
  for (int i = 0; i < 12; ++i) bars.segments.push_back(seg(2500 + i * 1000, 1000, i == 0 ? "bars" : ""));
  tl.tracks = {bars};
  EXPECT_EQ(tl.summary(), "Timeline (1 track): 1. Video: bars +11 more (2.5-14.5s)");
  mv::Segment clip = seg(0, 4000);
  clip.source = "/media/clips/beach.mov";
  tl.tracks = {mv::Track{1, "", {seg(0, 1000)}, json::object()}, mv::Track{5, "", {clip}, json::object()}};
  EXPECT_EQ(tl.summary(), "Timeline (2 tracks): 1. Audio: (unnamed) (0-1s) 2. Track: beach.mov (0-4s)");
}

TEST(Timeline, ErrorWhenTracksNotAnArray) {
  mv::ErrorCode code = mv::ErrorCode::Internal;
  EXPECT_EQ(error_of(json{{"d", 1000}, {"t", {{"tt", 0}}}}, &code), "timeline: 't' must be an array");
  EXPECT_EQ(code, mv::ErrorCode::InputInvalid);
}

TEST(Timeline, ErrorWhenSegmentNotAnObjectNamesPath) {
  const json j = json::parse(R"({"t": [{"tt": 0, "sg": [{"s": 0, "d": 1}]}, {"tt": 1, "sg": [42]}]})");
  mv::ErrorCode code = mv::ErrorCode::Internal;
  const std::string msg = error_of(j, &code);
  EXPECT_NE(msg.find("t[1].sg[0]"), std::string::npos) << msg;
  EXPECT_EQ(msg, "timeline: t[1].sg[0] is not an object");
  EXPECT_EQ(code, mv::ErrorCode::InputInvalid);
}

TEST(Timeline, MissingDurationComputedFromSegments) {
  const json j = json::parse(R"({"t": [{"tt": 0, "sg": [{"s": 0, "d": 4000}, {"s": 4000, "d": 3500.4}]},
                                       {"tt": 7, "sg": [{"s": "1500", "d": 9000}]}]})");
  const mv::Timeline tl = mv::Timeline::from_json(j);
  EXPECT_EQ(tl.duration_ms, 10500);
  EXPECT_EQ(tl.tracks[0].segments[1].duration_ms, 3500);  // float rounded
  EXPECT_EQ(tl.tracks[1].segments[0].start_ms, 1500);     // numeric string
  EXPECT_EQ(mv::Timeline::from_json(json::object()).tracks.size(), 0u);
}

TEST(Timeline, VendorVariantKeysAndVolumeFraction) {
  const json j = json::parse(R"({"d": 5000, "t": [{"tt": 1, "name": "Music",
      "sg": [{"s": 0, "d": 5000, "n": "Lo-fi", "volume": 0.35}, {"s": 0, "d": 1, "v": 80},
             {"s": 0, "d": 1, "text": "Hi", "v": "0.5"}]}]})");
  const mv::Timeline tl = mv::Timeline::from_json(j);
  EXPECT_EQ(tl.tracks[0].name, "Music");
  EXPECT_EQ(tl.tracks[0].segments[0].volume, 35);
  EXPECT_EQ(tl.tracks[0].segments[1].volume, 80);
  EXPECT_EQ(tl.tracks[0].segments[2].volume, 50);
  EXPECT_EQ(tl.tracks[0].segments[2].text, "Hi");
  EXPECT_TRUE(tl.tracks[0].extra.empty());
  EXPECT_EQ(tl.to_json()["t"][0]["sg"][0]["v"], 35);
}

TEST(Timeline, ReadyForExportNeedsASegment) {
  mv::Timeline tl;
  EXPECT_FALSE(tl.ready_for_export());
  tl.tracks = {mv::Track{0, "Video", {}, json::object()}, mv::Track{1, "BGM", {}, json::object()}};
  EXPECT_FALSE(tl.ready_for_export());
  tl.tracks[1].segments.push_back(seg(0, 1000, "song"));
  EXPECT_TRUE(tl.ready_for_export());
  EXPECT_TRUE(example().ready_for_export());
}

// Regression for a fuzz finding (fuzz/fuzz-timeline under UBSan: signed
// integer overflow, undefined behaviour in timeline.cpp): a vendor
// draft may carry any start and duration up to ±9.2e18 ms, and their sum
// (the segment's end) overflowed int64 when the duration was computed from
// the segments and in the summary. Ends now saturate at the int64 limits.
TEST(Timeline, HugeStartPlusDurationDoesNotOverflow) {
  const json j = json::parse(R"({"t": [{"tt": 0, "sg": [{"s": 9000000000000000000, "d": 9000000000000000000},
                                                     {"s": -9000000000000000000, "d": -9000000000000000000}]}]})");
  const mv::Timeline tl = mv::Timeline::from_json(j);
  EXPECT_EQ(tl.duration_ms, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(tl.summary(), "Timeline (1 track): 1. Video: (unnamed) +1 more (-9000000000000000-9223372036854776s)");
  const mv::Timeline back = mv::Timeline::from_json(tl.to_json());
  EXPECT_EQ(back.duration_ms, tl.duration_ms);
  EXPECT_EQ(back.summary(), tl.summary());
}

}  // namespace

namespace {

TEST(Timeline, SummaryReadsNamesTextAndVolumeFromSegmentMetadataAndRoundTripsIt) {
  // Drafts that keep a segment's name, text and volume in its metadata object `m`.
  const auto draft = nlohmann::json::parse(R"({"d": 10000, "m": {"title": "Urban Dreams"}, "t": [
      {"tt": 0, "sg": [{"s": 0, "d": 10000, "m": {"name": "city timelapse", "src": "upload-1"}}]},
      {"tt": 1, "sg": [{"s": 0, "d": 10000, "m": {"name": "Lo-fi", "volume": 0.35}}]},
      {"tt": 7, "sg": [{"s": 0, "d": 3000, "m": {"text": "Urban Dreams"}}]}]})");
  const mv::Timeline tl = mv::Timeline::from_json(draft);
  EXPECT_EQ(tl.summary(),
            "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. Audio: Lo-fi (0-10s, 35%) "
            "3. Text: \"Urban Dreams\" (0-3s)");
  EXPECT_EQ(tl.to_json(), draft);  // nothing moved out of `m`
}

}  // namespace
