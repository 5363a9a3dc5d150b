// main.cpp — mvgen, the command-line front end of mvcore.
//
//   mvgen generate INPUT -o OUT.mp4 [options]   make a music video
//   mvgen analyze INPUT [options]               print the analysis as JSON
//   mvgen bench [options]                       benchmark against the ffmpeg CLI
//
// Exit codes (README "Exit codes"): 0 done, 1 internal or FFmpeg failure,
// 2 usage, 3 bad input, 4 output refused or not writable, 130 cancelled.
#include <csignal>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench.hpp"
#include "cloud-commands.hpp"
#include "mv/analysis.hpp"
#include "mv/error.hpp"
#include "mv/generate.hpp"
#include "mv/job-queue.hpp"
#include "mv/look.hpp"
#include "mv/media.hpp"
#include "progress-printer.hpp"

namespace {

namespace fs = std::filesystem;

mv::CancelToken g_cancel;

extern "C" void on_interrupt(int /*signal*/) {
  g_cancel.request();
  // A second Ctrl-C kills at once.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

constexpr const char* kUsage = R"(mvgen — turn a song into a beat-synced music video (local engine)

Usage:
  mvgen generate INPUT -o OUT.mp4 [options]
  mvgen generate --batch INPUT... -o FOLDER [--jobs N] [options]   (one MP4 per input: FOLDER/<name>.mp4)
  mvgen analyze INPUT [--start S] [--duration S] [--bpm BPM] [--tempo-range MIN-MAX]
  mvgen bench [--song FILE] [--seconds 180] [--preset veryfast] [--long FILE]
  mvgen generate --backend cloud INPUT... --prompt TEXT -o OUT.mp4   (--batch: one render per input, -o FOLDER)
  mvgen cloud credits | status | chat TEXT [FILE...] | export -o OUT.mp4   [--api-url URL] [--json]
  mvgen jobs list | resume [JOB_ID]
  mvgen --version | --help

INPUT: mp3, wav, flac, ogg, m4a, aac, or a video (mp4, mov, mkv, webm) whose audio is used.

generate options:
  -o, --output FILE       the MP4 to write (required)
  --aspect 16:9|9:16|1:1  1920x1080, 1080x1920, 1080x1080 (default 16:9)
  --resolution 720p|1080p (default 1080p; 720p scales the aspect's size by 2/3)
  --size WxH              any even size, e.g. 320x180 (overrides --aspect/--resolution)
  --fps 24|30|60          (default 30)
  --style NAME            bars, wave, pulse, montage (default bars; montage with --clips)
  --palette NAME          neon, sunset, ocean, fire, forest, mono, pastel (default neon)
  --intensity X           0.3 … 2 (default 1; prompt words: calm 0.6, intense 1.5)
  --prompt TEXT           keywords pick style, palette, intensity (see README)
  --title TEXT            title drawn over the first 4 s
  --clips FILE...         photos and video clips for a montage cut on the beat
  --start S --duration S  use an excerpt of the input (seconds)
  --bpm BPM               force the tempo
  --tempo-range MIN-MAX   tempo search range in BPM (default 60-200)
  --preset NAME           x264 preset (default veryfast)
  --crf N                 x264 quality, lower is better (default 23)
  --threads N             encoder threads (default: all cores)
  --force                 replace an existing output
  --batch                 several INPUTs, -o names a folder; each input → FOLDER/<input name>.mp4
  --jobs N                with --batch: at most N renders at a time (default 2)
  --backend local|cloud   the local engine (default, offline) or the vendor cloud
  --json                  progress and result as JSON lines on stdout
  --quiet                 no progress output

Exit codes: 0 done, 1 internal/FFmpeg failure, 2 usage, 3 bad input, 4 output refused, 130 cancelled.
)";

int exit_code(mv::ErrorCode code) {
  switch (code) {
    case mv::ErrorCode::Usage: return 2;
    case mv::ErrorCode::InputMissing:
    case mv::ErrorCode::InputInvalid: return 3;
    case mv::ErrorCode::Output: return 4;
    case mv::ErrorCode::Cancelled: return 130;
    case mv::ErrorCode::Media:
    case mv::ErrorCode::Internal: return 1;
  }
  return 1;
}

/// Parsed command line: positional arguments and --options with their values.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> options;
  [[nodiscard]] bool has(const std::string& k) const { return options.count(k) != 0; }
  [[nodiscard]] std::optional<std::string> get(const std::string& k) const {
    auto it = options.find(k);
    if (it == options.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
  }
};

Args parse_args(int argc, char** argv, int first) {
  static const std::map<std::string, int> kArity = {
      {"-o", 1},         {"--output", 1}, {"--aspect", 1},  {"--resolution", 1}, {"--fps", 1},
      {"--style", 1},    {"--palette", 1}, {"--intensity", 1}, {"--prompt", 1},   {"--title", 1},
      {"--clips", -1},   {"--start", 1},  {"--duration", 1}, {"--bpm", 1},       {"--tempo-range", 1},
      {"--preset", 1},   {"--crf", 1},    {"--threads", 1},  {"--force", 0},     {"--json", 0},
      {"--quiet", 0},    {"--song", 1},   {"--seconds", 1},  {"--long", 1},      {"--backend", 1},
      {"--batch", 0},    {"--api-url", 1},  {"--jobs", 1},     {"--size", 1}};
  Args args;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() > 1 && a[0] == '-' && !(a.size() > 1 && std::isdigit(static_cast<unsigned char>(a[1])) != 0)) {
      std::string value;
      if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
        value = a.substr(eq + 1);
        a.resize(eq);
        args.options[a == "--output" ? "-o" : a].push_back(value);
        continue;
      }
      auto it = kArity.find(a);
      if (it == kArity.end()) throw mv::Error(mv::ErrorCode::Usage, "unknown option " + a + " (see mvgen --help)");
      const std::string key = a == "--output" ? "-o" : a;
      auto& values = args.options[key];
      if (it->second == 0) continue;
      if (it->second == -1) {  // all following non-option words
        while (i + 1 < argc && argv[i + 1][0] != '-') values.emplace_back(argv[++i]);
        if (values.empty()) throw mv::Error(mv::ErrorCode::Usage, a + " needs at least one file");
        continue;
      }
      if (i + 1 >= argc) throw mv::Error(mv::ErrorCode::Usage, a + " needs a value");
      values.emplace_back(argv[++i]);
    } else {
      args.positional.push_back(a);
    }
  }
  return args;
}

