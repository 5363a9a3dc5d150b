// test-sse.cpp — mv::SseParser against the WHATWG "Interpreting an event stream"
// rules (line endings, chunk splits, fields, BOM, comments, dispatch, end of
// stream) and mv::interpret_chat_event on every chat event shape of the vendor.
#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "mv/cloud/sse.hpp"

namespace {

using Ev = std::tuple<std::string, std::string, std::string>;  // type, data, id

/// Everything a parser reported for one stream.
struct Parsed {
  std::vector<Ev> events;
  std::vector<std::string> comments;
  std::size_t lines = 0;
  bool clean = false;
  std::optional<long> retry;

  bool operator==(const Parsed&) const = default;
};

/// Parses `stream` cut into chunks at the given offsets (ascending), then finishes.
Parsed parse_split(std::string_view stream, const std::vector<std::size_t>& cuts) {
  Parsed run;
  mv::SseParser parser(
      [&](const mv::SseEvent& e) { run.events.emplace_back(e.type, e.data, e.id); },
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
  return run;
}

Parsed parse(std::string_view stream) { return parse_split(stream, {}); }

Parsed parse_bytewise(std::string_view stream) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < stream.size(); ++i) cuts.push_back(i);
  return parse_split(stream, cuts);
}

Ev msg(std::string data, std::string id = {}) { return {"message", std::move(data), std::move(id)}; }

mv::ChatEvent chat(std::string data, std::string type = "message") {
  mv::SseEvent e;
  e.type = std::move(type);
  e.data = std::move(data);
  return mv::interpret_chat_event(e);
}

using Kind = mv::ChatEvent::Kind;

// ---- line endings ---------------------------------------------------------------

TEST(SseParser, LfLineEndings) {
  const Parsed r = parse("data: a\n\ndata: b\n\n");
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("a"), msg("b")}));
  EXPECT_EQ(r.lines, 4u);
  EXPECT_TRUE(r.clean);
}

TEST(SseParser, CrlfLineEndings) {
  const Parsed r = parse("data: a\r\n\r\ndata: b\r\n\r\n");
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("a"), msg("b")}));
  EXPECT_EQ(r.lines, 4u);
  EXPECT_TRUE(r.clean);
}

TEST(SseParser, CrLineEndings) {
  const Parsed r = parse("data: a\r\rdata: b\r\r");
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("a"), msg("b")}));
  EXPECT_EQ(r.lines, 4u);
  EXPECT_TRUE(r.clean);
}

TEST(SseParser, MixedLineEndings) {
  const Parsed r = parse("data: a\rdata: b\r\ndata: c\n\r\ndata: d\n\r");
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("a\nb\nc"), msg("d")}));
  EXPECT_EQ(r.lines, 6u);
  EXPECT_TRUE(r.clean);
}

TEST(SseParser, CrlfSplitAcrossChunksIsOneLineEnd) {
  // CR ends one chunk, LF starts the next: one line end, not a blank line.
  const Parsed r = parse_split("data: a\r\ndata: b\r\n\r\n", {8});
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("a\nb")}));
  EXPECT_EQ(r.lines, 3u);
  // Same for the blank line's own CRLF.
  const Parsed r2 = parse_split("data: a\r\n\r\n", {10});
  EXPECT_EQ(r2.events, (std::vector<Ev>{msg("a")}));
  EXPECT_EQ(r2.lines, 2u);
  // An empty chunk between the CR and the LF changes nothing.
  const Parsed r3 = parse_split("data: a\r\ndata: b\r\n\r\n", {8, 8, 8});
  EXPECT_EQ(r3, r);
}

TEST(SseParser, CrAtChunkEndThenCrIsBlankLine) {
  const Parsed r = parse_split("data: a\r\r", {8});
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("a")}));
  EXPECT_EQ(r.lines, 2u);
  EXPECT_TRUE(r.clean);
}

TEST(SseParser, CrDispatchesWithoutWaitingForNextChunk) {
  std::vector<std::string> data;
  mv::SseParser parser([&](const mv::SseEvent& e) { data.push_back(e.data); });
  parser.feed("data: now\r\n\r");
  EXPECT_EQ(data, (std::vector<std::string>{"now"}));
  parser.feed("\n");
  EXPECT_EQ(data.size(), 1u);
  EXPECT_EQ(parser.lines_seen(), 2u);
  EXPECT_TRUE(parser.finish());
}

