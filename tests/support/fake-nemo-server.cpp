// fake-nemo-server.cpp — the fake NemoVideo server's core (see fake-nemo-server.hpp): the
// request pipeline (log, faults, dispatch), the route table, start and stop, the envelope
// switches and the request log. The routes and setters of each topic are in the other
// fake-nemo-server-*.cpp files (listed in fake-nemo-server-impl.hpp).
// Built on cpp-httplib 0.11.4 (Debian).
//
// Notes on httplib behaviour this file relies on (checked against the 0.11.4 source):
//  * Regular handlers get the whole body in req.body; the upload route uses the
//    content-reader form so multipart parts stream through a byte counter.
//  * httplib applies `Range` itself to every answer; handlers clear req.ranges (the Request
//    object is a non-const local inside httplib) and the download handler does ranges itself.
//  * A chunked content provider returning false makes httplib close the connection without
//    the terminating chunk: that is how "cut" works, for SSE and downloads alike.
//  * Content-Type must be exactly "text/event-stream" for SSE, or httplib would gzip it.
#include "fake-nemo-server-impl.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace mvtest {

namespace {

constexpr std::size_t kLoggedBodyMax = 64 * 1024;
constexpr auto kHangLimit = std::chrono::seconds(60);

}  // namespace

namespace fake_detail {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
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

}  // namespace fake_detail

// ------------------------------------------------------------------------------------------
// RecordedRequest

std::string RecordedRequest::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

bool RecordedRequest::has_header(const std::string& lower_name) const {
  return headers.count(lower_name) != 0;
}

// ------------------------------------------------------------------------------------------
// Impl: the request pipeline and the route table

std::optional<json> FakeNemoServer::Impl::parse_body(Call& c, const std::string& body, bool success_shape) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    send_error(c, 400, 400, "body must be a JSON object", success_shape);
    return std::nullopt;
  }
  return j;
}

void FakeNemoServer::Impl::drain(Call& c) {
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

void FakeNemoServer::Impl::update_log(const Call& c, const std::string& body, std::uint64_t size, bool set_body) {
  std::lock_guard<std::mutex> lk(mu);
  if (c.log_generation != log_generation || c.log_index >= log.size()) return;
  auto& r = log[c.log_index];
  if (set_body) r.body = body.substr(0, kLoggedBodyMax);
  r.body_size = size;
}

FakeNemoServer::Impl::Plan FakeNemoServer::Impl::log_and_plan(Call& c) {
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

void FakeNemoServer::Impl::dispatch(const httplib::Request& req, httplib::Response& res,
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

void FakeNemoServer::Impl::on_not_found(Call& c) {
  send_error(c, 404, 404, "no route for " + c.req.method + " " + c.req.path, general_shape());
}

void FakeNemoServer::Impl::route_get(const std::string& pattern, Handler h) {
  server.Get(pattern, [this, h](const httplib::Request& req, httplib::Response& res) {
    dispatch(req, res, nullptr, h);
  });
}

void FakeNemoServer::Impl::route_post(const std::string& pattern, Handler h) {
  server.Post(pattern, [this, h](const httplib::Request& req, httplib::Response& res) {
    dispatch(req, res, nullptr, h);
  });
}

void FakeNemoServer::Impl::install_routes() {
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
