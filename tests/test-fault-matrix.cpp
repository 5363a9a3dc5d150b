// test-fault-matrix.cpp — the cloud client against a loopback server told to
// misbehave (issue 5, point 3), first half: HTTP 500s, the transient failures
// retried where that is safe, hangs without a byte, connections closed mid-body
// and malformed JSON with HTTP 200. For each fault and each kind of call (quick
// JSON call, SSE chat turn, upload, render poll, download) the client must end
// with a typed CloudError whose message a person can read, within a bound derived
// from the configured limits, leaving no file at the output path (and no .part
// when the error is final), and never crash or hang. Limits are short here (about
// 1 s) so the whole suite runs in well under a minute. Huge bodies, redirects,
// slow replies and hostile names are in test-fault-matrix-hostile.cpp; the shared
// fixture is in fault-matrix-fixture.hpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fault-matrix-fixture.hpp"

namespace {

using namespace fault_matrix;  // Fixture, Ready, run, expect_clear_error, limits, paths

// ---- HTTP 500 --------------------------------------------------------------------------

TEST(Http500, QuickCallIsRetriedPerTheTableThenServerError) {
  Fixture f;
  Ready r(f);
  f.server.fail_next(kCredits, 10, 500, "down");
  const auto o = run([&] { r.client.credits(); });
  expect_clear_error(o, Kind::ServerError, 2 * kQuickTotalMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kCredits).size(), 2u);  // the first try + max_retries
}

TEST(Http500, ChatTurnIsSentAgainOnceWithTheDraftUnchangedThenServerError) {
  Fixture f;
  Ready r(f);
  f.server.fail_next(kSse, 10, 500, "down");
  const auto o = run([&] { r.client.chat(r.session, "go"); });
  expect_clear_error(o, Kind::ServerError, 2 * kStreamTotalMs + 2 * kQuickTotalMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kSse).size(), 2u);  // the first try + one resend, never more
}

TEST(Http500, UploadIsRetriedPerTheTableThenServerError) {
  Fixture f;
  Ready r(f);
  f.server.fail_next(kUpload, 10, 500, "down");
  const auto o = run([&] { r.client.upload(r.session, {f.small_file("a.mp3")}); });
  expect_clear_error(o, Kind::ServerError, 2 * kIdleBoundMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kUpload).size(), 2u);  // the first try + max_retries
}

TEST(Http500, RenderPollIsRetriedThenServerError) {
  Fixture f;
  Ready r(f);
  f.server.fail_next(kPoll, 10, 503, "busy");
  const auto o = run([&] { r.client.poll_render("render_1"); });
  expect_clear_error(o, Kind::ServerError, 2 * kQuickTotalMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kPoll).size(), 2u);
}

TEST(Http500, DownloadRetriesEachUrlThenTheFallbackThenServerErrorAndLeavesNoFile) {
  Fixture f;
  mv::CloudClient client(f.settings);
  f.server.fail_next(kFiles, 10, 500, "down");
  f.server.fail_next(kFallback, 10, 500, "down");
  const auto out = f.out_dir / "video.mp4";
  const auto o = run([&] { client.download(f.completed("render_1"), out); });
  expect_clear_error(o, Kind::ServerError, 2 * kIdleBoundMs + kSlackMs);
  // max_retries + 3 tries on each URL (backoff 20, 40, 80 ms), the file URL first.
  EXPECT_EQ(f.server.requests(kFiles).size(), 4u);
  EXPECT_EQ(f.server.requests(kFallback).size(), 4u);
  EXPECT_TRUE(tree(f.out_dir).empty());
}

TEST(Http500, AOnce500OnTheFileOfAPaidRenderIsRetriedThereAndTheVideoArrives) {
  Fixture f;
  const auto mp4 = make_mp4(f.dir);
  f.server.set_download_file(mp4);
  mv::CloudClient client(f.settings);
  f.server.fail_next(kFiles, 1, 500, "hiccup");
  const auto out = f.out_dir / "video.mp4";
  EXPECT_EQ(client.download(f.completed("render_1"), out), out);
  EXPECT_EQ(slurp(out), slurp(mp4));
  EXPECT_EQ(f.server.requests(kFiles).size(), 2u);
  EXPECT_TRUE(f.server.requests(kFallback).empty()) << "the file URL answered on the second try";
}

