// fake-nemo-server.hpp — a stand-in for the NemoVideo cloud API (see
// /work/shared/nemo-api.md) that the cloud client's tests talk to over real HTTP
// on 127.0.0.1, with knobs for every documented error and generic fault injection.
//
// Usage:
//   mvtest::FakeNemoServer srv;                 // listening once constructed
//   setenv("NEMO_API_URL", srv.base_url().c_str(), 1);
//   srv.set_credits(0);                         // next chat turn answers code 2001
//   srv.fail_next("^/run_sse$", 1, 503, "busy");
//   ... run the client ...
//   for (const auto& r : srv.requests()) ...    // what the client sent
//
// Conventions (where the vendor documents were silent, see also the .cpp):
//  * JSON answers: {"code":0,"message":"ok","data":{...}}, or {"success":true,"data":{...}}
//    after set_success_envelope(true). Errors: {"code":N,"message":"...","data":{...}}, or
//    {"success":false,"code":N,"message":"...","data":{...}} in the success shape.
//    Render endpoints (submit/poll/cancel) use the success shape by default, as the
//    vendor reference shows it (set_render_success_envelope(false) switches them).
//  * Documented errors use HTTP 200 with the envelope code (1001, 1002, 2001, 4001, 4002);
//    HTTP-level ones (400, 402, 429) carry a JSON body whose code equals the HTTP status.
//    Duplicate render id: HTTP 409, code 409. Cancelling a finished render: HTTP 409.
//    Unknown render id, or /api/render/proxy/<id>/download before completion: HTTP 404.
//    Unknown route: HTTP 404, code 404. Malformed JSON body: HTTP 400, code 400.
//  * Auth: every route except POST /api/auth/anonymous-token and GET /files/<name>
//    (the "CDN" output URL, which a real CDN serves without the API token) needs
//    `Authorization: Bearer <token>` with a token issued here, not expired, not revoked.
//  * Path user ids: `me` or the token's own user id; any other user id is answered as
//    "session not found" (1002) on session routes and "bad token" (1001) on create-session.
//  * Faults (fail/delay/hang/redirect/truncate/huge/trickle) are checked before anything
//    else, on every route, known or not; they match std::regex_search(path, regex) on the
//    path without query. At most one answering fault (fail, redirect, truncate, huge,
//    trickle: the first queued that matches) applies to a request; delays add up before it.
//  * Malformed JSON with HTTP 200: fail_next(regex, n, 200, "{not json").
//  * The request log records the path as httplib decodes it ("%2F" becomes "/"), without
//    removing dot segments, so a client that sent an id with "../" in it shows it there.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace mvtest {

/// Extra response headers for fail_next(): {name, value} pairs.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// One request as the fake server saw it.
struct RecordedRequest {
  std::string method;                          ///< "GET", "POST", ...
  std::string path;                            ///< without the query
  std::string query;                           ///< raw text after '?', "" if none
  std::map<std::string, std::string> headers;  ///< lower-case names; repeats joined with ", "
  std::string body;                            ///< first 64 KiB (empty for multipart uploads)
  std::uint64_t body_size = 0;  ///< whole body; multipart uploads: sum of the parts' content
  std::string content_type;     ///< Content-Type header value, "" if none
  std::string injected;         ///< faults applied: "", "delay", "fail", "redirect", "hang",
                                ///< "truncate", "huge", "trickle", "delay+fail"...

  /// Header value by lower-case name, "" if absent.
  [[nodiscard]] std::string header(const std::string& lower_name) const;
  [[nodiscard]] bool has_header(const std::string& lower_name) const;
};

/// One file part (or URL) received by the upload endpoint.
struct UploadedFile {
  std::string session_id;
  std::string field;         ///< multipart field name ("files" is the one the vendor reads)
  std::string filename;      ///< multipart filename, or the URL for JSON {"urls":[...]} uploads
  std::string content_type;  ///< part Content-Type, "" for URLs
  std::uint64_t size = 0;    ///< bytes received (0 for URLs)
  bool from_url = false;
  bool accepted = false;  ///< false if the request was answered 4001/4002 or the field isn't "files"
};

