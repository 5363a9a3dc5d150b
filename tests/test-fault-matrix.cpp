// test-fault-matrix.cpp — the cloud client against a loopback server told to
// misbehave (issue 5, point 3): HTTP 500s, hangs without a byte, connections
// closed mid-body, malformed JSON with HTTP 200, huge bodies, redirects to
// file:// or to plain http elsewhere, extremely slow replies, hostile names
// and ids. For each fault and each kind of call (quick JSON call, SSE chat
// turn, upload, render poll, download) the client must end with a typed
// CloudError whose message a person can read, within a bound derived from the
// configured limits, leaving no file at the output path (and no .part when the
// error is final), and never crash or hang. Limits are short here (about 1 s)
// so the whole suite runs in well under a minute.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <set>

#include "fake-nemo-server.hpp"
#include "mv/cloud/client.hpp"
#include "mv/net/http.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;
using Kind = mv::CloudErrorKind;

// The limits every test uses (see Fixture). Quick: connect 500 ms, 1 s under
// 1 byte/s, 1 s in all. Stream: 1.5 s in all. Upload/Download: 1 s under 1 byte/s.
constexpr long kQuickTotalMs = 1000;
constexpr long kStreamTotalMs = 1500;
constexpr long kIdleS = 1;
// curl checks the low-speed limit once a second: an idle limit of N s fires
// after at most N + 1 s.
constexpr long kIdleBoundMs = (kIdleS + 1) * 1000;
// Slack on every bound: scheduling on a loaded 2-core machine, process start of curl handles.
constexpr long kSlackMs = 2000;

/// A fresh server, folders and short limits per test; NEMO_TOKEN unset.
struct Fixture {
  mvtest::FakeNemoServer server;
  mvtest::TempDir dir;
  mv::CloudSettings settings;
  fs::path out_dir;  ///< the output folder of downloads
  Fixture() {
    unsetenv("NEMO_TOKEN");
    settings.verify_download = mv::require_video_file;  // the front ends' check (media domain)
    unsetenv("NEMO_API_URL");
    settings.base_url = server.base_url();
    settings.config_dir = dir / "config";
    settings.poll_interval = ms(20);
    settings.rate_limit_wait = ms(100);
    settings.retry_backoff = ms(20);
    settings.max_retries = 1;
    settings.timeouts = {
        {mv::HttpCallKind::Quick, {500, kIdleS, kQuickTotalMs}},
        {mv::HttpCallKind::Stream, {500, 0, kStreamTotalMs}},
        {mv::HttpCallKind::Upload, {500, kIdleS, 0}},
        {mv::HttpCallKind::Download, {500, kIdleS, 0}},
    };
    out_dir = dir / "out";
    fs::create_directories(out_dir);
  }
  fs::path small_file(const std::string& name, std::size_t bytes = 1000) {
    std::ofstream out(dir / name, std::ios::binary);
    out << std::string(bytes, 'x');
    return dir / name;
  }
  /// A render as the poll reports it when completed, with the CDN URL.
  [[nodiscard]] mv::CloudRender completed(const std::string& id) const {
    mv::CloudRender r;
    r.id = id;
    r.status = mv::CloudRender::Status::Completed;
    r.output_url = server.base_url() + "/files/" + id + ".mp4";
    return r;
  }
};

/// What a call ended with.
struct Outcome {
  std::optional<Kind> kind;  ///< nullopt: no CloudError (another exception, or success)
  std::string message;
  long elapsed_ms = 0;
  bool other_exception = false;
};

Outcome run(const std::function<void()>& fn) {
  Outcome o;
  const auto t0 = Clock::now();
  try {
    fn();
  } catch (const mv::CloudError& e) {
    o.kind = e.kind();
    o.message = e.what();
  } catch (const std::exception& e) {
    o.other_exception = true;
    o.message = e.what();
  }
  o.elapsed_ms = static_cast<long>(std::chrono::duration_cast<ms>(Clock::now() - t0).count());
  return o;
}

