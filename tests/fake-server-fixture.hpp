// fake-server-fixture.hpp — what the fake server's own suites share (test-fake-server.cpp,
// test-fake-server-streams.cpp): FakeServerTest, a fresh FakeNemoServer with an httplib::Client
// that already holds an anonymous token, and helpers to create sessions, stream chat turns and
// submit renders.
#pragma once

#include <gtest/gtest.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fake-nemo-server.hpp"

namespace fake_server_test {

using mvtest::FakeNemoServer;
using mvtest::RenderStatusNames;
using mvtest::RenderUrlShape;
using mvtest::SseStep;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

inline long long ms_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}

inline json parse(const httplib::Result& r) { return json::parse(r->body); }

class FakeServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cli.set_read_timeout(10, 0);
    auto r = cli.Post("/api/auth/anonymous-token", {{"X-Client-Id", "client-A"}}, "", "");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    const json j = parse(r);
    token = j["data"]["token"].get<std::string>();
    user = j["data"]["user_id"].get<std::string>();
  }

  httplib::Headers auth() const { return {{"Authorization", "Bearer " + token}}; }
  httplib::Headers auth_attr() const {
    return {{"Authorization", "Bearer " + token},
            {"X-Skill-Source", "ai-music-video-clip-generator"},
            {"X-Skill-Version", "1.0.0"},
            {"X-Skill-Platform", "unknown"}};
  }

  httplib::Result post_json(const std::string& path, const json& body,
                            const httplib::Headers& headers) {
    return cli.Post(path, headers, body.dump(), "application/json");
  }

  std::string new_session() {
    auto r = post_json("/api/tasks/me/with-session/nemo_agent",
                       {{"task_name", "project"}, {"language", "en"}}, auth());
    EXPECT_TRUE(r);
    return parse(r)["data"]["session_id"].get<std::string>();
  }

  json chat_body(const std::string& sid, const std::string& text) const {
    return {{"app_name", "nemo_agent"},
            {"user_id", "me"},
            {"session_id", sid},
            {"new_message", {{"parts", json::array({json{{"text", text}}})}}}};
  }

  /// Streams POST /run_sse; returns the result, the bytes in `got`.
  httplib::Result stream_chat(httplib::Client& c, const std::string& sid, std::string& got,
                              std::atomic<bool>* first_bytes = nullptr) {
    httplib::Request req;
    req.method = "POST";
    req.path = "/run_sse";
    req.headers = auth();
    req.set_header("Accept", "text/event-stream");
    req.set_header("Content-Type", "application/json");
    req.body = chat_body(sid, "add lo-fi music").dump();
    req.content_receiver = [&got, first_bytes](const char* d, size_t n, uint64_t, uint64_t) {
      got.append(d, n);
      if (first_bytes != nullptr) *first_bytes = true;
      return true;
    };
    return c.send(req);
  }

  std::string submit_render(const std::string& id, const std::string& sid) {
    auto r = post_json("/api/render/proxy/lambda",
                       {{"id", id},
                        {"sessionId", sid},
                        {"draft", srv.draft(sid)},
                        {"output", {{"format", "mp4"}, {"quality", "high"}}}},
                       auth_attr());
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    return r->body;
  }

  FakeNemoServer srv;
  httplib::Client cli{srv.base_url()};
  std::string token;
  std::string user;
};

}  // namespace fake_server_test
