// look.cpp — styles, palettes and the prompt vocabulary.
#include "mv/render/look.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "mv/base/error.hpp"

namespace mv {

namespace {

struct Keyword {
  const char* word;
  enum Kind { Palette, Intensity } kind;
  const char* value;  // palette name; intensity as text
};

// The vocabulary. Keep README "Prompt words" in sync.
// The palette and intensity words (look words are in the look files'
// "keywords"). Keep README "Prompt words" in sync.
constexpr Keyword kKeywords[] = {
    {"neon", Keyword::Palette, "neon"},      {"cyberpunk", Keyword::Palette, "neon"},
    {"synthwave", Keyword::Palette, "neon"}, {"retro", Keyword::Palette, "neon"},
    {"80s", Keyword::Palette, "neon"},       {"sunset", Keyword::Palette, "sunset"},
    {"warm", Keyword::Palette, "sunset"},    {"summer", Keyword::Palette, "sunset"},
    {"golden", Keyword::Palette, "sunset"},  {"ocean", Keyword::Palette, "ocean"},
    {"sea", Keyword::Palette, "ocean"},      {"blue", Keyword::Palette, "ocean"},
    {"cool", Keyword::Palette, "ocean"},     {"rain", Keyword::Palette, "ocean"},
    {"fire", Keyword::Palette, "fire"},      {"metal", Keyword::Palette, "fire"},
    {"rock", Keyword::Palette, "fire"},      {"red", Keyword::Palette, "fire"},
    {"hot", Keyword::Palette, "fire"},       {"forest", Keyword::Palette, "forest"},
    {"nature", Keyword::Palette, "forest"},  {"green", Keyword::Palette, "forest"},
    {"mono", Keyword::Palette, "mono"},      {"monochrome", Keyword::Palette, "mono"},
    {"noir", Keyword::Palette, "mono"},      {"minimal", Keyword::Palette, "mono"},
    {"pastel", Keyword::Palette, "pastel"},  {"dreamy", Keyword::Palette, "pastel"},
    {"pink", Keyword::Palette, "pastel"},    {"霓虹", Keyword::Palette, "neon"},
    {"日落", Keyword::Palette, "sunset"},    {"海洋", Keyword::Palette, "ocean"},
    {"火焰", Keyword::Palette, "fire"},      {"森林", Keyword::Palette, "forest"},
    {"calm", Keyword::Intensity, "0.6"},     {"chill", Keyword::Intensity, "0.6"},
    {"gentle", Keyword::Intensity, "0.6"},   {"soft", Keyword::Intensity, "0.6"},
    {"subtle", Keyword::Intensity, "0.6"},   {"slow", Keyword::Intensity, "0.6"},
    {"relaxed", Keyword::Intensity, "0.6"},  {"intense", Keyword::Intensity, "1.5"},
    {"energetic", Keyword::Intensity, "1.5"}, {"hard", Keyword::Intensity, "1.5"},
    {"aggressive", Keyword::Intensity, "1.5"}, {"wild", Keyword::Intensity, "1.5"},
    {"hype", Keyword::Intensity, "1.5"},     {"heavy", Keyword::Intensity, "1.5"},
    {"punchy", Keyword::Intensity, "1.5"},   {"fast", Keyword::Intensity, "1.5"},
    {"安静", Keyword::Intensity, "0.6"},     {"激烈", Keyword::Intensity, "1.5"},
};

// The names fit std::string's small buffer (<= 15 chars): constructing these allocates
// nothing and cannot throw.
// NOLINTNEXTLINE(cert-err58-cpp)
const Palette kPalettes[] = {
    {"neon", {10, 4, 30}, {40, 0, 60}, {0, 230, 255}, {255, 40, 200}, {255, 255, 255}},
    {"sunset", {40, 10, 40}, {140, 50, 30}, {255, 150, 50}, {255, 60, 90}, {255, 240, 200}},
    {"ocean", {0, 12, 40}, {0, 60, 90}, {40, 200, 230}, {120, 255, 200}, {230, 255, 255}},
    {"fire", {20, 0, 0}, {70, 10, 0}, {255, 90, 0}, {255, 220, 40}, {255, 255, 220}},
    {"forest", {5, 20, 10}, {20, 60, 30}, {120, 220, 80}, {230, 240, 120}, {240, 255, 230}},
    {"mono", {5, 5, 5}, {40, 40, 40}, {200, 200, 200}, {255, 255, 255}, {255, 255, 255}},
    {"pastel", {60, 40, 80}, {120, 90, 130}, {180, 220, 255}, {255, 180, 220}, {255, 255, 255}},
};

}  // namespace

const std::vector<std::string>& style_names() {
  // One list per library (look_library() changes after reload_look_library()),
  // kept like the libraries for the life of the process.
  static std::mutex mutex;
  static std::map<const LookLibrary*, std::unique_ptr<const std::vector<std::string>>> lists;
  const LookLibrary& library = look_library();
  std::lock_guard lock(mutex);
  auto& names = lists[&library];
  if (!names) {
    auto n = std::make_unique<std::vector<std::string>>();
    for (const auto& l : library.looks()) n->push_back(l.name);
    n->emplace_back("montage");
    n->emplace_back("footage");
    names = std::move(n);
  }
  return *names;
}

const std::vector<std::string>& palette_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& p : kPalettes) n.push_back(p.name);
    return n;
  }();
  return names;
}

Palette palette_by_name(const std::string& name) {
  for (const auto& p : kPalettes) {
    if (p.name == name) return p;
  }
  std::string known;
  for (const auto& n : palette_names()) known += (known.empty() ? "" : ", ") + n;
  throw Error(ErrorCode::Usage, "unknown palette \"" + name + "\"; known palettes: " + known);
}

PromptHints parse_prompt(const std::string& text) {
  PromptHints hints;
  // Split into words: ASCII letters, digits and '-' form words (lower-cased);
  // every other byte sequence is kept as a separate token so Chinese keywords
  // can be found as substrings of it.
  std::vector<std::string> words;
  std::string current;
  std::string other;
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::exchange(current, {}));
    if (!other.empty()) words.push_back(std::exchange(other, {}));
  };
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80 && (std::isalnum(c) != 0 || c == '-')) {
      if (!other.empty()) words.push_back(std::exchange(other, {}));
      current += static_cast<char>(std::tolower(c));
    } else if (c >= 0x80) {
      if (!current.empty()) words.push_back(std::exchange(current, {}));
      other += ch;
    } else {
      flush();
    }
  }
  flush();
  auto matches = [](const std::string& word, const std::string& kw) {
    const bool ascii = static_cast<unsigned char>(kw[0]) < 0x80;
    return ascii ? word == kw : word.find(kw) != std::string::npos;
  };
  for (const auto& w : words) {
    for (const auto& k : kKeywords) {
      if (!matches(w, k.word)) continue;
      hints.matched.emplace_back(k.word);
      if (k.kind == Keyword::Palette) {
        hints.palette = k.value;
      } else {
        hints.intensity = std::stod(k.value);
      }
    }
    for (const auto& look : look_library().looks()) {
      for (const auto& kw : look.keywords) {
        if (!matches(w, kw)) continue;
        if (hints.matched.empty() || hints.matched.back() != kw) hints.matched.push_back(kw);  // "retro" is both
        hints.style = look.name;
      }
    }
  }
  return hints;
}

}  // namespace mv
