// test-cloud-client.cpp — the cloud client against a real HTTP server on
// loopback (tests/support/fake-nemo-server): request shapes, the quick flow
// to a downloaded MP4, every row of the error table, expiry and lost
// sessions, chat turns without text, heartbeats, cut streams, render
// failure, resumed downloads, refused uploads, cancellation, and secrecy of
// the token.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "fake-nemo-server.hpp"
#include "mv/cloud/client.hpp"
#include "mv/cloud/flow.hpp"
#include "mv/cloud/job-file.hpp"
#include "mv/net/http.hpp"
#include "mv/base/json-file.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

/// A fresh server, config folder and settings for each test; NEMO_TOKEN unset.
struct Fixture {
  mvtest::FakeNemoServer server;
  mvtest::TempDir dir;
  mv::CloudSettings settings;
  Fixture() {
    unsetenv("NEMO_TOKEN");
    settings.verify_download = mv::require_video_file;  // the front ends' check (media domain)
    unsetenv("NEMO_API_URL");
    settings.base_url = server.base_url();
    settings.config_dir = dir / "config";
    settings.poll_interval = std::chrono::milliseconds(20);
    settings.rate_limit_wait = std::chrono::milliseconds(200);
    settings.retry_backoff = std::chrono::milliseconds(20);
    settings.notice_interval = std::chrono::milliseconds(300);
  }
  fs::path small_file(const std::string& name, std::size_t bytes = 1000) {
    std::ofstream out(dir / name, std::ios::binary);
    out << std::string(bytes, 'x');
    return dir / name;
  }
};

/// A real 2 s MP4 for the server to hand back as the render.
fs::path make_mp4(const mvtest::TempDir& dir) {
  const auto path = dir / "render.mp4";
  EXPECT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=f=440 -t 2 -c:v libx264 "
                             "-preset ultrafast -c:a aac -shortest " + path.string()));
  return path;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

mv::CloudErrorKind kind_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const mv::CloudError& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no CloudError thrown";
  return mv::CloudErrorKind::BadResponse;
}

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

// ---- chat turns -----------------------------------------------------------------------

TEST(Chat, TextIsSurfacedAndToolEventsAreNot) {
  Fixture f;
  f.server.script_next_turn({mvtest::SseStep::heartbeat(), mvtest::SseStep::tool_call("generate", {{"x", 1}}),
                             mvtest::SseStep::text("Here is "), mvtest::SseStep::adk_text("your video."),
                             mvtest::SseStep::tool_result("generate", {{"ok", true}})});
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  std::string streamed;
  const auto turn = client.chat(session, "go", [&](const std::string& t) { streamed += t; });
  EXPECT_EQ(turn.text, "Here is your video.");
  EXPECT_EQ(streamed, turn.text);
  EXPECT_FALSE(turn.stream_cut);
  EXPECT_TRUE(turn.change_summary.empty());
}

TEST(Chat, ATurnWithNoTextDescribesWhatChangedInTheTimeline) {
  Fixture f;
  const json new_draft = {{"t", {{{"tt", 0}, {"sg", {{{"s", 0}, {"d", 5000}, {"n", "beach sunset"}}}}}}}};
  f.server.script_next_turn({mvtest::SseStep::tool_call("edit", json::object()), mvtest::SseStep::set_draft(new_draft),
                             mvtest::SseStep::tool_result("edit", json::object())});
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  const auto turn = client.chat(session, "replace the video with a beach");
  EXPECT_TRUE(turn.text.empty());
  EXPECT_NE(turn.change_summary.find("changed"), std::string::npos) << turn.change_summary;
  EXPECT_NE(turn.change_summary.find("beach sunset"), std::string::npos) << turn.change_summary;
}

TEST(Chat, LongHeartbeatsGiveStillWorkingNotices) {
  Fixture f;
  f.server.script_next_turn({mvtest::SseStep::heartbeat(400), mvtest::SseStep::raw("data:\n\n", 400),
                             mvtest::SseStep::heartbeat(400), mvtest::SseStep::text("done", 100)});
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  int notices = 0;
  const auto turn = client.chat(session, "generate", {}, [&](const std::string&) { ++notices; });
  EXPECT_EQ(turn.text, "done");
  EXPECT_GE(notices, 2);
}

