// http-client.cpp — the HTTP layer on libcurl's easy interface (see http.hpp).
// Cancellation: curl calls the transfer-info callback at least once per
// second even on an idle connection, and a non-zero return aborts the
// transfer (CURLOPT_XFERINFOFUNCTION, libcurl docs), so a cancel is seen
// within about a second mid-upload, mid-download or mid-SSE.
// Redirect policy: curl follows redirects itself, but the header callback sees
// each Location first (curl acts on it only after the last header of that
// response); returning 0 there aborts the transfer before the target is
// contacted. Targets are resolved and split with curl's URL API (curl_url).
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>

#include "mv/net/http.hpp"

#include "mv/base/version.hpp"

namespace mv {

namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct MimeDeleter {
  void operator()(curl_mime* m) const { curl_mime_free(m); }
};
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

/// The parts of a URL the redirect policy looks at (lower-case scheme and host,
/// port always filled in, e.g. "80" for http).
struct UrlParts {
  bool ok = false;
  std::string url, scheme, host, port;
};

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string url_part(CURLU* u, CURLUPart what, unsigned int flags = 0) {
  char* value = nullptr;
  if (curl_url_get(u, what, &value, flags) != CURLUE_OK || value == nullptr) return {};
  std::string out = value;
  curl_free(value);
  return out;
}

/// Parses `target`, resolved against `base` when it is relative (base may be empty).
UrlParts parse_url(const std::string& target, const std::string& base = {}) {
  UrlParts p;
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u) return p;
  if (!base.empty() && curl_url_set(u.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK) return p;
  if (curl_url_set(u.get(), CURLUPART_URL, target.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) return p;
  p.url = url_part(u.get(), CURLUPART_URL);
  p.scheme = lower_ascii(url_part(u.get(), CURLUPART_SCHEME));
  p.host = lower_ascii(url_part(u.get(), CURLUPART_HOST));
  p.port = url_part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  p.ok = !p.scheme.empty();
  return p;
}

/// Why a redirect from `from` to `to` is refused ("" when it is allowed);
/// `origin` is the URL the caller asked for. See HttpClient in http.hpp.
std::string redirect_refusal(const UrlParts& origin, const UrlParts& from, const UrlParts& to) {
  if (!to.ok) return "a redirect to an address that cannot be read was refused";
  if (to.scheme != "http" && to.scheme != "https") return "a redirect to a " + to.scheme + ": address was refused";
  if (from.scheme == "https" && to.scheme == "http") return "a redirect from https to plain http was refused";
  if (to.scheme == "http" && (to.host != origin.host || to.port != origin.port)) {
    return "a redirect to plain http on another host (" + to.host + ":" + to.port + ") was refused";
  }
  return {};
}

/// State shared with curl's callbacks during one transfer.
struct Transfer {
  const HttpRequest* request = nullptr;
  const CancelToken* cancel = nullptr;
  HttpResponse* response = nullptr;
  CURL* curl = nullptr;
  std::unique_ptr<std::FILE, FileCloser> file;
  bool restarted_download = false;
  bool sink_stopped = false;
  bool too_large = false;
  bool write_error = false;
  bool download_too_large = false;
  bool bad_redirect = false;
  std::string refusal;        ///< why the transfer was stopped (download cap, redirect)
  UrlParts origin;            ///< the URL asked for
  UrlParts current;           ///< the URL answering now (changes with each redirect)
  std::optional<UrlParts> next;  ///< where the current 3xx answer sends us
  long hop_status = 0;        ///< status of the response whose headers/body are arriving
  std::uint64_t written = 0;  ///< bytes in download_to (resumed part included)
  long idle_s = 0;            ///< abort after this long without a byte either way (0: never)
  curl_off_t last_down = -1, last_up = -1;
  std::chrono::steady_clock::time_point last_move;
  bool idle_timeout = false;
};

bool is_success(long status) { return status >= 200 && status < 300; }
bool is_redirect(long status) { return status >= 300 && status < 400 && status != 304; }

std::string megabytes(std::uint64_t bytes) {
  char out[32];
  std::snprintf(out, sizeof out, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return out;
}

long current_status(CURL* curl) {
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

extern "C" std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  const std::string line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    t->response->headers.clear();  // a new response (after a redirect or 100-continue)
    const auto space = line.find(' ');
    t->hop_status = space == std::string::npos ? 0 : std::strtol(line.c_str() + space + 1, nullptr, 10);
    t->next.reset();
    return n;
  }
  if (line == "\r\n" || line == "\n") {  // end of this response's headers
    if (is_redirect(t->hop_status) && t->next) t->current = *t->next;
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string::npos) return n;
  const std::string name = lower_ascii(line.substr(0, colon));
  std::string value = line.substr(colon + 1);
  const auto first = value.find_first_not_of(" \t");
  const auto last = value.find_last_not_of(" \t\r\n");
  value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  t->response->headers[name] = value;

  const HttpRequest& req = *t->request;
  if (name == "location" && is_redirect(t->hop_status) && !value.empty()) {
    UrlParts to = parse_url(value, t->current.url);
    const std::string why = redirect_refusal(t->origin, t->current, to);
    if (!why.empty()) {
      t->bad_redirect = true;
      t->refusal = why;
      return 0;  // abort before curl follows
    }
    t->next = std::move(to);
  }
  const bool to_file = is_success(t->hop_status) && req.download_to && !req.on_data;
  if (name == "content-length" && !is_redirect(t->hop_status)) {
    const std::uint64_t length = std::strtoull(value.c_str(), nullptr, 10);
    if (to_file) {
      const std::uint64_t base = t->hop_status == 206 ? req.resume_from : 0;
      if (req.max_download_bytes > 0 && base + length > req.max_download_bytes) {
        t->download_too_large = true;
        t->refusal = "the server announced " + megabytes(base + length) + ", over the limit of " +
                     megabytes(req.max_download_bytes);
        return 0;
      }
    } else if (!(is_success(t->hop_status) && req.on_data) && length > req.max_memory_body) {
      t->too_large = true;
      t->refusal = "the server announced " + megabytes(length) + ", more than expected";
      return 0;
    }
  }
  if (name == "content-range" && to_file && req.max_download_bytes > 0) {
    const auto slash = value.rfind('/');
    const std::uint64_t total = slash == std::string::npos ? 0 : std::strtoull(value.c_str() + slash + 1, nullptr, 10);
    if (total > req.max_download_bytes) {
      t->download_too_large = true;
      t->refusal = "the file is " + megabytes(total) + ", over the limit of " + megabytes(req.max_download_bytes);
      return 0;
    }
  }
  return n;
}

extern "C" std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  t->response->body_bytes += n;
  const long status = t->hop_status != 0 ? t->hop_status : current_status(t->curl);
  const bool success = is_success(status);
  if (success && t->request->on_data) {
    if (!t->request->on_data(std::string_view(data, n))) {
      t->sink_stopped = true;
      return 0;
    }
    return n;
  }
  if (success && t->request->download_to) {
    if (!t->file) {
      // Append when the server honoured the range (206); start over otherwise.
      const bool append = t->request->resume_from > 0 && status == 206;
      t->restarted_download = t->request->resume_from > 0 && !append;
      t->file.reset(std::fopen(t->request->download_to->c_str(), append ? "ab" : "wb"));
      if (!t->file) {
        t->write_error = true;
        return 0;
      }
      t->written = append ? t->request->resume_from : 0;
    }
    const std::uint64_t cap = t->request->max_download_bytes;
    if (cap > 0 && t->written + n > cap) {
      t->download_too_large = true;
      t->refusal = "the download grew over the limit of " + megabytes(cap);
      return 0;
    }
    t->written += n;
    if (std::fwrite(data, 1, n, t->file.get()) != n) {
      t->write_error = true;
      return 0;
    }
    return n;
  }
  if (t->response->body.size() + n > t->request->max_memory_body) {
    t->too_large = true;
    t->refusal = "the answer is larger than " + megabytes(t->request->max_memory_body);
    return 0;
  }
  t->response->body.append(data, n);
  return n;
}

extern "C" int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
  auto* t = static_cast<Transfer*>(user);
  if (t->cancel != nullptr && t->cancel->requested()) return 1;
  const auto now = std::chrono::steady_clock::now();
  if (dlnow != t->last_down || ulnow != t->last_up) {
    t->last_down = dlnow;
    t->last_up = ulnow;
    t->last_move = now;
  } else if (t->idle_s > 0 && now - t->last_move >= std::chrono::seconds(t->idle_s)) {
    t->idle_timeout = true;
    return 1;
  }
  if (t->request->on_tick) t->request->on_tick();
  if (t->request->on_progress) {
    if (!t->request->files.empty()) {
      t->request->on_progress(static_cast<std::uint64_t>(ulnow), static_cast<std::uint64_t>(ultotal));
    } else if (t->request->download_to) {
      const auto base = t->restarted_download ? 0 : t->request->resume_from;
      t->request->on_progress(base + static_cast<std::uint64_t>(dlnow),
                              dltotal > 0 ? base + static_cast<std::uint64_t>(dltotal) : 0);
    }
  }
  return 0;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

const char* http_error_kind_name(HttpErrorKind kind) {
  switch (kind) {
    case HttpErrorKind::Network: return "network";
    case HttpErrorKind::Timeout: return "timeout";
    case HttpErrorKind::Cancelled: return "cancelled";
    case HttpErrorKind::BadRedirect: return "bad_redirect";
    case HttpErrorKind::BodyTooLarge: return "body_too_large";
    case HttpErrorKind::DownloadTooLarge: return "download_too_large";
    case HttpErrorKind::WriteFailed: return "write_failed";
    case HttpErrorKind::ReadFailed: return "read_failed";
  }
  return "network";
}

HttpTimeouts default_timeouts(HttpCallKind kind) {
  switch (kind) {
    case HttpCallKind::Quick: return {10000, 30, 60000};
    case HttpCallKind::Stream: return {10000, 0, 15 * 60 * 1000};
    case HttpCallKind::Upload:
    case HttpCallKind::Download: return {10000, 60, 0};
  }
  return {};
}

HttpClient::HttpClient() { global_init(); }

namespace {

/// Options every call shares: URL, protocols and redirects, time limits, callbacks.
void set_transfer_options(CURL* c, const HttpRequest& req, const HttpTimeouts& limits, Transfer& t) {
  static const std::string user_agent = std::string(kProjectName) + "/" + kVersion;
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, limits.connect_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, limits.total_ms);
  if (limits.idle_s > 0) {
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, limits.idle_s);
  }
  if (req.kind == HttpCallKind::Download || req.kind == HttpCallKind::Upload) {
    curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 256L * 1024L);  // fewer callbacks per MB on bulk transfers
    curl_easy_setopt(c, CURLOPT_UPLOAD_BUFFERSIZE, 256L * 1024L);
  }
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
}

