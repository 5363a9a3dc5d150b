// sse.hpp — a server-sent events parser following the WHATWG HTML standard's
// "event stream" interpretation rules, fed with arbitrary network chunks, and
// the interpretation of the vendor's chat events.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace mv {

/// One dispatched event.
struct SseEvent {
  std::string type = "message";  ///< `event:` field, "message" by default
  std::string data;              ///< `data:` lines joined with "\n"
  std::string id;                ///< last event id seen (sticky across events)
};

/// Incremental parser. Feed bytes as they arrive; complete events are passed
/// to the callback. Handles LF, CRLF and CR line endings (also a CR at the end
/// of one chunk followed by LF at the start of the next), a leading UTF-8 BOM,
/// comments (":" lines, reported through `on_comment` as keep-alives), `retry:`
/// (digits only), `id:` (ignored if it contains NUL), fields without a colon,
/// a single space after the colon stripped, and events with an empty data
/// buffer not dispatched (per the standard). Multi-byte UTF-8 characters split
/// across chunks are kept intact (bytes are buffered, never decoded early).
class SseParser {
 public:
  using EventFn = std::function<void(const SseEvent&)>;
  /// Receives a comment's text: what follows the ':' (one leading space removed).
  using CommentFn = std::function<void(std::string_view)>;
  explicit SseParser(EventFn on_event, CommentFn on_comment = {});
  /// Feeds a chunk of the stream.
  void feed(std::string_view bytes);
  /// Call when the stream ends. Returns true when it ended cleanly (no partial
  /// line and no pending event fields); false means the stream was cut in the
  /// middle of an event. A pending, unterminated event is NOT dispatched; the
  /// partial line and pending fields are discarded (the last event id, the
  /// retry time and lines_seen() are kept), so the parser can read a new stream.
  bool finish();
  /// The reconnection time from the last valid `retry:` field, ms.
  [[nodiscard]] std::optional<long> retry_ms() const;
  /// Complete lines processed so far (fields, comments and blank lines: any
  /// traffic, including keep-alives): lets callers tell silence from activity.
  [[nodiscard]] std::size_t lines_seen() const;

 private:
  void process_line(std::string_view line);
  EventFn on_event_;
  CommentFn on_comment_;
  std::string buffer_;      // bytes of an incomplete line
  bool last_was_cr_ = false;
  bool bom_checked_ = false;
  std::string type_, data_, last_id_;
  bool fields_pending_ = false;
  std::optional<long> retry_;
  std::size_t lines_ = 0;
};

/// What a chat event means for the user.
struct ChatEvent {
  enum class Kind {
    Text,        ///< text to show (already extracted)
    ToolCall,    ///< the backend started a tool (not shown)
    ToolResult,  ///< a tool finished (not shown)
    Heartbeat,   ///< still working (also empty `data:` lines)
    Other,       ///< anything else (ignored, never an error)
  } kind = Kind::Other;
  std::string text;   ///< for Text
  std::string name;   ///< tool name for ToolCall/ToolResult
};

/// Interprets one SSE event of the chat stream. Accepts the vendor shape
/// {"type":"text","content":"…"} / {"type":"tool_call","name":…,"args":…} /
/// {"type":"tool_result","name":…,"result":…} / {"type":"heartbeat"}; the
/// "text" variant {"text":"…"}; Google ADK's {"content":{"parts":[{"text":"…"},
/// {"functionCall":{"name":…}}, {"functionResponse":{"name":…}}]}} (text parts
/// joined; a part with functionCall → ToolCall, functionResponse → ToolResult;
/// "partial": true events are text too); an event whose SSE type is
/// "heartbeat" or whose data is empty → Heartbeat; data that is not JSON →
/// Text with the raw data. Never throws.
ChatEvent interpret_chat_event(const SseEvent& event);

}  // namespace mv
