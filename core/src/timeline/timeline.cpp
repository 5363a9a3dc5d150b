// timeline.cpp — the vendor short-key draft JSON: load (tolerant), save (verbatim extras), summary.
#include "mv/timeline/timeline.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string_view>

#include "mv/base/error.hpp"

namespace mv {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& what) { throw Error(ErrorCode::InputInvalid, "timeline: " + what); }

/// A number given as JSON int, float or numeric string. `was_float` tells
/// whether it was written with a fraction/exponent (for volume fractions).
double number_of(const json& v, const std::string& path, bool* was_float = nullptr) {
  bool fl = false;
  double d = 0.0;
  if (v.is_number_integer()) {
    d = v.is_number_unsigned() ? static_cast<double>(v.get<std::uint64_t>()) : static_cast<double>(v.get<std::int64_t>());
  } else if (v.is_number_float()) {
    d = v.get<double>();
    fl = true;
  } else if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    const char* end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, d);
    if (s.empty() || ec != std::errc() || p != end) fail(path + " is not a number: \"" + s + "\"");
    fl = s.find_first_of(".eE") != std::string::npos;
  } else {
    fail(path + " is not a number");
  }
  if (!std::isfinite(d)) fail(path + " is not a finite number");
  if (was_float) *was_float = fl;
  return d;
}

std::int64_t int64_of(const json& v, const std::string& path) {
  if (v.is_number_integer() && !v.is_number_unsigned()) return v.get<std::int64_t>();
  const double d = std::round(number_of(v, path));
  if (d < -9.2e18 || d > 9.2e18) fail(path + " is out of range");
  return static_cast<std::int64_t>(d);
}

int int_of(const json& v, const std::string& path) {
  const std::int64_t i = int64_of(v, path);
  if (i < std::numeric_limits<int>::min() || i > std::numeric_limits<int>::max()) fail(path + " is out of range");
  return static_cast<int>(i);
}

std::string string_of(const json& v, const std::string& path) {
  if (!v.is_string()) fail(path + " is not a string");
  return v.get<std::string>();
}

/// Moves the first present key of `keys` out of `obj`; null when none is present.
json take(json& obj, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    auto it = obj.find(k);
    if (it != obj.end()) {
      json v = std::move(*it);
      obj.erase(it);
      return v;
    }
  }
  return nullptr;
}

Segment segment_from(const json& in, const std::string& path) {
  if (!in.is_object()) fail(path + " is not an object");
  json o = in;
  Segment s;
  if (json v = take(o, {"s"}); !v.is_null()) s.start_ms = int64_of(v, path + ".s");
  if (json v = take(o, {"d"}); !v.is_null()) s.duration_ms = int64_of(v, path + ".d");
  if (json v = take(o, {"n", "name"}); !v.is_null()) s.name = string_of(v, path + ".n");
  if (json v = take(o, {"src"}); !v.is_null()) s.source = string_of(v, path + ".src");
  if (json v = take(o, {"txt", "text"}); !v.is_null()) s.text = string_of(v, path + ".txt");
  if (json v = take(o, {"fx"}); !v.is_null()) s.effect = string_of(v, path + ".fx");
  if (json v = take(o, {"v", "volume"}); !v.is_null()) {
    bool fl = false;
    double vol = number_of(v, path + ".v", &fl);
    if (fl && vol >= 0.0 && vol <= 1.0) vol *= 100.0;  // a 0..1 fraction
    vol = std::round(vol);
    if (vol < -1.0 || vol > 100000.0) fail(path + ".v is out of range");
    s.volume = static_cast<int>(vol);
  }
  s.extra = std::move(o);
  return s;
}

Track track_from(const json& in, const std::string& path) {
  if (!in.is_object()) fail(path + " is not an object");
  json o = in;
  Track t;
  if (json v = take(o, {"tt"}); !v.is_null()) t.type = int_of(v, path + ".tt");
  if (json v = take(o, {"n", "name"}); !v.is_null()) t.name = string_of(v, path + ".n");
  if (json sg = take(o, {"sg"}); !sg.is_null()) {
    if (!sg.is_array()) fail("'" + path + ".sg' must be an array");
    for (std::size_t i = 0; i < sg.size(); ++i)
      t.segments.push_back(segment_from(sg[i], path + ".sg[" + std::to_string(i) + "]"));
  }
  t.extra = std::move(o);
  return t;
}

/// Where a segment ends, ms: start + duration, saturated at the int64 limits
/// (a draft may carry any s/d up to ±9.2e18; their sum must not overflow).
std::int64_t end_of(const Segment& s) {
  std::int64_t end = 0;
  if (__builtin_add_overflow(s.start_ms, s.duration_ms, &end)) {
    return s.duration_ms > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
  }
  return end;
}

json with_extra(const json& extra) { return extra.is_object() ? extra : json::object(); }

