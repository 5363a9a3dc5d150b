// plugin-main.cpp — the obs-music-video module: creates the job manager, the
// dock, the hotkey and the obs-websocket vendor, and tears them down in the
// order OBS needs (jobs cancelled and joined on OBS_FRONTEND_EVENT_EXIT,
// before modules unload; nothing calls obs_frontend_* or obs_module_text in
// obs_module_unload). Workers hand results to the UI thread with queued calls.
#include <obs-frontend-api.h>
#include <obs-module.h>
#include <util/config-file.h>

#include <QDockWidget>
#include <QMainWindow>
#include <QMetaObject>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>

#include "job-manager.hpp"
#include "music-video-dock.hpp"
#include "plugin-settings.hpp"
#include "rolling-capture.hpp"
#include "scene-import.hpp"
#include "settings-dialog.hpp"
#include "ui-stall-meter.hpp"
#include "websocket-vendor.hpp"

OBS_DECLARE_MODULE()
OBS_MODULE_USE_DEFAULT_LOCALE("obs-music-video", "en-US")

MODULE_EXPORT const char* obs_module_description(void) { return "Turns audio into beat-synced music videos."; }

namespace {

using mvplugin::JobInfo;
using mvplugin::JobState;

/// Everything the module owns, created in obs_module_load.
struct Plugin {
  std::filesystem::path config_dir;
  mutable std::mutex settings_mutex;  // settings are read by the UI and obs-websocket threads
  mvplugin::PluginSettings settings_value;
  [[nodiscard]] mvplugin::PluginSettings settings() const {
    std::lock_guard lock(settings_mutex);
    return settings_value;
  }
  /// Changes the settings and saves them (0600).
  void change_settings(const std::function<void(mvplugin::PluginSettings&)>& change) {
    std::lock_guard lock(settings_mutex);
    change(settings_value);
    try {
      settings_value.save(config_dir / "settings.json");
    } catch (const std::exception& e) {
      blog(LOG_WARNING, "[obs-music-video] cannot save settings: %s", e.what());
    }
  }
  std::unique_ptr<mvplugin::JobManager> jobs;
  mvplugin::WebsocketVendor vendor;
  mvplugin::RollingCapture capture;
  QPointer<mvplugin::MusicVideoDock> dock;
  QPointer<QDockWidget> dock_frame;  // OBS < 30: the QDockWidget we made
  obs_hotkey_id hotkey = OBS_INVALID_HOTKEY_ID;
  std::set<std::string> imported;  // job ids already brought into a scene (UI thread)
};

std::unique_ptr<Plugin> g_plugin;
std::atomic<bool> g_alive{false};

std::string config_path(const char* name) {
  char* p = obs_module_config_path(name);
  std::string out = p != nullptr ? p : "";
  bfree(p);
  return out;
}

/// Runs `fn` on the UI thread (queued), unless the plugin is shutting down.
void on_ui_thread(std::function<void()> fn) {
  auto* window = static_cast<QMainWindow*>(obs_frontend_get_main_window());
  if (window == nullptr) return;
  QMetaObject::invokeMethod(
      window,
      [fn = std::move(fn)] {
        if (!g_alive.load()) return;
        const mvplugin::UiStallScope timed(mvplugin::ui_stall_meter(), "ui.queued");
        fn();
      },
      Qt::QueuedConnection);
}

void import_job(const JobInfo& job) {
  const mvplugin::UiStallScope timed(mvplugin::ui_stall_meter(), "job.reimport");
  const std::string name = mvplugin::import_into_current_scene(job.output, g_plugin->settings().looping);
  g_plugin->vendor.emit("JobImported", {{"jobId", job.id}, {"output", job.output}, {"sourceName", name}});
}

/// UI thread: a job changed.
void job_changed(const JobInfo& job) {
  if (!g_plugin) return;
  if (g_plugin->dock) g_plugin->dock->job_changed(job);
  const bool finished = job.state == JobState::Done || job.state == JobState::Failed || job.state == JobState::Cancelled;
  if (!finished) {
    g_plugin->vendor.emit("JobProgress", {{"jobId", job.id}, {"stage", job.stage}, {"progress", job.progress}});
    return;
  }
  nlohmann::json event = job.to_json();
  if (job.state == JobState::Done && g_plugin->settings().auto_import && g_plugin->imported.insert(job.id).second) {
    const mvplugin::UiStallScope timed(mvplugin::ui_stall_meter(), "job.import");
    event["sourceName"] = mvplugin::import_into_current_scene(job.output, g_plugin->settings().looping);
  }
  g_plugin->vendor.emit("JobCompleted", event);
}

/// "Generate when a recording stops": the last recording, or, with OBS's
/// auto-remux on, the MP4 it remuxes to once that file is complete (its size
/// stable for a second), polled on the UI thread for up to two minutes.
void generate_from_finished_recording() {
  const std::string recording = mvplugin::last_recording_path();
  if (recording.empty()) return;
  const std::filesystem::path target = mvplugin::remuxed_recording_path(recording, mvplugin::auto_remux_enabled());
  auto* timer = new QTimer(static_cast<QMainWindow*>(obs_frontend_get_main_window()));
  auto last_size = std::make_shared<std::uintmax_t>(0);
  auto ticks = std::make_shared<int>(0);
  QObject::connect(timer, &QTimer::timeout, timer, [timer, target, recording, last_size, ticks] {
    std::error_code ec;
    const bool exists = std::filesystem::exists(target, ec);
    const auto size = exists ? std::filesystem::file_size(target, ec) : 0;
    const bool stable = exists && size > 0 && size == *last_size;
    *last_size = size;
    if (!g_alive || !g_plugin) {
      timer->deleteLater();
      return;
    }
    if (stable || ++*ticks > 240) {
      timer->deleteLater();
      mvplugin::JobRequest request;
      request.inputs = {stable ? target.string() : recording};
      const auto settings = g_plugin->settings();
      request.output_dir = settings.output_dir;
      request.style = settings.default_style;
      request.aspect = settings.default_aspect;
      request.threads = settings.render_threads;
      request.priority = settings.render_priority;
      g_plugin->jobs->submit(std::move(request));
    }
  });
  timer->start(500);
}

/// UI thread: the dock follows the settings (output folder, render threads and priority).
void apply_settings_to_dock() {
  if (!g_plugin || !g_plugin->dock) return;
  const auto settings = g_plugin->settings();
  g_plugin->dock->output_dir = settings.output_dir;
  g_plugin->dock->render_threads = settings.render_threads;
  g_plugin->dock->render_priority = settings.render_priority;
}

/// UI thread: every 100 ms, how late the event loop ran this timer (all of
/// OBS's UI work, not only ours), for GetDiagnostics.
void start_loop_probe() {
  auto* timer = new QTimer(static_cast<QMainWindow*>(obs_frontend_get_main_window()));
  auto last = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  QObject::connect(timer, &QTimer::timeout, timer, [timer, last] {
    if (!g_alive) {
      timer->stop();
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    const auto late = now - *last - std::chrono::milliseconds(100);
    *last = now;
    if (late > std::chrono::nanoseconds::zero()) mvplugin::ui_stall_meter().record_loop_gap(late);
  });
  timer->start(100);
}

/// UI thread: the settings dialog (Tools menu).
void open_settings() {
  if (!g_plugin) return;
  mvplugin::SettingsDialog dialog(g_plugin->settings(), static_cast<QMainWindow*>(obs_frontend_get_main_window()));
  if (dialog.exec() != QDialog::Accepted) return;
  const mvplugin::UiStallScope timed(mvplugin::ui_stall_meter(), "settings.apply");
  const auto edited = dialog.result();
  g_plugin->change_settings([&](mvplugin::PluginSettings& s) { s = edited; });
  g_plugin->jobs->set_cloud(edited.api_url, edited.token);
  apply_settings_to_dock();
}

void register_websocket_requests() {
  auto& v = g_plugin->vendor;
  if (!v.register_vendor("obs-music-video")) {
    blog(LOG_INFO, "[obs-music-video] obs-websocket not available; vendor requests disabled");
    return;
  }
  // These run on obs-websocket's thread: only the thread-safe JobManager is used.
  v.add_request("Generate", [](const nlohmann::json& req) {
    auto request = mvplugin::JobRequest::from_json(req);
    const auto settings = g_plugin->settings();
    if (request.output_dir.empty()) request.output_dir = settings.output_dir;
    if (request.style.empty()) request.style = settings.default_style;
    request.threads = settings.render_threads;
    request.priority = settings.render_priority;
    return nlohmann::json{{"jobId", g_plugin->jobs->submit(std::move(request))}};
  });
  // The rolling audio buffer: "the song that just played" as a video in one request.
  v.add_request("SetAudioBuffer", [](const nlohmann::json& req) {
    const std::string source = req.value("source", std::string());
    const double seconds = req.value("seconds", 120.0);
    if (!g_plugin->capture.set_source(source, seconds)) throw std::invalid_argument("no source named \"" + source + "\"");
    return nlohmann::json{{"source", source}, {"seconds", std::clamp(seconds, 30.0, 600.0)}};
  });
  v.add_request("GenerateFromBuffer", [](const nlohmann::json& req) {
    const auto settings = g_plugin->settings();
    const std::string wav = g_plugin->capture.save(settings.output_dir);
    if (wav.empty()) throw std::invalid_argument("nothing is buffered: call SetAudioBuffer and let the source play");
    nlohmann::json data = req;
    data["input"] = wav;
    auto request = mvplugin::JobRequest::from_json(data);
    if (request.output_dir.empty()) request.output_dir = settings.output_dir;
    request.threads = settings.render_threads;
    request.priority = settings.render_priority;
    return nlohmann::json{{"jobId", g_plugin->jobs->submit(std::move(request))}, {"input", wav}};
  });
  // Cloud: an iterative edit of a finished cloud job's video, in the same session
  // (what the dock's chat box does): {"jobId", "message"} → {"jobId"} of the new job.
  v.add_request("EditJob", [](const nlohmann::json& req) {
    const auto base = g_plugin->jobs->get(req.value("jobId", std::string()));
    if (!base) throw std::invalid_argument("no job with that jobId");
    if (base->session_id.empty()) throw std::invalid_argument("that job has no cloud session: edit a finished cloud job");
    mvplugin::JobRequest request;
    request.backend = "cloud";
    request.kind = "edit";
    request.session_id = base->session_id;
    request.user_id = base->user_id;
    request.prompt = req.value("message", std::string());
    request.output_dir = base->request.output_dir;
    return nlohmann::json{{"jobId", g_plugin->jobs->submit(std::move(request))}};
  });
  // Cloud credits (and the timeline of a job's session with {"jobId"}); answered
  // when the cloud has replied (obs-websocket requests run off the UI thread).
  v.add_request("GetCloudInfo", [](const nlohmann::json& req) {
    std::string session, user;
    if (const auto job = g_plugin->jobs->get(req.value("jobId", std::string()))) {
      session = job->session_id;
      user = job->user_id;
    }
    auto promise = std::make_shared<std::promise<mvplugin::CloudInfo>>();
    auto answer = promise->get_future();
    g_plugin->jobs->cloud_info(session, user, [promise](const mvplugin::CloudInfo& info) { promise->set_value(info); });
    if (answer.wait_for(std::chrono::seconds(90)) != std::future_status::ready) throw std::runtime_error("the cloud did not answer");
    const auto info = answer.get();
    if (!info.ok) throw std::runtime_error(info.error);
    return nlohmann::json{{"available", info.available}, {"frozen", info.frozen}, {"total", info.total}, {"timeline", info.timeline}};
  });
  // How long plugin code held the UI thread (and the UI loop's worst lateness).
  v.add_request("GetDiagnostics", [](const nlohmann::json& req) {
    if (req.value("reset", false)) mvplugin::ui_stall_meter().reset();
    return mvplugin::ui_stall_meter().snapshot().to_json();
  });
  // Plugin settings, for scripts (the same fields as the settings file).
  v.add_request("GetSettings", [](const nlohmann::json&) { return g_plugin->settings().to_json(false); });
  v.add_request("SetSettings", [](const nlohmann::json& req) {
    g_plugin->change_settings([&](mvplugin::PluginSettings& s) { s.apply_json(req); });
    g_plugin->jobs->set_cloud(g_plugin->settings().api_url, g_plugin->settings().token);
    return g_plugin->settings().to_json(false);
  });
  v.add_request("GetJob", [](const nlohmann::json& req) {
    const auto job = g_plugin->jobs->get(req.value("jobId", std::string()));
    if (!job) throw std::invalid_argument("no job with that jobId");
    return job->to_json();
  });
  v.add_request("ListJobs", [](const nlohmann::json&) {
    nlohmann::json jobs = nlohmann::json::array();
    for (const auto& j : g_plugin->jobs->list()) jobs.push_back(j.to_json());
    return nlohmann::json{{"jobs", jobs}};
  });
  v.add_request("CancelJob", [](const nlohmann::json& req) {
    return nlohmann::json{{"cancelled", g_plugin->jobs->cancel(req.value("jobId", std::string()))}};
  });
}

void on_frontend_event(enum obs_frontend_event event, void*) {
  if (!g_plugin) return;
  const char* label = "frontend.event";
  switch (event) {
    case OBS_FRONTEND_EVENT_FINISHED_LOADING: label = "frontend.finished_loading"; break;
    case OBS_FRONTEND_EVENT_RECORDING_STOPPED: label = "frontend.recording_stopped"; break;
    case OBS_FRONTEND_EVENT_REPLAY_BUFFER_SAVED: label = "frontend.replay_saved"; break;
    case OBS_FRONTEND_EVENT_SCENE_CHANGED: label = "frontend.scene_changed"; break;
    case OBS_FRONTEND_EVENT_EXIT: label = "frontend.exit"; break;
    default: break;
  }
  const mvplugin::UiStallScope timed(mvplugin::ui_stall_meter(), label);
  if (event == OBS_FRONTEND_EVENT_FINISHED_LOADING) {
    const std::string folder = mvplugin::recording_folder();
    {
      std::lock_guard lock(g_plugin->settings_mutex);
      if (g_plugin->settings_value.output_dir.empty()) g_plugin->settings_value.output_dir = folder;
    }
    apply_settings_to_dock();
    if (g_plugin->dock) g_plugin->dock->refresh_input_choices();
    start_loop_probe();
    // Cloud renders submitted before OBS closed (or crashed) are polled and downloaded now.
    g_plugin->jobs->set_cloud(g_plugin->settings().api_url, g_plugin->settings().token);
    g_plugin->jobs->resume_cloud_jobs();
    // OBS restores (or resets) dock visibility after loading; a newly installed
    // plugin shows its dock once, after that the user's choice is kept by OBS.
    if (!g_plugin->settings().dock_introduced && g_plugin->dock_frame) {
      g_plugin->dock_frame->setVisible(true);
      g_plugin->change_settings([](mvplugin::PluginSettings& s) { s.dock_introduced = true; });
    }
  }
  if (event == OBS_FRONTEND_EVENT_RECORDING_STOPPED && g_plugin->settings().generate_on_record_stop) {
    generate_from_finished_recording();
  }
  if ((event == OBS_FRONTEND_EVENT_RECORDING_STOPPED || event == OBS_FRONTEND_EVENT_REPLAY_BUFFER_SAVED ||
       event == OBS_FRONTEND_EVENT_SCENE_CHANGED) && g_plugin->dock) {
    g_plugin->dock->refresh_input_choices();
  }
  if (event == OBS_FRONTEND_EVENT_EXIT && g_plugin->hotkey != OBS_INVALID_HOTKEY_ID) {
    // The hotkey's bindings, saved the way OBS saves its own JSON (temporary file + .bak).
    obs_data_array_t* bindings = obs_hotkey_save(g_plugin->hotkey);
    obs_data_t* data = obs_data_create();
    obs_data_set_array(data, "generate_last_recording", bindings);
    obs_data_save_json_safe(data, (g_plugin->config_dir / "hotkeys.json").c_str(), "tmp", "bak");
    obs_data_release(data);
    obs_data_array_release(bindings);
  }
  if (event == OBS_FRONTEND_EVENT_EXIT) {
    // Before modules unload: stop and join the workers, unregister from obs-websocket.
    g_alive = false;
    g_plugin->capture.stop();  // before the sources it taps are destroyed
    g_plugin->jobs->shutdown();
    g_plugin->vendor.unregister_all();
#if LIBOBS_API_MAJOR_VER >= 30
    obs_frontend_remove_dock("obs-music-video");  // OBS 30+ owns and deletes the dock and our widget
#endif
    obs_frontend_remove_event_callback(on_frontend_event, nullptr);
  }
}

void add_dock(mvplugin::MusicVideoDock* widget) {
#if LIBOBS_API_MAJOR_VER >= 30
  obs_frontend_add_dock_by_id("obs-music-video", obs_module_text("Dock.Title"), widget);
#else
  auto* main = static_cast<QMainWindow*>(obs_frontend_get_main_window());
  auto* dock = new QDockWidget(main);
  dock->setObjectName("obsMusicVideoDockWidget");
  dock->setWindowTitle(QString::fromUtf8(obs_module_text("Dock.Title")));
  dock->setWidget(widget);
  dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  main->addDockWidget(Qt::RightDockWidgetArea, dock);
  obs_frontend_add_dock(dock);
  g_plugin->dock_frame = dock;
#endif
}

}  // namespace

bool obs_module_load(void) {
  g_plugin = std::make_unique<Plugin>();
  g_plugin->config_dir = config_path("");
  std::error_code ec;
  std::filesystem::create_directories(g_plugin->config_dir, ec);
  g_plugin->settings_value = mvplugin::PluginSettings::load(g_plugin->config_dir / "settings.json");
  g_plugin->jobs = std::make_unique<mvplugin::JobManager>(
      g_plugin->config_dir / "jobs.json", g_plugin->config_dir / "cloud",
      [](const JobInfo& job) { on_ui_thread([job] { job_changed(job); }); });
  g_alive = true;

  auto* widget =
      new mvplugin::MusicVideoDock(*g_plugin->jobs, g_plugin->capture, [](const JobInfo& job) { import_job(job); });
  g_plugin->dock = widget;
  widget->bind_auto_generate(g_plugin->settings().generate_on_record_stop, [](bool on) {
    g_plugin->change_settings([on](mvplugin::PluginSettings& s) { s.generate_on_record_stop = on; });
  });
  add_dock(widget);

  g_plugin->hotkey = obs_hotkey_register_frontend(
      "obs_music_video.generate_last_recording", obs_module_text("Hotkey.GenerateLastRecording"),
      [](void*, obs_hotkey_id, obs_hotkey_t*, bool pressed) {
        if (pressed) on_ui_thread([] { if (g_plugin && g_plugin->dock) g_plugin->dock->generate_from_last_recording(); });
      },
      nullptr);
  if (obs_data_t* saved = obs_data_create_from_json_file_safe((g_plugin->config_dir / "hotkeys.json").c_str(), "bak")) {
    obs_data_array_t* bindings = obs_data_get_array(saved, "generate_last_recording");
    obs_hotkey_load(g_plugin->hotkey, bindings);
    obs_data_array_release(bindings);
    obs_data_release(saved);
  }
  obs_frontend_add_tools_menu_item(obs_module_text("Settings.Title"), [](void*) { open_settings(); }, nullptr);
  obs_frontend_add_event_callback(on_frontend_event, nullptr);
  blog(LOG_INFO, "[obs-music-video] loaded version %s", MV_VERSION);
  return true;
}

void obs_module_post_load(void) {
  if (g_plugin) register_websocket_requests();
}

void obs_module_unload(void) {
  // No obs_frontend_* and no obs_module_text here. The workers were joined on
  // OBS_FRONTEND_EVENT_EXIT; shutdown() is idempotent for the case it did not come.
  g_alive = false;
  if (g_plugin) {
    if (g_plugin->hotkey != OBS_INVALID_HOTKEY_ID) obs_hotkey_unregister(g_plugin->hotkey);
    g_plugin->jobs->shutdown();
    g_plugin.reset();
  }
}
