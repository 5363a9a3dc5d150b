// test-cloud-client.cpp — the cloud client against a real HTTP server on
// loopback (tests/support/fake-nemo-server): request shapes, the quick flow
// to a downloaded MP4, every row of the error table, expiry and lost
// sessions. Chat turns, renders, downloads, jobs, cancellation, timeouts,
// redirects and the secrecy of the token are in test-cloud-client-transfers.cpp;
// the shared fixture is in cloud-client-fixture.hpp.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "cloud-client-fixture.hpp"
#include "fake-nemo-server.hpp"
#include "mv/cloud/client.hpp"
#include "mv/cloud/flow.hpp"
#include "mv/cloud/job-file.hpp"
#include "mv/base/json-file.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"

namespace {

using namespace cloud_client_test;  // Fixture, make_mp4, slurp, kind_of, fs, json, Clock

// ---- request shapes ------------------------------------------------------------------

TEST(RequestShape, AnonymousTokenCarriesClientIdAndEveryCallCarriesBearerAndAttribution) {
  Fixture f;
  f.settings.skill_platform = "obs";
  mv::CloudClient client(f.settings);
  const auto credits = client.credits();
  EXPECT_DOUBLE_EQ(credits.available, 100.0);
  const auto token_calls = f.server.requests("^/api/auth/anonymous-token$");
  ASSERT_EQ(token_calls.size(), 1u);
  EXPECT_EQ(token_calls[0].method, "POST");
  EXPECT_EQ(token_calls[0].header("x-client-id"), client.client_id());
  EXPECT_EQ(client.client_id().size(), 36u);
  EXPECT_EQ(client.client_id()[14], '4');  // UUID version 4
  const auto calls = f.server.requests("^/api/credits/balance/simple$");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "GET");
  EXPECT_EQ(calls[0].header("authorization").rfind("Bearer tok", 0), 0u);
  EXPECT_EQ(calls[0].header("x-skill-source"), "obs-music-video");
  EXPECT_EQ(calls[0].header("x-skill-version"), f.settings.skill_version);
  EXPECT_EQ(calls[0].header("x-skill-platform"), "obs");
}

TEST(RequestShape, SessionChatUploadStateRenderAndCancel) {
  Fixture f;
  f.settings.language = "zh";
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  auto create = f.server.requests("with-session/nemo_agent$");
  ASSERT_EQ(create.size(), 1u);
  EXPECT_EQ(create[0].path, "/api/tasks/me/with-session/nemo_agent");
  EXPECT_EQ(json::parse(create[0].body), (json{{"task_name", "project"}, {"language", "zh"}}));

  client.chat(session, "make it pop");
  auto sse = f.server.requests("^/run_sse$");
  ASSERT_EQ(sse.size(), 1u);
  EXPECT_EQ(sse[0].header("accept"), "text/event-stream");
  const auto body = json::parse(sse[0].body);
  EXPECT_EQ(body["app_name"], "nemo_agent");
  EXPECT_EQ(body["session_id"], session.session_id);
  EXPECT_EQ(body["new_message"]["parts"][0]["text"], "make it pop");

  client.upload(session, {f.small_file("a.mp3"), f.small_file("b.png", 2000)});
  auto up = f.server.requests("^/api/upload-video/");
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].path, "/api/upload-video/nemo_agent/me/" + session.session_id);
  EXPECT_NE(up[0].content_type.find("multipart/form-data"), std::string::npos);
  const auto uploads = f.server.uploads();
  ASSERT_EQ(uploads.size(), 2u);
  EXPECT_EQ(uploads[0].filename, "a.mp3");
  EXPECT_EQ(uploads[1].size, 2000u);

  client.upload_urls(session, {"https://example.com/clip.mp4"});
  EXPECT_EQ(json::parse(f.server.requests("^/api/upload-video/").back().body),
            (json{{"urls", {"https://example.com/clip.mp4"}}, {"source_type", "url"}}));

  client.state(session);
  client.state(session, true);
  auto states = f.server.requests("^/api/state/");
  ASSERT_EQ(states.size(), 3u);  // one from chat (before the turn) + two here
  EXPECT_EQ(states[1].path, "/api/state/nemo_agent/me/" + session.session_id + "/latest");
  EXPECT_EQ(states[2].path, "/api/state/nemo_agent/" + session.user_id + "/" + session.session_id + "/latest");

  const auto draft = client.state(session).draft.to_json();
  const auto render = client.submit_render(session, draft);
  auto submit = f.server.requests("^/api/render/proxy/lambda$");
  ASSERT_EQ(submit.size(), 1u);
  const auto sb = json::parse(submit[0].body);
  EXPECT_EQ(sb["id"], render.id);
  EXPECT_EQ(sb["id"].get<std::string>().rfind("render_", 0), 0u);
  EXPECT_EQ(sb["sessionId"], session.session_id);
  EXPECT_EQ(sb["output"], (json{{"format", "mp4"}, {"quality", "high"}}));
  EXPECT_TRUE(sb["draft"].contains("t"));
  client.poll_render(render.id);
  EXPECT_EQ(f.server.requests("^/api/render/proxy/lambda/render_[0-9_]+$").size(), 1u);
  client.cancel_render(render.id);
  auto cancel = f.server.requests("/cancel$");
  ASSERT_EQ(cancel.size(), 1u);
  EXPECT_EQ(cancel[0].method, "POST");
}

