// job.cpp — job states, error values, results and exit codes (see mv/jobs/job.hpp).
#include "mv/jobs/job.hpp"

#include "mv/cloud/errors.hpp"

namespace mv {

const char* job_state_name(JobState state) {
  switch (state) {
    case JobState::Queued: return "queued";
    case JobState::Running: return "running";
    case JobState::Done: return "done";
    case JobState::Failed: return "failed";
    case JobState::Cancelled: return "cancelled";
    case JobState::Interrupted: return "interrupted";
  }
  return "failed";
}

std::optional<JobState> job_state_from_name(const std::string& name) {
  for (auto s : {JobState::Queued, JobState::Running, JobState::Done, JobState::Failed, JobState::Cancelled,
                 JobState::Interrupted}) {
    if (name == job_state_name(s)) return s;
  }
  return std::nullopt;
}

bool job_finished(JobState state) { return state != JobState::Queued && state != JobState::Running; }

nlohmann::json JobError::to_json() const {
  nlohmann::json j = {{"code", id}, {"message", message}};
  if (!link.empty()) j["link"] = link;
  return j;
}

JobError job_error_from(const std::exception& e) {
  JobError out;
  out.message = e.what();
  if (const auto* cloud = dynamic_cast<const CloudError*>(&e)) {
    out.code = cloud->code();
    out.id = cloud_error_id(cloud->kind());
    out.link = cloud->link();
  } else if (const auto* error = dynamic_cast<const Error*>(&e)) {
    out.code = error->code();
    out.id = error_code_id(error->code());
  } else {
    out.code = ErrorCode::Internal;
    out.id = error_code_id(ErrorCode::Internal);
  }
  return out;
}

nlohmann::json JobResult::to_json() const {
  nlohmann::json j = {{"path", output.string()}, {"duration", duration_s}, {"size", size_bytes}};
  if (timings) {
    const auto& t = *timings;
    j["bpm"] = tempo_bpm > 0.0 ? nlohmann::json(tempo_bpm) : nlohmann::json(nullptr);  // no beat: no tempo invented
    j["frames"] = frames;
    j["style"] = style;  // the look's name (kept under its first key for scripts that read it)
    j["look"] = style;
    j["palette"] = palette;
    j["encoder"] = encoder;
    if (!note.empty()) j["note"] = note;
    if (!lyrics.empty()) j["lyrics"] = lyrics.string();
    if (highlight) j["highlight"] = highlights_to_json({*highlight}).front();
    j["timeline"] = timeline;
    j["timings"] = {{"analysis_s", t.analysis_s}, {"plan_s", t.plan_s}, {"audio_decode_s", t.audio_s},
                    {"draw_s", t.draw_s},         {"encode_s", t.encode_s}, {"mux_s", t.mux_s},
                    {"total_s", t.total_s}, {"draw_cpu_s", t.draw_cpu_s}, {"analysis_cpu_s", t.analysis_cpu_s}};
    for (const auto& [layer, seconds] : t.layers_s) j["timings"]["layers_s"][layer] = seconds;
  }
  if (soundtrack) {
    for (const auto& [key, value] : soundtrack->items()) {
      if (!j.contains(key)) j[key] = value;
    }
  }
  if (!cloud_job_id.empty()) {
    j["job"] = cloud_job_id;
    j["render_id"] = render_id;
  }
  return j;
}

int exit_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::Usage: return 2;
    case ErrorCode::InputMissing:
    case ErrorCode::InputInvalid: return 3;
    case ErrorCode::Output: return 4;
    case ErrorCode::Cancelled: return 130;
    case ErrorCode::Media:
    case ErrorCode::Internal: return 1;
  }
  return 1;
}

int batch_exit_code(const std::vector<std::optional<ErrorCode>>& outcomes) {
  std::optional<int> common;
  bool mixed = false;
  for (const auto& o : outcomes) {
    if (!o) continue;
    if (*o == ErrorCode::Cancelled) return 130;
    const int code = exit_code(*o);
    if (common && *common != code) mixed = true;
    common = code;
  }
  if (!common) return 0;
  return mixed ? 1 : *common;
}

}  // namespace mv
