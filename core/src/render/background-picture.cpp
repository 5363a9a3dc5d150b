// background-picture.cpp — the backgrounds of an audio input: the palette's
// gradient, a picture (cover art, --image) blurred and darkened or slowly
// panned, and a generated animated field for songs without a picture.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <random>
#include <vector>

#include "layers.hpp"
#include "row-loops.hpp"
#include "upscale.hpp"
#include "mv/media/visual-source.hpp"

namespace mv {

double vignette_gain(double x, double y, int w, int h, double strength) {
  const double dx = (x - w / 2.0) / (w / 2.0), dy = (y - h / 2.0) / (h / 2.0);
  const double d = std::sqrt((dx * dx + dy * dy) / 2.0);  // 1 at the corners
  const double t = std::clamp((d - 0.35) / 0.65, 0.0, 1.0);
  return 1.0 - strength * 0.6 * t * t * (3.0 - 2.0 * t);
}

void apply_vignette(Canvas& c, double strength) {
  if (strength <= 0) return;
  const int w = c.width(), h = c.height();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      auto& v = c.y()[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)];
      v = static_cast<std::uint8_t>(std::lround(16.0 + (v - 16.0) * vignette_gain(x + 0.5, y + 0.5, w, h, strength)));
    }
  }
  for (int y = 0; y < h / 2; ++y) {
    for (int x = 0; x < w / 2; ++x) {
      const double g = vignette_gain(2.0 * x + 1.0, 2.0 * y + 1.0, w, h, strength);
      const auto i = static_cast<std::size_t>(y) * static_cast<std::size_t>(w / 2) + static_cast<std::size_t>(x);
      c.u()[i] = static_cast<std::uint8_t>(std::lround(128.0 + (c.u()[i] - 128.0) * g));
      c.v()[i] = static_cast<std::uint8_t>(std::lround(128.0 + (c.v()[i] - 128.0) * g));
    }
  }
}

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

namespace {

/// ±0.5 level of fixed noise (a dither), so smooth gradients do not band in 8 bits.
class Dither {
 public:
  Dither() : noise_(kSize * kSize) {
    std::mt19937 rng(7);  // NOLINT(cert-msc51-cpp): a fixed dither, so the same input gives the same video
    std::uniform_int_distribution<int> d(0, 255);
    for (auto& n : noise_) n = static_cast<std::uint8_t>(d(rng));
  }
  static constexpr int kSize = 128;
  /// 0..255, to add as value/256 before rounding down.
  [[nodiscard]] int at(int x, int y) const { return row(y)[x & (kSize - 1)]; }
  /// Row y of the pattern (kSize values; index with x & (kSize − 1)).
  [[nodiscard]] const std::uint8_t* row(int y) const { return &noise_[static_cast<std::size_t>(y & (kSize - 1)) * kSize]; }

 private:
  std::vector<std::uint8_t> noise_;
};

/// Darkens luma to `gain` with a vignette (corners 35 % darker still), chroma
/// to `chroma`, and dithers by ±½ level.
void darken(Canvas& c, double gain, double chroma) {
  const Dither dither;
  const int w = c.width(), h = c.height();
  const double cx = w / 2.0, cy = h / 2.0, rr = cx * cx + cy * cy;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / rr;
      auto& v = c.y()[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)];
      const double out = 16.0 + (v - 16.0) * gain * (1.0 - 0.35 * d2) + dither.at(x, y) / 256.0;
      v = static_cast<std::uint8_t>(std::clamp(static_cast<long>(out), 16L, 235L));
    }
  }
  for (std::uint8_t* plane : {c.u(), c.v()}) {
    const std::size_t n = static_cast<std::size_t>(w / 2) * static_cast<std::size_t>(h / 2);
    for (std::size_t i = 0; i < n; ++i) plane[i] = static_cast<std::uint8_t>(std::lround(128.0 + (plane[i] - 128.0) * chroma));
  }
}

class GradientBackground : public Layer {
 public:
  GradientBackground(const Palette& palette, int width, int height, double vignette)
      : base_(palette), cache_(width, height), vignette_(vignette) {}
  void draw(Canvas& canvas, const FrameInfo& f) override {
    if (f.index == 0 || f.section != section_ || !filled_) {
      const Palette p = section_palette(base_, f.section);
      cache_.vertical_gradient(p.background_top, p.background_bottom);
      apply_vignette(cache_, vignette_);
      section_ = f.section;
      filled_ = true;
    }
    canvas.copy_from(cache_);
  }

 private:
  Palette base_;
  Canvas cache_;
  double vignette_;
  std::size_t section_ = 0;
  bool filled_ = false;
};