/// A typed error of `kind`, a sentence a person can read, within `bound_ms`.
void expect_clear_error(const Outcome& o, Kind kind, long bound_ms) {
  ASSERT_TRUE(o.kind.has_value()) << "no CloudError; other exception: " << o.other_exception << " " << o.message;
  EXPECT_EQ(mv::cloud_error_id(*o.kind), std::string(mv::cloud_error_id(kind))) << o.message;
  EXPECT_GE(o.message.size(), 20u) << o.message;
  EXPECT_NE(o.message.find(' '), std::string::npos) << o.message;
  EXPECT_EQ(o.message.find('\n'), std::string::npos) << o.message;
  EXPECT_EQ(o.message.find("Bearer"), std::string::npos) << o.message;
  EXPECT_LT(o.elapsed_ms, bound_ms) << o.message;
}

/// The files under `root`, recursively (relative paths).
std::set<std::string> tree(const fs::path& root) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) out.insert(fs::relative(e.path(), root).string());
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A real 1 s MP4 for downloads that must succeed.
fs::path make_mp4(const mvtest::TempDir& dir) {
  const auto path = dir / "render.mp4";
  EXPECT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=size=160x120:rate=10 -t 1 -c:v libx264 -preset ultrafast " +
                             path.string()));
  return path;
}

const std::string kCredits = "^/api/credits/balance/simple$";
const std::string kSse = "^/run_sse$";
const std::string kUpload = "^/api/upload-video/";
const std::string kPoll = "^/api/render/proxy/lambda/[^/]+$";
const std::string kFiles = "^/files/";
const std::string kFallback = "^/api/render/proxy/[^/]+/download$";
const std::string kOkEnvelope = R"({"code":0,"message":"ok","data":{"available":1,"frozen":0,"total":1}})";

/// A client that already holds a token and a session.
struct Ready {
  mv::CloudClient client;
  mv::CloudSession session;
  explicit Ready(Fixture& f) : client(f.settings), session(client.create_session()) {}
};

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

// ---- huge bodies -------------------------------------------------------------------------

TEST(HugeBody, AnnouncedOverTheMemoryCapIsRefusedBeforeTheBody) {
  Fixture f;
  Ready r(f);
  f.server.huge_next(kCredits, 10, 1ull << 30);  // announces 1 GiB
  const auto o = run([&] { r.client.credits(); });
  expect_clear_error(o, Kind::BadResponse, kQuickTotalMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kCredits).size(), 1u);
}

TEST(HugeBody, ChunkedOverTheMemoryCapIsStoppedAtTheCap) {
  Fixture f;
  f.settings.timeouts[mv::HttpCallKind::Quick] = {500, kIdleS, 20000};  // room to stream 64 MiB on a busy machine
  Ready r(f);
  f.server.huge_next(kCredits, 10, 80ull << 20, true);
  const auto o = run([&] { r.client.credits(); });
  expect_clear_error(o, Kind::BadResponse, 20000 + kSlackMs);
}

TEST(HugeBody, ChatAnswerWithoutEventsIsStoppedAtTheEventCap) {
  Fixture f;
  f.settings.timeouts[mv::HttpCallKind::Stream] = {500, 0, 20000};
  Ready r(f);
  f.server.huge_next(kSse, 1, mv::kMaxChatEventBytes + (4u << 20), true);
  const auto o = run([&] { r.client.chat(r.session, "go"); });
  expect_clear_error(o, Kind::BadResponse, 20000 + kSlackMs);
}

TEST(HugeBody, UploadAnswerOverTheMemoryCapIsBadResponse) {
  Fixture f;
  Ready r(f);
  f.server.huge_next(kUpload, 10, 1ull << 30);
  const auto o = run([&] { r.client.upload(r.session, {f.small_file("a.mp3")}); });
  expect_clear_error(o, Kind::BadResponse, kIdleBoundMs + kSlackMs);
}

TEST(HugeBody, RenderPollOverTheMemoryCapIsBadResponse) {
  Fixture f;
  Ready r(f);
  f.server.huge_next(kPoll, 10, 1ull << 30);
  const auto o = run([&] { r.client.poll_render("render_1"); });
  expect_clear_error(o, Kind::BadResponse, kQuickTotalMs + kSlackMs);
}

