// client.hpp — the client of the vendor's cloud backend
// (../shared/nemo-api.md): identity, sessions, chat over SSE, uploads,
// credits, state, render submit/poll/cancel and download, with the vendor's
// error table applied (typed CloudError, retries where the table says so).
// Shared by mvgen now and the OBS dock later; no OBS, no Qt.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mv/cloud/errors.hpp"
#include "mv/net/http.hpp"
#include "mv/base/progress.hpp"
#include "mv/base/uuid.hpp"
#include "mv/base/version.hpp"
#include "mv/timeline/timeline.hpp"

namespace mv {

/// The vendor's production host (used when neither settings nor NEMO_API_URL name one).
inline constexpr const char* kNemoProductionUrl = "https://mega-api-prod.nemovideo.ai";

/// Everything configurable about the cloud client.
struct CloudSettings {
  std::string base_url;                    ///< empty: $NEMO_API_URL, else kNemoProductionUrl
  std::filesystem::path config_dir;        ///< holds cloud.json (client id, token; mode 0600)
  std::string token;                       ///< a registered token from the front end's settings
                                           ///< (NEMO_TOKEN still wins); never logged or shown
  std::string skill_source = kProjectName;  ///< X-Skill-Source
  std::string skill_version = kVersion;    ///< X-Skill-Version (project() in CMakeLists.txt)
  std::string skill_platform = "unknown";  ///< X-Skill-Platform
  std::string language = "en";             ///< session language
  std::string registration_url = "https://nemovideo.ai/register";  ///< for the 2001 message (?bind=<id>)
  double max_upload_mb = 500.0;            ///< refused before sending above this
  std::chrono::milliseconds notice_interval{120000};  ///< "still working" after this much silence
  std::chrono::milliseconds poll_interval{10000};     ///< render polling
  int max_polls = 90;                      ///< then the render is reported as timed out (job kept)
  std::chrono::milliseconds rate_limit_wait{30000};   ///< HTTP 429 without Retry-After
  int max_retries = 3;                     ///< for 5xx / network errors on idempotent calls
  std::chrono::milliseconds retry_backoff{1000};      ///< doubled each retry
  /// Time limits per kind of call, overriding default_timeouts(kind) for the
  /// kinds present (e.g. short ones in tests). Kinds absent keep the defaults.
  std::map<HttpCallKind, HttpTimeouts> timeouts;
  /// Largest render download accepted, bytes (0 = no cap): refused from the
  /// announced size, or stopped when the body grows past it (DownloadInvalid).
  std::uint64_t max_download_bytes = kDefaultMaxDownloadBytes;
  /// Checks a finished download (the part file, before it is renamed) and
  /// throws any std::exception with the reason when it is not a usable video
  /// (→ DownloadInvalid, the part removed). The client knows no media library:
  /// front ends pass mv::require_video_file (media domain). Empty: the size
  /// checks only.
  std::function<void(const std::filesystem::path&)> verify_download;
};

/// Largest single event of a chat stream (bytes between two dispatched
/// events, keep-alives included), 16 MiB; more → BadResponse.
inline constexpr std::uint64_t kMaxChatEventBytes = 16ull << 20;

/// A chat session on the backend.
struct CloudSession {
  std::string session_id;
  std::string task_id;
  std::string user_id;  ///< from the answer, else the token's user, else "me"
};

/// Credit balance.
struct CloudCredits {
  double available = 0, frozen = 0, total = 0;
};

/// The session state: the draft (timeline) and the raw state JSON.
struct CloudState {
  Timeline draft;
  nlohmann::json raw = nlohmann::json::object();
};

/// The outcome of one chat turn.
struct ChatTurnResult {
  std::string text;           ///< all text the backend said, in order
  bool stream_cut = false;    ///< the stream ended in the middle of an event
  std::string change_summary; ///< when the turn had no text (or was cut): what changed in the timeline
};

/// One uploaded file as the backend describes it.
struct CloudUpload {
  std::string filename, file_type, cdn_url;
  double duration = 0;
  int width = 0, height = 0;
};

/// A render job on the backend.
struct CloudRender {
  enum class Status { Pending, Processing, Completed, Failed, Cancelled } status = Status::Pending;
  std::string id;
  int progress = 0;        ///< percent
  std::string output_url;  ///< when completed
  std::string error;       ///< when failed
};

/// Lower-case status name: pending, processing, completed, failed, cancelled.
const char* render_status_name(CloudRender::Status status);

/// The client. One per front end; calls block the calling thread (front ends
/// run them on workers) and stop promptly when `cancel` is set.
class CloudClient {
 public:
  /// Errors: none at construction (identity is loaded lazily).
  explicit CloudClient(CloudSettings settings, const CancelToken* cancel = nullptr);
  ~CloudClient();
  CloudClient(const CloudClient&) = delete;
  CloudClient& operator=(const CloudClient&) = delete;

