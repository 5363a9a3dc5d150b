// fault-matrix-fixture.hpp — what the fault-matrix suites share (test-fault-matrix.cpp,
// test-fault-matrix-hostile.cpp): a fresh fake server with short limits per test, a client
// with a session, the bound every call must end within, and the check that the error is typed
// and readable.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <set>
#include <string>

#include "cloud-fixture.hpp"
#include "fake-nemo-server.hpp"
#include "mv/cloud/client.hpp"
#include "mv/net/http.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"

namespace fault_matrix {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;
using Kind = mv::CloudErrorKind;

// The limits every test uses (see Fixture). Quick: connect 500 ms, 1 s under
// 1 byte/s, 1 s in all. Stream: 1.5 s in all. Upload/Download: 1 s under 1 byte/s.
inline constexpr long kQuickTotalMs = 1000;
inline constexpr long kStreamTotalMs = 1500;
inline constexpr long kIdleS = 1;
// curl checks the low-speed limit once a second: an idle limit of N s fires
// after at most N + 1 s.
inline constexpr long kIdleBoundMs = (kIdleS + 1) * 1000;
// Slack on every bound: scheduling on a loaded 2-core machine, process start of curl handles.
inline constexpr long kSlackMs = 2000;

/// A fresh server, folders and short limits per test; NEMO_TOKEN unset.
struct Fixture : mvtest::CloudFixture {
  fs::path out_dir;  ///< the output folder of downloads
  Fixture() {
    settings.rate_limit_wait = ms(100);
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

inline Outcome run(const std::function<void()>& fn) {
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
inline void expect_clear_error(const Outcome& o, Kind kind, long bound_ms) {
  ASSERT_TRUE(o.kind.has_value()) << "no CloudError; other exception: " << o.other_exception << " " << o.message;
  EXPECT_EQ(mv::cloud_error_id(*o.kind), std::string(mv::cloud_error_id(kind))) << o.message;
  EXPECT_GE(o.message.size(), 20u) << o.message;
  EXPECT_NE(o.message.find(' '), std::string::npos) << o.message;
  EXPECT_EQ(o.message.find('\n'), std::string::npos) << o.message;
  EXPECT_EQ(o.message.find("Bearer"), std::string::npos) << o.message;
  EXPECT_LT(o.elapsed_ms, bound_ms) << o.message;
}

/// The files under `root`, recursively (relative paths).
inline std::set<std::string> tree(const fs::path& root) {
  std::set<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) out.insert(fs::relative(e.path(), root).string());
  return out;
}

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A real 1 s MP4 for downloads that must succeed.
inline fs::path make_mp4(const mvtest::TempDir& dir) {
  const auto path = dir / "render.mp4";
  EXPECT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=size=160x120:rate=10 -t 1 -c:v libx264 -preset ultrafast " +
                             path.string()));
  return path;
}

inline const std::string kCredits = "^/api/credits/balance/simple$";
inline const std::string kSse = "^/run_sse$";
inline const std::string kUpload = "^/api/upload-video/";
inline const std::string kPoll = "^/api/render/proxy/lambda/[^/]+$";
inline const std::string kFiles = "^/files/";
inline const std::string kFallback = "^/api/render/proxy/[^/]+/download$";
inline const std::string kOkEnvelope = R"({"code":0,"message":"ok","data":{"available":1,"frozen":0,"total":1}})";

/// A client that already holds a token and a session.
struct Ready {
  mv::CloudClient client;
  mv::CloudSession session;
  explicit Ready(Fixture& f) : client(f.settings), session(client.create_session()) {}
};

}  // namespace fault_matrix
