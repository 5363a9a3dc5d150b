// scene-import.hpp — OBS scene glue: bring a finished video into the current
// scene as a media source, and find the files the user could start from.
// UI thread only (obs_frontend_* calls).
#pragma once

#include <string>
#include <vector>

#include "input-discovery.hpp"

namespace mvplugin {

/// Adds an `ffmpeg_source` playing `path` to the current scene, named
/// "Music Video" (then "Music Video 2", ...), fitted to the canvas (bounds:
/// scale to inner, centred). Returns the source name, empty on failure.
std::string import_into_current_scene(const std::string& path, bool looping);

/// The last finished recording's file (empty if none this session). While OBS
/// records, OBS names the file being written as its last recording; this keeps
/// the one before (a video made mid-recording is made from a whole file). UI thread.
std::string last_recording_path();
/// The last replay buffer save (empty if none).
std::string last_replay_path();
/// The items of the current scene (type id, name, settings JSON, visibility),
/// in scene order, groups expanded; input for discover_inputs().
std::vector<SceneSourceInfo> current_scene_items();
/// The profile's "automatically remux to MP4" setting.
bool auto_remux_enabled();
/// OBS's recording folder from the current profile (simple or advanced output), or empty.
std::string recording_folder();

}  // namespace mvplugin
