// bench.hpp — `mvgen bench`: renders an excerpt of a real song at 1080p30 with
// the default style and compares it, in the same run, with the FFmpeg CLI's
// showwaves doing the same job at the same preset and size.
#pragma once

#include <optional>
#include <string>

namespace mvcli {

/// Runs the benchmark and prints figures on stdout. `self` is argv[0] (mvgen),
/// `song` the input (required), `long_input` an optional long file (e.g. 20
/// minutes) rendered in full to show that peak memory does not grow with length.
/// `charts` an optional folder of NAME.ogg + NAME.mid pairs (songs with known
/// beats: the MIDI file's tempo map): our beat tracker and the QM DSP library's
/// are scored against them side by side (F-measure ±70 ms, share on the beat
/// rather than the off-beat, downbeat F-measure, tempo, time). With `charts`
/// and no `song`, only that comparison runs; the live tracker is scored after it. With
/// `live`, only the live looks' cost: every look drawn live at 720p and 1080p over the first
/// 10 s of `song` (ms of one core per frame) beside its drawing cost per frame in a file
/// render. Returns the exit code.
int run_bench(const std::string& self, const std::optional<std::string>& song,
              const std::optional<std::string>& long_input, const std::string& seconds, const std::string& preset,
              const std::optional<std::string>& charts = std::nullopt, bool live = false);

}  // namespace mvcli
