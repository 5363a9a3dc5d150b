// websocket-jobs.cpp — obs-websocket requests about jobs: Generate, GetJob,
// ListJobs, CancelJob, EditJob. They run on obs-websocket's thread and only
// use the thread-safe JobManager and SettingsStore: each answers at once.
#include <stdexcept>

#include "plugin-context.hpp"

namespace mvplugin {

namespace {

using json = nlohmann::json;

/// {"input": path or [paths], "backend", "kind", "prompt", "style", "aspect", …}
/// (mv::JobSpec::to_json's keys) → {"jobId"}; the plugin's settings fill the
/// output folder, default style, threads and priority.
json generate(const json& request) {
  mv::JobSpec spec = mv::JobSpec::from_json(request);
  const std::string encoder = spec.encoder;
  plugin()->settings->get().apply_to(spec, /*with_aspect=*/false);
  if (request.contains("encoder")) spec.encoder = encoder;  // the request's own choice wins
  return {{"jobId", plugin()->jobs->submit(std::move(spec))}};
}

json get_job(const json& request) {
  const auto job = plugin()->jobs->get(request.value("jobId", std::string()));
  if (!job) throw std::invalid_argument("no job with that jobId");
  return job->to_json();
}

json list_jobs(const json&) {
  json jobs = json::array();
  for (const auto& j : plugin()->jobs->list()) jobs.push_back(j.to_json());
  return {{"jobs", jobs}};
}

json cancel_job(const json& request) {
  return {{"cancelled", plugin()->jobs->cancel(request.value("jobId", std::string()))}};
}

/// Cloud: an iterative edit of a finished cloud job's video, in the same session
/// (what the dock's chat box does): {"jobId", "message"} → {"jobId"} of the new job.
json edit_job(const json& request) {
  const auto base = plugin()->jobs->get(request.value("jobId", std::string()));
  if (!base) throw std::invalid_argument("no job with that jobId");
  if (base->session_id.empty()) throw std::invalid_argument("that job has no cloud session: edit a finished cloud job");
  mv::JobSpec spec;
  spec.backend = mv::Backend::Cloud;
  spec.kind = mv::JobKind::Edit;
  spec.session_id = base->session_id;
  spec.user_id = base->user_id;
  spec.prompt = request.value("message", std::string());
  spec.output_dir = base->request.output_dir.empty() ? std::filesystem::path(base->output).parent_path()
                                                     : base->request.output_dir;
  return {{"jobId", plugin()->jobs->submit(std::move(spec))}};
}

}  // namespace

const std::vector<VendorRequest>& job_requests() {
  static const std::vector<VendorRequest> kRequests = {
      {"Generate", generate}, {"GetJob", get_job}, {"ListJobs", list_jobs},
      {"CancelJob", cancel_job}, {"EditJob", edit_job},
  };
  return kRequests;
}

}  // namespace mvplugin
