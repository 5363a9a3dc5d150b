// http.hpp — the one HTTP layer of the cloud client, on libcurl: timeouts per
// kind of call, cancellation from another thread, TLS verification on,
// redirects only to http(s), proxies from the environment as curl does,
// multipart uploads streamed from disk, downloads streamed to disk with
// HTTP Range resume.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mv/progress.hpp"

namespace mv {

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
  long idle_s = 30;         ///< abort when under 1 byte/s for this long (curl's low-speed limit)
  long total_ms = 60000;    ///< the whole call
};

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
  /// Write a 2xx body to this file instead of memory. With resume_from > 0 the
  /// file is appended to and `Range: bytes=<resume_from>-` is sent; a server
  /// that ignores the range (200) makes the file start over.
  std::optional<std::filesystem::path> download_to;
  std::uint64_t resume_from = 0;
  /// Cap on a body kept in memory (error bodies included), bytes; larger → BadResponse.
  std::uint64_t max_memory_body = 64ull << 20;
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
/// curl handle). Errors (CloudError): Network (connect/DNS/reset), Timeout,
/// Cancelled (token set, or on_data returned false: noticed within 1 s even when
/// no byte flows), BadRedirect (to a scheme other than http/https), BadResponse
/// (body over the memory cap). HTTP error statuses are not thrown: callers read
/// `status`.
class HttpClient {
 public:
  HttpClient();
  HttpResponse perform(const HttpRequest& request, const CancelToken* cancel = nullptr) const;
};

/// "Bearer abc…" and "token=…" removed from a text, for anything that may reach a log or message.
std::string redact_secrets(std::string text);

}  // namespace mv