/// The picture blurred and darkened once; each section tints it lightly with
/// its palette's top colour.
class BlurredPicture : public Layer {
 public:
  BlurredPicture(const std::filesystem::path& picture, const Palette& palette, int width, int height, double vignette)
      : base_(palette), picture_(width, height), cache_(width, height) {
    VisualSource::open(picture, width, height)->draw(picture_, 0.0, 1.0, 0);
    const int r = std::max(2, height / 40);
    for (int i = 0; i < 3; ++i) {
      box_blur(picture_.y(), width, height, r);
      box_blur(picture_.u(), width / 2, height / 2, std::max(1, r / 2));
      box_blur(picture_.v(), width / 2, height / 2, std::max(1, r / 2));
    }
    darken(picture_, 0.42, 0.8);
    apply_vignette(picture_, vignette);
  }
  void draw(Canvas& canvas, const FrameInfo& f) override {
    if (f.index == 0 || f.section != section_ || !filled_) {
      cache_.copy_from(picture_);
      cache_.tint(section_palette(base_, f.section).background_top, 0.18);
      section_ = f.section;
      filled_ = true;
    }
    canvas.copy_from(cache_);
  }

 private:
  Palette base_;
  Canvas picture_, cache_;
  std::size_t section_ = 0;
  bool filled_ = false;
};

/// The picture itself, sharp, with a slow Ken Burns move per section (lofi):
/// darkened to 70 % so that the layers over it read.
class PannedPicture : public Layer {
 public:
  PannedPicture(const std::filesystem::path& picture, int width, int height, double pan, double vignette)
      : source_(VisualSource::open(picture, width, height)), pan_(pan),
        gain_(static_cast<std::size_t>(width) * static_cast<std::size_t>(height)) {
    // Darkened to 70 % times the vignette, one luma gain per pixel (255 = 1).
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        gain_[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)] =
            static_cast<std::uint8_t>(std::lround(255.0 * 0.7 * vignette_gain(x + 0.5, y + 0.5, width, height, vignette)));
      }
    }
  }
  void draw(Canvas& canvas, const FrameInfo& f) override {
    if (f.section != section_ || f.index == 0) {
      section_ = f.section;
      section_start_s_ = f.time_s;
    }
    // One move per section, over a fixed 20 s (the move eases out and holds).
    const double t = (f.time_s - section_start_s_) * pan_;
    source_->draw(canvas, std::min(t, 20.0), 20.0, static_cast<int>(f.section % 4));
    const auto n = static_cast<std::size_t>(canvas.width()) * static_cast<std::size_t>(canvas.height());
    std::uint8_t* y = canvas.y();
    for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<std::uint8_t>(16 + (((y[i] - 16) * gain_[i]) >> 8));
  }

 private:
  std::unique_ptr<VisualSource> source_;
  double pan_;
  std::vector<std::uint8_t> gain_;
  std::size_t section_ = 0;
  double section_start_s_ = 0.0;
};

/// Soft blobs of the palette's colours drifting over its gradient, computed at
/// 1/16 resolution and scaled up bilinearly with dither.
class GeneratedBackground : public Layer {
 public:
  GeneratedBackground(const Palette& palette, int width, int height, double vignette)
      : base_(palette), lw_(width / kScale + 2), lh_(height / kScale + 2),
        luma_(static_cast<std::size_t>(lw_ * lh_)), cb_(luma_.size()), cr_(luma_.size()), gain_(luma_.size()) {
    for (int y = 0; y < lh_; ++y) {
      for (int x = 0; x < lw_; ++x) {
        gain_[field_index(x, y)] = vignette_gain((x + 0.5) * kScale, (y + 0.5) * kScale, width, height, vignette);
      }
    }
  }

  void draw(Canvas& canvas, const FrameInfo& f) override {
    if (f.index == 0 || f.section != section_) {
      palette_ = section_palette(base_, f.section);
      section_ = f.section;
    }
    // Slow time that runs a little faster when the music is loud.
    clock_ += (0.35 + 0.5 * f.level) / f.fps;
    // The field moves by far less than a pixel per frame: it is redrawn every
    // other frame (at 30 fps: 15 times a second) and copied in between.
    if (f.index % 2 == 0 || !cached_ || f.section_start) {
      compute_field(f);
      if (cache_.width() != canvas.width()) cache_ = Canvas(canvas.width(), canvas.height());
      upscale(cache_);
      cached_ = true;
    }
    canvas.copy_from(cache_);
  }

 private:
  static constexpr int kScale = 16;  // output pixels per field pixel

  [[nodiscard]] std::size_t field_index(int x, int y) const {
    return static_cast<std::size_t>(y) * static_cast<std::size_t>(lw_) + static_cast<std::size_t>(x);
  }

