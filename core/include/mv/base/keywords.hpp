// keywords.hpp — which of a table's keywords a user's text names first (mood
// words for the composer, kind words for the job model, in English and Chinese).
#pragma once

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

namespace mv {

/// The value of the keyword that occurs earliest in `text` (ASCII compared
/// case-insensitively; a keyword counts anywhere in the text, so Chinese
/// needs no spaces around it; at the same place the earlier table entry
/// wins); nullopt when none occurs. Keywords are lower case.
template <typename T, std::size_t N>
std::optional<T> first_keyword(const std::string& text, const std::array<std::pair<const char*, T>, N>& keywords) {
  std::string lower = text + " ";  // a keyword may end with a space ("mv ")
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t first = std::string::npos;
  std::optional<T> found;
  for (const auto& [word, value] : keywords) {
    const std::size_t at = lower.find(word);
    if (at != std::string::npos && at < first) {
      first = at;
      found = value;
    }
  }
  return found;
}

}  // namespace mv
