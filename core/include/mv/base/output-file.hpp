// output-file.hpp — how every output of mvcore reaches its path without ever
// losing a user's file: checks before any work (check_output), a reserved
// temporary file next to the output that is renamed only when complete
// (TempOutput), the sweep of temporary files left by killed processes
// (remove_orphaned_temp_files) and a free name in a folder (unique_output_path).
// Used by the local engine's renders (.part), the cloud downloads (.part) and
// the JSON job/settings files (.tmp).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mv {

/// True when `a` and `b` name the same file (an existing file by inode, else by
/// their normalized absolute paths).
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

/// The names a video output may end in (lower case, with the dot): the MP4
/// family the engine writes, ".mp4", ".m4v", ".mov".
const std::vector<std::string>& video_output_extensions();

/// Checks an output path before any work, so that nothing the user gave is
/// ever replaced, with `force` or without. Refuses (all Error{Output}, naming
/// the path and the reason, unless said otherwise):
/// - an empty path (Error{Usage});
/// - an extension not in `extensions` (case-insensitive; an empty list takes
///   any), named: "x.mkv: the output is an MP4 file; name it .mp4, .m4v or .mov";
/// - the same file as any of `inputs` — after symbolic links and hard links
///   (an existing file by device and inode, else by the canonical path) — and,
///   for an input that is a folder (a music folder), any existing file directly
///   inside it; empty entries are skipped;
/// - an existing folder at the path, an existing file without `force`, a
///   missing folder or a parent that is not a folder.
void check_output(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& output, bool force,
                  const std::vector<std::string>& extensions = video_output_extensions());

/// Removes the temporary files `.<target name>.<pid>-<n><suffix>` (or
/// `.<target name>.<pid>.<...><suffix>`) in `dir` whose writer process no longer
/// exists (killed between creating and renaming them: they can never be
/// finished). Files of live processes and of this one are left alone. Used for
/// the job files' `.tmp` and the renders' `.part` files. Never throws.
void remove_orphaned_temp_files(const std::filesystem::path& dir, const std::filesystem::path& target,
                                std::string_view suffix);

/// A reserved temporary file next to an output: `.<output name>.<pid>-<n>.part`,
/// created empty (O_EXCL, mode 0644) by the constructor, which also sweeps the
/// orphans of killed runs and so proves the folder writable. Removed by the
/// destructor unless commit() renamed it onto the output.
/// Errors: Error{Output} "cannot write to folder <dir>: <reason>".
class TempOutput {
 public:
  explicit TempOutput(const std::filesystem::path& output);
  ~TempOutput();
  TempOutput(const TempOutput&) = delete;
  TempOutput& operator=(const TempOutput&) = delete;
  /// The temporary file to write.
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  /// Renames the temporary file onto `target` (atomic on one filesystem).
  /// Errors: Error{Output} "cannot move the finished video to <target>: <reason>".
  void commit(const std::filesystem::path& target);

 private:
  std::filesystem::path path_;
};

/// A path in `dir` that names no existing file: `<name><extension>`, then
/// `<name> (2)<extension>`, `<name> (3)<extension>`, … e.g.
/// ("/v", "My Song music video") → "/v/My Song music video.mp4".
std::filesystem::path unique_output_path(const std::filesystem::path& dir, const std::string& name,
                                         const std::string& extension = ".mp4");

}  // namespace mv
