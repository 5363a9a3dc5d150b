// fake-nemo-server-identity.cpp — the fake NemoVideo server's tokens and sessions: the
// anonymous-token route and the bearer check, session creation, credits, the session
// state and draft (with the default sample draft), and their setters.
#include "fake-nemo-server-impl.hpp"

#include <ctime>
#include <tuple>

namespace mvtest {

namespace {

std::string iso8601_utc(std::chrono::system_clock::time_point tp) {
  const std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm g{};
  gmtime_r(&t, &g);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &g);
  return buf;
}

}  // namespace

namespace fake_detail {

json sample_draft() {
  return json{
      {"t",
       json::array({
           json{{"tt", 0},
                {"sg", json::array({json{{"s", 0},
                                         {"d", 10000},
                                         {"m", {{"name", "city timelapse"}, {"src", "upload-1"}}}}})}},
           json{{"tt", 1},
                {"sg", json::array({json{{"s", 0},
                                         {"d", 10000},
                                         {"m", {{"name", "Lo-fi"}, {"volume", 0.35}}}}})}},
           json{{"tt", 7},
                {"sg", json::array({json{{"s", 0},
                                         {"d", 3000},
                                         {"m", {{"text", "Urban Dreams"}}}}})}},
       })},
      {"d", 10000},
      {"m", {{"title", "Urban Dreams"}, {"width", 1920}, {"height", 1080}}},
  };
}

}  // namespace fake_detail

// ------------------------------------------------------------------------------------------
// Impl: tokens, auth, sessions, credits, state

FakeNemoServer::IssuedToken FakeNemoServer::Impl::issue_locked(const std::string& client_id) {
  auto& user = user_of_client[client_id];
  if (user.empty()) user = "user-" + std::to_string(++user_counter);
  const std::string token =
      "tok-" + std::to_string(++token_counter) + "-" + hex64(rng()).substr(0, 12);
  tokens[token] = Token{user, client_id, std::chrono::system_clock::now() + token_ttl, false};
  return {token, user, client_id};
}

std::optional<std::string> FakeNemoServer::Impl::authorize(Call& c, bool success_shape) {
  const std::string auth = c.req.get_header_value("Authorization");
  std::string token;
  if (auth.size() > 7 && lower(auth.substr(0, 7)) == "bearer ") token = auth.substr(7);
  bool http401 = false;
  {
    std::lock_guard<std::mutex> lk(mu);
    http401 = auth_401;
    const auto it = tokens.find(token);
    if (it != tokens.end() && !it->second.revoked &&
        std::chrono::system_clock::now() < it->second.expires) {
      return it->second.user_id;
    }
  }
  send_error(c, http401 ? 401 : 200, 1001,
             token.empty() ? "missing token" : "invalid or expired token", success_shape);
  return std::nullopt;
}

bool FakeNemoServer::Impl::user_matches(const std::string& path_user, const std::string& token_user) {
  return path_user == "me" || path_user == token_user;
}

void FakeNemoServer::Impl::on_token(Call& c) {
  const bool shape = general_shape();
  const std::string client_id = c.req.get_header_value("X-Client-Id");
  if (client_id.empty()) {
    send_error(c, 400, 400, "missing X-Client-Id header", shape);
    return;
  }
  json data;
  {
    std::lock_guard<std::mutex> lk(mu);
    int& count = tokens_per_client[client_id];
    if (count >= token_limit) {
      c.res.set_header("Retry-After", std::to_string(retry_after_s));
      send_json(c.res, 429, error_body(429, "too many anonymous tokens for this client id", shape));
      return;
    }
    ++count;
    const auto t = issue_locked(client_id);
    data = json{{"token", t.token},
                {"user_id", t.user_id},
                {"expires_at", iso8601_utc(tokens[t.token].expires)},
                {"credits", credits_available}};
  }
  send_ok(c, data, shape);
}

void FakeNemoServer::Impl::on_create_session(Call& c) {
  const bool shape = general_shape();
  const auto user = authorize(c, shape);
  if (!user) return;
  if (!user_matches(c.req.matches[1].str(), *user)) {
    send_error(c, 200, 1001, "token does not belong to this user", shape);
    return;
  }
  const auto body = parse_body(c, c.req.body.empty() ? "{}" : c.req.body, shape);
  if (!body) return;
  std::string sid, task;
  {
    std::lock_guard<std::mutex> lk(mu);
    std::tie(sid, task) = add_session_locked(*user);
  }
  send_ok(c, json{{"task_id", task}, {"session_id", sid}, {"user_id", *user}}, shape);
}

