// cloud-config.hpp — where mvgen's cloud settings come from:
// $XDG_CONFIG_HOME/obs-music-video/settings.json (api_url, skill_platform,
// language, registration_url, max_upload_mb), --api-url, then $NEMO_API_URL.
// The token lives in cloud.json there (mode 0600) and is never printed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "mv/cloud/client.hpp"
#include "mv/jobs/backend.hpp"

namespace mvcli {

/// $XDG_CONFIG_HOME/obs-music-video, else ~/.config/obs-music-video.
std::filesystem::path config_dir();

/// The cloud client's settings: settings.json, then `api_url` (--api-url);
/// the session language from the locale unless settings.json names one;
/// downloads checked with mv::require_video_file.
mv::CloudSettings cloud_settings(const std::optional<std::string>& api_url);

/// The cloud backend's options: cloud_settings() and the job file
/// (config_dir()/jobs.json); `reuse_session` for a batch.
mv::CloudBackendOptions cloud_options(const std::optional<std::string>& api_url, bool reuse_session = false);

}  // namespace mvcli
