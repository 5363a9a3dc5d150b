// cloud-client-fixture.hpp — what the cloud client's suites share (test-cloud-client.cpp,
// test-cloud-client-transfers.cpp): a fresh fake server, config folder and settings per
// test, a real MP4 for the server to hand back, and the kind of the CloudError a call throws.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include "cloud-fixture.hpp"
#include "fake-nemo-server.hpp"
#include "mv/cloud/client.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"

namespace cloud_client_test {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

/// A fresh server, config folder and settings for each test; NEMO_TOKEN unset.
struct Fixture : mvtest::CloudFixture {
  Fixture() {
    settings.rate_limit_wait = std::chrono::milliseconds(200);
    settings.notice_interval = std::chrono::milliseconds(300);
  }
};

/// A real 2 s MP4 for the server to hand back as the render.
inline fs::path make_mp4(const mvtest::TempDir& dir) {
  const auto path = dir / "render.mp4";
  EXPECT_TRUE(mvtest::ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=25 -f lavfi -i sine=f=440 -t 2 -c:v libx264 "
                             "-preset ultrafast -c:a aac -shortest " + path.string()));
  return path;
}

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline mv::CloudErrorKind kind_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const mv::CloudError& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no CloudError thrown";
  return mv::CloudErrorKind::BadResponse;
}

}  // namespace cloud_client_test
