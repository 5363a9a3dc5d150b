// http.hpp — the one HTTP layer of the cloud client, on libcurl: timeouts per
// kind of call, cancellation from another thread, TLS verification on,
// redirects only to http(s) and never to a weaker place (see HttpClient),
// proxies from the environment as curl does, multipart uploads streamed from
// disk, downloads streamed to disk with HTTP Range resume and a size cap.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mv/base/progress.hpp"

namespace mv {

/// What went wrong in a transfer (the HTTP layer's own errors; HTTP error
/// statuses are answers, not errors: callers read HttpResponse::status).
enum class HttpErrorKind {
  Network,           ///< could not connect, DNS, connection reset, body cut short, curl failures
  Timeout,           ///< a limit of HttpTimeouts was reached
  Cancelled,         ///< the cancel token was set, or on_data returned false
  BadRedirect,       ///< a refused redirect (see HttpClient) or more than 5
  BodyTooLarge,      ///< a body kept in memory over HttpRequest::max_memory_body
  DownloadTooLarge,  ///< download_to over HttpRequest::max_download_bytes (the file is removed)
  WriteFailed,       ///< download_to could not be written (disk full, permissions)
  ReadFailed,        ///< a local file to upload could not be opened or read
};

/// Stable lower-case name of a kind: "network", "timeout", "cancelled",
/// "bad_redirect", "body_too_large", "download_too_large", "write_failed", "read_failed".
const char* http_error_kind_name(HttpErrorKind kind);

/// An error of the HTTP layer: the kind, a plain detail ("no data for 30 s",
/// curl's text, the refusal of a redirect; never a token), the HTTP status of
/// the last answer (0 if none) and, for ReadFailed, the file concerned.
class HttpError : public std::runtime_error {
 public:
  HttpError(HttpErrorKind kind, const std::string& detail, long status = 0, std::filesystem::path file = {})
      : std::runtime_error(detail), kind_(kind), status_(status), file_(std::move(file)) {}
  [[nodiscard]] HttpErrorKind kind() const noexcept { return kind_; }
  [[nodiscard]] long status() const noexcept { return status_; }
  [[nodiscard]] const std::filesystem::path& file() const noexcept { return file_; }

