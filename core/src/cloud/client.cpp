// client.cpp — the vendor protocol (../shared/nemo-api.md) as mv::CloudClient:
// sessions, credits, state, SSE chat turns and renders; what every call goes
// through is in client-session.cpp, uploads and downloads in
// client-transfer.cpp, the helpers in client-util.cpp (client-impl.hpp).
#include <algorithm>
#include <thread>

#include "mv/cloud/sse.hpp"

#include "client-impl.hpp"

namespace mv {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace cloud_detail;

bool CloudClient::Impl::chat_stream(CloudSession& session, const std::string& message, const std::function<void(const std::string&)>& on_text, const std::function<void(const std::string&)>& on_notice, ChatTurnResult& result) {
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


}  // namespace mv
