// cloud-config.cpp — see cloud-config.hpp.
#include "cloud-config.hpp"

#include <cctype>
#include <cstdlib>

#include "mv/base/json-file.hpp"
#include "mv/media/media.hpp"

namespace mvcli {

namespace fs = std::filesystem;

fs::path config_dir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') return fs::path(xdg) / mv::kProjectName;
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr ? home : ".") / ".config" / mv::kProjectName;
}

namespace {

/// "zh" from LC_ALL, LC_MESSAGES or LANG ("zh_CN.UTF-8"); nullopt for C/POSIX or unset.
std::optional<std::string> locale_language() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(var);
    if (value == nullptr || *value == '\0') continue;
    const std::string v = value;
    if (v.size() >= 2 && std::isalpha(static_cast<unsigned char>(v[0])) != 0 &&
        std::isalpha(static_cast<unsigned char>(v[1])) != 0 && v != "C" && v.rfind("POSIX", 0) != 0) {
      return v.substr(0, 2);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

mv::CloudSettings cloud_settings(const std::optional<std::string>& api_url) {
  mv::CloudSettings s;
  bool language_set = false;
  s.config_dir = config_dir();
  s.verify_download = mv::require_video_file;
  if (auto j = mv::read_json_file(s.config_dir / "settings.json"); j && j->is_object()) {
    s.base_url = j->value("api_url", std::string());
    s.skill_platform = j->value("skill_platform", s.skill_platform);
    if (j->contains("language")) {
      s.language = j->value("language", s.language);
      language_set = true;
    }
    s.registration_url = j->value("registration_url", s.registration_url);
    s.max_upload_mb = j->value("max_upload_mb", s.max_upload_mb);
  }
  if (api_url) s.base_url = *api_url;
  if (!language_set) {
    if (auto lang = locale_language()) s.language = *lang;
  }
  return s;
}

mv::CloudBackendOptions cloud_options(const std::optional<std::string>& api_url, bool reuse_session) {
  mv::CloudBackendOptions o;
  o.settings = cloud_settings(api_url);
  o.job_file = config_dir() / "jobs.json";
  o.reuse_session = reuse_session;
  return o;
}

}  // namespace mvcli
