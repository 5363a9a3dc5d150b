// fake-nemo-server.cpp — see fake-nemo-server.hpp. Built on cpp-httplib 0.11.4 (Debian).
//
// Notes on httplib behaviour this file relies on (checked against the 0.11.4 source):
//  * Regular handlers get the whole body in req.body; the upload route uses the
//    content-reader form so multipart parts stream through a byte counter.
//  * httplib applies `Range` itself to every answer; handlers clear req.ranges (the Request
//    object is a non-const local inside httplib) and the download handler does ranges itself.
//  * A chunked content provider returning false makes httplib close the connection without
//    the terminating chunk: that is how "cut" works, for SSE and downloads alike.
//  * Content-Type must be exactly "text/event-stream" for SSE, or httplib would gzip it.
#include "fake-nemo-server.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <tuple>

namespace mvtest {

using nlohmann::json;

namespace {

constexpr std::size_t kLoggedBodyMax = 64 * 1024;
constexpr std::size_t kJsonUploadMax = 16 * 1024 * 1024;
constexpr std::size_t kDownloadChunk = 64 * 1024;
constexpr auto kHangLimit = std::chrono::seconds(60);

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string iso8601_utc(std::chrono::system_clock::time_point tp) {
  const std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm g{};
  gmtime_r(&t, &g);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &g);
  return buf;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

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

std::string hex64(std::uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = digits[v & 0xfu];
    v >>= 4;
  }
  return out;
}

std::uint64_t fnv1a(const std::string& s, std::uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string url_escape_segment(const std::string& s) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0xf];
    }
  }
  return out;
}

json sample_draft() {
  return json{
      {"t",
       json::array({
           json{{"tt", 0},
                {"sg", json::array({json{{"s", 0},
                                         {"d", 10000},
                                         {"m", {{"name", "city timelapse"}, {"src", "upload-1"}}}}})}},
           json{{"tt", 1},
                {"sg", json::array({json{{"s", 0},
                                         {"d", 10000},
                                         {"m", {{"name", "Lo-fi"}, {"volume", 0.35}}}}})}},
           json{{"tt", 7},
                {"sg", json::array({json{{"s", 0},
                                         {"d", 3000},
                                         {"m", {{"text", "Urban Dreams"}}}}})}},
       })},
      {"d", 10000},
      {"m", {{"title", "Urban Dreams"}, {"width", 1920}, {"height", 1080}}},
  };
}

std::string default_download_bytes() {
  // A 24-byte 'ftyp' box (isom), then a deterministic pattern up to 64 KiB.
  std::string out;
  const unsigned char ftyp[] = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm',
                                0, 0, 2,  0,  'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
  out.assign(reinterpret_cast<const char*>(ftyp), sizeof ftyp);
  std::uint32_t x = 2463534242u;
  while (out.size() < 64 * 1024) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out += static_cast<char>(x & 0xffu);
  }
  return out;
}

bool read_whole_file(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return static_cast<bool>(in) || in.eof();
}

}  // namespace

// ------------------------------------------------------------------------------------------
// RecordedRequest, SseStep

std::string RecordedRequest::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

bool RecordedRequest::has_header(const std::string& lower_name) const {
  return headers.count(lower_name) != 0;
}

SseStep SseStep::event(const json& payload, int delay_ms) {
  SseStep s;
  s.bytes = "data: " + payload.dump() + "\n\n";
  s.delay_ms = delay_ms;
  return s;
}

SseStep SseStep::text(const std::string& content, int delay_ms) {
  return event(json{{"type", "text"}, {"content", content}}, delay_ms);
}

SseStep SseStep::heartbeat(int delay_ms) { return event(json{{"type", "heartbeat"}}, delay_ms); }

SseStep SseStep::tool_call(const std::string& name, const json& args, int delay_ms) {
  return event(json{{"type", "tool_call"}, {"name", name}, {"args", args}}, delay_ms);
}

SseStep SseStep::tool_result(const std::string& name, const json& result, int delay_ms) {
  return event(json{{"type", "tool_result"}, {"name", name}, {"result", result}}, delay_ms);
}

SseStep SseStep::adk_text(const std::string& text, int delay_ms) {
  return event(json{{"content", {{"role", "model"}, {"parts", json::array({json{{"text", text}}})}}}},
               delay_ms);
}

SseStep SseStep::raw(std::string bytes, int delay_ms) {
  SseStep s;
  s.bytes = std::move(bytes);
  s.delay_ms = delay_ms;
  return s;
}

SseStep SseStep::cut_after(std::string partial_bytes, int delay_ms) {
  SseStep s = raw(std::move(partial_bytes), delay_ms);
  s.cut = true;
  return s;
}

