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
#include "mv/base/keywords.hpp"
#include "mv/base/output-file.hpp"
#include "mv/media/media.hpp"
#include "mv/media/mp4-writer.hpp"

namespace mv {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::vector<AspectInfo>& aspects() {
  static const std::vector<AspectInfo> kAspects = {
      {Aspect::Wide, "16:9", 1920, 1080}, {Aspect::Tall, "9:16", 1080, 1920}, {Aspect::Square, "1:1", 1080, 1080}};
  return kAspects;
}

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
  std::string out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += i + 1 == list.size() ? " or " : ", ";
    out += id(list[i]);
  }
  return out;
}

const std::vector<Backend>& backends() {
  static const std::vector<Backend> kBackends = {Backend::Local, Backend::Cloud};
  return kBackends;
}
const std::vector<Resolution>& resolutions() {
  static const std::vector<Resolution> kResolutions = {Resolution::P720, Resolution::P1080};
  return kResolutions;
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

Error field_error(const std::string& field, const std::string& what) {
  return Error(ErrorCode::Usage, "\"" + field + "\" " + what);
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

const char* aspect_id(Aspect aspect) {
  for (const auto& a : aspects()) {
    if (a.aspect == aspect) return a.id;
  }
  return "16:9";
}

const char* resolution_id(Resolution resolution) { return resolution == Resolution::P720 ? "720p" : "1080p"; }

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
std::optional<Aspect> aspect_from_id(const std::string& id) {
  for (const auto& a : aspects()) {
    if (id == a.id) return a.aspect;
  }
  return std::nullopt;
}
std::optional<Resolution> resolution_from_id(const std::string& id) { return find_id(resolutions(), resolution_id, id); }
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

std::pair<int, int> parse_frame_size(const std::string& text, const std::string& field) {
  const auto x = text.find('x');
  const double w = x == std::string::npos ? -1 : std::strtod(text.substr(0, x).c_str(), nullptr);
  const double h = x == std::string::npos ? -1 : std::strtod(text.substr(x + 1).c_str(), nullptr);
  if (w < 16 || h < 16 || w > 7680 || h > 7680 || std::fmod(w, 2.0) != 0.0 || std::fmod(h, 2.0) != 0.0) {
    throw Error(ErrorCode::Usage, field + " needs WIDTHxHEIGHT, even numbers from 16 to 7680, e.g. 320x180");
  }
  return {static_cast<int>(w), static_cast<int>(h)};
}

std::pair<double, double> parse_tempo_range(const std::string& text, const std::string& field) {
  const auto dash = text.find('-');
  if (dash == std::string::npos) throw Error(ErrorCode::Usage, field + " needs MIN-MAX, e.g. 80-160");
  const double lo = to_number(text.substr(0, dash), field);
  const double hi = to_number(text.substr(dash + 1), field);
  if (lo < 20 || hi > 400 || hi < lo * 1.5) {
    throw Error(ErrorCode::Usage, field + " must lie in 20-400 and span at least a factor 1.5");
  }
  return {lo, hi};
}

Aspect aspect_for_shape(int width, int height) {
  if (width <= 0 || height <= 0) return Aspect::Wide;
  const double r = static_cast<double>(width) / height;
  if (r < 1.0 / 1.05) return Aspect::Tall;
  return r <= 1.05 ? Aspect::Square : Aspect::Wide;
}

std::pair<int, int> JobSpec::frame_size() const {
  if (size) return *size;
  int w = 1920, h = 1080;
  for (const auto& a : aspects()) {
    if (a.aspect == aspect.value_or(Aspect::Wide)) w = a.width, h = a.height;
  }
  if (resolution == Resolution::P720) w = w * 2 / 3, h = h * 2 / 3;
  return {w, h};
}

fs::path JobSpec::resolved_output() const {
  if (!output.empty()) return output;
  const fs::path first = inputs.empty() ? fs::path() : inputs.front();
  const fs::path dir = !output_dir.empty() ? output_dir : first.parent_path();
  const std::string stem = first.empty() ? std::string("edit") : first.stem().string();
  const char* suffix = kind == JobKind::BackgroundMusic ? " with music" : (kind == JobKind::Promo ? " promo" : " music video");
  return unique_output_path(dir, stem + suffix);
}

namespace {

void validate_times(const JobSpec& s) {
  if (s.start_s && (*s.start_s < 0 || !std::isfinite(*s.start_s))) throw field_error("start", "must be 0 or more seconds");
  if (s.duration_s && (*s.duration_s <= 0 || !std::isfinite(*s.duration_s))) {
    throw field_error("duration", "must be more than 0 seconds");
  }
  if (s.highlight_s && !(*s.highlight_s >= kMinHighlightS && *s.highlight_s <= kMaxHighlightS)) {
    throw field_error("highlight", "must be between 15 and 60 seconds");
  }
  if (s.highlight_s && (s.start_s || s.duration_s)) {
    throw field_error("highlight", "chooses the excerpt itself; leave out start and duration");
  }
  if (s.highlight_start_s && !s.highlight_s) throw field_error("highlight_start", "moves a highlight; give highlight too");
  if (s.highlight_start_s && !(*s.highlight_start_s >= 0 && std::isfinite(*s.highlight_start_s))) {
    throw field_error("highlight_start", "must be 0 or more seconds");
  }
  if (s.bpm && (*s.bpm < 20 || *s.bpm > 400)) throw field_error("bpm", "must be between 20 and 400");
  if (s.audio_track && (*s.audio_track < 1 || *s.audio_track > 64)) {
    throw field_error("audio_track", "must be a track number from 1 (mvgen analyze lists them)");
  }
  if (s.tempo_range) {
    const auto [lo, hi] = *s.tempo_range;
    if (lo < 20 || hi > 400 || hi < lo * 1.5) throw field_error("tempo_range", "must lie in 20-400 and span at least a factor 1.5");
  }
}

void validate_frame(const JobSpec& s) {
  if (s.intensity && (*s.intensity < 0.3 || *s.intensity > 2.0)) throw field_error("intensity", "must be between 0.3 and 2");
  if (s.fps != 24 && s.fps != 30 && s.fps != 60) throw field_error("fps", "must be 24, 30 or 60");
  if (s.size) {
    const auto [w, h] = *s.size;
    if (w < 16 || h < 16 || w > 7680 || h > 7680 || w % 2 != 0 || h % 2 != 0) {
      throw field_error("size", "needs WIDTHxHEIGHT, even numbers from 16 to 7680, e.g. 320x180");
    }
  }
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
  validate_times(*this);
  validate_frame(*this);
}

json JobSpec::to_json() const {
  json input = json::array();
  for (const auto& p : inputs) input.push_back({{"path", p.string()}});
  json j = {{"input", input},           {"backend", backend_id(backend)}, {"kind", kind_id(kind)},
            {"resolution", resolution_id(resolution)}, {"fps", fps},
            {"preset", preset},         {"crf", crf},                     {"threads", threads},
            {"encoder", encoder},
            {"priority", priority_id(priority)}, {"force", force}};
  auto text = [&](const char* key, const std::string& v) {
    if (!v.empty()) j[key] = v;
  };
  if (aspect) j["aspect"] = aspect_id(*aspect);
  if (audio_track) j["audio_track"] = *audio_track;
  if (style) j["look"] = *style;
  if (palette) j["palette"] = *palette;
  if (intensity) j["intensity"] = *intensity;
  if (footage) j["footage"] = *footage;
  text("image", image.string());
  text("lyrics", lyrics.string());
  if (fit != "follow") j["fit"] = fit;
  text("music", music.string());
  if (seed) j["seed"] = *seed;
  text("cta", cta);
  text("prompt", prompt);
  text("title", title);
  text("artist", artist);
  text("lut", lut);
  if (!title_card) j["title_card"] = false;
  if (end_card) j["end_card"] = true;
  if (progress_bar) j["progress_bar"] = true;
  if (start_s) j["start"] = *start_s;
  if (duration_s) j["duration"] = *duration_s;
  if (highlight_s) j["highlight"] = *highlight_s;
  if (highlight_start_s) j["highlight_start"] = *highlight_start_s;
  if (bpm) j["bpm"] = *bpm;
  if (tempo_range) {
    std::array<char, 64> range{};
    std::snprintf(range.data(), range.size(), "%g-%g", tempo_range->first, tempo_range->second);
    j["tempo_range"] = range.data();
  }
  if (size) j["size"] = std::to_string(size->first) + "x" + std::to_string(size->second);
  text("output", output.string());
  text("output_dir", output_dir.string());
  text("session_id", session_id);
  text("user_id", user_id);
  text("resume_cloud_job", resume_cloud_job);
  return j;
}

namespace {

/// Reads JSON fields with errors that name them.
struct FieldReader {
  const json& j;

  [[nodiscard]] bool has(const char* key) const { return j.contains(key) && !j[key].is_null(); }
  std::optional<std::string> text(const char* key) const {
    if (!has(key)) return std::nullopt;
    if (!j[key].is_string()) throw field_error(key, "must be a string");
    return j[key].get<std::string>();
  }
  std::optional<double> number(const char* key, const char* unit) const {
    if (!has(key)) return std::nullopt;
    if (!j[key].is_number()) throw field_error(key, std::string("must be a number") + unit);
    return j[key].get<double>();
  }
  std::optional<int> whole(const char* key) const {
    const auto v = number(key, "");
    if (!v) return std::nullopt;
    if (std::floor(*v) != *v || std::fabs(*v) > 1e6) throw field_error(key, "must be a whole number");
    return static_cast<int>(*v);
  }
  std::optional<bool> flag(const char* key) const {
    if (!has(key)) return std::nullopt;
    if (!j[key].is_boolean()) throw field_error(key, "must be true or false");
    return j[key].get<bool>();
  }
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

void read_look(const FieldReader& r, JobSpec& s) {
  s.style = r.text("look");
  if (!s.style) s.style = r.text("style");  // the key's older name
  if (s.style && s.style->empty()) s.style.reset();  // "" = automatic
  s.palette = r.text("palette");
  if (s.palette && s.palette->empty()) s.palette.reset();
  s.intensity = r.number("intensity", "");
  s.prompt = r.text("prompt").value_or("");
  s.title = r.text("title").value_or("");
  s.artist = r.text("artist").value_or("");
  s.lut = r.text("lut").value_or("");
  s.title_card = r.flag("title_card").value_or(true);
  s.end_card = r.flag("end_card").value_or(false);
  s.progress_bar = r.flag("progress_bar").value_or(false);
  s.footage = r.flag("footage");
  s.image = r.text("image").value_or("");
  s.lyrics = r.text("lyrics").value_or("");
  s.music = r.text("music").value_or("");
  s.cta = r.text("cta").value_or("");
  if (const auto seed = r.number("seed", ""); seed) {
    if (std::floor(*seed) != *seed || *seed < 0 || *seed > 4294967295.0) {
      throw field_error("seed", "must be a whole number from 0 to 4294967295");
    }
    s.seed = static_cast<std::uint32_t>(*seed);
  }
  s.fit = r.text("fit").value_or("follow");
  if (!is_fit_mode(s.fit)) {
    throw field_error("fit", "must be follow, blur or letterbox (got \"" + s.fit + "\")");
  }
  s.start_s = r.number("start", " of seconds");
  s.duration_s = r.number("duration", " of seconds");
  if (r.has("highlight") && r.j["highlight"].is_boolean()) {
    if (r.j["highlight"].get<bool>()) s.highlight_s = kDefaultHighlightS;
  } else {
    s.highlight_s = r.number("highlight", " of seconds (or true)");
  }
  s.highlight_start_s = r.number("highlight_start", " of seconds");
  s.bpm = r.number("bpm", " (BPM)");
  if (const auto v = r.text("tempo_range")) s.tempo_range = parse_tempo_range(*v, "\"tempo_range\"");
  s.audio_track = r.whole("audio_track");
}

void read_frame(const FieldReader& r, JobSpec& s) {
  if (const auto v = r.text("aspect"); v && *v != "auto" && !v->empty()) {
    Aspect a = Aspect::Wide;
    r.choice("aspect", a, aspect_from_id, aspects(), [](const AspectInfo& i) { return std::string(i.id); });
    s.aspect = a;
  }
  r.choice("resolution", s.resolution, resolution_from_id, resolutions(), resolution_id);
  if (const auto v = r.text("size")) s.size = parse_frame_size(*v, "\"size\"");
  s.fps = r.whole("fps").value_or(s.fps);
  s.preset = r.text("preset").value_or(s.preset);
  s.crf = r.whole("crf").value_or(s.crf);
  s.threads = r.whole("threads").value_or(s.threads);
  s.encoder = r.text("encoder").value_or(s.encoder);
  r.choice("priority", s.priority, priority_from_id, priorities(), priority_id);
}

}  // namespace

JobSpec JobSpec::from_json(const json& j) {
  if (!j.is_object()) throw Error(ErrorCode::Usage, "the job must be a JSON object");
  const FieldReader r{j};
  JobSpec s;
  s.inputs = r.inputs();
  r.choice("backend", s.backend, backend_from_id, backends(), backend_id);
  r.choice("kind", s.kind, kind_from_id, job_kinds(), [](const KindInfo& k) { return std::string(k.id); });
  read_look(r, s);
  if (!r.has("kind")) s.kind = kind_for_prompt(s, JobKind::MusicVideo);
  read_frame(r, s);
  s.output = r.text("output").value_or("");
  s.output_dir = r.text("output_dir").value_or("");
  s.force = r.flag("force").value_or(false);
  s.session_id = r.text("session_id").value_or("");
  s.user_id = r.text("user_id").value_or("");
  s.resume_cloud_job = r.text("resume_cloud_job").value_or("");
  return s;
}

}  // namespace mv
