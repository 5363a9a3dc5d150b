// http-client.cpp — the HTTP layer on libcurl's easy interface (see http.hpp).
// Cancellation: curl calls the transfer-info callback at least once per
// second even on an idle connection, and a non-zero return aborts the
// transfer (CURLOPT_XFERINFOFUNCTION, libcurl docs), so a cancel is seen
// within about a second mid-upload, mid-download or mid-SSE.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <mutex>
#include <regex>

#include "mv/cloud-errors.hpp"
#include "mv/http.hpp"

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
};

long current_status(CURL* curl) {
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

extern "C" std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    t->response->headers.clear();  // a new response (after a redirect or 100-continue)
  } else if (auto colon = line.find(':'); colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    const auto last = value.find_last_not_of(" \t\r\n");
    value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
    t->response->headers[name] = value;
  }
  return size * count;
}

extern "C" std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  t->response->body_bytes += n;
  const long status = current_status(t->curl);
  const bool success = status >= 200 && status < 300;
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
    }
    if (std::fwrite(data, 1, n, t->file.get()) != n) {
      t->write_error = true;
      return 0;
    }
    return n;
  }
  if (t->response->body.size() + n > t->request->max_memory_body) {
    t->too_large = true;
    return 0;
  }
  t->response->body.append(data, n);
  return n;
}

extern "C" int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
  auto* t = static_cast<Transfer*>(user);
  if (t->cancel != nullptr && t->cancel->requested()) return 1;
  if (t->request->on_tick) t->request->on_tick();
  if (t->request->on_progress) {
    if (!t->request->files.empty()) {
      t->request->on_progress(static_cast<std::uint64_t>(ulnow), static_cast<std::uint64_t>(ultotal));
    } else if (t->request->download_to) {
      const auto base = t->request->resume_from;
      t->request->on_progress(base + static_cast<std::uint64_t>(dlnow),
                              dltotal > 0 ? base + static_cast<std::uint64_t>(dltotal) : 0);
    }
  }
  return 0;
}

/// A context that only carries a detail text.
CloudErrorContext with_detail(const std::string& detail, const std::string& file = {}) {
  CloudErrorContext c;
  c.detail = detail;
  c.file = file;
  return c;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

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

HttpResponse HttpClient::perform(const HttpRequest& req, const CancelToken* cancel) const {
  HttpResponse response;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw CloudError(CloudErrorKind::Network, with_detail("cannot initialise libcurl"));
  CURL* c = curl.get();
  Transfer t;
  t.request = &req;
  t.cancel = cancel;
  t.response = &response;
  t.curl = c;

  const HttpTimeouts limits = req.timeouts.value_or(default_timeouts(req.kind));
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "obs-music-video/" MV_VERSION);
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

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const auto& [name, value] : req.headers) {
    const std::string line = name + ": " + value;
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  }
  headers.reset(curl_slist_append(headers.release(), "Expect:"));  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

  std::unique_ptr<curl_mime, MimeDeleter> mime;
  if (!req.files.empty()) {
    mime.reset(curl_mime_init(c));
    for (const auto& f : req.files) {
      curl_mimepart* part = curl_mime_addpart(mime.get());
      curl_mime_name(part, f.field.c_str());
      if (curl_mime_filedata(part, f.path.c_str()) != CURLE_OK) {
        throw CloudError(CloudErrorKind::UnsupportedFile, with_detail("cannot read the file", f.path.filename().string()));
      }
      curl_mime_type(part, f.content_type.empty() ? "application/octet-stream" : f.content_type.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());
  } else if (req.method == "POST" || req.method == "PUT") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  if (req.method != "GET" && req.method != "POST") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  if (req.download_to && req.resume_from > 0) {
    curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(req.resume_from));
  }

  const CURLcode rc = curl_easy_perform(c);
  t.file.reset();  // flush and close before the caller looks at the file
  response.status = current_status(c);
  char* effective = nullptr;
  curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &effective);
  if (effective != nullptr) response.effective_url = effective;

  if (rc == CURLE_OK) return response;
  const std::string detail = curl_easy_strerror(rc);
  if ((cancel != nullptr && cancel->requested()) || t.sink_stopped) throw CloudError(CloudErrorKind::Cancelled, {});
  if (t.too_large) throw CloudError(CloudErrorKind::BadResponse, with_detail("the answer is larger than expected"));
  if (t.write_error) throw CloudError(CloudErrorKind::DownloadInvalid, with_detail("cannot write the downloaded file"));
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT: throw CloudError(CloudErrorKind::Timeout, with_detail(detail));
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_TOO_MANY_REDIRECTS: throw CloudError(CloudErrorKind::BadRedirect, with_detail(detail));
    case CURLE_READ_ERROR:
      throw CloudError(CloudErrorKind::UnsupportedFile, with_detail("a file could not be read while uploading"));
    default: throw CloudError(CloudErrorKind::Network, with_detail(detail));
  }
}

std::string redact_secrets(std::string text) {
  static const std::regex bearer(R"((Bearer\s+)[^\s"',;]+)", std::regex::icase);
  static const std::regex token_field(R"(("?token"?\s*[:=]\s*"?)[^\s"',;&]+)", std::regex::icase);
  text = std::regex_replace(text, bearer, "$1***");
  return std::regex_replace(text, token_field, "$1***");
}

}  // namespace mv
