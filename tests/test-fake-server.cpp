// test-fake-server.cpp — checks the fake NemoVideo server itself, with httplib::Client,
// so the cloud client's tests can trust what it does.
#include <gtest/gtest.h>

#include <httplib.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "fake-nemo-server.hpp"
#include "test-support.hpp"

using mvtest::FakeNemoServer;
using mvtest::RenderStatusNames;
using mvtest::RenderUrlShape;
using mvtest::SseStep;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

long long ms_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}

json parse(const httplib::Result& r) { return json::parse(r->body); }

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

}  // namespace

TEST(FakeServerLifecycle, StartsAndStopsQuickly) {
  const auto t0 = Clock::now();
  {
    FakeNemoServer srv;
    EXPECT_GT(srv.port(), 0);
    EXPECT_EQ(srv.base_url(), "http://127.0.0.1:" + std::to_string(srv.port()));
    httplib::Client c(srv.base_url());
    auto r = c.Get("/api/credits/balance/simple");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(parse(r)["code"], 1001);  // no token
  }
  EXPECT_LT(ms_since(t0), 5000);  // well under a second here; slack for a loaded machine
  FakeNemoServer a, b;  // two at once get two ports
  EXPECT_NE(a.port(), b.port());
  a.stop();
  a.stop();  // idempotent
}

