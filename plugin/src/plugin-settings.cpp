// plugin-settings.cpp — see plugin-settings.hpp.
#include "plugin-settings.hpp"

#include "mv/jobs/job-spec.hpp"
#include "mv/render/look.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "mv/base/json-file.hpp"

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
          {"encoder", encoder},
          {"dock_introduced", dock_introduced},
          {"generate_on_record_stop", generate_on_record_stop},
          {"music_dir", music_dir}};
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
  if (!mv::backend_from_id(backend)) backend = mv::backend_id(mv::Backend::Local);
  text("api_url", api_url);
  text("token", token);
  text("output_dir", output_dir);
  text("music_dir", music_dir);
  text("default_style", default_style);
  const auto& styles = mv::style_names();
  if (!default_style.empty() && std::find(styles.begin(), styles.end(), default_style) == styles.end()) default_style.clear();
  text("default_aspect", default_aspect);
  if (default_aspect != "auto" && !mv::aspect_from_id(default_aspect)) default_aspect = "auto";
  text("render_priority", render_priority);
  if (!mv::priority_from_id(render_priority)) render_priority = mv::priority_id(mv::RenderPriority::Idle);
  text("encoder", encoder);
  if (const auto& e = mv::video_encoder_names(); std::find(e.begin(), e.end(), encoder) == e.end()) encoder = e.front();
  flag("auto_import", auto_import);
  flag("looping", looping);
  flag("dock_introduced", dock_introduced);
  flag("generate_on_record_stop", generate_on_record_stop);
  if (j.contains("render_threads") && j["render_threads"].is_number_integer()) {
    render_threads = std::clamp(j["render_threads"].get<int>(), 1, 16);
  }
}

void PluginSettings::apply_to(mv::JobSpec& spec, bool with_aspect) const {
  if (spec.output_dir.empty() && spec.output.empty()) spec.output_dir = output_dir;
  if (!spec.look.name && !default_style.empty()) spec.look.name = default_style;
  if (with_aspect) spec.framing.aspect = mv::aspect_from_id(default_aspect);  // "auto": the input's shape
  spec.threads = render_threads;
  spec.encoder = encoder;
  spec.priority = mv::priority_from_id(render_priority).value_or(mv::RenderPriority::Idle);
  if (spec.kind == mv::JobKind::BackgroundMusic && spec.music.empty()) spec.music = music_dir;
}

PluginSettings PluginSettings::load(const std::filesystem::path& path) {
  PluginSettings s;
  if (const auto j = mv::read_json_file(path)) s.apply_json(*j);
  return s;
}

void PluginSettings::save(const std::filesystem::path& path) const { mv::write_json_file(path, to_json(true), 0600); }

SettingsStore::SettingsStore(std::filesystem::path file)
    : file_(std::move(file)), settings_(PluginSettings::load(file_)), saver_([this] { run(); }) {}

SettingsStore::~SettingsStore() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  saver_.join();
}

PluginSettings SettingsStore::get() const {
  std::lock_guard lock(mutex_);
  return settings_;
}

void SettingsStore::change(const std::function<void(PluginSettings&)>& change) {
  {
    std::lock_guard lock(mutex_);
    change(settings_);
    ++wanted_;
  }
  wake_.notify_all();
}

bool SettingsStore::flush(std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  const std::uint64_t want = wanted_;
  return wake_.wait_for(lock, limit, [&] { return written_ >= want; });
}

void SettingsStore::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || wanted_ != written_; });
    if (wanted_ == written_) return;  // stopping with nothing left to write
    const std::uint64_t version = wanted_;
    const PluginSettings copy = settings_;
    lock.unlock();
    try {
      copy.save(file_);
    } catch (const std::exception& e) {
      if (on_error) on_error(e.what());
    }
    lock.lock();
    written_ = version;
    wake_.notify_all();
  }
}

}  // namespace mvplugin
