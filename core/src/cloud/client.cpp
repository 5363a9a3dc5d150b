// client.cpp — the vendor protocol (../shared/nemo-api.md): identity,
// the JSON envelope in both shapes (code / success), the error table with its
// retries, SSE chat turns, uploads, state, render and download.
#include "mv/cloud/client.hpp"

#include "mv/base/uuid.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <chrono>
#include <exception>
#include <cstdlib>
#include <optional>
#include <string_view>
#include <ctime>
#include <random>
#include <thread>

#include "mv/base/json-file.hpp"
#include "mv/cloud/sse.hpp"

namespace mv {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

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

}  // namespace

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

struct CloudClient::Impl {
  CloudSettings settings;
  const CancelToken* cancel = nullptr;
  HttpClient http;
  // Identity (cloud.json).
  bool loaded = false;
  std::string client_id, token, user_id;
  std::int64_t token_expires = 0;
  bool env_token = false;

  /// A call's options.
  struct Call {
    std::string method = "GET";
    std::function<std::string()> path;  ///< re-evaluated on retry (the session may change)
    json body;                          ///< null: no body
    HttpCallKind kind = HttpCallKind::Quick;
    bool idempotent = true;
    CloudSession* session = nullptr;    ///< recreated on 1002 when set
    /// For streamed calls (SSE): the start of the body the sink saw. A 2xx
    /// answer that is not an event stream is a JSON envelope (e.g. code 2001).
    std::function<std::string()> streamed_body;
  };

  fs::path identity_path() const { return settings.config_dir / "cloud.json"; }

  /// The time limits the settings give a kind of call (nullopt: the defaults).
  std::optional<HttpTimeouts> timeouts_for(HttpCallKind kind) const {
    const auto it = settings.timeouts.find(kind);
    if (it == settings.timeouts.end()) return std::nullopt;
    return it->second;
  }

  void load_identity() {
    if (loaded) return;
    loaded = true;
    if (auto j = read_json_file(identity_path())) {
      client_id = str(*j, "client_id");
      token = str(*j, "token");
      user_id = str(*j, "user_id");
      token_expires = static_cast<std::int64_t>(num(*j, "token_expires_at"));
    }
    if (const char* env = std::getenv("NEMO_TOKEN"); env != nullptr && *env != '\0') {
      token = env;
      env_token = true;
      token_expires = 0;
    } else if (!settings.token.empty()) {
      token = settings.token;
      env_token = true;  // a registered token: used as given, never replaced by an anonymous one
      token_expires = 0;
    }
    if (client_id.empty()) {
      client_id = make_uuid_v4();
      save_identity();
    }
  }

  void save_identity() const {
    json j = {{"client_id", client_id}, {"user_id", user_id}};
    if (!env_token) {
      j["token"] = token;
      j["token_expires_at"] = token_expires;
    }
    write_json_file(identity_path(), j, 0600);
  }

  CloudErrorContext context(const std::string& detail = {}) const {
    CloudErrorContext c;
    c.anonymous = !env_token;
    c.bind_id = user_id;
    c.registration_url = settings.registration_url;
    c.detail = redact_secrets(detail);
    return c;
  }

  /// One HTTP call; the HTTP layer's errors become the vendor-facing CloudError.
  HttpResponse perform(const HttpRequest& req) const {
    try {
      return http.perform(req, cancel);
    } catch (const HttpError& e) {
      throw cloud_error_from_http(e, context());
    }
  }