TEST(HugeBody, DownloadAnnouncedOverTheSizeCapIsRefusedAndLeavesNoFile) {
  Fixture f;
  f.settings.max_download_bytes = 1u << 20;
  mv::CloudClient client(f.settings);
  f.server.huge_next(kFiles, 10, 64ull << 20);
  const auto out = f.out_dir / "video.mp4";
  const auto o = run([&] { client.download(f.completed("render_1"), out); });
  expect_clear_error(o, Kind::DownloadInvalid, kIdleBoundMs + kSlackMs);
  EXPECT_NE(o.message.find("limit"), std::string::npos) << o.message;
  EXPECT_EQ(f.server.requests(kFiles).size(), 1u);
  EXPECT_TRUE(tree(f.out_dir).empty());
}

TEST(HugeBody, DownloadStreamedOverTheSizeCapIsStoppedAndThePartRemoved) {
  Fixture f;
  f.settings.max_download_bytes = 1u << 20;
  mv::CloudClient client(f.settings);
  f.server.huge_next(kFiles, 10, 64ull << 20, true);  // no Content-Length
  const auto out = f.out_dir / "video.mp4";
  const auto o = run([&] { client.download(f.completed("render_1"), out); });
  expect_clear_error(o, Kind::DownloadInvalid, kIdleBoundMs + kSlackMs);
  EXPECT_TRUE(tree(f.out_dir).empty());
}

TEST(HugeBody, APartAlreadyOverTheSizeCapIsRemovedWithoutARequest) {
  Fixture f;
  f.settings.max_download_bytes = 1000;
  mv::CloudClient client(f.settings);
  const auto out = f.out_dir / "video.mp4";
  fs::path part = out;
  part += ".part";
  std::ofstream(part, std::ios::binary) << std::string(5000, 'p');
  const auto o = run([&] { client.download(f.completed("render_1"), out); });
  expect_clear_error(o, Kind::DownloadInvalid, kSlackMs);
  EXPECT_TRUE(f.server.requests(kFiles).empty());
  EXPECT_TRUE(tree(f.out_dir).empty());
}

// ---- redirects ---------------------------------------------------------------------------

/// Each kind of call, redirected to `location`, ends in BadRedirect at once, without a retry.
void expect_every_call_refuses_redirect(const std::string& location, long bound_ms, long connect_ms = 500) {
  Fixture f;
  for (auto& [kind, limits] : f.settings.timeouts) limits.connect_ms = connect_ms;
  Ready r(f);
  f.server.redirect_next(kCredits, location, 10);
  auto o = run([&] { r.client.credits(); });
  expect_clear_error(o, Kind::BadRedirect, bound_ms);
  EXPECT_EQ(f.server.requests(kCredits).size(), 1u);

  f.server.redirect_next(kSse, location, 10);
  o = run([&] { r.client.chat(r.session, "go"); });
  expect_clear_error(o, Kind::BadRedirect, bound_ms);

  f.server.redirect_next(kUpload, location, 10, 307);
  o = run([&] { r.client.upload(r.session, {f.small_file("a.mp3")}); });
  expect_clear_error(o, Kind::BadRedirect, bound_ms);

  f.server.redirect_next(kPoll, location, 10);
  o = run([&] { r.client.poll_render("render_1"); });
  expect_clear_error(o, Kind::BadRedirect, bound_ms);
  EXPECT_EQ(f.server.requests(kPoll).size(), 1u);

  f.server.redirect_next(kFiles, location, 10);
  const auto out = f.out_dir / "video.mp4";
  o = run([&] { r.client.download(f.completed("render_1"), out); });
  expect_clear_error(o, Kind::BadRedirect, bound_ms);
  EXPECT_TRUE(f.server.requests(kFallback).empty());
  EXPECT_TRUE(tree(f.out_dir).empty());
}

TEST(Redirect, ToAFileUrlIsRefusedOnEveryCall) {
  expect_every_call_refuses_redirect("file:///etc/passwd", kSlackMs);
}

