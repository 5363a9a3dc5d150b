// picture-out.hpp — a Canvas out as pictures: R'G'B' bytes (for a UI's image)
// and PNG files (mvgen preview), converted with libswscale and encoded with
// libavcodec's PNG encoder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "mv/media/canvas.hpp"

namespace mv {

/// The canvas as packed 8-bit R'G'B' (width × height × 3 bytes, row-major),
/// BT.709 limited range expanded to full range. Errors: Error{Internal}.
std::vector<std::uint8_t> canvas_to_rgb(const Canvas& canvas);

/// A small picture for a UI: packed 8-bit R'G'B', full range.
struct RgbPicture {
  int width = 0, height = 0;      ///< pixels
  std::vector<std::uint8_t> rgb;  ///< width × height × 3 bytes, row-major
};

/// The canvas shrunk to `width` pixels wide (the height keeping its aspect,
/// even; libswscale's area filter) as R'G'B' (BT.709 limited range expanded
/// to full). Errors: Error{Internal}.
RgbPicture thumbnail(const Canvas& canvas, int width);

/// Writes the canvas as an RGB PNG, to a temporary name then renamed, so an
/// existing file is replaced only by a complete one.
/// Errors: Error{Output} if the file cannot be written, Error{Media} if encoding fails.
void write_png(const Canvas& canvas, const std::filesystem::path& path);

}  // namespace mv
