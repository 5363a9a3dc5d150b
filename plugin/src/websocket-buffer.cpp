// websocket-buffer.cpp — obs-websocket requests of the rolling audio buffer:
// SetAudioBuffer (which source, how many seconds) and GenerateFromBuffer ("the
// song that just played" as a video in one request). The WAV (up to 115 MB)
// is written on the job manager's helper thread: the answer comes at once with
// the job's id, and the job's request names the WAV once it is written.
#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "plugin-context.hpp"

namespace mvplugin {

namespace {

using json = nlohmann::json;

json set_audio_buffer(const json& request) {
  const std::string source = request.value("source", std::string());
  const double seconds = request.value("seconds", 120.0);
  if (!plugin()->capture.set_source(source, seconds)) throw std::invalid_argument("no source named \"" + source + "\"");
  return {{"source", source}, {"seconds", std::clamp(seconds, 30.0, 600.0)}};
}

json generate_from_buffer(const json& request) {
  PluginContext* p = plugin();
  if (p->capture.buffered_seconds() < 1.0) {
    throw std::invalid_argument("nothing is buffered: call SetAudioBuffer and let the source play");
  }
  mv::JobSpec spec = mv::JobSpec::from_json(request);
  p->settings->get().apply_to(spec, /*with_aspect=*/false);
  const std::filesystem::path dir =
      spec.output_dir.empty() ? std::filesystem::temp_directory_path() : spec.output_dir;
  RollingCapture* capture = &p->capture;
  const std::string id = p->jobs->submit(std::move(spec), [capture, dir](mv::JobSpec& prepared, const mv::CancelToken& cancel) {
    const std::string wav = capture->save(dir.string(), &cancel);
    if (wav.empty()) throw std::invalid_argument("nothing is buffered yet");
    prepared.inputs.insert(prepared.inputs.begin(), wav);
  });
  return {{"jobId", id}};
}

}  // namespace

const std::vector<VendorRequest>& buffer_requests() {
  static const std::vector<VendorRequest> kRequests = {
      {"SetAudioBuffer", set_audio_buffer}, {"GenerateFromBuffer", generate_from_buffer}};
  return kRequests;
}

}  // namespace mvplugin
