// input-discovery.hpp — which files the dock offers as inputs, decided from
// plain data the OBS glue collects (scene-import.cpp): the last recording and
// replay paths, the profile's auto-remux flag, and the current scene's items
// (source type id, settings as JSON, visibility). No OBS here, so the rules are
// unit-tested without a running OBS.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mvplugin {

/// One item of the current scene as OBS describes it.
struct SceneSourceInfo {
  std::string id;            ///< unversioned source type id: "ffmpeg_source", "image_source", "slideshow", "vlc_source", ...
  std::string name;          ///< the source's name in OBS
  nlohmann::json settings;   ///< obs_data_get_json of its settings (only values that were set)
  bool visible = true;       ///< the scene item is shown
};

/// One entry of the dock's input chooser.
struct InputChoice {
  enum class Kind { Recording, Replay, SceneMedia, SceneImage };
  Kind kind = Kind::SceneMedia;
  std::string path;    ///< the file
  std::string source;  ///< the scene source it came from ("" for recordings and replays)
};

/// The files of one scene source: ffmpeg_source with a local file (`local_file`;
/// `is_local_file` defaults to true), image_source (`file`), slideshow and
/// vlc_source (`files` / `playlist`: arrays of {"value": path}; folders are
/// skipped). Network streams, empty paths and other types give nothing.
std::vector<std::string> source_files(const std::string& id, const nlohmann::json& settings);

/// The recording file to use: with auto-remux on and a recording that is not
/// an MP4, the .mp4 OBS remuxes it to (same folder and stem).
std::string remuxed_recording_path(const std::string& recording, bool auto_remux);

/// The chooser's entries, in order: last recording (remuxed path when
/// auto-remux is on and `exists` says the MP4 is there), last replay, then the
/// scene's media and image files (visible items first, scene order kept);
/// each path at most once. `exists` defaults to std::filesystem::exists.
std::vector<InputChoice> discover_inputs(const std::string& last_recording, bool auto_remux, const std::string& last_replay,
                                         const std::vector<SceneSourceInfo>& scene_items,
                                         const std::function<bool(const std::string&)>& exists = {});

}  // namespace mvplugin
