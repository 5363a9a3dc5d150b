// job-file.hpp — cloud jobs kept on disk so that no render is orphaned:
// the render id, session and output are written (atomic replace, .bak kept)
// before the first poll, and `mvgen jobs resume` picks them up after a crash.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mv {

/// One cloud job.
struct CloudJob {
  std::string id;          ///< local job id (UUID v4)
  std::string session_id;
  std::string user_id;
  std::string render_id;   ///< empty until submitted
  std::string output;      ///< the MP4 to write
  std::string state;       ///< "uploading", "generating", "rendering", "downloading", "done", "failed", "cancelled"
  std::string error;       ///< message when failed
  std::vector<std::string> inputs;
  std::string prompt;
  std::int64_t created_at = 0, updated_at = 0;  ///< Unix seconds

  [[nodiscard]] bool finished() const { return state == "done" || state == "failed" || state == "cancelled"; }
  [[nodiscard]] nlohmann::json to_json() const;
  static CloudJob from_json(const nlohmann::json& j);
};

/// The job file (`jobs.json` in the config folder): a JSON array of jobs.
class CloudJobStore {
 public:
  explicit CloudJobStore(std::filesystem::path file);
  /// All jobs, oldest first. A missing file is an empty list; a corrupt one
  /// falls back to its .bak.
  [[nodiscard]] std::vector<CloudJob> load() const;
  /// Inserts or replaces the job with the same id (updated_at set to now) and
  /// writes the file atomically, under an exclusive lock on `<file>.lock` so
  /// concurrent saves from threads or processes lose no job. Errors: Error{Output}.
  void save(CloudJob job) const;
  [[nodiscard]] std::optional<CloudJob> find(const std::string& id) const;
  [[nodiscard]] const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

}  // namespace mv
