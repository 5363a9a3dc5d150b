// plugin-settings.hpp — the plugin's settings, kept as JSON (mode 0600: it may
// hold a cloud token) in OBS's module config folder.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace mvplugin {

struct PluginSettings {
  std::string backend = "local";   ///< "local" or "cloud"
  std::string api_url;             ///< cloud base URL; empty = $NEMO_API_URL or the vendor's host
  std::string token;               ///< registered cloud token (file mode 0600; never in to_json(false))
  std::string output_dir;          ///< empty = OBS's recording folder
  std::string default_style;       ///< empty = bars (montage with clips)
  std::string default_aspect = "16:9";
  bool auto_import = true;         ///< add the finished video to the current scene
  bool looping = false;            ///< the media source loops
  int render_threads = 1;          ///< encoder threads of local renders (keep OBS's frames safe)
  /// CPU priority of local renders: "idle" (Linux SCHED_IDLE: only cores OBS leaves
  /// idle; the default), "low" (nice 10) or "normal" (nice 0, as OBS itself).
  std::string render_priority = "idle";
  bool dock_introduced = false;    ///< the dock was shown once after installation
  bool generate_on_record_stop = false;  ///< make a video from every recording when it stops

  /// The settings as JSON. `with_secrets` false (the websocket GetSettings
  /// answer) leaves the token out and says only "has_token".
  [[nodiscard]] nlohmann::json to_json(bool with_secrets = false) const;
  /// Applies the keys present in `j` (unknown keys ignored, values checked).
  void apply_json(const nlohmann::json& j);

  /// Loads `path`; missing or corrupt (and no .bak) gives the defaults.
  static PluginSettings load(const std::filesystem::path& path);
  /// Writes atomically with mode 0600. Errors: mv::Error{Output}.
  void save(const std::filesystem::path& path) const;
};

}  // namespace mvplugin
