// cloud-commands.cpp — see cloud-commands.hpp.
#include "cloud-commands.hpp"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cloud-config.hpp"
#include "generate-command.hpp"
#include "mv/base/error.hpp"
#include "mv/base/json-file.hpp"
#include "mv/cloud/client.hpp"
#include "mv/cloud/job-file.hpp"
#include "mv/cloud/router.hpp"
#include "mv/jobs/backend.hpp"
#include "progress-printer.hpp"

namespace mvcli {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

/// The words after the sub-command.
std::vector<std::string> words(const Args& args) {
  return {args.positional.begin() + (args.positional.empty() ? 0 : 1), args.positional.end()};
}

fs::path session_file() { return config_dir() / "session.json"; }

void keep_session(const mv::CloudSession& s) {
  mv::write_json_file(session_file(), {{"session_id", s.session_id}, {"task_id", s.task_id}, {"user_id", s.user_id}}, 0600);
}

/// The current chat session (kept between `mvgen cloud` calls), created when missing.
mv::CloudSession current_session(mv::CloudClient& client) {
  if (auto j = mv::read_json_file(session_file()); j && j->is_object() && j->contains("session_id")) {
    return {j->value("session_id", std::string()), j->value("task_id", std::string()), j->value("user_id", std::string("me"))};
  }
  auto s = client.create_session();  // not const: returned by move
  keep_session(s);
  return s;
}

/// Runs an unfinished cloud job to the end through the job runner.
mv::JobResult resume(const std::string& job_id, const Args& args, const mv::CancelToken& cancel) {
  mv::JobSpec spec;
  spec.backend = mv::Backend::Cloud;
  spec.resume_cloud_job = job_id;
  ProgressPrinter printer(args.has("--json"), args.has("--quiet"));
  mv::JobRunner runner(cloud_options(args.get("--api-url")));
  auto result = runner.run(spec, [&](const mv::JobEvent& e) { printer.event(e); }, cancel);
  printer.finish();
  return result;
}

int credits(mv::CloudClient& client, bool as_json) {
  const auto c = client.credits();
  if (as_json) {
    std::cout << json{{"available", c.available}, {"frozen", c.frozen}, {"total", c.total}}.dump() << std::endl;
  } else {
    std::printf("Credits: %.0f available, %.0f frozen, %.0f total\n", c.available, c.frozen, c.total);
  }
  return 0;
}

int status(mv::CloudClient& client, bool as_json) {
  mv::CloudSession session = current_session(client);
  const auto st = client.state(session);
  keep_session(session);
  if (as_json) {
    std::cout << json{{"session_id", session.session_id}, {"timeline", st.draft.summary()}, {"draft", st.draft.to_json()}}.dump()
              << std::endl;
  } else {
    std::printf("%s\n", st.draft.summary().c_str());
  }
  return 0;
}

/// Export: the session's draft rendered and downloaded as a job of the job file.
int export_session(mv::CloudClient& client, const Args& args, const mv::CancelToken& cancel) {
  const auto out = args.get("-o");
  if (!out) throw mv::Error(mv::ErrorCode::Usage, "mvgen cloud export needs -o OUT.mp4");
  const mv::CloudSession session = current_session(client);
  mv::CloudJob job;
  job.id = mv::make_uuid_v4();
  job.output = fs::absolute(*out).string();
  job.session_id = session.session_id;
  job.user_id = session.user_id;
  job.state = "rendering";
  if (fs::exists(job.output) && !args.has("--force")) {
    throw mv::Error(mv::ErrorCode::Output, job.output + " already exists; pass --force to replace it");
  }
  mv::CloudJobStore(config_dir() / "jobs.json").save(job);
  print_result(resume(job.id, args, cancel), args.has("--json"));
  return 0;
}

int chat(mv::CloudClient& client, const Args& args, const mv::CancelToken& cancel) {
  std::string text;
  std::vector<fs::path> files;
  for (const auto& p : words(args)) {
    if (fs::is_regular_file(p)) {
      files.emplace_back(p);
    } else {
      text += (text.empty() ? "" : " ") + p;
    }
  }
  const mv::CloudAction action = mv::route_user_text(text, !files.empty());
  if (action == mv::CloudAction::Credits) return credits(client, args.has("--json"));
  if (action == mv::CloudAction::State) return status(client, args.has("--json"));
  if (action == mv::CloudAction::Export) {
    if (args.get("-o")) return export_session(client, args, cancel);
    std::printf("To export this session's video: mvgen cloud export -o OUT.mp4\n");
    return 0;
  }
  mv::CloudSession session = current_session(client);
  if (!files.empty()) {
    const auto uploaded = client.upload(session, files, {});
    std::printf("Uploaded %zu file(s).\n", uploaded.size());
    if (text.empty()) {
      keep_session(session);
      return 0;
    }
  }
  const auto turn = client.chat(
      session, text, [](const std::string& t) { std::fputs(mv::rewrite_gui_language(t).c_str(), stdout), std::fflush(stdout); },
      [](const std::string& notice) { std::fprintf(stderr, "(%s)\n", notice.c_str()); });
  keep_session(session);
  std::printf("\n");
  if (!turn.change_summary.empty()) std::printf("%s\n", turn.change_summary.c_str());
  for (const auto& hint : mv::find_gui_hints(turn.text)) {
    if (hint.action == mv::CloudAction::Export) std::printf("(mvgen can do that: mvgen cloud export -o OUT.mp4)\n");
    if (hint.action == mv::CloudAction::State) std::printf("(mvgen can show it: mvgen cloud status)\n");
  }
  return 0;
}

int list_jobs(bool as_json) {
  const auto jobs = mv::CloudJobStore(config_dir() / "jobs.json").load();
  if (as_json) {
    json out = json::array();
    for (const auto& j : jobs) out.push_back(j.to_json());
    std::cout << out.dump() << std::endl;
    return 0;
  }
  if (jobs.empty()) std::printf("No cloud jobs.\n");
  for (const auto& j : jobs) {
    std::printf("%s  %-11s  render %-24s  %s%s%s\n", j.id.c_str(), j.state.c_str(),
                j.render_id.empty() ? "-" : j.render_id.c_str(), j.output.c_str(), j.error.empty() ? "" : "  — ",
                j.error.c_str());
  }
  return 0;
}

}  // namespace