// ---- fields ---------------------------------------------------------------------

TEST(SseParser, MultiLineDataJoinedWithLf) {
  const Parsed r = parse("data: first\ndata: second\ndata:\ndata: fourth\n\n");
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("first\nsecond\n\nfourth")}));
}

TEST(SseParser, EventFieldSetsTypeForOneEvent) {
  const Parsed r = parse("event: heartbeat\ndata: {}\n\ndata: x\n\nevent: a\nevent: b\ndata: y\n\n");
  EXPECT_EQ(r.events, (std::vector<Ev>{{"heartbeat", "{}", ""}, msg("x"), {"b", "y", ""}}));
}

TEST(SseParser, EmptyEventFieldMeansMessage) {
  const Parsed r = parse("event:\ndata: x\n\n");
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("x")}));
}

TEST(SseParser, IdIsStickyAcrossEvents) {
  const Parsed r = parse("id: 7\ndata: a\n\ndata: b\n\nid: 8\n\ndata: c\n\nid\ndata: d\n\n");
  // "id: 8" with no data is not dispatched, but still sets the last event id;
  // "id" with no value resets it to empty.
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("a", "7"), msg("b", "7"), msg("c", "8"), msg("d", "")}));
}

TEST(SseParser, IdContainingNulIsIgnored) {
  using namespace std::string_literals;
  const Parsed r = parse("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n"s);
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("a", "1"), msg("b", "1")}));
}

TEST(SseParser, RetryWithDigitsSetsReconnectionTime) {
  EXPECT_EQ(parse("retry: 3000\n\n").retry, 3000);
  EXPECT_EQ(parse("retry:0\n\n").retry, 0);
  EXPECT_EQ(parse("retry: 100\nretry: 250\n\n").retry, 250);
  EXPECT_EQ(parse("data: x\n\n").retry, std::nullopt);
}

TEST(SseParser, RetryWithJunkIsIgnored) {
  for (const char* junk : {"retry: 10s\n", "retry: -5\n", "retry: +5\n", "retry: 1 000\n", "retry:\n",
                           "retry: 1.5\n", "retry:  10\n", "retry: 99999999999999999999999999\n"}) {
    EXPECT_EQ(parse(std::string("retry: 42\n") + junk + "\n").retry, 42) << junk;
  }
  EXPECT_EQ(parse("retry: abc\n\n").retry, std::nullopt);
}

TEST(SseParser, CommentsReportedAndNotDispatched) {
  const Parsed r = parse(": keep-alive\n:\n:  two spaces\ndata: a\n: inside an event\n\n");
  EXPECT_EQ(r.comments, (std::vector<std::string>{"keep-alive", "", " two spaces", "inside an event"}));
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("a")}));
  EXPECT_EQ(r.lines, 6u);
  EXPECT_TRUE(r.clean);
}

TEST(SseParser, OnlyCommentsDispatchNothing) {
  const Parsed r = parse(":ping\n\n:ping\n\n");
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(r.comments.size(), 2u);
  EXPECT_TRUE(r.clean);
}

TEST(SseParser, FieldWithoutColonHasEmptyValue) {
  EXPECT_EQ(parse("data\n\n").events, (std::vector<Ev>{msg("")}));
  EXPECT_EQ(parse("data\ndata\n\n").events, (std::vector<Ev>{msg("\n")}));
  EXPECT_EQ(parse("event\ndata: x\n\n").events, (std::vector<Ev>{msg("x")}));
  EXPECT_EQ(parse("id: 5\nid\ndata: x\n\n").events, (std::vector<Ev>{msg("x", "")}));
}

TEST(SseParser, OnlyOneLeadingSpaceStripped) {
  EXPECT_EQ(parse("data:  two\n\n").events, (std::vector<Ev>{msg(" two")}));
  EXPECT_EQ(parse("data:x\n\n").events, (std::vector<Ev>{msg("x")}));
  EXPECT_EQ(parse("data:\tx\n\n").events, (std::vector<Ev>{msg("\tx")}));
  EXPECT_EQ(parse("data: x \n\n").events, (std::vector<Ev>{msg("x ")}));
  EXPECT_EQ(parse("data: a: b\n\n").events, (std::vector<Ev>{msg("a: b")}));
}

