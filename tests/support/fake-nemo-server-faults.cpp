// fake-nemo-server-faults.cpp — the fake NemoVideo server's fault injection: the faults a
// test queues (fail_next, delay_next, hang_next, redirect_next, truncate_next, huge_next,
// trickle_next, lose_answer_next) and the answers that cut, bloat or trickle a body.
// Which fault applies to a request is decided in fake-nemo-server.cpp (log_and_plan).
#include "fake-nemo-server-impl.hpp"

#include <algorithm>

namespace mvtest {

const char* FakeNemoServer::Impl::fault_name(FaultKind kind) {
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

std::string FakeNemoServer::Impl::fault_content_type(const std::string& body) {
  if (!body.empty() && (body.front() == '{' || body.front() == '[')) return "application/json";
  if (body.rfind("data:", 0) == 0 || (!body.empty() && body.front() == ':')) return "text/event-stream";
  return "text/plain";
}

/// Announces the whole body, sends `f.bytes` of it, then drops the connection
/// (a provider returning false makes httplib close without finishing).
void FakeNemoServer::Impl::serve_truncated(httplib::Response& res, const Fault& f) {
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
void FakeNemoServer::Impl::serve_huge(httplib::Response& res, const Fault& f) {
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
void FakeNemoServer::Impl::serve_trickle(httplib::Response& res, const Fault& f) {
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

}  // namespace mvtest
