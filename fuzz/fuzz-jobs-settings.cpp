// fuzz-jobs-settings.cpp — the files we read back from disk, which a crash,
// a full disk or a user's editor may have left in any state: the cloud job
// file (mv::CloudJobStore, jobs.json), mv::read_json_file with its .bak
// fallback, and the plugin's settings (mvplugin::PluginSettings::load,
// compiled here from plugin/src/plugin-settings.cpp: plain C++, no OBS/Qt).
//
// Input: the file's bytes. Each run, in a scratch folder in /dev/shm:
//   * jobs.json = bytes → load(): every job survives to_json/from_json
//     unchanged; find(id) of a loaded job finds a job with that id; then
//     save() of a new job (atomic write, .bak kept) → load() has it last;
//   * settings.json missing, settings.json.bak = bytes → PluginSettings::load()
//     (the .bak fallback): the checked values stay in range (backend local or
//     cloud, aspect 16:9 / 9:16 / 1:1, 1..16 render threads) and to_json(false)
//     never carries the token.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz-support.hpp"
#include "mv/cloud/job-file.hpp"
#include "mv/base/json-file.hpp"
#include "plugin-settings.hpp"

namespace fs = std::filesystem;

namespace {

bool same(const mv::CloudJob& a, const mv::CloudJob& b) {
  return a.id == b.id && a.session_id == b.session_id && a.user_id == b.user_id && a.render_id == b.render_id &&
         a.output == b.output && a.state == b.state && a.error == b.error && a.inputs == b.inputs &&
         a.prompt == b.prompt && a.created_at == b.created_at && a.updated_at == b.updated_at;
}

void check_jobs(const fs::path& dir, std::string_view bytes) {
  const fs::path file = dir / "jobs.json";
  std::error_code ec;
  fs::remove(file, ec);
  fs::remove(dir / "jobs.json.bak", ec);
  mvfuzz::write_file(file, bytes);

  const mv::CloudJobStore store(file);
  const std::vector<mv::CloudJob> jobs = store.load();
  for (const mv::CloudJob& job : jobs) {
    mvfuzz::check(same(mv::CloudJob::from_json(job.to_json()), job), "a loaded job changes on to_json/from_json");
    (void)job.finished();
  }
  if (!jobs.empty()) {
    const auto found = store.find(jobs.front().id);
    mvfuzz::check(found.has_value() && found->id == jobs.front().id, "find() misses a job that load() returned");
  }

  mv::CloudJob fresh;
  fresh.id = "fuzz-job-0000";
  fresh.state = "rendering";
  fresh.render_id = "render_1";
  fresh.inputs = {"/tmp/song.mp3"};
  store.save(fresh);
  const std::vector<mv::CloudJob> after = store.load();
  mvfuzz::check(!after.empty(), "save() then load() gives no job");
  bool has = false;
  for (const auto& j : after) has = has || (j.id == fresh.id && j.render_id == fresh.render_id);
  mvfuzz::check(has, "the saved job is not in the file");
  mvfuzz::check(fs::exists(dir / "jobs.json.bak"), "save() kept no .bak of the previous file");
}

void check_settings(const fs::path& dir, std::string_view bytes) {
  const fs::path file = dir / "settings.json";
  std::error_code ec;
  fs::remove(file, ec);
  mvfuzz::write_file(dir / "settings.json.bak", bytes);

  const auto raw = mv::read_json_file(file);  // falls back to the .bak
  const mvplugin::PluginSettings s = mvplugin::PluginSettings::load(file);
  mvfuzz::check(s.backend == "local" || s.backend == "cloud", "backend out of range");
  mvfuzz::check(s.default_aspect == "16:9" || s.default_aspect == "9:16" || s.default_aspect == "1:1",
                "aspect out of range");
  mvfuzz::check(s.render_threads >= 1 && s.render_threads <= 16, "render_threads out of range");
  const nlohmann::json pub = s.to_json(false);
  mvfuzz::check(!pub.contains("token"), "to_json(false) carries the token");
  mvfuzz::check(pub["has_token"].get<bool>() == !s.token.empty(), "has_token is wrong");
  if (!raw) {
    const mvplugin::PluginSettings defaults;
    mvfuzz::check(s.to_json(true) == defaults.to_json(true), "an unreadable file did not give the defaults");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const fs::path& dir = mvfuzz::scratch_dir("jobs-settings");
  check_jobs(dir, bytes);
  check_settings(dir, bytes);
  return 0;
}
