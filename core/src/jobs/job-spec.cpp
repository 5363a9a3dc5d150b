// job-spec.cpp — the job model's lists, ids and JSON form (see mv/jobs/job-spec.hpp).
#include "mv/jobs/job-spec.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "mv/analysis/analysis.hpp"
#include "mv/render/generate.hpp"
#include "mv/base/error.hpp"
#include "mv/base/json-fields.hpp"
#include "mv/base/keywords.hpp"
#include "mv/base/output-file.hpp"
#include "mv/media/media.hpp"
#include "mv/media/mp4-writer.hpp"

namespace mv {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::vector<KindInfo>& job_kinds() {
  static const std::vector<KindInfo> kKinds = {
      {JobKind::MusicVideo, "music_video", true, true},
      {JobKind::Montage, "montage", true, true},
      {JobKind::Promo, "promo", true, true},
      {JobKind::BackgroundMusic, "background_music", true, true},
      {JobKind::Edit, "edit", false, false},
  };
  return kKinds;
}

namespace {

/// "a, b or c" from a list of ids, for messages.
template <typename List, typename Id>
std::string one_of(const List& list, Id id) {
  std::vector<std::string> ids;
  ids.reserve(list.size());
  for (const auto& item : list) ids.emplace_back(id(item));
  return mv::one_of(ids);
}

const std::vector<Backend>& backends() {
  static const std::vector<Backend> kBackends = {Backend::Local, Backend::Cloud};
  return kBackends;
}
const std::vector<RenderPriority>& priorities() {
  static const std::vector<RenderPriority> kPriorities = {RenderPriority::Idle, RenderPriority::Low,
                                                          RenderPriority::Normal};
  return kPriorities;
}

template <typename List, typename Id>
auto find_id(const List& list, Id id, const std::string& text) -> std::optional<std::decay_t<decltype(list[0])>> {
  for (const auto& v : list) {
    if (text == id(v)) return v;
  }
  return std::nullopt;
}

double to_number(const std::string& text, const std::string& field) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(v)) throw field_error(field, "needs a number, got \"" + text + "\"");
  return v;
}

}  // namespace

const char* backend_id(Backend backend) { return backend == Backend::Cloud ? "cloud" : "local"; }

const char* kind_id(JobKind kind) {
  for (const auto& k : job_kinds()) {
    if (k.kind == kind) return k.id;
  }
  return "music_video";
}

const char* priority_id(RenderPriority priority) {
  switch (priority) {
    case RenderPriority::Idle: return "idle";
    case RenderPriority::Low: return "low";
    case RenderPriority::Normal: return "normal";
  }
  return "normal";
}

std::optional<Backend> backend_from_id(const std::string& id) { return find_id(backends(), backend_id, id); }
std::optional<JobKind> kind_from_id(const std::string& id) {
  for (const auto& k : job_kinds()) {
    if (id == k.id) return k.kind;
  }
  return std::nullopt;
}
std::optional<RenderPriority> priority_from_id(const std::string& id) { return find_id(priorities(), priority_id, id); }

std::optional<JobKind> kind_from_prompt(const std::string& prompt) {
  static const std::array<std::pair<const char*, JobKind>, 19> kWords = {{
      {"promo", JobKind::Promo}, {"advert", JobKind::Promo}, {"commercial", JobKind::Promo},
      {"宣传片", JobKind::Promo}, {"广告", JobKind::Promo}, {"推广", JobKind::Promo},
      {"background music", JobKind::BackgroundMusic}, {"soundtrack", JobKind::BackgroundMusic}, {"bgm", JobKind::BackgroundMusic},
      {"配乐", JobKind::BackgroundMusic}, {"背景音乐", JobKind::BackgroundMusic}, {"montage", JobKind::Montage},
      {"highlight reel", JobKind::Montage}, {"混剪", JobKind::Montage}, {"集锦", JobKind::Montage},
      {"music video", JobKind::MusicVideo}, {"音乐视频", JobKind::MusicVideo}, {"mv ", JobKind::MusicVideo},
      {"音乐mv", JobKind::MusicVideo},
  }};
  return first_keyword(prompt, kWords);
}