TEST(Chat, AStreamCutMidEventIsReportedAndTheStateChecked) {
  Fixture f;
  f.server.script_next_turn({mvtest::SseStep::text("Working"), mvtest::SseStep::cut_after("data: {\"type\":\"te")});
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  const auto turn = client.chat(session, "go");
  EXPECT_TRUE(turn.stream_cut);
  EXPECT_EQ(turn.text, "Working");
  EXPECT_FALSE(turn.change_summary.empty());
  EXPECT_GE(f.server.requests("^/api/state/").size(), 2u);
}

// ---- renders and downloads ------------------------------------------------------------

TEST(Render, AFailedRenderIsATypedErrorAndTheJobIsKeptAsFailed) {
  Fixture f;
  f.server.set_render_fails(true);
  mv::CloudClient client(f.settings);
  const mv::CloudJobStore store(f.settings.config_dir / "jobs.json");
  EXPECT_EQ(kind_of([&] { mv::cloud_generate(client, store, {{f.small_file("s.mp3")}, "", f.dir / "o.mp4", false}); }),
            mv::CloudErrorKind::RenderFailed);
  const auto jobs = store.load();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].state, "failed");
  EXPECT_FALSE(jobs[0].render_id.empty());
  EXPECT_FALSE(fs::exists(f.dir / "o.mp4"));
}

TEST(Download, ASlowDownloadCutMidwayResumesWithRangeAndMatches) {
  Fixture f;
  const auto mp4 = make_mp4(f.dir);
  f.server.set_download_file(mp4);
  f.server.set_download_throttle(200000);
  f.server.cut_download_after(20000, 1);
  mv::CloudClient client(f.settings);
  mv::CloudRender done;
  done.id = "render_1";
  done.status = mv::CloudRender::Status::Completed;
  done.output_url = f.server.base_url() + "/files/render_1.mp4";
  client.download(done, f.dir / "got.mp4");
  EXPECT_EQ(slurp(f.dir / "got.mp4"), slurp(mp4));
  const auto gets = f.server.requests("^/files/");
  ASSERT_GE(gets.size(), 2u);
  EXPECT_EQ(gets[1].header("range").rfind("bytes=", 0), 0u);
}

TEST(Download, FallsBackToTheAuthenticatedDownloadWhenTheUrlFails) {
  Fixture f;
  f.server.set_download_file(make_mp4(f.dir));
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  const auto done = client.wait_for_render(client.submit_render(session, client.state(session).draft.to_json()).id);
  ASSERT_FALSE(done.output_url.empty());
  f.server.fail_next("^/files/", 1, 404, "gone");
  client.download(done, f.dir / "got.mp4");
  const auto fallback = f.server.requests("^/api/render/proxy/" + done.id + "/download$");
  ASSERT_EQ(fallback.size(), 1u);
  EXPECT_EQ(fallback[0].header("authorization").rfind("Bearer ", 0), 0u);
  EXPECT_TRUE(mv::probe_media(f.dir / "got.mp4").has_video);
}

TEST(Download, SomethingThatIsNotAnMp4IsRejectedAndNotKept) {
  Fixture f;
  f.server.set_download_bytes(std::string(5000, 'z'));
  mv::CloudClient client(f.settings);
  mv::CloudRender done;
  done.id = "render_3";
  done.output_url = f.server.base_url() + "/files/render_3.mp4";
  EXPECT_EQ(kind_of([&] { client.download(done, f.dir / "got.mp4"); }), mv::CloudErrorKind::DownloadInvalid);
  EXPECT_FALSE(fs::exists(f.dir / "got.mp4"));
}

TEST(Jobs, AJobInterruptedAfterSubmitIsResumedFromTheJobFile) {
  Fixture f;
  f.server.set_download_file(make_mp4(f.dir));
  mv::CloudClient client(f.settings);
  auto session = client.create_session();
  const auto render = client.submit_render(session, client.state(session).draft.to_json());
  const mv::CloudJobStore store(f.settings.config_dir / "jobs.json");
  mv::CloudJob job;
  job.id = mv::make_uuid_v4();
  job.session_id = session.session_id;
  job.render_id = render.id;
  job.output = (f.dir / "resumed.mp4").string();
  job.state = "rendering";
  store.save(job);  // as a crashed run would have left it
  mv::CloudClient after_restart(f.settings);
  const auto done = mv::resume_cloud_job(after_restart, store, *store.find(job.id));
  EXPECT_EQ(done.state, "done");
  EXPECT_TRUE(fs::exists(f.dir / "resumed.mp4"));
  EXPECT_EQ(store.find(job.id)->state, "done");
}

