// plugin-context.hpp — what the module owns while it is loaded, shared by
// plugin-main.cpp (load, frontend events, teardown) and the obs-websocket
// request tables (websocket-*.cpp), and the one way work reaches OBS's UI
// thread (post_to_ui). Qt widgets and obs_frontend_* calls belong to the UI
// thread; everything else here is thread-safe.
#pragma once

#include <obs-module.h>

#include <QPointer>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "job-manager.hpp"
#include "plugin-settings.hpp"
#include "rolling-capture.hpp"
#include "websocket-vendor.hpp"

class QDockWidget;

namespace mvplugin {

class MusicVideoDock;

/// The latest cloud credits and timeline, answered at once by GetCloudInfo
/// while a refresh runs on the job manager's helper thread.
struct CloudInfoCache {
  mutable std::mutex mutex;
  CloudInfo info;
  std::int64_t updated_at = 0;  ///< Unix seconds of `info`, 0 = never
  bool refreshing = false;
};

/// Everything the module owns, created in obs_module_load.
struct PluginContext {
  std::filesystem::path config_dir;
  std::unique_ptr<SettingsStore> settings;
  std::unique_ptr<JobManager> jobs;
  WebsocketVendor vendor;
  RollingCapture capture;
  CloudInfoCache cloud;
  QPointer<MusicVideoDock> dock;      // UI thread
  QPointer<QDockWidget> dock_frame;   // OBS < 30: the QDockWidget we made (UI thread)
  obs_hotkey_id hotkey = OBS_INVALID_HOTKEY_ID;
  std::set<std::string> imported;     // job ids already brought into a scene (UI thread)
};

/// The loaded module's context; nullptr before obs_module_load and after unload.
PluginContext* plugin();

/// Runs `fn` on OBS's UI thread (a queued call on the main window), timed by
/// the UI stall meter under `label`; dropped once teardown has begun. The one
/// way workers, hotkeys and websocket requests reach the UI thread.
void post_to_ui(std::function<void()> fn, const char* label = "ui.queued");

/// The requests of one domain: type and handler, registered by plugin-main.cpp.
struct VendorRequest {
  const char* type;
  WebsocketVendor::Handler handler;
};
/// Generate, GetJob, ListJobs, CancelJob, EditJob (websocket-jobs.cpp).
const std::vector<VendorRequest>& job_requests();
/// GetCloudInfo (websocket-cloud.cpp).
const std::vector<VendorRequest>& cloud_requests();
/// GetSettings, SetSettings, GetDiagnostics (websocket-settings.cpp).
const std::vector<VendorRequest>& settings_requests();
/// SetAudioBuffer, GenerateFromBuffer (websocket-buffer.cpp).
const std::vector<VendorRequest>& buffer_requests();
/// SaveLiveLook (websocket-live.cpp).
const std::vector<VendorRequest>& live_requests();

}  // namespace mvplugin
