// text.hpp — titles drawn with a real font: fontconfig finds it, FreeType
// rasterises it into a coverage mask that Canvas::blend_mask draws.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace mv {

/// An 8-bit coverage mask, row-major, `width × height` pixels.
struct TextMask {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;
};

/// Rasterises UTF-8 text in one font face.
class TextRenderer {
 public:
  /// `pattern` is a fontconfig pattern such as "DejaVu Sans:bold".
  /// Errors: Error{Internal} if no font file can be found or loaded.
  explicit TextRenderer(const std::string& pattern = "DejaVu Sans:bold");
  ~TextRenderer();
  TextRenderer(const TextRenderer&) = delete;
  TextRenderer& operator=(const TextRenderer&) = delete;

  /// The font file fontconfig chose.
  [[nodiscard]] const std::filesystem::path& font_file() const;

  /// Renders one line of `utf8` at `pixel_size` (em height in pixels), shrinking
  /// the size until the line fits `max_width` pixels. Invalid UTF-8 bytes are
  /// drawn as U+FFFD. Returns an empty mask for empty text.
  TextMask render(const std::string& utf8, int pixel_size, int max_width);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mv
