// output-file.cpp — output checks, temporary files and free names (see mv/base/output-file.hpp).
#include "mv/base/output-file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>

#include "mv/base/error.hpp"

namespace mv {

namespace fs = std::filesystem;

bool same_file(const fs::path& a, const fs::path& b) {
  if (a.empty() || b.empty()) return false;
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

const std::vector<std::string>& video_output_extensions() {
  static const std::vector<std::string> kExtensions = {".mp4", ".m4v", ".mov"};
  return kExtensions;
}

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// True when `output` names an existing file directly inside the folder `dir`.
bool inside_folder(const fs::path& dir, const fs::path& output) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec) || !fs::exists(output, ec)) return false;
  const fs::path parent = fs::weakly_canonical(fs::absolute(output, ec), ec).parent_path();
  return !ec && fs::equivalent(parent, dir, ec);
}

}  // namespace

void check_output(const std::vector<fs::path>& inputs, const fs::path& output, bool force,
                  const std::vector<std::string>& extensions) {
  if (output.empty()) throw Error(ErrorCode::Usage, "no output file given (-o OUT.mp4)");
  for (const auto& input : inputs) {
    if (input.empty()) continue;
    if (same_file(input, output)) {
      throw Error(ErrorCode::Output, "the output " + output.string() + " is an input (" + input.string() +
                                         "); it is never replaced: choose another name");
    }
    if (inside_folder(input, output)) {
      throw Error(ErrorCode::Output, "the output " + output.string() + " is a file of the input folder " + input.string() +
                                         "; it is never replaced: choose another name or folder");
    }
  }
  if (!extensions.empty()) {
    const std::string ext = lower(output.extension().string());
    if (std::find(extensions.begin(), extensions.end(), ext) == extensions.end()) {
      const std::string kind = extensions.front() == ".mp4" ? "an MP4 file" : "a " + extensions.front().substr(1) + " file";
      throw Error(ErrorCode::Output, output.string() + ": the output is " + kind + "; name it " + one_of(extensions) +
                                         (ext.empty() ? "" : " (not " + ext + ")"));
    }
  }
  std::error_code ec;
  const auto status = fs::status(output, ec);
  if (fs::exists(status)) {
    if (fs::is_directory(status)) throw Error(ErrorCode::Output, output.string() + " is a folder; give a file name");
    if (!force) throw Error(ErrorCode::Output, output.string() + " already exists; pass --force to replace it");
  }
  const fs::path dir = output.parent_path().empty() ? fs::path(".") : output.parent_path();
  if (!fs::exists(dir, ec)) throw Error(ErrorCode::Output, "the folder " + dir.string() + " does not exist");
  if (!fs::is_directory(dir, ec)) throw Error(ErrorCode::Output, dir.string() + " is not a folder");
}

void remove_orphaned_temp_files(const fs::path& dir, const fs::path& target, std::string_view suffix) {
  const std::string prefix = "." + target.filename().string() + ".";
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    const std::string rest = name.substr(prefix.size());
    const auto digits_end = rest.find_first_not_of("0123456789");
    if (digits_end == 0 || digits_end == std::string::npos || (rest[digits_end] != '-' && rest[digits_end] != '.')) continue;
    const long pid = std::strtol(rest.substr(0, digits_end).c_str(), nullptr, 10);
    if (pid <= 0 || pid == static_cast<long>(::getpid())) continue;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      std::error_code rm;
      fs::remove(it->path(), rm);
    }
  }
}

TempOutput::TempOutput(const fs::path& output) {
  std::random_device rd;
  const auto dir = output.parent_path().empty() ? fs::path(".") : output.parent_path();
  remove_orphaned_temp_files(dir, output, ".part");  // left by killed runs (SIGKILL, power cut)
  for (int attempt = 0; attempt < 16; ++attempt) {
    path_ = dir / ("." + output.filename().string() + "." + std::to_string(getpid()) + "-" +
                   std::to_string(rd() % 100000) + ".part");
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::close(fd);
      return;
    }
    if (errno != EEXIST) {
      const std::string reason = std::strerror(errno);
      path_.clear();
      throw Error(ErrorCode::Output, "cannot write to folder " + dir.string() + ": " + reason);
    }
  }
  path_.clear();
  throw Error(ErrorCode::Output, "cannot create a temporary file in " + dir.string());
}

TempOutput::~TempOutput() {
  if (!path_.empty()) {
    std::error_code ec;
    fs::remove(path_, ec);
  }
}

void TempOutput::commit(const fs::path& target) {
  std::error_code ec;
  fs::rename(path_, target, ec);
  if (ec) throw Error(ErrorCode::Output, "cannot move the finished video to " + target.string() + ": " + ec.message());
  path_.clear();
}

fs::path unique_output_path(const fs::path& dir, const std::string& name, const std::string& extension) {
  for (int n = 1;; ++n) {
    std::string file = name;
    if (n > 1) file += " (" + std::to_string(n) + ")";
    file += extension;
    fs::path candidate = dir / file;
    std::error_code ec;
    if (!fs::exists(candidate, ec) && !fs::is_symlink(candidate, ec)) return candidate;
  }
}

}  // namespace mv
