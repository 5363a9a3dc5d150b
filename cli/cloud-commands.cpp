// cloud-commands.cpp — see cloud-commands.hpp. Settings come from
// $XDG_CONFIG_HOME/obs-music-video/settings.json (api_url, skill_platform,
// language, registration_url, max_upload_mb), --api-url, then $NEMO_API_URL.
// The token lives in cloud.json there (mode 0600) and is never printed.
#include "cloud-commands.hpp"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "mv/cloud-client.hpp"
#include "mv/cloud-flow.hpp"
#include "mv/cloud-jobs.hpp"
#include "mv/error.hpp"
#include "mv/json-file.hpp"
#include "mv/media.hpp"
#include "mv/router.hpp"

namespace mvcli {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

fs::path config_dir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') return fs::path(xdg) / "obs-music-video";
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr ? home : ".") / ".config" / "obs-music-video";
}

mv::CloudSettings load_settings(const CloudArgs& args) {
  mv::CloudSettings s;
  bool language_set = false;
  s.config_dir = config_dir();
  s.skill_version = MV_VERSION;
  if (auto j = mv::read_json_file(s.config_dir / "settings.json"); j && j->is_object()) {
    s.base_url = j->value("api_url", std::string());
    s.skill_platform = j->value("skill_platform", s.skill_platform);
    if (j->contains("language")) {
      s.language = j->value("language", s.language);
      language_set = true;
    }
    s.registration_url = j->value("registration_url", s.registration_url);
    s.max_upload_mb = j->value("max_upload_mb", s.max_upload_mb);
  }
  if (args.api_url) s.base_url = *args.api_url;
  // Session language from the locale (LC_ALL, LC_MESSAGES, LANG: "zh_CN.UTF-8" → "zh"), unless settings.json names one.
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(var);
    if (value == nullptr || *value == '\0') continue;
    const std::string v = value;
    if (v.size() >= 2 && std::isalpha(static_cast<unsigned char>(v[0])) != 0 && std::isalpha(static_cast<unsigned char>(v[1])) != 0 &&
        v != "C" && v.rfind("POSIX", 0) != 0 && !language_set) {
      s.language = v.substr(0, 2);
    }
    break;
  }
  return s;
}

fs::path session_file() { return config_dir() / "session.json"; }

/// The current chat session (kept between `mvgen cloud` calls), created when missing.
mv::CloudSession current_session(mv::CloudClient& client) {
  if (auto j = mv::read_json_file(session_file()); j && j->is_object() && j->contains("session_id")) {
    return {j->value("session_id", std::string()), j->value("task_id", std::string()), j->value("user_id", std::string("me"))};
  }
  auto s = client.create_session();  // not const: returned by move
  mv::write_json_file(session_file(), {{"session_id", s.session_id}, {"task_id", s.task_id}, {"user_id", s.user_id}}, 0600);
  return s;
}

void keep_session(const mv::CloudSession& s) {
  mv::write_json_file(session_file(), {{"session_id", s.session_id}, {"task_id", s.task_id}, {"user_id", s.user_id}}, 0600);
}

mv::CloudJobStore job_store() { return mv::CloudJobStore(config_dir() / "jobs.json"); }

/// Progress printer for cloud jobs: JSON lines or plain lines on stderr.
mv::CloudProgressFn printer(bool as_json) {
  return [as_json, last = std::string()](const std::string& stage, double fraction, const std::string& message) mutable {
    if (as_json) {
      json line = {{"stage", stage}, {"progress", fraction}};
      if (!message.empty()) line["message"] = message;
      std::cout << line.dump() << std::endl;
      return;
    }
    if (!message.empty()) {
      std::fprintf(stderr, "[%s] %s\n", stage.c_str(), message.c_str());
    } else if (stage != last) {
      std::fprintf(stderr, "[%s] …\n", stage.c_str());
    }
    last = stage;
  };
}

int print_result(const mv::CloudJob& job, bool as_json) {
  std::error_code ec;
  const auto size = fs::file_size(job.output, ec);
  double duration = 0.0;
  try {
    duration = mv::probe_media(job.output).duration_s;
  } catch (const mv::Error&) {
  }
  if (as_json) {
    std::cout << json{{"stage", "done"}, {"progress", 1.0},
                      {"result", {{"path", job.output}, {"duration", duration}, {"size", size}, {"job", job.id},
                                  {"render_id", job.render_id}}}}.dump()
              << std::endl;
  } else {
    std::printf("Wrote %s (%.1f s, %.1f MB) — cloud render %s\n", job.output.c_str(), duration,
                static_cast<double>(size) / 1e6, job.render_id.c_str());
  }
  return 0;
}

}  // namespace