double to_number(const std::string& option, const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(v)) {
    throw mv::Error(mv::ErrorCode::Usage, option + " needs a number, got \"" + text + "\"");
  }
  return v;
}

mv::AnalysisOptions analysis_options(const Args& args) {
  mv::AnalysisOptions o;
  if (auto v = args.get("--start")) {
    o.start_s = to_number("--start", *v);
    if (o.start_s < 0) throw mv::Error(mv::ErrorCode::Usage, "--start must be 0 or more seconds");
  }
  if (auto v = args.get("--duration")) {
    o.duration_s = to_number("--duration", *v);
    if (*o.duration_s <= 0) throw mv::Error(mv::ErrorCode::Usage, "--duration must be more than 0 seconds");
  }
  if (auto v = args.get("--bpm")) {
    o.bpm = to_number("--bpm", *v);
    if (*o.bpm < 20 || *o.bpm > 400) throw mv::Error(mv::ErrorCode::Usage, "--bpm must be between 20 and 400");
  }
  if (auto v = args.get("--tempo-range")) {
    const auto dash = v->find('-');
    if (dash == std::string::npos) throw mv::Error(mv::ErrorCode::Usage, "--tempo-range needs MIN-MAX, e.g. 80-160");
    o.min_bpm = to_number("--tempo-range", v->substr(0, dash));
    o.max_bpm = to_number("--tempo-range", v->substr(dash + 1));
    if (o.min_bpm < 20 || o.max_bpm > 400 || o.max_bpm < o.min_bpm * 1.5) {
      throw mv::Error(mv::ErrorCode::Usage, "--tempo-range must lie in 20-400 and span at least a factor 1.5");
    }
  }
  return o;
}