TEST(Redirect, ToPlainHttpOnANonLoopbackHostIsRefusedWithoutConnecting) {
  // 10.1.2.3 is unroutable here: a connection attempt would take the whole
  // 10 s connect limit, so ending well within it (5 s, slack for a loaded
  // machine) shows none was made.
  expect_every_call_refuses_redirect("http://10.1.2.3/steal", 5000, 10000);
  mv::HttpClient http;
  Fixture f;
  f.server.redirect_next("^/x$", "http://10.1.2.3:8080/steal");
  mv::HttpRequest req;
  req.url = f.server.base_url() + "/x";
  req.timeouts = mv::HttpTimeouts{10000, 1, 0};
  const auto o = run([&] {
    try {
      http.perform(req);
    } catch (const mv::HttpError& e) {  // the HTTP layer's own error, as the client maps it
      throw mv::cloud_error_from_http(e, {});
    }
  });
  expect_clear_error(o, Kind::BadRedirect, 5000);
  EXPECT_NE(o.message.find("another host (10.1.2.3:8080)"), std::string::npos) << o.message;
}

TEST(Redirect, WithinTheSameHostAndPortIsStillFollowed) {
  Fixture f;
  Ready r(f);
  f.server.redirect_next(kCredits, "/api/credits/balance/simple?again=1");
  EXPECT_DOUBLE_EQ(r.client.credits().available, 100.0);
  EXPECT_EQ(f.server.requests(kCredits).size(), 2u);
}

TEST(Redirect, PolicyRefusesHttpsToHttpDowngradeAndOtherSchemes) {
  // End to end this needs an https server whose certificate the client trusts;
  // TLS verification stays on and the tests carry no CA, so the policy that
  // HttpClient applies to every Location is checked directly.
  const std::string api = "https://api.example.com/api/render/proxy/lambda/r1";
  EXPECT_EQ(mv::http_redirect_refusal(api, api, "http://api.example.com/x"),
            "a redirect from https to plain http was refused");
  EXPECT_EQ(mv::http_redirect_refusal(api, api, "http://cdn.example.com/x"),
            "a redirect from https to plain http was refused");
  EXPECT_EQ(mv::http_redirect_refusal(api, api, "https://cdn.example.com/v.mp4"), "");
  EXPECT_EQ(mv::http_redirect_refusal(api, api, "/other"), "");
  EXPECT_EQ(mv::http_redirect_refusal(api, api, "ftp://api.example.com/x"), "a redirect to a ftp: address was refused");
  const std::string loop = "http://127.0.0.1:8080/a";
  EXPECT_EQ(mv::http_redirect_refusal(loop, loop, "file:///etc/passwd"), "a redirect to a file: address was refused");
  EXPECT_EQ(mv::http_redirect_refusal(loop, loop, "http://127.0.0.1:8081/a"),
            "a redirect to plain http on another host (127.0.0.1:8081) was refused");
  EXPECT_EQ(mv::http_redirect_refusal(loop, loop, "//10.1.2.3/a"),
            "a redirect to plain http on another host (10.1.2.3:80) was refused");
  EXPECT_EQ(mv::http_redirect_refusal(loop, loop, "../b?c=1"), "");
  // Back from https elsewhere to the origin's plain http is a downgrade too.
  EXPECT_EQ(mv::http_redirect_refusal(loop, "https://cdn.example.com/x", "http://127.0.0.1:8080/a"),
            "a redirect from https to plain http was refused");
}

// ---- extremely slow replies -----------------------------------------------------------------

TEST(SlowReply, QuickCallSlowerThanTheIdleRateTimesOut) {
  Fixture f;
  Ready r(f);
  f.server.trickle_next(kCredits, 10, kOkEnvelope, 3000);  // a byte every 3 s: idle
  const auto o = run([&] { r.client.credits(); });
  expect_clear_error(o, Kind::Timeout, 2 * kQuickTotalMs + kSlackMs);
}

