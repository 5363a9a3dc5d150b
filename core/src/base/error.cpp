// error.cpp — the stable ids of error codes (see mv/base/error.hpp).
#include "mv/base/error.hpp"

namespace mv {

const char* error_code_id(ErrorCode code) {
  switch (code) {
    case ErrorCode::Usage: return "usage";
    case ErrorCode::InputMissing: return "input_missing";
    case ErrorCode::InputInvalid: return "input_invalid";
    case ErrorCode::Output: return "output";
    case ErrorCode::Media: return "media";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Internal: return "internal";
  }
  return "internal";
}

std::string one_of(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace mv