int cloud_command(const std::string& verb, const Args& args, const mv::CancelToken& cancel) {
  mv::CloudClient client(cloud_settings(args.get("--api-url")), &cancel);
  if (verb == "credits") return credits(client, args.has("--json"));
  if (verb == "status") return status(client, args.has("--json"));
  if (verb == "export") return export_session(client, args, cancel);
  if (verb == "chat") return chat(client, args, cancel);
  throw mv::Error(mv::ErrorCode::Usage, "unknown cloud command \"" + verb + "\" (credits, status, chat, export)");
}

int jobs_command(const std::string& verb, const Args& args, const mv::CancelToken& cancel) {
  if (verb == "list") return list_jobs(args.has("--json"));
  if (verb != "resume") throw mv::Error(mv::ErrorCode::Usage, "unknown jobs command \"" + verb + "\" (list, resume)");
  const auto only = words(args);
  std::vector<std::optional<mv::ErrorCode>> outcomes;
  for (const auto& j : mv::CloudJobStore(config_dir() / "jobs.json").load()) {
    if (j.finished() || (!only.empty() && only.front() != j.id)) continue;
    try {
      print_result(resume(j.id, args, cancel), args.has("--json"));
      outcomes.emplace_back(std::nullopt);
    } catch (const mv::Error& e) {
      if (e.code() == mv::ErrorCode::Cancelled) throw;
      std::fprintf(stderr, "mvgen: job %s: %s\n", j.id.c_str(), e.what());
      outcomes.emplace_back(e.code());
    }
  }
  return mv::batch_exit_code(outcomes);
}

}  // namespace mvcli
