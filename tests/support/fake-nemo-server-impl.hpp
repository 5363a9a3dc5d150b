// fake-nemo-server-impl.hpp — the private side of the fake NemoVideo server: its state
// (FakeNemoServer::Impl, all behind `mu`) and the helpers its files share. Included only by
// tests/support/fake-nemo-server*.cpp, which each define the routes and setters of one topic:
//   fake-nemo-server.cpp           request pipeline (log, faults, dispatch), routes, lifecycle, log
//   fake-nemo-server-faults.cpp    fault injection (fail/delay/hang/redirect/truncate/huge/trickle)
//   fake-nemo-server-identity.cpp  tokens, auth, sessions, credits, state
//   fake-nemo-server-chat.cpp      SSE chat turns (POST /run_sse) and their scripts
//   fake-nemo-server-upload.cpp    uploads (multipart and URLs)
//   fake-nemo-server-render.cpp    render submit, poll, cancel, authenticated download
//   fake-nemo-server-download.cpp  the download body (files, ranges, throttle, cuts)
#pragma once

#include "fake-nemo-server.hpp"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace mvtest {

using nlohmann::json;

/// Helpers shared by the fake server's files (defined in the file named).
namespace fake_detail {

/// Size of one piece of a streamed body (downloads, huge_next).
inline constexpr std::size_t kDownloadChunk = 64 * 1024;

std::string lower(std::string s);                      // fake-nemo-server.cpp
std::string hex64(std::uint64_t v);                    // fake-nemo-server.cpp
std::string url_escape_segment(const std::string& s);  // fake-nemo-server.cpp
json sample_draft();                                   // fake-nemo-server-identity.cpp
std::string default_download_bytes();                  // fake-nemo-server-download.cpp

}  // namespace fake_detail

using fake_detail::default_download_bytes;
using fake_detail::hex64;
using fake_detail::kDownloadChunk;
using fake_detail::lower;
using fake_detail::sample_draft;
using fake_detail::url_escape_segment;

// ------------------------------------------------------------------------------------------
// Impl: state (all behind `mu`), the httplib server and the route handlers.

struct FakeNemoServer::Impl {
  struct Token {
    std::string user_id;
    std::string client_id;
    std::chrono::system_clock::time_point expires;
    bool revoked = false;
  };
  struct Session {
    std::string user_id;
    std::string task_id;
    json draft;
    json video_infos = json::array();
  };
  struct Job {
    RenderJobInfo info;
    std::int64_t created_ms = 0;
    std::int64_t completed_ms = 0;
  };
  enum class FaultKind { Fail, Delay, Hang, Redirect, Truncate, Huge, Trickle, LoseAnswer };
  struct Fault {
    FaultKind kind;
    std::regex re;
    int remaining;
    int status = 0;
    std::string body;
    HeaderList headers;
    int ms = 0;
    std::uint64_t bytes = 0;  // Truncate: bytes sent; Huge: body size
    bool chunked = false;     // Huge: no Content-Length
  };
  static const char* fault_name(FaultKind kind);
  /// Content-Type for a fault's body: JSON if it starts with '{' or '[', SSE if with
  /// "data:" or ':', text otherwise.
  static std::string fault_content_type(const std::string& body);
  /// What the faults decided for one request.
  struct Plan {
    int delay_ms = 0;
    bool hang = false;
    std::optional<Fault> answer;  // Fail or Redirect
  };
  /// One request being handled.
  struct Call {
    Call(const httplib::Request& rq, httplib::Response& rs, const httplib::ContentReader* rd)
        : req(rq), res(rs), reader(rd) {}
    const httplib::Request& req;
    httplib::Response& res;
    const httplib::ContentReader* reader = nullptr;  // upload route only
    bool body_consumed = false;
    std::size_t log_index = 0;
    std::uint64_t log_generation = 0;
    std::optional<std::pair<long long, long long>> range;  // first Range, httplib's encoding
    bool answer_lost = false;  // LoseAnswer: do the work at once, the answer is replaced afterwards
  };
  using Handler = void (Impl::*)(Call&);

  explicit Impl(const FakeNemoServerOptions& o) : options(o) {}

  FakeNemoServerOptions options;
  httplib::Server server;
  std::thread thread;
  int bound_port = -1;
  std::atomic<bool> stopped{false};

  mutable std::mutex mu;
  std::condition_variable cv;  // signalled on stop
  bool stopping = false;

  // config
  bool success_envelope = false;
  bool render_success_envelope = true;
  bool auth_401 = false;
  int token_limit = 5;
  int retry_after_s = 30;
  std::chrono::seconds token_ttl = std::chrono::hours(24 * 7);
  int credits_available = 100;
  int credits_frozen = 0;
  int turn_cost = 0;
  json default_draft = sample_draft();
  int canvas_w = 1920;
  int canvas_h = 1080;
  std::string canvas_aspect = "16:9";
  std::vector<SseStep> default_script = FakeNemoServer::builtin_default_script();
  std::deque<std::vector<SseStep>> scripts;
  std::uint64_t upload_limit = 500ull * 1024 * 1024;
  std::vector<std::string> accepted_ext{"mp4", "mov", "avi", "webm", "mkv", "jpg", "jpeg", "png",
                                        "gif", "webp", "mp3", "wav", "m4a", "aac", "flac"};
  int render_polls = 2;
  bool render_fails = false;
  RenderStatusNames status_names = RenderStatusNames::PendingProcessing;
  RenderUrlShape url_shape = RenderUrlShape::OutputUrl;
  std::optional<std::filesystem::path> download_file;
  std::shared_ptr<const std::string> download_bytes =
      std::make_shared<const std::string>(default_download_bytes());
  std::uint64_t throttle_bps = 0;
  std::uint64_t cut_bytes = 0;
  int cut_times = 0;
  std::string download_disposition;

