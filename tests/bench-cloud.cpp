// bench-cloud.cpp — `bench-cloud`: the cloud client's transfers on loopback
// against the fake vendor server, side by side with the curl CLI doing the
// same transfer in the same run, plus SSE parsing speed against a plain line
// split of the same bytes. Prints throughput (MB/s), ratios, and the growth of
// this process's peak RSS (the server runs in-process and streams to a counter,
// so growth is the client's buffering).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "fake-nemo-server.hpp"
#include "mv/cloud/client.hpp"
#include "mv/net/http.hpp"
#include "mv/cloud/sse.hpp"
#include "test-support.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double timed_command(const std::string& cmd) {
  const auto t0 = Clock::now();
  const auto r = mvtest::run_command(cmd);
  if (r.exit_code != 0) std::printf("  (command failed: %s)\n", r.output.c_str());
  return seconds_since(t0);
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t mb = argc > 1 ? std::stoull(argv[1]) : 500;
  const std::uint64_t bytes = mb << 20;
  mvtest::TempDir dir;
  const fs::path file = dir / "big.mp4";
  {
    std::ofstream out(file, std::ios::binary);
    std::string block(1 << 20, '\0');
    for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>((i * 2654435761u) >> 24);
    for (std::uint64_t i = 0; i < mb; ++i) out.write(block.data(), static_cast<std::streamsize>(block.size()));
  }
  mvtest::FakeNemoServer server;
  server.set_upload_limit(bytes + 1);
  server.set_download_file(file);
  unsetenv("NEMO_TOKEN");
  mv::CloudSettings settings;
  settings.base_url = server.base_url();
  settings.config_dir = dir / "config";
  settings.max_upload_mb = static_cast<double>(mb + 1);
  mv::CloudClient client(settings);
  auto session = client.create_session();
  const auto token = server.issue_token("bench");
  std::printf("bench-cloud: %llu MB on loopback (%s)\n\n", static_cast<unsigned long long>(mb), server.base_url().c_str());
  std::printf("%-34s %10s %10s %14s\n", "transfer", "seconds", "MB/s", "peak RSS +MB");

  // Each transfer three times, ours and curl interleaved; the median counts
  // (one 500 MB loopback transfer takes under a second, so single runs are noisy).
  constexpr int kRuns = 3;
  std::vector<double> up_ours, up_curl, down_ours, down_curl;
  double up_rss = 0.0, down_rss = 0.0;
  mv::HttpClient http;
  const std::string curl_up = "curl -s -o /dev/null -H 'Authorization: Bearer " + token.token + "' -F files=@" +
                              file.string() + " " + server.base_url() + "/api/upload-video/nemo_agent/me/" + session.session_id;
  const std::string curl_down = "curl -s -o " + (dir / "curl.mp4").string() + " " + server.base_url() + "/files/big.mp4";
  bool complete = true;
  for (int run = 0; run < kRuns; ++run) {
    double rss0 = peak_rss_mb();
    auto t0 = Clock::now();
    client.upload(session, {file});
    up_ours.push_back(seconds_since(t0));
    up_rss = std::max(up_rss, peak_rss_mb() - rss0);
    up_curl.push_back(timed_command(curl_up));

    rss0 = peak_rss_mb();
    mv::HttpRequest req;
    req.url = server.base_url() + "/files/big.mp4";
    req.kind = mv::HttpCallKind::Download;
    req.download_to = dir / "down.mp4";
    t0 = Clock::now();
    const auto r = http.perform(req);
    down_ours.push_back(seconds_since(t0));
    down_rss = std::max(down_rss, peak_rss_mb() - rss0);
    complete = complete && r.status == 200 && fs::file_size(dir / "down.mp4") == bytes;
    fs::remove(dir / "down.mp4");
    down_curl.push_back(timed_command(curl_down));
    fs::remove(dir / "curl.mp4");
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const double mbd = static_cast<double>(mb);
  auto row = [&](const char* name, double s, const std::string& rss) {
    std::printf("%-34s %10.2f %10.1f %14s\n", name, s, mbd / s, rss.c_str());
  };
  row("upload, mvcore (multipart)", median(up_ours), std::to_string(up_rss).substr(0, 4));
  row("upload, curl CLI", median(up_curl), "-");
  row("download, mvcore (to disk)", median(down_ours), std::to_string(down_rss).substr(0, 4));
  row("download, curl CLI", median(down_curl), "-");
  if (!complete) std::printf("  (a download was incomplete!)\n");
  std::printf("\nthroughput vs curl (median of %d): upload %.0f %%, download %.0f %% (target >= 80 %%)\n", kRuns,
              100.0 * median(up_curl) / median(up_ours), 100.0 * median(down_curl) / median(down_ours));
  std::printf("peak RSS growth: upload %.1f MB, download %.1f MB (target < 32 MB)\n", up_rss, down_rss);

  // SSE: a 100 MB recorded stream in 16 KB network chunks.
  std::string stream;
  const std::string text_event = "data: {\"type\":\"text\",\"content\":\"Adding a neon title over the chorus 生成中…\"}\n\n";
  const std::string tool_event = "event: message\ndata: {\"type\":\"tool_call\",\"name\":\"edit\",\"args\":{\"track\":1}}\n\n";
  while (stream.size() < (100u << 20)) {
    stream += text_event;
    stream += tool_event;
    stream += ": keep-alive\n\ndata: {\"type\":\"heartbeat\"}\r\n\r\n";
  }
  std::size_t events = 0;
  mv::SseParser parser([&](const mv::SseEvent&) { ++events; });
  auto t0 = Clock::now();
  for (std::size_t off = 0; off < stream.size(); off += 16384) {
    parser.feed(std::string_view(stream).substr(off, 16384));
  }
  parser.finish();
  const double sse_s = seconds_since(t0);
  // Baseline: finding the line ends of the same bytes with memchr, nothing else.
  t0 = Clock::now();
  std::size_t lines = 0;
  for (const char* p = stream.data(); (p = static_cast<const char*>(std::memchr(p, '\n', stream.data() + stream.size() - p))) != nullptr; ++p) ++lines;
  const double split_s = seconds_since(t0);
  const double stream_mb = static_cast<double>(stream.size()) / (1 << 20);
  std::printf("\nSSE parsing: %.0f MB, %zu events in %.2f s = %.0f MB/s (line split alone: %.0f MB/s, %zu lines; ratio %.2f)\n",
              stream_mb, events, sse_s, stream_mb / sse_s, stream_mb / split_s, lines, split_s / sse_s);
  return 0;
}