// ---- cancellation, timeouts, redirects -------------------------------------------------

/// Runs `fn` with a token cancelled after 300 ms; returns how long after the cancel it ended.
std::chrono::milliseconds time_to_cancel(const std::function<void(const mv::CancelToken&)>& fn,
                                         mv::CloudErrorKind* kind) {
  mv::CancelToken cancel;
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel.request();
  });
  const auto t0 = Clock::now();
  try {
    fn(cancel);
    *kind = mv::CloudErrorKind::BadResponse;
  } catch (const mv::CloudError& e) {
    *kind = e.kind();
  }
  t.join();
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0 - std::chrono::milliseconds(300));
}

TEST(Cancel, MidSseMidUploadMidDownloadAndMidPollAllStopWithinASecond) {
  Fixture f;
  f.server.set_download_file(make_mp4(f.dir));
  mv::CloudErrorKind kind{};
  // Mid-SSE: a turn that stays silent for 10 s.
  f.server.script_next_turn({mvtest::SseStep::heartbeat(10000), mvtest::SseStep::text("late")});
  auto waited = time_to_cancel([&](const mv::CancelToken& c) {
    mv::CloudClient client(f.settings, &c);
    auto s = client.create_session();
    client.chat(s, "go");
  }, &kind);
  EXPECT_EQ(kind, mv::CloudErrorKind::Cancelled);
  EXPECT_LT(waited.count(), 3000);  // noticed within 1 s; slack for a loaded machine (the server holds 10 s)
  // Mid-upload: the server holds the upload answer for 10 s.
  f.server.delay_next("^/api/upload-video/", 1, 10000);
  waited = time_to_cancel([&](const mv::CancelToken& c) {
    mv::CloudClient client(f.settings, &c);
    auto s = client.create_session();
    client.upload(s, {f.small_file("s.mp3", 200000)});
  }, &kind);
  EXPECT_EQ(kind, mv::CloudErrorKind::Cancelled);
  EXPECT_LT(waited.count(), 3000);  // noticed within 1 s; slack for a loaded machine (the server holds 10 s)
  // Mid-download: 1 KB/s.
  f.server.set_download_throttle(1000);
  waited = time_to_cancel([&](const mv::CancelToken& c) {
    mv::CloudClient client(f.settings, &c);
    mv::CloudRender r;
    r.id = "render_9";
    r.output_url = f.server.base_url() + "/files/render_9.mp4";
    client.download(r, f.dir / "never.mp4");
  }, &kind);
  EXPECT_EQ(kind, mv::CloudErrorKind::Cancelled);
  EXPECT_LT(waited.count(), 3000);  // noticed within 1 s; slack for a loaded machine (the server holds 10 s)
  EXPECT_FALSE(fs::exists(f.dir / "never.mp4"));
  // Mid-poll: a render that never completes, polled every 20 ms.
  f.server.set_render_polls(1000000);
  waited = time_to_cancel([&](const mv::CancelToken& c) {
    mv::CloudClient client(f.settings, &c);
    auto s = client.create_session();
    const auto r = client.submit_render(s, client.state(s).draft.to_json());
    client.wait_for_render(r.id);
  }, &kind);
  EXPECT_EQ(kind, mv::CloudErrorKind::Cancelled);
  EXPECT_LT(waited.count(), 3000);  // noticed within 1 s; slack for a loaded machine (the server holds 10 s)
}

TEST(Http, AHangingServerTimesOutWithinTheCallsLimit) {
  Fixture f;
  f.server.hang_next("^/hang$", 1);
  mv::HttpClient http;
  mv::HttpRequest req;
  req.url = f.server.base_url() + "/hang";
  req.timeouts = mv::HttpTimeouts{1000, 1, 1500};
  const auto t0 = Clock::now();
  try {
    http.perform(req);
    FAIL();
  } catch (const mv::HttpError& e) {
    EXPECT_EQ(e.kind(), mv::HttpErrorKind::Timeout);
    EXPECT_EQ(mv::cloud_error_from_http(e, {}).kind(), mv::CloudErrorKind::Timeout);
  }
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(10));  // the limit is 1.5 s; slack for a loaded machine
}

