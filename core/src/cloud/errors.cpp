// errors.cpp — the cloud client's typed errors and their plain-language
// messages for streamers. The rows come from ../shared/nemo-api.md: "Errors"
// (vendor codes 1001/1002/2001/4001/4002, HTTP 400/402/429), "Media" (the
// accepted formats and the upload limit) and "Base URL and identity" (never
// show the token or raw API responses to the user). Transport failures
// (network, timeout, cut stream, bad redirect, invalid download) are ours.
#include "mv/cloud/errors.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace mv {
namespace {

/// Extensions the vendor accepts ("Media"; flac and jpeg from the seeds and
/// the vendor reference). Order is the order shown to users.
constexpr std::array<std::string_view, 15> kFormats = {"mp4", "mov", "avi",  "webm", "mkv", "jpg", "jpeg", "png",
                                                       "gif", "webp", "mp3", "wav", "m4a", "aac", "flac"};

/// Longest detail shown, in bytes; a server message longer than this is cut.
constexpr std::size_t kMaxDetail = 200;

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

/// Position of `needle` in `hay` ignoring ASCII case, or npos.
std::size_t find_icase(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  if (needle.empty() || hay.size() < needle.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    bool same = true;
    for (std::size_t k = 0; k < needle.size() && same; ++k) same = lower(hay[i + k]) == lower(needle[k]);
    if (same) return i;
  }
  return std::string_view::npos;
}

/// Removes secrets a detail might carry: everything after "Bearer " becomes
/// "***" (an Authorization header echoed back), and so does the value of a
/// "token" field ("token": "…", token=…).
std::string redact(std::string text) {
  const std::size_t bearer = find_icase(text, "bearer ");
  if (bearer != std::string::npos) text.replace(bearer, std::string::npos, "Bearer ***");
  std::size_t pos = 0;
  while ((pos = find_icase(text, "token", pos)) != std::string::npos) {
    std::size_t i = pos + 5;
    if (i < text.size() && text[i] == '"') ++i;
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size() || (text[i] != ':' && text[i] != '=')) {
      pos += 5;
      continue;
    }
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '"')) ++i;
    std::size_t end = i;
    while (end < text.size() && std::string_view(" \"',;&}").find(text[end]) == std::string_view::npos) ++end;
    if (end > i) text.replace(i, end - i, "***");
    pos = i;
  }
  return text;
}

/// The detail as it may be shown: secrets redacted, whitespace collapsed,
/// trimmed, cut at kMaxDetail bytes (on a UTF-8 boundary). Empty when there is
/// nothing useful, including raw JSON or HTML answers, which users never see.
std::string shown_detail(const std::string& detail) {
  std::string out;
  bool space = false;
  for (char c : redact(detail)) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0 || std::iscntrl(static_cast<unsigned char>(c)) != 0) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.empty() || out.front() == '{' || out.front() == '[' || out.front() == '<') return {};
  if (out.size() > kMaxDetail) {
    std::size_t cut = kMaxDetail;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0U) == 0x80U) --cut;  // not inside a UTF-8 sequence
    out.replace(cut, std::string::npos, "…");
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

/// A size in MB for messages: one decimal, none when it is whole ("612.4", "500").
std::string format_mb(double mb) {
  std::array<char, 32> buf{};
  const double tenths = std::round(mb * 10.0);
  if (std::fmod(tenths, 10.0) == 0.0) {
    std::snprintf(buf.data(), buf.size(), "%.0f", tenths / 10.0);
  } else {
    std::snprintf(buf.data(), buf.size(), "%.1f", tenths / 10.0);
  }
  return buf.data();
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(std::string_view value) {
  static constexpr std::string_view hex = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4U];
      out += hex[u & 0x0FU];
    }
  }
  return out;
}

/// The registration URL with ?bind=<id> (or &bind=<id> when it already has a query).
std::string registration_link(const CloudErrorContext& ctx) {
  std::string url = ctx.registration_url;
  if (url.empty() || ctx.bind_id.empty()) return url;
  if (url.find('?') == std::string::npos) {
    url += '?';
  } else if (url.back() != '?' && url.back() != '&') {
    url += '&';
  }
  return url + "bind=" + url_encode(ctx.bind_id);
}

std::string file_name(const CloudErrorContext& ctx) { return ctx.file.empty() ? "This file" : ctx.file; }

