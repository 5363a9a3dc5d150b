// scene-import.cpp — see scene-import.hpp.
#include "scene-import.hpp"

#include <obs-frontend-api.h>
#include <obs.h>
#include <util/config-file.h>

#include <cstring>

#include "job-manager.hpp"
#include "mv/base/progress.hpp"
#include "plugin-context.hpp"

namespace mvplugin {

namespace {

/// A name no source uses yet: base, then "base 2", "base 3", ...
std::string unique_source_name(const std::string& base) {
  for (int n = 1;; ++n) {
    std::string name = n == 1 ? base : base + " " + std::to_string(n);
    obs_source_t* existing = obs_get_source_by_name(name.c_str());
    if (existing == nullptr) return name;
    obs_source_release(existing);
  }
}

std::string take_bstr(char* s) {
  std::string out = s != nullptr ? s : "";
  bfree(s);
  return out;
}

}  // namespace

SceneRef current_scene_ref() {
  obs_source_t* scene = obs_frontend_get_current_scene();
  if (scene == nullptr) return {};
  SceneRef ref(obs_source_get_weak_source(scene), obs_weak_source_release);
  obs_source_release(scene);
  return ref;
}

namespace {

/// The scene behind `ref` while it is still in OBS (a reference: release it), else null.
obs_source_t* live_scene(const SceneRef& ref) {
  if (!ref) return nullptr;
  obs_source_t* scene = obs_weak_source_get_source(ref.get());
  if (scene != nullptr && obs_source_removed(scene)) {
    obs_source_release(scene);
    return nullptr;
  }
  return scene;
}

}  // namespace

std::string import_into_scene(const SceneRef& ref, const std::string& path, bool looping) {
  obs_source_t* scene_source = live_scene(ref);
  if (scene_source == nullptr) return {};
  obs_scene_t* scene = obs_scene_from_source(scene_source);
  const std::string name = unique_source_name("Music Video");
  obs_data_t* settings = obs_data_create();
  obs_data_set_bool(settings, "is_local_file", true);
  obs_data_set_string(settings, "local_file", path.c_str());
  obs_data_set_bool(settings, "looping", looping);
  obs_data_set_bool(settings, "restart_on_activate", true);
  obs_data_set_bool(settings, "close_when_inactive", true);
  obs_source_t* source = obs_source_create("ffmpeg_source", name.c_str(), settings, nullptr);
  obs_data_release(settings);
  std::string result;
  if (source != nullptr && scene != nullptr) {
    obs_sceneitem_t* item = obs_scene_add(scene, source);
    if (item != nullptr) {
      obs_video_info ovi{};
      obs_get_video_info(&ovi);
      vec2 bounds{};
      bounds.x = static_cast<float>(ovi.base_width);
      bounds.y = static_cast<float>(ovi.base_height);
      vec2 origin{};
      obs_sceneitem_set_alignment(item, OBS_ALIGN_LEFT | OBS_ALIGN_TOP);
      obs_sceneitem_set_pos(item, &origin);
      obs_sceneitem_set_bounds_type(item, OBS_BOUNDS_SCALE_INNER);
      obs_sceneitem_set_bounds_alignment(item, OBS_ALIGN_CENTER);
      obs_sceneitem_set_bounds(item, &bounds);
      result = name;
    }
  }
  obs_source_release(source);
  obs_source_release(scene_source);
  return result;
}

void import_into_current_scene_async(const std::string& path, bool looping, std::function<void(const std::string&)> done) {
  PluginContext* p = plugin();
  if (p == nullptr) return;
  p->jobs->run_async([scene = current_scene_ref(), path, looping, done = std::move(done)](const mv::CancelToken& cancel) {
    const std::string name = cancel.requested() ? std::string() : import_into_scene(scene, path, looping);
    post_to_ui([name, done] { done(name); }, "job.imported");
  });
}

std::string last_recording_path() {
  static std::string finished;  // the UI thread's only
  if (obs_frontend_recording_active()) return finished;
  finished = take_bstr(obs_frontend_get_last_recording());
  return finished;
}

std::string last_replay_path() { return take_bstr(obs_frontend_get_last_replay()); }

namespace {

/// One item as seen under the scene's lock: its source (a reference) and visibility.
struct HeldItem {
  obs_source_t* source;
  bool visible;
};

/// Under the scene's (or group's) lock: only references are taken, so the lock
/// is held for microseconds; settings are read after it is released.
bool hold_item(obs_scene_t*, obs_sceneitem_t* item, void* param) {
  if (obs_sceneitem_is_group(item)) {
    obs_sceneitem_group_enum_items(item, hold_item, param);
    return true;
  }
  obs_source_t* src = obs_source_get_ref(obs_sceneitem_get_source(item));
  if (src != nullptr) static_cast<std::vector<HeldItem>*>(param)->push_back({src, obs_sceneitem_visible(item)});
  return true;
}

}  // namespace

std::vector<SceneSourceInfo> scene_items(const SceneRef& ref) {
  std::vector<SceneSourceInfo> items;
  obs_source_t* scene = live_scene(ref);
  if (scene == nullptr) return items;
  std::vector<HeldItem> held;
  obs_scene_enum_items(obs_scene_from_source(scene), hold_item, &held);
  obs_source_release(scene);
  for (const HeldItem& h : held) {
    SceneSourceInfo info;
    info.id = obs_source_get_unversioned_id(h.source);
    info.name = obs_source_get_name(h.source);
    info.visible = h.visible;
    obs_data_t* settings = obs_source_get_settings(h.source);
    const char* text = obs_data_get_json(settings);
    info.settings = nlohmann::json::parse(text != nullptr ? text : "{}", nullptr, false);
    obs_data_release(settings);
    obs_source_release(h.source);
    items.push_back(std::move(info));
  }
  return items;
}

bool auto_remux_enabled() {
  config_t* profile = obs_frontend_get_profile_config();
  return profile != nullptr && config_get_bool(profile, "Video", "AutoRemux");
}

std::string recording_folder() {
  config_t* profile = obs_frontend_get_profile_config();
  if (profile == nullptr) return {};
  const char* mode = config_get_string(profile, "Output", "Mode");
  const bool advanced = mode != nullptr && std::strcmp(mode, "Advanced") == 0;
  const char* path = advanced ? config_get_string(profile, "AdvOut", "RecFilePath")
                              : config_get_string(profile, "SimpleOutput", "FilePath");
  return path != nullptr ? path : "";
}

}  // namespace mvplugin