JobKind kind_for_prompt(const JobSpec& spec, JobKind fallback) {
  const auto kind = kind_from_prompt(spec.prompt);
  if (!kind) return fallback;
  switch (*kind) {
    case JobKind::Montage:
    case JobKind::Promo: return spec.inputs.size() >= 2 ? *kind : fallback;
    case JobKind::BackgroundMusic: {
      if (spec.inputs.size() != 1) return fallback;
      std::string ext = spec.inputs.front().extension().string();
      if (!ext.empty()) ext.erase(0, 1);
      std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      const auto& videos = video_extensions();
      return std::find(videos.begin(), videos.end(), ext) != videos.end() ? *kind : fallback;
    }
    default: return *kind;
  }
}

bool local_kind(JobKind kind) {
  for (const auto& k : job_kinds()) {
    if (k.kind == kind) return k.local;
  }
  return false;
}

std::pair<double, double> parse_tempo_range(const std::string& text, const std::string& field) {
  const auto dash = text.find('-');
  if (dash == std::string::npos) throw Error(ErrorCode::Usage, field + " needs MIN-MAX, e.g. 80-160");
  const double lo = to_number(text.substr(0, dash), field);
  const double hi = to_number(text.substr(dash + 1), field);
  if (!valid_tempo_range(lo, hi)) {
    throw Error(ErrorCode::Usage, field + " must lie in 20-400 and span at least a factor 1.5");
  }
  return {lo, hi};
}

fs::path JobSpec::resolved_output() const {
  if (!output.empty()) return output;
  const fs::path first = inputs.empty() ? fs::path() : inputs.front();
  const fs::path dir = !output_dir.empty() ? output_dir : first.parent_path();
  const std::string stem = first.empty() ? std::string("edit") : first.stem().string();
  const char* suffix = kind == JobKind::BackgroundMusic ? " with music"
                       : kind == JobKind::Promo        ? " promo"
                       : excerpt.highlight_s           ? " short"  // a highlight: the Short of it
                                                       : " music video";
  return unique_output_path(dir, stem + suffix);
}

namespace {

void validate_analysis(const JobSpec& s) {
  if (s.bpm && (*s.bpm < 20 || *s.bpm > 400)) throw field_error("bpm", "must be between 20 and 400");
  if (s.audio_track && (*s.audio_track < 1 || *s.audio_track > 64)) {
    throw field_error("audio_track", "must be a track number from 1 (mvgen analyze lists them)");
  }
  if (s.tempo_range) {
    const auto [lo, hi] = *s.tempo_range;
    if (!valid_tempo_range(lo, hi)) throw field_error("tempo_range", "must lie in 20-400 and span at least a factor 1.5");
  }
}

void validate_encoding(const JobSpec& s) {
  if (s.crf < 0 || s.crf > 51) throw field_error("crf", "must be between 0 and 51");
  if (s.threads < 0 || s.threads > 64) throw field_error("threads", "must be between 0 (all cores) and 64");
  if (const auto& e = video_encoder_names(); std::find(e.begin(), e.end(), s.encoder) == e.end()) {
    throw field_error("encoder", "must be auto, x264, nvenc, vaapi or qsv");
  }
}

}  // namespace

void JobSpec::validate() const {
  if (kind == JobKind::Edit) {
    if (session_id.empty()) throw field_error("session_id", "is missing: no cloud session to edit; generate a cloud video first");
    if (prompt.empty()) throw field_error("prompt", "is empty: the edit message is empty");
  } else if (inputs.empty() && resume_cloud_job.empty()) {
    throw field_error("input", "is missing: no input file given");
  }
  if (kind == JobKind::Montage && inputs.size() < 2 && resume_cloud_job.empty()) {
    throw field_error("input", "needs clips or photos besides the song for a montage");
  }
  if (kind == JobKind::Promo && backend == Backend::Local && inputs.size() < 2) {
    throw field_error("input", "needs photos besides the voice-over for a promo");
  }
  look.validate();
  captions.validate();
  excerpt.validate();
  framing.validate();
  validate_analysis(*this);
  validate_encoding(*this);
}

void short_preset(JobSpec& spec) {
  if (!spec.framing.aspect && !spec.framing.size) spec.framing.aspect = Aspect::Tall;
  if (!spec.excerpt.highlight_s) spec.excerpt.highlight_s = kDefaultHighlightS;
  spec.framing.fit = "follow";
}