SseStep SseStep::set_draft(json draft, int delay_ms) {
  SseStep s;
  s.delay_ms = delay_ms;
  s.draft = std::move(draft);
  return s;
}

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
  static const char* fault_name(FaultKind kind) {
    switch (kind) {
      case FaultKind::Fail: return "fail";
      case FaultKind::Delay: return "delay";
      case FaultKind::Hang: return "hang";
      case FaultKind::Redirect: return "redirect";
      case FaultKind::Truncate: return "truncate";
      case FaultKind::Huge: return "huge";
      case FaultKind::Trickle: return "trickle";
      case FaultKind::LoseAnswer: return "lose-answer";
    }
    return "fault";
  }
  /// Content-Type for a fault's body: JSON if it starts with '{' or '[', SSE if with
  /// "data:" or ':', text otherwise.
  static std::string fault_content_type(const std::string& body) {
    if (!body.empty() && (body.front() == '{' || body.front() == '[')) return "application/json";
    if (body.rfind("data:", 0) == 0 || (!body.empty() && body.front() == ':')) return "text/event-stream";
    return "text/plain";
  }
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

  /// Issues a token; caller holds `mu`.
  FakeNemoServer::IssuedToken issue_locked(const std::string& client_id) {
    auto& user = user_of_client[client_id];
    if (user.empty()) user = "user-" + std::to_string(++user_counter);
    const std::string token =
        "tok-" + std::to_string(++token_counter) + "-" + hex64(rng()).substr(0, 12);
    tokens[token] = Token{user, client_id, std::chrono::system_clock::now() + token_ttl, false};
    return {token, user, client_id};
  }

  /// Bearer check. On failure writes the 1001 answer and returns nullopt.
  std::optional<std::string> authorize(Call& c, bool success_shape) {
    const std::string auth = c.req.get_header_value("Authorization");
    std::string token;
    if (auth.size() > 7 && lower(auth.substr(0, 7)) == "bearer ") token = auth.substr(7);
    bool http401 = false;
    {
      std::lock_guard<std::mutex> lk(mu);
      http401 = auth_401;
      const auto it = tokens.find(token);
      if (it != tokens.end() && !it->second.revoked &&
          std::chrono::system_clock::now() < it->second.expires) {
        return it->second.user_id;
      }
    }
    send_error(c, http401 ? 401 : 200, 1001,
               token.empty() ? "missing token" : "invalid or expired token", success_shape);
    return std::nullopt;
  }

  static bool user_matches(const std::string& path_user, const std::string& token_user) {
    return path_user == "me" || path_user == token_user;
  }

  /// Parses a JSON body; on failure writes HTTP 400 and returns nullopt.
  std::optional<json> parse_body(Call& c, const std::string& body, bool success_shape) {
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      send_error(c, 400, 400, "body must be a JSON object", success_shape);
      return std::nullopt;
    }
    return j;
  }

  /// Reads and discards the rest of an upload body (keeps the connection usable).
  void drain(Call& c) {
    if (c.reader == nullptr || c.body_consumed) return;
    c.body_consumed = true;
    std::uint64_t n = 0;
    if (c.req.is_multipart_form_data()) {
      (*c.reader)([](const httplib::MultipartFormData&) { return true; },
                  [&n](const char*, std::size_t k) {
                    n += k;
                    return true;
                  });
    } else {
      (*c.reader)([&n](const char*, std::size_t k) {
        n += k;
        return true;
      });
    }
    update_log(c, std::string(), n, false);
  }

  void update_log(const Call& c, const std::string& body, std::uint64_t size, bool set_body) {
    std::lock_guard<std::mutex> lk(mu);
    if (c.log_generation != log_generation || c.log_index >= log.size()) return;
    auto& r = log[c.log_index];
    if (set_body) r.body = body.substr(0, kLoggedBodyMax);
    r.body_size = size;
  }

  /// Logs the request and takes the faults that apply to it; caller holds `mu`.
  Plan log_and_plan(Call& c) {
    RecordedRequest r;
    r.method = c.req.method;
    r.path = c.req.path;
    const auto q = c.req.target.find('?');
    if (q != std::string::npos) r.query = c.req.target.substr(q + 1);
    for (const auto& [name, value] : c.req.headers) {
      if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
          name == "LOCAL_PORT")
        continue;  // added by httplib, not sent by the client
      auto& slot = r.headers[lower(name)];
      slot = slot.empty() ? value : slot + ", " + value;
    }
    r.content_type = c.req.get_header_value("Content-Type");
    if (c.reader == nullptr) {
      r.body = c.req.body.substr(0, kLoggedBodyMax);
      r.body_size = c.req.body.size();
    }

    Plan plan;
    std::vector<std::string> applied;
    for (auto& f : faults) {
      if (f.remaining <= 0 || !std::regex_search(c.req.path, f.re)) continue;
      if (f.kind == FaultKind::Delay) {
        plan.delay_ms += f.ms;
        --f.remaining;
        if (std::find(applied.begin(), applied.end(), "delay") == applied.end())
          applied.emplace_back("delay");
      } else if (f.kind == FaultKind::Hang) {
        if (plan.hang) continue;
        plan.hang = true;
        --f.remaining;
        applied.emplace_back("hang");
      } else {
        if (plan.answer || plan.hang) continue;
        plan.answer = f;
        --f.remaining;
        applied.emplace_back(fault_name(f.kind));
      }
    }
    faults.erase(std::remove_if(faults.begin(), faults.end(),
                                [](const Fault& f) { return f.remaining <= 0; }),
                 faults.end());
    for (const auto& a : applied) r.injected += (r.injected.empty() ? "" : "+") + a;

    c.log_index = log.size();
    c.log_generation = log_generation;
    log.push_back(std::move(r));
    return plan;
  }

  /// Entry point of every route.
  void dispatch(const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader* reader, Handler handler) {
    Call c(req, res, reader);
    // httplib would slice any answer to the request's Range; only downloads honour it.
    auto& mutable_req = const_cast<httplib::Request&>(req);
    if (!mutable_req.ranges.empty()) {
      c.range = std::make_pair(static_cast<long long>(mutable_req.ranges.front().first),
                               static_cast<long long>(mutable_req.ranges.front().second));
      mutable_req.ranges.clear();
    }
    Plan plan;
    {
      std::lock_guard<std::mutex> lk(mu);
      plan = log_and_plan(c);
    }
    if (plan.delay_ms > 0 && !wait_or_stop(std::chrono::milliseconds(plan.delay_ms))) {
      send_error(c, 503, 503, "server stopping", false);
      return;
    }
    if (plan.hang) {
      const bool timed_out = wait_or_stop(std::chrono::duration_cast<std::chrono::milliseconds>(kHangLimit));
      send_error(c, timed_out ? 504 : 503, timed_out ? 504 : 503,
                 timed_out ? "hang limit reached" : "server stopping", false);
      if (timed_out) drain(c);
      return;
    }
    if (plan.answer && plan.answer->kind == FaultKind::LoseAnswer) {
      // The request is handled (its effects happen), then its answer is lost.
      c.answer_lost = true;
      (this->*handler)(c);
      drain(c);
      const Fault& f = *plan.answer;
      c.res = httplib::Response();
      c.res.status = f.status;
      c.res.set_content(f.body, fault_content_type(f.body));
      return;
    }
    if (plan.answer) {
      drain(c);
      const Fault& f = *plan.answer;
      res.status = f.status;
      if (f.kind == FaultKind::Redirect) {
        res.set_header("Location", f.body);
        return;
      }
      if (f.kind == FaultKind::Truncate) {
        serve_truncated(res, f);
        return;
      }
      if (f.kind == FaultKind::Huge) {
        serve_huge(res, f);
        return;
      }
      if (f.kind == FaultKind::Trickle) {
        serve_trickle(res, f);
        return;
      }
      std::string type;
      for (const auto& [name, value] : f.headers) {
        if (lower(name) == "content-type")
          type = value;
        else
          res.set_header(name, value);
      }
      if (type.empty() && !f.body.empty())
        type = (f.body.front() == '{' || f.body.front() == '[') ? "application/json" : "text/plain";
      if (!f.body.empty() || !type.empty()) res.set_content(f.body, type);
      return;
    }
    (this->*handler)(c);
    drain(c);  // a handler that answered early must not leave body bytes on the connection
  }

  /// Announces the whole body, sends `f.bytes` of it, then drops the connection
  /// (a provider returning false makes httplib close without finishing).
  void serve_truncated(httplib::Response& res, const Fault& f) {
    auto body = std::make_shared<const std::string>(f.body);
    const std::size_t send = static_cast<std::size_t>(std::min<std::uint64_t>(f.bytes, body->size()));
    res.set_content_provider(
        body->size(), fault_content_type(*body),
        [this, body, send](std::size_t offset, std::size_t, httplib::DataSink& sink) {
          if (offset >= send || is_stopping()) return false;
          return sink.write(body->data() + offset, send - offset);
        });
  }

  /// A `f.bytes` body (envelope start, then 'x'), 64 KiB per provider call.
  void serve_huge(httplib::Response& res, const Fault& f) {
    static const std::string head = R"({"code":0,"message":"ok","data":{"pad":")";
    const std::uint64_t total = f.bytes;
    auto piece = [total](std::size_t offset) {
      const std::uint64_t left = total - std::min<std::uint64_t>(offset, total);
      std::string out(static_cast<std::size_t>(std::min<std::uint64_t>(left, kDownloadChunk)), 'x');
      for (std::size_t i = 0; i < out.size() && offset + i < head.size(); ++i) out[i] = head[offset + i];
      return out;
    };
    if (f.chunked) {
      res.set_chunked_content_provider(
          "application/json", [this, total, piece](std::size_t offset, httplib::DataSink& sink) {
            if (is_stopping()) return false;
            if (offset >= total) {
              sink.done();
              return true;
            }
            const std::string p = piece(offset);
            return sink.write(p.data(), p.size());
          });
    } else {
      res.set_content_provider(static_cast<std::size_t>(total), "application/json",
                               [this, piece](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                                 if (is_stopping()) return false;
                                 const std::string p = piece(offset);
                                 return sink.write(p.data(), p.size());
                               });
    }
  }

  /// `f.body` one byte every `f.ms` milliseconds.
  void serve_trickle(httplib::Response& res, const Fault& f) {
    auto body = std::make_shared<const std::string>(f.body);
    const int ms = f.ms;
    if (body->empty()) return;
    res.set_content_provider(
        body->size(), fault_content_type(*body),
        [this, body, ms](std::size_t offset, std::size_t, httplib::DataSink& sink) {
          if (is_stopping()) return false;
          if (offset > 0 && !wait_or_stop(std::chrono::milliseconds(ms))) return false;
          return sink.write(body->data() + offset, 1);
        });
  }

  // ---- routes ----------------------------------------------------------------------------

  void on_token(Call& c) {
    const bool shape = general_shape();
    const std::string client_id = c.req.get_header_value("X-Client-Id");
    if (client_id.empty()) {
      send_error(c, 400, 400, "missing X-Client-Id header", shape);
      return;
    }
    json data;
    {
      std::lock_guard<std::mutex> lk(mu);
      int& count = tokens_per_client[client_id];
      if (count >= token_limit) {
        c.res.set_header("Retry-After", std::to_string(retry_after_s));
        send_json(c.res, 429, error_body(429, "too many anonymous tokens for this client id", shape));
        return;
      }
      ++count;
      const auto t = issue_locked(client_id);
      data = json{{"token", t.token},
                  {"user_id", t.user_id},
                  {"expires_at", iso8601_utc(tokens[t.token].expires)},
                  {"credits", credits_available}};
    }
    send_ok(c, data, shape);
  }

  void on_create_session(Call& c) {
    const bool shape = general_shape();
    const auto user = authorize(c, shape);
    if (!user) return;
    if (!user_matches(c.req.matches[1].str(), *user)) {
      send_error(c, 200, 1001, "token does not belong to this user", shape);
      return;
    }
    const auto body = parse_body(c, c.req.body.empty() ? "{}" : c.req.body, shape);
    if (!body) return;
    std::string sid, task;
    {
      std::lock_guard<std::mutex> lk(mu);
      std::tie(sid, task) = add_session_locked(*user);
    }
    send_ok(c, json{{"task_id", task}, {"session_id", sid}, {"user_id", *user}}, shape);
  }

  std::pair<std::string, std::string> add_session_locked(const std::string& user) {
    const int n = ++session_counter;
    std::string sid = "sess-" + std::to_string(n) + "-" + hex64(rng()).substr(0, 8);
    std::string task = "task-" + std::to_string(n);
    sessions[sid] = Session{user, task, default_draft, json::array()};
    return {sid, task};
  }

  /// Does `sid` exist for `user`? Caller holds `mu`.
  bool session_ok_locked(const std::string& sid, const std::string& user) const {
    const auto it = sessions.find(sid);
    return it != sessions.end() && it->second.user_id == user;
  }

  void on_run_sse(Call& c) {
    const bool shape = general_shape();
    const auto user = authorize(c, shape);
    if (!user) return;
    const auto body = parse_body(c, c.req.body, shape);
    if (!body) return;
    if (body->value("app_name", std::string()) != "nemo_agent") {
      send_error(c, 400, 400, "unknown app_name", shape);
      return;
    }
    const std::string path_user = body->value("user_id", std::string());
    const std::string sid = body->value("session_id", std::string());
    std::string text;
    try {
      text = body->at("new_message").at("parts").at(0).at("text").get<std::string>();
    } catch (const json::exception&) {
      send_error(c, 400, 400, "new_message.parts[0].text missing", shape);
      return;
    }
    auto turn = std::make_shared<std::vector<SseStep>>();
    {
      std::lock_guard<std::mutex> lk(mu);
      if (!user_matches(path_user, *user) || !session_ok_locked(sid, *user)) {
        send_json(c.res, 200, error_body(1002, "session not found", shape));
        return;
      }
      if (credits_available <= 0 || credits_available < turn_cost) {
        send_json(c.res, 200,
                  error_body(2001, "insufficient credits", shape, json{{"user_id", *user}}));
        return;
      }
      credits_available -= turn_cost;
      messages.push_back(text);
      if (!scripts.empty()) {
        *turn = std::move(scripts.front());
        scripts.pop_front();
      } else {
        *turn = default_script;
      }
    }
    if (c.answer_lost) {
      // The whole turn takes effect now (its drafts applied); its stream is never sent.
      std::lock_guard<std::mutex> lk(mu);
      const auto it = sessions.find(sid);
      for (const auto& step : *turn) {
        if (step.draft && it != sessions.end()) it->second.draft = *step.draft;
      }
      return;
    }
    c.res.status = 200;
    c.res.set_header("Cache-Control", "no-cache");
    c.res.set_header("X-Accel-Buffering", "no");
    auto next = std::make_shared<std::size_t>(0);
    c.res.set_chunked_content_provider(
        "text/event-stream", [this, turn, next, sid](std::size_t, httplib::DataSink& sink) {
          if (*next >= turn->size()) {
            sink.done();
            return true;
          }
          const SseStep& step = (*turn)[(*next)++];
          if (step.delay_ms > 0 && !wait_or_stop(std::chrono::milliseconds(step.delay_ms)))
            return false;
          if (is_stopping()) return false;
          if (step.draft) {
            std::lock_guard<std::mutex> lk(mu);
            const auto it = sessions.find(sid);
            if (it != sessions.end()) it->second.draft = *step.draft;
          }
          if (!step.bytes.empty() && !sink.write(step.bytes.data(), step.bytes.size()))
            return false;
          if (step.cut) return false;  // httplib closes without the terminating chunk
          if (*next >= turn->size()) sink.done();
          return true;
        });
  }

  void on_upload(Call& c) {
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

  void on_credits(Call& c) {
    const bool shape = general_shape();
    if (!authorize(c, shape)) return;
    json data;
    {
      std::lock_guard<std::mutex> lk(mu);
      data = json{{"available", credits_available},
                  {"frozen", credits_frozen},
                  {"total", credits_available + credits_frozen}};
    }
    send_ok(c, data, shape);
  }

  void on_state(Call& c) {
    const bool shape = general_shape();
    const auto user = authorize(c, shape);
    if (!user) return;
    const std::string sid = c.req.matches[2].str();
    json data;
    {
      std::lock_guard<std::mutex> lk(mu);
      if (!user_matches(c.req.matches[1].str(), *user) || !session_ok_locked(sid, *user)) {
        send_json(c.res, 200, error_body(1002, "session not found", shape));
        return;
      }
      const Session& s = sessions[sid];
      data = json{{"session_id", sid},
                  {"user_id", *user},
                  {"state",
                   {{"draft", s.draft},
                    {"video_infos", s.video_infos},
                    {"generated_media", json::array()},
                    {"video_analyses", json::array()},
                    {"canvas_config",
                     {{"width", canvas_w}, {"height", canvas_h}, {"aspect_ratio", canvas_aspect}}}}}};
    }
    send_ok(c, data, shape);
  }

  /// Status name for a canonical status, under the configured naming; caller holds `mu`.
  std::string status_name_locked(const std::string& canonical) const {
    if (status_names == RenderStatusNames::QueuedRendering) {
      if (canonical == "pending") return "queued";
      if (canonical == "processing") return "rendering";
    }
    return canonical;
  }

  void on_render_submit(Call& c) {
    const bool shape = render_shape();
    if (!authorize(c, shape)) return;
    for (const char* h : {"X-Skill-Source", "X-Skill-Version", "X-Skill-Platform"}) {
      if (c.req.get_header_value(h).empty()) {
        send_error(c, 402, 402,
                   std::string("export needs attribution headers (missing ") + h + ")", shape);
        return;
      }
    }
    const auto body = parse_body(c, c.req.body, shape);
    if (!body) return;
    const std::string id = body->value("id", std::string());
    const std::string sid = body->value("sessionId", std::string());
    if (id.empty()) {
      send_error(c, 400, 400, "id missing", shape);
      return;
    }
    json data;
    {
      std::lock_guard<std::mutex> lk(mu);
      if (jobs.count(id) != 0) {
        send_json(c.res, 409, error_body(409, "render id already exists", shape));
        return;
      }
      if (sessions.count(sid) == 0) {
        send_json(c.res, 200, error_body(1002, "session not found", shape));
        return;
      }
      Job job;
      job.info.id = id;
      job.info.session_id = sid;
      job.info.draft = body->value("draft", json());
      job.info.output = body->value("output", json());
      job.info.status = "pending";
      job.created_ms = now_ms();
      jobs[id] = job;
      job_order.push_back(id);
      data = json{{"id", id}, {"status", status_name_locked("pending")}, {"progress", 5}};
    }
    send_ok(c, data, shape);
  }

  void on_render_poll(Call& c) {
    const bool shape = render_shape();
    if (!authorize(c, shape)) return;
    const std::string id = c.req.matches[1].str();
    json data;
    {
      std::lock_guard<std::mutex> lk(mu);
      const auto it = jobs.find(id);
      if (it == jobs.end()) {
        send_json(c.res, 404, error_body(404, "render not found", shape));
        return;
      }
      Job& job = it->second;
      auto& info = job.info;
      ++info.polls;
      int progress = 100;
      if (info.status == "pending" || info.status == "processing") {
        if (info.polls >= render_polls) {
          info.status = render_fails ? "failed" : "completed";
          job.completed_ms = now_ms();
        } else {
          info.status = "processing";
          progress = 5 + 90 * info.polls / std::max(render_polls, 1);
        }
      }
      if (info.status == "cancelled" || info.status == "failed") progress = 0;
      data = json{{"id", id},
                  {"status", status_name_locked(info.status)},
                  {"progress", progress},
                  {"createdAt", job.created_ms}};
      if (info.status == "completed") {
        data["completedAt"] = job.completed_ms;
        const std::string url = base_url() + "/files/" + url_escape_segment(id) + ".mp4";
        if (url_shape != RenderUrlShape::OutputDotUrl) data["outputUrl"] = url;
        if (url_shape != RenderUrlShape::OutputUrl) data["output"] = json{{"url", url}};
      } else if (info.status == "failed") {
        data["error"] = "render failed";
      }
    }
    send_ok(c, data, shape);
  }

  void on_render_cancel(Call& c) {
    const bool shape = render_shape();
    if (!authorize(c, shape)) return;
    const std::string id = c.req.matches[1].str();
    json data;
    {
      std::lock_guard<std::mutex> lk(mu);
      const auto it = jobs.find(id);
      if (it == jobs.end()) {
        send_json(c.res, 404, error_body(404, "render not found", shape));
        return;
      }
      auto& info = it->second.info;
      if (info.status == "completed" || info.status == "failed") {
        send_json(c.res, 409, error_body(409, "render already finished", shape));
        return;
      }
      info.status = "cancelled";
      data = json{{"id", id}, {"status", "cancelled"}};
    }
    send_ok(c, data, shape);
  }

  void on_render_download(Call& c) {
    const bool shape = general_shape();
    if (!authorize(c, shape)) return;
    const std::string id = c.req.matches[1].str();
    {
      std::lock_guard<std::mutex> lk(mu);
      const auto it = jobs.find(id);
      if (it == jobs.end() || it->second.info.status != "completed") {
        send_json(c.res, 404, error_body(404, "no completed render with this id", shape));
        return;
      }
    }
    serve_download(c);
  }

  void on_files(Call& c) { serve_download(c); }

  void serve_download(Call& c) {
    std::optional<std::filesystem::path> path;
    std::shared_ptr<const std::string> bytes;
    std::uint64_t bps = 0;
    std::uint64_t cut = 0;
    bool do_cut = false;
    {
      std::lock_guard<std::mutex> lk(mu);
      path = download_file;
      bytes = download_bytes;
      bps = throttle_bps;
      if (!download_disposition.empty()) c.res.set_header("Content-Disposition", download_disposition);
      if (cut_times > 0) {
        --cut_times;
        do_cut = true;
        cut = cut_bytes;
      }
    }
    std::uint64_t size = 0;
    std::shared_ptr<std::ifstream> file;
    if (path) {
      std::error_code ec;
      size = std::filesystem::file_size(*path, ec);
      file = std::make_shared<std::ifstream>(*path, std::ios::binary);
      if (ec || !*file) {
        send_error(c, 404, 404, "download file missing", general_shape());
        return;
      }
    } else {
      size = bytes->size();
    }

    std::uint64_t start = 0;
    std::uint64_t end = size;  // exclusive
    c.res.set_header("Accept-Ranges", "bytes");
    if (c.range) {
      const long long first = c.range->first;
      const long long last = c.range->second;
      if (first < 0 && last >= 0) {  // suffix: bytes=-N
        const auto n = static_cast<std::uint64_t>(last);
        start = n >= size ? 0 : size - n;
      } else if (first >= 0) {
        start = static_cast<std::uint64_t>(first);
        if (last >= 0) end = std::min(size, static_cast<std::uint64_t>(last) + 1);
      }
      if (start >= size || start >= end) {
        c.res.status = 416;
        c.res.set_header("Content-Range", "bytes */" + std::to_string(size));
        return;
      }
      c.res.status = 206;
      c.res.set_header("Content-Range", "bytes " + std::to_string(start) + "-" +
                                            std::to_string(end - 1) + "/" + std::to_string(size));
    } else {
      c.res.status = 200;
    }
    const std::uint64_t length = end - start;
    if (length == 0) {
      c.res.set_content(std::string(), "video/mp4");
      return;
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto buffer = std::make_shared<std::vector<char>>(kDownloadChunk);
    c.res.set_content_provider(
        static_cast<std::size_t>(length), "video/mp4",
        [this, file, bytes, buffer, start, bps, do_cut, cut, t0](
            std::size_t offset, std::size_t remaining, httplib::DataSink& sink) {
          if (is_stopping()) return false;
          const std::uint64_t sent = offset;
          if (do_cut && sent >= cut) return false;  // drop the connection mid-body
          std::uint64_t n = std::min<std::uint64_t>(remaining, kDownloadChunk);
          if (bps > 0) n = std::min<std::uint64_t>(n, std::max<std::uint64_t>(1, bps / 20));
          if (do_cut) n = std::min<std::uint64_t>(n, cut - sent);
          const char* data = nullptr;
          if (file) {
            file->seekg(static_cast<std::streamoff>(start + sent));
            file->read(buffer->data(), static_cast<std::streamsize>(n));
            if (file->gcount() != static_cast<std::streamsize>(n)) return false;
            data = buffer->data();
          } else {
            data = bytes->data() + start + sent;
          }
          if (!sink.write(data, static_cast<std::size_t>(n))) return false;
          if (bps > 0) {
            const auto due = t0 + std::chrono::microseconds(
                                      static_cast<std::int64_t>((sent + n) * 1000000 / bps));
            const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
                due - std::chrono::steady_clock::now());
            if (wait.count() > 0 && !wait_or_stop(wait)) return false;
          }
          return true;
        });
  }

  void on_not_found(Call& c) {
    send_error(c, 404, 404, "no route for " + c.req.method + " " + c.req.path, general_shape());
  }

  // ---- wiring ----------------------------------------------------------------------------

  void route_get(const std::string& pattern, Handler h) {
    server.Get(pattern, [this, h](const httplib::Request& req, httplib::Response& res) {
      dispatch(req, res, nullptr, h);
    });
  }
  void route_post(const std::string& pattern, Handler h) {
    server.Post(pattern, [this, h](const httplib::Request& req, httplib::Response& res) {
      dispatch(req, res, nullptr, h);
    });
  }

  void install_routes() {
    route_post(R"(/api/auth/anonymous-token)", &Impl::on_token);
    route_post(R"(/api/tasks/([^/]+)/with-session/nemo_agent)", &Impl::on_create_session);
    route_post(R"(/run_sse)", &Impl::on_run_sse);
    server.Post(R"(/api/upload-video/nemo_agent/([^/]+)/([^/]+))",
                [this](const httplib::Request& req, httplib::Response& res,
                       const httplib::ContentReader& reader) {
                  dispatch(req, res, &reader, &Impl::on_upload);
                });
    route_get(R"(/api/credits/balance/simple)", &Impl::on_credits);
    route_get(R"(/api/state/nemo_agent/([^/]+)/([^/]+)/latest)", &Impl::on_state);
    route_post(R"(/api/render/proxy/lambda)", &Impl::on_render_submit);
    route_post(R"(/api/render/proxy/lambda/([^/]+)/cancel)", &Impl::on_render_cancel);
    route_get(R"(/api/render/proxy/lambda/([^/]+))", &Impl::on_render_poll);
    route_get(R"(/api/render/proxy/([^/]+)/download)", &Impl::on_render_download);
    route_get(R"(/files/([^/]+))", &Impl::on_files);
    route_get(R"(.*)", &Impl::on_not_found);
    route_post(R"(.*)", &Impl::on_not_found);
    auto other = [this](const httplib::Request& req, httplib::Response& res) {
      dispatch(req, res, nullptr, &Impl::on_not_found);
    };
    server.Put(R"(.*)", other);
    server.Delete(R"(.*)", other);
    server.Patch(R"(.*)", other);
    server.Options(R"(.*)", other);
  }
};

