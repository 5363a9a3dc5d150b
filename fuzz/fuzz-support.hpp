// fuzz-support.hpp — helpers shared by the libFuzzer harnesses in fuzz/:
// invariant checks that abort (so libFuzzer records the input as a crash) and
// a per-process scratch folder in /dev/shm for parsers that read files.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace mvfuzz {

/// Aborts with `what` when `ok` is false: a broken invariant is a finding.
inline void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  std::abort();
}

/// A folder of this process's own under /dev/shm (RAM, so writes cost no disk
/// I/O), e.g. /dev/shm/mv-fuzz-<name>-<pid>; created on first use. The
/// harness removes the files it made before each run.
inline const std::filesystem::path& scratch_dir(const char* name) {
  static const std::filesystem::path dir = [name] {
    std::filesystem::path base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    std::filesystem::path d = base / ("mv-fuzz-" + std::string(name) + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

/// Writes `bytes` to `path` (truncating it).
inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  check(static_cast<bool>(out), "cannot write the scratch file");
}

}  // namespace mvfuzz
