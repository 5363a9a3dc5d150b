// cloud-flow.hpp — the cloud backend's quick flow (upload → instruction →
// state → export → poll → download) and its batch form, with every job kept
// in the job file so that a crash or restart loses no render.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "mv/cloud-client.hpp"
#include "mv/cloud-jobs.hpp"

namespace mv {

/// Progress of a cloud job: a stage ("session", "upload", "generate", "render",
/// "download", "done"), its fraction 0..1 and an optional message (backend
/// text, "still working" notices).
using CloudProgressFn = std::function<void(const std::string& stage, double fraction, const std::string& message)>;

/// One cloud generation: inputs uploaded into one session, one instruction,
/// one render downloaded to `output`.
struct CloudGenerateRequest {
  std::vector<std::filesystem::path> inputs;
  std::string prompt;                 ///< empty: "Make a music video for this song."
  std::filesystem::path output;
  bool force = false;
};

/// Runs the quick flow. The job is saved at each step, and always before the
/// first poll of its render. Errors: CloudError / Error (the job is saved as
/// failed with the message first; a cancelled job is kept as it was so that
/// `resume` can finish it).
CloudJob cloud_generate(CloudClient& client, const CloudJobStore& store, const CloudGenerateRequest& request,
                        const CloudProgressFn& progress = {});

/// Batch: several inputs, one session, one render each; output i is
/// `output_dir / <input stem>.mp4`. Returns the jobs (failed ones included;
/// one input's failure does not stop the others).
std::vector<CloudJob> cloud_generate_batch(CloudClient& client, const CloudJobStore& store,
                                           const std::vector<std::filesystem::path>& inputs, const std::string& prompt,
                                           const std::filesystem::path& output_dir, bool force,
                                           const CloudProgressFn& progress = {});

/// Resumes an unfinished job that has a render id: polls it and downloads.
CloudJob resume_cloud_job(CloudClient& client, const CloudJobStore& store, CloudJob job,
                          const CloudProgressFn& progress = {});

}  // namespace mv
