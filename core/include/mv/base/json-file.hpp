// json-file.hpp — settings, identity and job files as plain JSON written
// atomically (temporary file, fsync, rename) with the previous version kept
// as `<name>.bak`, the way OBS's obs_data_save_json_safe does.
#pragma once

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

namespace mv {

/// Writes `value` to `path` atomically with file mode `mode` (e.g. 0600 for
/// files holding a token); creates the parent folder (mode 0700). The old
/// file, if any, becomes `path.bak` (a hard link made before the rename), so
/// at every instant `path` is absent, the old or the new complete file, and
/// `path.bak` absent or a complete earlier version, even if the process is
/// killed. The temporary file is `.<name>.<pid>-<n>.tmp` (unique per call);
/// ones left by killed processes are removed by the next write. The rename is
/// made durable with an fsync of the folder. Errors: Error{Output} naming the path.
void write_json_file(const std::filesystem::path& path, const nlohmann::json& value, unsigned mode = 0644);

/// Reads a JSON file; when it is missing or corrupt, tries `path.bak`.
/// nullopt when neither holds valid JSON.
std::optional<nlohmann::json> read_json_file(const std::filesystem::path& path);

}  // namespace mv