/// One step of a scripted chat turn (POST /run_sse): wait `delay_ms`, apply `draft` to the
/// session (if set), send `bytes` as one HTTP chunk, then, if `cut`, drop the connection
/// without the terminating chunk. After the last step the stream ends normally.
struct SseStep {
  std::string bytes;
  int delay_ms = 0;
  bool cut = false;
  std::optional<nlohmann::json> draft;

  /// "data: <payload.dump()>\n\n"
  static SseStep event(const nlohmann::json& payload, int delay_ms = 0);
  /// {"type":"text","content":...}
  static SseStep text(const std::string& content, int delay_ms = 0);
  /// {"type":"heartbeat"}
  static SseStep heartbeat(int delay_ms = 0);
  /// {"type":"tool_call","name":...,"args":...}
  static SseStep tool_call(const std::string& name, const nlohmann::json& args, int delay_ms = 0);
  /// {"type":"tool_result","name":...,"result":...}
  static SseStep tool_result(const std::string& name, const nlohmann::json& result,
                             int delay_ms = 0);
  /// Google ADK shape: {"content":{"role":"model","parts":[{"text":...}]}}
  static SseStep adk_text(const std::string& text, int delay_ms = 0);
  /// Bytes sent verbatim (comments ":\n\n", empty "data:\n\n", CRLF framing, garbage...).
  static SseStep raw(std::string bytes, int delay_ms = 0);
  /// Sends `partial_bytes` then drops the connection mid-stream.
  static SseStep cut_after(std::string partial_bytes, int delay_ms = 0);
  /// Replaces the session's draft at this point of the turn; sends nothing.
  static SseStep set_draft(nlohmann::json draft, int delay_ms = 0);
};

/// How render statuses are spelled before completion.
enum class RenderStatusNames {
  PendingProcessing,  ///< "pending" → "processing" → "completed"/"failed" (vendor reference)
  QueuedRendering,    ///< "queued" → "rendering" → "completed"/"failed"
};

/// Where a completed render poll puts the download URL.
enum class RenderUrlShape {
  OutputUrl,     ///< data.outputUrl (vendor reference; default)
  OutputDotUrl,  ///< data.output.url (seeds)
  Both,
};

/// What one render job looks like now.
struct RenderJobInfo {
  std::string id;
  std::string session_id;
  nlohmann::json draft;  ///< as submitted
  nlohmann::json output;  ///< "output" object as submitted
  std::string status;    ///< canonical: pending/processing/completed/failed/cancelled
  int polls = 0;
};

/// Server-level settings fixed at construction.
struct FakeNemoServerOptions {
  int threads = 16;              ///< worker threads (each open connection holds one)
  int keep_alive_timeout_s = 1;  ///< idle keep-alive connections are closed after this; also
                                 ///< bounds how long stop() waits for an idle client connection
  int read_timeout_s = 5;
  int write_timeout_s = 3;  ///< bounds stop() if a client stops reading mid-stream
};

class FakeNemoServer {
 public:
  /// Binds 127.0.0.1 on a free port and starts serving before returning.
  /// Throws std::runtime_error if it cannot.
  FakeNemoServer();
  explicit FakeNemoServer(const FakeNemoServerOptions& options);
  /// Stops (see stop()).
  ~FakeNemoServer();
  FakeNemoServer(const FakeNemoServer&) = delete;
  FakeNemoServer& operator=(const FakeNemoServer&) = delete;

  /// Wakes every delay/hang/scripted wait, closes streams in progress and the listening
  /// socket, and joins the server thread. Idempotent. Returns within about
  /// keep_alive_timeout_s (idle keep-alive connections) or write_timeout_s (a client that
  /// stopped reading), whichever applies; promptly otherwise.
  void stop();

  /// "http://127.0.0.1:PORT"
  [[nodiscard]] std::string base_url() const;
  [[nodiscard]] int port() const;