// ------------------------------------------------------------------------------------------
// FakeNemoServer

FakeNemoServer::FakeNemoServer() : FakeNemoServer(FakeNemoServerOptions{}) {}

FakeNemoServer::FakeNemoServer(const FakeNemoServerOptions& options)
    : impl_(std::make_unique<Impl>(options)) {
  Impl& s = *impl_;
  const auto threads = static_cast<std::size_t>(std::max(options.threads, 2));
  s.server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.server.set_keep_alive_timeout(std::max(options.keep_alive_timeout_s, 1));
  s.server.set_read_timeout(std::max(options.read_timeout_s, 1), 0);
  s.server.set_write_timeout(std::max(options.write_timeout_s, 1), 0);
  s.server.set_tcp_nodelay(true);
  s.install_routes();
  s.bound_port = s.server.bind_to_any_port("127.0.0.1");
  if (s.bound_port <= 0) throw std::runtime_error("FakeNemoServer: cannot bind 127.0.0.1");
  s.thread = std::thread([&s] { s.server.listen_after_bind(); });
  // listen_after_bind() sets is_running() before accepting; stop() is a no-op before that.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!s.server.is_running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!s.server.is_running()) {
    s.server.stop();
    if (s.thread.joinable()) s.thread.join();
    throw std::runtime_error("FakeNemoServer: server thread did not start");
  }
}

