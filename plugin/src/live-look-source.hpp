// live-look-source.hpp — the "Music Video Look" source (id music_video_look):
// any look of the library drawn live from any audio in OBS, the same picture
// `mvgen generate --analysis live` writes. OBS glue only: the frames come
// from LiveLookRunner (live-look-runner.hpp) on a thread of its own.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "mv/base/progress.hpp"

namespace mvplugin {

/// The source's id in OBS.
inline constexpr const char* kLiveLookSourceId = "music_video_look";

/// Registers the source type (obs_module_load).
void register_live_look_source();
/// Joins the drawing threads of removed sources (module unload; each ends
/// within a frame once asked). Not on OBS's UI thread while OBS runs.
void join_finished_live_looks();

/// "Save as video": submits a job that renders the last `seconds` (1..600,
/// at most what the source kept) of the audio the look source `source_name`
/// heard with its look and settings, to an MP4 imported when done (the job
/// manager's rules). `aspect` "" draws it at the source's size; "9:16", "1:1"
/// or "16:9" draws the same look for that screen, its short side the
/// source's (mv::size_for_aspect(): 1920x1080 as 9:16 is 1080x1920). The WAV
/// is written on the job manager's helper thread, under a name no other save
/// of this session takes. Returns the job's id. Any thread. Errors:
/// std::invalid_argument naming the problem (no such source, not a look
/// source, an unknown aspect, nothing heard yet).
std::string save_live_look(const std::string& source_name, double seconds, const std::string& aspect = "");
/// The `seconds` that asks save_live_look() for all the source kept (its "Keep for Save as video"):
/// the dock's buttons and the source's hotkeys.
inline constexpr double kSaveAllKeptS = 600.0;

/// The look source "Save live look as video" in the dock saves: the first that
/// is showing (in the program, the preview or a projector), else the first; ""
/// when there is none. Any thread; takes none of OBS's locks (the UI thread
/// asks it every 2 s, and enumerating a scene's items would wait for OBS's
/// graphics thread to finish drawing it).
std::string live_look_to_save();

/// Every look source: {"sourceName", "audioSource" (chosen), "listening"
/// (attached to it now), "showing", "framesDrawn", "framesSkipped",
/// "audioBlocks", "audioDropped", "meanDrawMs", "maxDrawMs", "tempoBpm",
/// "title", "artist", "warning", "width", "height", "fps"}. Any thread.
nlohmann::json live_look_stats();

}  // namespace mvplugin
