// plugin-settings.cpp — see plugin-settings.hpp.
#include "plugin-settings.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "mv/json-file.hpp"

namespace mvplugin {

PluginSettings PluginSettings::load(const std::filesystem::path& path) {
  PluginSettings s;
  const auto j = mv::read_json_file(path);
  if (!j || !j->is_object()) return s;
  s.backend = j->value("backend", s.backend);
  if (s.backend != "local" && s.backend != "cloud") s.backend = "local";
  s.api_url = j->value("api_url", s.api_url);
  s.output_dir = j->value("output_dir", s.output_dir);
  s.default_style = j->value("default_style", s.default_style);
  s.default_aspect = j->value("default_aspect", s.default_aspect);
  s.auto_import = j->value("auto_import", s.auto_import);
  s.looping = j->value("looping", s.looping);
  s.render_threads = std::clamp(j->value("render_threads", s.render_threads), 1, 16);
  s.dock_introduced = j->value("dock_introduced", s.dock_introduced);
  return s;
}

void PluginSettings::save(const std::filesystem::path& path) const {
  mv::write_json_file(path,
                      {{"backend", backend},
                       {"api_url", api_url},
                       {"output_dir", output_dir},
                       {"default_style", default_style},
                       {"default_aspect", default_aspect},
                       {"auto_import", auto_import},
                       {"looping", looping},
                       {"render_threads", render_threads},
                       {"dock_introduced", dock_introduced}},
                      0600);
}

}  // namespace mvplugin
