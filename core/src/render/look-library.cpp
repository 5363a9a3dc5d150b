// look-library.cpp — looks as data: parsing and validating look files, the
// bundled looks (data/looks/*.json, compiled in by core/CMakeLists.txt) and the
// user's folder.
#include <algorithm>
#include <atomic>
#include <memory>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "mv/base/error.hpp"
#include "mv/base/version.hpp"
#include "mv/render/look.hpp"

namespace mv {

/// The bundled look files: (file name, JSON text), generated at build time.
const std::vector<std::pair<const char*, const char*>>& bundled_look_files();

namespace {

namespace fs = std::filesystem;

/// Reads the fields of one look object, naming the file and field in every error.
class LookReader {
 public:
  LookReader(const nlohmann::json& j, const fs::path& file) : j_(j), file_(file) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what, const nlohmann::json* got = nullptr) const {
    std::string msg = "looks file " + file_.string() + ": field \"" + field + "\" " + what;
    if (got != nullptr) msg += " (got " + got->dump() + ")";
    throw Error(ErrorCode::InputInvalid, msg);
  }

  const nlohmann::json* at(const nlohmann::json& obj, const std::string& key) const {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }

  std::string text(const std::string& key, const std::string& fallback, bool required = false) const {
    const auto* v = at(j_, key);
    if (v == nullptr) {
      if (required) fail(key, "is required");
      return fallback;
    }
    if (!v->is_string() || v->get<std::string>().empty()) fail(key, "must be a non-empty string", v);
    return v->get<std::string>();
  }

  std::string choice(const std::string& key, const std::string& fallback, const std::vector<std::string>& allowed) const {
    std::string value = text(key, fallback);
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      const nlohmann::json got = value;
      fail(key, "must be one of " + list, &got);
    }
    return value;
  }

  double number(const nlohmann::json& obj, const std::string& key, const std::string& field, double fallback,
                double lo, double hi) const {
    const auto* v = at(obj, key);
    if (v == nullptr) return fallback;
    if (!v->is_number() || v->get<double>() < lo || v->get<double>() > hi) {
      std::ostringstream range;
      range << "must be a number from " << lo << " to " << hi;
      fail(field, range.str(), v);
    }
    return v->get<double>();
  }

  const nlohmann::json& root() const { return j_; }

 private:
  const nlohmann::json& j_;
  const fs::path& file_;
};

void read_effects(const LookReader& r, Look& look) {
  const auto* fx = r.at(r.root(), "effects");
  if (fx == nullptr) return;
  if (!fx->is_object()) r.fail("effects", "must be an object of effect strengths", fx);
  struct Field {
    const char* key;
    double LookEffects::*member;
  };
  static constexpr Field kFields[] = {
      {"glow", &LookEffects::glow},         {"vignette", &LookEffects::vignette},   {"grain", &LookEffects::grain},
      {"letterbox", &LookEffects::letterbox}, {"chromatic", &LookEffects::chromatic}, {"shake", &LookEffects::shake},
      {"punch", &LookEffects::punch},       {"flash", &LookEffects::flash},         {"scanlines", &LookEffects::scanlines},
      {"pan", &LookEffects::pan},           {"particles", &LookEffects::particles},
  };
  for (const auto& item : fx->items()) {
    const std::string& key = item.key();
    const auto* f = std::find_if(std::begin(kFields), std::end(kFields), [&](const Field& x) { return key == x.key; });
    if (f == std::end(kFields)) {
      std::string list;
      for (const auto& x : kFields) list += (list.empty() ? "" : ", ") + std::string(x.key);
      r.fail("effects." + key, "is not an effect; known effects: " + list);
    }
    look.effects.*(f->member) = r.number(*fx, key, "effects." + key, 0.0, 0.0, 1.0);
  }
}