  void compute_field(const FrameInfo& f) {
    struct Blob {
      Rgb color;
      double x, y, r, a;
    };
    const double t = clock_;
    const double glow = 0.55 + 0.35 * f.bass + 0.1 * f.beat_pulse;
    const Blob blobs[] = {
        {palette_.primary, 0.3 + 0.22 * std::sin(t * 0.31), 0.35 + 0.2 * std::sin(t * 0.23 + 1.0), 0.42, 0.55 * glow},
        {palette_.accent, 0.72 + 0.2 * std::sin(t * 0.27 + 2.0), 0.6 + 0.22 * std::sin(t * 0.19 + 0.4), 0.38, 0.5 * glow},
        {palette_.highlight, 0.5 + 0.3 * std::sin(t * 0.17 + 4.0), 0.5 + 0.25 * std::cos(t * 0.21), 0.22, 0.18 * glow},
        {palette_.background_bottom, 0.5 + 0.35 * std::cos(t * 0.13), 0.8 + 0.1 * std::sin(t * 0.29), 0.5, 0.6},
    };
    const double aspect = static_cast<double>(lw_) / lh_;
    // Each blob's Gaussian is separable, exp(-(dx² + dy²)/r²) = exp(-dx²/r²) · exp(-dy²/r²):
    // one exp per column and per row instead of one per field pixel.
    constexpr std::size_t kBlobs = std::size(blobs);
    across_.resize(kBlobs * static_cast<std::size_t>(lw_));
    down_.resize(kBlobs * static_cast<std::size_t>(lh_));
    for (std::size_t n = 0; n < kBlobs; ++n) {
      const Blob& blob = blobs[n];
      for (int x = 0; x < lw_; ++x) {
        const double dx = (static_cast<double>(x) / (lw_ - 1) - blob.x) * aspect;
        across_[n * static_cast<std::size_t>(lw_) + static_cast<std::size_t>(x)] = std::exp(-(dx * dx) / (blob.r * blob.r));
      }
      for (int y = 0; y < lh_; ++y) {
        const double dy = static_cast<double>(y) / (lh_ - 1) - blob.y;
        down_[n * static_cast<std::size_t>(lh_) + static_cast<std::size_t>(y)] = blob.a * std::exp(-(dy * dy) / (blob.r * blob.r));
      }
    }
    for (int y = 0; y < lh_; ++y) {
      const double v = static_cast<double>(y) / (lh_ - 1);
      const Rgb sky = mix(palette_.background_top, palette_.background_bottom, v);
      for (int x = 0; x < lw_; ++x) {
        double r = sky.r, g = sky.g, b = sky.b;
        for (std::size_t n = 0; n < kBlobs; ++n) {
          const double k = down_[n * static_cast<std::size_t>(lh_) + static_cast<std::size_t>(y)] *
                           across_[n * static_cast<std::size_t>(lw_) + static_cast<std::size_t>(x)];
          r += (blobs[n].color.r - r) * k;
          g += (blobs[n].color.g - g) * k;
          b += (blobs[n].color.b - b) * k;
        }
        // Keep it a backdrop: at most ~60 % of full brightness; stored as Y'CbCr
        // (BT.709 limited range, as canvas.hpp to_yuv) so that scaling up is one
        // bilinear pass per plane.
        const double k = 0.6 * gain_[field_index(x, y)];
        r *= k, g *= k, b *= k;
        const double l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        const std::size_t i = field_index(x, y);
        luma_[i] = static_cast<int>(256.0 * (16.0 + 219.0 / 255.0 * l));
        cb_[i] = static_cast<int>(256.0 * (128.0 + 224.0 / 255.0 * (b - l) / 1.8556));
        cr_[i] = static_cast<int>(256.0 * (128.0 + 224.0 / 255.0 * (r - l) / 1.5748));
      }
    }
  }

  /// The field (8.8 fixed point) scaled up into a w × h plane, with dither.
  void upscale_plane(const std::vector<int>& field, std::uint8_t* plane, int w, int h, int step, int lo, int hi) {
    upscale_rows(field, lw_, lh_, w, h, step, scratch_, [&](int y, const int* v) {
      dither_row(plane + static_cast<std::ptrdiff_t>(y) * w, v, dither_.row(y), Dither::kSize, w, lo, hi);
    });
  }

  void upscale(Canvas& canvas) {
    const int w = canvas.width(), h = canvas.height();
    upscale_plane(luma_, canvas.y(), w, h, kScale, 16, 235);
    upscale_plane(cb_, canvas.u(), w / 2, h / 2, kScale / 2, 16, 240);
    upscale_plane(cr_, canvas.v(), w / 2, h / 2, kScale / 2, 16, 240);
  }

  Palette base_, palette_;
  int lw_, lh_;
  std::vector<int> luma_, cb_, cr_;  ///< lw × lh each, Y'CbCr in 8.8 fixed point
  std::vector<int> scratch_;
  std::vector<double> gain_;  ///< the vignette per field pixel
  std::vector<double> across_, down_;  ///< per blob: its Gaussian along each field column / row (down_ with its opacity)
  Canvas cache_;
  bool cached_ = false;
  std::size_t section_ = 0;
  double clock_ = 0.0;
  Dither dither_;
};

}  // namespace

std::unique_ptr<Layer> make_gradient_background(const Palette& palette, int width, int height, double vignette) {
  return std::make_unique<GradientBackground>(palette, width, height, vignette);
}

std::unique_ptr<Layer> make_picture_background(const std::filesystem::path& picture, const Palette& palette, int width,
                                               int height, double pan, double vignette) {
  if (pan > 0.0) return std::make_unique<PannedPicture>(picture, width, height, pan, vignette);
  return std::make_unique<BlurredPicture>(picture, palette, width, height, vignette);
}

std::unique_ptr<Layer> make_generated_background(const Palette& palette, int width, int height, double vignette) {
  return std::make_unique<GeneratedBackground>(palette, width, height, vignette);
}

}  // namespace mv
