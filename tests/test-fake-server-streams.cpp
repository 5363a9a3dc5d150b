// test-fake-server-streams.cpp — checks the fake NemoVideo server's streams and faults,
// with httplib::Client and the curl tool: downloads with Range, cuts and throttling, SSE
// chat turns from scripts, fail/delay/redirect/hang injection, stopping while a client is
// mid-stream or idle, and curl interop. The routes' plain answers are checked in
// test-fake-server.cpp; the fixture is in fake-server-fixture.hpp.
#include <gtest/gtest.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake-server-fixture.hpp"
#include "fake-nemo-server.hpp"
#include "test-support.hpp"

using namespace fake_server_test;  // FakeServerTest, parse, ms_since, json, Clock

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