  void sleep_for(std::chrono::milliseconds total) const {
    const auto end = Clock::now() + total;
    while (Clock::now() < end) {
      if (cancel != nullptr && cancel->requested()) throw CloudError(CloudErrorKind::Cancelled, {});
      std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(50), end - Clock::now()));
    }
    if (cancel != nullptr && cancel->requested()) throw CloudError(CloudErrorKind::Cancelled, {});
  }

  std::vector<std::pair<std::string, std::string>> base_headers(bool with_token) {
    std::vector<std::pair<std::string, std::string>> h = {
        {"X-Client-Id", client_id},
        {"X-Skill-Source", settings.skill_source},
        {"X-Skill-Version", settings.skill_version},
        {"X-Skill-Platform", settings.skill_platform},
        {"Accept", "application/json"},
    };
    if (with_token) h.emplace_back("Authorization", "Bearer " + current_token());
    return h;
  }

  /// The token to use: NEMO_TOKEN, else a stored unexpired one, else a new anonymous one.
  std::string current_token() {
    load_identity();
    if (env_token) return token;
    if (!token.empty() && (token_expires == 0 || token_expires > unix_now() + 60)) return token;
    fetch_anonymous_token();
    return token;
  }

  /// A new anonymous token (safe to repeat: each answer is a valid token).
  /// Retries: a new client id after 400, one wait after 429, and up to
  /// max_retries transient failures (5xx, network, timeout) with backoff.
  void fetch_anonymous_token() {
    bool new_client_id = false, waited = false;
    int transient = 0;
    auto backoff = settings.retry_backoff;
    auto retry_transient = [&] {
      if (transient >= settings.max_retries) return false;
      ++transient;
      sleep_for(backoff);
      backoff *= 2;
      return true;
    };
    for (;;) {
      HttpRequest req;
      req.method = "POST";
      req.url = settings.base_url + "/api/auth/anonymous-token";
      req.timeouts = timeouts_for(HttpCallKind::Quick);
      req.headers = base_headers(false);
      req.headers.emplace_back("Content-Type", "application/json");
      req.body = "{}";
      HttpResponse r;
      try {
        r = perform(req);
      } catch (const CloudError& e) {
        const bool is_transient = e.kind() == CloudErrorKind::Network || e.kind() == CloudErrorKind::Timeout;
        if (is_transient && retry_transient()) continue;
        throw;
      }
      if (r.status >= 500 && r.status <= 599 && retry_transient()) continue;
      if (r.status == 400 && !new_client_id) {
        new_client_id = true;
        client_id = make_uuid_v4();
        save_identity();
        continue;
      }
      if (r.status == 429 && !waited) {
        waited = true;
        sleep_for(retry_after(r));
        continue;
      }
      const json data = envelope_data(r, nullptr);
      token = str(data, "token");
      if (token.empty()) throw CloudError(CloudErrorKind::BadResponse, context("no token in the answer"));
      if (auto uid = str(data, "user_id"); !uid.empty()) user_id = uid;
      const std::int64_t expires = parse_iso8601(str(data, "expires_at"));
      token_expires = expires > 0 ? expires : unix_now() + 7 * 24 * 3600;
      env_token = false;
      save_identity();
      return;
    }
  }

  std::chrono::milliseconds retry_after(const HttpResponse& r) const {
    if (auto it = r.headers.find("retry-after"); it != r.headers.end()) {
      long s = 0;
      const std::string& v = it->second;
      const auto [next, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
      if (ec == std::errc() && next != v.data() && s > 0 && s < 3600) return std::chrono::seconds(s);
    }
    return settings.rate_limit_wait;
  }

  /// HTTP status and envelope checks that need no retry decision; returns data.
  /// Throws CloudError for failures; 1001/1002 are thrown as TokenInvalid /
  /// SessionNotFound for the caller's retry logic.
  json envelope_data(const HttpResponse& r, const Call* call) const {
    if (auto kind = kind_from_http_status(r.status)) {
      throw CloudError(*kind, context(r.body.substr(0, 200)), r.status);
    }
    if (r.status == 401) throw CloudError(CloudErrorKind::TokenInvalid, context(), r.status);
    json j = json::parse(r.body, nullptr, false);
    if (r.status < 200 || r.status >= 300) {
      // A JSON error body may still carry a vendor code.
      if (!j.is_discarded() && j.is_object() && j.contains("code") && j["code"].is_number_integer()) {
        if (auto kind = kind_from_vendor_code(j["code"].get<int>())) {
          throw CloudError(*kind, context(str(j, "message")), r.status, j["code"].get<int>());
        }
      }
      throw CloudError(CloudErrorKind::BadResponse, context("HTTP " + std::to_string(r.status)), r.status);
    }
    if (j.is_discarded() || !j.is_object()) throw CloudError(CloudErrorKind::BadResponse, context("the answer is not JSON"), r.status);
    int code = 0;
    if (j.contains("code") && j["code"].is_number_integer()) code = j["code"].get<int>();
    const bool failed = (j.contains("success") && j["success"].is_boolean() && !j["success"].get<bool>()) || code != 0;
    if (failed) {
      const std::string message = j.contains("message") && j["message"].is_string() ? j["message"].get<std::string>()
                                  : j.contains("error") && j["error"].is_string() ? j["error"].get<std::string>() : "";
      if (auto kind = kind_from_vendor_code(code)) throw CloudError(*kind, context(message), r.status, code);
      (void)call;
      throw CloudError(CloudErrorKind::BadResponse, context(message.empty() ? "code " + std::to_string(code) : message),
                       r.status, code);
    }
    return j.contains("data") ? j["data"] : j;
  }

  /// Performs a call with the error table's retries. `prepare` may adjust the
  /// request (files, streaming sinks); `inspect` sees the raw response first.
  /// What a call has already retried (each recovery of the error table runs once).
  struct Retries {
    bool token = false, session = false, client = false, rate = false;
    int transient = 0;  ///< 5xx / network / timeout retries so far
    std::chrono::milliseconds backoff{0};
  };

  /// The error table's recovery for a failed call: true when the call should
  /// be made again (new token, new session, new client id, after a wait, or a
  /// bounded retry of a transient failure of a call that is safe to repeat).
  bool recover(const CloudError& e, const Call& c, Retries& r) {
    switch (e.kind()) {
      case CloudErrorKind::TokenInvalid:
        if (r.token || env_token) return false;
        r.token = true;
        token.clear();
        fetch_anonymous_token();
        return true;
      case CloudErrorKind::SessionNotFound:
        if (r.session || c.session == nullptr) return false;
        r.session = true;
        *c.session = create_session();
        return true;
      case CloudErrorKind::MissingClientId:
        if (r.client) return false;
        r.client = true;
        client_id = make_uuid_v4();
        save_identity();
        return true;
      case CloudErrorKind::RateLimited:
        if (r.rate) return false;
        r.rate = true;
        sleep_for(settings.rate_limit_wait);
        return true;
      case CloudErrorKind::ServerError:
      case CloudErrorKind::Network:
      case CloudErrorKind::Timeout:
        if (!c.idempotent || r.transient >= settings.max_retries) return false;
        ++r.transient;
        sleep_for(r.backoff);
        r.backoff *= 2;
        return true;
      default: return false;
    }
  }

  /// The request of a call: URL, kind, limits, headers with the token, JSON body.
  HttpRequest request_for(const Call& c) {
    HttpRequest req;
    req.method = c.method;
    req.url = settings.base_url + c.path();
    req.kind = c.kind;
    req.timeouts = timeouts_for(c.kind);
    req.headers = base_headers(true);
    if (!c.body.is_null()) {
      req.headers.emplace_back("Content-Type", "application/json");
      req.body = c.body.dump();
    }
    return req;
  }

  /// Performs a call with the error table's retries. `prepare` may adjust the
  /// request (files, streaming sinks). `transient_retries`, when given, gets
  /// how many times a transient failure was retried.
  json call(const Call& c, const std::function<void(HttpRequest&)>& prepare = {}, int* transient_retries = nullptr) {
    Retries retries;
    retries.backoff = settings.retry_backoff;
    for (;;) {
      HttpRequest req = request_for(c);
      if (prepare) prepare(req);
      if (transient_retries != nullptr) *transient_retries = retries.transient;
      try {
        HttpResponse r = perform(req);
        if (c.streamed_body && r.status >= 200 && r.status < 300) {
          const auto ct = r.headers.find("content-type");
          if (ct != r.headers.end() && ct->second.find("text/event-stream") != std::string::npos) return json::object();
          r.body = c.streamed_body();
          const auto first = r.body.find_first_not_of(" \t\r\n");
          if (first == std::string::npos || r.body[first] != '{') return json::object();  // a stream without the header
        }
        return envelope_data(r, &c);
      } catch (const CloudError& e) {
        if (!recover(e, c, retries)) throw;
      }
    }
  }

  /// One chat turn's stream: text to `result.text` (and on_text), notices
  /// after silence. Returns true when the stream was cut after it started.
  /// Errors: CloudError before the first line of the stream (the turn may be
  /// retried by the caller), BadResponse for an event over kMaxChatEventBytes.
  bool chat_stream(CloudSession& session, const std::string& message,
                   const std::function<void(const std::string&)>& on_text,
                   const std::function<void(const std::string&)>& on_notice, ChatTurnResult& result) {
    Call c;
    c.method = "POST";
    c.kind = HttpCallKind::Stream;
    c.idempotent = false;  // a turn is charged: chat() decides about sending it again
    c.session = &session;
    c.path = [] { return std::string("/run_sse"); };
    c.body = {{"app_name", "nemo_agent"},
              {"user_id", "me"},
              {"session_id", session.session_id},
              {"new_message", {{"parts", json::array({{{"text", message}}})}}}};
    std::string raw;  // the start of the answer, for a JSON error envelope instead of a stream
    c.streamed_body = [&raw] { return raw; };
    Clock::time_point last_activity;
    std::unique_ptr<SseParser> parser;
    std::uint64_t events = 0, since_event = 0;  // events dispatched; bytes since the last one
    bool event_too_large = false;
    try {
      // The session id in the body must follow a recreated session: rebuilt in prepare.
      call(c, [&](HttpRequest& req) {
        json body = c.body;
        body["session_id"] = session.session_id;
        req.body = body.dump();
        std::erase_if(req.headers, [](const auto& h) { return h.first == "Accept"; });
        req.headers.emplace_back("Accept", "text/event-stream");
        raw.clear();
        result.text.clear();
        last_activity = Clock::now();
        events = since_event = 0;
        parser = std::make_unique<SseParser>([&](const SseEvent& ev) {
          ++events;
          const ChatEvent ce = interpret_chat_event(ev);
          if (ce.kind == ChatEvent::Kind::Text && !ce.text.empty()) {
            result.text += ce.text;
            last_activity = Clock::now();
            if (on_text) on_text(ce.text);
          }
        });
        req.on_data = [&](std::string_view bytes) {
          if (raw.size() < 65536) raw.append(bytes.substr(0, 65536 - raw.size()));
          const std::uint64_t before_feed = events;
          parser->feed(bytes);
          since_event = events != before_feed ? 0 : since_event + bytes.size();
          event_too_large = since_event > kMaxChatEventBytes;
          return !event_too_large;  // false stops the transfer; reported below as BadResponse
        };
        req.on_tick = [&] {
          if (Clock::now() - last_activity < settings.notice_interval) return;
          last_activity = Clock::now();
          if (on_notice) on_notice("The backend is still working on it…");
        };
      });
    } catch (const CloudError& e) {
      if (event_too_large) {
        throw CloudError(CloudErrorKind::BadResponse,
                         context("the chat stream sent more than " + std::to_string(kMaxChatEventBytes >> 20) +
                                 " MB without completing an event"));
      }
      // A connection that drops after the stream started is a cut stream, not a
      // failed request: report it and look at the state instead.
      const bool started = parser && parser->lines_seen() > 0;
      if (!started || (e.kind() != CloudErrorKind::Network && e.kind() != CloudErrorKind::Timeout)) throw;
      parser->finish();
      return true;
    }
    return !parser->finish();
  }

  /// What a download's answers said: the full size (0 if unknown) and the
  /// file name the last answer proposed.
  struct Fetched {
    std::uint64_t expected = 0;
    std::string server_name;
  };

  /// Streams a completed render into `part`, resuming a part already there
  /// with HTTP Range: from the output URL, else (it refuses the file, or keeps
  /// failing) from the authenticated fallback. Each URL gets max_retries + 3
  /// tries for transient failures — network errors, timeouts, transfers cut
  /// short, HTTP 5xx, 408 and 429 — with a backoff that starts at
  /// retry_backoff and doubles (at most 8×); every try resumes what arrived.
  /// Errors: CloudError.
  Fetched fetch_to_part(const CloudRender& render, const fs::path& part,
                        const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
    std::string url = render.output_url;
    if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      url = url.front() == '/' ? settings.base_url + url : std::string();  // anything but http(s) is refused
    }
    const std::string fallback = settings.base_url + "/api/render/proxy/" + path_segment(render.id) + "/download";
    std::vector<std::pair<std::string, bool>> sources;  // URL, authenticated: the output URL, then the fallback
    if (!url.empty()) sources.emplace_back(url, false);
    sources.emplace_back(fallback, true);
    Fetched out;
    std::exception_ptr transient;  // the last URL's transient failure: what went wrong, and the part is kept
    for (const auto& [source, authenticated] : sources) {
      const Outcome o = fetch_from(source, authenticated, part, progress, out);
      if (o.done) return out;
      if (o.transient) {
        transient = o.error;
      } else if (&source == &sources.back().first) {
        // The last URL refused the file: report an earlier URL's transient failure if there was one
        // (the download can be resumed later), else the refusal.
        std::rethrow_exception(transient ? transient : o.error);
      }
    }
    std::rethrow_exception(transient);
  }

  /// How one URL of fetch_to_part() ended.
  struct Outcome {
    bool done = false;           ///< the part is complete
    bool transient = false;      ///< it kept failing in ways that may pass (network, 5xx, cut transfers)
    std::exception_ptr error;    ///< the CloudError when not done
  };

  /// One URL of fetch_to_part(): max_retries + 3 tries for transient failures,
  /// then an Outcome; a refusal (HTTP 4xx but 408 and 429) ends it at once.
  /// Throws only what no other URL can mend (a part over the size limit).
  Outcome fetch_from(const std::string& url, bool authenticated, const fs::path& part,
                     const std::function<void(std::uint64_t, std::uint64_t)>& progress, Fetched& out) {
    const std::uint64_t cap = settings.max_download_bytes;
    const int tries = settings.max_retries + 3;
    auto backoff = settings.retry_backoff;
    std::error_code ec;
    for (int attempt = 1;; ++attempt) {
      const auto again = [&]() {  // a transient failure: wait and resume, or give up on this URL
        if (attempt >= tries) return false;
        sleep_for(backoff);
        backoff = std::min(backoff * 2, settings.retry_backoff * 8);
        return true;
      };
      const std::uint64_t have = fs::exists(part, ec) ? fs::file_size(part, ec) : 0;
      if (cap > 0 && have > cap) throw CloudError(CloudErrorKind::DownloadInvalid, context("the partial download is over the size limit"));
      HttpRequest req;
      req.url = url;
      req.kind = HttpCallKind::Download;
      req.timeouts = timeouts_for(HttpCallKind::Download);
      req.download_to = part;
      req.resume_from = have;
      req.max_download_bytes = cap;
      req.on_progress = progress;
      if (authenticated) req.headers = base_headers(true);
      try {
        const HttpResponse r = perform(req);
        if (r.status == 416 && have > 0) return {true, false, nullptr};  // already complete
        if (r.status < 200 || r.status >= 300) {
          const bool transient = r.status >= 500 || r.status == 408 || r.status == 429;
          if (transient && again()) continue;
          try {
            (void)envelope_data(r, nullptr);  // the vendor's own error, when the body is its envelope
            throw CloudError(r.status >= 500 ? CloudErrorKind::ServerError : CloudErrorKind::BadResponse,
                             context("HTTP " + std::to_string(r.status)), r.status);
          } catch (const CloudError&) {
            return {false, transient, std::current_exception()};
          }
        }
        read_download_headers(r, req.url, out);
        if (out.expected > 0 && fs::file_size(part, ec) < out.expected) {  // cut short: resume
          if (again()) continue;
          return {false, true, std::make_exception_ptr(CloudError(CloudErrorKind::Network, context("the download kept stopping")))};
        }
        return {true, false, nullptr};
      } catch (const CloudError& e) {
        const bool transient = e.kind() == CloudErrorKind::Network || e.kind() == CloudErrorKind::Timeout;
        if (!transient) throw;
        if (again()) continue;
        return {false, true, std::current_exception()};
      }
    }
  }

  /// The full size (Content-Range total, else Content-Length) and the server's file name.
  static void read_download_headers(const HttpResponse& r, const std::string& url, Fetched& out) {
    if (auto it = r.headers.find("content-disposition"); it != r.headers.end()) out.server_name = disposition_filename(it->second);
    if (out.server_name.empty()) out.server_name = url_last_segment(r.effective_url.empty() ? url : r.effective_url);
    if (auto it = r.headers.find("content-range"); it != r.headers.end()) {
      const auto slash = it->second.rfind('/');
      if (slash != std::string::npos) out.expected = std::strtoull(it->second.c_str() + slash + 1, nullptr, 10);
    } else if (auto len = r.headers.find("content-length"); len != r.headers.end()) {
      out.expected = std::strtoull(len->second.c_str(), nullptr, 10);
    }
  }

  /// A free name for a download in `folder`: the server's (safe_file_name), else
  /// the render id, ending in .mp4, "-2", "-3"… when taken. Never outside the
  /// folder. Errors (the part removed): Error{Output} with no free name,
  /// BadResponse when the name would leave the folder.
  fs::path name_in_folder(const fs::path& folder, const std::string& server_name, const std::string& render_id,
                          const fs::path& part) {
    std::error_code ec;
    std::string name = safe_file_name(server_name, "");
    if (name.empty()) name = safe_file_name(render_id, "render");
    name = with_mp4(name);
    fs::path target = folder / name;
    const std::string stem = name.substr(0, name.size() - 4);
    for (int n = 2; fs::exists(target, ec) || fs::is_symlink(target, ec); ++n) {
      if (n > 9999) {
        fs::remove(part, ec);
        throw Error(ErrorCode::Output, "no free file name for the download in " + folder.string());
      }
      target = folder / (stem + "-" + std::to_string(n) + ".mp4");
    }
    // safe_file_name() keeps no separator and no leading dot: the file is a direct child of the folder.
    if (name.find_first_of("/\\") != std::string::npos || name.front() == '.' || fs::path(name).filename() != name) {
      fs::remove(part, ec);
      throw CloudError(CloudErrorKind::BadResponse, context("the server's file name leaves the output folder"));
    }
    return target;
  }

  CloudSession create_session() {
    Call c;
    c.method = "POST";
    c.path = [] { return std::string("/api/tasks/me/with-session/nemo_agent"); };
    c.body = {{"task_name", "project"}, {"language", settings.language}};
    // Safe to repeat: a session whose answer was lost is an empty, unused session (no charge).
    const json data = call(c);
    CloudSession s;
    s.session_id = str(data, "session_id");
    s.task_id = str(data, "task_id");
    s.user_id = str(data, "user_id");
    if (s.session_id.empty()) throw CloudError(CloudErrorKind::BadResponse, context("no session_id in the answer"));
    if (!s.user_id.empty() && user_id.empty()) {
      user_id = s.user_id;
      save_identity();
    }
    if (s.user_id.empty()) s.user_id = user_id.empty() ? "me" : user_id;
    return s;
  }
};