TEST(SseParser, FieldNamesAreExactAndUnknownOnesIgnored) {
  const Parsed r = parse("Data: x\ndata : y\nfoo: bar\n\ndata: z\n\n");
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("z")}));
}

TEST(SseParser, BomStrippedAtStartOnly) {
  const std::string bom = "\xEF\xBB\xBF";
  EXPECT_EQ(parse(bom + "data: a\n\n").events, (std::vector<Ev>{msg("a")}));
  // A second BOM is part of the field name ("\uFEFFdata"), which is unknown.
  EXPECT_EQ(parse(bom + bom + "data: a\n\n").events, std::vector<Ev>{});
  EXPECT_EQ(parse(bom + "data: a\n\n" + bom + "data: b\n\n").events, (std::vector<Ev>{msg("a")}));
  // A BOM inside a value is kept.
  EXPECT_EQ(parse("data: " + bom + "a\n\n").events, (std::vector<Ev>{msg(bom + "a")}));
}

TEST(SseParser, BomSplitAcrossChunksIsStripped) {
  const std::string stream = "\xEF\xBB\xBF" "data: a\n\n";
  EXPECT_EQ(parse_split(stream, {1}).events, (std::vector<Ev>{msg("a")}));
  EXPECT_EQ(parse_split(stream, {1, 2}).events, (std::vector<Ev>{msg("a")}));
  EXPECT_EQ(parse_split(stream, {2, 3}).events, (std::vector<Ev>{msg("a")}));
  // Bytes that start like a BOM but are another character (EF BB BE is U+FEFE) are kept.
  EXPECT_EQ(parse_split("\xEF\xBB\xBE: c\n", {1, 2}).events, std::vector<Ev>{});
  EXPECT_EQ(parse_split("\xEF\xBB\xBE" "data: x\n\n", {2}).events, std::vector<Ev>{});
}

TEST(SseParser, StreamOfOnlyABomIsClean) {
  EXPECT_TRUE(parse("\xEF\xBB\xBF").clean);
  EXPECT_TRUE(parse("").clean);
  EXPECT_FALSE(parse_split("\xEF\xBB", {1}).clean);
}

// ---- dispatch -------------------------------------------------------------------

TEST(SseParser, EmptyDataLineDispatchesEventWithEmptyData) {
  // The data buffer is "\n" (not empty), so the event IS dispatched, with data "".
  EXPECT_EQ(parse("data:\n\n").events, (std::vector<Ev>{msg("")}));
  EXPECT_EQ(parse("data: \n\n").events, (std::vector<Ev>{msg("")}));
  EXPECT_EQ(parse("data:\r\n\r\ndata:\r\n\r\n").events, (std::vector<Ev>{msg(""), msg("")}));
}

TEST(SseParser, BlankLineWithEmptyDataBufferDispatchesNothing) {
  const Parsed r = parse("\n\n\r\n");
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(r.lines, 3u);
  EXPECT_TRUE(r.clean);
}

TEST(SseParser, EventWithoutDataIsDroppedAndItsTypeReset) {
  const Parsed r = parse("event: tool_call\n\ndata: x\n\n");
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("x")}));
}

// ---- chunking -------------------------------------------------------------------

const std::vector<std::string>& sample_streams() {
  static const std::vector<std::string> streams = {
      "data: {\"type\":\"text\",\"content\":\"生成中…\"}\n\n",
      "\xEF\xBB\xBF" "event: chat\r\nid: 1\r\ndata: 🎬 剪辑 ok 🎵\r\n\r\n: ping\r\ndata: 😀\rdata: b\r\r",
      ": hi\n\nretry: 1500\ndata: first\ndata: 第二行\n\nevent: heartbeat\ndata:\n\nid: 9\ndata: é\n\n",
      "data: {\"type\":\"tool_call\",\"name\":\"generate_video\",\"args\":{}}\r\n\r\n"
      "data: {\"type\":\"heartbeat\"}\n\ndata\n\ndata: 👩‍👩‍👧 family\r\n\r\n",
      "data: cut in the middle of 生成",  // unterminated: same (non-)events either way
  };
  return streams;
}

