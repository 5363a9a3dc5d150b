// client-impl.hpp — the inside of mv::CloudClient (cloud/client.hpp), shared by
// the files that implement it by what they talk to: client-session.cpp (the
// identity, the token, the envelope and the error table's retries of every
// call), client-transfer.cpp (uploads and downloads), client.cpp (sessions,
// chat turns, state and renders), and client-util.cpp (the general helpers:
// times, JSON fields, URL and file-name pieces). Internal to the cloud domain.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "mv/cloud/client.hpp"
#include "mv/cloud/errors.hpp"
#include "mv/net/http.hpp"

namespace mv {

namespace cloud_detail {

using json = nlohmann::json;

/// Seconds since the epoch of an ISO 8601 UTC time ("2026-11-28T10:00:00Z",
/// fractions and "+00:00" accepted); 0 when unparsable.
std::int64_t parse_iso8601(const std::string& text);
/// Seconds since the epoch, now.
std::int64_t unix_now();
/// `s` in ASCII lower case.
std::string lower(std::string s);
/// A string field of `j` ("" when absent or not a string).
std::string str(const json& j, const char* key);
/// A number field of `j`, also read from a numeric string (0 when absent).
double num(const json& j, const char* key);
/// `s` as one URL path segment: everything but RFC 3986 unreserved characters
/// percent-encoded, and a segment of dots ("." / "..") encoded whole, so a
/// server-provided id can never add or climb path segments.
std::string path_segment(const std::string& s);
/// The value of a hexadecimal digit, −1 for any other character.
int hex_value(char c);
/// Percent-decodes once; invalid escapes are kept as they are.
std::string percent_decode(const std::string& s);
/// The filename of a Content-Disposition value (filename*=UTF-8''… preferred,
/// else filename="…" or filename=token), still encoded as sent; "" if none.
std::string disposition_filename(const std::string& value);
/// The last path segment of a URL (no query or fragment), still encoded.
std::string url_last_segment(const std::string& url);
/// `name` with ".mp4" appended unless it already ends so (any case).
std::string with_mp4(std::string name);
/// A render status as the API names it ("pending", "processing", …).
CloudRender::Status status_from(const std::string& s);

}  // namespace cloud_detail

struct CloudClient::Impl {
  using json = nlohmann::json;

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

  std::filesystem::path identity_path() const { return settings.config_dir / "cloud.json"; }

  /// The time limits the settings give a kind of call (nullopt: the defaults).
  std::optional<HttpTimeouts> timeouts_for(HttpCallKind kind) const;

  void load_identity();

  void save_identity() const;

  CloudErrorContext context(const std::string& detail = {}) const;

  /// One HTTP call; the HTTP layer's errors become the vendor-facing CloudError.
  HttpResponse perform(const HttpRequest& req) const;

  void sleep_for(std::chrono::milliseconds total) const;

  std::vector<std::pair<std::string, std::string>> base_headers(bool with_token);

  /// The token to use: NEMO_TOKEN, else a stored unexpired one, else a new anonymous one.
  std::string current_token();

  /// A new anonymous token (safe to repeat: each answer is a valid token).
  /// Retries: a new client id after 400, one wait after 429, and up to
  /// max_retries transient failures (5xx, network, timeout) with backoff.
  void fetch_anonymous_token();

  std::chrono::milliseconds retry_after(const HttpResponse& r) const;

  /// HTTP status and envelope checks that need no retry decision; returns data.
  /// Throws CloudError for failures; 1001/1002 are thrown as TokenInvalid /
  /// SessionNotFound for the caller's retry logic.
  json envelope_data(const HttpResponse& r, const Call* call) const;

  /// What a call has already retried (each recovery of the error table runs once).
  struct Retries {
    bool token = false, session = false, client = false, rate = false;
    int transient = 0;  ///< 5xx / network / timeout retries so far
    std::chrono::milliseconds backoff{0};
  };

  /// The error table's recovery for a failed call: true when the call should
  /// be made again (new token, new session, new client id, after a wait, or a
  /// bounded retry of a transient failure of a call that is safe to repeat).
  bool recover(const CloudError& e, const Call& c, Retries& r);

  /// The request of a call: URL, kind, limits, headers with the token, JSON body.
  HttpRequest request_for(const Call& c);

  /// Performs a call with the error table's retries. `prepare` may adjust the
  /// request (files, streaming sinks). `transient_retries`, when given, gets
  /// how many times a transient failure was retried.
  json call(const Call& c, const std::function<void(HttpRequest&)>& prepare = {}, int* transient_retries = nullptr);

  /// One chat turn's stream: text to `result.text` (and on_text), notices
  /// after silence. Returns true when the stream was cut after it started.
  /// Errors: CloudError before the first line of the stream (the turn may be
  /// retried by the caller), BadResponse for an event over kMaxChatEventBytes.
  bool chat_stream(CloudSession& session, const std::string& message, const std::function<void(const std::string&)>& on_text, const std::function<void(const std::string&)>& on_notice, ChatTurnResult& result);

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
  Fetched fetch_to_part(const CloudRender& render, const std::filesystem::path& part, const std::function<void(std::uint64_t, std::uint64_t)>& progress);

  /// How one URL of fetch_to_part() ended.
  struct Outcome {
    bool done = false;           ///< the part is complete
    bool transient = false;      ///< it kept failing in ways that may pass (network, 5xx, cut transfers)
    std::exception_ptr error;    ///< the CloudError when not done
  };

  /// One URL of fetch_to_part(): max_retries + 3 tries for transient failures,
  /// then an Outcome; a refusal (HTTP 4xx but 408 and 429) ends it at once.
  /// Throws only what no other URL can mend (a part over the size limit).
  Outcome fetch_from(const std::string& url, bool authenticated, const std::filesystem::path& part, const std::function<void(std::uint64_t, std::uint64_t)>& progress, Fetched& out);

  /// The full size (Content-Range total, else Content-Length) and the server's file name.
  static void read_download_headers(const HttpResponse& r, const std::string& url, Fetched& out);

  /// A free name for a download in `folder`: the server's (safe_file_name), else
  /// the render id, ending in .mp4, "-2", "-3"… when taken. Never outside the
  /// folder. Errors (the part removed): Error{Output} with no free name,
  /// BadResponse when the name would leave the folder.
  std::filesystem::path name_in_folder(const std::filesystem::path& folder, const std::string& server_name, const std::string& render_id, const std::filesystem::path& part);

  CloudSession create_session();
};

}  // namespace mv
