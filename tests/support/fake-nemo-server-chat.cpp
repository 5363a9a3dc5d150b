// fake-nemo-server-chat.cpp — the fake NemoVideo server's chat turns: POST /run_sse
// streamed as SSE from a script (SseStep), the charge and the drafts a turn applies, and
// the scripts a test queues.
#include "fake-nemo-server-impl.hpp"

namespace mvtest {

// ------------------------------------------------------------------------------------------
// SseStep

SseStep SseStep::event(const json& payload, int delay_ms) {
  SseStep s;
  s.bytes = "data: " + payload.dump() + "\n\n";
  s.delay_ms = delay_ms;
  return s;
}

SseStep SseStep::text(const std::string& content, int delay_ms) {
  return event(json{{"type", "text"}, {"content", content}}, delay_ms);
}

SseStep SseStep::heartbeat(int delay_ms) { return event(json{{"type", "heartbeat"}}, delay_ms); }

SseStep SseStep::tool_call(const std::string& name, const json& args, int delay_ms) {
  return event(json{{"type", "tool_call"}, {"name", name}, {"args", args}}, delay_ms);
}

SseStep SseStep::tool_result(const std::string& name, const json& result, int delay_ms) {
  return event(json{{"type", "tool_result"}, {"name", name}, {"result", result}}, delay_ms);
}

SseStep SseStep::adk_text(const std::string& text, int delay_ms) {
  return event(json{{"content", {{"role", "model"}, {"parts", json::array({json{{"text", text}}})}}}},
               delay_ms);
}

SseStep SseStep::raw(std::string bytes, int delay_ms) {
  SseStep s;
  s.bytes = std::move(bytes);
  s.delay_ms = delay_ms;
  return s;
}

SseStep SseStep::cut_after(std::string partial_bytes, int delay_ms) {
  SseStep s = raw(std::move(partial_bytes), delay_ms);
  s.cut = true;
  return s;
}

SseStep SseStep::set_draft(json draft, int delay_ms) {
  SseStep s;
  s.delay_ms = delay_ms;
  s.draft = std::move(draft);
  return s;
}

// ------------------------------------------------------------------------------------------
// Impl: POST /run_sse

void FakeNemoServer::Impl::on_run_sse(Call& c) {
  const bool shape = general_shape();
  const auto user = authorize(c, shape);
  if (!user) return;
  const auto body = parse_body(c, c.req.body, shape);
  if (!body) return;
  if (body->value("app_name", std::string()) != "nemo_agent") {
    send_error(c, 400, 400, "unknown app_name", shape);
    return;
  }
  const std::string path_user = body->value("user_id", std::string());
  const std::string sid = body->value("session_id", std::string());
  std::string text;
  try {
    text = body->at("new_message").at("parts").at(0).at("text").get<std::string>();
  } catch (const json::exception&) {
    send_error(c, 400, 400, "new_message.parts[0].text missing", shape);
    return;
  }
  auto turn = std::make_shared<std::vector<SseStep>>();
  {
    std::lock_guard<std::mutex> lk(mu);
    if (!user_matches(path_user, *user) || !session_ok_locked(sid, *user)) {
      send_json(c.res, 200, error_body(1002, "session not found", shape));
      return;
    }
    if (credits_available <= 0 || credits_available < turn_cost) {
      send_json(c.res, 200,
                error_body(2001, "insufficient credits", shape, json{{"user_id", *user}}));
      return;
    }
    credits_available -= turn_cost;
    messages.push_back(text);
    if (!scripts.empty()) {
      *turn = std::move(scripts.front());
      scripts.pop_front();
    } else {
      *turn = default_script;
    }
  }
  if (c.answer_lost) {
    // The whole turn takes effect now (its drafts applied); its stream is never sent.
    std::lock_guard<std::mutex> lk(mu);
    const auto it = sessions.find(sid);
    for (const auto& step : *turn) {
      if (step.draft && it != sessions.end()) it->second.draft = *step.draft;
    }
    return;
  }
  c.res.status = 200;
  c.res.set_header("Cache-Control", "no-cache");
  c.res.set_header("X-Accel-Buffering", "no");
  auto next = std::make_shared<std::size_t>(0);
  c.res.set_chunked_content_provider(
      "text/event-stream", [this, turn, next, sid](std::size_t, httplib::DataSink& sink) {
        if (*next >= turn->size()) {
          sink.done();
          return true;
        }
        const SseStep& step = (*turn)[(*next)++];
        if (step.delay_ms > 0 && !wait_or_stop(std::chrono::milliseconds(step.delay_ms)))
          return false;
        if (is_stopping()) return false;
        if (step.draft) {
          std::lock_guard<std::mutex> lk(mu);
          const auto it = sessions.find(sid);
          if (it != sessions.end()) it->second.draft = *step.draft;
        }
        if (!step.bytes.empty() && !sink.write(step.bytes.data(), step.bytes.size()))
          return false;
        if (step.cut) return false;  // httplib closes without the terminating chunk
        if (*next >= turn->size()) sink.done();
        return true;
      });
}

// ------------------------------------------------------------------------------------------
// FakeNemoServer: chat scripts

void FakeNemoServer::script_next_turn(std::vector<SseStep> steps) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->scripts.push_back(std::move(steps));
}
void FakeNemoServer::set_default_script(std::vector<SseStep> steps) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->default_script = std::move(steps);
}
std::vector<SseStep> FakeNemoServer::builtin_default_script() {
  return {
      SseStep::heartbeat(),
      SseStep::tool_call("edit_timeline", json{{"action", "add_bgm"}, {"style", "lo-fi"}}),
      SseStep::tool_result("edit_timeline", json{{"ok", true}, {"tracks", 3}}),
      SseStep::text("I added a Lo-fi background track at 35% volume."),
      SseStep::text(" Click Export to download your video."),
  };
}
std::vector<std::string> FakeNemoServer::chat_messages() const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->messages;
}

}  // namespace mvtest