CloudClient::CloudClient(CloudSettings settings, const CancelToken* cancel) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
  impl_->cancel = cancel;
  auto& base = impl_->settings.base_url;
  if (base.empty()) {
    const char* env = std::getenv("NEMO_API_URL");
    base = env != nullptr && *env != '\0' ? env : kNemoProductionUrl;
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
}

CloudClient::~CloudClient() = default;

const std::string& CloudClient::base_url() const { return impl_->settings.base_url; }

bool CloudClient::anonymous() {
  impl_->load_identity();
  return !impl_->env_token;
}

std::string CloudClient::client_id() {
  impl_->load_identity();
  return impl_->client_id;
}

CloudSession CloudClient::create_session() { return impl_->create_session(); }

CloudCredits CloudClient::credits() {
  Impl::Call c;
  c.path = [] { return std::string("/api/credits/balance/simple"); };
  const json data = impl_->call(c);
  return {num(data, "available"), num(data, "frozen"), num(data, "total")};
}

CloudState CloudClient::state(CloudSession& session, bool use_user_id) {
  Impl::Call c;
  c.session = &session;
  c.path = [&session, use_user_id] {
    return "/api/state/nemo_agent/" + path_segment(use_user_id ? session.user_id : std::string("me")) + "/" +
           path_segment(session.session_id) + "/latest";
  };
  const json data = impl_->call(c);
  CloudState st;
  st.raw = data.contains("state") ? data["state"] : data;
  if (st.raw.is_object() && st.raw.contains("draft") && st.raw["draft"].is_object()) {
    st.draft = Timeline::from_json(st.raw["draft"]);
  }
  return st;
}

