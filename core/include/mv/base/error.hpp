// error.hpp — the one error type of mvcore: a code the front ends can map to
// exit codes or translated text, and a plain-language message.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace mv {

/// What kind of failure happened. Front ends map these to exit codes (see
/// cli/main.cpp and README "Exit codes") or to localized messages.
enum class ErrorCode {
  Usage,        ///< bad command line or option value
  InputMissing, ///< the input path does not exist or is not a regular file
  InputInvalid, ///< the input is empty, not media, has no audio, or is too short
  Output,       ///< the output cannot be written, exists, or equals the input
  Media,        ///< FFmpeg failed while decoding or encoding (unexpected)
  Cancelled,    ///< the caller asked to stop (Ctrl-C, Cancel button)
  Internal,     ///< a bug or an unexpected system failure
};

/// Exception carrying an ErrorCode and a message meant for the user
/// (no stack traces, no raw FFmpeg jargon where a plain word exists).
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  [[nodiscard]] ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

/// Stable lower-case id of a code ("usage", "input_missing", "input_invalid",
/// "output", "media", "cancelled", "internal"): mvgen's --json error code and
/// the key of translated messages in the plugin.
const char* error_code_id(ErrorCode code);

/// "a, b or c" (", " between, " or " before the last; "" for none): the
/// choices an error message lists.
std::string one_of(const std::vector<std::string>& items);

}  // namespace mv
