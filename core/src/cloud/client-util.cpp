// client-util.cpp — the cloud client's general helpers: times, JSON fields,
// URL and file-name pieces (see client-impl.hpp), and the public
// render_status_name() and safe_file_name() (cloud/client.hpp).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <string_view>

#include "client-impl.hpp"

namespace mv {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace cloud_detail {


/// Seconds since the epoch of an ISO 8601 UTC time ("2026-11-28T10:00:00Z",
/// fractions and "+00:00" accepted); 0 when unparsable.
std::int64_t parse_iso8601(const std::string& text) {
  std::tm tm{};
  // "YYYY-MM-DDTHH:MM:SS": six numbers, each read with std::from_chars (no locale, no overflow).
  int fields[6] = {};
  const char* p = text.data();
  const char* const end = text.data() + text.size();
  const char seps[6] = {'-', '-', 'T', ':', ':', '\0'};
  for (int i = 0; i < 6; ++i) {
    const auto [next, ec] = std::from_chars(p, end, fields[i]);
    if (ec != std::errc() || next == p) return 0;
    p = next;
    if (i < 5) {
      if (p == end || (*p != seps[i] && !(i == 2 && *p == 't'))) return 0;
      ++p;
    }
  }
  const int y = fields[0], mo = fields[1], d = fields[2], h = fields[3], mi = fields[4], s = fields[5];
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<std::int64_t>(timegm(&tm));
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return {};
  const auto& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  return {};
}

double num(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return 0.0;
  const auto& v = j[key];
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    // strtod with an end check: "12.5" → 12.5, "abc" → 0.
    const std::string text = v.get<std::string>();
    char* stop = nullptr;
    const double value = std::strtod(text.c_str(), &stop);
    return stop != text.c_str() && std::isfinite(value) ? value : 0.0;
  }
  return 0.0;
}

/// `s` as one URL path segment: everything but RFC 3986 unreserved characters
/// percent-encoded, and a segment of dots ("." / "..") encoded whole, so a
/// server-provided id can never add or climb path segments.
std::string path_segment(const std::string& s) {
  static const char* digits = "0123456789ABCDEF";
  const bool all_dots = !s.empty() && s.find_first_not_of('.') == std::string::npos;
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (!all_dots && (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')) {
      out += ch;
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0xF];
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Percent-decodes once; invalid escapes are kept as they are.
std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// The filename of a Content-Disposition value (filename*=UTF-8''… preferred,
/// else filename="…" or filename=token), still encoded as sent; "" if none.
std::string disposition_filename(const std::string& value) {
  const std::string low = lower(value);
  if (auto star = low.find("filename*="); star != std::string::npos) {
    std::string v = value.substr(star + 10);
    v.resize(std::min(v.size(), v.find(';')));
    if (auto quote = v.find("''"); quote != std::string::npos) v.erase(0, quote + 2);
    while (!v.empty() && (v.back() == ' ' || v.back() == '"')) v.pop_back();
    return v;  // percent-encoded: safe_file_name decodes it
  }
  auto pos = low.find("filename=");
  if (pos == std::string::npos) return {};
  std::string v = value.substr(pos + 9);
  if (!v.empty() && v.front() == '"') {
    const auto end = v.find('"', 1);
    return v.substr(1, end == std::string::npos ? std::string::npos : end - 1);
  }
  v.resize(std::min(v.size(), v.find(';')));
  while (!v.empty() && v.back() == ' ') v.pop_back();
  return v;
}

/// The last path segment of a URL (no query or fragment), still encoded.
std::string url_last_segment(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  const auto scheme = path.find("://");
  if (scheme != std::string::npos) {
    const auto slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? std::string() : path.substr(slash);
  }
  const auto last = path.find_last_of('/');
  return last == std::string::npos ? path : path.substr(last + 1);
}

/// `name` with ".mp4" appended unless it already ends so (any case).
std::string with_mp4(std::string name) {
  if (name.size() < 4 || lower(name.substr(name.size() - 4)) != ".mp4") name += ".mp4";
  return name;
}

CloudRender::Status status_from(const std::string& s) {
  const std::string v = lower(s);
  if (v == "completed" || v == "complete" || v == "done" || v == "succeeded" || v == "success") return CloudRender::Status::Completed;
  if (v == "failed" || v == "error") return CloudRender::Status::Failed;
  if (v == "cancelled" || v == "canceled") return CloudRender::Status::Cancelled;
  if (v == "processing" || v == "rendering" || v == "running") return CloudRender::Status::Processing;
  return CloudRender::Status::Pending;  // pending, queued, unknown
}

}  // namespace cloud_detail

using namespace cloud_detail;

const char* render_status_name(CloudRender::Status status) {
  switch (status) {
    case CloudRender::Status::Pending: return "pending";
    case CloudRender::Status::Processing: return "processing";
    case CloudRender::Status::Completed: return "completed";
    case CloudRender::Status::Failed: return "failed";
    case CloudRender::Status::Cancelled: return "cancelled";
  }
  return "pending";
}

std::string safe_file_name(const std::string& server_name, const std::string& fallback) {
  std::string name = percent_decode(server_name);
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) return fallback;  // NUL and control characters: refused whole
  }
  if (const auto sep = name.find_last_of("/\\"); sep != std::string::npos) name.erase(0, sep + 1);
  for (auto& ch : name) {
    if (std::string_view(":*?\"<>|").find(ch) != std::string_view::npos) ch = '_';
  }
  const auto first = name.find_first_not_of(". ");
  if (first == std::string::npos) return fallback;
  name.erase(0, first);
  name.erase(name.find_last_not_of(". ") + 1);
  constexpr std::size_t kMax = 120;
  if (name.size() > kMax) {
    const auto dot = name.find_last_of('.');
    std::string ext = dot != std::string::npos && name.size() - dot <= 16 ? name.substr(dot) : std::string();
    std::size_t keep = kMax - ext.size();
    while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) --keep;  // UTF-8 stays whole
    name.resize(keep);
    name += ext;
  }
  return name.empty() ? fallback : name;
}

}  // namespace mv