std::string require_input(const Args& args, const char* command) {
  if (args.positional.size() != 1) {
    throw mv::Error(mv::ErrorCode::Usage, std::string("mvgen ") + command + " takes exactly one INPUT file");
  }
  return args.positional.front();
}

int cmd_analyze(const Args& args) {
  const std::string input = require_input(args, "analyze");
  const auto analysis = mv::analyze_file(input, analysis_options(args));
  std::cout << mv::analysis_to_json(analysis).dump(2) << "\n";
  return 0;
}

/// Video settings from the generate options (--aspect, --resolution, --size, --fps,
/// --style, --palette, --intensity, --prompt, --title, --clips, --preset, --crf, --threads).
/// Errors: Error{Usage} for bad values.
mv::VideoSettings video_settings(const Args& args) {
  mv::VideoSettings v;
  const std::string aspect = args.get("--aspect").value_or("16:9");
  if (aspect == "16:9") {
    v.width = 1920, v.height = 1080;
  } else if (aspect == "9:16") {
    v.width = 1080, v.height = 1920;
  } else if (aspect == "1:1") {
    v.width = 1080, v.height = 1080;
  } else {
    throw mv::Error(mv::ErrorCode::Usage, "--aspect must be 16:9, 9:16 or 1:1");
  }
  const std::string res = args.get("--resolution").value_or("1080p");
  if (res == "720p") {
    v.width = v.width * 2 / 3, v.height = v.height * 2 / 3;
  } else if (res != "1080p") {
    throw mv::Error(mv::ErrorCode::Usage, "--resolution must be 720p or 1080p");
  }
  if (auto size = args.get("--size")) {
    const auto x = size->find('x');
    const double w = x == std::string::npos ? -1 : to_number("--size", size->substr(0, x));
    const double h = x == std::string::npos ? -1 : to_number("--size", size->substr(x + 1));
    if (w < 16 || h < 16 || w > 7680 || h > 7680 || std::fmod(w, 2.0) != 0.0 || std::fmod(h, 2.0) != 0.0) {
      throw mv::Error(mv::ErrorCode::Usage, "--size needs WIDTHxHEIGHT, even numbers from 16 to 7680, e.g. 320x180");
    }
    v.width = static_cast<int>(w), v.height = static_cast<int>(h);
  }
  if (auto fps = args.get("--fps")) {
    if (*fps != "24" && *fps != "30" && *fps != "60") throw mv::Error(mv::ErrorCode::Usage, "--fps must be 24, 30 or 60");
    v.fps = std::stoi(*fps);
  }
  v.style = args.get("--style");
  v.palette = args.get("--palette");
  if (auto x = args.get("--intensity")) v.intensity = to_number("--intensity", *x);
  v.prompt = args.get("--prompt").value_or("");
  v.title = args.get("--title").value_or("");
  if (args.has("--clips")) {
    for (const auto& c : args.options.at("--clips")) v.clips.emplace_back(c);
  }
  if (auto p = args.get("--preset")) v.preset = *p;
  if (auto c = args.get("--crf")) v.crf = static_cast<int>(to_number("--crf", *c));
  if (auto t = args.get("--threads")) v.threads = static_cast<int>(to_number("--threads", *t));
  (void)mv::resolve_look(v);  // unknown style/palette names are usage errors before any work
  return v;
}