  [[nodiscard]] const std::string& base_url() const;
  /// True when the token in use is an anonymous one (not NEMO_TOKEN).
  [[nodiscard]] bool anonymous();
  /// The stable client id (UUID v4), generated once and kept in cloud.json.
  [[nodiscard]] std::string client_id();

  /// 1. Creates a session (language from settings).
  CloudSession create_session();
  /// 2. One chat turn over SSE. `on_text` gets text as it arrives, `on_notice`
  /// gets "still working" notices after each `notice_interval` of silence (or
  /// heartbeats only). If the turn ends with no text, or the stream is cut,
  /// the state is read and the change of the timeline summarised.
  /// Errors: those of the error table; Network/Timeout only before the first
  /// complete line of the stream (later they make a cut stream);
  /// BadResponse for an event over kMaxChatEventBytes.
  ChatTurnResult chat(CloudSession& session, const std::string& message,
                      const std::function<void(const std::string&)>& on_text = {},
                      const std::function<void(const std::string&)>& on_notice = {});
  /// 3. Uploads files (one multipart request, streamed from disk). Checks
  /// extension and size first: Error UnsupportedFile / FileTooLarge without a request.
  std::vector<CloudUpload> upload(CloudSession& session, const std::vector<std::filesystem::path>& files,
                                  const std::function<void(std::uint64_t, std::uint64_t)>& progress = {});
  /// 3b. Asks the backend to fetch media from URLs.
  std::vector<CloudUpload> upload_urls(CloudSession& session, const std::vector<std::string>& urls);
  /// 4. Credit balance.
  CloudCredits credits();
  /// 5. Session state (path form `me` unless `use_user_id`, then the user id).
  CloudState state(CloudSession& session, bool use_user_id = false);
  /// 6. Submits a render of the draft; a duplicate id is retried with a new id.
  CloudRender submit_render(const CloudSession& session, const nlohmann::json& draft);
  /// 7. Polls a render once.
  CloudRender poll_render(const std::string& render_id);
  /// Polls until completed/failed (Error RenderFailed on failure, Timeout after max_polls).
  CloudRender wait_for_render(const std::string& render_id,
                              const std::function<void(const CloudRender&)>& on_poll = {});
  /// Cancels a pending render.
  void cancel_render(const std::string& render_id);
  /// Downloads a completed render to `output`: streamed to `output.part`,
  /// resumed with HTTP Range after a cut, checked (size, then settings.verify_download), then
  /// renamed. Uses the output URL, else the authenticated fallback.
  /// When `output` is an existing folder, the file is named inside it from the
  /// server's names (Content-Disposition filename, else the URL's last path
  /// segment, else the render id), each passed through safe_file_name(),
  /// ending in ".mp4", never replacing an existing file ("name-2.mp4", …); the
  /// part file is "<folder>/.<render id>.part". Server names never place a
  /// file outside the folder. The render id and session ids are sent as
  /// percent-encoded URL path segments, so they cannot walk the API's paths.
  /// Size: at most settings.max_download_bytes. Returns the file written.
  /// Errors: DownloadInvalid (over the size cap, wrong size, not a video),
  /// BadRedirect, BadResponse / ServerError (HTTP error on both URLs),
  /// Network / Timeout (after the retries), Cancelled. After Network, Timeout
  /// or Cancelled the part file is kept so a later call resumes it; after any
  /// other error it is removed. Nothing is ever left at the final path on error.
  std::filesystem::path download(const CloudRender& render, const std::filesystem::path& output,
                                 const std::function<void(std::uint64_t, std::uint64_t)>& progress = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A file name (no folder) made from a name the server chose, e.g. a URL path
/// segment or a Content-Disposition filename: percent-decoded once ("%2e%2e%2f"
/// is "../"), refused whole (→ `fallback`) when it holds NUL or another control
/// character, cut to what follows its last '/' or '\\', with the characters
/// Windows reserves (: * ? " < > |) made '_', leading dots and spaces and
/// trailing dots and spaces removed, and cut to at most 120 bytes (UTF-8 kept
/// whole, the extension kept). `fallback` when nothing is left.
/// Examples: "../../etc/x.mp4" → "x.mp4", "/etc/passwd" → "passwd",
/// "..\\..\\a.mp4" → "a.mp4", ".bashrc" → "bashrc", ".." → fallback.
std::string safe_file_name(const std::string& server_name, const std::string& fallback);


}  // namespace mv
