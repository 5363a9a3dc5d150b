// test-fake-server.cpp — checks the fake NemoVideo server itself, with httplib::Client,
// so the cloud client's tests can trust what it does: start and stop, anonymous tokens and
// their revocation, sessions, state and draft, credits, uploads and renders. Downloads,
// SSE, fault injection, stopping mid-stream and curl interop are in
// test-fake-server-streams.cpp; the fixture is in fake-server-fixture.hpp.
#include <gtest/gtest.h>

#include <httplib.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "fake-server-fixture.hpp"
#include "fake-nemo-server.hpp"

using namespace fake_server_test;  // FakeServerTest, parse, ms_since, json, Clock

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
