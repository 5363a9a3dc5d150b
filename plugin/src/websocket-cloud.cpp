// websocket-cloud.cpp — obs-websocket's GetCloudInfo: the cloud credits (and
// the timeline of a job's session with {"jobId"}). The answer comes at once
// with the latest known figures ("updatedAt" Unix seconds, 0 = never;
// "refreshing": true); the fresh figures follow as the vendor event
// "CloudInfo" when the cloud has replied. The websocket thread never waits
// for the network.
#include <ctime>

#include "plugin-context.hpp"

namespace mvplugin {

namespace {

using json = nlohmann::json;

json cloud_info_json(const CloudInfo& info, std::int64_t updated_at) {
  json j = {{"available", info.available}, {"frozen", info.frozen}, {"total", info.total},
            {"timeline", info.timeline},   {"updatedAt", updated_at}};
  if (!info.ok && updated_at != 0) {
    j["cloudError"] = info.error;
    j["cloudErrorId"] = info.error_id;
  }
  return j;
}

json get_cloud_info(const json& request) {
  PluginContext* p = plugin();
  const std::string job_id = request.value("jobId", std::string());
  std::string session, user;
  if (const auto job = p->jobs->get(job_id)) {
    session = job->session_id;
    user = job->user_id;
  }
  json answer;
  {
    std::lock_guard lock(p->cloud.mutex);
    answer = cloud_info_json(p->cloud.info, p->cloud.updated_at);
    p->cloud.refreshing = true;
  }
  answer["refreshing"] = true;
  p->jobs->cloud_info(session, user, [job_id](const CloudInfo& info) {
    // The job manager's helper thread: keep the figures, announce them from the UI thread.
    PluginContext* ctx = plugin();
    if (ctx == nullptr) return;
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    {
      std::lock_guard lock(ctx->cloud.mutex);
      ctx->cloud.info = info;
      ctx->cloud.updated_at = now;
      ctx->cloud.refreshing = false;
    }
    json event = cloud_info_json(info, now);
    event["jobId"] = job_id;
    event["ok"] = info.ok;
    if (!info.ok) {
      event["error"] = info.error;
      event["errorId"] = info.error_id;
    }
    post_to_ui([event] { plugin()->vendor.emit("CloudInfo", event); }, "ws.cloud_info_event");
  });
  return answer;
}

}  // namespace

const std::vector<VendorRequest>& cloud_requests() {
  static const std::vector<VendorRequest> kRequests = {{"GetCloudInfo", get_cloud_info}};
  return kRequests;
}

}  // namespace mvplugin