TEST(Http, RedirectsAreFollowedOnlyToHttp) {
  Fixture f;
  mv::HttpClient http;
  mv::HttpRequest req;
  req.url = f.server.base_url() + "/somewhere";
  f.server.redirect_next("^/somewhere$", "file:///etc/passwd");
  try {
    http.perform(req);
    FAIL();
  } catch (const mv::HttpError& e) {
    EXPECT_EQ(e.kind(), mv::HttpErrorKind::BadRedirect);
  }
  f.server.redirect_next("^/somewhere$", f.server.base_url() + "/api/credits/balance/simple");
  const auto r = http.perform(req);
  EXPECT_EQ(r.effective_url, f.server.base_url() + "/api/credits/balance/simple");
}

// ---- secrets -------------------------------------------------------------------------

TEST(Secrets, TheConfigFileIsMode0600) {
  Fixture f;
  mv::CloudClient client(f.settings);
  client.credits();
  struct stat st {};
  ASSERT_EQ(stat((f.settings.config_dir / "cloud.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(Secrets, NoOutputLineOrJobFileOfMvgenContainsTheToken) {
  Fixture f;
  f.server.set_download_file(make_mp4(f.dir));
  f.server.set_render_polls(1);  // mvgen polls every 10 s: the first poll finds the render done
  const auto issued = f.server.issue_token();
  const std::string env = "NEMO_TOKEN=" + mvtest::shell_quote(issued.token) + " XDG_CONFIG_HOME=" +
                          mvtest::shell_quote((f.dir / "xdg").string()) + " ";
  const std::string mvgen = env + mvtest::shell_quote(mvtest::mvgen_path());
  const std::string api = " --api-url " + f.server.base_url();
  std::string all;
  all += mvtest::run_command(mvgen + " cloud credits" + api).output;
  all += mvtest::run_command(mvgen + " cloud credits --json" + api).output;
  all += mvtest::run_command(mvgen + " cloud status" + api).output;
  all += mvtest::run_command(mvgen + " cloud chat 'make it blue'" + api).output;
  const auto gen = mvtest::run_command(mvgen + " generate --backend cloud " + f.small_file("song.mp3").string() +
                                       " -o " + (f.dir / "cloud.mp4").string() + " --json" + api);
  EXPECT_EQ(gen.exit_code, 0) << gen.output;
  all += gen.output;
  f.server.set_credits(0);
  const auto fail = mvtest::run_command(mvgen + " cloud chat 'again please'" + api);
  EXPECT_NE(fail.exit_code, 0);
  all += fail.output;
  all += mvtest::run_command(mvgen + " jobs list" + api).output;
  for (const auto& entry : fs::recursive_directory_iterator(f.dir / "xdg")) {
    if (entry.is_regular_file()) all += slurp(entry.path());
  }
  EXPECT_FALSE(all.empty());
  EXPECT_EQ(all.find(issued.token), std::string::npos) << all;
}

}  // namespace

#include "mv/cloud/job-file.hpp"

namespace {

TEST(Jobs, AJobFileWithOutOfRangeTimesLoadsWithZeroNotUndefinedBehaviour) {
  // Found by fuzz/fuzz-jobs-settings (corpus/fuzz-jobs-settings/regression-float-seconds):
  // a float like 1e300 was converted to int64 (undefined behaviour).
  const auto huge = mv::CloudJob::from_json(nlohmann::json::parse(R"({"id":"a","created_at":1e300,"updated_at":-1e300})"));
  EXPECT_EQ(huge.id, "a");
  EXPECT_EQ(huge.created_at, 0);
  EXPECT_EQ(huge.updated_at, 0);
  const auto wide = mv::CloudJob::from_json(nlohmann::json::parse(R"({"created_at":18446744073709551615,"updated_at":1700000000.9})"));
  EXPECT_EQ(wide.created_at, 0);             // above INT64_MAX: not representable, not negative
  EXPECT_EQ(wide.updated_at, 1700000000);    // a fraction is truncated
  const auto text = mv::CloudJob::from_json(nlohmann::json::parse(R"({"created_at":"yesterday","inputs":[1,"a.mp3"]})"));
  EXPECT_EQ(text.created_at, 0);
  EXPECT_EQ(text.inputs, std::vector<std::string>{"a.mp3"});
}

}  // namespace