bool valid_name(const std::string& name) {
  return !name.empty() && name.size() <= 24 &&
         std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::InputInvalid, "looks file " + path.string() + ": cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

const std::vector<std::string>& visualizer_names() {
  static const std::vector<std::string> names{"bars", "club", "wave", "pulse", "halo", "retro", "strip", "none"};
  return names;
}

const std::vector<std::string>& transition_names() {
  static const std::vector<std::string> names{"none", "crossfade", "zoom", "whip", "flash"};
  return names;
}

const std::vector<std::string>& grade_names() {
  static const std::vector<std::string> names{"none", "filmic", "warm", "cool", "teal-orange", "mono"};
  return names;
}

Look parse_look(const std::string& json_text, const fs::path& file) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(ErrorCode::InputInvalid, "looks file " + file.string() + " is not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw Error(ErrorCode::InputInvalid, "looks file " + file.string() + " must hold one JSON object");
  const LookReader r(j, file);
  Look look;
  look.file = file;
  look.name = r.text("name", "", true);
  if (!valid_name(look.name)) {
    r.fail("name", "must be 1 to 24 lower-case letters, digits or '-'", r.at(j, "name"));
  }
  look.description = r.text("description", "", true);
  if (const auto* k = r.at(j, "keywords")) {
    if (!k->is_array()) r.fail("keywords", "must be a list of words", k);
    for (const auto& w : *k) {
      if (!w.is_string() || w.get<std::string>().empty()) r.fail("keywords", "must be a list of non-empty strings", &w);
      look.keywords.push_back(w.get<std::string>());
    }
  }
  look.palette = r.choice("palette", look.palette, palette_names());
  look.intensity = r.number(j, "intensity", "intensity", 1.0, 0.3, 2.0);
  look.background = r.choice("background", look.background, {"generated", "gradient"});
  look.visualizer = r.choice("visualizer", look.visualizer, visualizer_names());
  look.over_pictures = r.choice("over_pictures", look.over_pictures, visualizer_names());
  look.grade = r.choice("grade", look.grade, grade_names());
  look.title = r.choice("title", look.title, {"centre", "lower", "top", "none"});
  look.transition = r.choice("transition", look.transition, transition_names());
  look.lut = r.text("lut", "", false);
  const auto& luts = bundled_lut_names();
  if (!look.lut.empty() && std::find(luts.begin(), luts.end(), look.lut) == luts.end()) {
    if (file.begin() != file.end() && *file.begin() == "<bundled>") r.fail("lut", "must name a bundled LUT", r.at(j, "lut"));
    if (fs::path(look.lut).is_relative()) look.lut = (file.parent_path() / look.lut).string();
  }
  read_effects(r, look);
  static const std::set<std::string> kKnown{"name",       "description", "keywords", "palette", "intensity", "background",
                                            "visualizer", "over_pictures", "grade",  "lut",     "effects",   "title", "$schema", "transition"};
  for (const auto& [key, value] : j.items()) {
    if (kKnown.count(key) == 0) r.fail(key, "is not a look field (see docs/looks.md)");
  }
  return look;
}

LookLibrary LookLibrary::load(const fs::path& user_dir) {
  LookLibrary lib;
  for (const auto& [name, text] : bundled_look_files()) lib.looks_.push_back(parse_look(text, fs::path("<bundled>") / name));
  std::error_code ec;
  if (!fs::is_directory(user_dir, ec)) return lib;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(user_dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    try {
      Look look = parse_look(read_text(path), path);
      auto same = std::find_if(lib.looks_.begin(), lib.looks_.end(), [&](const Look& l) { return l.name == look.name; });
      if (same != lib.looks_.end()) {
        *same = std::move(look);
      } else {
        lib.looks_.push_back(std::move(look));
      }
    } catch (const Error& e) {
      lib.problems_.emplace_back(e.what());
      lib.broken_[path.stem().string()] = e.what();
    }
  }
  return lib;
}

bool LookLibrary::contains(const std::string& name) const {
  return std::any_of(looks_.begin(), looks_.end(), [&](const Look& l) { return l.name == name; });
}

const Look& LookLibrary::find(const std::string& name) const {
  for (const auto& l : looks_) {
    if (l.name == name) return l;
  }
  if (auto it = broken_.find(name); it != broken_.end()) throw Error(ErrorCode::Usage, it->second);
  std::string known;
  for (const auto& l : looks_) known += (known.empty() ? "" : ", ") + l.name;
  throw Error(ErrorCode::Usage, "unknown look \"" + name + "\"; known looks: " + known);
}

fs::path user_looks_dir() {
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    return fs::path(xdg) / kProjectName / "looks";
  }
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr ? home : ".") / ".config" / kProjectName / "looks";
}

namespace {

/// What the user's folder held when a library was loaded: each *.json's name, size and time.
std::string folder_signature(const fs::path& dir) {
  std::vector<std::string> entries;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() != ".json") continue;
    std::error_code e2;
    const auto size = fs::file_size(p, e2);
    const auto time = fs::last_write_time(p, e2).time_since_epoch().count();
    entries.push_back(p.filename().string() + ":" + std::to_string(size) + ":" + std::to_string(time));
  }
  std::sort(entries.begin(), entries.end());
  std::string sig;
  for (const auto& e : entries) sig += e + "\n";
  return sig;
}

/// Every library loaded in this process, never freed: a reference handed out
/// by look_library() stays valid after a reload (a reload happens only when
/// the user's folder changed, so there are few).
struct Libraries {
  std::mutex mutex;
  std::vector<std::unique_ptr<const LookLibrary>> all;
  std::vector<std::string> signatures;
  std::atomic<const LookLibrary*> current{nullptr};
};

Libraries& libraries() {
  static Libraries libs;
  return libs;
}

}  // namespace

const LookLibrary& look_library() {
  Libraries& libs = libraries();
  if (const LookLibrary* lib = libs.current.load(std::memory_order_acquire)) return *lib;
  std::lock_guard lock(libs.mutex);
  if (const LookLibrary* lib = libs.current.load(std::memory_order_acquire)) return *lib;
  const fs::path dir = user_looks_dir();
  libs.signatures.push_back(folder_signature(dir));
  libs.all.push_back(std::make_unique<const LookLibrary>(LookLibrary::load(dir)));
  libs.current.store(libs.all.back().get(), std::memory_order_release);
  return *libs.all.back();
}

bool reload_look_library() {
  (void)look_library();
  Libraries& libs = libraries();
  const fs::path dir = user_looks_dir();
  std::string sig = folder_signature(dir);
  std::lock_guard lock(libs.mutex);
  if (sig == libs.signatures.back()) return false;
  libs.signatures.push_back(std::move(sig));
  libs.all.push_back(std::make_unique<const LookLibrary>(LookLibrary::load(dir)));
  libs.current.store(libs.all.back().get(), std::memory_order_release);
  return true;
}

}  // namespace mv
