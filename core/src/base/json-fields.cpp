// json-fields.cpp — see mv/base/json-fields.hpp.
#include "mv/base/json-fields.hpp"

#include <cmath>

namespace mv {

Error field_error(const std::string& field, const std::string& what) {
  return Error(ErrorCode::Usage, "\"" + field + "\" " + what);
}

bool JsonFields::has(const char* key) const { return j.contains(key) && !j[key].is_null(); }

std::optional<std::string> JsonFields::text(const char* key) const {
  if (!has(key)) return std::nullopt;
  if (!j[key].is_string()) throw field_error(key, "must be a string");
  return j[key].get<std::string>();
}

std::optional<double> JsonFields::number(const char* key, const char* unit) const {
  if (!has(key)) return std::nullopt;
  if (!j[key].is_number()) throw field_error(key, std::string("must be a number") + unit);
  return j[key].get<double>();
}

std::optional<int> JsonFields::whole(const char* key) const {
  const auto v = number(key);
  if (!v) return std::nullopt;
  if (std::floor(*v) != *v || std::fabs(*v) > 1e6) throw field_error(key, "must be a whole number");
  return static_cast<int>(*v);
}

std::optional<bool> JsonFields::flag(const char* key) const {
  if (!has(key)) return std::nullopt;
  if (!j[key].is_boolean()) throw field_error(key, "must be true or false");
  return j[key].get<bool>();
}

}  // namespace mv