 private:
  HttpErrorKind kind_;
  long status_;
  std::filesystem::path file_;
};

/// Kinds of calls, each with its own time limits (see default_timeouts).
enum class HttpCallKind {
  Quick,     ///< JSON requests: connect 10 s, 30 s without a byte, 60 s in all
  Stream,    ///< SSE chat turns: connect 10 s, no idle limit (heartbeats may be minutes apart), 15 min in all
  Upload,    ///< connect 10 s, 60 s without progress, no overall limit
  Download,  ///< connect 10 s, 60 s without progress, no overall limit
};

/// Time limits of one call. 0 disables a limit.
struct HttpTimeouts {
  long connect_ms = 10000;  ///< to establish the connection
  long idle_s = 30;         ///< abort when not a byte moved either way for this long, s (checked
                            ///< about once a second), and when curl's low-speed check (1 byte/s
                            ///< averaged over its last ~5 s) stays under for this long
  long total_ms = 60000;    ///< the whole call
};

/// Default cap on one download written to disk (HttpRequest::max_download_bytes), bytes: 8 GiB.
inline constexpr std::uint64_t kDefaultMaxDownloadBytes = 8ull << 30;

/// The limits for a kind of call.
HttpTimeouts default_timeouts(HttpCallKind kind);

/// A file part of a multipart/form-data body, read from disk while sending.
struct HttpFilePart {
  std::string field = "files";
  std::filesystem::path path;
  std::string content_type;  ///< empty: application/octet-stream
};

/// One request.
struct HttpRequest {
  std::string method = "GET";   ///< GET, POST, PUT, DELETE
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;             ///< request body (e.g. JSON) when no files are given
  std::vector<HttpFilePart> files;  ///< multipart parts; when set, `body` is ignored
  HttpCallKind kind = HttpCallKind::Quick;
  std::optional<HttpTimeouts> timeouts;  ///< overrides default_timeouts(kind)
  /// Streaming sink for 2xx response bodies (SSE): called with each chunk as
  /// it arrives; return false to stop the transfer (reported as Cancelled).
  std::function<bool(std::string_view)> on_data;
  /// Progress of the upload (files) or download, bytes done and total (0 if unknown).
  std::function<void(std::uint64_t done, std::uint64_t total)> on_progress;
  /// Called at least once per second while the call runs (from curl's
  /// progress callback): lets callers notice silence, e.g. on an SSE stream.
  std::function<void()> on_tick;
  /// Write a 2xx body to this file instead of memory. With resume_from > 0
  /// `Range: bytes=<resume_from>-` is sent and the file is appended to when the
  /// server answers 206; a server that ignores the range (200) makes the file
  /// start over.
  std::optional<std::filesystem::path> download_to;
  std::uint64_t resume_from = 0;
  /// Cap on a body kept in memory (error bodies included), bytes; larger → BadResponse
  /// (refused from Content-Length before any body byte when the server announces it).
  /// Bodies passed to on_data are not capped here (the sink decides).
  std::uint64_t max_memory_body = 64ull << 20;
  /// Cap on the file written to download_to, bytes, counting the resumed part
  /// (resume_from when the server answers 206); 0 = no cap. Checked up front
  /// from Content-Length / Content-Range and again while streaming; over it →
  /// DownloadInvalid and download_to is removed.
  std::uint64_t max_download_bytes = kDefaultMaxDownloadBytes;
};

/// One response (the last one, after redirects).
struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  ///< names lower-case
  std::string body;             ///< empty when streamed to on_data or download_to (unless status >= 300)
  std::string effective_url;    ///< after redirects
  std::uint64_t body_bytes = 0; ///< body bytes received in this call
};

/// Performs requests. Safe to use from several threads (each call has its own
/// curl handle).
///
/// Redirects (301/302/303/307/308, at most 5) are followed by curl, but each
/// Location is checked before curl acts on it, so a refused target is never
/// connected to. Refused: a scheme other than http/https (file:, ftp:, …); a
/// step from https to plain http (downgrade); plain http to a host or port
/// other than the original request's (e.g. a loopback http server sending the
/// client to http://10.1.2.3/). Allowed: http(s) on the request's own host and
/// port, and https anywhere (curl then drops the Authorization header on a
/// change of host, as it always does). Relative Locations are resolved
/// against the URL that answered.
///
/// Errors (HttpError): Network (connect/DNS/reset, body cut short), Timeout
/// (a limit of HttpTimeouts), Cancelled (token set, or on_data returned false:
/// noticed within 1 s even when no byte flows), BadRedirect (a refused redirect
/// as above, or more than 5; the detail says which), BodyTooLarge (a body over
/// max_memory_body), DownloadTooLarge (download_to over max_download_bytes),
/// WriteFailed (download_to not writable), ReadFailed (a file part cannot be
/// read). HTTP error statuses are not thrown: callers read `status`.
class HttpClient {
 public:
  HttpClient();
  HttpResponse perform(const HttpRequest& request, const CancelToken* cancel = nullptr) const;
};

/// The redirect policy of HttpClient as a pure function: why a redirect whose
/// Location is `location` (absolute or relative), answered by `from_url`, in a
/// call that asked for `origin_url`, is refused; "" when it is allowed.
/// E.g. ("http://127.0.0.1:8080/a", same, "http://10.1.2.3/") → "a redirect to
/// plain http on another host (10.1.2.3:80) was refused";
/// ("https://api.example/a", same, "http://api.example/b") → "a redirect from
/// https to plain http was refused"; ("http://h/a", same, "/b") → "".
std::string http_redirect_refusal(const std::string& origin_url, const std::string& from_url,
                                  const std::string& location);

/// "Bearer abc…" and "token=…" removed from a text, for anything that may reach a log or message.
std::string redact_secrets(std::string text);

}  // namespace mv
