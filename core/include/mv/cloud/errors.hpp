// errors.hpp — the typed errors of the cloud client: every row of the
// vendor's error table (../shared/nemo-api.md "Errors") and the transport
// failures, each with a plain-language message the front ends show or
// translate. Messages never contain the token.
#pragma once

#include <optional>
#include <string>

#include "mv/base/error.hpp"
#include "mv/net/http.hpp"

namespace mv {

/// What went wrong talking to the cloud backend.
enum class CloudErrorKind {
  TokenInvalid,      ///< code 1001: bad or expired token (client gets a new anonymous token and retries once)
  SessionNotFound,   ///< code 1002: session gone (client creates a new session and retries once)
  NoCredits,         ///< code 2001
  UnsupportedFile,   ///< code 4001, or refused before upload by extension
  FileTooLarge,      ///< code 4002, or refused before upload by size
  MissingClientId,   ///< HTTP 400 (client makes a new client id and retries)
  ExportNotAllowed,  ///< HTTP 402: free plan cannot export (not a credits problem)
  RateLimited,       ///< HTTP 429 (client waits Retry-After or 30 s and retries once)
  ServerError,       ///< HTTP 5xx after the bounded retries
  Network,           ///< could not connect / connection reset / DNS
  Timeout,           ///< no answer within the call's time limit
  StreamCut,         ///< the SSE stream closed in the middle of an event
  RenderFailed,      ///< the render finished with status failed
  BadResponse,       ///< an answer that is not the JSON we expect, or an unexpected HTTP status
  BadRedirect,       ///< a redirect to anything but http(s)
  DownloadInvalid,   ///< the downloaded file is not an MP4 FFmpeg can open, has the wrong size, or is over the size cap
  FileUnreadable,    ///< a local file to upload cannot be read (missing, permissions): not the vendor's refusal
  DiskWrite,         ///< the download cannot be written to disk (full, read-only, permissions)
  Cancelled,         ///< the user cancelled
};

/// Facts a message may need.
struct CloudErrorContext {
  bool anonymous = true;             ///< the token is an anonymous one
  std::string bind_id;               ///< user id for the registration URL's ?bind=
  std::string registration_url;      ///< base registration URL (settings)
  std::string file;                  ///< file name concerned (upload errors)
  double file_mb = 0.0;              ///< its size in MB
  double limit_mb = 0.0;             ///< the upload limit in MB
  std::string detail;                ///< server message or transport detail (never the token)
};

/// Stable lower-case id of a kind, e.g. "no_credits"; used in --json output
/// and as the key of translated messages.
const char* cloud_error_id(CloudErrorKind kind);

/// The user-facing English message for a kind, e.g. for NoCredits with an
/// anonymous token: "You have used your free credits. Register to get more
/// (your work stays linked to this device): https://…/register?bind=<id>"; for
/// a registered token: "You are out of credits. Top up credits in your
/// account, then try again."; UnsupportedFile lists the supported formats;
/// FileTooLarge suggests trimming or compressing; ExportNotAllowed says
/// "register or upgrade your plan to unlock export" (and does not mention
/// credits). Other kinds append " (<detail>)" when the context has one
/// (not NoCredits, ExportNotAllowed, Cancelled); the detail is shown with
/// anything after "Bearer " and any token=/"token": value replaced by "***",
/// on one line, at most 200 bytes, and not at all when it is raw JSON/HTML.
std::string cloud_error_message(CloudErrorKind kind, const CloudErrorContext& context);

/// The mv::ErrorCode a front end maps a kind to for exit codes
/// (Cancelled → Cancelled, UnsupportedFile/FileTooLarge/FileUnreadable →
/// InputInvalid, DiskWrite → Output, everything else → Media).
ErrorCode cloud_error_code(CloudErrorKind kind);

/// An error from the cloud client: an mv::Error (so front ends that only know
/// mv::Error still show the message) that also carries the kind, the HTTP
/// status (0 if none) and the vendor code (0 if none).
class CloudError : public Error {
 public:
  CloudError(CloudErrorKind kind, const CloudErrorContext& context, long http_status = 0, int vendor_code = 0);
  [[nodiscard]] CloudErrorKind kind() const noexcept { return kind_; }
  [[nodiscard]] long http_status() const noexcept { return http_status_; }
  [[nodiscard]] int vendor_code() const noexcept { return vendor_code_; }
  /// The link the message points to: the registration URL (with ?bind=) of
  /// NoCredits for an anonymous token; "" otherwise.
  [[nodiscard]] const std::string& link() const noexcept { return link_; }

 private:
  CloudErrorKind kind_;
  long http_status_;
  int vendor_code_;
  std::string link_;
};

/// The cloud error for a failure of the HTTP layer: Network, Timeout,
/// Cancelled and BadRedirect keep their names; BodyTooLarge → BadResponse;
/// DownloadTooLarge → DownloadInvalid; WriteFailed → DiskWrite; ReadFailed →
/// FileUnreadable (a local file, never "unsupported file"). `context` gives the
/// facts of the call; its detail becomes the HTTP layer's detail, its file the
/// file concerned when the error names one.
CloudError cloud_error_from_http(const HttpError& error, CloudErrorContext context);

/// Maps a vendor envelope code (1001, 1002, 2001, 4001, 4002) to a kind;
/// nullopt for 0 (success) and codes not in the table.
std::optional<CloudErrorKind> kind_from_vendor_code(int code);

/// Maps an HTTP status to a kind: 400, 402, 429, 5xx; nullopt for 2xx and others.
std::optional<CloudErrorKind> kind_from_http_status(long status);

/// Media the vendor accepts, by lower-case extension without the dot:
/// mp4 mov avi webm mkv jpg jpeg png gif webp mp3 wav m4a aac flac.
bool vendor_accepts_extension(const std::string& extension);
/// The same list for messages: "mp4, mov, avi, …".
std::string vendor_supported_formats();

}  // namespace mv
