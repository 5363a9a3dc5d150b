// job-file.cpp — the on-disk job list (see mv/cloud/job-file.hpp).
#include "mv/cloud/job-file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <limits>

#include "mv/base/json-file.hpp"

namespace mv {

namespace {

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

nlohmann::json CloudJob::to_json() const {
  return {{"id", id},         {"session_id", session_id}, {"user_id", user_id},   {"render_id", render_id},
          {"output", output}, {"state", state},           {"error", error},       {"inputs", inputs},
          {"prompt", prompt}, {"created_at", created_at}, {"updated_at", updated_at}};
}

CloudJob CloudJob::from_json(const nlohmann::json& j) {
  CloudJob job;
  auto s = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
  job.id = s("id");
  job.session_id = s("session_id");
  job.user_id = s("user_id");
  job.render_id = s("render_id");
  job.output = s("output");
  job.state = s("state");
  job.error = s("error");
  job.prompt = s("prompt");
  if (j.contains("inputs") && j["inputs"].is_array()) {
    for (const auto& v : j["inputs"]) {
      if (v.is_string()) job.inputs.push_back(v.get<std::string>());
    }
  }
  // Unix seconds: an integer, or a number with a fraction (truncated); 0 when
  // absent or not representable (a float like 1e300 must not be converted).
  auto seconds = [&](const char* k) -> std::int64_t {
    if (!j.contains(k)) return 0;
    const auto& v = j[k];
    if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      return u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ? static_cast<std::int64_t>(u) : 0;
    }
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number_float()) {
      const double d = v.get<double>();
      return d > -9.2e18 && d < 9.2e18 ? static_cast<std::int64_t>(d) : 0;
    }
    return 0;
  };
  job.created_at = seconds("created_at");
  job.updated_at = seconds("updated_at");
  return job;
}

CloudJobStore::CloudJobStore(std::filesystem::path file) : file_(std::move(file)) {}

std::vector<CloudJob> CloudJobStore::load() const {
  std::vector<CloudJob> jobs;
  const auto j = read_json_file(file_);
  if (!j || !j->is_array()) return jobs;
  for (const auto& item : *j) {
    if (item.is_object()) jobs.push_back(CloudJob::from_json(item));
  }
  return jobs;
}

namespace {

/// Holds an exclusive flock on `<file>.lock` for the duration of a
/// load-modify-write, so concurrent saves (threads of one process, or mvgen
/// and the plugin) never drop each other's jobs. Best effort: without a lock
/// file (read-only folder) the save goes on and write_json_file reports errors.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& file) {
    std::filesystem::path lock = file;
    lock += ".lock";
    std::error_code ec;
    const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
    if (!std::filesystem::exists(dir, ec)) {  // as write_json_file would create it: private
      std::filesystem::create_directories(dir, ec);
      ::chmod(dir.c_str(), 0700);
    }
    fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0) {
      while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
    }
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace

void CloudJobStore::save(CloudJob job) const {
  const FileLock lock(file_);
  auto jobs = load();
  job.updated_at = now_s();
  if (job.created_at == 0) job.created_at = job.updated_at;
  bool replaced = false;
  for (auto& existing : jobs) {
    if (existing.id == job.id) {
      existing = job;
      replaced = true;
    }
  }
  if (!replaced) jobs.push_back(job);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& j : jobs) out.push_back(j.to_json());
  write_json_file(file_, out, 0600);
}

std::optional<CloudJob> CloudJobStore::find(const std::string& id) const {
  for (auto& j : load()) {
    if (j.id == id) return j;
  }
  return std::nullopt;
}

}  // namespace mv
