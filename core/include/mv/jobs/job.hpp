// job.hpp — what a running job reports and what it ends with, the same for
// every front end and backend: its state, its progress events, its error
// value and its result; and how those map to mvgen's exit codes.
#pragma once

#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mv/base/error.hpp"
#include "mv/base/progress.hpp"
#include "mv/media/picture-out.hpp"
#include "mv/render/generate.hpp"

namespace mv {

/// Where a job is. Queued → Running → Done | Failed | Cancelled; Interrupted
/// is a job that was queued or running when its front end closed (OBS quit or
/// crashed): it can be retried.
enum class JobState { Queued, Running, Done, Failed, Cancelled, Interrupted };

/// Lower-case name: "queued", "running", "done", "failed", "cancelled", "interrupted".
const char* job_state_name(JobState state);
/// The state of a name; nullopt when unknown.
std::optional<JobState> job_state_from_name(const std::string& name);
/// True for Done, Failed, Cancelled and Interrupted.
bool job_finished(JobState state);

/// One progress event: the stage (its id is stage_name(stage)), the fraction
/// of that stage done (0..1) and an optional message (the cloud's words,
/// "still working" notices, the timeline summary).
struct JobEvent {
  Stage stage = Stage::Probe;
  double fraction = 0.0;
  std::string message;
  /// A thumbnail of the frame just drawn (local renders, every 2 s of video;
  /// 320 pixels wide), or null.
  std::shared_ptr<const RgbPicture> frame;
};
/// Receives a job's events on the job's thread; must be cheap and must not throw.
using JobEventFn = std::function<void(const JobEvent& event)>;

/// A failed job's error, as front ends show it.
struct JobError {
  ErrorCode code = ErrorCode::Internal;  ///< for exit codes
  std::string id;       ///< stable id for translated text: cloud_error_id() ("no_credits", …) or
                        ///< error_code_id() ("input_missing", …)
  std::string message;  ///< plain-language English message (never a token)
  std::string link;     ///< a link the message points to (the registration URL for no_credits), or ""

  [[nodiscard]] nlohmann::json to_json() const;  ///< {"code": id, "message", "link"?}
};

/// The error value of an exception thrown by a job: CloudError (its kind's id
/// and link), Error (its code's id), anything else (Internal, "internal").
JobError job_error_from(const std::exception& e);

/// What a finished job produced. Local jobs fill the analysis and render
/// fields, cloud jobs the session and render ids.
struct JobResult {
  std::filesystem::path output;  ///< the MP4 written
  double duration_s = 0.0;       ///< of the video
  std::uintmax_t size_bytes = 0;
  // Local.
  double tempo_bpm = 0.0;
  std::int64_t frames = 0;
  std::string style, palette;
  std::string encoder;           ///< the H.264 encoder used ("x264", "nvenc", …)
  std::string note;              ///< one line for the user, e.g. the encoder fallback; "" if none
  std::string timeline;          ///< one-line summary of the timeline
  std::filesystem::path lyrics;  ///< the lyrics file drawn; empty for none
  std::optional<Highlight> highlight;  ///< the excerpt a highlight job chose
  std::optional<StageTimings> timings;
  /// Background music: SoundtrackResult::to_json() (the music chosen or
  /// composed and why, cuts, speech, loudness); empty otherwise.
  std::optional<nlohmann::json> soundtrack;
  // Cloud.
  std::string session_id, user_id;  ///< the session the video was made in (for edits)
  std::string render_id, cloud_job_id;

  /// mvgen's --json "result" object: {"path", "duration", "size"} plus, for a
  /// local job, "bpm", "frames", "look" (also as "style"), "palette", "encoder",
  /// "note" (when there is one), "lyrics" (the file drawn, when there is one), "highlight" ({start_s, end_s, score, repeats, …}, when chosen), "timeline", "timings"
  /// {"analysis_s", …}; for background music the soundtrack's keys ("music",
  /// "cuts", "speech_s", "loudness_lufs", …); for a cloud job "job" and "render_id".
  [[nodiscard]] nlohmann::json to_json() const;
};

/// mvgen's exit code of an error code: 0 is success; Usage 2, InputMissing and
/// InputInvalid 3, Output 4, Cancelled 130, Media and Internal 1.
int exit_code(ErrorCode code);

/// The exit code of a batch from its jobs' outcomes (nullopt = done, else the
/// error code): 0 when all are done, 130 when any was cancelled, else the
/// failures' common exit code (1 when they differ). The one rule of every
/// batch path (mvgen's local and cloud batches, `mvgen jobs resume`).
int batch_exit_code(const std::vector<std::optional<ErrorCode>>& outcomes);

}  // namespace mv