FakeNemoServer::~FakeNemoServer() { stop(); }

void FakeNemoServer::stop() {
  Impl& s = *impl_;
  if (s.stopped.exchange(true)) return;
  {
    std::lock_guard<std::mutex> lk(s.mu);
    s.stopping = true;
  }
  s.cv.notify_all();
  s.server.stop();
  if (s.thread.joinable()) s.thread.join();
}

std::string FakeNemoServer::base_url() const { return impl_->base_url(); }
int FakeNemoServer::port() const { return impl_->bound_port; }

void FakeNemoServer::set_success_envelope(bool on) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->success_envelope = on;
}
void FakeNemoServer::set_render_success_envelope(bool on) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->render_success_envelope = on;
}
void FakeNemoServer::set_auth_failure_http_401(bool on) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->auth_401 = on;
}

void FakeNemoServer::set_token_limit(int per_client_id, int retry_after_s) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->token_limit = per_client_id;
  impl_->retry_after_s = retry_after_s;
}
void FakeNemoServer::set_token_ttl(std::chrono::seconds ttl) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->token_ttl = ttl;
}
FakeNemoServer::IssuedToken FakeNemoServer::issue_token(const std::string& client_id) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->issue_locked(client_id);
}
void FakeNemoServer::revoke_tokens() {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  for (auto& [token, info] : impl_->tokens) info.revoked = true;
}
int FakeNemoServer::tokens_issued() const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->token_counter;
}