/// The message without the detail.
std::string base_message(CloudErrorKind kind, const CloudErrorContext& ctx) {
  switch (kind) {
    case CloudErrorKind::TokenInvalid:
      return "The cloud did not accept the sign-in token (it is wrong or has expired). Try again to get a new one; "
             "if you set NEMO_TOKEN, check it.";
    case CloudErrorKind::SessionNotFound:
      return "The cloud no longer knows this project session. Start a new project and try again.";
    case CloudErrorKind::NoCredits:
      if (!ctx.anonymous) return "You are out of credits. Top up credits in your account, then try again.";
      if (ctx.registration_url.empty()) {
        return "You have used your free credits. Register to get more (your work stays linked to this device).";
      }
      return "You have used your free credits. Register to get more (your work stays linked to this device): " +
             registration_link(ctx);
    case CloudErrorKind::UnsupportedFile:
      return file_name(ctx) + " is not a format the cloud accepts. Supported: " + vendor_supported_formats() + ".";
    case CloudErrorKind::FileTooLarge: {
      std::string msg = file_name(ctx);
      msg += ctx.file_mb > 0.0 ? " is " + format_mb(ctx.file_mb) + " MB;" : " is too large;";
      msg += ctx.limit_mb > 0.0 ? " the cloud accepts up to " + format_mb(ctx.limit_mb) + " MB."
                                : " the cloud does not accept files this large.";
      return msg + " Trim it or compress it and try again.";
    }
    case CloudErrorKind::MissingClientId:
      return "The cloud did not recognise this device (no client id was sent). Try again; a new device id is made "
             "automatically.";
    case CloudErrorKind::ExportNotAllowed:
      return "Your plan cannot export videos. Register or upgrade your plan to unlock export.";
    case CloudErrorKind::RateLimited:
      return "The cloud is getting too many requests from you right now. Wait a minute, then try again.";
    case CloudErrorKind::ServerError:
      return "The cloud service is having trouble right now. Try again in a few minutes.";
    case CloudErrorKind::Network:
      return "Could not reach the cloud service. Check your internet connection, then try again.";
    case CloudErrorKind::Timeout:
      return "The cloud service took too long to answer. Try again; generating a video can take several minutes.";
    case CloudErrorKind::StreamCut:
      return "The connection dropped in the middle of a reply; checking what the backend did…";
    case CloudErrorKind::RenderFailed:
      return "The cloud could not render the video. Export again; if it fails again, change the edit and retry.";
    case CloudErrorKind::BadResponse:
      return "The cloud sent an answer this app does not understand. Try again later; if it keeps happening, update "
             "the app.";
    case CloudErrorKind::BadRedirect:
      return "The cloud sent the app to an address that is not a web address, so it stopped there. Try again later.";
    case CloudErrorKind::DownloadInvalid:
      return "The downloaded video is incomplete or damaged. Export it again to download a fresh copy.";
    case CloudErrorKind::FileUnreadable:
      return file_name(ctx) + " cannot be read. Check that it still exists and that you may open it, then try again.";
    case CloudErrorKind::DiskWrite:
      return "The downloaded video cannot be saved. Check that the output folder exists, is writable and has free "
             "space, then try again.";
    case CloudErrorKind::Cancelled:
      return "Cancelled.";
  }
  return "The cloud request failed.";
}

/// Whether a detail adds anything to the kind's message. NoCredits and
/// ExportNotAllowed have complete messages (and a server text could blur
/// "not a credits problem"); Cancelled needs none.
bool shows_detail(CloudErrorKind kind) {
  return kind != CloudErrorKind::NoCredits && kind != CloudErrorKind::ExportNotAllowed &&
         kind != CloudErrorKind::Cancelled;
}

}  // namespace