json JobSpec::to_json() const {
  json input = json::array();
  for (const auto& p : inputs) input.push_back({{"path", p.string()}});
  json j = {{"input", input},   {"backend", backend_id(backend)}, {"kind", kind_id(kind)},
            {"preset", preset}, {"crf", crf},                     {"threads", threads},
            {"encoder", encoder}, {"priority", priority_id(priority)}, {"force", force}};
  look.to_json(j);
  captions.to_json(j);
  excerpt.to_json(j);
  framing.to_json(j);
  auto text = [&](const char* key, const std::string& v) {
    if (!v.empty()) j[key] = v;
  };
  if (audio_track) j["audio_track"] = *audio_track;
  if (live_analysis) j["analysis"] = "live";
  text("music", music.string());
  if (seed) j["seed"] = *seed;
  text("prompt", prompt);
  if (bpm) j["bpm"] = *bpm;
  if (tempo_range) {
    std::array<char, 64> range{};
    std::snprintf(range.data(), range.size(), "%g-%g", tempo_range->first, tempo_range->second);
    j["tempo_range"] = range.data();
  }
  text("output", output.string());
  text("output_dir", output_dir.string());
  text("session_id", session_id);
  text("user_id", user_id);
  text("resume_cloud_job", resume_cloud_job);
  return j;
}

namespace {

/// The job's own fields (not its option groups) read with errors that name them.
struct FieldReader : JsonFields {
  template <typename T, typename List, typename Id>
  void choice(const char* key, T& out, std::optional<T> (*parse)(const std::string&), const List& list, Id id) const {
    if (const auto v = text(key)) {
      const auto parsed = parse(*v);
      if (!parsed) throw field_error(key, "must be " + one_of(list, id) + " (got \"" + *v + "\")");
      out = *parsed;
    }
  }
  [[nodiscard]] std::vector<fs::path> inputs() const {
    std::vector<fs::path> out;
    if (!has("input")) return out;
    const auto& in = j["input"];
    if (in.is_string()) return {fs::path(in.get<std::string>())};
    if (!in.is_array()) throw field_error("input", "must be a path or a list of paths");
    for (const auto& p : in) {
      // obs-websocket passes requestData through obs_data, which keeps arrays of
      // objects only: [{"path": "..."}] works there, ["..."] from other callers.
      if (p.is_string()) {
        out.emplace_back(p.get<std::string>());
      } else if (p.is_object() && p.contains("path") && p["path"].is_string()) {
        out.emplace_back(p["path"].get<std::string>());
      } else {
        throw field_error("input", "must be a path or a list of paths");
      }
    }
    return out;
  }
};

}  // namespace

JobSpec JobSpec::from_json(const json& j) {
  if (!j.is_object()) throw Error(ErrorCode::Usage, "the job must be a JSON object");
  const FieldReader r{{j}};
  JobSpec s;
  s.inputs = r.inputs();
  r.choice("backend", s.backend, backend_from_id, backends(), backend_id);
  r.choice("kind", s.kind, kind_from_id, job_kinds(), [](const KindInfo& k) { return std::string(k.id); });
  s.look = LookChoice::from_json(j);
  s.captions = Captions::from_json(j);
  s.excerpt = Excerpt::from_json(j);
  s.framing = Framing::from_json(j);
  s.prompt = r.text("prompt").value_or("");
  s.music = r.text("music").value_or("");
  if (const auto seed = r.number("seed"); seed) {
    if (std::floor(*seed) != *seed || *seed < 0 || *seed > 4294967295.0) {
      throw field_error("seed", "must be a whole number from 0 to 4294967295");
    }
    s.seed = static_cast<std::uint32_t>(*seed);
  }
  s.bpm = r.number("bpm", " (BPM)");
  if (const auto v = r.text("tempo_range")) s.tempo_range = parse_tempo_range(*v, "\"tempo_range\"");
  s.audio_track = r.whole("audio_track");
  if (const auto v = r.text("analysis")) {
    if (*v != "live" && *v != "song") throw field_error("analysis", "must be \"live\" or \"song\"");
    s.live_analysis = *v == "live";
  }
  if (!r.has("kind")) s.kind = kind_for_prompt(s, JobKind::MusicVideo);
  s.preset = r.text("preset").value_or(s.preset);
  s.crf = r.whole("crf").value_or(s.crf);
  s.threads = r.whole("threads").value_or(s.threads);
  s.encoder = r.text("encoder").value_or(s.encoder);
  r.choice("priority", s.priority, priority_from_id, priorities(), priority_id);
  s.output = r.text("output").value_or("");
  s.output_dir = r.text("output_dir").value_or("");
  s.force = r.flag("force").value_or(false);
  s.session_id = r.text("session_id").value_or("");
  s.user_id = r.text("user_id").value_or("");
  s.resume_cloud_job = r.text("resume_cloud_job").value_or("");
  return s;
}

}  // namespace mv
