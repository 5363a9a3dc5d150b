// input-discovery.cpp — see input-discovery.hpp.
#include "input-discovery.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace mvplugin {

namespace fs = std::filesystem;

namespace {

std::string string_of(const nlohmann::json& settings, const char* key) {
  if (!settings.is_object() || !settings.contains(key) || !settings[key].is_string()) return {};
  return settings[key].get<std::string>();
}

/// Paths of an OBS "editable list" setting: [{"value": path, "hidden": bool, ...}].
std::vector<std::string> list_values(const nlohmann::json& settings, const char* key) {
  std::vector<std::string> out;
  if (!settings.is_object() || !settings.contains(key) || !settings[key].is_array()) return out;
  for (const auto& entry : settings[key]) {
    if (!entry.is_object() || !entry.contains("value") || !entry["value"].is_string()) continue;
    if (entry.value("hidden", false)) continue;
    std::string path = entry["value"].get<std::string>();
    std::error_code ec;
    if (path.empty() || fs::is_directory(path, ec)) continue;  // a folder entry: its files are not listed here
    out.push_back(std::move(path));
  }
  return out;
}

}  // namespace

std::vector<std::string> source_files(const std::string& id, const nlohmann::json& settings) {
  if (id == "ffmpeg_source") {
    const bool local = !settings.is_object() || !settings.contains("is_local_file") || !settings["is_local_file"].is_boolean() ||
                       settings["is_local_file"].get<bool>();
    std::string file = local ? string_of(settings, "local_file") : std::string();
    if (file.empty()) return {};
    return {file};
  }
  if (id == "image_source") {
    std::string file = string_of(settings, "file");
    if (file.empty()) return {};
    return {file};
  }
  if (id == "slideshow") return list_values(settings, "files");
  if (id == "vlc_source") return list_values(settings, "playlist");
  return {};
}

std::string remuxed_recording_path(const std::string& recording, bool auto_remux) {
  if (recording.empty() || !auto_remux) return recording;
  fs::path p = recording;
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".mp4") return recording;
  p.replace_extension(".mp4");
  return p.string();
}

std::vector<InputChoice> discover_inputs(const std::string& last_recording, bool auto_remux, const std::string& last_replay,
                                         const std::vector<SceneSourceInfo>& scene_items,
                                         const std::function<bool(const std::string&)>& exists) {
  const auto file_exists = [&](const std::string& p) {
    if (exists) return exists(p);
    std::error_code ec;
    return fs::exists(p, ec);
  };
  std::vector<InputChoice> out;
  std::set<std::string> seen;
  auto add = [&](InputChoice::Kind kind, const std::string& path, const std::string& source) {
    if (path.empty() || !seen.insert(path).second) return;
    out.push_back({kind, path, source});
  };
  if (!last_recording.empty()) {
    const std::string remuxed = remuxed_recording_path(last_recording, auto_remux);
    add(InputChoice::Kind::Recording, remuxed != last_recording && file_exists(remuxed) ? remuxed : last_recording, {});
  }
  add(InputChoice::Kind::Replay, last_replay, {});
  for (const bool visible_pass : {true, false}) {
    for (const auto& item : scene_items) {
      if (item.visible != visible_pass) continue;
      const auto kind = item.id == "image_source" || item.id == "slideshow" ? InputChoice::Kind::SceneImage
                                                                            : InputChoice::Kind::SceneMedia;
      for (const auto& file : source_files(item.id, item.settings)) add(kind, file, item.name);
    }
  }
  return out;
}

}  // namespace mvplugin
