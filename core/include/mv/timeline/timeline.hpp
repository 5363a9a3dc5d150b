// timeline.hpp — the draft (timeline) in the vendor's short-key JSON, shared by
// the local planner/renderer and the cloud client.
//
//   {"d": 10000, "m": {"title": "...", "width": 1920, "height": 1080},
//    "t": [{"tt": 0, "n": "Video", "sg": [{"s": 0, "d": 10000, "n": "city timelapse"}]},
//          {"tt": 1, "n": "BGM",   "sg": [{"s": 0, "d": 10000, "n": "Lo-fi", "v": 35}]},
//          {"tt": 7, "n": "Title", "sg": [{"s": 0, "d": 3000, "txt": "Urban Dreams"}]}]}
//
// Keys: t = tracks, tt = track type (0 video, 1 audio, 7 text), sg = segments,
// d = duration (ms), m = metadata (from ../shared/nemo-api.md). Segment keys
// beyond those (s = start ms, n = name, v = volume %, txt = text, src = source
// path, fx = effect) are ours; keys we do not know are kept verbatim so a
// vendor draft survives a load/save round trip.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mv {

/// Track types as the vendor numbers them.
enum class TrackType : int { Video = 0, Audio = 1, Text = 7 };

/// One item on a track, times in milliseconds from the timeline start.
struct Segment {
  std::int64_t start_ms = 0;     ///< "s"
  std::int64_t duration_ms = 0;  ///< "d"
  std::string name;              ///< "n": what it shows or plays (style, clip, song)
  std::string source;            ///< "src": file path for clips/photos/audio
  std::string text;              ///< "txt": for text tracks
  std::string effect;            ///< "fx": transition/effect into this segment ("cut", "crossfade", "flash")
  int volume = -1;               ///< "v": audio volume in percent, -1 = not set
  nlohmann::json extra = nlohmann::json::object();  ///< unknown keys, kept verbatim
};

/// A track: a type, a display name and its segments in time order.
struct Track {
  int type = 0;                  ///< "tt" (kept as int: vendor drafts may use other numbers)
  std::string name;              ///< "n"
  std::vector<Segment> segments; ///< "sg"
  nlohmann::json extra = nlohmann::json::object();
};

/// The draft: tracks, total duration, metadata.
struct Timeline {
  std::int64_t duration_ms = 0;  ///< "d"; if absent on load, the end of the last segment
  nlohmann::json meta = nlohmann::json::object();  ///< "m"
  std::vector<Track> tracks;     ///< "t"
  nlohmann::json extra = nlohmann::json::object();

  /// Vendor short-key JSON.
  [[nodiscard]] nlohmann::json to_json() const;
  /// Parses a draft. Errors: Error{InputInvalid} when `t` is not an array or a
  /// segment is not an object, with the JSON path of the problem.
  static Timeline from_json(const nlohmann::json& draft);

  /// One-line human summary, e.g.
  /// `Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)`.
  /// A track with several segments lists the first name and "+N more".
  [[nodiscard]] std::string summary() const;

  /// True when the vendor would accept it for export: tracks exist and at
  /// least one has a segment.
  [[nodiscard]] bool ready_for_export() const;
};

}  // namespace mv