  // ---- envelopes and auth -------------------------------------------------------------
  /// true: {"success":true,"data":...} for all non-render JSON answers (default false).
  void set_success_envelope(bool on);
  /// Shape of the render submit/poll/cancel answers (default true: success shape).
  void set_render_success_envelope(bool on);
  /// Bad/expired/revoked/missing token answers HTTP 401 (body code 1001) instead of
  /// HTTP 200 with code 1001 (default false).
  void set_auth_failure_http_401(bool on);

  // ---- tokens ---------------------------------------------------------------------------
  /// At most `per_client_id` anonymous tokens per X-Client-Id (default 5); beyond that
  /// HTTP 429 with Retry-After: `retry_after_s` (default 30).
  void set_token_limit(int per_client_id, int retry_after_s = 30);
  /// Lifetime of tokens issued from now on (default 7 days; <= 0 issues expired tokens).
  void set_token_ttl(std::chrono::seconds ttl);
  /// Issues a valid token directly (not rate-limited), e.g. to play NEMO_TOKEN.
  struct IssuedToken {
    std::string token;
    std::string user_id;
    std::string client_id;
  };
  IssuedToken issue_token(const std::string& client_id = "test-client");
  /// Every token issued so far becomes invalid (code 1001); new ones can be issued.
  void revoke_tokens();
  /// Number of tokens issued (HTTP and issue_token()).
  [[nodiscard]] int tokens_issued() const;

  // ---- sessions, credits, state ----------------------------------------------------------
  /// Forgets every session: later calls naming them answer code 1002.
  void drop_sessions();
  /// Creates a session for `user_id` without HTTP; returns its id.
  std::string add_session(const std::string& user_id);
  [[nodiscard]] std::vector<std::string> session_ids() const;
  /// Credits reported by GET /api/credits/balance/simple and the token answer
  /// (default available 100, frozen 0; total = available + frozen). A chat turn with
  /// available <= 0 or < turn cost answers code 2001 (JSON, before any streaming).
  void set_credits(int available, int frozen = 0);
  [[nodiscard]] int credits_available() const;
  /// Credits a chat turn takes (default 0, so the balance stays put unless asked).
  void set_turn_cost(int credits);
  /// Draft of every existing session and the one new sessions start with. The default is
  /// a 3-track timeline (video "city timelapse" 0-10 s, audio "Lo-fi" at 35 %, text
  /// "Urban Dreams" 0-3 s) that is ready for export; set {} for a fresh, empty project.
  void set_draft(const nlohmann::json& draft);
  /// Draft of one session (null if unknown).
  [[nodiscard]] nlohmann::json draft(const std::string& session_id) const;
  /// data.state.canvas_config (default 1920x1080 "16:9").
  void set_canvas(int width, int height, const std::string& aspect_ratio);

  // ---- chat (POST /run_sse) -------------------------------------------------------------
  /// Queues a script for one future turn (FIFO); turns without a queued script play the
  /// default script.
  void script_next_turn(std::vector<SseStep> steps);
  /// Replaces the default script.
  void set_default_script(std::vector<SseStep> steps);
  /// The built-in default: heartbeat, tool_call, tool_result, two text events, close.
  [[nodiscard]] static std::vector<SseStep> builtin_default_script();
  /// Texts of the chat messages received (new_message.parts[0].text), in order.
  [[nodiscard]] std::vector<std::string> chat_messages() const;

  // ---- uploads -------------------------------------------------------------------------
  /// Largest accepted file, per file (default 500 MB = 500*1024*1024); larger → code 4002.
  void set_upload_limit(std::uint64_t bytes);
  /// Accepted extensions, lower case without dot (default mp4 mov avi webm mkv jpg jpeg png
  /// gif webp mp3 wav m4a aac flac); others → code 4001.
  void set_accepted_extensions(std::vector<std::string> extensions);
  [[nodiscard]] std::vector<UploadedFile> uploads() const;

  // ---- renders -------------------------------------------------------------------------
  /// Number of polls until a job completes (default 2): poll k < n answers "processing",
  /// poll n answers "completed" (or "failed", see set_render_fails). n <= 1: first poll.
  void set_render_polls(int polls_to_complete);
  /// Jobs end "failed" instead of "completed" (default false).
  void set_render_fails(bool fail);
  void set_render_status_names(RenderStatusNames names);
  void set_render_url_shape(RenderUrlShape shape);
  [[nodiscard]] std::vector<RenderJobInfo> render_jobs() const;

