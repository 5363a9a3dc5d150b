// flow.hpp — the cloud backend's quick flow (upload → instruction →
// state → export → poll → download) (a batch shares its session), with every job kept
// in the job file so that a crash or restart loses no render.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "mv/cloud/client.hpp"
#include "mv/cloud/job-file.hpp"

namespace mv {

/// Progress of a cloud job: a stage (Session, Upload, Generate, Render,
/// Download, Done), its fraction 0..1 and an optional message (backend text,
/// "still working" notices).
using CloudProgressFn = std::function<void(Stage stage, double fraction, const std::string& message)>;

/// One cloud generation: inputs uploaded into one session, one instruction,
/// one render downloaded to `output`.
struct CloudGenerateRequest {
  std::vector<std::filesystem::path> inputs;
  std::string prompt;                 ///< empty: "Make a music video for this song."
  std::filesystem::path output;
  bool force = false;
};

/// Runs the quick flow. The job is saved at each step, and always before the
/// first poll of its render. With `session` (a batch), the job runs in that
/// session, which is created when empty and updated (a lost session is
/// recreated); without, in a new session. Errors: CloudError / Error (the job
/// is saved as failed with the message first; a cancelled job is kept as it
/// was so that `resume` can finish it).
CloudJob cloud_generate(CloudClient& client, const CloudJobStore& store, const CloudGenerateRequest& request,
                        const CloudProgressFn& progress = {}, CloudSession* session = nullptr);

/// An iterative edit in an existing session (the dock's chat box): one chat turn
/// with `message` in session `session_id` (of user `user_id`, "me" if empty),
/// then export + poll + download of the edited draft to `output`. The job is
/// kept in the job file like any other. Errors: as cloud_generate; Error{Usage}
/// without a session or message; a session the backend forgot is recreated by
/// the client (code 1002) and then holds no timeline, which is reported as
/// BadResponse ("nothing to export").
CloudJob cloud_edit(CloudClient& client, const CloudJobStore& store, const std::string& session_id,
                    const std::string& user_id, const std::string& message, const std::filesystem::path& output,
                    const CloudProgressFn& progress = {});

/// Resumes an unfinished job. With a render id: polls it and downloads (a
/// partial download `<output>.part` is continued with HTTP Range). Without
/// one (interrupted during upload or the chat turn, before any render was
/// submitted): runs the job again from its recorded inputs and prompt in a
/// new session, keeping its id; if an input is gone the job is saved as
/// failed. A finished job is returned as it is. Errors: as cloud_generate.
CloudJob resume_cloud_job(CloudClient& client, const CloudJobStore& store, CloudJob job,
                          const CloudProgressFn& progress = {});

}  // namespace mv