TEST(SseParser, ByteAtATimeGivesSameEventsAsWholeStream) {
  for (const std::string& stream : sample_streams()) {
    const Parsed whole = parse(stream);
    const Parsed bytes = parse_bytewise(stream);
    EXPECT_EQ(bytes, whole) << stream;
  }
}

TEST(SseParser, RandomChunkingGivesSameEventsAsWholeStream) {
  std::mt19937 rng(20240611);
  for (const std::string& stream : sample_streams()) {
    const Parsed whole = parse(stream);
    for (int round = 0; round < 50; ++round) {
      std::vector<std::size_t> cuts;
      std::uniform_int_distribution<std::size_t> step(0, 6);
      for (std::size_t at = step(rng); at < stream.size(); at += step(rng)) cuts.push_back(at);
      EXPECT_EQ(parse_split(stream, cuts), whole) << stream << " round " << round;
    }
  }
}

TEST(SseParser, MultiByteCharactersSplitAcrossChunksStayIntact) {
  const std::string text = "生成中… 🎬";
  const std::string stream = "data: " + text + "\n\n";
  // Cut inside the 3-byte "生" and inside the 4-byte emoji.
  const Parsed r = parse_split(stream, {7, 8, stream.size() - 4, stream.size() - 3});
  EXPECT_EQ(r.events, (std::vector<Ev>{msg(text)}));
}

// ---- end of stream --------------------------------------------------------------

TEST(SseParser, FinishTrueAfterCleanEnd) {
  EXPECT_TRUE(parse("data: a\n\n").clean);
  EXPECT_TRUE(parse("data: a\r\n\r\n: bye\r\n").clean);
  EXPECT_TRUE(parse("data: a\r\r").clean);
  EXPECT_TRUE(parse_split("data: a\r\n\r", {9}).clean);
}

TEST(SseParser, FinishFalseWhenCutInsideALine) {
  const Parsed r = parse("data: a\n\ndata: {\"type\":\"te");
  EXPECT_FALSE(r.clean);
  EXPECT_EQ(r.events, (std::vector<Ev>{msg("a")}));  // the cut event is not dispatched
  EXPECT_FALSE(parse(": partial comment").clean);
}

TEST(SseParser, FinishFalseWhenEventNeverDispatched) {
  const Parsed r = parse("data: x\n");
  EXPECT_FALSE(r.clean);
  EXPECT_TRUE(r.events.empty());
  EXPECT_FALSE(parse("data: a\n\nevent: text\n").clean);
  EXPECT_FALSE(parse("data: x\r\n").clean);
}

TEST(SseParser, FinishDiscardsPendingEventAndParserReadsANewStream) {
  std::vector<Ev> events;
  mv::SseParser parser([&](const mv::SseEvent& e) { events.emplace_back(e.type, e.data, e.id); });
  parser.feed("id: 3\ndata: a\n\nevent: x\ndata: lost\n");
  EXPECT_FALSE(parser.finish());
  parser.feed("\xEF\xBB\xBF" "data: b\n\n");
  EXPECT_TRUE(parser.finish());
  EXPECT_EQ(events, (std::vector<Ev>{msg("a", "3"), msg("b", "3")}));
}

TEST(SseParser, LinesSeenCountsEveryLine) {
  mv::SseParser parser([](const mv::SseEvent&) {});
  EXPECT_EQ(parser.lines_seen(), 0u);
  parser.feed(": ping\n");
  EXPECT_EQ(parser.lines_seen(), 1u);
  parser.feed("\n");
  EXPECT_EQ(parser.lines_seen(), 2u);
  parser.feed("data: par");
  EXPECT_EQ(parser.lines_seen(), 2u);  // a partial line is not a line yet
  parser.feed("tial\nfoo\n\n");
  EXPECT_EQ(parser.lines_seen(), 5u);
}

// ---- chat events ----------------------------------------------------------------

