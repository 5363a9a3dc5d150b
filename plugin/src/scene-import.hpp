// scene-import.hpp — OBS scene glue: bring a finished video into the current
// scene as a media source, and find the files the user could start from.
// obs_frontend_* calls on the UI thread only; what waits for a scene's lock on a helper.
#pragma once

#include <obs.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "input-discovery.hpp"

namespace mvplugin {

/// A weak reference to a scene: it does not keep a scene the user removed alive
/// in a queued task. Released on any thread.
using SceneRef = std::shared_ptr<obs_weak_source_t>;

/// UI thread: OBS's current scene (the program scene in studio mode), empty if none.
SceneRef current_scene_ref();

/// Adds an `ffmpeg_source` playing `path` to the scene `ref` (if it is still in OBS), named
/// "Music Video" (then "Music Video 2", ...), fitted to the canvas (bounds:
/// scale to inner, centred). Returns the source name, empty on failure. Any
/// thread but the graphics thread: creating the source opens its file and
/// adding it waits for the scene's lock, which OBS holds while it draws, so
/// the UI thread hands it to a helper (import_into_current_scene_async).
std::string import_into_scene(const SceneRef& ref, const std::string& path, bool looping);

/// UI thread: import_into_scene() of OBS's current scene on the jobs' helper
/// thread, then `done(source name)` back on the UI thread ("" on failure).
void import_into_current_scene_async(const std::string& path, bool looping, std::function<void(const std::string&)> done);

/// The last finished recording's file (empty if none this session). While OBS
/// records, OBS names the file being written as its last recording; this keeps
/// the one before (a video made mid-recording is made from a whole file). UI thread.
std::string last_recording_path();
/// The last replay buffer save (empty if none).
std::string last_replay_path();
/// The items of the scene `ref` (type id, name, settings JSON, visibility), in
/// scene order, groups expanded; empty if the scene is gone. Input for
/// discover_inputs(). Any thread but the graphics thread (it waits for the
/// scene's lock, held only while references are taken): not the UI thread.
std::vector<SceneSourceInfo> scene_items(const SceneRef& ref);
/// The profile's "automatically remux to MP4" setting.
bool auto_remux_enabled();
/// OBS's recording folder from the current profile (simple or advanced output), or empty.
std::string recording_folder();

}  // namespace mvplugin