ChatTurnResult CloudClient::chat(CloudSession& session, const std::string& message,
                                 const std::function<void(const std::string&)>& on_text,
                                 const std::function<void(const std::string&)>& on_notice) {
  auto& m = *impl_;
  std::optional<std::string> before;
  try {
    before = state(session).draft.summary();
  } catch (const CloudError& e) {
    if (e.kind() == CloudErrorKind::Cancelled) throw;
  }
  ChatTurnResult result;
  bool cut = false;
  for (int attempt = 0;; ++attempt) {
    try {
      cut = m.chat_stream(session, message, on_text, on_notice, result);
      break;
    } catch (const CloudError& e) {
      // The turn failed before any event arrived. It may still have reached the
      // backend (and been charged): it is sent again once, and only when a state
      // read shows the draft unchanged. A changed draft means the turn took
      // effect: it is reported like a cut stream, never sent twice.
      const bool transient = e.kind() == CloudErrorKind::ServerError || e.kind() == CloudErrorKind::Network ||
                             e.kind() == CloudErrorKind::Timeout;
      if (!transient || attempt > 0 || !before) throw;
      std::string now;
      try {
        now = state(session).draft.summary();
      } catch (const CloudError&) {
        throw e;
      }
      if (now != *before) {
        cut = true;
        break;
      }
      m.sleep_for(m.settings.retry_backoff);
    }
  }
  result.stream_cut = cut;
  if (result.text.empty() || cut) {
    std::string after;
    try {
      after = state(session).draft.summary();
    } catch (const CloudError& e) {
      if (e.kind() == CloudErrorKind::Cancelled) throw;
      after = "(the state could not be read: " + std::string(e.what()) + ")";
    }
    const std::string was = before.value_or("(unknown)");
    result.change_summary = after == was ? "The timeline did not change: " + after
                                         : "The timeline changed.\nBefore: " + was + "\nAfter:  " + after;
  }
  return result;
}