nlohmann::json result_json(const mv::GenerateResult& result) {
  const auto& t = result.timings;
  nlohmann::json timings = {{"analysis_s", t.analysis_s}, {"plan_s", t.plan_s}, {"audio_decode_s", t.audio_s},
                            {"draw_s", t.draw_s},         {"encode_s", t.encode_s}, {"mux_s", t.mux_s},
                            {"total_s", t.total_s}};
  return {{"path", result.output.string()},
          {"duration", result.duration_s},
          {"size", result.size_bytes},
          {"bpm", result.tempo_bpm},
          {"frames", result.frames},
          {"style", result.style},
          {"palette", result.palette},
          {"timeline", result.timeline.summary()},
          {"timings", timings}};
}

/// `mvgen generate --batch IN... -o FOLDER [--jobs N]`: every input becomes
/// FOLDER/<input stem>.mp4, rendered by a mv::JobQueue with at most N jobs at a
/// time (default 2). One input's failure does not stop the others; Ctrl-C
/// cancels them all (each removes its temporary file). With --json, stdout has
/// one line per job state change ({"job":i,"input":…,"state":…}), progress
/// lines ({"job":i,"stage":…,"progress":…}, every 10 %), a result or error per
/// job, and a summary {"stage":"done","done":…,"failed":…,"cancelled":…,
/// "jobs":N,"peak_running":…}. Exit code: 0 all done, 130 cancelled, else the
/// failures' common exit code (1 when they differ).
int cmd_generate_batch(const Args& args) {
  if (args.positional.empty()) throw mv::Error(mv::ErrorCode::Usage, "mvgen generate --batch needs at least one INPUT");
  const auto out = args.get("-o");
  if (!out) throw mv::Error(mv::ErrorCode::Usage, "mvgen generate --batch needs -o FOLDER");
  const fs::path folder = *out;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw mv::Error(mv::ErrorCode::Output, "the folder " + folder.string() + " does not exist");
  int max_jobs = 2;
  if (auto j = args.get("--jobs")) {
    const double n = to_number("--jobs", *j);
    if (n < 1 || n > 64 || std::floor(n) != n) throw mv::Error(mv::ErrorCode::Usage, "--jobs must be a whole number from 1 to 64");
    max_jobs = static_cast<int>(n);
  }
  const mv::VideoSettings video = video_settings(args);
  const mv::AnalysisOptions analysis = analysis_options(args);
  const bool json = args.has("--json"), quiet = args.has("--quiet"), force = args.has("--force");

  struct Item {
    fs::path input, output;
    mv::ErrorCode code = mv::ErrorCode::Internal;
  };
  std::vector<Item> items;
  std::set<std::string> names;
  for (const auto& in : args.positional) {
    Item item{in, folder / (fs::path(in).stem().string() + ".mp4")};
    if (!names.insert(item.output.filename().string()).second) {
      throw mv::Error(mv::ErrorCode::Usage, "two inputs would both write " + item.output.string() + "; rename one");
    }
    items.push_back(item);
  }

  std::mutex print_mutex;
  auto say = [&](const nlohmann::json& line) {
    std::lock_guard<std::mutex> lock(print_mutex);
    std::cout << line.dump() << std::endl;
  };
  const std::size_t total = items.size();
  // A fresh queue numbers jobs 1, 2, 3… in submission order: job id k is items[k - 1].
  auto index = [](mv::JobQueue::JobId id) { return static_cast<std::size_t>(id - 1); };
  mv::JobQueue queue(max_jobs, [&](mv::JobQueue::JobId id, mv::JobState state, const std::string& /*error*/) {
    if (state == mv::JobState::Queued) return;
    const std::size_t i = index(id);
    if (json) {
      say({{"job", i}, {"input", items[i].input.string()}, {"state", mv::job_state_name(state)}});
    } else if (!quiet && state == mv::JobState::Running) {
      std::lock_guard<std::mutex> lock(print_mutex);
      std::fprintf(stderr, "[%zu/%zu] %s: rendering\n", i + 1, total, items[i].input.c_str());
    }
  });
  std::vector<mv::JobQueue::JobId> ids;
  {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto id = queue.submit([&, i](const mv::CancelToken& cancel) {
        mv::GenerateRequest req;
        req.input = items[i].input;
        req.output = items[i].output;
        req.force = force;
        req.video = video;
        req.analysis = analysis;
        int last_tenth = -1;
        try {
          const auto result = mv::generate(
              req,
              [&](mv::Stage stage, double fraction) {
                if (!json) return;
                const int tenth = static_cast<int>(mvcli::overall_fraction(stage, fraction) * 10.0);
                if (tenth == last_tenth) return;
                last_tenth = tenth;
                say({{"job", i}, {"stage", mv::stage_name(stage)}, {"progress", mvcli::overall_fraction(stage, fraction)}});
              },
              &cancel);
          if (json) {
            say({{"job", i}, {"input", items[i].input.string()}, {"result", result_json(result)}});
          } else {
            std::lock_guard<std::mutex> lock(print_mutex);
            std::printf("Wrote %s (%.1f s, %.1f MB, %.1f BPM, style %s/%s)\n", result.output.c_str(), result.duration_s,
                        static_cast<double>(result.size_bytes) / 1e6, result.tempo_bpm, result.style.c_str(),
                        result.palette.c_str());
            std::fflush(stdout);
          }
        } catch (const mv::Error& e) {
          items[i].code = e.code();
          if (json) {
            say({{"job", i}, {"input", items[i].input.string()},
                 {"error", {{"code", mv::error_code_id(e.code())}, {"message", e.what()}}}});
          } else if (e.code() != mv::ErrorCode::Cancelled) {
            std::lock_guard<std::mutex> lock(print_mutex);
            std::fprintf(stderr, "mvgen: %s: %s\n", items[i].input.c_str(), e.what());
          }
          throw;
        } catch (const std::exception& e) {
          std::lock_guard<std::mutex> lock(print_mutex);
          std::fprintf(stderr, "mvgen: %s: internal error: %s\n", items[i].input.c_str(), e.what());
          throw;
        }
      });
      ids.push_back(id);
    }
  }
  // Wait, passing Ctrl-C on to every job.
  for (;;) {
    if (g_cancel.requested()) queue.cancel_all();
    bool all = true;
    for (auto id : ids) {
      const auto st = queue.state(id);
      all = all && (st == mv::JobState::Done || st == mv::JobState::Failed || st == mv::JobState::Cancelled);
    }
    if (all) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  int done = 0, failed = 0, cancelled = 0;
  std::optional<mv::ErrorCode> common;
  bool mixed = false;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    switch (queue.state(ids[k])) {
      case mv::JobState::Done: ++done; break;
      case mv::JobState::Cancelled: ++cancelled; break;
      default:
        ++failed;
        if (common && *common != items[k].code) mixed = true;
        common = items[k].code;
    }
  }
  if (json) {
    say({{"stage", "done"}, {"done", done}, {"failed", failed}, {"cancelled", cancelled}, {"jobs", max_jobs},
         {"peak_running", queue.peak_running()}});
  } else if (!quiet) {
    std::fprintf(stderr, "%d done, %d failed, %d cancelled (at most %d at a time)\n", done, failed, cancelled,
                 queue.peak_running());
  }
  if (g_cancel.requested() || cancelled > 0) return 130;
  if (failed > 0) return mixed || !common ? 1 : exit_code(*common);
  return 0;
}

