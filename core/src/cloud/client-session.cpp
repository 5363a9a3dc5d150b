// client-session.cpp — what every call of the cloud client goes through (see
// client-impl.hpp): the identity (cloud.json), the token (NEMO_TOKEN, a
// registered one, else anonymous), the JSON envelope in both shapes (code /
// success), the error table with its retries, and new sessions.
#include <charconv>
#include <cstdlib>
#include <thread>

#include "mv/base/json-file.hpp"
#include "mv/base/uuid.hpp"

#include "client-impl.hpp"

namespace mv {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace cloud_detail;

std::optional<HttpTimeouts> CloudClient::Impl::timeouts_for(HttpCallKind kind) const {
  const auto it = settings.timeouts.find(kind);
  if (it == settings.timeouts.end()) return std::nullopt;
  return it->second;
}

void CloudClient::Impl::load_identity() {
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

void CloudClient::Impl::save_identity() const {
  json j = {{"client_id", client_id}, {"user_id", user_id}};
  if (!env_token) {
    j["token"] = token;
    j["token_expires_at"] = token_expires;
  }
  write_json_file(identity_path(), j, 0600);
}

CloudErrorContext CloudClient::Impl::context(const std::string& detail) const {
  CloudErrorContext c;
  c.anonymous = !env_token;
  c.bind_id = user_id;
  c.registration_url = settings.registration_url;
  c.detail = redact_secrets(detail);
  return c;
}

HttpResponse CloudClient::Impl::perform(const HttpRequest& req) const {
  try {
    return http.perform(req, cancel);
  } catch (const HttpError& e) {
    throw cloud_error_from_http(e, context());
  }
}

void CloudClient::Impl::sleep_for(std::chrono::milliseconds total) const {
  const auto end = Clock::now() + total;
  while (Clock::now() < end) {
    if (cancel != nullptr && cancel->requested()) throw CloudError(CloudErrorKind::Cancelled, {});
    std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(50), end - Clock::now()));
  }
  if (cancel != nullptr && cancel->requested()) throw CloudError(CloudErrorKind::Cancelled, {});
}

std::vector<std::pair<std::string, std::string>> CloudClient::Impl::base_headers(bool with_token) {
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

std::string CloudClient::Impl::current_token() {
  load_identity();
  if (env_token) return token;
  if (!token.empty() && (token_expires == 0 || token_expires > unix_now() + 60)) return token;
  fetch_anonymous_token();
  return token;
}

void CloudClient::Impl::fetch_anonymous_token() {
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

std::chrono::milliseconds CloudClient::Impl::retry_after(const HttpResponse& r) const {
  if (auto it = r.headers.find("retry-after"); it != r.headers.end()) {
    long s = 0;
    const std::string& v = it->second;
    const auto [next, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
    if (ec == std::errc() && next != v.data() && s > 0 && s < 3600) return std::chrono::seconds(s);
  }
  return settings.rate_limit_wait;
}

json CloudClient::Impl::envelope_data(const HttpResponse& r, const Call* call) const {
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

bool CloudClient::Impl::recover(const CloudError& e, const Call& c, Retries& r) {
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

HttpRequest CloudClient::Impl::request_for(const Call& c) {
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

json CloudClient::Impl::call(const Call& c, const std::function<void(HttpRequest&)>& prepare, int* transient_retries) {
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

CloudSession CloudClient::Impl::create_session() {
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

}  // namespace mv
