// client-transfer.cpp — files to and from the cloud (see client-impl.hpp):
// uploads, and downloads of finished renders streamed into a part file that
// resumes with HTTP Range, from the render's URL else the authenticated
// fallback, with bounded retries on each.
#include <sys/stat.h>

#include <algorithm>
#include <thread>

#include "client-impl.hpp"

namespace mv {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace cloud_detail;

CloudClient::Impl::Fetched CloudClient::Impl::fetch_to_part(const CloudRender& render, const fs::path& part, const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  std::string url = render.output_url;
  if (!url.empty() && url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    url = url.front() == '/' ? settings.base_url + url : std::string();  // anything but http(s) is refused
  }
  const std::string fallback = settings.base_url + "/api/render/proxy/" + path_segment(render.id) + "/download";
  std::vector<std::pair<std::string, bool>> sources;  // URL, authenticated: the output URL, then the fallback
  if (!url.empty()) sources.emplace_back(url, false);
  sources.emplace_back(fallback, true);
  Fetched out;
  std::exception_ptr transient;  // the last URL's transient failure: what went wrong, and the part is kept
  for (const auto& [source, authenticated] : sources) {
    const Outcome o = fetch_from(source, authenticated, part, progress, out);
    if (o.done) return out;
    if (o.transient) {
      transient = o.error;
    } else if (&source == &sources.back().first) {
      // The last URL refused the file: report an earlier URL's transient failure if there was one
      // (the download can be resumed later), else the refusal.
      std::rethrow_exception(transient ? transient : o.error);
    }
  }
  std::rethrow_exception(transient);
}

CloudClient::Impl::Outcome CloudClient::Impl::fetch_from(const std::string& url, bool authenticated, const fs::path& part, const std::function<void(std::uint64_t, std::uint64_t)>& progress, Fetched& out) {
  const std::uint64_t cap = settings.max_download_bytes;
  const int tries = settings.max_retries + 3;
  auto backoff = settings.retry_backoff;
  std::error_code ec;
  for (int attempt = 1;; ++attempt) {
    const auto again = [&]() {  // a transient failure: wait and resume, or give up on this URL
      if (attempt >= tries) return false;
      sleep_for(backoff);
      backoff = std::min(backoff * 2, settings.retry_backoff * 8);
      return true;
    };
    const std::uint64_t have = fs::exists(part, ec) ? fs::file_size(part, ec) : 0;
    if (cap > 0 && have > cap) throw CloudError(CloudErrorKind::DownloadInvalid, context("the partial download is over the size limit"));
    HttpRequest req;
    req.url = url;
    req.kind = HttpCallKind::Download;
    req.timeouts = timeouts_for(HttpCallKind::Download);
    req.download_to = part;
    req.resume_from = have;
    req.max_download_bytes = cap;
    req.on_progress = progress;
    if (authenticated) req.headers = base_headers(true);
    try {
      const HttpResponse r = perform(req);
      if (r.status == 416 && have > 0) return {true, false, nullptr};  // already complete
      if (r.status < 200 || r.status >= 300) {
        const bool transient = r.status >= 500 || r.status == 408 || r.status == 429;
        if (transient && again()) continue;
        try {
          (void)envelope_data(r, nullptr);  // the vendor's own error, when the body is its envelope
          throw CloudError(r.status >= 500 ? CloudErrorKind::ServerError : CloudErrorKind::BadResponse,
                           context("HTTP " + std::to_string(r.status)), r.status);
        } catch (const CloudError&) {
          return {false, transient, std::current_exception()};
        }
      }
      read_download_headers(r, req.url, out);
      if (out.expected > 0 && fs::file_size(part, ec) < out.expected) {  // cut short: resume
        if (again()) continue;
        return {false, true, std::make_exception_ptr(CloudError(CloudErrorKind::Network, context("the download kept stopping")))};
      }
      return {true, false, nullptr};
    } catch (const CloudError& e) {
      const bool transient = e.kind() == CloudErrorKind::Network || e.kind() == CloudErrorKind::Timeout;
      if (!transient) throw;
      if (again()) continue;
      return {false, true, std::current_exception()};
    }
  }
}

void CloudClient::Impl::read_download_headers(const HttpResponse& r, const std::string& url, Fetched& out) {
  if (auto it = r.headers.find("content-disposition"); it != r.headers.end()) out.server_name = disposition_filename(it->second);
  if (out.server_name.empty()) out.server_name = url_last_segment(r.effective_url.empty() ? url : r.effective_url);
  if (auto it = r.headers.find("content-range"); it != r.headers.end()) {
    const auto slash = it->second.rfind('/');
    if (slash != std::string::npos) out.expected = std::strtoull(it->second.c_str() + slash + 1, nullptr, 10);
  } else if (auto len = r.headers.find("content-length"); len != r.headers.end()) {
    out.expected = std::strtoull(len->second.c_str(), nullptr, 10);
  }
}

fs::path CloudClient::Impl::name_in_folder(const fs::path& folder, const std::string& server_name, const std::string& render_id, const fs::path& part) {
  std::error_code ec;
  std::string name = safe_file_name(server_name, "");
  if (name.empty()) name = safe_file_name(render_id, "render");
  name = with_mp4(name);
  fs::path target = folder / name;
  const std::string stem = name.substr(0, name.size() - 4);
  for (int n = 2; fs::exists(target, ec) || fs::is_symlink(target, ec); ++n) {
    if (n > 9999) {
      fs::remove(part, ec);
      throw Error(ErrorCode::Output, "no free file name for the download in " + folder.string());
    }
    target = folder / (stem + "-" + std::to_string(n) + ".mp4");
  }
  // safe_file_name() keeps no separator and no leading dot: the file is a direct child of the folder.
  if (name.find_first_of("/\\") != std::string::npos || name.front() == '.' || fs::path(name).filename() != name) {
    fs::remove(part, ec);
    throw CloudError(CloudErrorKind::BadResponse, context("the server's file name leaves the output folder"));
  }
  return target;
}

std::vector<CloudUpload> CloudClient::upload(CloudSession& session, const std::vector<fs::path>& files,
                                             const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  auto& m = *impl_;
  for (const auto& f : files) {
    std::error_code ec;
    if (!fs::is_regular_file(f, ec)) throw Error(ErrorCode::InputMissing, "No such file: " + f.string());
    std::string ext = lower(f.extension().string());
    if (!ext.empty()) ext.erase(0, 1);
    CloudErrorContext ctx = m.context();
    ctx.file = f.filename().string();
    if (!vendor_accepts_extension(ext)) throw CloudError(CloudErrorKind::UnsupportedFile, ctx);
    const double mb = static_cast<double>(fs::file_size(f, ec)) / (1024.0 * 1024.0);
    if (mb > m.settings.max_upload_mb) {
      ctx.file_mb = mb;
      ctx.limit_mb = m.settings.max_upload_mb;
      throw CloudError(CloudErrorKind::FileTooLarge, ctx);
    }
  }
  Impl::Call c;
  c.method = "POST";
  c.kind = HttpCallKind::Upload;
  c.session = &session;  // safe to repeat: the same files into the same session
  c.path = [&session] { return "/api/upload-video/nemo_agent/me/" + path_segment(session.session_id); };
  const json data = m.call(c, [&](HttpRequest& req) {
    for (const auto& f : files) req.files.push_back({"files", f, {}});
    req.on_progress = progress;
  });
  std::vector<CloudUpload> out;
  if (data.contains("files") && data["files"].is_array()) {
    for (const auto& f : data["files"]) {
      out.push_back({str(f, "filename"), str(f, "file_type"), str(f, "cdn_url"), num(f, "duration"),
                     static_cast<int>(num(f, "width")), static_cast<int>(num(f, "height"))});
    }
  }
  return out;
}

std::vector<CloudUpload> CloudClient::upload_urls(CloudSession& session, const std::vector<std::string>& urls) {
  Impl::Call c;
  c.method = "POST";
  c.session = &session;  // safe to repeat, as file uploads
  c.path = [&session] { return "/api/upload-video/nemo_agent/me/" + path_segment(session.session_id); };
  c.body = {{"urls", urls}, {"source_type", "url"}};
  const json data = impl_->call(c);
  std::vector<CloudUpload> out;
  if (data.contains("files") && data["files"].is_array()) {
    for (const auto& f : data["files"]) out.push_back({str(f, "filename"), str(f, "file_type"), str(f, "cdn_url"), num(f, "duration"), 0, 0});
  }
  return out;
}

fs::path CloudClient::download(const CloudRender& render, const fs::path& output,
                               const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  auto& m = *impl_;
  std::error_code ec;
  const bool into_folder = fs::is_directory(output, ec);
  fs::path part = output;
  if (into_folder) {
    part = output / ("." + safe_file_name(render.id, "render") + ".part");
  } else {
    part += ".part";
  }
  Impl::Fetched fetched;
  try {
    fetched = m.fetch_to_part(render, part, progress);
    const std::uint64_t size = fs::file_size(part, ec);
    if (ec || size == 0 || (fetched.expected > 0 && size != fetched.expected)) {
      throw CloudError(CloudErrorKind::DownloadInvalid, m.context("the file has the wrong size"));
    }
    if (m.settings.verify_download) {
      try {
        m.settings.verify_download(part);
      } catch (const std::exception& e) {
        throw CloudError(CloudErrorKind::DownloadInvalid, m.context(e.what()));
      }
    }
  } catch (const CloudError& e) {
    const bool resumable = e.kind() == CloudErrorKind::Network || e.kind() == CloudErrorKind::Timeout ||
                           e.kind() == CloudErrorKind::Cancelled;
    if (!resumable) fs::remove(part, ec);
    throw;
  }
  fs::path target = into_folder ? m.name_in_folder(output, fetched.server_name, render.id, part) : output;
  fs::rename(part, target, ec);
  if (ec) throw Error(ErrorCode::Output, "cannot move the download to " + target.string() + ": " + ec.message());
  return target;
}

}  // namespace mv
