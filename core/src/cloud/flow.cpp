// flow.cpp — the quick, edit and resume flows over CloudClient, with the job file
// written before every step that could be lost (see mv/cloud/flow.hpp).
#include "mv/cloud/flow.hpp"

#include "mv/base/error.hpp"
#include "mv/base/output-file.hpp"

namespace mv {

namespace fs = std::filesystem;

namespace {

const char* kDefaultPrompt = "Make a music video for this song.";

void report(const CloudProgressFn& progress, Stage stage, double fraction, const std::string& message = {}) {
  if (progress) progress(stage, fraction, message);
}

/// Export + poll + download of the session's current draft into `job.output`.
CloudJob finish_job(CloudClient& client, const CloudJobStore& store, CloudJob& job, CloudSession& session,
                    const CloudProgressFn& progress) {
  if (job.render_id.empty()) {
    const CloudState st = client.state(session);
    if (!st.draft.ready_for_export()) {
      CloudErrorContext context;
      context.detail = "the backend has not built a timeline to export yet";
      throw CloudError(CloudErrorKind::BadResponse, context);
    }
    report(progress, Stage::Render, 0.0, st.draft.summary());
    const CloudRender submitted = client.submit_render(session, st.draft.to_json());
    job.render_id = submitted.id;
    job.state = "rendering";
    store.save(job);  // before the first poll: the render id must never be lost
  }
  const CloudRender done = client.wait_for_render(job.render_id, [&](const CloudRender& r) {
    report(progress, Stage::Render, r.progress / 100.0, render_status_name(r.status));
  });
  job.state = "downloading";
  store.save(job);
  client.download(done, job.output, [&](std::uint64_t got, std::uint64_t total) {
    report(progress, Stage::Download, total > 0 ? static_cast<double>(got) / static_cast<double>(total) : 0.0);
  });
  job.state = "done";
  job.error.clear();
  store.save(job);
  report(progress, Stage::Done, 1.0, job.output);
  return job;
}

/// Runs `body` and records a failure in the job file before rethrowing.
template <typename Fn>
CloudJob guarded(const CloudJobStore& store, CloudJob& job, Fn&& body) {
  try {
    return body();
  } catch (const CloudError& e) {
    if (e.kind() != CloudErrorKind::Cancelled && !(e.kind() == CloudErrorKind::Timeout && !job.render_id.empty())) {
      job.state = "failed";
      job.error = e.what();
      store.save(job);
    }
    throw;
  } catch (const Error& e) {
    if (e.code() != ErrorCode::Cancelled) {
      job.state = "failed";
      job.error = e.what();
      store.save(job);
    }
    throw;
  }
}

CloudJob new_job(const std::vector<fs::path>& inputs, const std::string& prompt, const fs::path& output) {
  CloudJob job;
  job.id = make_uuid_v4();
  job.output = fs::absolute(output).string();
  job.prompt = prompt.empty() ? kDefaultPrompt : prompt;
  for (const auto& i : inputs) job.inputs.push_back(fs::absolute(i).string());
  job.state = "uploading";
  return job;
}

CloudJob run_one(CloudClient& client, const CloudJobStore& store, CloudJob& job, CloudSession& session,
                 const std::vector<fs::path>& inputs, const CloudProgressFn& progress) {
  return guarded(store, job, [&] {
    store.save(job);
    if (session.session_id.empty()) {
      report(progress, Stage::Session, 0.0);
      session = client.create_session();
    }
    job.session_id = session.session_id;
    job.user_id = session.user_id;
    store.save(job);
    report(progress, Stage::Upload, 0.0);
    client.upload(session, inputs, [&](std::uint64_t sent, std::uint64_t total) {
      report(progress, Stage::Upload, total > 0 ? static_cast<double>(sent) / static_cast<double>(total) : 0.0);
    });
    job.state = "generating";
    job.session_id = session.session_id;  // a lost session may have been recreated
    store.save(job);
    report(progress, Stage::Generate, 0.0);
    const ChatTurnResult turn = client.chat(
        session, job.prompt, [&](const std::string& text) { report(progress, Stage::Generate, 0.5, text); },
        [&](const std::string& notice) { report(progress, Stage::Generate, 0.5, notice); });
    if (!turn.change_summary.empty()) report(progress, Stage::Generate, 1.0, turn.change_summary);
    return finish_job(client, store, job, session, progress);
  });
}

}  // namespace

CloudJob cloud_generate(CloudClient& client, const CloudJobStore& store, const CloudGenerateRequest& request,
                        const CloudProgressFn& progress, CloudSession* session) {
  if (request.inputs.empty()) throw Error(ErrorCode::Usage, "no input files given");
  check_output(request.inputs, request.output, request.force);
  CloudJob job = new_job(request.inputs, request.prompt, request.output);
  CloudSession own;  // created inside run_one, so a failure is recorded in the job
  return run_one(client, store, job, session != nullptr ? *session : own, request.inputs, progress);
}

CloudJob cloud_edit(CloudClient& client, const CloudJobStore& store, const std::string& session_id,
                    const std::string& user_id, const std::string& message, const fs::path& output,
                    const CloudProgressFn& progress) {
  if (session_id.empty()) throw Error(ErrorCode::Usage, "no cloud session to edit: generate a cloud video first");
  if (message.empty()) throw Error(ErrorCode::Usage, "the edit message is empty");
  check_output({}, output, false);
  CloudJob job = new_job({}, message, output);
  job.state = "generating";
  CloudSession session{session_id, "", user_id.empty() ? "me" : user_id};
  return guarded(store, job, [&] {
    job.session_id = session.session_id;
    job.user_id = session.user_id;
    store.save(job);
    report(progress, Stage::Generate, 0.0);
    const ChatTurnResult turn = client.chat(
        session, message, [&](const std::string& text) { report(progress, Stage::Generate, 0.5, text); },
        [&](const std::string& notice) { report(progress, Stage::Generate, 0.5, notice); });
    if (!turn.change_summary.empty()) report(progress, Stage::Generate, 1.0, turn.change_summary);
    job.session_id = session.session_id;
    return finish_job(client, store, job, session, progress);
  });
}

CloudJob resume_cloud_job(CloudClient& client, const CloudJobStore& store, CloudJob job, const CloudProgressFn& progress) {
  if (job.finished()) return job;
  if (job.render_id.empty()) {
    // Interrupted before its render was submitted (during upload or the chat turn):
    // no render exists to poll and none was charged, so the job runs again from its
    // recorded inputs and prompt in a new session, under the same job id.
    std::vector<fs::path> inputs(job.inputs.begin(), job.inputs.end());
    std::string missing;
    std::error_code ec;
    for (const auto& in : inputs) {
      if (!fs::is_regular_file(in, ec)) missing = in.string();
    }
    if (inputs.empty() || !missing.empty() || job.output.empty()) {
      job.state = "failed";
      job.error = inputs.empty() || job.output.empty()
                      ? "interrupted before its render was submitted; generate it again"
                      : "interrupted before its render was submitted, and its input " + missing + " is gone; generate it again";
      store.save(job);
      return job;
    }
    if (job.prompt.empty()) job.prompt = kDefaultPrompt;
    job.state = "uploading";
    job.session_id.clear();
    job.error.clear();
    CloudSession session;
    return run_one(client, store, job, session, inputs, progress);
  }
  CloudSession session{job.session_id, "", job.user_id};
  return guarded(store, job, [&] { return finish_job(client, store, job, session, progress); });
}

}  // namespace mv
