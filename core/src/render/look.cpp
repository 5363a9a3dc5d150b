// look.cpp — styles, palettes and the prompt vocabulary.
#include "mv/render/look.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "mv/base/error.hpp"

namespace mv {

namespace {

struct Keyword {
  const char* word;
  enum Kind { Style, Palette, Intensity } kind;
  const char* value;  // style or palette name; intensity as text
};

// The vocabulary. Keep README "Prompt words" in sync.
constexpr Keyword kKeywords[] = {
    {"bars", Keyword::Style, "bars"},        {"spectrum", Keyword::Style, "bars"},
    {"equalizer", Keyword::Style, "bars"},   {"eq", Keyword::Style, "bars"},
    {"edm", Keyword::Style, "bars"},         {"club", Keyword::Style, "bars"},
    {"wave", Keyword::Style, "wave"},        {"waveform", Keyword::Style, "wave"},
    {"ribbon", Keyword::Style, "wave"},      {"oscilloscope", Keyword::Style, "wave"},
    {"lofi", Keyword::Style, "wave"},        {"lo-fi", Keyword::Style, "wave"},
    {"acoustic", Keyword::Style, "wave"},    {"ambient", Keyword::Style, "wave"},
    {"pulse", Keyword::Style, "pulse"},      {"particles", Keyword::Style, "pulse"},
    {"particle", Keyword::Style, "pulse"},   {"rings", Keyword::Style, "pulse"},
    {"techno", Keyword::Style, "pulse"},     {"trance", Keyword::Style, "pulse"},
    {"space", Keyword::Style, "pulse"},      {"cosmic", Keyword::Style, "pulse"},
    {"montage", Keyword::Style, "montage"},  {"slideshow", Keyword::Style, "montage"},
    {"波形", Keyword::Style, "wave"},        {"频谱", Keyword::Style, "bars"},
    {"粒子", Keyword::Style, "pulse"},
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
  static const std::vector<std::string> names{"bars", "wave", "pulse", "montage", "footage"};
  return names;
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
  for (const auto& w : words) {
    for (const auto& k : kKeywords) {
      const std::string kw = k.word;
      const bool ascii = static_cast<unsigned char>(kw[0]) < 0x80;
      if (ascii ? w != kw : w.find(kw) == std::string::npos) continue;
      hints.matched.push_back(kw);
      switch (k.kind) {
        case Keyword::Style: hints.style = k.value; break;
        case Keyword::Palette: hints.palette = k.value; break;
        case Keyword::Intensity: hints.intensity = std::stod(k.value); break;
      }
    }
  }
  return hints;
}

}  // namespace mv