std::vector<CloudUpload> CloudClient::upload(CloudSession& session, const std::vector<fs::path>& files,
                                             const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  auto& m = *impl_;
  for (const auto& f : files) {
    std::error_code ec;
    if (!fs::is_regular_file(f, ec)) throw Error(ErrorCode::InputMissing, "No such file: " + f.string());
    std::string ext = lower(f.extension().string());
    if (!ext.empty()) ext.erase(0, 1);
    CloudErrorContext ctx = m.context();
    ctx.file = f.filename().string();
    if (!vendor_accepts_extension(ext)) throw CloudError(CloudErrorKind::UnsupportedFile, ctx);
    const double mb = static_cast<double>(fs::file_size(f, ec)) / (1024.0 * 1024.0);
    if (mb > m.settings.max_upload_mb) {
      ctx.file_mb = mb;
      ctx.limit_mb = m.settings.max_upload_mb;
      throw CloudError(CloudErrorKind::FileTooLarge, ctx);
    }
  }
  Impl::Call c;
  c.method = "POST";
  c.kind = HttpCallKind::Upload;
  c.session = &session;  // safe to repeat: the same files into the same session
  c.path = [&session] { return "/api/upload-video/nemo_agent/me/" + path_segment(session.session_id); };
  const json data = m.call(c, [&](HttpRequest& req) {
    for (const auto& f : files) req.files.push_back({"files", f, {}});
    req.on_progress = progress;
  });
  std::vector<CloudUpload> out;
  if (data.contains("files") && data["files"].is_array()) {
    for (const auto& f : data["files"]) {
      out.push_back({str(f, "filename"), str(f, "file_type"), str(f, "cdn_url"), num(f, "duration"),
                     static_cast<int>(num(f, "width")), static_cast<int>(num(f, "height"))});
    }
  }
  return out;
}

