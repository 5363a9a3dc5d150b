// generate-command.cpp — see generate-command.hpp.
#include "generate-command.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "cloud-config.hpp"
#include "mv/base/error.hpp"
#include "mv/jobs/backend.hpp"
#include "mv/jobs/job-queue.hpp"
#include "mv/media/picture-out.hpp"
#include "mv/render/generate.hpp"

namespace mvcli {

namespace fs = std::filesystem;

void print_result(const mv::JobResult& result, bool json, bool with_timeline) {
  if (json) {
    std::cout << nlohmann::json{{"stage", "done"}, {"progress", 1.0}, {"result", result.to_json()}}.dump() << std::endl;
    return;
  }
  const double mb = static_cast<double>(result.size_bytes) / 1e6;
  if (!result.cloud_job_id.empty()) {
    std::printf("Wrote %s (%.1f s, %.1f MB) — cloud render %s\n", result.output.c_str(), result.duration_s, mb,
                result.render_id.c_str());
  } else if (result.soundtrack && result.soundtrack->contains("video")) {  // background music
    const auto& st = *result.soundtrack;
    std::printf("Wrote %s (%.1f s, %.1f MB): %s music, %.1f BPM; %.1f LUFS, true peak %.1f dBTP; video %s; %d of %zu cuts on "
                "downbeats; %.1f s of speech ducked under\n",
                result.output.c_str(), result.duration_s, mb, st["music"]["source"] == "generated" ? "composed" : "your",
                result.tempo_bpm, st["loudness_lufs"].get<double>(), st["true_peak_dbtp"].get<double>(),
                st["video"].get<std::string>().c_str(),
                st["cuts_on_downbeats"].get<int>(), st["cuts"].size(), st["speech_s"].get<double>());
    std::printf("%s\n", result.note.c_str());
  } else {
    std::istringstream notes(result.note);
    for (std::string line; std::getline(notes, line);) {
      const bool warning = line.rfind("warning: ", 0) == 0;
      std::fprintf(stderr, "mvgen: %s: %s\n", warning ? "warning" : "note", line.c_str() + (warning ? 9 : 0));
    }
    char tempo[32] = "no beat";
    if (result.tempo_bpm > 0.0) std::snprintf(tempo, sizeof tempo, "%.1f BPM", result.tempo_bpm);
    std::printf("Wrote %s (%.1f s, %.1f MB, %s, look %s/%s, %s)\n", result.output.c_str(), result.duration_s, mb, tempo,
                result.style.c_str(), result.palette.c_str(), result.encoder.c_str());
    if (result.highlight) {
      const auto& h = *result.highlight;
      std::printf("Highlight %.1f-%.1f s of the song (its music repeated %d more time%s, energy %.2f%s)\n", h.start_s,
                  h.end_s, h.repeats, h.repeats == 1 ? "" : "s", h.energy, h.section_start ? ", starts a section" : "");
    }
    if (!result.lyrics.empty()) std::printf("Lyrics from %s\n", result.lyrics.c_str());
    if (result.soundtrack && result.soundtrack->contains("photos_used")) {  // a promo
      const auto& p = *result.soundtrack;
      std::string cuts;
      for (const auto& c : p["cuts"]) cuts += (cuts.empty() ? "" : ", ") + std::to_string(c.get<double>()).substr(0, 5);
      std::printf("%d photos, changing at the voice-over's pauses (%s s); %.1f LUFS\n%s\n", p["photos_used"].get<int>(),
                  cuts.empty() ? "one shot" : cuts.c_str(), p["loudness_lufs"].get<double>(),
                  p["music"]["reason"].get<std::string>().c_str());
    }
    if (with_timeline) std::printf("%s\n", result.timeline.c_str());
  }
  std::fflush(stdout);
}

int preview_command(const Args& args, const mv::CancelToken& cancel) {
  const auto t0 = std::chrono::steady_clock::now();
  if (args.positional.size() != 1) throw mv::Error(mv::ErrorCode::Usage, "mvgen preview takes exactly one INPUT file");
  const auto out = args.get("-o");
  if (!out) throw mv::Error(mv::ErrorCode::Usage, "mvgen preview needs -o FRAME.png");
  const mv::GenerateRequest req = mv::local_request(spec_from_args(args, args.positional, *out));
  double at = 0.0;
  if (auto v = args.get("--at")) {
    try {
      at = std::stod(*v);
    } catch (const std::exception&) {
      throw mv::Error(mv::ErrorCode::Usage, "--at must be a number of seconds (got \"" + *v + "\")");
    }
    if (at < 0) throw mv::Error(mv::ErrorCode::Usage, "--at must be 0 or more seconds");
  }
  const mv::Canvas frame = mv::render_preview(req, at, &cancel);
  mv::write_png(frame, req.output);
  if (!args.has("--quiet")) {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("Wrote %s (%dx%d, at %.2f s, %.2f s)\n", req.output.c_str(), frame.width(), frame.height(), at, s);
  }
  return 0;
}

namespace {

int generate_single(const Args& args, const mv::CancelToken& cancel, ProgressPrinter& printer) {
  const auto out = args.get("-o");
  const bool cloud = args.get("--backend").value_or("local") == "cloud";
  if (args.positional.empty() || (!cloud && args.positional.size() != 1)) {
    throw mv::Error(mv::ErrorCode::Usage, cloud ? "give at least one INPUT file" : "mvgen generate takes exactly one INPUT file");
  }
  if (!out) throw mv::Error(mv::ErrorCode::Usage, "mvgen generate needs -o OUT.mp4");
  const mv::JobSpec spec = spec_from_args(args, args.positional, *out);
  mv::JobRunner runner(cloud_options(args.get("--api-url")));
  const mv::JobResult result = runner.run(spec, [&](const mv::JobEvent& e) { printer.event(e); }, cancel);
  printer.finish();
  print_result(result, printer.json());
  return 0;
}

}  // namespace

int soundtrack_command(const Args& args, const mv::CancelToken& cancel, ProgressPrinter& printer) {
  if (args.positional.size() != 1) throw mv::Error(mv::ErrorCode::Usage, "mvgen soundtrack takes exactly one VIDEO file");
  const auto out = args.get("-o");
  if (!out) throw mv::Error(mv::ErrorCode::Usage, "mvgen soundtrack needs -o OUT.mp4");
  if (args.has("--backend") && args.get("--backend") != "local") {
    throw mv::Error(mv::ErrorCode::Usage, "mvgen soundtrack runs the local engine; for the cloud use generate --backend cloud --kind background_music");
  }
  mv::JobSpec spec = spec_from_args(args, args.positional, *out);
  spec.kind = mv::JobKind::BackgroundMusic;
  mv::JobRunner runner;
  const mv::JobResult result = runner.run(spec, [&](const mv::JobEvent& e) { printer.event(e); }, cancel);
  printer.finish();
  print_result(result, printer.json());
  return 0;
}

namespace {

/// One input of a batch.
struct BatchItem {
  mv::JobSpec spec;
  std::optional<mv::ErrorCode> outcome;  ///< nullopt: done
};

/// The batch's jobs: FOLDER/<input stem>.mp4 each; two inputs with one name are a usage error.
std::vector<BatchItem> batch_items(const Args& args, const fs::path& folder) {
  std::vector<BatchItem> items;
  std::set<std::string> names;
  const mv::JobSpec base = spec_from_args(args, {}, "");
  for (const auto& in : args.positional) {
    BatchItem item{base, std::nullopt};
    item.spec.inputs.insert(item.spec.inputs.begin(), fs::path(in));
    item.spec.output = folder / (fs::path(in).stem().string() + ".mp4");
    if (!names.insert(item.spec.output.filename().string()).second) {
      throw mv::Error(mv::ErrorCode::Usage, "two inputs would both write " + item.spec.output.string() + "; rename one");
    }
    items.push_back(std::move(item));
  }
  return items;
}

/// Prints batch lines from several job threads, one at a time.
class BatchPrinter {
 public:
  BatchPrinter(bool json, bool quiet, std::size_t total) : json_(json), quiet_(quiet), total_(total) {}
  void line(const nlohmann::json& j) {
    std::lock_guard lock(mutex_);
    std::cout << j.dump() << std::endl;
  }
  void state(std::size_t i, const fs::path& input, mv::JobState s) {
    if (json_) {
      line({{"job", i}, {"input", input.string()}, {"state", mv::job_state_name(s)}});
    } else if (!quiet_ && s == mv::JobState::Running) {
      std::lock_guard lock(mutex_);
      std::fprintf(stderr, "[%zu/%zu] %s: rendering\n", i + 1, total_, input.c_str());
    }
  }
  void result(std::size_t i, const fs::path& input, const mv::JobResult& r) {
    if (json_) return line({{"job", i}, {"input", input.string()}, {"result", r.to_json()}});
    std::lock_guard lock(mutex_);
    print_result(r, false, false);
  }
  void error(std::size_t i, const fs::path& input, const mv::JobError& e) {
    if (json_) return line({{"job", i}, {"input", input.string()}, {"error", e.to_json()}});
    if (e.code == mv::ErrorCode::Cancelled) return;
    std::lock_guard lock(mutex_);
    std::fprintf(stderr, "mvgen: %s: %s\n", input.c_str(), e.message.c_str());
  }
  [[nodiscard]] bool json() const { return json_; }
  [[nodiscard]] bool quiet() const { return quiet_; }

