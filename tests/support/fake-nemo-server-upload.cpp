// fake-nemo-server-upload.cpp — the fake NemoVideo server's upload route: multipart files
// streamed through a byte counter or a JSON list of URLs, the extension and size checks
// (codes 4001, 4002), the file records it answers, and the upload setters.
#include "fake-nemo-server-impl.hpp"

#include <algorithm>

namespace mvtest {

namespace {

constexpr std::size_t kJsonUploadMax = 16 * 1024 * 1024;

std::string extension_of(const std::string& filename) {
  const auto slash = filename.find_last_of('/');
  const std::string base = slash == std::string::npos ? filename : filename.substr(slash + 1);
  const auto dot = base.find_last_of('.');
  if (dot == std::string::npos || dot + 1 == base.size()) return {};
  return lower(base.substr(dot + 1));
}

std::string file_type_of(const std::string& ext) {
  static const std::vector<std::string> video{"mp4", "mov", "avi", "webm", "mkv"};
  static const std::vector<std::string> image{"jpg", "jpeg", "png", "gif", "webp"};
  if (std::find(video.begin(), video.end(), ext) != video.end()) return "video";
  if (std::find(image.begin(), image.end(), ext) != image.end()) return "image";
  return "audio";
}

std::uint64_t fnv1a(const std::string& s, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

// ------------------------------------------------------------------------------------------
// Impl: POST /api/upload-video/nemo_agent/<user>/<session>

void FakeNemoServer::Impl::on_upload(Call& c) {
  const bool shape = general_shape();
  const auto user = authorize(c, shape);
  if (!user) return;
  const std::string path_user = c.req.matches[1].str();
  const std::string sid = c.req.matches[2].str();
  {
    std::lock_guard<std::mutex> lk(mu);
    if (!user_matches(path_user, *user) || !session_ok_locked(sid, *user)) {
      send_json(c.res, 200, error_body(1002, "session not found", shape));
      return;
    }
  }
  std::vector<UploadedFile> parts;
  if (c.req.is_multipart_form_data()) {
    c.body_consumed = true;
    std::uint64_t total = 0;
    const bool ok = (*c.reader)(
        [&](const httplib::MultipartFormData& f) {
          UploadedFile u;
          u.session_id = sid;
          u.field = f.name;
          u.filename = f.filename;
          u.content_type = f.content_type;
          parts.push_back(std::move(u));
          return true;
        },
        [&](const char*, std::size_t n) {
          if (!parts.empty()) parts.back().size += n;
          total += n;
          return true;
        });
    update_log(c, std::string(), total, false);
    if (!ok) {
      send_error(c, 400, 400, "malformed multipart body", shape);
      return;
    }
    // Non-file fields (no filename) are form values, not uploads.
    parts.erase(std::remove_if(parts.begin(), parts.end(),
                               [](const UploadedFile& u) { return u.filename.empty(); }),
                parts.end());
  } else {
    c.body_consumed = true;
    std::string body;
    std::uint64_t total = 0;
    (*c.reader)([&](const char* d, std::size_t n) {
      if (body.size() < kJsonUploadMax) body.append(d, std::min(n, kJsonUploadMax - body.size()));
      total += n;
      return true;
    });
    update_log(c, body, total, true);
    const auto j = parse_body(c, body, shape);
    if (!j) return;
    if (!j->contains("urls") || !(*j)["urls"].is_array()) {
      send_error(c, 400, 400, "expected multipart files or {\"urls\":[...]}", shape);
      return;
    }
    for (const auto& u : (*j)["urls"]) {
      if (!u.is_string()) continue;
      UploadedFile f;
      f.session_id = sid;
      f.field = "urls";
      f.filename = u.get<std::string>();
      f.from_url = true;
      parts.push_back(std::move(f));
    }
  }

  int code = 0;
  std::string message;
  json files = json::array();
  {
    std::lock_guard<std::mutex> lk(mu);
    bool any = false;
    for (const auto& p : parts) {
      if (p.field != "files" && !p.from_url) continue;
      any = true;
      const std::string ext = extension_of(p.from_url ? p.filename.substr(0, p.filename.find('?')) : p.filename);
      const bool ext_ok = (p.from_url && ext.empty()) ||
                          std::find(accepted_ext.begin(), accepted_ext.end(), ext) != accepted_ext.end();
      if (!ext_ok && code == 0) {
        code = 4001;
        message = "unsupported file type: " + (ext.empty() ? std::string("(none)") : ext);
      }
    }
    if (code == 0) {
      for (const auto& p : parts) {
        if ((p.field == "files" || p.from_url) && p.size > upload_limit) {
          code = 4002;
          message = "file too large: " + p.filename;
          break;
        }
      }
    }
    if (code == 0 && !any) {
      code = 4001;
      message = "no files in request (multipart field \"files\" or {\"urls\":[...]})";
    }
    for (auto& p : parts) {
      p.accepted = code == 0 && (p.field == "files" || p.from_url);
      if (p.accepted) {
        const std::string ext = extension_of(p.filename.substr(0, p.filename.find('?')));
        const std::string type = ext.empty() ? "video" : file_type_of(ext);
        const std::string base = p.from_url ? p.filename.substr(p.filename.find_last_of('/') + 1)
                                            : p.filename;
        const std::string hash = hex64(fnv1a(std::to_string(p.size), fnv1a(p.filename)));
        json f{{"filename", base},
               {"file_type", type},
               {"cdn_url", base_url() + "/files/" + hash.substr(0, 8) + "-" + url_escape_segment(base)},
               {"duration", type == "image" ? 0.0 : 10.0},
               {"width", type == "audio" ? 0 : 1920},
               {"height", type == "audio" ? 0 : 1080},
               {"fps", type == "video" ? 30 : 0},
               {"hash", hash}};
        files.push_back(f);
        const auto it = sessions.find(sid);
        if (it != sessions.end()) it->second.video_infos.push_back(f);
      }
      uploaded.push_back(p);
    }
  }
  if (code != 0) {
    send_json(c.res, 200, error_body(code, message, shape));
    return;
  }
  send_ok(c, json{{"files", files}, {"session_state_applied", true}}, shape);
}

// ------------------------------------------------------------------------------------------
// FakeNemoServer: uploads

void FakeNemoServer::set_upload_limit(std::uint64_t bytes) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->upload_limit = bytes;
}
void FakeNemoServer::set_accepted_extensions(std::vector<std::string> extensions) {
  for (auto& e : extensions) {
    e = lower(e);
    if (!e.empty() && e.front() == '.') e.erase(0, 1);
  }
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->accepted_ext = std::move(extensions);
}
std::vector<UploadedFile> FakeNemoServer::uploads() const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->uploaded;
}

}  // namespace mvtest