int cloud_generate_command(const CloudArgs& args, const mv::CancelToken& cancel) {
  if (args.positional.empty()) throw mv::Error(mv::ErrorCode::Usage, "give at least one INPUT file");
  if (!args.output) throw mv::Error(mv::ErrorCode::Usage, "give -o OUT.mp4 (with --batch: -o FOLDER)");
  mv::CloudClient client(load_settings(args), &cancel);
  const auto store = job_store();
  std::vector<fs::path> inputs(args.positional.begin(), args.positional.end());
  if (args.batch) {
    const auto jobs = mv::cloud_generate_batch(client, store, inputs, args.prompt.value_or(""), *args.output, args.force,
                                               printer(args.json));
    int failed = 0;
    for (const auto& j : jobs) {
      if (j.state == "done") {
        print_result(j, args.json);
      } else {
        ++failed;
        std::fprintf(stderr, "mvgen: %s: %s\n", j.inputs.empty() ? "?" : j.inputs.front().c_str(), j.error.c_str());
      }
    }
    return failed == 0 ? 0 : 1;
  }
  mv::CloudGenerateRequest req{inputs, args.prompt.value_or(""), *args.output, args.force};
  return print_result(mv::cloud_generate(client, store, req, printer(args.json)), args.json);
}

int cloud_command(const std::string& verb, const CloudArgs& args, const mv::CancelToken& cancel) {
  mv::CloudClient client(load_settings(args), &cancel);
  if (verb == "credits") {
    const auto c = client.credits();
    if (args.json) {
      std::cout << json{{"available", c.available}, {"frozen", c.frozen}, {"total", c.total}}.dump() << std::endl;
    } else {
      std::printf("Credits: %.0f available, %.0f frozen, %.0f total\n", c.available, c.frozen, c.total);
    }
    return 0;
  }
  mv::CloudSession session = current_session(client);
  if (verb == "status") {
    const auto st = client.state(session);
    keep_session(session);
    if (args.json) {
      std::cout << json{{"session_id", session.session_id}, {"timeline", st.draft.summary()}, {"draft", st.draft.to_json()}}.dump()
                << std::endl;
    } else {
      std::printf("%s\n", st.draft.summary().c_str());
    }
    return 0;
  }
  if (verb == "export") {
    if (!args.output) throw mv::Error(mv::ErrorCode::Usage, "mvgen cloud export needs -o OUT.mp4");
    mv::CloudJob job;
    job.id = mv::make_uuid_v4();
    job.output = fs::absolute(*args.output).string();
    job.session_id = session.session_id;
    job.user_id = session.user_id;
    job.state = "rendering";
    if (fs::exists(job.output) && !args.force) {
      throw mv::Error(mv::ErrorCode::Output, job.output + " already exists; pass --force to replace it");
    }
    const auto store = job_store();
    store.save(job);
    return print_result(mv::resume_cloud_job(client, store, job, printer(args.json)), args.json);
  }
  if (verb == "chat") {
    std::string text;
    std::vector<fs::path> files;
    for (const auto& p : args.positional) {
      if (fs::is_regular_file(p)) {
        files.emplace_back(p);
      } else {
        text += (text.empty() ? "" : " ") + p;
      }
    }
    const mv::CloudAction action = mv::route_user_text(text, !files.empty());
    if (action == mv::CloudAction::Credits) return cloud_command("credits", args, cancel);
    if (action == mv::CloudAction::State) return cloud_command("status", args, cancel);
    if (action == mv::CloudAction::Export) {
      if (args.output) return cloud_command("export", args, cancel);
      std::printf("To export this session's video: mvgen cloud export -o OUT.mp4\n");
      return 0;
    }
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
  throw mv::Error(mv::ErrorCode::Usage, "unknown cloud command \"" + verb + "\" (credits, status, chat, export)");
}

int jobs_command(const std::string& verb, const CloudArgs& args, const mv::CancelToken& cancel) {
  const auto store = job_store();
  if (verb == "list") {
    const auto jobs = store.load();
    if (args.json) {
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
  if (verb == "resume") {
    mv::CloudClient client(load_settings(args), &cancel);
    int failed = 0;
    for (const auto& j : store.load()) {
      if (j.finished()) continue;
      if (!args.positional.empty() && args.positional.front() != j.id) continue;
      try {
        print_result(mv::resume_cloud_job(client, store, j, printer(args.json)), args.json);
      } catch (const mv::CloudError& e) {
        if (e.kind() == mv::CloudErrorKind::Cancelled) throw;
        std::fprintf(stderr, "mvgen: job %s: %s\n", j.id.c_str(), e.what());
        ++failed;
      }
    }
    return failed == 0 ? 0 : 1;
  }
  throw mv::Error(mv::ErrorCode::Usage, "unknown jobs command \"" + verb + "\" (list, resume)");
}

}  // namespace mvcli
