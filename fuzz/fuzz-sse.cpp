// fuzz-sse.cpp — mv::SseParser (WHATWG event-stream rules) and
// mv::interpret_chat_event on arbitrary bytes, as the chat stream of
// POST /run_sse delivers them: in network chunks cut anywhere.
//
// Input: byte 0 and 1 seed the chunk cuts, the rest is the stream. The stream
// is parsed three times — whole, in fuzzer-chosen chunks, and (up to 4 KiB)
// byte by byte — and the three runs must report the same events, comments,
// line count, retry time and clean/cut end: the parser's contract is that
// chunk boundaries never matter. Every event then goes through
// interpret_chat_event (never throws), and so does the whole stream as one
// event's data (the chat-event JSON on its own).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "fuzz-support.hpp"
#include "mv/cloud/sse.hpp"

namespace {

struct Run {
  std::vector<std::tuple<std::string, std::string, std::string>> events;  // type, data, id
  std::vector<std::string> comments;
  std::size_t lines = 0;
  bool clean = false;
  std::optional<long> retry;
  bool operator==(const Run&) const = default;
};

void check_chat_event(const mv::SseEvent& ev) {
  const mv::ChatEvent ce = mv::interpret_chat_event(ev);
  using K = mv::ChatEvent::Kind;
  mvfuzz::check(ce.kind == K::Text || ce.kind == K::ToolCall || ce.kind == K::ToolResult || ce.kind == K::Heartbeat ||
                    ce.kind == K::Other,
                "chat event kind out of range");
  if (ce.kind != K::Text) mvfuzz::check(ce.text.empty(), "text set on a non-text chat event");
  if (ev.type == "heartbeat") mvfuzz::check(ce.kind == K::Heartbeat, "an event of type heartbeat is not a Heartbeat");
}

/// Parses `stream` cut at `cuts` (ascending offsets), then finishes the stream.
Run parse(std::string_view stream, const std::vector<std::size_t>& cuts, bool interpret) {
  Run run;
  mv::SseParser parser(
      [&](const mv::SseEvent& e) {
        run.events.emplace_back(e.type, e.data, e.id);
        if (interpret) check_chat_event(e);
      },
      [&](std::string_view c) { run.comments.emplace_back(c); });
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    parser.feed(stream.substr(from, cut - from));
    from = cut;
  }
  parser.feed(stream.substr(from));
  run.clean = parser.finish();
  run.lines = parser.lines_seen();
  run.retry = parser.retry_ms();
  // finish() discards a pending event: a blank line on the next stream dispatches nothing.
  const std::size_t events = run.events.size();
  parser.feed("\n");
  mvfuzz::check(run.events.size() == events, "an event pending at finish() was dispatched later");
  return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  std::uint32_t state = (static_cast<std::uint32_t>(data[0]) << 8U) | data[1];
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  // Chunk cuts from a small LCG seeded by the first two bytes: chunks of 1..64 bytes.
  std::vector<std::size_t> cuts;
  for (std::size_t pos = 0;;) {
    state = state * 1103515245U + 12345U;
    pos += 1 + ((state >> 16U) % 64U);
    if (pos >= stream.size()) break;
    cuts.push_back(pos);
  }

  const Run whole = parse(stream, {}, true);
  const Run chunked = parse(stream, cuts, false);
  mvfuzz::check(whole == chunked, "chunked parse differs from the whole-stream parse");
  if (stream.size() <= 4096) {
    std::vector<std::size_t> every;
    for (std::size_t i = 1; i < stream.size(); ++i) every.push_back(i);
    mvfuzz::check(parse(stream, every, false) == whole, "byte-by-byte parse differs from the whole-stream parse");
  }

  // The chat-event JSON alone, as one event's data.
  mv::SseEvent ev;
  ev.data.assign(stream);
  check_chat_event(ev);
  return 0;
}
