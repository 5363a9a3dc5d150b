// scene-import.cpp — see scene-import.hpp.
#include "scene-import.hpp"

#include <obs-frontend-api.h>
#include <obs.h>
#include <util/config-file.h>

#include <cstring>

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

std::string import_into_current_scene(const std::string& path, bool looping) {
  obs_source_t* scene_source = obs_frontend_get_current_scene();
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

std::string last_recording_path() {
  static std::string finished;  // the UI thread's only
  if (obs_frontend_recording_active()) return finished;
  finished = take_bstr(obs_frontend_get_last_recording());
  return finished;
}

std::string last_replay_path() { return take_bstr(obs_frontend_get_last_replay()); }

namespace {

bool collect_item(obs_scene_t*, obs_sceneitem_t* item, void* param) {
  auto* out = static_cast<std::vector<SceneSourceInfo>*>(param);
  obs_source_t* src = obs_sceneitem_get_source(item);
  if (obs_sceneitem_is_group(item)) {
    obs_sceneitem_group_enum_items(item, collect_item, param);
    return true;
  }
  SceneSourceInfo info;
  info.id = obs_source_get_unversioned_id(src);
  info.name = obs_source_get_name(src);
  info.visible = obs_sceneitem_visible(item);
  obs_data_t* settings = obs_source_get_settings(src);
  const char* text = obs_data_get_json(settings);
  info.settings = nlohmann::json::parse(text != nullptr ? text : "{}", nullptr, false);
  obs_data_release(settings);
  out->push_back(std::move(info));
  return true;
}

}  // namespace

std::vector<SceneSourceInfo> current_scene_items() {
  std::vector<SceneSourceInfo> items;
  obs_source_t* scene_source = obs_frontend_get_current_scene();
  if (scene_source == nullptr) return items;
  obs_scene_enum_items(obs_scene_from_source(scene_source), collect_item, &items);
  obs_source_release(scene_source);
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