// ---- the quick flow -------------------------------------------------------------------

TEST(QuickFlow, UploadInstructStateExportPollDownloadGivesAnMp4AndAJobOnDisk) {
  Fixture f;
  f.server.set_download_file(make_mp4(f.dir));
  mv::CloudClient client(f.settings);
  const mv::CloudJobStore store(f.settings.config_dir / "jobs.json");
  std::vector<std::string> stages;
  const auto job = mv::cloud_generate(client, store, {{f.small_file("song.mp3")}, "neon", f.dir / "out.mp4", false},
                                      [&](mv::Stage stage, double, const std::string&) {
                                        const std::string s = mv::stage_name(stage);
                                        if (stages.empty() || stages.back() != s) stages.push_back(s);
                                      });
  EXPECT_EQ(job.state, "done");
  EXPECT_TRUE(mv::probe_media(f.dir / "out.mp4").has_video);
  EXPECT_FALSE(fs::exists(f.dir / "out.mp4.part"));
  EXPECT_EQ(stages, (std::vector<std::string>{"session", "upload", "generate", "render", "download", "done"}));
  const auto saved = store.find(job.id);
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->state, "done");
  EXPECT_FALSE(saved->render_id.empty());
  EXPECT_EQ(f.server.chat_messages(), std::vector<std::string>{"neon"});
}

TEST(QuickFlow, BothAnswerShapesAreAccepted) {
  Fixture f;
  f.server.set_download_file(make_mp4(f.dir));
  f.server.set_success_envelope(true);
  f.server.set_render_success_envelope(false);
  f.server.set_render_status_names(mvtest::RenderStatusNames::QueuedRendering);
  f.server.set_render_url_shape(mvtest::RenderUrlShape::OutputDotUrl);
  mv::CloudClient client(f.settings);
  const mv::CloudJobStore store(f.settings.config_dir / "jobs.json");
  const auto job = mv::cloud_generate(client, store, {{f.small_file("song.wav")}, "", f.dir / "o.mp4", false});
  EXPECT_EQ(job.state, "done");
  EXPECT_TRUE(fs::exists(f.dir / "o.mp4"));
}

TEST(QuickFlow, MvgensCloudBatchMakesOneRenderPerInputInOneSessionAndSharesTheBatchExitCodes) {
  // The cloud batch is the batch path of every backend (mvgen generate --batch, JobRunner with
  // one shared session): one render per input, a failure does not stop the others, and the exit
  // code follows mv::batch_exit_code like the local batch.
  Fixture f;
  f.server.set_download_file(make_mp4(f.dir));
  f.server.set_render_polls(1);  // mvgen polls every 10 s: the first poll finds each render done
  fs::create_directories(f.dir / "out");
  const std::string env = "XDG_CONFIG_HOME=" + mvtest::shell_quote((f.dir / "xdg").string()) + " ";
  const std::string mvgen = env + mvtest::shell_quote(mvtest::mvgen_path()) + " generate --backend cloud --batch ";
  const std::string tail = " -o " + mvtest::shell_quote((f.dir / "out").string()) + " --api-url " + f.server.base_url() +
                           " --quiet";
  const auto ok = mvtest::run_command(mvgen + f.small_file("one.mp3").string() + " " + f.small_file("two.mp3").string() + tail);
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_TRUE(fs::exists(f.dir / "out" / "one.mp4"));
  EXPECT_TRUE(fs::exists(f.dir / "out" / "two.mp4"));
  EXPECT_EQ(f.server.session_ids().size(), 1u);
  EXPECT_EQ(f.server.render_jobs().size(), 2u);
  // A file the cloud refuses fails alone (exit 3, bad input); the other is made.
  const auto mixed = mvtest::run_command(mvgen + f.small_file("three.mp3").string() + " " +
                                         f.small_file("notes.txt").string() + tail);
  EXPECT_EQ(mixed.exit_code, 3) << mixed.output;
  EXPECT_TRUE(fs::exists(f.dir / "out" / "three.mp4"));
  EXPECT_FALSE(fs::exists(f.dir / "out" / "notes.mp4"));
}