void FakeNemoServer::drop_sessions() {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->sessions.clear();
}
std::string FakeNemoServer::add_session(const std::string& user_id) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->add_session_locked(user_id).first;
}
std::vector<std::string> FakeNemoServer::session_ids() const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<std::string> out;
  for (const auto& [sid, s] : impl_->sessions) out.push_back(sid);
  return out;
}
void FakeNemoServer::set_credits(int available, int frozen) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->credits_available = available;
  impl_->credits_frozen = frozen;
}
int FakeNemoServer::credits_available() const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->credits_available;
}
void FakeNemoServer::set_turn_cost(int credits) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->turn_cost = credits;
}
void FakeNemoServer::set_draft(const nlohmann::json& d) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->default_draft = d;
  for (auto& [sid, s] : impl_->sessions) s.draft = d;
}
nlohmann::json FakeNemoServer::draft(const std::string& session_id) const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  const auto it = impl_->sessions.find(session_id);
  return it == impl_->sessions.end() ? nlohmann::json() : it->second.draft;
}
void FakeNemoServer::set_canvas(int width, int height, const std::string& aspect_ratio) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->canvas_w = width;
  impl_->canvas_h = height;
  impl_->canvas_aspect = aspect_ratio;
}

void FakeNemoServer::script_next_turn(std::vector<SseStep> steps) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->scripts.push_back(std::move(steps));
}
void FakeNemoServer::set_default_script(std::vector<SseStep> steps) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->default_script = std::move(steps);
}
std::vector<SseStep> FakeNemoServer::builtin_default_script() {
  return {
      SseStep::heartbeat(),
      SseStep::tool_call("edit_timeline", json{{"action", "add_bgm"}, {"style", "lo-fi"}}),
      SseStep::tool_result("edit_timeline", json{{"ok", true}, {"tracks", 3}}),
      SseStep::text("I added a Lo-fi background track at 35% volume."),
      SseStep::text(" Click Export to download your video."),
  };
}
std::vector<std::string> FakeNemoServer::chat_messages() const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->messages;
}

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

