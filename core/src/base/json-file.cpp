// json-file.cpp — atomic JSON files (see json-file.hpp).
#include "mv/base/json-file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "mv/base/error.hpp"
#include "mv/base/output-file.hpp"

namespace mv {

namespace fs = std::filesystem;

void write_json_file(const fs::path& path, const nlohmann::json& value, unsigned mode) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) throw Error(ErrorCode::Output, "cannot create " + dir.string() + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
  }
  remove_orphaned_temp_files(dir, path, ".tmp");
  // pid + a per-process counter: two threads writing the same file never share a temporary.
  static std::atomic<unsigned> counter{0};
  const fs::path temp = dir / ("." + path.filename().string() + "." + std::to_string(::getpid()) + "-" +
                               std::to_string(counter.fetch_add(1)) + ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) throw Error(ErrorCode::Output, "cannot write " + temp.string() + ": " + std::strerror(errno));
  ::fchmod(fd, static_cast<mode_t>(mode));  // the umask must not widen or narrow it
  const std::string text = value.dump(2) + "\n";
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string reason = std::strerror(errno);
      ::close(fd);
      fs::remove(temp, ec);
      throw Error(ErrorCode::Output, "cannot write " + path.string() + ": " + reason);
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    fs::remove(temp, ec);
    throw Error(ErrorCode::Output, "cannot write " + path.string() + " (fsync failed)");
  }
  if (fs::exists(path, ec)) {
    fs::path bak = path;
    bak += ".bak";
    fs::remove(bak, ec);
    if (::link(path.c_str(), bak.c_str()) == 0) ::chmod(bak.c_str(), static_cast<mode_t>(mode));
  }
  fs::rename(temp, path, ec);
  if (ec) {
    fs::remove(temp, ec);
    throw Error(ErrorCode::Output, "cannot replace " + path.string() + ": " + ec.message());
  }
  // Make the rename itself durable (a power cut right after must not bring back the old file).
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

std::optional<nlohmann::json> read_json_file(const fs::path& path) {
  fs::path bak = path;
  bak += ".bak";
  for (const auto& candidate : {path, bak}) {
    std::ifstream in(candidate);
    if (!in) continue;
    std::stringstream ss;
    ss << in.rdbuf();
    auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (!j.is_discarded()) return j;
  }
  return std::nullopt;
}

}  // namespace mv