// ---- the error table ------------------------------------------------------------------

TEST(ErrorTable, Code1001GetsANewAnonymousTokenAndRetriesOnce) {
  Fixture f;
  mv::CloudClient client(f.settings);
  client.credits();
  f.server.revoke_tokens();  // token expiry mid-session
  EXPECT_DOUBLE_EQ(client.credits().available, 100.0);
  EXPECT_EQ(f.server.tokens_issued(), 2);
}

TEST(ErrorTable, StoredTokenIsReusedUntilItExpiresThenReplacedBeforeUse) {
  Fixture f;
  {
    mv::CloudClient client(f.settings);
    client.credits();
  }
  {
    mv::CloudClient next_run(f.settings);  // reads cloud.json: same token, no new one
    next_run.credits();
  }
  EXPECT_EQ(f.server.tokens_issued(), 1);
  // A week later: the stored token has expired.
  auto stored = *mv::read_json_file(f.settings.config_dir / "cloud.json");
  const std::string old_token = stored["token"];
  stored["token_expires_at"] = 1000;
  mv::write_json_file(f.settings.config_dir / "cloud.json", stored, 0600);
  f.server.clear_requests();
  mv::CloudClient later(f.settings);
  later.credits();
  EXPECT_EQ(f.server.tokens_issued(), 2);
  for (const auto& r : f.server.requests("^/api/credits/")) {
    EXPECT_EQ(r.header("authorization").find(old_token), std::string::npos) << "the expired token was sent";
  }
}

TEST(ErrorTable, Code1002CreatesANewSessionAndRetriesOnce) {
  Fixture f;
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  const auto old_id = session.session_id;
  f.server.drop_sessions();
  client.state(session);
  EXPECT_NE(session.session_id, old_id);
  EXPECT_EQ(f.server.requests("with-session").size(), 2u);
}

TEST(ErrorTable, Code2001ForAnonymousShowsTheRegistrationUrlWithBind) {
  Fixture f;
  f.settings.registration_url = "https://example.com/register";
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  f.server.set_credits(0);
  try {
    client.chat(session, "make a video");
    FAIL();
  } catch (const mv::CloudError& e) {
    EXPECT_EQ(e.kind(), mv::CloudErrorKind::NoCredits);
    EXPECT_NE(std::string(e.what()).find("https://example.com/register?bind=" + session.user_id), std::string::npos)
        << e.what();
  }
}

