// plugin-settings.cpp — see plugin-settings.hpp.
#include "plugin-settings.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "mv/json-file.hpp"

namespace mvplugin {

nlohmann::json PluginSettings::to_json(bool with_secrets) const {
  nlohmann::json j = {{"backend", backend},
          {"api_url", api_url},
          {"output_dir", output_dir},
          {"default_style", default_style},
          {"default_aspect", default_aspect},
          {"auto_import", auto_import},
          {"looping", looping},
          {"render_threads", render_threads},
          {"render_priority", render_priority},
          {"dock_introduced", dock_introduced},
          {"generate_on_record_stop", generate_on_record_stop}};
  if (with_secrets) {
    j["token"] = token;
  } else {
    j["has_token"] = !token.empty();
  }
  return j;
}

void PluginSettings::apply_json(const nlohmann::json& j) {
  if (!j.is_object()) return;
  auto text = [&](const char* key, std::string& out) {
    if (j.contains(key) && j[key].is_string()) out = j[key].get<std::string>();
  };
  auto flag = [&](const char* key, bool& out) {
    if (j.contains(key) && j[key].is_boolean()) out = j[key].get<bool>();
  };
  text("backend", backend);
  if (backend != "local" && backend != "cloud") backend = "local";
  text("api_url", api_url);
  text("token", token);
  text("output_dir", output_dir);
  text("default_style", default_style);
  text("default_aspect", default_aspect);
  if (default_aspect != "16:9" && default_aspect != "9:16" && default_aspect != "1:1") default_aspect = "16:9";
  text("render_priority", render_priority);
  if (render_priority != "idle" && render_priority != "low" && render_priority != "normal") render_priority = "idle";
  flag("auto_import", auto_import);
  flag("looping", looping);
  flag("dock_introduced", dock_introduced);
  flag("generate_on_record_stop", generate_on_record_stop);
  if (j.contains("render_threads") && j["render_threads"].is_number_integer()) {
    render_threads = std::clamp(j["render_threads"].get<int>(), 1, 16);
  }
}

PluginSettings PluginSettings::load(const std::filesystem::path& path) {
  PluginSettings s;
  if (const auto j = mv::read_json_file(path)) s.apply_json(*j);
  return s;
}

void PluginSettings::save(const std::filesystem::path& path) const { mv::write_json_file(path, to_json(true), 0600); }

}  // namespace mvplugin
