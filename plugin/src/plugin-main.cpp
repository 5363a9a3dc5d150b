// plugin-main.cpp — the obs-music-video module: creates the job manager, the
// dock, the hotkey and the obs-websocket vendor, and tears them down in the
// order OBS needs (jobs cancelled and joined on OBS_FRONTEND_EVENT_EXIT,
// before modules unload; nothing calls obs_frontend_* or obs_module_text in
// obs_module_unload). Workers hand results to the UI thread with post_to_ui
// (plugin-context.hpp); the obs-websocket requests are in websocket-*.cpp.
#include <obs-frontend-api.h>
#include <obs-module.h>
#include <util/config-file.h>

#include <QDockWidget>
#include <QScrollArea>
#include <QScrollBar>
#include <QMainWindow>
#include <QMetaObject>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>

#include "input-discovery.hpp"
#include "live-look-source.hpp"
#include "mv/base/version.hpp"
#include "music-video-dock.hpp"
#include "plugin-context.hpp"
#include "scene-import.hpp"
#include "settings-dialog.hpp"
#include "ui-stall-meter.hpp"

OBS_DECLARE_MODULE()
OBS_MODULE_USE_DEFAULT_LOCALE("obs-music-video", "en-US")

MODULE_EXPORT const char* obs_module_description(void) { return "Turns audio into beat-synced music videos."; }

namespace mvplugin {

namespace {
std::unique_ptr<PluginContext> g_plugin;
std::atomic<bool> g_alive{false};
}  // namespace

PluginContext* plugin() { return g_plugin.get(); }

void post_to_ui(std::function<void()> fn, const char* label) {
  if (!g_alive.load()) return;
  auto* window = static_cast<QMainWindow*>(obs_frontend_get_main_window());
  if (window == nullptr) return;
  QMetaObject::invokeMethod(
      window,
      [fn = std::move(fn), label] {
        if (!g_alive.load()) return;
        const UiStallScope timed(ui_stall_meter(), label);
        fn();
      },
      Qt::QueuedConnection);
}

}  // namespace mvplugin

namespace {

using mvplugin::JobInfo;
using mvplugin::JobState;
using mvplugin::plugin;

std::string config_path(const char* name) {
  char* p = obs_module_config_path(name);
  std::string out = p != nullptr ? p : "";
  bfree(p);
  return out;
}

void import_job(const JobInfo& job) {
  const mvplugin::UiStallScope timed(mvplugin::ui_stall_meter(), "job.reimport");
  mvplugin::import_into_current_scene_async(job.output, plugin()->settings->get().looping,
                                            [id = job.id, output = job.output](const std::string& name) {
                                              if (plugin() == nullptr) return;
                                              plugin()->vendor.emit("JobImported", {{"jobId", id}, {"output", output}, {"sourceName", name}});
                                            });
}

/// UI thread: a job changed.
void job_changed(const JobInfo& job) {
  auto* p = plugin();
  if (p == nullptr) return;
  if (p->dock) p->dock->job_changed(job);
  if (!mv::job_finished(job.state) || job.state == JobState::Interrupted) {
    p->vendor.emit("JobProgress", {{"jobId", job.id}, {"stage", job.stage}, {"progress", job.progress}});
    return;
  }
  nlohmann::json event = job.to_json();
  const auto settings = p->settings->get();
  if (job.state == JobState::Done && settings.auto_import && p->imported.insert(job.id).second) {
    const mvplugin::UiStallScope timed(mvplugin::ui_stall_meter(), "job.import");
    // JobCompleted once the video is in the scene, with its source's name.
    mvplugin::import_into_current_scene_async(job.output, settings.looping, [event](const std::string& name) mutable {
      if (plugin() == nullptr) return;
      event["sourceName"] = name;
      plugin()->vendor.emit("JobCompleted", event);
    });
    return;
  }
  p->vendor.emit("JobCompleted", event);
}

/// The job of "generate when a recording stops": the recording with the
/// settings' defaults (style, aspect, output folder, threads, priority).
void submit_recording(const std::string& path) {
  mv::JobSpec spec;
  spec.inputs = {path};
  plugin()->settings->get().apply_to(spec, /*with_aspect=*/true);
  try {
    plugin()->jobs->submit(std::move(spec));
  } catch (const std::exception& e) {
    blog(LOG_WARNING, "[obs-music-video] cannot make a video of %s: %s", path.c_str(), e.what());
  }
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
    if (!mvplugin::g_alive.load() || plugin() == nullptr) {
      timer->deleteLater();
      return;
    }
    if (stable || ++*ticks > 240) {
      timer->deleteLater();
      submit_recording(stable ? target.string() : recording);
    }
  });
  timer->start(500);
}

