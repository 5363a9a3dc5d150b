// fake-nemo-server-render.cpp — the fake NemoVideo server's renders: submit (attribution
// headers, duplicate ids), poll (status names, progress, URL shapes), cancel, the
// bearer-protected download fallback, and the render setters.
#include "fake-nemo-server-impl.hpp"

#include <algorithm>

namespace mvtest {

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// ------------------------------------------------------------------------------------------
// Impl: /api/render/proxy/...

std::string FakeNemoServer::Impl::status_name_locked(const std::string& canonical) const {
  if (status_names == RenderStatusNames::QueuedRendering) {
    if (canonical == "pending") return "queued";
    if (canonical == "processing") return "rendering";
  }
  return canonical;
}

void FakeNemoServer::Impl::on_render_submit(Call& c) {
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

FakeNemoServer::Impl::Job* FakeNemoServer::Impl::find_render_locked(Call& c, const std::string& id, bool shape) {
  const auto it = jobs.find(id);
  if (it == jobs.end()) {
    send_json(c.res, 404, error_body(404, "render not found", shape));
    return nullptr;
  }
  return &it->second;
}

void FakeNemoServer::Impl::on_render_poll(Call& c) {
  const bool shape = render_shape();
  if (!authorize(c, shape)) return;
  const std::string id = c.req.matches[1].str();
  json data;
  {
    std::lock_guard<std::mutex> lk(mu);
    Job* found = find_render_locked(c, id, shape);
    if (found == nullptr) return;
    Job& job = *found;
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

void FakeNemoServer::Impl::on_render_cancel(Call& c) {
  const bool shape = render_shape();
  if (!authorize(c, shape)) return;
  const std::string id = c.req.matches[1].str();
  json data;
  {
    std::lock_guard<std::mutex> lk(mu);
    Job* found = find_render_locked(c, id, shape);
    if (found == nullptr) return;
    auto& info = found->info;
    if (info.status == "completed" || info.status == "failed") {
      send_json(c.res, 409, error_body(409, "render already finished", shape));
      return;
    }
    info.status = "cancelled";
    data = json{{"id", id}, {"status", "cancelled"}};
  }
  send_ok(c, data, shape);
}

void FakeNemoServer::Impl::on_render_download(Call& c) {
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

// ------------------------------------------------------------------------------------------
// FakeNemoServer: renders

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

}  // namespace mvtest