/// The request's headers as a curl list (no 100-continue round trip).
std::unique_ptr<curl_slist, SlistDeleter> header_list(const HttpRequest& req) {
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const auto& [name, value] : req.headers) {
    std::string line = name;
    line += ": ";
    line += value;
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  }
  headers.reset(curl_slist_append(headers.release(), "Expect:"));
  return headers;
}

/// The body: multipart file parts streamed from disk, or the request's bytes.
/// Errors: HttpError{ReadFailed} for a file part curl cannot open.
std::unique_ptr<curl_mime, MimeDeleter> set_body(CURL* c, const HttpRequest& req) {
  std::unique_ptr<curl_mime, MimeDeleter> mime;
  if (!req.files.empty()) {
    mime.reset(curl_mime_init(c));
    for (const auto& f : req.files) {
      curl_mimepart* part = curl_mime_addpart(mime.get());
      curl_mime_name(part, f.field.c_str());
      if (curl_mime_filedata(part, f.path.c_str()) != CURLE_OK) {
        throw HttpError(HttpErrorKind::ReadFailed, "cannot read the file", 0, f.path);
      }
      curl_mime_type(part, f.content_type.empty() ? "application/octet-stream" : f.content_type.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());
  } else if (req.method == "POST" || req.method == "PUT") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  if (req.method != "GET" && req.method != "POST") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  return mime;
}

/// The error of a failed transfer: what our callbacks stopped it for first,
/// then curl's own code. Always throws.
[[noreturn]] void throw_transfer_error(CURLcode rc, const HttpRequest& req, const Transfer& t, const HttpTimeouts& limits,
                                       const CancelToken* cancel, long status) {
  const std::string detail = curl_easy_strerror(rc);
  if ((cancel != nullptr && cancel->requested()) || t.sink_stopped) throw HttpError(HttpErrorKind::Cancelled, "cancelled");
  if (t.idle_timeout) throw HttpError(HttpErrorKind::Timeout, "no data for " + std::to_string(limits.idle_s) + " s");
  if (t.bad_redirect) throw HttpError(HttpErrorKind::BadRedirect, t.refusal, status);
  if (t.too_large) throw HttpError(HttpErrorKind::BodyTooLarge, t.refusal, status);
  if (t.download_too_large) {
    std::error_code ec;
    std::filesystem::remove(*req.download_to, ec);  // a partial file over the cap is of no use
    throw HttpError(HttpErrorKind::DownloadTooLarge, t.refusal, status);
  }
  if (t.write_error) throw HttpError(HttpErrorKind::WriteFailed, "cannot write the downloaded file", status, *req.download_to);
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT: throw HttpError(HttpErrorKind::Timeout, detail);
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_TOO_MANY_REDIRECTS: throw HttpError(HttpErrorKind::BadRedirect, detail);
    case CURLE_PARTIAL_FILE:
      throw HttpError(HttpErrorKind::Network, "the connection closed before the whole answer arrived");
    case CURLE_READ_ERROR: throw HttpError(HttpErrorKind::ReadFailed, "a file could not be read while uploading");
    default: throw HttpError(HttpErrorKind::Network, detail);
  }
}

}  // namespace

