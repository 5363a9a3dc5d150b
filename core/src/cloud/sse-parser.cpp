// sse-parser.cpp — the incremental server-sent events parser (see mv/cloud/sse.hpp).
// Rules: WHATWG HTML Living Standard, section 9.2.6 "Interpreting an event
// stream" (https://html.spec.whatwg.org/multipage/server-sent-events.html):
// lines end at CRLF, LF or CR; one leading U+FEFF BOM is stripped; a blank line
// dispatches; ':' starts a comment; fields event / data / id / retry; unknown
// fields are ignored. The stream is handled as bytes (chunks may split a CRLF
// pair or a UTF-8 character anywhere); nothing is decoded here.
#include "mv/cloud/sse.hpp"

#include <algorithm>
#include <charconv>
#include <system_error>
#include <utility>

namespace mv {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kLineEnds = "\r\n";

/// Removes a single leading U+0020 SPACE, as the standard does for field values.
std::string_view strip_one_space(std::string_view value) {
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}

bool all_ascii_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

SseParser::SseParser(EventFn on_event, CommentFn on_comment)
    : on_event_(std::move(on_event)), on_comment_(std::move(on_comment)) {}

void SseParser::feed(std::string_view bytes) {
  if (!bom_checked_) {
    // The BOM itself may be split across chunks: hold the first bytes until
    // they either are the whole BOM or stop looking like its beginning.
    buffer_.append(bytes);
    const std::size_t n = std::min(buffer_.size(), kBom.size());
    if (n < kBom.size() && std::string_view(buffer_).substr(0, n) == kBom.substr(0, n)) return;
    bom_checked_ = true;
    std::string pending = std::move(buffer_);
    buffer_.clear();
    std::string_view rest = pending;
    if (rest.substr(0, kBom.size()) == kBom) rest.remove_prefix(kBom.size());
    feed(rest);
    return;
  }

  std::size_t pos = 0;
  if (last_was_cr_ && !bytes.empty()) {
    // The previous chunk ended with CR: an LF here completes that CRLF pair,
    // it is not a blank line of its own.
    last_was_cr_ = false;
    if (bytes.front() == '\n') pos = 1;
  }
  while (pos < bytes.size()) {
    const std::size_t eol = bytes.find_first_of(kLineEnds, pos);
    if (eol == std::string_view::npos) {
      buffer_.append(bytes.substr(pos));
      break;
    }
    const std::string_view piece = bytes.substr(pos, eol - pos);
    if (buffer_.empty()) {
      process_line(piece);
    } else {
      buffer_.append(piece);
      const std::string line = std::move(buffer_);
      buffer_.clear();
      process_line(line);
    }
    pos = eol + 1;
    if (bytes[eol] == '\r') {
      if (pos == bytes.size()) {
        last_was_cr_ = true;
      } else if (bytes[pos] == '\n') {
        ++pos;
      }
    }
  }
}

void SseParser::process_line(std::string_view line) {
  ++lines_;

  if (line.empty()) {
    // Dispatch. An event with an empty data buffer is dropped (type reset).
    fields_pending_ = false;
    if (data_.empty()) {
      type_.clear();
      return;
    }
    data_.pop_back();  // the data buffer always ends with the LF appended below
    SseEvent event;
    if (!type_.empty()) event.type = std::move(type_);
    event.data = std::move(data_);
    event.id = last_id_;
    type_.clear();
    data_.clear();
    if (on_event_) on_event_(event);
    return;
  }

  if (line.front() == ':') {
    if (on_comment_) on_comment_(strip_one_space(line.substr(1)));
    return;
  }

  std::string_view name = line;
  std::string_view value;
  if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    name = line.substr(0, colon);
    value = strip_one_space(line.substr(colon + 1));
  }
  fields_pending_ = true;

  if (name == "event") {
    type_.assign(value);
  } else if (name == "data") {
    data_.append(value);
    data_.push_back('\n');
  } else if (name == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  } else if (name == "retry") {
    if (all_ascii_digits(value)) {
      long ms = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
      if (ec == std::errc() && end == value.data() + value.size()) retry_ = ms;  // overflow: ignored
    }
  }
  // Any other field name is ignored.
}

bool SseParser::finish() {
  const bool clean = buffer_.empty() && !fields_pending_;
  // End of stream: the partial line and any undispatched event are discarded.
  buffer_.clear();
  last_was_cr_ = false;
  bom_checked_ = false;
  type_.clear();
  data_.clear();
  fields_pending_ = false;
  return clean;
}

std::optional<long> SseParser::retry_ms() const { return retry_; }

std::size_t SseParser::lines_seen() const { return lines_; }

}  // namespace mv