TEST(ChatEvent, VendorTextIsText) {
  const mv::ChatEvent e = chat(R"({"type":"text","content":"生成中…"})");
  EXPECT_EQ(e.kind, Kind::Text);
  EXPECT_EQ(e.text, "生成中…");
}

TEST(ChatEvent, VendorTextKeepsSurroundingSpaces) {
  EXPECT_EQ(chat(R"({"type":"text","content":" and more "})").text, " and more ");
}

TEST(ChatEvent, VendorToolCallIsToolCallWithName) {
  const mv::ChatEvent e = chat(R"({"type":"tool_call","name":"generate_video","args":{"prompt":"city"}})");
  EXPECT_EQ(e.kind, Kind::ToolCall);
  EXPECT_EQ(e.name, "generate_video");
  EXPECT_TRUE(e.text.empty());
}

TEST(ChatEvent, VendorToolResultIsToolResultWithName) {
  const mv::ChatEvent e = chat(R"({"type":"tool_result","name":"generate_video","result":{"ok":true}})");
  EXPECT_EQ(e.kind, Kind::ToolResult);
  EXPECT_EQ(e.name, "generate_video");
}

TEST(ChatEvent, VendorHeartbeatIsHeartbeat) {
  EXPECT_EQ(chat(R"({"type":"heartbeat"})").kind, Kind::Heartbeat);
}

TEST(ChatEvent, HeartbeatEventTypeIsHeartbeat) {
  EXPECT_EQ(chat("", "heartbeat").kind, Kind::Heartbeat);
  EXPECT_EQ(chat("{}", "heartbeat").kind, Kind::Heartbeat);
}

TEST(ChatEvent, EmptyDataIsHeartbeat) {
  EXPECT_EQ(chat("").kind, Kind::Heartbeat);
  EXPECT_EQ(chat(" \n ").kind, Kind::Heartbeat);
}

TEST(ChatEvent, TextVariantIsText) {
  const mv::ChatEvent e = chat(R"({"text":"Your video is ready"})");
  EXPECT_EQ(e.kind, Kind::Text);
  EXPECT_EQ(e.text, "Your video is ready");
}

TEST(ChatEvent, AdkTextPartsAreJoined) {
  const mv::ChatEvent e =
      chat(R"({"author":"nemo_agent","content":{"role":"model","parts":[{"text":"Hello, "},{"text":"world"}]}})");
  EXPECT_EQ(e.kind, Kind::Text);
  EXPECT_EQ(e.text, "Hello, world");
}

TEST(ChatEvent, AdkPartialEventIsText) {
  const mv::ChatEvent e = chat(R"({"partial":true,"content":{"parts":[{"text":"Gen"}]}})");
  EXPECT_EQ(e.kind, Kind::Text);
  EXPECT_EQ(e.text, "Gen");
}

TEST(ChatEvent, AdkThoughtPartsAreNotShown) {
  const mv::ChatEvent e = chat(R"({"content":{"parts":[{"text":"thinking","thought":true},{"text":"Done."}]}})");
  EXPECT_EQ(e.kind, Kind::Text);
  EXPECT_EQ(e.text, "Done.");
}

TEST(ChatEvent, AdkFunctionCallIsToolCall) {
  const mv::ChatEvent e =
      chat(R"({"content":{"role":"model","parts":[{"functionCall":{"id":"c1","name":"add_bgm","args":{}}}]}})");
  EXPECT_EQ(e.kind, Kind::ToolCall);
  EXPECT_EQ(e.name, "add_bgm");
}

TEST(ChatEvent, AdkFunctionResponseIsToolResult) {
  const mv::ChatEvent e =
      chat(R"({"content":{"role":"user","parts":[{"functionResponse":{"name":"add_bgm","response":{}}}]}})");
  EXPECT_EQ(e.kind, Kind::ToolResult);
  EXPECT_EQ(e.name, "add_bgm");
}

TEST(ChatEvent, AdkTextWinsOverFunctionCallInOneEvent) {
  const mv::ChatEvent e =
      chat(R"({"content":{"parts":[{"text":"Adding music."},{"functionCall":{"name":"add_bgm"}}]}})");
  EXPECT_EQ(e.kind, Kind::Text);
  EXPECT_EQ(e.text, "Adding music.");
}