std::vector<CloudUpload> CloudClient::upload_urls(CloudSession& session, const std::vector<std::string>& urls) {
  Impl::Call c;
  c.method = "POST";
  c.session = &session;  // safe to repeat, as file uploads
  c.path = [&session] { return "/api/upload-video/nemo_agent/me/" + path_segment(session.session_id); };
  c.body = {{"urls", urls}, {"source_type", "url"}};
  const json data = impl_->call(c);
  std::vector<CloudUpload> out;
  if (data.contains("files") && data["files"].is_array()) {
    for (const auto& f : data["files"]) out.push_back({str(f, "filename"), str(f, "file_type"), str(f, "cdn_url"), num(f, "duration"), 0, 0});
  }
  return out;
}

CloudRender CloudClient::submit_render(const CloudSession& session, const nlohmann::json& draft) {
  auto& m = *impl_;
  for (int attempt = 0;; ++attempt) {
    const std::string id = "render_" + std::to_string(unix_now()) + (attempt == 0 ? "" : "_" + std::to_string(attempt));
    Impl::Call c;
    c.method = "POST";
    // Safe to repeat with the same render id: the backend refuses a second
    // render of one id, so a retry after a lost answer never renders (or
    // charges) twice.
    c.path = [] { return std::string("/api/render/proxy/lambda"); };
    c.body = {{"id", id}, {"sessionId", session.session_id}, {"draft", draft},
              {"output", {{"format", "mp4"}, {"quality", "high"}}}};
    int retried = 0;
    try {
      const json data = m.call(c, {}, &retried);
      CloudRender r;
      r.id = str(data, "id").empty() ? id : str(data, "id");
      r.status = status_from(str(data, "status"));
      r.progress = static_cast<int>(num(data, "progress"));
      return r;
    } catch (const CloudError& e) {
      const bool duplicate = e.http_status() == 409 || lower(e.what()).find("duplicate") != std::string::npos ||
                             lower(e.what()).find("exist") != std::string::npos;
      // After a retry, "duplicate" means the first try was taken: that render is ours.
      if (duplicate && retried > 0) return poll_render(id);
      // A duplicate id on the first try belongs to another render: make a new id (vendor reference).
      if (!duplicate || attempt >= 3) throw;
    }
  }
}

