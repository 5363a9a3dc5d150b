// cloud-jobs.cpp — the on-disk job list (see cloud-jobs.hpp).
#include "mv/cloud-jobs.hpp"

#include <chrono>

#include "mv/json-file.hpp"

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
  job.created_at = j.contains("created_at") && j["created_at"].is_number() ? j["created_at"].get<std::int64_t>() : 0;
  job.updated_at = j.contains("updated_at") && j["updated_at"].is_number() ? j["updated_at"].get<std::int64_t>() : 0;
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

void CloudJobStore::save(CloudJob job) const {
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