  // ---- downloads (GET /files/<name>, GET /api/render/proxy/<id>/download) --------------
  /// Serves this file (read at request time; missing file → HTTP 404).
  void set_download_file(const std::filesystem::path& path);
  /// Serves these bytes instead (the default: 64 KiB starting with an MP4 'ftyp' box,
  /// then a deterministic pattern; not a playable video).
  void set_download_bytes(std::string bytes);
  /// The bytes downloads currently serve (the file's content if a file is set; "" if the
  /// file cannot be read).
  [[nodiscard]] std::string download_content() const;
  /// Limits the body rate of downloads (0 = unlimited, the default).
  void set_download_throttle(std::uint64_t bytes_per_second);
  /// The next `times` downloads send only `bytes` of their body, then drop the connection
  /// (Content-Length still announces the full length).
  void cut_download_after(std::uint64_t bytes, int times = 1);
  /// Downloads carry `Content-Disposition: <value>` verbatim, e.g.
  /// `attachment; filename="../../x.mp4"` ("" = no such header, the default).
  void set_download_disposition(std::string value);

  // ---- generic faults ------------------------------------------------------------------
  /// The next `count` requests whose path matches answer `status` with `body`
  /// (Content-Type application/json if it starts with '{' or '[', else text/plain,
  /// unless `headers` sets one) instead of doing their work.
  void fail_next(const std::string& path_regex, int count, int status, std::string body = {},
                 HeaderList headers = {});
  /// The next `count` matching requests wait `ms` before being handled.
  void delay_next(const std::string& path_regex, int count, int ms);
  /// The next `count` matching requests never answer until stop() or 60 s (then 504).
  void hang_next(const std::string& path_regex, int count);
  /// The next `count` matching requests answer `status` (302) with Location: `location`.
  void redirect_next(const std::string& path_regex, std::string location, int count = 1,
                     int status = 302);
  /// The next `count` matching requests answer `status` announcing Content-Length =
  /// body.size() (Content-Type as for fail_next), send only the first `send_bytes` bytes
  /// of `body` (at most all of it), then drop the connection: a close mid-body.
  void truncate_next(const std::string& path_regex, int count, std::string body,
                     std::uint64_t send_bytes, int status = 200);
  /// The next `count` matching requests answer HTTP 200, application/json, with a body of
  /// `bytes` bytes: the start of an envelope `{"code":0,"message":"ok","data":{"pad":"`
  /// followed by 'x' to the length (never closed), streamed in 64 KiB pieces, so the
  /// server holds no copy. With Content-Length, or chunked (no length announced) when
  /// `chunked`.
  void huge_next(const std::string& path_regex, int count, std::uint64_t bytes,
                 bool chunked = false);
  /// The next `count` matching requests answer `status` with `body` sent one byte at a
  /// time, `ms_per_byte` milliseconds apart (the headers and the first byte at once;
  /// Content-Length announced). Content-Type as for fail_next, except
  /// "text/event-stream" when `body` starts with "data:" or ':'. Stops at stop().
  void trickle_next(const std::string& path_regex, int count, std::string body,
                    int ms_per_byte, int status = 200);
  /// The next `count` matching requests are handled as usual (a render is
  /// created, a chat turn is charged and its drafts applied at once), then
  /// their answer is lost: replaced by `status` with `body` (a gateway that
  /// dropped the reply). For "answer lost, work done" retries.
  void lose_answer_next(const std::string& path_regex, int count, int status = 502,
                        std::string body = "bad gateway");
  /// Forgets pending faults.
  void clear_faults();

  // ---- request log ---------------------------------------------------------------------
  [[nodiscard]] std::vector<RecordedRequest> requests() const;
  /// Only those whose path matches (std::regex_search).
  [[nodiscard]] std::vector<RecordedRequest> requests(const std::string& path_regex) const;
  void clear_requests();

  struct Impl;  // fake-nemo-server-impl.hpp; its parts in fake-nemo-server*.cpp

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace mvtest