TEST(Http500, ADownloadInterruptedBy503sResumesWithARangeRequestOnTheSameUrl) {
  Fixture f;
  const auto mp4 = make_mp4(f.dir);
  f.server.set_download_file(mp4);
  mv::CloudClient client(f.settings);
  const auto out = f.out_dir / "video.mp4";
  // The first kilobyte arrived before the connection dropped; then the CDN is busy twice.
  fs::path part = out;
  part += ".part";
  {
    std::ofstream p(part, std::ios::binary);
    p << slurp(mp4).substr(0, 1000);
  }
  f.server.fail_next(kFiles, 2, 503, "busy");
  EXPECT_EQ(client.download(f.completed("render_1"), out), out);
  EXPECT_EQ(slurp(out), slurp(mp4));
  const auto files = f.server.requests(kFiles);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files.back().header("range"), "bytes=1000-");
  EXPECT_TRUE(f.server.requests(kFallback).empty());
}

// ---- transient failures retried where that is safe (issue 9, point 7) -------------------------

const std::string kToken = "^/api/auth/anonymous-token$";
const std::string kSession = "^/api/tasks/me/with-session/nemo_agent$";
const std::string kSubmit = "^/api/render/proxy/lambda$";

TEST(Retry, TheAnonymousTokenAfterA500IsFetchedAgain) {
  Fixture f;
  mv::CloudClient client(f.settings);
  f.server.fail_next(kToken, 1, 500, "down");
  const auto o = run([&] { client.credits(); });
  EXPECT_FALSE(o.kind.has_value()) << o.message;
  EXPECT_EQ(f.server.requests(kToken).size(), 2u);
}

TEST(Retry, SessionCreationAfterA503IsMadeAgain) {
  Fixture f;
  mv::CloudClient client(f.settings);
  f.server.fail_next(kSession, 1, 503, "busy");
  mv::CloudSession s;
  const auto o = run([&] { s = client.create_session(); });
  EXPECT_FALSE(o.kind.has_value()) << o.message;
  EXPECT_FALSE(s.session_id.empty());
  EXPECT_EQ(f.server.requests(kSession).size(), 2u);
}

TEST(Retry, AnUploadCutByTheNetworkIsSentAgain) {
  Fixture f;
  Ready r(f);
  f.server.truncate_next(kUpload, 1, R"({"code":0,"message":"ok","data":{"files":[]}})", 15);
  const auto o = run([&] { r.client.upload(r.session, {f.small_file("a.mp3")}); });
  EXPECT_FALSE(o.kind.has_value()) << o.message;
  EXPECT_EQ(f.server.requests(kUpload).size(), 2u);
  EXPECT_EQ(f.server.uploads().size(), 1u);  // the failed try stored nothing
}

TEST(Retry, ARenderSubmitAfterA500IsSentAgainWithTheSameRenderId) {
  Fixture f;
  Ready r(f);
  const auto draft = r.client.state(r.session).draft.to_json();
  f.server.fail_next(kSubmit, 1, 500, "down");
  mv::CloudRender render;
  const auto o = run([&] { render = r.client.submit_render(r.session, draft); });
  EXPECT_FALSE(o.kind.has_value()) << o.message;
  const auto sent = f.server.requests(kSubmit);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(json::parse(sent[0].body)["id"], json::parse(sent[1].body)["id"]);
  EXPECT_EQ(render.id, json::parse(sent[0].body)["id"].get<std::string>());
  EXPECT_EQ(f.server.render_jobs().size(), 1u);
}

TEST(Retry, ARenderSubmitWhoseAnswerWasLostIsNotRenderedTwice) {
  Fixture f;
  Ready r(f);
  const auto draft = r.client.state(r.session).draft.to_json();
  f.server.lose_answer_next(kSubmit, 1);  // the render is created, its answer lost (502)
  mv::CloudRender render;
  const auto o = run([&] { render = r.client.submit_render(r.session, draft); });
  EXPECT_FALSE(o.kind.has_value()) << o.message;
  ASSERT_EQ(f.server.render_jobs().size(), 1u) << "the same draft was rendered (and charged) twice";
  EXPECT_EQ(render.id, f.server.render_jobs().front().id);
  EXPECT_EQ(f.server.requests(kSubmit).size(), 2u);  // the lost one + the retry answered "already exists"
}

TEST(Retry, AChatTurnThatFailedBeforeAnyEventIsSentAgainWhenTheDraftIsUnchanged) {
  Fixture f;
  Ready r(f);
  f.server.fail_next(kSse, 1, 502, "bad gateway");
  mv::ChatTurnResult turn;
  const auto o = run([&] { turn = r.client.chat(r.session, "make it blue"); });
  EXPECT_FALSE(o.kind.has_value()) << o.message;
  EXPECT_FALSE(turn.text.empty());
  EXPECT_EQ(f.server.requests(kSse).size(), 2u);
  EXPECT_EQ(f.server.chat_messages(), std::vector<std::string>{"make it blue"});  // charged once
}

