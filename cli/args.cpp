// args.cpp — see args.hpp.
#include "args.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "mv/base/error.hpp"
#include "mv/jobs/backend.hpp"
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
      {"--progress-bar", 0}, {"--lyrics", 1}, {"--highlight", -2}, {"--short", 0}, {"--fit", 1}, {"--charts", 1}, {"--live", 0},
      {"--highlight-start", 1}, {"--music", 1}, {"--seed", 1}, {"--cta", 1}, {"--verbose", 0},
      {"--audio-track", 1}, {"--analysis", 1}};
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

/// A number option, when given.
std::optional<double> number(const Args& args, const char* option) {
  const auto v = args.get(option);
  return v ? std::optional<double>(to_number(option, *v)) : std::nullopt;
}

/// The options of the excerpt and the analysis, parsed into the job's value types.
void read_excerpt(const Args& args, mv::JobSpec& s) {
  mv::Excerpt& e = s.excerpt;
  e.start_s = number(args, "--start");
  e.duration_s = number(args, "--duration");
  e.highlight_start_s = number(args, "--highlight-start");
  if (args.has("--highlight") || e.highlight_start_s) {
    e.highlight_s = number(args, "--highlight").value_or(mv::kDefaultHighlightS);
  }
  s.bpm = number(args, "--bpm");
  if (auto v = args.get("--tempo-range")) s.tempo_range = mv::parse_tempo_range(*v, "--tempo-range");
  if (auto v = args.get("--analysis")) {
    if (*v != "live" && *v != "song") throw mv::Error(mv::ErrorCode::Usage, "--analysis must be live or song");
    s.live_analysis = *v == "live";
  }
  if (auto n = number(args, "--audio-track")) {
    if (std::floor(*n) != *n) throw mv::Error(mv::ErrorCode::Usage, "--audio-track must be a track number from 1 (see mvgen analyze)");
    s.audio_track = static_cast<int>(*n);
  }
}

void read_frame(const Args& args, mv::JobSpec& s) {
  mv::Framing& f = s.framing;
  // No --aspect: the input's own shape (mv::aspect_for_input); a Short: 9:16 (mv::short_preset).
  if (auto v = args.get("--aspect")) {
    f.aspect = mv::aspect_from_id(*v);
    if (!f.aspect) throw mv::Error(mv::ErrorCode::Usage, "--aspect must be 16:9, 9:16 or 1:1");
  }
  f.resolution = choice(args, "--resolution", mv::resolution_from_id, mv::Resolution::P1080, "720p or 1080p");
  if (auto size = args.get("--size")) f.size = mv::parse_frame_size(*size, "--size");
  if (auto fps = number(args, "--fps")) f.fps = static_cast<int>(*fps);
  f.fit = args.get("--fit").value_or("follow");
  if (auto p = args.get("--preset")) s.preset = *p;
  if (auto c = number(args, "--crf")) s.crf = static_cast<int>(*c);
  if (auto t = number(args, "--threads")) s.threads = static_cast<int>(*t);
  if (auto e = args.get("--encoder")) s.encoder = *e;
}

void read_look(const Args& args, mv::JobSpec& s) {
  mv::LookChoice& l = s.look;
  l.name = args.get("--look");
  if (!l.name) l.name = args.get("--style");  // the option's older name
  l.palette = args.get("--palette");
  l.intensity = number(args, "--intensity");
  l.lut = args.get("--lut").value_or("");
  l.image = args.get("--image").value_or("");
  if (auto v = args.get("--footage")) {
    if (*v != "on" && *v != "off") throw mv::Error(mv::ErrorCode::Usage, "--footage must be on or off");
    l.footage = *v == "on";
  }
  mv::Captions& c = s.captions;
  c.title = args.get("--title").value_or("");
  c.artist = args.get("--artist").value_or("");
  c.title_card = !args.has("--no-title");
  c.end_card = args.has("--end-card");
  c.progress_bar = args.has("--progress-bar");
  c.lyrics = args.get("--lyrics").value_or("");
  c.cta = args.get("--cta").value_or("");
  s.prompt = args.get("--prompt").value_or("");
}

/// A job-model error with the field named as the command line names it:
/// "\"highlight_start\" …" → "--highlight-start …", "\"look\" …" → "--look …".
mv::Error as_option_error(const mv::Error& e) {
  std::string m = e.what();
  if (m.size() > 2 && m.front() == '"') {
    const auto end = m.find('"', 1);
    if (end != std::string::npos) {
      std::string key = m.substr(1, end - 1);
      std::replace(key.begin(), key.end(), '_', '-');
      if (key == "input") return e;
      m = "--" + key + m.substr(end + 1);
    }
  }
  return mv::Error(e.code(), m);
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
  if (args.has("--short")) mv::short_preset(s);
  s.output = output;
  s.force = args.has("--force");
  s.music = args.get("--music").value_or("");
  if (auto v = args.get("--seed")) {
    const double seed = to_number("--seed", *v);
    if (std::floor(seed) != seed || seed < 0 || seed > 4294967295.0) {
      throw mv::Error(mv::ErrorCode::Usage, "--seed must be a whole number from 0 to 4294967295");
    }
    s.seed = static_cast<std::uint32_t>(seed);
  }
  // Every value is checked once, by the job model, before any work.
  try {
    if (!s.inputs.empty() || s.kind == mv::JobKind::Edit) s.validate();
    else {  // a batch's shared options: the inputs come later
      s.look.validate();
      s.captions.validate();
      s.excerpt.validate();
      s.framing.validate();
    }
  } catch (const mv::Error& e) {
    if (e.code() != mv::ErrorCode::Usage) throw;
    throw as_option_error(e);
  }
  return s;
}

mv::AnalysisOptions analysis_from_args(const Args& args, double* highlight_s) {
  mv::JobSpec s;
  read_excerpt(args, s);
  // analyze lists highlights of --highlight S seconds over its excerpt: the same bounds, no exclusion.
  mv::Excerpt lengths;
  lengths.highlight_s = s.excerpt.highlight_s;
  s.excerpt.highlight_s.reset();
  s.excerpt.highlight_start_s.reset();
  try {
    s.excerpt.validate();
    lengths.validate();
  } catch (const mv::Error& e) {
    throw as_option_error(e);
  }
  if (highlight_s != nullptr) *highlight_s = lengths.highlight_s.value_or(mv::kDefaultHighlightS);
  return mv::analysis_options(s);
}

}  // namespace mvcli