std::pair<std::string, std::string> FakeNemoServer::Impl::add_session_locked(const std::string& user) {
  const int n = ++session_counter;
  std::string sid = "sess-" + std::to_string(n) + "-" + hex64(rng()).substr(0, 8);
  std::string task = "task-" + std::to_string(n);
  sessions[sid] = Session{user, task, default_draft, json::array()};
  return {sid, task};
}

bool FakeNemoServer::Impl::session_ok_locked(const std::string& sid, const std::string& user) const {
  const auto it = sessions.find(sid);
  return it != sessions.end() && it->second.user_id == user;
}

void FakeNemoServer::Impl::on_credits(Call& c) {
  const bool shape = general_shape();
  if (!authorize(c, shape)) return;
  json data;
  {
    std::lock_guard<std::mutex> lk(mu);
    data = json{{"available", credits_available},
                {"frozen", credits_frozen},
                {"total", credits_available + credits_frozen}};
  }
  send_ok(c, data, shape);
}

void FakeNemoServer::Impl::on_state(Call& c) {
  const bool shape = general_shape();
  const auto user = authorize(c, shape);
  if (!user) return;
  const std::string sid = c.req.matches[2].str();
  json data;
  {
    std::lock_guard<std::mutex> lk(mu);
    if (!user_matches(c.req.matches[1].str(), *user) || !session_ok_locked(sid, *user)) {
      send_json(c.res, 200, error_body(1002, "session not found", shape));
      return;
    }
    const Session& s = sessions[sid];
    data = json{{"session_id", sid},
                {"user_id", *user},
                {"state",
                 {{"draft", s.draft},
                  {"video_infos", s.video_infos},
                  {"generated_media", json::array()},
                  {"video_analyses", json::array()},
                  {"canvas_config",
                   {{"width", canvas_w}, {"height", canvas_h}, {"aspect_ratio", canvas_aspect}}}}}};
  }
  send_ok(c, data, shape);
}

// ------------------------------------------------------------------------------------------
// FakeNemoServer: tokens, sessions, credits, draft

void FakeNemoServer::set_token_limit(int per_client_id, int retry_after_s) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->token_limit = per_client_id;
  impl_->retry_after_s = retry_after_s;
}
void FakeNemoServer::set_token_ttl(std::chrono::seconds ttl) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->token_ttl = ttl;
}
FakeNemoServer::IssuedToken FakeNemoServer::issue_token(const std::string& client_id) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->issue_locked(client_id);
}
void FakeNemoServer::revoke_tokens() {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  for (auto& [token, info] : impl_->tokens) info.revoked = true;
}
int FakeNemoServer::tokens_issued() const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->token_counter;
}

void FakeNemoServer::drop_sessions() {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->sessions.clear();
}
std::string FakeNemoServer::add_session(const std::string& user_id) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->add_session_locked(user_id).first;
}
std::vector<std::string> FakeNemoServer::session_ids() const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<std::string> out;
  for (const auto& [sid, s] : impl_->sessions) out.push_back(sid);
  return out;
}
void FakeNemoServer::set_credits(int available, int frozen) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->credits_available = available;
  impl_->credits_frozen = frozen;
}
int FakeNemoServer::credits_available() const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->credits_available;
}
void FakeNemoServer::set_turn_cost(int credits) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->turn_cost = credits;
}
void FakeNemoServer::set_draft(const nlohmann::json& d) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->default_draft = d;
  for (auto& [sid, s] : impl_->sessions) s.draft = d;
}
nlohmann::json FakeNemoServer::draft(const std::string& session_id) const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  const auto it = impl_->sessions.find(session_id);
  return it == impl_->sessions.end() ? nlohmann::json() : it->second.draft;
}
void FakeNemoServer::set_canvas(int width, int height, const std::string& aspect_ratio) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->canvas_w = width;
  impl_->canvas_h = height;
  impl_->canvas_aspect = aspect_ratio;
}

}  // namespace mvtest
