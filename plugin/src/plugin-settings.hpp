// plugin-settings.hpp — the plugin's settings, kept as JSON (mode 0600: it may
// hold a cloud token) in OBS's module config folder.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "mv/jobs/job-spec.hpp"
#include "mv/media/mp4-writer.hpp"

namespace mvplugin {

struct PluginSettings {
  std::string backend = "local";   ///< "local" or "cloud"
  std::string api_url;             ///< cloud base URL; empty = $NEMO_API_URL or the vendor's host
  std::string token;               ///< registered cloud token (file mode 0600; never in to_json(false))
  std::string output_dir;          ///< empty = OBS's recording folder
  std::string default_style;       ///< empty = bars (montage with clips)
  std::string default_aspect = "auto";  ///< an mv::aspects() id, or "auto": the input's own shape
  bool auto_import = true;         ///< add the finished video to the current scene
  bool looping = false;            ///< the media source loops
  int render_threads = 1;          ///< encoder threads of local renders (keep OBS's frames safe)
  /// CPU priority of local renders: "idle" (Linux SCHED_IDLE: only cores OBS leaves
  /// idle; the default), "low" (nice 10) or "normal" (nice 0, as OBS itself).
  std::string render_priority = mv::priority_id(mv::RenderPriority::Idle);
  /// H.264 encoder of local renders (mv::video_encoder_names()): "auto" uses the
  /// GPU's encoder when FFmpeg can open one (the CPU stays free for OBS), else libx264.
  std::string encoder = mv::video_encoder_names().front();
  bool dock_introduced = false;    ///< the dock was shown once after installation
  bool generate_on_record_stop = false;  ///< make a video from every recording when it stops
  /// Background music for a clip: the user's music (a folder or a track) the
  /// best-fitting track is chosen from; empty = music composed for the clip.
  std::string music_dir;

  /// The settings as JSON. `with_secrets` false (the websocket GetSettings
  /// answer) leaves the token out and says only "has_token".
  [[nodiscard]] nlohmann::json to_json(bool with_secrets = false) const;
  /// Applies the keys present in `j` (unknown keys ignored, values checked).
  void apply_json(const nlohmann::json& j);

  /// Fills what a job takes from the settings: the output folder (when the
  /// job names none), the default style (when it has none) and aspect (when
  /// `with_aspect`), render threads and priority, and for background music the
  /// music folder (when the job names no music).
  void apply_to(mv::JobSpec& spec, bool with_aspect) const;

  /// Loads `path`; missing or corrupt (and no .bak) gives the defaults.
  static PluginSettings load(const std::filesystem::path& path);
  /// Writes atomically with mode 0600. Errors: mv::Error{Output}.
  void save(const std::filesystem::path& path) const;
};

/// The plugin's settings, shared by the UI and obs-websocket threads, saved
/// by a thread of its own: change() returns at once (no caller, the UI thread
/// among them, waits for a disk), the saver writes the latest version
/// (changes made meanwhile are coalesced into one write).
class SettingsStore {
 public:
  /// Loads `file` (PluginSettings::load) and starts the saver.
  explicit SettingsStore(std::filesystem::path file);
  /// Writes what is pending and joins the saver.
  ~SettingsStore();
  SettingsStore(const SettingsStore&) = delete;
  SettingsStore& operator=(const SettingsStore&) = delete;

  /// A copy of the current settings.
  [[nodiscard]] PluginSettings get() const;
  /// Changes the settings; saved soon by the saver thread (mode 0600).
  void change(const std::function<void(PluginSettings&)>& change);
  /// Waits until the file holds every change made so far, at most `limit`;
  /// false on timeout. A failed write (full disk) is logged by `on_error` and
  /// counts as done.
  bool flush(std::chrono::milliseconds limit = std::chrono::seconds(5));
  /// Called on the saver thread with the message of a failed write.
  std::function<void(const std::string&)> on_error;

 private:
  void run();
  const std::filesystem::path file_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  PluginSettings settings_;
  std::uint64_t wanted_ = 0, written_ = 0;
  bool stopping_ = false;
  std::thread saver_;
};

}  // namespace mvplugin