int cmd_generate(const Args& args, mvcli::ProgressPrinter& printer) {
  if (args.has("--batch")) return cmd_generate_batch(args);
  if (args.has("--jobs")) throw mv::Error(mv::ErrorCode::Usage, "--jobs goes with --batch");
  mv::GenerateRequest req;
  req.input = require_input(args, "generate");
  const auto out = args.get("-o");
  if (!out) throw mv::Error(mv::ErrorCode::Usage, "mvgen generate needs -o OUT.mp4");
  req.output = *out;
  req.force = args.has("--force");
  req.analysis = analysis_options(args);
  req.video = video_settings(args);

  const auto result = mv::generate(
      req, [&](mv::Stage s, double f) { printer.update(s, f); }, &g_cancel);
  printer.finish();
  if (printer.json()) {
    printer.json_line({{"stage", "done"}, {"progress", 1.0}, {"result", result_json(result)}});
  } else {
    std::printf("Wrote %s (%.1f s, %.1f MB, %.1f BPM, style %s/%s)\n", result.output.c_str(), result.duration_s,
                static_cast<double>(result.size_bytes) / 1e6, result.tempo_bpm, result.style.c_str(),
                result.palette.c_str());
    std::printf("%s\n", result.timeline.summary().c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::printf("mvgen %s\n", MV_VERSION);
    return 0;
  }
  mv::quiet_ffmpeg_log();
  mv::limit_ffmpeg_allocation();  // a hostile header must not make FFmpeg claim gigabytes
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  const std::string command = argv[1];
  bool json = false, quiet = false;
  for (int i = 2; i < argc; ++i) {
    json = json || std::strcmp(argv[i], "--json") == 0;
    quiet = quiet || std::strcmp(argv[i], "--quiet") == 0;
  }
  mvcli::ProgressPrinter printer(json, quiet);
  try {
    const Args args = parse_args(argc, argv, 2);
    auto cloud_args = [&](std::size_t skip) {
      mvcli::CloudArgs c;
      c.positional.assign(args.positional.begin() + static_cast<std::ptrdiff_t>(std::min(skip, args.positional.size())),
                          args.positional.end());
      c.output = args.get("-o");
      c.prompt = args.get("--prompt");
      c.api_url = args.get("--api-url");
      c.force = args.has("--force");
      c.json = args.has("--json");
      c.batch = args.has("--batch");
      return c;
    };
    if (command == "generate") {
      const std::string backend = args.get("--backend").value_or("local");
      if (backend == "cloud") return mvcli::cloud_generate_command(cloud_args(0), g_cancel);
      if (backend != "local") throw mv::Error(mv::ErrorCode::Usage, "--backend must be local or cloud");
      return cmd_generate(args, printer);
    }
    if (command == "cloud" || command == "jobs") {
      if (args.positional.empty()) throw mv::Error(mv::ErrorCode::Usage, "mvgen " + command + " needs a sub-command (see mvgen --help)");
      const std::string verb = args.positional.front();
      return command == "cloud" ? mvcli::cloud_command(verb, cloud_args(1), g_cancel)
                                : mvcli::jobs_command(verb, cloud_args(1), g_cancel);
    }
    if (command == "analyze") return cmd_analyze(args);
    if (command == "bench") return mvcli::run_bench(argv[0], args.get("--song"), args.get("--long"),
                                                    args.get("--seconds").value_or("180"),
                                                    args.get("--preset").value_or("veryfast"));
    throw mv::Error(mv::ErrorCode::Usage, "unknown command \"" + command + "\" (see mvgen --help)");
  } catch (const mv::Error& e) {
    printer.finish();
    if (printer.json()) printer.json_line({{"error", {{"code", mv::error_code_id(e.code())}, {"message", e.what()}}}});
    std::fprintf(stderr, "mvgen: %s\n", e.code() == mv::ErrorCode::Cancelled ? "cancelled; no output was written" : e.what());
    return exit_code(e.code());
  } catch (const std::exception& e) {
    printer.finish();
    if (printer.json()) printer.json_line({{"error", {{"code", "internal"}, {"message", e.what()}}}});
    std::fprintf(stderr, "mvgen: internal error: %s\n", e.what());
    return 1;
  }
}