  // state
  std::mt19937_64 rng{std::random_device{}()};
  int token_counter = 0;
  int user_counter = 0;
  int session_counter = 0;
  std::map<std::string, Token> tokens;
  std::map<std::string, int> tokens_per_client;
  std::map<std::string, std::string> user_of_client;
  std::map<std::string, Session> sessions;
  std::map<std::string, Job> jobs;
  std::vector<std::string> job_order;
  std::vector<std::string> messages;
  std::vector<UploadedFile> uploaded;
  std::vector<Fault> faults;
  std::vector<RecordedRequest> log;
  std::uint64_t log_generation = 0;

  // ---- helpers (callers hold no lock unless said) ------------------------------------

  /// Waits `d` unless stop() comes first; false if stopping.
  bool wait_or_stop(std::chrono::milliseconds d) {
    std::unique_lock<std::mutex> lk(mu);
    return !cv.wait_for(lk, d, [this] { return stopping; });
  }
  bool is_stopping() {
    std::lock_guard<std::mutex> lk(mu);
    return stopping;
  }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(bound_port); }

  static json ok_body(const json& data, bool success_shape) {
    if (success_shape) return json{{"success", true}, {"data", data}};
    return json{{"code", 0}, {"message", "ok"}, {"data", data}};
  }
  static json error_body(int code, const std::string& message, bool success_shape,
                         const json& data = json::object()) {
    if (success_shape)
      return json{{"success", false}, {"code", code}, {"message", message}, {"data", data}};
    return json{{"code", code}, {"message", message}, {"data", data}};
  }
  static void send_json(httplib::Response& res, int http_status, const json& body) {
    res.status = http_status;
    res.set_content(body.dump(), "application/json");
  }
  bool general_shape() {
    std::lock_guard<std::mutex> lk(mu);
    return success_envelope;
  }
  bool render_shape() {
    std::lock_guard<std::mutex> lk(mu);
    return render_success_envelope;
  }
  void send_ok(Call& c, const json& data, bool success_shape) {
    send_json(c.res, 200, ok_body(data, success_shape));
  }
  void send_error(Call& c, int http_status, int code, const std::string& message,
                  bool success_shape, const json& data = json::object()) {
    send_json(c.res, http_status, error_body(code, message, success_shape, data));
  }

  // ---- request pipeline (fake-nemo-server.cpp) ------------------------------------------

  /// Parses a JSON body; on failure writes HTTP 400 and returns nullopt.
  std::optional<json> parse_body(Call& c, const std::string& body, bool success_shape);
  /// Reads and discards the rest of an upload body (keeps the connection usable).
  void drain(Call& c);
  void update_log(const Call& c, const std::string& body, std::uint64_t size, bool set_body);
  /// Logs the request and takes the faults that apply to it; caller holds `mu`.
  Plan log_and_plan(Call& c);
  /// Entry point of every route.
  void dispatch(const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader* reader, Handler handler);
  void on_not_found(Call& c);
  void route_get(const std::string& pattern, Handler h);
  void route_post(const std::string& pattern, Handler h);
  void install_routes();

  // ---- answering faults (fake-nemo-server-faults.cpp) -----------------------------------

  void serve_truncated(httplib::Response& res, const Fault& f);
  void serve_huge(httplib::Response& res, const Fault& f);
  void serve_trickle(httplib::Response& res, const Fault& f);

  // ---- tokens, sessions, credits, state (fake-nemo-server-identity.cpp) ------------------

  /// Issues a token; caller holds `mu`.
  FakeNemoServer::IssuedToken issue_locked(const std::string& client_id);
  /// Bearer check. On failure writes the 1001 answer and returns nullopt.
  std::optional<std::string> authorize(Call& c, bool success_shape);
  static bool user_matches(const std::string& path_user, const std::string& token_user);
  std::pair<std::string, std::string> add_session_locked(const std::string& user);
  /// Does `sid` exist for `user`? Caller holds `mu`.
  bool session_ok_locked(const std::string& sid, const std::string& user) const;
  void on_token(Call& c);
  void on_create_session(Call& c);
  void on_credits(Call& c);
  void on_state(Call& c);

  // ---- chat (fake-nemo-server-chat.cpp) -------------------------------------------------

  void on_run_sse(Call& c);

  // ---- uploads (fake-nemo-server-upload.cpp) --------------------------------------------

  void on_upload(Call& c);

  // ---- renders (fake-nemo-server-render.cpp) --------------------------------------------

  /// Status name for a canonical status, under the configured naming; caller holds `mu`.
  std::string status_name_locked(const std::string& canonical) const;
  void on_render_submit(Call& c);
  void on_render_poll(Call& c);
  void on_render_cancel(Call& c);
  /// The render `id` (mu held), or nullptr after answering 404 "render not found".
  Job* find_render_locked(Call& c, const std::string& id, bool shape);
  void on_render_download(Call& c);

  // ---- downloads (fake-nemo-server-download.cpp) ----------------------------------------

  void on_files(Call& c);
  void serve_download(Call& c);
};

}  // namespace mvtest