HttpResponse HttpClient::perform(const HttpRequest& req, const CancelToken* cancel) const {
  HttpResponse response;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw HttpError(HttpErrorKind::Network, "cannot initialise libcurl");
  CURL* c = curl.get();
  Transfer t;
  t.request = &req;
  t.cancel = cancel;
  t.response = &response;
  t.curl = c;
  t.origin = parse_url(req.url);
  t.current = t.origin;
  const HttpTimeouts limits = req.timeouts.value_or(default_timeouts(req.kind));
  t.idle_s = limits.idle_s;
  t.last_move = std::chrono::steady_clock::now();
  set_transfer_options(c, req, limits, t);
  const auto headers = header_list(req);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  const auto mime = set_body(c, req);
  // A plain Range header, not CURLOPT_RESUME_FROM: with the latter curl fails
  // (CURLE_RANGE_ERROR) when the server answers 200 with the whole file, which
  // on_body handles by starting the file over.
  const std::string range = std::to_string(req.resume_from) + "-";
  if (req.download_to && req.resume_from > 0) curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());

  const CURLcode rc = curl_easy_perform(c);
  t.file.reset();  // flush and close before the caller looks at the file
  response.status = current_status(c);
  char* effective = nullptr;
  curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective);
  if (effective != nullptr) response.effective_url = effective;
  if (rc != CURLE_OK) throw_transfer_error(rc, req, t, limits, cancel, response.status);
  return response;
}