TEST(Retry, AChatTurnTakenButWhoseAnswerWasLostIsNeverSentTwice) {
  Fixture f;
  Ready r(f);
  // The turn replaces the draft's title text ("Urban Dreams" → "Blue Version").
  const json blue = json::parse(R"({"t":[{"tt":0,"sg":[{"s":0,"d":10000,"m":{"name":"city timelapse"}}]},
                                        {"tt":7,"sg":[{"s":0,"d":3000,"m":{"text":"Blue Version"}}]}],
                                  "d":10000,"m":{"title":"Blue Version","width":1920,"height":1080}})");
  f.server.script_next_turn({mvtest::SseStep::set_draft(blue), mvtest::SseStep::text("Done.")});
  f.server.lose_answer_next(kSse, 1);  // the turn is charged and applied, its stream lost
  mv::ChatTurnResult turn;
  const auto o = run([&] { turn = r.client.chat(r.session, "make it blue"); });
  EXPECT_FALSE(o.kind.has_value()) << o.message;
  EXPECT_EQ(f.server.requests(kSse).size(), 1u) << "a turn the backend took was sent again";
  EXPECT_TRUE(turn.stream_cut);
  EXPECT_NE(turn.change_summary.find("changed"), std::string::npos) << turn.change_summary;
  EXPECT_NE(turn.change_summary.find("Blue Version"), std::string::npos) << turn.change_summary;
}

// ---- hang without a byte ----------------------------------------------------------------

TEST(Hang, QuickCallTimesOutWithinItsLimitPerTry) {
  Fixture f;
  Ready r(f);
  f.server.hang_next(kCredits, 10);
  const auto o = run([&] { r.client.credits(); });
  expect_clear_error(o, Kind::Timeout, 2 * kQuickTotalMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kCredits).size(), 2u);
}

TEST(Hang, ChatTurnTimesOutAtTheStreamTotalLimitPerTry) {
  Fixture f;
  Ready r(f);
  f.server.hang_next(kSse, 10);
  const auto o = run([&] { r.client.chat(r.session, "go"); });
  expect_clear_error(o, Kind::Timeout, 2 * kStreamTotalMs + 2 * kQuickTotalMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kSse).size(), 2u);
}

TEST(Hang, UploadTimesOutAtTheIdleLimitPerTry) {
  Fixture f;
  Ready r(f);
  f.server.hang_next(kUpload, 10);
  const auto o = run([&] { r.client.upload(r.session, {f.small_file("a.mp3", 20000)}); });
  expect_clear_error(o, Kind::Timeout, 2 * kIdleBoundMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kUpload).size(), 2u);
}

TEST(Hang, RenderPollTimesOutWithinItsLimitPerTry) {
  Fixture f;
  Ready r(f);
  f.server.hang_next(kPoll, 10);
  const auto o = run([&] { r.client.poll_render("render_1"); });
  expect_clear_error(o, Kind::Timeout, 2 * kQuickTotalMs + kSlackMs);
}

TEST(Hang, DownloadTimesOutAfterItsBoundedAttemptsOnEachUrlAndLeavesNoFile) {
  Fixture f;
  f.settings.max_retries = 0;  // downloads try max_retries + 3 times on each URL
  mv::CloudClient client(f.settings);
  f.server.hang_next(kFiles, 10);
  f.server.hang_next(kFallback, 10);
  const auto out = f.out_dir / "video.mp4";
  const auto o = run([&] { client.download(f.completed("render_1"), out); });
  expect_clear_error(o, Kind::Timeout, 6 * kIdleBoundMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kFiles).size(), 3u);
  EXPECT_EQ(f.server.requests(kFallback).size(), 3u);
  EXPECT_TRUE(tree(f.out_dir).empty());  // not a byte arrived: no part either
}

// ---- connection closed mid-body ------------------------------------------------------------

TEST(CloseMidBody, QuickCallIsRetriedThenNetworkError) {
  Fixture f;
  Ready r(f);
  f.server.truncate_next(kCredits, 10, kOkEnvelope, 20);
  const auto o = run([&] { r.client.credits(); });
  expect_clear_error(o, Kind::Network, 2 * kQuickTotalMs + kSlackMs);
  EXPECT_NE(o.message.find("closed before"), std::string::npos) << o.message;
  EXPECT_EQ(f.server.requests(kCredits).size(), 2u);
}

TEST(CloseMidBody, ChatTurnAnsweredWithACutJsonBodyIsNetworkErrorAfterOneResend) {
  Fixture f;
  Ready r(f);
  f.server.truncate_next(kSse, 10, R"({"code":2001,"message":"insufficient credits","data":{}})", 10);
  const auto o = run([&] { r.client.chat(r.session, "go"); });
  expect_clear_error(o, Kind::Network, 2 * kStreamTotalMs + 2 * kQuickTotalMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kSse).size(), 2u);
}

