// backdrop.cpp — a picture (cover art, --image) as the backdrop of the
// audio-reactive styles: scaled to cover the frame, blurred, darkened, with a
// vignette and a one-level dither (see styles.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "mv/media/visual-source.hpp"
#include "styles.hpp"

namespace mv {

namespace {

/// One box blur pass of radius `r` along rows, then along columns, of a w × h
/// 8-bit plane (edges clamped). Three passes approximate a Gaussian
/// (W. M. Wells, "Efficient synthesis of Gaussian filters by cascaded uniform
/// filters", IEEE PAMI 1986).
void box_blur(std::uint8_t* p, int w, int h, int r) {
  std::vector<std::uint8_t> line(static_cast<std::size_t>(std::max(w, h)));
  const int n = 2 * r + 1;
  auto pass = [&](int count, int length, auto at) {
    for (int i = 0; i < count; ++i) {
      int sum = 0;
      for (int k = -r; k <= r; ++k) sum += *at(i, std::clamp(k, 0, length - 1));
      for (int j = 0; j < length; ++j) {
        line[static_cast<std::size_t>(j)] = static_cast<std::uint8_t>(sum / n);
        sum += *at(i, std::min(j + r + 1, length - 1)) - *at(i, std::max(j - r, 0));
      }
      for (int j = 0; j < length; ++j) *at(i, j) = line[static_cast<std::size_t>(j)];
    }
  };
  pass(h, w, [&](int y, int x) { return p + static_cast<std::ptrdiff_t>(y) * w + x; });
  pass(w, h, [&](int x, int y) { return p + static_cast<std::ptrdiff_t>(y) * w + x; });
}

}  // namespace

std::shared_ptr<const Canvas> make_picture_backdrop(const std::filesystem::path& picture, int width, int height) {
  auto canvas = std::make_shared<Canvas>(width, height);
  VisualSource::open(picture, width, height)->draw(*canvas, 0.0, 1.0, 0);
  const int r = std::max(2, height / 40);
  for (int i = 0; i < 3; ++i) {
    box_blur(canvas->y(), width, height, r);
    box_blur(canvas->u(), width / 2, height / 2, std::max(1, r / 2));
    box_blur(canvas->v(), width / 2, height / 2, std::max(1, r / 2));
  }
  // Darkened to 42 % with a vignette (corners 35 % darker still), chroma kept at
  // 80 %, and ±0.5 level of noise so the smooth blur does not band in 8 bits.
  std::mt19937 rng(7);  // NOLINT(cert-msc51-cpp): a fixed dither, so the same picture gives the same video
  std::uniform_real_distribution<double> dither(-0.5, 0.5);
  const double cx = width / 2.0, cy = height / 2.0, rr = cx * cx + cy * cy;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / rr;
      auto& v = canvas->y()[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)];
      const double out = 16.0 + (v - 16.0) * 0.42 * (1.0 - 0.35 * d2) + dither(rng);
      v = static_cast<std::uint8_t>(std::clamp(std::lround(out), 16L, 235L));
    }
  }
  for (std::uint8_t* plane : {canvas->u(), canvas->v()}) {
    const std::size_t n = static_cast<std::size_t>(width / 2) * static_cast<std::size_t>(height / 2);
    for (std::size_t i = 0; i < n; ++i) plane[i] = static_cast<std::uint8_t>(std::lround(128.0 + (plane[i] - 128.0) * 0.8));
  }
  return canvas;
}

void Style::fill_background(Canvas& background, const Palette& palette) const {
  if (!backdrop_) {
    background.vertical_gradient(palette.background_top, palette.background_bottom);
    return;
  }
  background.copy_from(*backdrop_);
  background.tint(palette.background_top, 0.18);  // the section's colour, lightly
}

}  // namespace mv