const char* cloud_error_id(CloudErrorKind kind) {
  switch (kind) {
    case CloudErrorKind::TokenInvalid: return "token_invalid";
    case CloudErrorKind::SessionNotFound: return "session_not_found";
    case CloudErrorKind::NoCredits: return "no_credits";
    case CloudErrorKind::UnsupportedFile: return "unsupported_file";
    case CloudErrorKind::FileTooLarge: return "file_too_large";
    case CloudErrorKind::MissingClientId: return "missing_client_id";
    case CloudErrorKind::ExportNotAllowed: return "export_not_allowed";
    case CloudErrorKind::RateLimited: return "rate_limited";
    case CloudErrorKind::ServerError: return "server_error";
    case CloudErrorKind::Network: return "network";
    case CloudErrorKind::Timeout: return "timeout";
    case CloudErrorKind::StreamCut: return "stream_cut";
    case CloudErrorKind::RenderFailed: return "render_failed";
    case CloudErrorKind::BadResponse: return "bad_response";
    case CloudErrorKind::BadRedirect: return "bad_redirect";
    case CloudErrorKind::DownloadInvalid: return "download_invalid";
    case CloudErrorKind::FileUnreadable: return "file_unreadable";
    case CloudErrorKind::DiskWrite: return "disk_write";
    case CloudErrorKind::Cancelled: return "cancelled";
  }
  return "unknown";
}

std::string cloud_error_message(CloudErrorKind kind, const CloudErrorContext& context) {
  std::string msg = base_message(kind, context);
  if (shows_detail(kind)) {
    const std::string detail = shown_detail(context.detail);
    if (!detail.empty()) msg += " (" + detail + ")";
  }
  return msg;
}

ErrorCode cloud_error_code(CloudErrorKind kind) {
  switch (kind) {
    case CloudErrorKind::Cancelled: return ErrorCode::Cancelled;
    case CloudErrorKind::UnsupportedFile:
    case CloudErrorKind::FileTooLarge:
    case CloudErrorKind::FileUnreadable: return ErrorCode::InputInvalid;
    case CloudErrorKind::DiskWrite: return ErrorCode::Output;
    default: return ErrorCode::Media;
  }
}

CloudError::CloudError(CloudErrorKind kind, const CloudErrorContext& context, long http_status, int vendor_code)
    : Error(cloud_error_code(kind), cloud_error_message(kind, context)),
      kind_(kind),
      http_status_(http_status),
      vendor_code_(vendor_code),
      link_(kind == CloudErrorKind::NoCredits && context.anonymous ? registration_link(context) : std::string()) {}

CloudError cloud_error_from_http(const HttpError& error, CloudErrorContext context) {
  context.detail = error.what();
  if (!error.file().empty()) context.file = error.file().filename().string();
  CloudErrorKind kind = CloudErrorKind::Network;
  switch (error.kind()) {
    case HttpErrorKind::Network: kind = CloudErrorKind::Network; break;
    case HttpErrorKind::Timeout: kind = CloudErrorKind::Timeout; break;
    case HttpErrorKind::Cancelled: return CloudError(CloudErrorKind::Cancelled, {});
    case HttpErrorKind::BadRedirect: kind = CloudErrorKind::BadRedirect; break;
    case HttpErrorKind::BodyTooLarge: kind = CloudErrorKind::BadResponse; break;
    case HttpErrorKind::DownloadTooLarge: kind = CloudErrorKind::DownloadInvalid; break;
    case HttpErrorKind::WriteFailed: kind = CloudErrorKind::DiskWrite; break;
    case HttpErrorKind::ReadFailed: kind = CloudErrorKind::FileUnreadable; break;
  }
  return CloudError(kind, context, error.status());
}

std::optional<CloudErrorKind> kind_from_vendor_code(int code) {
  switch (code) {
    case 1001: return CloudErrorKind::TokenInvalid;
    case 1002: return CloudErrorKind::SessionNotFound;
    case 2001: return CloudErrorKind::NoCredits;
    case 4001: return CloudErrorKind::UnsupportedFile;
    case 4002: return CloudErrorKind::FileTooLarge;
    default: return std::nullopt;
  }
}

std::optional<CloudErrorKind> kind_from_http_status(long status) {
  if (status == 400) return CloudErrorKind::MissingClientId;
  if (status == 402) return CloudErrorKind::ExportNotAllowed;
  if (status == 429) return CloudErrorKind::RateLimited;
  if (status >= 500 && status <= 599) return CloudErrorKind::ServerError;
  return std::nullopt;
}

bool vendor_accepts_extension(const std::string& extension) {
  std::string ext = extension;
  if (!ext.empty() && ext.front() == '.') ext.erase(0, 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), lower);
  return std::find(kFormats.begin(), kFormats.end(), ext) != kFormats.end();
}

std::string vendor_supported_formats() {
  std::string out;
  for (std::string_view f : kFormats) {
    if (!out.empty()) out += ", ";
    out += f;
  }
  return out;
}

}  // namespace mv
