// cloud-fixture.hpp — the start every cloud-client test shares: a fresh fake
// server, a temporary folder and client settings that point at that server
// (NEMO_TOKEN and NEMO_API_URL unset, downloads checked as video files, polls and
// retries 20 ms apart). Suites add their own limits on top.
#pragma once

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "fake-nemo-server.hpp"
#include "mv/cloud/client.hpp"
#include "mv/media/media.hpp"
#include "test-support.hpp"

namespace mvtest {

struct CloudFixture {
  FakeNemoServer server;
  TempDir dir;
  mv::CloudSettings settings;
  CloudFixture() {
    unsetenv("NEMO_TOKEN");
    unsetenv("NEMO_API_URL");
    settings.verify_download = mv::require_video_file;  // the front ends' check (media domain)
    settings.base_url = server.base_url();
    settings.config_dir = dir / "config";
    settings.poll_interval = std::chrono::milliseconds(20);
    settings.retry_backoff = std::chrono::milliseconds(20);
  }
  /// `bytes` bytes of 'x' in `dir`/`name`.
  std::filesystem::path small_file(const std::string& name, std::size_t bytes = 1000) {
    std::ofstream out(dir / name, std::ios::binary);
    out << std::string(bytes, 'x');
    return dir / name;
  }
};

}  // namespace mvtest
