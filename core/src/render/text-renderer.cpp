// text-renderer.cpp — fontconfig lookup + FreeType rasterisation (see text.hpp).
#include <algorithm>
#include <cstring>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include "mv/base/error.hpp"
#include "mv/render/text.hpp"

namespace mv {

namespace {

/// Decodes UTF-8 into code points; malformed sequences become U+FFFD.
std::vector<char32_t> decode_utf8(const std::string& s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      ok = ok && (cc >> 6) == 2;
      cp = (cp << 6) | (cc & 0x3F);
    }
    out.push_back(ok ? cp : 0xFFFD);
    i += ok ? static_cast<std::size_t>(len) : 1;
  }
  return out;
}

}  // namespace

struct TextRenderer::Impl {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  std::filesystem::path file;
  ~Impl() {
    if (face != nullptr) FT_Done_Face(face);
    if (library != nullptr) FT_Done_FreeType(library);
  }
};

TextRenderer::TextRenderer(const std::string& pattern) : impl_(std::make_unique<Impl>()) {
  FcConfig* config = FcInitLoadConfigAndFonts();
  FcPattern* pat = FcNameParse(reinterpret_cast<const FcChar8*>(pattern.c_str()));
  if (config != nullptr && pat != nullptr) {
    FcConfigSubstitute(config, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult result = FcResultNoMatch;
    FcPattern* match = FcFontMatch(config, pat, &result);
    if (match != nullptr) {
      FcChar8* file = nullptr;
      if (FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch && file != nullptr) {
        impl_->file = reinterpret_cast<const char*>(file);
      }
      FcPatternDestroy(match);
    }
  }
  if (pat != nullptr) FcPatternDestroy(pat);
  if (config != nullptr) FcConfigDestroy(config);
  if (impl_->file.empty()) throw Error(ErrorCode::Internal, "no font found for \"" + pattern + "\" (install fonts-dejavu-core)");
  if (FT_Init_FreeType(&impl_->library) != 0 ||
      FT_New_Face(impl_->library, impl_->file.c_str(), 0, &impl_->face) != 0) {
    throw Error(ErrorCode::Internal, "cannot load font " + impl_->file.string());
  }
}

TextRenderer::~TextRenderer() = default;

const std::filesystem::path& TextRenderer::font_file() const { return impl_->file; }

TextMask TextRenderer::render(const std::string& utf8, int pixel_size, int max_width) {
  TextMask mask;
  const auto text = decode_utf8(utf8);
  if (text.empty() || pixel_size <= 0) return mask;
  FT_Face face = impl_->face;
  // Horizontal kerning between two glyphs, 26.6 fixed point.
  auto kerning = [face](FT_UInt left, FT_UInt right) -> long {
    if (left == 0 || right == 0 || !FT_HAS_KERNING(face)) return 0;
    FT_Vector k;
    FT_Get_Kerning(face, left, right, FT_KERNING_DEFAULT, &k);
    return k.x;
  };
  for (int size = pixel_size; size >= 8; size = size * 9 / 10) {
    FT_Set_Pixel_Sizes(face, 0, static_cast<FT_UInt>(size));
    // Measure: pen advance with kerning.
    long pen = 0;
    FT_UInt prev = 0;
    for (char32_t cp : text) {
      const FT_UInt glyph = FT_Get_Char_Index(face, cp);
      pen += kerning(prev, glyph);
      if (FT_Load_Glyph(face, glyph, FT_LOAD_DEFAULT) == 0) pen += face->glyph->advance.x;
      prev = glyph;
    }
    const int width = static_cast<int>(pen >> 6) + size / 4;
    if (width > max_width && size * 9 / 10 >= 8) continue;
    const int ascender = static_cast<int>(face->size->metrics.ascender >> 6);
    const int descender = static_cast<int>(-(face->size->metrics.descender >> 6));
    mask.width = std::max(1, width);
    mask.height = ascender + descender;
    mask.pixels.assign(static_cast<std::size_t>(mask.width) * static_cast<std::size_t>(mask.height), 0);
    pen = 0;
    prev = 0;
    for (char32_t cp : text) {
      const FT_UInt glyph = FT_Get_Char_Index(face, cp);
      pen += kerning(prev, glyph);
      prev = glyph;
      if (FT_Load_Glyph(face, glyph, FT_LOAD_RENDER) != 0) continue;
      const FT_GlyphSlotRec* g = face->glyph;
      const int ox = static_cast<int>(pen >> 6) + g->bitmap_left;
      const int oy = ascender - g->bitmap_top;
      for (unsigned row = 0; row < g->bitmap.rows; ++row) {
        for (unsigned col = 0; col < g->bitmap.width; ++col) {
          const int x = ox + static_cast<int>(col), y = oy + static_cast<int>(row);
          if (x < 0 || y < 0 || x >= mask.width || y >= mask.height) continue;
          auto& dst = mask.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(mask.width) + static_cast<std::size_t>(x)];
          dst = std::max(dst, g->bitmap.buffer[static_cast<std::ptrdiff_t>(row) * g->bitmap.pitch + col]);
        }
      }
      pen += g->advance.x;
    }
    break;
  }
  return mask;
}

}  // namespace mv
