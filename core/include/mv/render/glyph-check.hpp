// glyph-check.hpp — text no installed font can draw, found before rendering:
// libass falls back through fontconfig for a glyph its style's font lacks
// (DejaVu Sans has no CJK; scripts/install-deps.sh adds WenQuanYi Micro Hei),
// and where no font at all has it, it would draw an empty box ("tofu").
#pragma once

#include <string>
#include <vector>

namespace mv {

/// The characters of `text` (UTF-8; malformed bytes are skipped) that no font
/// fontconfig knows has a glyph for: the union of every installed font's
/// charset (FcFontList, read once per process). Each once, in order of first
/// appearance; spaces, controls, joiners and variation selectors skipped.
std::vector<char32_t> missing_glyphs(const std::string& text);

/// "'अ' (U+0905), 'ि' (U+093F)": characters as a message names them.
std::string describe_characters(const std::vector<char32_t>& characters);

/// Code points of UTF-8 `text`; malformed bytes are skipped.
std::vector<char32_t> utf8_code_points(const std::string& text);

}  // namespace mv
