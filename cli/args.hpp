// args.hpp — mvgen's command line: the option table, parsing into
// positional arguments and options, and the one translation of the generate
// options into an mv::JobSpec (the job model every front end builds).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mv/analysis/analysis.hpp"
#include "mv/jobs/job-spec.hpp"

namespace mvcli {

/// Parsed command line: positional arguments and --options with their values.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> options;  ///< "--output" is stored as "-o"
  [[nodiscard]] bool has(const std::string& key) const { return options.count(key) != 0; }
  /// The last value of an option; nullopt when absent or valueless.
  [[nodiscard]] std::optional<std::string> get(const std::string& key) const;
};

/// Parses argv[first..argc). "--opt=value" and "--opt value" both work;
/// "--clips" takes every following word up to the next option. Negative
/// numbers are values, not options. Errors: Error{Usage} for an unknown option
/// or a missing value.
Args parse_args(int argc, char** argv, int first);

/// A number option's value. Errors: Error{Usage} "<option> needs a number, got \"x\"".
double to_number(const std::string& option, const std::string& text);

/// The job the generate options describe (--backend, --kind, --aspect,
/// --resolution, --size, --fps, --style, --palette, --intensity, --prompt,
/// --title, --clips, --start, --duration, --bpm, --tempo-range, --preset,
/// --crf, --threads, --force, -o), with `inputs` (the song first) and no
/// output when `output` is empty. Unknown style/palette names and bad values
/// are usage errors here, before any work. Errors: Error{Usage}.
mv::JobSpec spec_from_args(const Args& args, const std::vector<std::string>& inputs, const std::string& output);

/// The analysis options of `mvgen analyze` (--start, --duration, --bpm,
/// --tempo-range, --audio-track), validated as the job model validates them;
/// `highlight_s` (may be null) gets the length of the highlights to list
/// (--highlight, 15..60, default 30).
mv::AnalysisOptions analysis_from_args(const Args& args, double* highlight_s = nullptr);

}  // namespace mvcli