CloudRender CloudClient::poll_render(const std::string& render_id) {
  Impl::Call c;
  c.path = [render_id] { return "/api/render/proxy/lambda/" + path_segment(render_id); };
  const json data = impl_->call(c);
  CloudRender r;
  r.id = render_id;
  r.status = status_from(str(data, "status"));
  r.progress = static_cast<int>(num(data, "progress"));
  r.output_url = str(data, "outputUrl");
  if (r.output_url.empty()) r.output_url = str(data, "output_url");
  if (r.output_url.empty() && data.contains("output")) r.output_url = str(data["output"], "url");
  r.error = str(data, "error");
  if (r.error.empty()) r.error = str(data, "message");
  return r;
}

CloudRender CloudClient::wait_for_render(const std::string& render_id,
                                         const std::function<void(const CloudRender&)>& on_poll) {
  for (int i = 0; i < impl_->settings.max_polls; ++i) {
    CloudRender r = poll_render(render_id);
    if (on_poll) on_poll(r);
    if (r.status == CloudRender::Status::Completed) return r;
    if (r.status == CloudRender::Status::Failed || r.status == CloudRender::Status::Cancelled) {
      throw CloudError(CloudErrorKind::RenderFailed, impl_->context(r.error));
    }
    impl_->sleep_for(impl_->settings.poll_interval);
  }
  throw CloudError(CloudErrorKind::Timeout, impl_->context("the render did not finish in time; its job is kept"));
}