/// UI thread: the dock follows the settings (output folder, render threads and priority, music folder).
void apply_settings_to_dock() {
  auto* p = plugin();
  if (p == nullptr || !p->dock) return;
  const auto settings = p->settings->get();
  p->dock->output_dir = settings.output_dir;
  p->dock->render_threads = settings.render_threads;
  p->dock->render_priority = mv::priority_from_id(settings.render_priority).value_or(mv::RenderPriority::Idle);
  p->dock->music_dir = settings.music_dir;
}

/// UI thread: every 100 ms, how late the event loop ran this timer (all of
/// OBS's UI work, not only ours), for GetDiagnostics.
void start_loop_probe() {
  auto* timer = new QTimer(static_cast<QMainWindow*>(obs_frontend_get_main_window()));
  auto last = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
  QObject::connect(timer, &QTimer::timeout, timer, [timer, last] {
    if (!mvplugin::g_alive.load()) {
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

/// UI thread: the settings dialog (Tools menu). The file is written by the settings' saver thread.
void open_settings() {
  auto* p = plugin();
  if (p == nullptr) return;
  mvplugin::SettingsDialog dialog(p->settings->get(), static_cast<QMainWindow*>(obs_frontend_get_main_window()));
  if (dialog.exec() != QDialog::Accepted) return;
  const mvplugin::UiStallScope timed(mvplugin::ui_stall_meter(), "settings.apply");
  const auto edited = dialog.result();
  p->settings->change([&](mvplugin::PluginSettings& s) { s = edited; });
  p->jobs->set_cloud(edited.api_url, edited.token);
  apply_settings_to_dock();
}

/// The vendor's requests, one table per domain (websocket-*.cpp).
void register_websocket_requests() {
  auto& v = plugin()->vendor;
  if (!v.register_vendor(mv::kProjectName)) {
    blog(LOG_INFO, "[obs-music-video] obs-websocket not available; vendor requests disabled");
    return;
  }
  for (const auto* table : {&mvplugin::job_requests(), &mvplugin::cloud_requests(), &mvplugin::settings_requests(),
                            &mvplugin::buffer_requests(), &mvplugin::live_requests()}) {
    for (const auto& r : *table) v.add_request(r.type, r.handler);
  }
}

/// The dock's width when it first appears, pixels (its content needs at most 320).
constexpr int kFirstDockWidth = 340;

/// The QDockWidget around the dock's content: ours (OBS 29) or OBS's (OBS 30+).
QDockWidget* dock_frame_of(QWidget* content) {
  for (QWidget* w = content; w != nullptr; w = w->parentWidget()) {
    if (auto* frame = qobject_cast<QDockWidget*>(w)) return frame;
  }
  return nullptr;
}

/// OBS has loaded: outputs and scenes exist, the dock can read them.
void on_finished_loading() {
  auto* p = plugin();
  const std::string folder = mvplugin::recording_folder();
  p->settings->change([&](mvplugin::PluginSettings& s) {
    if (s.output_dir.empty()) s.output_dir = folder;
  });
  apply_settings_to_dock();
  if (p->dock) p->dock->refresh_input_choices();
  start_loop_probe();
  // Cloud renders submitted before OBS closed (or crashed) are polled and downloaded now.
  const auto settings = p->settings->get();
  p->jobs->set_cloud(settings.api_url, settings.token);
  p->jobs->resume_cloud_jobs();
  // OBS restores (or resets) the docks after loading: a fresh profile's reset leaves
  // third-party docks hidden and floating over the preview. A newly installed plugin
  // shows its dock once, docked on the right beside OBS's own docks; after that the
  // user's choice is kept by OBS.
  if (!settings.dock_introduced) {
    if (QDockWidget* frame = dock_frame_of(p->dock)) {
      auto* main = static_cast<QMainWindow*>(obs_frontend_get_main_window());
      frame->setFloating(false);
      main->addDockWidget(Qt::RightDockWidgetArea, frame);
      frame->setVisible(true);
      main->resizeDocks({frame}, {kFirstDockWidth}, Qt::Horizontal);
    }
    p->settings->change([](mvplugin::PluginSettings& s) { s.dock_introduced = true; });
  }
}

void on_frontend_event(enum obs_frontend_event event, void*);

/// OBS is closing, before modules unload. In this order: no new websocket
/// requests, no audio callbacks into sources that are about to go, jobs
/// cancelled and joined (bounded: a job stops within a frame or a second),
/// settings written (at most 5 s), then the dock removed.
void on_exit() {
  auto* p = plugin();
  if (p->hotkey != OBS_INVALID_HOTKEY_ID) {
    // The hotkey's bindings, saved the way OBS saves its own JSON (temporary file + .bak).
    obs_data_array_t* bindings = obs_hotkey_save(p->hotkey);
    obs_data_t* data = obs_data_create();
    obs_data_set_array(data, "generate_last_recording", bindings);
    obs_data_save_json_safe(data, (p->config_dir / "hotkeys.json").c_str(), "tmp", "bak");
    obs_data_release(data);
    obs_data_array_release(bindings);
  }
  mvplugin::g_alive = false;
  p->vendor.unregister_all();
  p->capture.stop();
  p->jobs->shutdown();
  if (!p->settings->flush()) blog(LOG_WARNING, "[obs-music-video] the settings were not written in time");
#if LIBOBS_API_MAJOR_VER >= 30
  obs_frontend_remove_dock("obs-music-video");  // OBS 30+ owns and deletes the dock and our widget
#endif
  obs_frontend_remove_event_callback(on_frontend_event, nullptr);
}

const char* event_label(enum obs_frontend_event event) {
  switch (event) {
    case OBS_FRONTEND_EVENT_FINISHED_LOADING: return "frontend.finished_loading";
    case OBS_FRONTEND_EVENT_RECORDING_STOPPED: return "frontend.recording_stopped";
    case OBS_FRONTEND_EVENT_REPLAY_BUFFER_SAVED: return "frontend.replay_saved";
    case OBS_FRONTEND_EVENT_SCENE_CHANGED: return "frontend.scene_changed";
    case OBS_FRONTEND_EVENT_EXIT: return "frontend.exit";
    default: return "frontend.event";
  }
}

void on_frontend_event(enum obs_frontend_event event, void*) {
  auto* p = plugin();
  if (p == nullptr) return;
  const mvplugin::UiStallScope timed(mvplugin::ui_stall_meter(), event_label(event));
  if (event == OBS_FRONTEND_EVENT_FINISHED_LOADING) on_finished_loading();
  if (event == OBS_FRONTEND_EVENT_RECORDING_STOPPED && p->settings->get().generate_on_record_stop) {
    generate_from_finished_recording();
  }
  if ((event == OBS_FRONTEND_EVENT_RECORDING_STOPPED || event == OBS_FRONTEND_EVENT_REPLAY_BUFFER_SAVED ||
       event == OBS_FRONTEND_EVENT_SCENE_CHANGED) && p->dock) {
    p->dock->refresh_input_choices();
  }
  if (event == OBS_FRONTEND_EVENT_EXIT) on_exit();
}

void add_dock(mvplugin::MusicVideoDock* content) {
  // In a scroll area: on a short screen the dock scrolls instead of squeezing
  // its rows into each other (the preview and the job list need their height).
  auto* widget = new QScrollArea();
  widget->setObjectName("obsMusicVideoScroll");
  widget->setWidgetResizable(true);
  widget->setFrameShape(QFrame::NoFrame);
  widget->setWidget(content);
  // Never sideways: the dock cannot get narrower than its content needs.
  widget->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  widget->setMinimumWidth(content->minimumSizeHint().width() + widget->verticalScrollBar()->sizeHint().width());
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
  plugin()->dock_frame = dock;
#endif
}

void register_hotkey() {
  auto* p = plugin();
  p->hotkey = obs_hotkey_register_frontend(
      "obs_music_video.generate_last_recording", obs_module_text("Hotkey.GenerateLastRecording"),
      [](void*, obs_hotkey_id, obs_hotkey_t*, bool pressed) {
        // OBS's hotkey thread: the dock (UI thread) builds and submits the job.
        if (pressed) {
          mvplugin::post_to_ui([] { if (plugin() != nullptr && plugin()->dock) plugin()->dock->generate_from_last_recording(); },
                               "hotkey.generate");
        }
      },
      nullptr);
  if (obs_data_t* saved = obs_data_create_from_json_file_safe((p->config_dir / "hotkeys.json").c_str(), "bak")) {
    obs_data_array_t* bindings = obs_data_get_array(saved, "generate_last_recording");
    obs_hotkey_load(p->hotkey, bindings);
    obs_data_array_release(bindings);
    obs_data_release(saved);
  }
}

}  // namespace

bool obs_module_load(void) {
  mvplugin::g_plugin = std::make_unique<mvplugin::PluginContext>();
  mvplugin::g_alive = true;
  auto* p = plugin();
  p->config_dir = config_path("");
  std::error_code ec;
  std::filesystem::create_directories(p->config_dir, ec);
  p->settings = std::make_unique<mvplugin::SettingsStore>(p->config_dir / "settings.json");
  p->settings->on_error = [](const std::string& message) {
    blog(LOG_WARNING, "[obs-music-video] cannot save settings: %s", message.c_str());
  };
  p->jobs = std::make_unique<mvplugin::JobManager>(
      p->config_dir / "jobs.json", p->config_dir / "cloud",
      [](const JobInfo& job) { mvplugin::post_to_ui([job] { job_changed(job); }, "job.changed"); });
  auto* widget = new mvplugin::MusicVideoDock(*p->jobs, p->capture, [](const JobInfo& job) { import_job(job); });
  p->dock = widget;
  widget->cache_dir = p->config_dir;
  widget->bind_auto_generate(p->settings->get().generate_on_record_stop, [](bool on) {
    plugin()->settings->change([on](mvplugin::PluginSettings& s) { s.generate_on_record_stop = on; });
  });
  add_dock(widget);
  mvplugin::register_live_look_source();
  register_hotkey();
  obs_frontend_add_tools_menu_item(obs_module_text("Settings.Title"), [](void*) { open_settings(); }, nullptr);
  obs_frontend_add_event_callback(on_frontend_event, nullptr);
  blog(LOG_INFO, "[%s] loaded version %s", mv::kProjectName, mv::kVersion);
  return true;
}

void obs_module_post_load(void) {
  if (plugin() != nullptr) register_websocket_requests();
}

void obs_module_unload(void) {
  // No obs_frontend_* and no obs_module_text here. The workers were joined on
  // OBS_FRONTEND_EVENT_EXIT; shutdown() is idempotent for the case it did not come.
  mvplugin::g_alive = false;
  if (auto* p = plugin()) {
    if (p->hotkey != OBS_INVALID_HOTKEY_ID) obs_hotkey_unregister(p->hotkey);
    p->jobs->shutdown();
  }
  // The drawing threads of removed look sources (OBS destroyed every source before unloading modules).
  mvplugin::join_finished_live_looks();
  mvplugin::g_plugin.reset();
}