void put_if(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

/// Milliseconds as seconds with at most one decimal: 10000 → "10", 2500 → "2.5".
std::string seconds(std::int64_t ms) {
  const long long tenths = std::llround(static_cast<double>(ms) / 100.0);
  const long long a = std::llabs(tenths);
  std::string out = (tenths < 0 ? "-" : "") + std::to_string(a / 10);
  if (a % 10 != 0) out += "." + std::to_string(a % 10);
  return out;
}

std::string track_label(const Track& t) {
  if (!t.name.empty()) return t.name;
  switch (t.type) {
    case static_cast<int>(TrackType::Video): return "Video";
    case static_cast<int>(TrackType::Audio): return "Audio";
    case static_cast<int>(TrackType::Text): return "Text";
    default: return "Track";
  }
}

/// A string of the segment's metadata object `m` (the vendor's drafts may keep
/// name and text there rather than at the segment's top level), "" if absent.
std::string meta_text(const Segment& s, std::initializer_list<const char*> keys) {
  const auto m = s.extra.find("m");
  if (m == s.extra.end() || !m->is_object()) return {};
  for (const char* k : keys) {
    if (auto it = m->find(k); it != m->end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

/// Volume in percent from `v`, else from `m.volume`/`m.v` (a 0..1 fraction is
/// scaled), -1 when neither is set.
int shown_volume(const Segment& s) {
  if (s.volume >= 0) return s.volume;
  const auto m = s.extra.find("m");
  if (m == s.extra.end() || !m->is_object()) return -1;
  for (const char* k : {"v", "volume"}) {
    auto it = m->find(k);
    if (it == m->end() || !it->is_number()) continue;
    double vol = it->get<double>();
    if (it->is_number_float() && vol >= 0.0 && vol <= 1.0) vol *= 100.0;
    return vol >= 0.0 && vol <= 100000.0 ? static_cast<int>(std::round(vol)) : -1;
  }
  return -1;
}

std::string shown(const Track& t) {
  const Segment& s = t.segments.front();
  const std::string text = s.text.empty() ? meta_text(s, {"txt", "text"}) : s.text;
  if (t.type == static_cast<int>(TrackType::Text) && !text.empty()) return "\"" + text + "\"";
  if (!s.name.empty()) return s.name;
  if (std::string name = meta_text(s, {"n", "name"}); !name.empty()) return name;
  const std::string file = s.source.substr(s.source.find_last_of("/\\") + 1);  // npos + 1 == 0
  return file.empty() ? "(unnamed)" : file;
}

}  // namespace

json Timeline::to_json() const {
  json j = with_extra(extra);
  j["d"] = duration_ms;
  j["m"] = meta;
  json ts = json::array();
  for (const Track& t : tracks) {
    json jt = with_extra(t.extra);
    jt["tt"] = t.type;
    put_if(jt, "n", t.name);
    json sg = json::array();
    for (const Segment& s : t.segments) {
      json js = with_extra(s.extra);
      js["s"] = s.start_ms;
      js["d"] = s.duration_ms;
      put_if(js, "n", s.name);
      put_if(js, "src", s.source);
      put_if(js, "txt", s.text);
      put_if(js, "fx", s.effect);
      if (s.volume != -1) js["v"] = s.volume;
      sg.push_back(std::move(js));
    }
    jt["sg"] = std::move(sg);
    ts.push_back(std::move(jt));
  }
  j["t"] = std::move(ts);
  return j;
}

Timeline Timeline::from_json(const json& draft) {
  if (!draft.is_object()) fail("the draft is not a JSON object");
  json o = draft;
  Timeline tl;
  if (json ts = take(o, {"t"}); !ts.is_null()) {
    if (!ts.is_array()) fail("'t' must be an array");
    for (std::size_t i = 0; i < ts.size(); ++i) tl.tracks.push_back(track_from(ts[i], "t[" + std::to_string(i) + "]"));
  }
  if (json m = take(o, {"m"}); !m.is_null()) tl.meta = std::move(m);
  if (json d = take(o, {"d"}); !d.is_null()) {
    tl.duration_ms = int64_of(d, "d");
  } else {
    for (const Track& t : tl.tracks)
      for (const Segment& s : t.segments) tl.duration_ms = std::max(tl.duration_ms, end_of(s));
  }
  tl.extra = std::move(o);
  return tl;
}

std::string Timeline::summary() const {
  std::string out = "Timeline (" + std::to_string(tracks.size()) + (tracks.size() == 1 ? " track):" : " tracks):");
  if (tracks.empty()) return out + " empty";
  for (std::size_t i = 0; i < tracks.size(); ++i) {
    const Track& t = tracks[i];
    out += " " + std::to_string(i + 1) + ". " + track_label(t) + ": ";
    if (t.segments.empty()) {
      out += "(no segments)";
      continue;
    }
    out += shown(t);
    if (t.segments.size() > 1) out += " +" + std::to_string(t.segments.size() - 1) + " more";
    std::int64_t lo = t.segments.front().start_ms, hi = end_of(t.segments.front());
    for (const Segment& s : t.segments) {
      lo = std::min(lo, s.start_ms);
      hi = std::max(hi, end_of(s));
    }
    out += " (" + seconds(lo) + "-" + seconds(hi) + "s";
    if (const int volume = shown_volume(t.segments.front()); t.type == static_cast<int>(TrackType::Audio) && volume >= 0)
      out += ", " + std::to_string(volume) + "%";
    out += ")";
  }
  return out;
}

bool Timeline::ready_for_export() const {
  return std::any_of(tracks.begin(), tracks.end(), [](const Track& t) { return !t.segments.empty(); });
}

}  // namespace mv