void CloudClient::cancel_render(const std::string& render_id) {
  Impl::Call c;
  c.method = "POST";
  c.path = [render_id] { return "/api/render/proxy/lambda/" + path_segment(render_id) + "/cancel"; };
  c.body = json::object();
  impl_->call(c);
}

fs::path CloudClient::download(const CloudRender& render, const fs::path& output,
                               const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  auto& m = *impl_;
  std::error_code ec;
  const bool into_folder = fs::is_directory(output, ec);
  fs::path part = output;
  if (into_folder) {
    part = output / ("." + safe_file_name(render.id, "render") + ".part");
  } else {
    part += ".part";
  }
  Impl::Fetched fetched;
  try {
    fetched = m.fetch_to_part(render, part, progress);
    const std::uint64_t size = fs::file_size(part, ec);
    if (ec || size == 0 || (fetched.expected > 0 && size != fetched.expected)) {
      throw CloudError(CloudErrorKind::DownloadInvalid, m.context("the file has the wrong size"));
    }
    if (m.settings.verify_download) {
      try {
        m.settings.verify_download(part);
      } catch (const std::exception& e) {
        throw CloudError(CloudErrorKind::DownloadInvalid, m.context(e.what()));
      }
    }
  } catch (const CloudError& e) {
    const bool resumable = e.kind() == CloudErrorKind::Network || e.kind() == CloudErrorKind::Timeout ||
                           e.kind() == CloudErrorKind::Cancelled;
    if (!resumable) fs::remove(part, ec);
    throw;
  }
  fs::path target = into_folder ? m.name_in_folder(output, fetched.server_name, render.id, part) : output;
  fs::rename(part, target, ec);
  if (ec) throw Error(ErrorCode::Output, "cannot move the download to " + target.string() + ": " + ec.message());
  return target;
}

}  // namespace mv