 private:
  std::mutex mutex_;
  bool json_, quiet_;
  std::size_t total_;
};

/// Runs one batch item on a queue worker; its outcome is kept in the item.
void run_item(mv::JobRunner& runner, BatchItem& item, std::size_t i, BatchPrinter& out, const mv::CancelToken& cancel) {
  const fs::path input = item.spec.inputs.front();
  int last_tenth = -1;
  try {
    const auto result = runner.run(item.spec, [&](const mv::JobEvent& e) {
      if (!out.json() || e.stage == mv::Stage::Done) return;
      const double overall = overall_fraction(e.stage, e.fraction);
      const int tenth = static_cast<int>(overall * 10.0);
      if (tenth == last_tenth) return;
      last_tenth = tenth;
      out.line({{"job", i}, {"stage", mv::stage_name(e.stage)}, {"progress", overall}});
    }, cancel);
    out.result(i, input, result);
  } catch (const std::exception& e) {
    const mv::JobError error = mv::job_error_from(e);
    item.outcome = error.code;
    out.error(i, input, error);
    throw;
  }
}

int generate_batch(const Args& args, const mv::CancelToken& cancel) {
  if (args.positional.empty()) throw mv::Error(mv::ErrorCode::Usage, "mvgen generate --batch needs at least one INPUT");
  const auto out = args.get("-o");
  if (!out) throw mv::Error(mv::ErrorCode::Usage, "mvgen generate --batch needs -o FOLDER");
  std::error_code ec;
  if (!fs::is_directory(*out, ec)) throw mv::Error(mv::ErrorCode::Output, "the folder " + *out + " does not exist");
  const bool cloud = args.get("--backend").value_or("local") == "cloud";
  int max_jobs = cloud ? 1 : 2;  // the cloud's batch runs in one session, one job at a time
  if (auto j = args.get("--jobs")) {
    const double n = to_number("--jobs", *j);
    if (n < 1 || n > 64 || std::floor(n) != n) throw mv::Error(mv::ErrorCode::Usage, "--jobs must be a whole number from 1 to 64");
    if (!cloud) max_jobs = static_cast<int>(n);
  }
  std::vector<BatchItem> items = batch_items(args, *out);
  BatchPrinter printer(args.has("--json"), args.has("--quiet"), items.size());
  mv::JobRunner runner(cloud_options(args.get("--api-url"), /*reuse_session=*/true));
  // A fresh queue numbers jobs 1, 2, 3… in submission order: job id k is items[k - 1].
  mv::JobQueue queue(max_jobs, [&](mv::JobQueue::JobId id, mv::JobState state, const std::string&) {
    if (state != mv::JobState::Queued) printer.state(id - 1, items[id - 1].spec.inputs.front(), state);
  });
  std::vector<mv::JobQueue::JobId> ids;
  for (std::size_t i = 0; i < items.size(); ++i) {
    ids.push_back(queue.submit([&, i](const mv::CancelToken& job_cancel) { run_item(runner, items[i], i, printer, job_cancel); }));
  }
  while (!std::all_of(ids.begin(), ids.end(), [&](auto id) { return mv::job_finished(queue.state(id)); })) {
    if (cancel.requested()) queue.cancel_all();  // Ctrl-C reaches every job
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::vector<std::optional<mv::ErrorCode>> outcomes;
  int done = 0, failed = 0, cancelled = 0;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const auto st = queue.state(ids[k]);
    done += st == mv::JobState::Done ? 1 : 0;
    cancelled += st == mv::JobState::Cancelled ? 1 : 0;
    failed += st == mv::JobState::Failed ? 1 : 0;
    outcomes.push_back(st == mv::JobState::Cancelled ? std::optional(mv::ErrorCode::Cancelled) : items[k].outcome);
  }
  if (printer.json()) {
    printer.line({{"stage", "done"}, {"done", done}, {"failed", failed}, {"cancelled", cancelled}, {"jobs", max_jobs},
                  {"peak_running", queue.peak_running()}});
  } else if (!printer.quiet()) {
    std::fprintf(stderr, "%d done, %d failed, %d cancelled (at most %d at a time)\n", done, failed, cancelled,
                 queue.peak_running());
  }
  return cancel.requested() ? 130 : mv::batch_exit_code(outcomes);
}

}  // namespace

int generate_command(const Args& args, const mv::CancelToken& cancel, ProgressPrinter& printer) {
  if (args.has("--batch")) return generate_batch(args, cancel);
  if (args.has("--jobs")) throw mv::Error(mv::ErrorCode::Usage, "--jobs goes with --batch");
  return generate_single(args, cancel, printer);
}

}  // namespace mvcli
