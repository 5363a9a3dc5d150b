// websocket-live.cpp — obs-websocket requests of the live look sources:
// SaveLiveLook {source, seconds, aspect} renders the last seconds a "Music Video
// Look" source heard, with its look (drawn anew for another screen when an aspect
// such as "9:16" is given), to an MP4 that is imported when done. The
// answer comes at once with the job's id; the WAV is written on the job
// manager's helper thread. GetLiveLooks lists every look source with its
// counters (frames drawn and skipped, draw time, tempo, what it listens to).
#include "live-look-source.hpp"
#include "plugin-context.hpp"

namespace mvplugin {

namespace {

using json = nlohmann::json;

json save_live_look_request(const json& request) {
  const std::string source = request.value("source", std::string());
  const double seconds = request.value("seconds", 60.0);
  const std::string aspect = request.value("aspect", std::string());
  return {{"jobId", save_live_look(source, seconds, aspect)}, {"source", source}, {"seconds", seconds}, {"aspect", aspect}};
}

json get_live_looks(const json&) { return {{"sources", live_look_stats()}}; }

}  // namespace

const std::vector<VendorRequest>& live_requests() {
  static const std::vector<VendorRequest> kRequests = {{"SaveLiveLook", save_live_look_request},
                                                       {"GetLiveLooks", get_live_looks}};
  return kRequests;
}

}  // namespace mvplugin