void FakeNemoServer::set_render_polls(int polls_to_complete) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->render_polls = polls_to_complete;
}
void FakeNemoServer::set_render_fails(bool fail) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->render_fails = fail;
}
void FakeNemoServer::set_render_status_names(RenderStatusNames names) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->status_names = names;
}
void FakeNemoServer::set_render_url_shape(RenderUrlShape shape) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->url_shape = shape;
}
std::vector<RenderJobInfo> FakeNemoServer::render_jobs() const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<RenderJobInfo> out;
  for (const auto& id : impl_->job_order) out.push_back(impl_->jobs.at(id).info);
  return out;
}

void FakeNemoServer::set_download_file(const std::filesystem::path& path) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->download_file = path;
}
void FakeNemoServer::set_download_bytes(std::string bytes) {
  auto shared = std::make_shared<const std::string>(std::move(bytes));
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->download_file.reset();
  impl_->download_bytes = std::move(shared);
}
std::string FakeNemoServer::download_content() const {
  std::optional<std::filesystem::path> path;
  std::shared_ptr<const std::string> bytes;
  {
    const std::lock_guard<std::mutex> lock(impl_->mu);
    path = impl_->download_file;
    bytes = impl_->download_bytes;
  }
  if (!path) return *bytes;
  std::string out;
  return read_whole_file(*path, out) ? out : std::string();
}
void FakeNemoServer::set_download_throttle(std::uint64_t bytes_per_second) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->throttle_bps = bytes_per_second;
}
void FakeNemoServer::cut_download_after(std::uint64_t bytes, int times) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->cut_bytes = bytes;
  impl_->cut_times = times;
}