TEST(ErrorTable, Code2001ForARegisteredTokenSaysTopUp) {
  Fixture f;
  const auto issued = f.server.issue_token();
  setenv("NEMO_TOKEN", issued.token.c_str(), 1);
  mv::CloudClient client(f.settings);
  EXPECT_FALSE(client.anonymous());
  auto session = client.create_session();
  f.server.set_credits(0);
  try {
    client.chat(session, "make a video");
    FAIL();
  } catch (const mv::CloudError& e) {
    EXPECT_EQ(e.kind(), mv::CloudErrorKind::NoCredits);
    EXPECT_NE(std::string(e.what()).find("Top up"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("bind="), std::string::npos);
  }
  EXPECT_EQ(f.server.requests("anonymous-token").size(), 0u);  // NEMO_TOKEN wins
  unsetenv("NEMO_TOKEN");
}

TEST(ErrorTable, Code4001ListsTheSupportedFormats) {
  Fixture f;
  f.server.set_accepted_extensions({"mp4"});
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  try {
    client.upload(session, {f.small_file("song.mp3")});
    FAIL();
  } catch (const mv::CloudError& e) {
    EXPECT_EQ(e.kind(), mv::CloudErrorKind::UnsupportedFile);
    EXPECT_NE(std::string(e.what()).find("mp4, mov"), std::string::npos) << e.what();
  }
  // And a file type the vendor never takes is refused before any request.
  f.server.clear_requests();
  EXPECT_EQ(kind_of([&] { client.upload(session, {f.small_file("notes.txt")}); }), mv::CloudErrorKind::UnsupportedFile);
  EXPECT_TRUE(f.server.requests("upload").empty());
}

TEST(ErrorTable, Code4002SuggestsTrimmingOrCompressing) {
  Fixture f;
  f.server.set_upload_limit(500);
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  try {
    client.upload(session, {f.small_file("big.mp3", 5000)});
    FAIL();
  } catch (const mv::CloudError& e) {
    EXPECT_EQ(e.kind(), mv::CloudErrorKind::FileTooLarge);
    const std::string m = e.what();
    EXPECT_TRUE(m.find("Trim") != std::string::npos || m.find("trim") != std::string::npos) << m;
  }
}

TEST(ErrorTable, UploadOverTheSizeLimitIsRefusedBeforeSending) {
  Fixture f;
  f.settings.max_upload_mb = 0.001;  // ~1 KB
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  f.server.clear_requests();
  EXPECT_EQ(kind_of([&] { client.upload(session, {f.small_file("song.mp3", 5000)}); }), mv::CloudErrorKind::FileTooLarge);
  EXPECT_TRUE(f.server.requests("upload").empty());
}

TEST(ErrorTable, Http400MakesANewClientIdAndRetries) {
  Fixture f;
  mv::CloudClient client(f.settings);
  const auto first_id = client.client_id();
  f.server.fail_next("^/api/auth/anonymous-token$", 1, 400, R"({"code":400,"message":"missing X-Client-Id"})");
  client.credits();
  EXPECT_NE(client.client_id(), first_id);
  const auto calls = f.server.requests("anonymous-token");
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].header("x-client-id"), client.client_id());
}

TEST(ErrorTable, Http402IsAboutThePlanNotCredits) {
  Fixture f;
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  f.server.fail_next("^/api/render/proxy/lambda$", 1, 402, R"({"code":402,"message":"free plan"})");
  try {
    client.submit_render(session, client.state(session).draft.to_json());
    FAIL();
  } catch (const mv::CloudError& e) {
    EXPECT_EQ(e.kind(), mv::CloudErrorKind::ExportNotAllowed);
    const std::string m = e.what();
    EXPECT_NE(m.find("egister"), std::string::npos) << m;
    EXPECT_EQ(m.find("credit"), std::string::npos) << m;
  }
}

TEST(ErrorTable, Http429WaitsForRetryAfterThenRetriesOnce) {
  Fixture f;
  mv::CloudClient client(f.settings);
  client.credits();
  f.server.fail_next("^/api/credits/balance/simple$", 1, 429, R"({"code":429})", {{"Retry-After", "1"}});
  const auto t0 = Clock::now();
  client.credits();
  EXPECT_GE(Clock::now() - t0, std::chrono::milliseconds(150));
  f.server.fail_next("^/api/credits/balance/simple$", 2, 429, R"({"code":429})");
  EXPECT_EQ(kind_of([&] { client.credits(); }), mv::CloudErrorKind::RateLimited);
}

TEST(ErrorTable, ServerErrorsOnIdempotentCallsAreRetriedWithBackoff) {
  Fixture f;
  mv::CloudClient client(f.settings);
  client.credits();
  f.server.fail_next("^/api/credits/balance/simple$", 2, 503, "busy");
  EXPECT_DOUBLE_EQ(client.credits().available, 100.0);
  f.server.fail_next("^/api/credits/balance/simple$", 10, 500, "down");
  EXPECT_EQ(kind_of([&] { client.credits(); }), mv::CloudErrorKind::ServerError);
  // A POST that is safe to repeat (creating a session) is retried as well...
  f.server.clear_faults();
  f.server.fail_next("with-session", 1, 500, "down");
  f.server.clear_requests();
  EXPECT_FALSE(client.create_session().session_id.empty());
  EXPECT_EQ(f.server.requests("with-session").size(), 2u);
  // ...but a chat turn, which is charged, is not blindly repeated (see Retry.* in test-fault-matrix).
  auto session = client.create_session();
  f.server.fail_next("^/run_sse$", 10, 500, "down");
  f.server.clear_requests();
  EXPECT_EQ(kind_of([&] { client.chat(session, "go"); }), mv::CloudErrorKind::ServerError);
  EXPECT_EQ(f.server.requests("^/run_sse$").size(), 2u);  // one resend, after a state read showed no change
}

}  // namespace