TEST_F(FakeServerTest, AnonymousTokenFlow) {
  auto r = cli.Post("/api/auth/anonymous-token", "", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(parse(r)["code"], 400);

  r = cli.Post("/api/auth/anonymous-token", {{"X-Client-Id", "client-B"}}, "", "");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const json j = parse(r);
  EXPECT_EQ(j["code"], 0);
  EXPECT_EQ(j["message"], "ok");
  EXPECT_TRUE(j["data"]["token"].get<std::string>().rfind("tok-", 0) == 0);
  EXPECT_NE(j["data"]["token"], token);
  EXPECT_NE(j["data"]["user_id"], user);  // another client id, another user
  EXPECT_TRUE(std::regex_match(j["data"]["expires_at"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  EXPECT_EQ(j["data"]["credits"], 100);

  // Same client id again: same user, new token.
  r = cli.Post("/api/auth/anonymous-token", {{"X-Client-Id", "client-A"}}, "", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["data"]["user_id"], user);

  srv.set_token_limit(3, 30);
  r = cli.Post("/api/auth/anonymous-token", {{"X-Client-Id", "client-A"}}, "", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);  // third for client-A
  r = cli.Post("/api/auth/anonymous-token", {{"X-Client-Id", "client-A"}}, "", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 429);
  EXPECT_EQ(r->get_header_value("Retry-After"), "30");
  EXPECT_EQ(parse(r)["code"], 429);
  EXPECT_EQ(srv.tokens_issued(), 4);

  srv.set_success_envelope(true);
  r = cli.Post("/api/auth/anonymous-token", {{"X-Client-Id", "client-C"}}, "", "");
  ASSERT_TRUE(r);
  const json s = parse(r);
  EXPECT_EQ(s["success"], true);
  EXPECT_FALSE(s.contains("code"));
  EXPECT_TRUE(s["data"].contains("token"));
}

TEST_F(FakeServerTest, SessionCreateBothPathForms) {
  auto r = post_json("/api/tasks/me/with-session/nemo_agent",
                     {{"task_name", "project"}, {"language", "en"}}, auth());
  ASSERT_TRUE(r);
  const json a = parse(r);
  EXPECT_EQ(a["code"], 0);
  EXPECT_FALSE(a["data"]["task_id"].get<std::string>().empty());
  EXPECT_FALSE(a["data"]["session_id"].get<std::string>().empty());
  EXPECT_EQ(a["data"]["user_id"], user);

  r = post_json("/api/tasks/" + user + "/with-session/nemo_agent",
                {{"task_name", "project"}, {"language", "en"}}, auth());
  ASSERT_TRUE(r);
  const json b = parse(r);
  EXPECT_EQ(b["code"], 0);
  EXPECT_NE(b["data"]["session_id"], a["data"]["session_id"]);
  EXPECT_EQ(srv.session_ids().size(), 2u);

  r = post_json("/api/tasks/someone-else/with-session/nemo_agent", {{"task_name", "p"}}, auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["code"], 1001);

  r = post_json("/api/tasks/me/with-session/nemo_agent", {{"task_name", "p"}}, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(parse(r)["code"], 1001);
}

TEST_F(FakeServerTest, StateAndDraft) {
  const std::string sid = new_session();
  for (const std::string& who : {std::string("me"), user}) {
    auto r = cli.Get("/api/state/nemo_agent/" + who + "/" + sid + "/latest", auth());
    ASSERT_TRUE(r);
    const json j = parse(r);
    ASSERT_EQ(j["code"], 0) << r->body;
    const json& st = j["data"]["state"];
    ASSERT_TRUE(st["draft"].contains("t"));
    EXPECT_EQ(st["draft"]["t"].size(), 3u);
    EXPECT_EQ(st["draft"]["t"][0]["tt"], 0);
    EXPECT_EQ(st["draft"]["t"][1]["tt"], 1);
    EXPECT_EQ(st["draft"]["t"][2]["tt"], 7);
    EXPECT_EQ(st["draft"]["d"], 10000);
    EXPECT_EQ(st["draft"]["m"]["title"], "Urban Dreams");
    EXPECT_TRUE(st["video_infos"].is_array());
    EXPECT_TRUE(st["generated_media"].is_array());
    EXPECT_EQ(st["canvas_config"]["width"], 1920);
    EXPECT_EQ(st["canvas_config"]["aspect_ratio"], "16:9");
  }
  srv.set_draft(json{{"t", json::array()}, {"d", 0}});
  srv.set_canvas(1080, 1920, "9:16");
  auto r = cli.Get("/api/state/nemo_agent/me/" + sid + "/latest", auth());
  ASSERT_TRUE(r);
  const json j = parse(r);
  EXPECT_EQ(j["data"]["state"]["draft"], (json{{"t", json::array()}, {"d", 0}}));
  EXPECT_EQ(j["data"]["state"]["canvas_config"]["height"], 1920);

  r = cli.Get("/api/state/nemo_agent/me/sess-unknown/latest", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["code"], 1002);
  srv.drop_sessions();
  r = cli.Get("/api/state/nemo_agent/me/" + sid + "/latest", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["code"], 1002);
}

TEST_F(FakeServerTest, Credits) {
  auto r = cli.Get("/api/credits/balance/simple", auth());
  ASSERT_TRUE(r);
  json j = parse(r);
  EXPECT_EQ(j["data"], (json{{"available", 100}, {"frozen", 0}, {"total", 100}}));
  srv.set_credits(7, 3);
  r = cli.Get("/api/credits/balance/simple", auth());
  ASSERT_TRUE(r);
  j = parse(r);
  EXPECT_EQ(j["data"], (json{{"available", 7}, {"frozen", 3}, {"total", 10}}));
}

TEST_F(FakeServerTest, UploadMultipartRecordsNamesAndSizes) {
  const std::string sid = new_session();
  const std::string a(1000, 'a');
  const std::string b(23456, 'b');
  auto r = cli.Post("/api/upload-video/nemo_agent/me/" + sid, auth(),
                    httplib::MultipartFormDataItems{{"files", a, "song.mp3", "audio/mpeg"},
                                                    {"files", b, "clip one.mp4", "video/mp4"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const json j = parse(r);
  ASSERT_EQ(j["code"], 0) << r->body;
  EXPECT_EQ(j["data"]["session_state_applied"], true);
  ASSERT_EQ(j["data"]["files"].size(), 2u);
  EXPECT_EQ(j["data"]["files"][0]["filename"], "song.mp3");
  EXPECT_EQ(j["data"]["files"][0]["file_type"], "audio");
  EXPECT_EQ(j["data"]["files"][1]["filename"], "clip one.mp4");
  EXPECT_EQ(j["data"]["files"][1]["file_type"], "video");
  for (const auto& f : j["data"]["files"]) {
    for (const char* k : {"cdn_url", "duration", "width", "height", "fps", "hash"})
      EXPECT_TRUE(f.contains(k)) << k;
  }
  auto ups = srv.uploads();
  ASSERT_EQ(ups.size(), 2u);
  EXPECT_EQ(ups[0].filename, "song.mp3");
  EXPECT_EQ(ups[0].size, a.size());
  EXPECT_EQ(ups[1].filename, "clip one.mp4");
  EXPECT_EQ(ups[1].size, b.size());
  EXPECT_TRUE(ups[0].accepted && ups[1].accepted);
  EXPECT_EQ(ups[1].session_id, sid);
  const auto logged = srv.requests("^/api/upload-video/");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_EQ(logged[0].body_size, a.size() + b.size());
  EXPECT_EQ(logged[0].content_type.rfind("multipart/form-data", 0), 0u);

  // The state now lists them.
  r = cli.Get("/api/state/nemo_agent/me/" + sid + "/latest", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["data"]["state"]["video_infos"].size(), 2u);

  // Unsupported extension → 4001; too large → 4002; URL upload.
  r = cli.Post("/api/upload-video/nemo_agent/me/" + sid, auth(),
               httplib::MultipartFormDataItems{{"files", "x", "notes.txt", "text/plain"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["code"], 4001);
  srv.set_upload_limit(100);
  r = cli.Post("/api/upload-video/nemo_agent/" + user + "/" + sid, auth(),
               httplib::MultipartFormDataItems{{"files", a, "big.mov", "video/quicktime"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["code"], 4002);
  r = post_json("/api/upload-video/nemo_agent/me/" + sid,
                {{"urls", {"https://example.invalid/v/clip.mp4"}}, {"source_type", "url"}}, auth());
  ASSERT_TRUE(r);
  const json u = parse(r);
  EXPECT_EQ(u["code"], 0) << r->body;
  EXPECT_EQ(u["data"]["files"][0]["filename"], "clip.mp4");
  ups = srv.uploads();
  ASSERT_EQ(ups.size(), 5u);
  EXPECT_FALSE(ups[2].accepted);
  EXPECT_FALSE(ups[3].accepted);
  EXPECT_TRUE(ups[4].from_url);

  // Unknown session, no token.
  r = cli.Post("/api/upload-video/nemo_agent/me/nope", auth(),
               httplib::MultipartFormDataItems{{"files", "x", "a.mp4", "video/mp4"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["code"], 1002);
  r = cli.Post("/api/upload-video/nemo_agent/me/" + sid, {},
               httplib::MultipartFormDataItems{{"files", "x", "a.mp4", "video/mp4"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["code"], 1001);
}

TEST_F(FakeServerTest, LargeUploadStreamsWithoutBuffering) {
  const std::string sid = new_session();
  constexpr std::size_t kTotal = 500u * 1024 * 1024;
  const std::string block(1024 * 1024, 'v');
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  const auto t0 = Clock::now();
  httplib::MultipartFormDataProviderItems items{
      {"files",
       [&](size_t offset, httplib::DataSink& sink) {
         if (offset >= kTotal) {
           sink.done();
           return true;
         }
         return sink.write(block.data(), std::min(block.size(), kTotal - offset));
       },
       "big.mp4", "video/mp4"}};
  auto r = cli.Post("/api/upload-video/nemo_agent/me/" + sid, auth(), {}, items);
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["code"], 0) << r->body;
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  const auto ups = srv.uploads();
  ASSERT_EQ(ups.size(), 1u);
  EXPECT_EQ(ups[0].size, kTotal);
  const long grown_kb = after.ru_maxrss - before.ru_maxrss;
  EXPECT_LT(grown_kb, 64 * 1024) << "peak RSS grew by " << grown_kb << " KiB";
  std::printf("500 MB upload: %lld ms, peak RSS growth %ld KiB\n", ms_since(t0), grown_kb);
}

TEST_F(FakeServerTest, RenderSubmitAttributionAndPolling) {
  const std::string sid = new_session();
  const json sub{{"id", "render_1"},
                 {"sessionId", sid},
                 {"draft", srv.draft(sid)},
                 {"output", {{"format", "mp4"}, {"quality", "high"}}}};
  auto r = post_json("/api/render/proxy/lambda", sub, auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 402);

  r = post_json("/api/render/proxy/lambda", sub, auth_attr());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  json j = parse(r);
  EXPECT_EQ(j, (json{{"success", true},
                     {"data", {{"id", "render_1"}, {"status", "pending"}, {"progress", 5}}}}));
  const auto jobs = srv.render_jobs();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].session_id, sid);
  EXPECT_EQ(jobs[0].draft, srv.draft(sid));

  r = post_json("/api/render/proxy/lambda", sub, auth_attr());  // duplicate id
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 409);
  EXPECT_EQ(parse(r)["success"], false);

  const std::string url = srv.base_url() + "/files/render_1.mp4";
  r = cli.Get("/api/render/proxy/lambda/render_1", auth());
  ASSERT_TRUE(r);
  j = parse(r);
  EXPECT_EQ(j["data"]["status"], "processing");
  EXPECT_GT(j["data"]["progress"].get<int>(), 5);
  EXPECT_FALSE(j["data"].contains("outputUrl"));
  r = cli.Get("/api/render/proxy/lambda/render_1", auth());
  ASSERT_TRUE(r);
  j = parse(r);
  EXPECT_EQ(j["data"]["status"], "completed");
  EXPECT_EQ(j["data"]["progress"], 100);
  EXPECT_EQ(j["data"]["outputUrl"], url);
  EXPECT_FALSE(j["data"].contains("output"));
  EXPECT_TRUE(j["data"].contains("createdAt"));
  EXPECT_TRUE(j["data"].contains("completedAt"));

  srv.set_render_url_shape(RenderUrlShape::OutputDotUrl);
  r = cli.Get("/api/render/proxy/lambda/render_1", auth());
  ASSERT_TRUE(r);
  j = parse(r);
  EXPECT_EQ(j["data"]["output"]["url"], url);
  EXPECT_FALSE(j["data"].contains("outputUrl"));
  srv.set_render_url_shape(RenderUrlShape::Both);
  r = cli.Get("/api/render/proxy/lambda/render_1", auth());
  ASSERT_TRUE(r);
  j = parse(r);
  EXPECT_EQ(j["data"]["output"]["url"], url);
  EXPECT_EQ(j["data"]["outputUrl"], url);

  // queued/rendering names, 3 polls, code envelope, failure.
  srv.set_render_status_names(RenderStatusNames::QueuedRendering);
  srv.set_render_polls(3);
  srv.set_render_success_envelope(false);
  srv.set_render_fails(true);
  j = json::parse(submit_render("render_2", sid));
  EXPECT_EQ(j["code"], 0);
  EXPECT_EQ(j["data"]["status"], "queued");
  for (const char* expected : {"rendering", "rendering", "failed"}) {
    r = cli.Get("/api/render/proxy/lambda/render_2", auth());
    ASSERT_TRUE(r);
    EXPECT_EQ(parse(r)["data"]["status"], expected);
  }

  // cancel
  submit_render("render_3", sid);
  r = cli.Post("/api/render/proxy/lambda/render_3/cancel", auth(), "", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["data"]["status"], "cancelled");
  r = cli.Get("/api/render/proxy/lambda/render_3", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["data"]["status"], "cancelled");
  r = cli.Get("/api/render/proxy/lambda/nope", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);

  // The attribution headers are in the log, names in lower case.
  const auto logged = srv.requests("^/api/render/proxy/lambda$");
  ASSERT_GE(logged.size(), 2u);
  EXPECT_FALSE(logged[0].has_header("x-skill-source"));
  EXPECT_EQ(logged[1].header("x-skill-source"), "ai-music-video-clip-generator");
  EXPECT_EQ(logged[1].header("x-skill-platform"), "unknown");
  EXPECT_EQ(json::parse(logged[1].body)["id"], "render_1");
}

TEST_F(FakeServerTest, DownloadWithRangeCutAndThrottle) {
  mvtest::TempDir dir;
  std::string content(300000, '\0');
  for (std::size_t i = 0; i < content.size(); ++i)
    content[i] = static_cast<char>((i * 131u + 7u) & 0xffu);
  {
    std::ofstream out(dir / "out.mp4", std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
  }
  srv.set_download_file(dir / "out.mp4");
  EXPECT_EQ(srv.download_content(), content);

  auto r = cli.Get("/files/render_9.mp4");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Length"), std::to_string(content.size()));
  EXPECT_EQ(r->get_header_value("Content-Type"), "video/mp4");
  EXPECT_EQ(r->body, content);

  r = cli.Get("/files/render_9.mp4", {{"Range", "bytes=100000-"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 206);
  EXPECT_EQ(r->get_header_value("Content-Range"), "bytes 100000-299999/300000");
  EXPECT_EQ(r->body, content.substr(100000));
  r = cli.Get("/files/render_9.mp4", {{"Range", "bytes=10-19"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 206);
  EXPECT_EQ(r->body, content.substr(10, 10));
  r = cli.Get("/files/render_9.mp4", {{"Range", "bytes=300000-"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 416);

  // Bearer-protected fallback: needs a token and a completed job.
  const std::string sid = new_session();
  srv.set_render_polls(1);
  submit_render("render_9", sid);
  r = cli.Get("/api/render/proxy/render_9/download", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);  // not completed yet
  ASSERT_TRUE(cli.Get("/api/render/proxy/lambda/render_9", auth()));
  r = cli.Get("/api/render/proxy/render_9/download");
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["code"], 1001);
  httplib::Headers ranged = auth();
  ranged.emplace("Range", "bytes=299990-");
  r = cli.Get("/api/render/proxy/render_9/download", ranged);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 206);
  EXPECT_EQ(r->body, content.substr(299990));

  // Cut after N bytes, then resume with Range.
  srv.cut_download_after(120000);
  std::string got;
  r = cli.Get("/files/render_9.mp4", [&](const char* d, size_t n) {
    got.append(d, n);
    return true;
  });
  EXPECT_FALSE(r);  // connection dropped before Content-Length bytes
  EXPECT_EQ(got, content.substr(0, 120000));
  r = cli.Get("/files/render_9.mp4", {{"Range", "bytes=" + std::to_string(got.size()) + "-"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 206);
  EXPECT_EQ(got + r->body, content);

  // Throttle: 64 KiB at 256 KiB/s takes about 250 ms.
  srv.set_download_bytes(std::string(64 * 1024, 'x'));
  srv.set_download_throttle(256 * 1024);
  const auto t0 = Clock::now();
  r = cli.Get("/files/a.mp4");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.size(), 64u * 1024);
  EXPECT_GE(ms_since(t0), 200);
  EXPECT_LT(ms_since(t0), 10000);  // throttled, not stalled; slack for a loaded machine
}

TEST_F(FakeServerTest, SseDefaultScriptArrivesAsText) {
  const std::string sid = new_session();
  std::string expected;
  for (const auto& s : FakeNemoServer::builtin_default_script()) expected += s.bytes;
  EXPECT_NE(expected.find(R"({"type":"heartbeat"})"), std::string::npos);
  EXPECT_NE(expected.find(R"("type":"tool_call")"), std::string::npos);

  std::string got;
  auto r = stream_chat(cli, sid, got);
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/event-stream");
  EXPECT_EQ(r->get_header_value("Transfer-Encoding"), "chunked");
  EXPECT_EQ(got, expected);
  EXPECT_EQ(srv.chat_messages(), std::vector<std::string>{"add lo-fi music"});
  EXPECT_EQ(got.substr(0, 6), "data: ");

  // A scripted turn that changes the draft, waits, then cuts mid-event.
  const json new_draft{{"t", json::array({json{{"tt", 0}, {"sg", json::array()}}})}};
  srv.script_next_turn({SseStep::text("first"), SseStep::set_draft(new_draft),
                        SseStep::heartbeat(100), SseStep::cut_after(R"(data: {"type":"te)")});
  got.clear();
  const auto t0 = Clock::now();
  r = stream_chat(cli, sid, got);
  EXPECT_FALSE(r);  // the chunked body never ended
  EXPECT_GE(ms_since(t0), 100);
  EXPECT_EQ(got, SseStep::text("first").bytes + SseStep::heartbeat().bytes +
                     R"(data: {"type":"te)");
  EXPECT_EQ(srv.draft(sid), new_draft);

  // Back to the default script.
  got.clear();
  r = stream_chat(cli, sid, got);
  ASSERT_TRUE(r);
  EXPECT_EQ(got, expected);

  // No credits: JSON 2001 before any streaming.
  srv.set_credits(0);
  got.clear();
  r = stream_chat(cli, sid, got);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(got)["code"], 2001);
  srv.set_credits(100);
  srv.drop_sessions();
  got.clear();
  r = stream_chat(cli, sid, got);
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(got)["code"], 1002);
}

TEST_F(FakeServerTest, FailNextDelayNextRedirectNext) {
  srv.fail_next("^/api/credits/", 2, 503, R"({"error":"busy"})", {{"Retry-After", "1"}});
  for (int i = 0; i < 2; ++i) {
    auto r = cli.Get("/api/credits/balance/simple", auth());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(r->body, R"({"error":"busy"})");
    EXPECT_EQ(r->get_header_value("Retry-After"), "1");
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  }
  auto r = cli.Get("/api/credits/balance/simple", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const auto logged = srv.requests("^/api/credits/");
  ASSERT_EQ(logged.size(), 3u);
  EXPECT_EQ(logged[0].injected, "fail");
  EXPECT_EQ(logged[2].injected, "");

  // A failed upload still reads its body, so the connection stays usable.
  const std::string sid = new_session();
  srv.fail_next("upload-video", 1, 500, "oops");
  httplib::Client keep(srv.base_url());
  keep.set_keep_alive(true);
  r = keep.Post("/api/upload-video/nemo_agent/me/" + sid, auth(),
                httplib::MultipartFormDataItems{{"files", std::string(5000, 'z'), "a.mp4", "video/mp4"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body, "oops");
  r = keep.Get("/api/credits/balance/simple", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);

  srv.delay_next("balance", 1, 300);
  const auto t0 = Clock::now();
  r = cli.Get("/api/credits/balance/simple", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_GE(ms_since(t0), 300);
  EXPECT_EQ(srv.requests("balance").back().injected, "delay");
  // The delay was for one request only: the next is not delayed (read from the log, not
  // timed, so a loaded machine cannot fail it).
  r = cli.Get("/api/credits/balance/simple", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(srv.requests("balance").back().injected, "");

  srv.redirect_next("^/files/", "file:///etc/passwd");
  r = cli.Get("/files/x.mp4");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 302);
  EXPECT_EQ(r->get_header_value("Location"), "file:///etc/passwd");
  r = cli.Get("/files/x.mp4");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);

  // Query strings are logged apart from the path; unknown routes answer JSON 404.
  r = cli.Get("/no/such/route?a=1&b=2", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(parse(r)["code"], 404);
  const auto last = srv.requests().back();
  EXPECT_EQ(last.path, "/no/such/route");
  EXPECT_EQ(last.query, "a=1&b=2");
  EXPECT_EQ(last.header("authorization"), "Bearer " + token);
  srv.clear_requests();
  EXPECT_TRUE(srv.requests().empty());
}

TEST_F(FakeServerTest, HangNextEndsOnStop) {
  srv.hang_next("balance", 1);
  std::atomic<bool> done{false};
  std::thread client([&] {
    httplib::Client c(srv.base_url());
    c.set_read_timeout(30, 0);
    (void)c.Get("/api/credits/balance/simple", auth());
    done = true;
  });
  for (int i = 0; i < 3000 && srv.requests("balance").empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(done);  // still hanging
  const auto t0 = Clock::now();
  srv.stop();
  EXPECT_LT(ms_since(t0), 5000);  // at once, not the 60 s hang limit; slack for a loaded machine
  client.join();
  EXPECT_TRUE(done);
}

TEST_F(FakeServerTest, RevokedTokensAnswer1001) {
  auto r = cli.Get("/api/credits/balance/simple", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r)["code"], 0);
  srv.revoke_tokens();
  r = cli.Get("/api/credits/balance/simple", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(parse(r)["code"], 1001);
  srv.set_auth_failure_http_401(true);
  r = cli.Get("/api/credits/balance/simple", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(parse(r)["code"], 1001);

  // A fresh token works; an expired one does not.
  const auto fresh = srv.issue_token("client-Z");
  r = cli.Get("/api/credits/balance/simple", {{"Authorization", "Bearer " + fresh.token}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  srv.set_token_ttl(std::chrono::seconds(0));
  const auto expired = srv.issue_token("client-Z");
  r = cli.Get("/api/credits/balance/simple", {{"Authorization", "Bearer " + expired.token}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
}

TEST_F(FakeServerTest, StopWhileClientMidSseReturnsQuickly) {
  const std::string sid = new_session();
  srv.script_next_turn({SseStep::text("hello"), SseStep::text("never sent", 30000)});
  std::atomic<bool> first{false};
  std::string got;
  bool completed = true;
  std::thread client([&] {
    httplib::Client c(srv.base_url());
    c.set_read_timeout(60, 0);
    completed = static_cast<bool>(stream_chat(c, sid, got, &first));
  });
  for (int i = 0; i < 6000 && !first; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const bool started = first;
  const auto t0 = Clock::now();
  srv.stop();
  const auto stop_ms = ms_since(t0);
  client.join();  // joined before any assertion can return
  ASSERT_TRUE(started);
  EXPECT_LT(stop_ms, 5000);  // not the 30 s the next step waits; slack for a loaded machine
  EXPECT_FALSE(completed);  // stream cut, not finished
  EXPECT_EQ(got, SseStep::text("hello").bytes);
}

TEST_F(FakeServerTest, StopWithIdleKeepAliveClientDoesNotHang) {
  httplib::Client keep(srv.base_url());
  keep.set_keep_alive(true);
  auto r = keep.Get("/api/credits/balance/simple", auth());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const auto t0 = Clock::now();
  srv.stop();  // the idle connection is closed after keep_alive_timeout_s (1 s)
  EXPECT_LT(ms_since(t0), 5000);
}

// The cloud client uses libcurl: check the curl tool gets along with the server too
// (Expect: 100-continue on a multipart upload, streaming SSE, resuming with -C -).
TEST_F(FakeServerTest, CurlInterop) {
  ASSERT_EQ(mvtest::run_command("curl --version").exit_code, 0) << "the curl CLI comes from scripts/install-deps.sh";
  mvtest::TempDir dir;
  const std::string big(2 * 1024 * 1024 + 17, 'q');
  {
    std::ofstream(dir / "a.mp4", std::ios::binary) << big;
    std::ofstream(dir / "b.mp3", std::ios::binary) << "ID3";
  }
  const std::string sid = new_session();
  const std::string bearer = mvtest::shell_quote("Authorization: Bearer " + token);
  auto out = mvtest::run_stdout(
      "curl -sS -H " + bearer + " -F files=@" + mvtest::shell_quote((dir / "a.mp4").string()) +
      " -F files=@" + mvtest::shell_quote((dir / "b.mp3").string()) + " " +
      srv.base_url() + "/api/upload-video/nemo_agent/me/" + sid);
  ASSERT_EQ(out.exit_code, 0) << out.output;
  EXPECT_EQ(json::parse(out.output)["code"], 0) << out.output;
  const auto ups = srv.uploads();
  ASSERT_EQ(ups.size(), 2u);
  EXPECT_EQ(ups[0].filename, "a.mp4");
  EXPECT_EQ(ups[0].size, big.size());
  EXPECT_EQ(ups[1].size, 3u);
  EXPECT_EQ(srv.requests("upload").at(0).header("expect"), "100-continue");

  std::string expected;
  for (const auto& s : FakeNemoServer::builtin_default_script()) expected += s.bytes;
  {
    std::ofstream(dir / "body.json") << chat_body(sid, "hi").dump();
  }
  out = mvtest::run_stdout("curl -sS -N --compressed -D " +
                           mvtest::shell_quote((dir / "h.txt").string()) + " -H " + bearer +
                           " -H 'Accept: text/event-stream' -H 'Content-Type: application/json'"
                           " --data-binary @" + mvtest::shell_quote((dir / "body.json").string()) +
                           " " + srv.base_url() + "/run_sse");
  ASSERT_EQ(out.exit_code, 0) << out.output;
  EXPECT_EQ(out.output, expected);
  std::ifstream h(dir / "h.txt");
  const std::string head((std::istreambuf_iterator<char>(h)), std::istreambuf_iterator<char>());
  EXPECT_EQ(head.find("Content-Encoding"), std::string::npos) << head;

  srv.set_download_bytes(std::string(200000, 'm'));
  srv.cut_download_after(50000);
  const std::string file = mvtest::shell_quote((dir / "out.mp4").string());
  const std::string url = srv.base_url() + "/files/r.mp4";
  out = mvtest::run_command("curl -sS -o " + file + " " + url);
  EXPECT_EQ(out.exit_code, 18) << out.output;  // CURLE_PARTIAL_FILE
  EXPECT_EQ(std::filesystem::file_size(dir / "out.mp4"), 50000u);
  out = mvtest::run_command("curl -sS -C - -o " + file + " " + url);
  EXPECT_EQ(out.exit_code, 0) << out.output;
  EXPECT_EQ(std::filesystem::file_size(dir / "out.mp4"), 200000u);
  EXPECT_EQ(srv.requests("^/files/").back().header("range"), "bytes=50000-");
}
