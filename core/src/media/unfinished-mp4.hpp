// unfinished-mp4.hpp — the recording that stopped before it was finished: an
// MP4 or MOV file whose index (the moov atom, written last) never came.
// Internal to the media library.
#pragma once

#include <filesystem>

namespace mv {

/// True when `path` is an ISO base media file (MP4, MOV, M4A: it starts with
/// an `ftyp`, `wide`, `free` or `mdat` box) that has media data (`mdat`) but
/// neither an index (`moov`) nor fragments (`moof`, which carry their own):
/// read from the top-level box headers only (ISO/IEC 14496-12 §4.2: a 32-bit
/// size, or 1 and a 64-bit size after the type, or 0 for "to the end").
bool is_unfinished_mp4(const std::filesystem::path& path);

/// Throws Error{InputInvalid} when is_unfinished_mp4(path): the recording is
/// incomplete, what that means and how to recover it (remux advice and the
/// tools that rebuild an index from a reference file). Otherwise returns.
void throw_if_unfinished_mp4(const std::filesystem::path& path);

}  // namespace mv
