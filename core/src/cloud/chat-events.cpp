// chat-events.cpp — what one SSE event of the vendor's chat stream (POST /run_sse)
// means for the user (see mv/cloud/sse.hpp). Shapes accepted, from /work/shared/nemo-api.md
// ("The SSE stream" and "What the vendor's own public API reference adds"):
// the vendor reference's {"type":"text"|"tool_call"|"tool_result"|"heartbeat",...},
// the seeds' {"text":"..."}, Google ADK's Event {"content":{"parts":[...]}} (the
// request is ADK's run_sse), heartbeat events and empty `data:` keep-alives, and
// plain non-JSON text. Unknown shapes are ignored (Other), never an error.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "mv/cloud/sse.hpp"

namespace mv {

namespace {

using nlohmann::json;

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const std::size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const std::size_t last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

/// The string at j[key], or nullptr when absent or not a string.
const std::string* string_at(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

ChatEvent text_event(std::string text) {
  ChatEvent e;
  e.kind = ChatEvent::Kind::Text;
  e.text = std::move(text);
  return e;
}

ChatEvent named_event(ChatEvent::Kind kind, const json& holder) {
  ChatEvent e;
  e.kind = kind;
  if (holder.is_object()) {
    if (const std::string* name = string_at(holder, "name")) e.name = *name;
  }
  return e;
}

/// The vendor reference's shape, {"type": ..., ...}; nullopt when `type` is not one of its kinds.
std::optional<ChatEvent> vendor_event(const json& j) {
  const std::string* type = string_at(j, "type");
  if (type == nullptr) return std::nullopt;
  if (*type == "text") {
    if (const std::string* content = string_at(j, "content")) return text_event(*content);
    if (const std::string* text = string_at(j, "text")) return text_event(*text);
    return std::nullopt;
  }
  if (*type == "tool_call") return named_event(ChatEvent::Kind::ToolCall, j);
  if (*type == "tool_result") return named_event(ChatEvent::Kind::ToolResult, j);
  if (*type == "heartbeat") {
    ChatEvent e;
    e.kind = ChatEvent::Kind::Heartbeat;
    return e;
  }
  return std::nullopt;
}

/// Google ADK's Event: content.parts[]. Text parts are joined (thought parts,
/// the model's hidden reasoning, are skipped); a part with functionCall makes a
/// ToolCall and functionResponse a ToolResult, unless the event also carries
/// text: text is the only thing the user sees, so it wins.
std::optional<ChatEvent> adk_event(const json& j) {
  const auto content = j.find("content");
  if (content == j.end() || !content->is_object()) return std::nullopt;
  const auto parts = content->find("parts");
  if (parts == content->end() || !parts->is_array()) return std::nullopt;

  std::string text;
  bool has_text = false;
  const json* call = nullptr;
  const json* response = nullptr;
  for (const json& part : *parts) {
    if (!part.is_object()) continue;
    if (const std::string* t = string_at(part, "text")) {
      const auto thought = part.find("thought");
      if (thought != part.end() && thought->is_boolean() && thought->get<bool>()) continue;
      text += *t;
      has_text = true;
    }
    if (const auto fc = part.find("functionCall"); fc != part.end() && call == nullptr) call = &*fc;
    if (const auto fr = part.find("functionResponse"); fr != part.end() && response == nullptr) {
      response = &*fr;
    }
  }
  if (has_text) return text_event(std::move(text));
  if (call != nullptr) return named_event(ChatEvent::Kind::ToolCall, *call);
  if (response != nullptr) return named_event(ChatEvent::Kind::ToolResult, *response);
  return std::nullopt;
}

ChatEvent interpret_json(const json& j) {
  if (!j.is_object()) return {};
  if (auto e = vendor_event(j)) return *e;
  if (const std::string* text = string_at(j, "text")) return text_event(*text);
  if (auto e = adk_event(j)) return *e;
  return {};
}

}  // namespace

ChatEvent interpret_chat_event(const SseEvent& event) {
  ChatEvent heartbeat;
  heartbeat.kind = ChatEvent::Kind::Heartbeat;
  if (event.type == "heartbeat") return heartbeat;
  const std::string_view data = trim(event.data);
  if (data.empty()) return heartbeat;

  try {
    const json j = json::parse(data, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return text_event(std::string(data));
    return interpret_json(j);
  } catch (...) {
    // A JSON value of an unexpected type somewhere (or no memory): ignore the event.
    return {};
  }
}

}  // namespace mv
