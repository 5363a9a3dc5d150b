// fake-nemo-serve.cpp — the fake cloud server (tests/support/fake-nemo-server) as a
// process, for tests that are not C++: the end-to-end test in a real OBS points the
// plugin's cloud URL at it.
//
// Usage: fake-nemo-serve RENDER.mp4
//   Serves RENDER.mp4 as every finished render, answers renders after one poll,
//   prints "http://127.0.0.1:PORT" on the first line of stdout, and runs until its
//   stdin is closed (so it never outlives the test that started it).
// Exit codes: 0 after stdin closed, 2 on bad usage or when the server cannot start.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

#include "fake-nemo-server.hpp"

int main(int argc, char** argv) {
  if (argc != 2 || !std::filesystem::is_regular_file(argv[1])) {
    std::fprintf(stderr, "usage: fake-nemo-serve RENDER.mp4 (an existing file)\n");
    return 2;
  }
  try {
    mvtest::FakeNemoServer server;
    server.set_download_file(argv[1]);
    server.set_render_polls(1);
    std::cout << server.base_url() << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {
    }
    server.stop();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fake-nemo-serve: %s\n", e.what());
    return 2;
  }
  return 0;
}