TEST(CloseMidBody, UploadAnswerCutIsRetriedThenNetworkError) {
  Fixture f;
  Ready r(f);
  f.server.truncate_next(kUpload, 10, R"({"code":0,"message":"ok","data":{"files":[]}})", 15);
  const auto o = run([&] { r.client.upload(r.session, {f.small_file("a.mp3")}); });
  expect_clear_error(o, Kind::Network, 2 * kIdleBoundMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kUpload).size(), 2u);
}

TEST(CloseMidBody, RenderPollIsRetriedThenNetworkError) {
  Fixture f;
  Ready r(f);
  f.server.truncate_next(kPoll, 10, R"({"success":true,"data":{"status":"completed"}})", 5);
  const auto o = run([&] { r.client.poll_render("render_1"); });
  expect_clear_error(o, Kind::Network, 2 * kQuickTotalMs + kSlackMs);
}

TEST(CloseMidBody, DownloadCutOnEveryTryKeepsOnlyAResumablePartThenResumesIt) {
  Fixture f;
  const auto mp4 = make_mp4(f.dir);
  f.server.set_download_file(mp4);
  f.settings.max_retries = 0;
  mv::CloudClient client(f.settings);
  f.server.cut_download_after(1000, 100);
  const auto out = f.out_dir / "video.mp4";
  const auto o = run([&] { client.download(f.completed("render_1"), out); });
  expect_clear_error(o, Kind::Network, 6 * kIdleBoundMs + kSlackMs);
  EXPECT_FALSE(fs::exists(out));
  // Network errors keep the part for a resume (documented); it holds only what arrived.
  fs::path part = out;
  part += ".part";
  ASSERT_TRUE(fs::exists(part));
  EXPECT_LT(fs::file_size(part), fs::file_size(mp4));
  // Once the server behaves, the next call resumes the part with a Range request.
  f.server.cut_download_after(0, 0);
  f.server.clear_requests();
  EXPECT_EQ(client.download(f.completed("render_1"), out), out);
  EXPECT_EQ(slurp(out), slurp(mp4));
  EXPECT_FALSE(fs::exists(part));
  EXPECT_EQ(f.server.requests(kFiles).at(0).header("range").rfind("bytes=", 0), 0u);
}

// ---- malformed JSON with HTTP 200 ---------------------------------------------------------

TEST(MalformedJson, QuickCallIsBadResponseAndNotRepeated) {
  Fixture f;
  Ready r(f);
  f.server.fail_next(kCredits, 10, 200, "{not json");
  const auto o = run([&] { r.client.credits(); });
  expect_clear_error(o, Kind::BadResponse, kQuickTotalMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kCredits).size(), 1u);
}

TEST(MalformedJson, ChatTurnIsBadResponse) {
  Fixture f;
  Ready r(f);
  f.server.fail_next(kSse, 10, 200, R"({"code":0,"data":{"broken":)");
  const auto o = run([&] { r.client.chat(r.session, "go"); });
  expect_clear_error(o, Kind::BadResponse, kStreamTotalMs + kSlackMs);
}

TEST(MalformedJson, UploadAnswerIsBadResponse) {
  Fixture f;
  Ready r(f);
  f.server.fail_next(kUpload, 10, 200, "[1,2");
  const auto o = run([&] { r.client.upload(r.session, {f.small_file("a.mp3")}); });
  expect_clear_error(o, Kind::BadResponse, kIdleBoundMs + kSlackMs);
}

TEST(MalformedJson, RenderPollIsBadResponse) {
  Fixture f;
  Ready r(f);
  f.server.fail_next(kPoll, 10, 200, R"({"success":tru)");
  const auto o = run([&] { r.client.poll_render("render_1"); });
  expect_clear_error(o, Kind::BadResponse, kQuickTotalMs + kSlackMs);
}

TEST(MalformedJson, DownloadThatIsNotAVideoIsDownloadInvalidAndLeavesNoPart) {
  Fixture f;
  mv::CloudClient client(f.settings);
  f.server.set_download_bytes(R"({"code":0,"data":{"not":"a video"}})");
  const auto out = f.out_dir / "video.mp4";
  const auto o = run([&] { client.download(f.completed("render_1"), out); });
  expect_clear_error(o, Kind::DownloadInvalid, kIdleBoundMs + kSlackMs);
  EXPECT_TRUE(tree(f.out_dir).empty());
}

}  // namespace
