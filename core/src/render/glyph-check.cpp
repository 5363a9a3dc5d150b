// glyph-check.cpp — see glyph-check.hpp. Fontconfig's API: FcFontList with an
// object set of FC_CHARSET, FcCharSetUnion, FcCharSetHasChar.
#include "mv/render/glyph-check.hpp"

#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>

namespace mv {

namespace {

struct CharSetDeleter {
  void operator()(FcCharSet* c) const { FcCharSetDestroy(c); }
};

/// Every installed font's characters, once per process (fontconfig reads its cache).
const FcCharSet* installed_characters() {
  static std::unique_ptr<FcCharSet, CharSetDeleter> all;
  static std::once_flag once;
  std::call_once(once, [] {
    all.reset(FcCharSetCreate());
    FcPattern* pattern = FcPatternCreate();
    FcObjectSet* objects = FcObjectSetBuild(FC_CHARSET, nullptr);
    FcFontSet* fonts = FcFontList(nullptr, pattern, objects);
    if (fonts != nullptr && all) {
      for (int i = 0; i < fonts->nfont; ++i) {
        FcCharSet* cs = nullptr;
        if (FcPatternGetCharSet(fonts->fonts[i], FC_CHARSET, 0, &cs) == FcResultMatch && cs != nullptr) {
          FcCharSet* merged = FcCharSetUnion(all.get(), cs);
          if (merged != nullptr) all.reset(merged);
        }
      }
    }
    if (fonts != nullptr) FcFontSetDestroy(fonts);
    FcObjectSetDestroy(objects);
    FcPatternDestroy(pattern);
  });
  return all.get();
}

/// Characters that draw nothing of their own: whitespace, controls, joiners, variation selectors.
bool invisible(char32_t c) {
  return c <= 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 ||
         c == 0xFEFF || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) || c == 0x3000;
}

}  // namespace

std::vector<char32_t> utf8_code_points(const std::string& text) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    int extra = 0;
    char32_t c = 0;
    if (b < 0x80) {
      c = b;
    } else if ((b & 0xE0) == 0xC0) {
      c = b & 0x1F, extra = 1;
    } else if ((b & 0xF0) == 0xE0) {
      c = b & 0x0F, extra = 2;
    } else if ((b & 0xF8) == 0xF0) {
      c = b & 0x07, extra = 3;
    } else {
      ++i;  // a stray continuation or an invalid byte
      continue;
    }
    bool ok = i + static_cast<std::size_t>(extra) < text.size();
    for (int k = 1; ok && k <= extra; ++k) {
      const auto cb = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      ok = (cb & 0xC0) == 0x80;
      c = (c << 6) | (cb & 0x3F);
    }
    if (!ok) {
      ++i;
      continue;
    }
    out.push_back(c);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

std::vector<char32_t> missing_glyphs(const std::string& text) {
  std::vector<char32_t> missing;
  const FcCharSet* fonts = installed_characters();
  for (char32_t c : utf8_code_points(text)) {
    if (invisible(c) || std::find(missing.begin(), missing.end(), c) != missing.end()) continue;
    if (fonts == nullptr || FcCharSetHasChar(fonts, static_cast<FcChar32>(c)) == FcFalse) missing.push_back(c);
  }
  return missing;
}

std::string describe_characters(const std::vector<char32_t>& characters) {
  std::string out;
  for (char32_t c : characters) {
    std::string utf8;
    if (c < 0x80) {
      utf8 += static_cast<char>(c);
    } else if (c < 0x800) {
      utf8 += static_cast<char>(0xC0 | (c >> 6));
      utf8 += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      utf8 += static_cast<char>(0xE0 | (c >> 12));
      utf8 += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      utf8 += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      utf8 += static_cast<char>(0xF0 | (c >> 18));
      utf8 += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      utf8 += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      utf8 += static_cast<char>(0x80 | (c & 0x3F));
    }
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
    out += (out.empty() ? "'" : ", '") + utf8 + "' (" + code + ")";
  }
  return out;
}

}  // namespace mv