TEST(SlowReply, RenderPollFasterThanTheIdleRateIsStoppedByTheTotalLimit) {
  Fixture f;
  Ready r(f);
  f.server.trickle_next(kPoll, 10, R"({"success":true,"data":{"status":"completed","progress":100}})", 100);
  const auto o = run([&] { r.client.poll_render("render_1"); });
  expect_clear_error(o, Kind::Timeout, 2 * kQuickTotalMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kPoll).size(), 2u);
}

TEST(SlowReply, ChatTurnTrickledWithoutAWholeLineTimesOutAtTheStreamLimitPerTry) {
  Fixture f;
  Ready r(f);
  f.server.trickle_next(kSse, 10, "data: {\"type\":\"text\",\"content\":\"hello there\"}\n\n", 100);
  const auto o = run([&] { r.client.chat(r.session, "go"); });
  expect_clear_error(o, Kind::Timeout, 2 * kStreamTotalMs + 2 * kQuickTotalMs + kSlackMs);
}

TEST(SlowReply, UploadAnswerSlowerThanTheIdleRateTimesOutPerTry) {
  Fixture f;
  Ready r(f);
  f.server.trickle_next(kUpload, 10, R"({"code":0,"message":"ok","data":{"files":[]}})", 3000);
  const auto o = run([&] { r.client.upload(r.session, {f.small_file("a.mp3")}); });
  expect_clear_error(o, Kind::Timeout, 2 * kIdleBoundMs + kSlackMs);
  EXPECT_EQ(f.server.requests(kUpload).size(), 2u);
}

TEST(SlowReply, DownloadSlowerThanTheIdleRateTimesOutAndLeavesNoFinalFile) {
  Fixture f;
  f.settings.max_retries = 0;
  mv::CloudClient client(f.settings);
  f.server.trickle_next(kFiles, 10, std::string(4000, 'v'), 3000);
  const auto out = f.out_dir / "video.mp4";
  const auto o = run([&] { client.download(f.completed("render_1"), out); });
  expect_clear_error(o, Kind::Timeout, 3 * kIdleBoundMs + kSlackMs);
  EXPECT_FALSE(fs::exists(out));
  fs::path part = out;
  part += ".part";
  EXPECT_TRUE(!fs::exists(part) || fs::file_size(part) < 4000u);  // at most what arrived, kept for a resume
}

// ---- hostile names and ids ------------------------------------------------------------------

TEST(PathTraversal, SafeFileNameKeepsOnlyAPlainNameInsideTheFolder) {
  EXPECT_EQ(mv::safe_file_name("../../etc/x.mp4", "f"), "x.mp4");
  EXPECT_EQ(mv::safe_file_name("%2e%2e%2f%2e%2e%2fetc%2fx.mp4", "f"), "x.mp4");
  EXPECT_EQ(mv::safe_file_name("%2E%2E%2F", "f"), "f");
  EXPECT_EQ(mv::safe_file_name("/etc/passwd", "f"), "passwd");
  EXPECT_EQ(mv::safe_file_name("..\\..\\Windows\\x.mp4", "f"), "x.mp4");
  EXPECT_EQ(mv::safe_file_name("C:\\x.mp4", "f"), "x.mp4");
  EXPECT_EQ(mv::safe_file_name("C:x.mp4", "f"), "C_x.mp4");
  EXPECT_EQ(mv::safe_file_name(".bashrc", "f"), "bashrc");
  EXPECT_EQ(mv::safe_file_name("..", "f"), "f");
  EXPECT_EQ(mv::safe_file_name("", "f"), "f");
  EXPECT_EQ(mv::safe_file_name("x/", "f"), "f");
  EXPECT_EQ(mv::safe_file_name(std::string("a\0/../../b.mp4", 14), "f"), "f");
  EXPECT_EQ(mv::safe_file_name("a%00b.mp4", "f"), "f");
  EXPECT_EQ(mv::safe_file_name("line\nbreak.mp4", "f"), "f");
  EXPECT_EQ(mv::safe_file_name("my video.mp4", "f"), "my video.mp4");
  const std::string long_name = mv::safe_file_name(std::string(300, 'a') + ".mp4", "f");
  EXPECT_EQ(long_name.size(), 120u);
  EXPECT_EQ(long_name.substr(116), ".mp4");
}

