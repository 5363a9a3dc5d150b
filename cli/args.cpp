// args.cpp — see args.hpp.
#include "args.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "mv/base/error.hpp"
#include "mv/render/generate.hpp"
#include "mv/media/mp4-writer.hpp"

namespace mvcli {

std::optional<std::string> Args::get(const std::string& key) const {
  auto it = options.find(key);
  if (it == options.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

namespace {

/// Options and how many values each takes (-1: all following words; -2: one
/// number when the next word is one, else none).
const std::map<std::string, int>& arity() {
  static const std::map<std::string, int> kArity = {
      {"-o", 1},         {"--output", 1},  {"--aspect", 1},    {"--resolution", 1}, {"--fps", 1},
      {"--style", 1},    {"--palette", 1}, {"--intensity", 1}, {"--prompt", 1},     {"--title", 1},
      {"--clips", -1},   {"--start", 1},   {"--duration", 1},  {"--bpm", 1},        {"--tempo-range", 1},
      {"--preset", 1},   {"--crf", 1},     {"--threads", 1},   {"--force", 0},      {"--json", 0},
      {"--quiet", 0},    {"--song", 1},    {"--seconds", 1},   {"--long", 1},       {"--backend", 1},
      {"--batch", 0},    {"--api-url", 1}, {"--jobs", 1},      {"--size", 1},       {"--kind", 1},
      {"--footage", 1},  {"--image", 1},   {"--look", 1},      {"--at", 1},
      {"--encoder", 1},  {"--artist", 1},  {"--lut", 1},      {"--no-title", 0},   {"--end-card", 0},
      {"--progress-bar", 0}, {"--lyrics", 1}, {"--highlight", -2}, {"--short", 0}, {"--fit", 1}, {"--charts", 1},
      {"--highlight-start", 1}, {"--music", 1}, {"--seed", 1}, {"--cta", 1}, {"--verbose", 0},
      {"--audio-track", 1}};
  return kArity;
}

bool is_option(const std::string& a) {
  return a.size() > 1 && a[0] == '-' && std::isdigit(static_cast<unsigned char>(a[1])) == 0;
}

}  // namespace

Args parse_args(int argc, char** argv, int first) {
  Args args;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (!is_option(a)) {
      args.positional.push_back(a);
      continue;
    }
    if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
      const std::string value = a.substr(eq + 1);
      a.resize(eq);
      args.options[a == "--output" ? "-o" : a].push_back(value);
      continue;
    }
    auto it = arity().find(a);
    if (it == arity().end()) throw mv::Error(mv::ErrorCode::Usage, "unknown option " + a + " (see mvgen --help)");
    auto& values = args.options[a == "--output" ? "-o" : a];
    if (it->second == 0) continue;
    if (it->second == -2) {  // an optional number
      char* end = nullptr;
      if (i + 1 < argc && (std::strtod(argv[i + 1], &end), end != argv[i + 1] && *end == '\0')) values.emplace_back(argv[++i]);
      continue;
    }
    if (it->second == -1) {  // all following non-option words
      while (i + 1 < argc && argv[i + 1][0] != '-') values.emplace_back(argv[++i]);
      if (values.empty()) throw mv::Error(mv::ErrorCode::Usage, a + " needs at least one file");
      continue;
    }
    if (i + 1 >= argc) throw mv::Error(mv::ErrorCode::Usage, a + " needs a value");
    values.emplace_back(argv[++i]);
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

namespace {

/// Looks up an id with the job model's parser; a usage error listing the
/// choices when it is unknown.
template <typename T>
T choice(const Args& args, const char* option, std::optional<T> (*parse)(const std::string&), T fallback,
         const char* choices) {
  const auto v = args.get(option);
  if (!v) return fallback;
  const auto parsed = parse(*v);
  if (!parsed) throw mv::Error(mv::ErrorCode::Usage, std::string(option) + " must be " + choices);
  return *parsed;
}

void read_excerpt(const Args& args, mv::JobSpec& s) {
  if (auto v = args.get("--start")) {
    s.start_s = to_number("--start", *v);
    if (*s.start_s < 0) throw mv::Error(mv::ErrorCode::Usage, "--start must be 0 or more seconds");
  }
  if (auto v = args.get("--duration")) {
    s.duration_s = to_number("--duration", *v);
    if (*s.duration_s <= 0) throw mv::Error(mv::ErrorCode::Usage, "--duration must be more than 0 seconds");
  }
  if (auto v = args.get("--bpm")) {
    s.bpm = to_number("--bpm", *v);
    if (*s.bpm < 20 || *s.bpm > 400) throw mv::Error(mv::ErrorCode::Usage, "--bpm must be between 20 and 400");
  }
  if (auto v = args.get("--tempo-range")) s.tempo_range = mv::parse_tempo_range(*v, "--tempo-range");
  if (auto v = args.get("--audio-track")) {
    const double n = to_number("--audio-track", *v);
    if (std::floor(n) != n || n < 1 || n > 64) throw mv::Error(mv::ErrorCode::Usage, "--audio-track must be a track number from 1 (see mvgen analyze)");
    s.audio_track = static_cast<int>(n);
  }
  if (args.has("--highlight") || args.has("--short") || args.has("--highlight-start")) {
    const auto v = args.get("--highlight");
    s.highlight_s = v ? to_number("--highlight", *v) : mv::kDefaultHighlightS;
    if (!(*s.highlight_s >= mv::kMinHighlightS && *s.highlight_s <= mv::kMaxHighlightS)) throw mv::Error(mv::ErrorCode::Usage, "--highlight must be 15 to 60 seconds");
    if (s.start_s || s.duration_s) throw mv::Error(mv::ErrorCode::Usage, "--highlight chooses the excerpt itself; leave out --start and --duration");
  }
  if (auto v = args.get("--highlight-start")) {
    s.highlight_start_s = to_number("--highlight-start", *v);
    if (*s.highlight_start_s < 0) throw mv::Error(mv::ErrorCode::Usage, "--highlight-start must be 0 or more seconds");
  }
}

void read_frame(const Args& args, mv::JobSpec& s) {
  // --short: a vertical frame unless --aspect says otherwise (and the highlight, read_excerpt()).
  // No --aspect: the input's own shape (mv::aspect_for_input), a Short 9:16.
  if (args.has("--aspect") || args.has("--short")) {
    s.aspect = choice(args, "--aspect", mv::aspect_from_id, mv::Aspect::Tall, "16:9, 9:16 or 1:1");
  }
  s.resolution = choice(args, "--resolution", mv::resolution_from_id, mv::Resolution::P1080, "720p or 1080p");
  if (auto size = args.get("--size")) s.size = mv::parse_frame_size(*size, "--size");
  if (auto fps = args.get("--fps")) {
    if (*fps != "24" && *fps != "30" && *fps != "60") throw mv::Error(mv::ErrorCode::Usage, "--fps must be 24, 30 or 60");
    s.fps = std::stoi(*fps);
  }
  if (auto p = args.get("--preset")) s.preset = *p;
  if (auto c = args.get("--crf")) s.crf = static_cast<int>(to_number("--crf", *c));
  if (auto t = args.get("--threads")) s.threads = static_cast<int>(to_number("--threads", *t));
  if (auto e = args.get("--encoder")) {
    if (const auto& names = mv::video_encoder_names(); std::find(names.begin(), names.end(), *e) == names.end()) {
      throw mv::Error(mv::ErrorCode::Usage, "--encoder must be auto, x264, nvenc, vaapi or qsv");
    }
    s.encoder = *e;
  }
}

void read_look(const Args& args, mv::JobSpec& s) {
  s.style = args.get("--look");
  if (!s.style) s.style = args.get("--style");  // the option's older name
  s.palette = args.get("--palette");
  if (auto x = args.get("--intensity")) s.intensity = to_number("--intensity", *x);
  s.prompt = args.get("--prompt").value_or("");
  s.title = args.get("--title").value_or("");
  s.artist = args.get("--artist").value_or("");
  s.lut = args.get("--lut").value_or("");
  s.title_card = !args.has("--no-title");
  s.end_card = args.has("--end-card");
  s.progress_bar = args.has("--progress-bar");
  s.image = args.get("--image").value_or("");
  s.lyrics = args.get("--lyrics").value_or("");
  s.fit = args.get("--fit").value_or("follow");
  if (!mv::is_fit_mode(s.fit)) {
    throw mv::Error(mv::ErrorCode::Usage, "--fit must be follow, blur or letterbox");
  }
  if (auto v = args.get("--footage")) {
    if (*v != "on" && *v != "off") throw mv::Error(mv::ErrorCode::Usage, "--footage must be on or off");
    s.footage = *v == "on";
  }
}

}  // namespace

mv::JobSpec spec_from_args(const Args& args, const std::vector<std::string>& inputs, const std::string& output) {
  mv::JobSpec s;
  s.backend = choice(args, "--backend", mv::backend_from_id, mv::Backend::Local, "local or cloud");
  s.kind = choice(args, "--kind", mv::kind_from_id, mv::JobKind::MusicVideo,
                  "music_video, montage, promo or background_music");
  for (const auto& in : inputs) s.inputs.emplace_back(in);
  if (args.has("--clips")) {
    for (const auto& c : args.options.at("--clips")) s.inputs.emplace_back(c);
  }
  read_look(args, s);
  if (!args.has("--kind")) s.kind = mv::kind_for_prompt(s, mv::JobKind::MusicVideo);  // as the cloud reads it
  read_excerpt(args, s);
  read_frame(args, s);
  s.output = output;
  s.force = args.has("--force");
  s.music = args.get("--music").value_or("");
  s.cta = args.get("--cta").value_or("");
  if (auto v = args.get("--seed")) {
    const double seed = to_number("--seed", *v);
    if (std::floor(seed) != seed || seed < 0 || seed > 4294967295.0) {
      throw mv::Error(mv::ErrorCode::Usage, "--seed must be a whole number from 0 to 4294967295");
    }
    s.seed = static_cast<std::uint32_t>(seed);
  }
  if (s.backend == mv::Backend::Local && s.kind != mv::JobKind::Montage && s.kind != mv::JobKind::BackgroundMusic &&
      s.kind != mv::JobKind::Promo) {
    // Unknown style/palette names are usage errors before any work.
    mv::VideoSettings look;
    look.style = s.style;
    look.palette = s.palette;
    look.intensity = s.intensity;
    look.prompt = s.prompt;
    look.footage = s.footage;
    if (s.inputs.size() > 1) look.clips.assign(s.inputs.begin() + 1, s.inputs.end());
    (void)mv::resolve_look(look);
  }
  return s;
}

mv::AnalysisOptions analysis_from_args(const Args& args) {
  mv::JobSpec s;
  read_excerpt(args, s);
  mv::AnalysisOptions o;
  o.start_s = s.start_s.value_or(0.0);
  o.duration_s = s.duration_s;
  o.bpm = s.bpm;
  o.audio_track = s.audio_track.value_or(0);
  if (s.tempo_range) std::tie(o.min_bpm, o.max_bpm) = *s.tempo_range;
  return o;
}

}  // namespace mvcli