void FakeNemoServer::set_download_disposition(std::string value) {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->download_disposition = std::move(value);
}

void FakeNemoServer::fail_next(const std::string& path_regex, int count, int status,
                               std::string body, HeaderList headers) {
  Impl::Fault f{Impl::FaultKind::Fail, std::regex(path_regex), count, status, std::move(body),
                std::move(headers), 0, 0, false};
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->faults.push_back(std::move(f));
}
void FakeNemoServer::delay_next(const std::string& path_regex, int count, int ms) {
  Impl::Fault f{Impl::FaultKind::Delay, std::regex(path_regex), count, 0, {}, {}, ms, 0, false};
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->faults.push_back(std::move(f));
}
void FakeNemoServer::hang_next(const std::string& path_regex, int count) {
  Impl::Fault f{Impl::FaultKind::Hang, std::regex(path_regex), count, 0, {}, {}, 0, 0, false};
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->faults.push_back(std::move(f));
}
void FakeNemoServer::redirect_next(const std::string& path_regex, std::string location, int count,
                                   int status) {
  Impl::Fault f{Impl::FaultKind::Redirect, std::regex(path_regex), count, status,
                std::move(location), {}, 0, 0, false};
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->faults.push_back(std::move(f));
}
void FakeNemoServer::truncate_next(const std::string& path_regex, int count, std::string body,
                                   std::uint64_t send_bytes, int status) {
  Impl::Fault f{Impl::FaultKind::Truncate, std::regex(path_regex), count, status,
                std::move(body), {}, 0, send_bytes, false};
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->faults.push_back(std::move(f));
}
void FakeNemoServer::huge_next(const std::string& path_regex, int count, std::uint64_t bytes,
                               bool chunked) {
  Impl::Fault f{Impl::FaultKind::Huge, std::regex(path_regex), count, 200, {}, {}, 0, bytes,
                chunked};
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->faults.push_back(std::move(f));
}
void FakeNemoServer::trickle_next(const std::string& path_regex, int count, std::string body,
                                  int ms_per_byte, int status) {
  Impl::Fault f{Impl::FaultKind::Trickle, std::regex(path_regex), count, status,
                std::move(body), {}, ms_per_byte, 0, false};
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->faults.push_back(std::move(f));
}
void FakeNemoServer::lose_answer_next(const std::string& path_regex, int count, int status, std::string body) {
  Impl::Fault f{Impl::FaultKind::LoseAnswer, std::regex(path_regex), count, status, std::move(body), {}, 0, 0, false};
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->faults.push_back(std::move(f));
}
void FakeNemoServer::clear_faults() {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->faults.clear();
}

std::vector<RecordedRequest> FakeNemoServer::requests() const {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->log;
}
std::vector<RecordedRequest> FakeNemoServer::requests(const std::string& path_regex) const {
  const std::regex re(path_regex);
  const std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<RecordedRequest> out;
  for (const auto& r : impl_->log)
    if (std::regex_search(r.path, re)) out.push_back(r);
  return out;
}
void FakeNemoServer::clear_requests() {
  const std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->log.clear();
  ++impl_->log_generation;
}

}  // namespace mvtest