TEST(ChatEvent, OtherJsonShapesAreOther) {
  for (const char* data : {"{}", "[1,2]", "42", "\"str\"", "null", R"({"type":"error","message":"x"})",
                           R"({"content":{"parts":[]}})", R"({"usageMetadata":{"totalTokenCount":5}})"}) {
    EXPECT_EQ(chat(data).kind, Kind::Other) << data;
  }
}

TEST(ChatEvent, WrongValueTypesNeverThrow) {
  for (const char* data : {R"({"type":"text","content":5})", R"({"type":7})", R"({"text":["a"]})",
                           R"({"content":{"parts":"x"}})", R"({"content":{"parts":[{"text":5},3,null]}})",
                           R"({"content":"plain"})", R"({"type":"tool_call","name":5})"}) {
    mv::ChatEvent e;
    EXPECT_NO_THROW(e = chat(data)) << data;
    EXPECT_NE(e.kind, Kind::Text) << data;
  }
  mv::ChatEvent e = chat(R"({"type":"tool_call","name":5})");
  EXPECT_EQ(e.kind, Kind::ToolCall);
  EXPECT_TRUE(e.name.empty());
}

TEST(ChatEvent, NonJsonIsTrimmedRawText) {
  mv::ChatEvent e = chat("  Rendering your clip…  \n");
  EXPECT_EQ(e.kind, Kind::Text);
  EXPECT_EQ(e.text, "Rendering your clip…");
  e = chat(R"({"type":"te)");
  EXPECT_EQ(e.kind, Kind::Text);
  EXPECT_EQ(e.text, R"({"type":"te)");
}

// ---- a whole turn ---------------------------------------------------------------

TEST(ChatTurn, RecordedStyleTurnSurfacesTextInOrder) {
  const std::string turn =
      ": connected\r\n\r\n"
      "data: {\"type\":\"text\",\"content\":\"好的，\"}\r\n\r\n"
      "data: {\"type\":\"text\",\"content\":\"I'll generate a city timelapse. \"}\r\n\r\n"
      "data: {\"type\":\"tool_call\",\"name\":\"generate_video\",\"args\":{\"prompt\":\"city\"}}\r\n\r\n"
      "data: {\"type\":\"heartbeat\"}\r\n\r\n"
      ": keep-alive\r\n"
      "data:\r\n\r\n"
      "event: heartbeat\r\ndata: {}\r\n\r\n"
      ": keep-alive\r\n"
      "data: {\"type\":\"tool_result\",\"name\":\"generate_video\",\"result\":{\"ok\":true}}\r\n\r\n"
      "data: {\"type\":\"text\",\"content\":\"生成中… \"}\r\n\r\n"
      "data: {\"text\":\"Done 🎬\"}\r\n\r\n";

  std::string shown;
  std::vector<std::string> tools;
  int heartbeats = 0;
  int others = 0;
  int comments = 0;
  mv::SseParser parser(
      [&](const mv::SseEvent& ev) {
        const mv::ChatEvent e = mv::interpret_chat_event(ev);
        switch (e.kind) {
          case Kind::Text: shown += e.text; break;
          case Kind::ToolCall: tools.push_back("call " + e.name); break;
          case Kind::ToolResult: tools.push_back("result " + e.name); break;
          case Kind::Heartbeat: ++heartbeats; break;
          case Kind::Other: ++others; break;
        }
      },
      [&](std::string_view) { ++comments; });
  // Network-sized odd chunks: CRLF pairs and UTF-8 characters get split.
  for (std::size_t at = 0; at < turn.size(); at += 7) parser.feed(std::string_view(turn).substr(at, 7));
  EXPECT_TRUE(parser.finish());

  EXPECT_EQ(shown, "好的，I'll generate a city timelapse. 生成中… Done 🎬");
  EXPECT_EQ(tools, (std::vector<std::string>{"call generate_video", "result generate_video"}));
  EXPECT_EQ(heartbeats, 3);
  EXPECT_EQ(others, 0);
  EXPECT_EQ(comments, 3);
}

}  // namespace
