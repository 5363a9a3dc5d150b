// test-cloud-client-transfers.cpp — the cloud client against a real HTTP server on
// loopback (tests/support/fake-nemo-server), the long-running calls: chat turns without
// text, heartbeats and cut streams, render failure, resumed and refused downloads, jobs
// resumed from the job file, cancellation, timeouts and redirects, and the secrecy of the
// token. Request shapes, the quick flow and the error table are in test-cloud-client.cpp;
// the shared fixture is in cloud-client-fixture.hpp.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "cloud-client-fixture.hpp"
#include "fake-nemo-server.hpp"
#include "mv/cloud/client.hpp"
#include "mv/cloud/flow.hpp"
#include "mv/cloud/job-file.hpp"
#include "mv/net/http.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"

namespace {

using namespace cloud_client_test;  // Fixture, make_mp4, slurp, kind_of, fs, json, Clock

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
