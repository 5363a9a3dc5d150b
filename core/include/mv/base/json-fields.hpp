// json-fields.hpp — reading the fields of a JSON object with errors that name
// them: the one reader of every option group's JSON form (render/options.hpp)
// and of the job (jobs/job-spec.hpp).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "mv/base/error.hpp"

namespace mv {

/// Error{Usage} "\"field\" what", e.g. "\"fps\" must be 24, 30 or 60".
Error field_error(const std::string& field, const std::string& what);

/// Reads optional fields of a JSON object; a null counts as absent. Errors:
/// field_error() naming the field and what it must be.
struct JsonFields {
  const nlohmann::json& j;

  [[nodiscard]] bool has(const char* key) const;
  /// A string field.
  [[nodiscard]] std::optional<std::string> text(const char* key) const;
  /// A number field; `unit` completes the message ("must be a number" + unit).
  [[nodiscard]] std::optional<double> number(const char* key, const char* unit = "") const;
  /// A whole number (|v| ≤ 10⁶).
  [[nodiscard]] std::optional<int> whole(const char* key) const;
  /// true or false.
  [[nodiscard]] std::optional<bool> flag(const char* key) const;
};

}  // namespace mv