TEST(PathTraversal, HostileContentDispositionNamesStayInsideTheOutputFolder) {
  Fixture f;
  f.server.set_download_file(make_mp4(f.dir));
  mv::CloudClient client(f.settings);
  const auto outside_before = tree(f.dir.path());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"(attachment; filename="../../etc/x.mp4")", "x.mp4"},
      {R"(attachment; filename="/etc/passwd")", "passwd.mp4"},
      {R"(attachment; filename="..\..\evil.mp4")", "evil.mp4"},
      {R"(attachment; filename*=UTF-8''%2e%2e%2f%2e%2e%2fetc%2fx.mp4)", "x-2.mp4"},
      {R"(attachment; filename="..")", "render_7.mp4"},
      {R"(attachment; filename=".hidden")", "hidden.mp4"},
  };
  std::set<std::string> expected;
  for (const auto& [disposition, name] : cases) {
    f.server.set_download_disposition(disposition);
    const fs::path got = client.download(f.completed("render_7"), f.out_dir);
    EXPECT_EQ(got, f.out_dir / name) << disposition;
    EXPECT_TRUE(mv::probe_media(got).has_video) << disposition;
    expected.insert(name);
  }
  EXPECT_EQ(tree(f.out_dir), expected);  // no .part, nothing else
  auto outside_after = tree(f.dir.path());
  for (const auto& e : tree(f.out_dir)) outside_after.erase((fs::path("out") / e).string());
  outside_after.erase("config");
  outside_after.erase("config/cloud.json");
  EXPECT_EQ(outside_after, outside_before);
}

TEST(PathTraversal, HostileUrlSegmentAndRenderIdNameNoFileOutsideTheFolder) {
  Fixture f;
  f.server.set_download_file(make_mp4(f.dir));
  mv::CloudClient client(f.settings);
  mv::CloudRender r = f.completed("../../../escape");
  r.output_url = f.server.base_url() + "/files/%2e%2e";  // the URL names ".."
  const fs::path got = client.download(r, f.out_dir);
  EXPECT_EQ(got, f.out_dir / "escape.mp4");  // from the render id, basename only
  EXPECT_EQ(tree(f.out_dir), std::set<std::string>{"escape.mp4"});
  EXPECT_FALSE(fs::exists(f.dir.path().parent_path() / "escape.mp4"));
  EXPECT_FALSE(fs::exists(f.dir / "escape.mp4"));
}

TEST(PathTraversal, ServerIdsInUrlPathsCannotClimbTheApiPaths) {
  Fixture f;
  mv::CloudClient client(f.settings);
  client.credits();
  f.server.clear_requests();
  // A hostile render id: the fallback download and the poll stay under their prefixes.
  mv::CloudRender r;
  r.id = "../../../api/credits/balance/simple";
  const auto o = run([&] { client.download(r, f.out_dir / "video.mp4"); });
  expect_clear_error(o, Kind::BadResponse, kIdleBoundMs + kSlackMs);
  EXPECT_TRUE(tree(f.out_dir).empty());
  (void)run([&] { client.poll_render(r.id); });
  // A hostile session id from the server: state and upload paths keep it as one segment.
  f.server.fail_next("with-session", 1, 200,
                     R"({"code":0,"data":{"session_id":"../../../../api/credits/balance/simple","task_id":"t"}})");
  auto session = client.create_session();
  (void)run([&] { client.state(session); });
  (void)run([&] { client.upload(session, {f.small_file("a.mp3")}); });
  EXPECT_TRUE(f.server.requests(kCredits).empty());  // no request landed on another endpoint
  std::set<std::string> prefixes;
  for (const auto& req : f.server.requests()) {
    if (req.path.find("..") == std::string::npos) continue;
    prefixes.insert(req.path.substr(0, req.path.find("..")));
  }
  EXPECT_EQ(prefixes, (std::set<std::string>{"/api/render/proxy/", "/api/render/proxy/lambda/",
                                             "/api/state/nemo_agent/me/", "/api/upload-video/nemo_agent/me/"}));
}

}  // namespace
