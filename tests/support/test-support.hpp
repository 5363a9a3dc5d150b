// test-support.hpp — helpers shared by the GoogleTest suites: scratch
// directories, running commands, writing WAV files and synthetic drum tracks.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace mvtest {

/// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// Result of running a command through /bin/sh.
struct CommandResult {
  int exit_code = -1;    ///< the process exit status, or 128+signal
  std::string output;    ///< stdout and stderr together
};

/// Runs `command` with /bin/sh -c, capturing stdout+stderr.
CommandResult run_command(const std::string& command);

/// Runs `command` with /bin/sh -c, capturing stdout only (stderr discarded).
CommandResult run_stdout(const std::string& command);

/// Quotes a string for /bin/sh.
std::string shell_quote(const std::string& s);

/// Path of the built mvgen binary.
std::string mvgen_path();

/// Directory of the real sample song (build/sample, made by scripts/fetch-sample.sh).
std::filesystem::path sample_dir();

/// Writes 16-bit PCM WAV. `samples` interleaved, full scale ±1 (clipped).
void write_wav(const std::filesystem::path& path, const std::vector<float>& samples, int sample_rate,
               int channels);

/// Kind of synthetic rhythm track.
enum class Rhythm {
  Click,  ///< 1 kHz clicks, the downbeat accented
  Drums,  ///< kick on beats 1 and 3, snare on 2 and 4
};

/// Synthesises a mono rhythm track at `bpm` with a -60 dBFS noise floor.
/// Returns samples; `beat_times` receives the ground-truth beat times (s).
std::vector<float> synth_rhythm(Rhythm rhythm, double bpm, double seconds, int sample_rate,
                                std::vector<double>* beat_times);

/// Music with no silent gaps: synth_rhythm()'s drums at `bpm` over a held A major
/// chord (220, 277.18, 329.63 Hz, 0.06 each) and a little white noise (±0.01).
/// Mono, full scale ±1; `beat_times` as synth_rhythm()'s.
std::vector<float> synth_music(double bpm, double seconds, int sample_rate, std::vector<double>* beat_times);

/// Beat F-measure (MIREX style) of `estimated` against `reference` with a
/// ±`tolerance_s` window, each reference matched at most once.
double beat_f_measure(const std::vector<double>& reference, const std::vector<double>& estimated,
                      double tolerance_s);

/// Encodes `input` with the ffmpeg CLI: `ffmpeg -y -v error <args_before_output> output`.
/// Returns true on success.
bool ffmpeg(const std::string& args);

/// Copies `jpeg` to `out` with an EXIF APP1 segment holding only Orientation =
/// `code` (1..8; TIFF tag 274, little-endian IFD) right after its SOI marker,
/// as cameras write it. Returns false when `jpeg` is not a JPEG.
bool with_exif_orientation(const std::filesystem::path& jpeg, int code, const std::filesystem::path& out);

/// The names of the entries of folder `dir` (to check that nothing was left behind).
std::set<std::string> file_names(const std::filesystem::path& dir);

/// Mean power (dBFS) of mono `samples` at `rate` Hz in [from_s, to_s) (−120 for silence).
double power_db(const std::vector<float>& samples, int rate, double from_s, double to_s);

/// The sound of `path` above 6 kHz (FFmpeg's high-pass, three 2-pole stages), mono at
/// 48 kHz, decoded through a raw file in `scratch` (a folder). Empty when FFmpeg fails.
std::vector<float> treble_of(const std::filesystem::path& path, const std::filesystem::path& scratch);

/// Writes `text` to `path` as it is (binary), replacing the file.
void write_text(const std::filesystem::path& path, const std::string& text);

}  // namespace mvtest