std::string http_redirect_refusal(const std::string& origin_url, const std::string& from_url,
                                  const std::string& location) {
  global_init();
  return redirect_refusal(parse_url(origin_url), parse_url(from_url), parse_url(location, from_url));
}

std::string redact_secrets(std::string text) {
  // A linear scan, not std::regex: libstdc++'s regex recurses once per
  // character and overflowed the stack on a 60 KB server message (found by
  // fuzz/fuzz-api-answer). Replaces the value after "Bearer<spaces>" and after
  // `token` + optional quote + spaces + ':' or '=' + spaces + optional quote.
  const std::size_t n = text.size();
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  const auto ends_bearer = [&](char c) { return space(c) || c == '"' || c == '\'' || c == ',' || c == ';'; };
  const auto ends_token = [&](char c) { return ends_bearer(c) || c == '&'; };
  const auto word_at = [&](std::size_t pos, std::string_view word) {
    if (pos + word.size() > n) return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(text[pos + k])) != word[k]) return false;
    }
    return true;
  };
  std::string out;
  out.reserve(n);
  std::size_t i = 0;
  while (i < n) {
    std::size_t value = std::string::npos;  // where a secret starts
    bool token_rule = false;
    if (word_at(i, "bearer")) {
      std::size_t j = i + 6;
      while (j < n && space(text[j])) ++j;
      if (j > i + 6 && j < n && !ends_bearer(text[j])) value = j;
    } else if (word_at(i, "token")) {
      std::size_t j = i + 5;
      if (j < n && text[j] == '"') ++j;
      while (j < n && space(text[j])) ++j;
      if (j < n && (text[j] == ':' || text[j] == '=')) {
        ++j;
        while (j < n && space(text[j])) ++j;
        if (j < n && text[j] == '"') ++j;
        if (j < n && !ends_token(text[j])) value = j, token_rule = true;
      }
    }
    if (value == std::string::npos) {
      out += text[i++];
      continue;
    }
    out.append(text, i, value - i);
    out += "***";
    i = value;
    while (i < n && !(token_rule ? ends_token(text[i]) : ends_bearer(text[i]))) ++i;
  }
  return out;
}

}  // namespace mv
