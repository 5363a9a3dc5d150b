// effects.cpp — colour grades and post effects on Y'CbCr planes (effects.hpp).
#include "effects.hpp"

#include "row-loops.hpp"
#include "upscale.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

namespace mv {

namespace {

constexpr int kGrain = 256;  // grain tile size, pixels (a power of two)

/// The filmic S-curve on a 0..1 value: smoothstep blended 45 % into linear.
double s_curve(double x) {
  const double s = x * x * (3.0 - 2.0 * x);
  return 0.55 * x + 0.45 * s;
}

std::uint8_t clamp8(double v, double lo, double hi) { return static_cast<std::uint8_t>(std::clamp(std::lround(v), std::lround(lo), std::lround(hi))); }

/// A deterministic hash of a frame index and a salt to 0..1 (SplitMix64's finaliser).
double hash01(std::int64_t k, std::uint64_t salt) {
  std::uint64_t z = static_cast<std::uint64_t>(k) * 0x9E3779B97F4A7C15ULL + salt;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) / static_cast<double>(1ULL << 53);
}

/// Box blur (radius r) of a w × h int plane along rows and columns, edges
/// clamped. `line` is scratch (resized here). Rows: a running sum along each
/// row. Columns: running sums of whole rows (one per column, updated a row at a
/// time), so the inner loops run along memory and vectorize.
void box_blur_int(std::vector<int>& p, int w, int h, int r, std::vector<int>& line) {
  // The mean as a multiply by 2^16 / n and a shift: a division per element
  // was most of the glow's time (600 000 of them per 1080p frame).
  // 32 bits suffice: sum · recip ≈ 65536 × the mean, and |mean| < 2^14 here.
  const int recip = ((1 << 16) + r) / (2 * r + 1);
  const auto W = static_cast<std::size_t>(w);
  line.resize(std::max<std::size_t>(W, 1) * (static_cast<std::size_t>(h) + 2));
  int* tmp = line.data();
  for (int y = 0; y < h; ++y) {
    int* row = &p[static_cast<std::size_t>(y) * W];
    int sum = 0;
    for (int k = -r; k <= r; ++k) sum += row[std::clamp(k, 0, w - 1)];
    for (int x = 0; x < w; ++x) {
      tmp[x] = (sum * recip) >> 16;
      sum += row[std::min(x + r + 1, w - 1)] - row[std::max(x - r, 0)];
    }
    std::copy(tmp, tmp + w, row);
  }
  // Columns: acc holds, per column, the sum of rows y - r .. y + r (clamped).
  int* acc = tmp;
  int* out = tmp + W;  // h rows of output, copied back at the end
  std::fill(acc, acc + w, 0);
  for (int k = -r; k <= r; ++k) {
    const int* src = &p[static_cast<std::size_t>(std::clamp(k, 0, h - 1)) * W];
    for (int x = 0; x < w; ++x) acc[x] += src[x];
  }
  for (int y = 0; y < h; ++y) {
    int* o = out + static_cast<std::size_t>(y) * W;
    const int* add = &p[static_cast<std::size_t>(std::min(y + r + 1, h - 1)) * W];
    const int* sub = &p[static_cast<std::size_t>(std::max(y - r, 0)) * W];
    for (int x = 0; x < w; ++x) {
      o[x] = (acc[x] * recip) >> 16;
      acc[x] += add[x] - sub[x];
    }
  }
  std::copy(out, out + W * static_cast<std::size_t>(h), p.begin());
}

/// Adds `gain_256`/256 × the field scaled up by `step` to a w × h plane, clamped to lo..hi.
void add_field(const std::vector<int>& field, int lw, int lh, std::uint8_t* plane, int w, int h, int step, int gain_256,
               int lo, int hi, std::vector<int>& scratch, const std::vector<char>& live) {
  upscale_rows(
      field, lw, lh, w, h, step, scratch,
      [=](int y, const int* v) { add_scaled_row(plane + static_cast<std::ptrdiff_t>(y) * w, v, gain_256, w, lo, hi); },
      &live);
}

/// Moves a w × h plane by (dx, dy) pixels, repeating the edge pixels.
void shift_plane(std::uint8_t* p, int w, int h, int dx, int dy, std::vector<std::uint8_t>& row) {
  row.resize(static_cast<std::size_t>(w));
  dx = std::clamp(dx, 1 - w, w - 1);
  auto move_row = [&](int y) {
    // row[x] = src[clamp(x − dx, 0, w − 1)]: the source row moved by dx, its edge pixel repeated.
    const int src_y = std::clamp(y - dy, 0, h - 1);
    const std::uint8_t* src = p + static_cast<std::ptrdiff_t>(src_y) * w;
    std::uint8_t* out = row.data();
    const int moved = dx >= 0 ? w - dx : w + dx;  // pixels copied; the rest repeat the edge
    if (dx >= 0) {
      std::memset(out, src[0], static_cast<std::size_t>(dx));
      std::memcpy(out + dx, src, static_cast<std::size_t>(moved));
    } else {
      std::memcpy(out, src - dx, static_cast<std::size_t>(moved));
      std::memset(out + moved, src[w - 1], static_cast<std::size_t>(-dx));
    }
    std::memcpy(p + static_cast<std::ptrdiff_t>(y) * w, out, static_cast<std::size_t>(w));
  };
  if (dy > 0) {
    for (int y = h - 1; y >= 0; --y) move_row(y);
  } else {
    for (int y = 0; y < h; ++y) move_row(y);
  }
}

}  // namespace

Grade::Grade(const std::string& name) {
  if (name == "none") return;
  active_ = true;
  const bool curve = name != "warm" && name != "cool";
  for (int v = 0; v < 256; ++v) {
    const double x = std::clamp((v - 16) / 219.0, 0.0, 1.0);
    double y = curve ? s_curve(x) : x;
    if (name == "warm") y = 0.06 + 0.92 * y;  // lifted, faded blacks
    luma_[static_cast<std::size_t>(v)] = clamp8(16.0 + 219.0 * y, 16, 235);
  }
  // Chroma: gain around neutral plus an offset that may depend on Y'.
  double gain = 1.12, cb_shadow = 0, cb_light = 0, cr_shadow = 0, cr_light = 0;
  if (name == "warm") gain = 0.95, cb_shadow = cb_light = -7, cr_shadow = cr_light = 6;
  if (name == "cool") gain = 1.0, cb_shadow = cb_light = 7, cr_shadow = cr_light = -4;
  if (name == "teal-orange") gain = 1.1, cb_shadow = 9, cr_shadow = -7, cb_light = -9, cr_light = 8;
  if (name == "mono") gain = 0.0;
  cb_.resize(256 * 256);
  cr_.resize(256 * 256);
  for (int l = 0; l < 256; ++l) {
    const double x = std::clamp((l - 16) / 219.0, 0.0, 1.0);
    const double shadow = std::clamp(1.0 - 2.0 * x, 0.0, 1.0), light = std::clamp(2.0 * x - 1.0, 0.0, 1.0);
    // Tints fade out toward black and white so they never colour the ends.
    const double keep = std::min(1.0, 6.0 * std::min(x, 1.0 - x));
    for (int c = 0; c < 256; ++c) {
      const double base = 128.0 + (c - 128) * gain;
      const std::size_t i = static_cast<std::size_t>(l) * 256 + static_cast<std::size_t>(c);
      cb_[i] = clamp8(base + keep * (cb_shadow * shadow + cb_light * light), 16, 240);
      cr_[i] = clamp8(base + keep * (cr_shadow * shadow + cr_light * light), 16, 240);
    }
  }
}

void Grade::apply(Canvas& canvas) const {
  if (!active_) return;
  for (int row = 0; row < canvas.height() / 2; ++row) grade_rows(canvas, row);
}

void Grade::grade_rows(Canvas& canvas, int row) const {
  if (!active_) return;
  if (is_3d()) {
    grade_rows_3d(canvas, row);
    return;
  }
  const int w = canvas.width(), cw = w / 2;
  std::uint8_t* y0 = canvas.y() + static_cast<std::ptrdiff_t>(2 * row) * w;
  // Chroma first: it reads the ungraded Y' of each block's top-left pixel.
  std::uint8_t* u = canvas.u() + static_cast<std::ptrdiff_t>(row) * cw;
  std::uint8_t* v = canvas.v() + static_cast<std::ptrdiff_t>(row) * cw;
  for (int x = 0; x < cw; ++x) {
    const std::size_t l = static_cast<std::size_t>(y0[2 * x]) * 256;
    u[x] = cb_[l + u[x]];
    v[x] = cr_[l + v[x]];
  }
  for (int x = 0; x < 2 * w; ++x) y0[x] = luma_[y0[x]];  // both rows of the pair
}

PostEffects::PostEffects(const LookEffects& effects, const Palette& palette, int width, int height)
    : fx_(effects), palette_(palette), width_(width), height_(height) {
  if (fx_.letterbox > 0) {
    const double full = width > height ? std::max(0.0, (height - width / 2.39) / 2.0) : 0.08 * height;
    letterbox_px_ = static_cast<int>(std::lround(fx_.letterbox * full / 2.0)) * 2;
  }
  if (fx_.vignette > 0) {
    const auto gain = [&](double x, double y) {
      return static_cast<std::uint8_t>(std::lround(255.0 * vignette_gain(x, y, width, height, fx_.vignette)));
    };
    const int cw = width / 2, ch = height / 2;
    vignette_.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>((height + 1) / 2));
    for (int y = 0; y < (height + 1) / 2; ++y) {
      for (int x = 0; x < width; ++x) {
        vignette_[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)] = gain(x + 0.5, y + 0.5);
      }
    }
    vignette_c_.resize(static_cast<std::size_t>(cw) * static_cast<std::size_t>((ch + 1) / 2));
    for (int row = 0; row < (ch + 1) / 2; ++row) {
      for (int x = 0; x < cw; ++x) {
        vignette_c_[static_cast<std::size_t>(row) * static_cast<std::size_t>(cw) + static_cast<std::size_t>(x)] =
            gain(2.0 * x + 1.0, 2.0 * row + 1.0);
      }
    }
  }
  if (fx_.grain > 0) {
    grain_.resize(kGrain * kGrain * 2);
    std::mt19937 rng(11);  // NOLINT(cert-msc51-cpp): the same look gives the same grain
    // σ = 6 code values at full strength: x264 at CRF 23 keeps grain from
    // about σ 1.5 up (σ 0.8, the old strength, came out as clean as none).
    std::normal_distribution<double> n(0.0, 6.0 * fx_.grain);
    for (std::size_t row = 0; row < kGrain; ++row) {
      std::int8_t* r = &grain_[row * kGrain * 2];
      for (std::size_t x = 0; x < kGrain; ++x) r[x] = r[x + kGrain] = static_cast<std::int8_t>(std::clamp(std::lround(n(rng)), -12L, 12L));
    }
  }
}

void PostEffects::apply(Canvas& canvas, const FrameInfo& f) {
  if (fx_.shake > 0) shake(canvas, f);
  if (fx_.glow > 0) glow(canvas, f);
  if (fx_.vignette > 0) vignette(canvas);
  if (fx_.grain > 0) grain(canvas, f);
  finish(canvas, f);
}

void PostEffects::finish(Canvas& canvas, const FrameInfo& f) {
  if (fx_.chromatic > 0) chromatic(canvas, f);
  if (fx_.scanlines > 0) scanlines(canvas);
  if (letterbox_px_ > 0) {
    canvas.blend_rect(0, 0, width_, letterbox_px_, Rgb{0, 0, 0}, 1.0);
    canvas.blend_rect(0, height_ - letterbox_px_, width_, letterbox_px_, Rgb{0, 0, 0}, 1.0);
  }
  if (fx_.flash > 0) {
    if (const double amount = fx_.flash * downbeat_flash(f); amount > 0) canvas.tint(palette_.highlight, amount);
  }
}

const std::int8_t* PostEffects::grain_row(int y, int oy) const {
  return &grain_[static_cast<std::size_t>((y + oy) & (kGrain - 1)) * kGrain * 2];
}

std::pair<int, int> PostEffects::grain_offsets(const FrameInfo& f) {
  // The frame of the latest downbeat (0 before the first): the pattern holds
  // for a bar. A new pattern every frame made x264 code noise in every block of
  // every frame (a 60 s 1080p render took 19 % longer and the grain was
  // quantised away); one that holds costs a single frame's worth per bar.
  const std::int64_t key = f.downbeat_age_s < 1e8 ? std::llround((f.time_s - f.downbeat_age_s) * f.fps) : 0;
  return {static_cast<int>(hash01(key, 3) * kGrain), static_cast<int>(hash01(key, 4) * kGrain)};
}

void PostEffects::apply_graded(Canvas& canvas, const FrameInfo& f, const Grade& grade) {
  const auto [ox, oy] = grain_offsets(f);
  // Row pair by row pair, so each pair is graded, vignetted and grained while
  // it is in the cache; rows under the letterbox bars (painted black by
  // finish()) are skipped.
  const int top = letterbox_px_ / 2, bottom = (height_ - letterbox_px_) / 2;
  for (int row = top; row < bottom; ++row) {
    grade.grade_rows(canvas, row);
    shade_rows(canvas, row, ox, oy);
  }
  finish(canvas, f);
}

namespace {

// The row loops of the fused pass, also compiled for AVX2 (row-loops.hpp):
// their 16-bit arithmetic vectorizes twice as wide.

/// Cb and Cr of one chroma row scaled toward 128 by the vignette's gains `g`
/// (one per sample, /256).
MV_ROW_LOOP void vignette_chroma(std::uint8_t* u, std::uint8_t* v, const std::uint8_t* g, int cw) {
  for (int x = 0; x < cw; ++x) {
    u[x] = static_cast<std::uint8_t>(128 + (((u[x] - 128) * g[x]) >> 8));
    v[x] = static_cast<std::uint8_t>(128 + (((v[x] - 128) * g[x]) >> 8));
  }
}

/// One luma row scaled toward black (16) by the gains `g` (/256).
MV_ROW_LOOP void vignette_luma(std::uint8_t* line, const std::uint8_t* g, int w) {
  for (int x = 0; x < w; ++x) line[x] = static_cast<std::uint8_t>(16 + (((line[x] - 16) * g[x]) >> 8));
}

/// `count` luma samples plus the grain values `n`, kept in 16..235.
MV_ROW_LOOP void add_grain(std::uint8_t* r, const std::int8_t* n, int count) {
  for (int x = 0; x < count; ++x) r[x] = static_cast<std::uint8_t>(std::clamp(r[x] + n[x], 16, 235));
}

}  // namespace

const std::uint8_t* PostEffects::vignette_luma_row(int y) const {
  return &vignette_[static_cast<std::size_t>(std::min(y, height_ - 1 - y)) * static_cast<std::size_t>(width_)];
}

const std::uint8_t* PostEffects::vignette_chroma_row(int row) const {
  return &vignette_c_[static_cast<std::size_t>(std::min(row, height_ / 2 - 1 - row)) * static_cast<std::size_t>(width_ / 2)];
}

void PostEffects::shade_rows(Canvas& canvas, int row, int ox, int oy) const {
  const bool has_grain = fx_.grain > 0, has_vignette = fx_.vignette > 0;
  // The width in a local: stores through uint8_t* may alias any member, and a
  // member bound is re-read every iteration, which keeps GCC from vectorizing.
  const int w = width_;
  if (has_vignette) {
    const int cw = w / 2;
    vignette_chroma(canvas.u() + static_cast<std::ptrdiff_t>(row) * cw, canvas.v() + static_cast<std::ptrdiff_t>(row) * cw,
                    vignette_chroma_row(row), cw);
  }
  for (int y = 2 * row; y < 2 * row + 2; ++y) {
    std::uint8_t* line = canvas.y() + static_cast<std::ptrdiff_t>(y) * w;
    if (has_vignette) vignette_luma(line, vignette_luma_row(y), w);
    if (has_grain) {
      const std::int8_t* n = grain_row(y, oy) + ox;  // each row is stored twice: kGrain values from ox on are contiguous
      for (int x0 = 0; x0 < w; x0 += kGrain) add_grain(line + x0, n, std::min(kGrain, w - x0));
    }
  }
}

void PostEffects::shake(Canvas& canvas, const FrameInfo& f) {
  // A jolt on each bass hit: a new random direction per frame, scaled by the
  // bass (squared, so quiet parts stay still), smoothed over ~2 frames.
  const double amp = fx_.shake * height_ * 0.012 * f.bass * f.bass * std::min(1.5, f.intensity) * (0.6 + 0.8 * f.beat_pulse);
  shake_x_ = 0.5 * shake_x_ + 0.5 * amp * (2.0 * hash01(f.index, 1) - 1.0);
  shake_y_ = 0.5 * shake_y_ + 0.5 * amp * (2.0 * hash01(f.index, 2) - 1.0);
  const int dx = static_cast<int>(std::lround(shake_x_ / 2.0)) * 2, dy = static_cast<int>(std::lround(shake_y_ / 2.0)) * 2;
  if (dx == 0 && dy == 0) return;
  shift_plane(canvas.y(), width_, height_, dx, dy, row_);
  shift_plane(canvas.u(), width_ / 2, height_ / 2, dx / 2, dy / 2, row_);
  shift_plane(canvas.v(), width_ / 2, height_ / 2, dx / 2, dy / 2, row_);
  if (canvas.tracks_coverage()) shift_plane(canvas.coverage(), width_, height_, dx, dy, row_);
}

void PostEffects::glow(Canvas& canvas, const FrameInfo& f) {
  // Bright pass at 1/8 resolution (each 8 × 8 block sampled every other pixel):
  // luma above 60 % of the range, with its chroma.
  constexpr int kStep = 8;
  const int lw = width_ / kStep + 2, lh = height_ / kStep + 2;
  const auto n = static_cast<std::size_t>(lw) * static_cast<std::size_t>(lh);
  bright_.assign(n, 0);
  cb_.assign(n, 0);
  cr_.assign(n, 0);
  constexpr int kThreshold = 16 + 131;  // 60 % of 16..235
  bool any = false;
  for (int y = 0; y < height_ / kStep; ++y) {
    for (int x = 0; x < width_ / kStep; ++x) {
      int sum = 0;
      for (int k = 0; k < kStep; k += 2) {
        const std::uint8_t* row = canvas.y() + static_cast<std::ptrdiff_t>(kStep * y + k) * width_ + kStep * x;
        sum += row[0] + row[2] + row[4] + row[6];
      }
      const int b = std::max(0, sum / 16 - kThreshold);
      if (b == 0) continue;
      any = true;
      const auto i = static_cast<std::size_t>(y) * static_cast<std::size_t>(lw) + static_cast<std::size_t>(x);
      const auto ci = static_cast<std::size_t>(kStep / 2 * y) * static_cast<std::size_t>(width_ / 2) + static_cast<std::size_t>(kStep / 2 * x);
      bright_[i] = b * 16;
      cb_[i] = b * (canvas.u()[ci] - 128) / 4;
      cr_[i] = b * (canvas.v()[ci] - 128) / 4;
    }
  }
  if (!any) return;
  const int r = std::max(1, height_ / 480);
  for (auto* plane : {&bright_, &cb_, &cr_}) {
    for (int pass = 0; pass < 3; ++pass) box_blur_int(*plane, lw, lh, r, line_);
  }
  // Rows the blurred glow does not reach are skipped below.
  live_.assign(static_cast<std::size_t>(lh), 0);
  for (int y = 0; y < lh; ++y) {
    const int* row = &bright_[static_cast<std::size_t>(y) * static_cast<std::size_t>(lw)];
    live_[static_cast<std::size_t>(y)] = static_cast<char>(std::any_of(row, row + lw, [](int v) { return v > 0; }));
  }
  // Added back at chroma resolution (the glow is far smoother than 2 pixels):
  // each luma value covers a 2 × 2 block.
  const double gain = fx_.glow * (0.8 + 0.5 * f.beat_pulse) * std::min(1.3, f.intensity);
  const int cw = width_ / 2, ch = height_ / 2;
  const auto luma_gain = static_cast<int>(256.0 * gain * 1.4 / 16.0);
  upscale_rows(
      bright_, lw, lh, cw, ch, kStep / 2, line_,
      [luma = canvas.y(), w = width_, cw, luma_gain](int y, const int* v) {
        for (int k = 0; k < 2; ++k) add_scaled_pairs(luma + static_cast<std::ptrdiff_t>(2 * y + k) * w, v, luma_gain, cw);
      },
      &live_);
  const int chroma_gain = static_cast<int>(256.0 * gain * 2.0 * 4.0 / 88.0);
  add_field(cb_, lw, lh, canvas.u(), cw, ch, kStep / 2, chroma_gain, 16, 240, line_, live_);
  add_field(cr_, lw, lh, canvas.v(), cw, ch, kStep / 2, chroma_gain, 16, 240, line_, live_);
}

void PostEffects::chromatic(Canvas& canvas, const FrameInfo& f) const {
  const double amount = fx_.chromatic * std::exp(-f.downbeat_age_s / 0.08) * std::min(1.3, f.intensity);
  const int shift = static_cast<int>(std::lround(amount * width_ / 400.0));  // chroma pixels
  if (shift < 1) return;
  const int cw = width_ / 2, ch = height_ / 2;
  for (int y = 0; y < ch; ++y) {
    std::uint8_t* u = canvas.u() + static_cast<std::ptrdiff_t>(y) * cw;
    std::uint8_t* v = canvas.v() + static_cast<std::ptrdiff_t>(y) * cw;
    std::memmove(u, u + shift, static_cast<std::size_t>(cw - shift));          // Cb to the left
    std::memmove(v + shift, v, static_cast<std::size_t>(cw - shift));          // Cr to the right
  }
}

void PostEffects::vignette(Canvas& canvas) const {
  const int w = width_, cw = width_ / 2;  // in locals, as in shade_rows
  for (int y = 0; y < height_; ++y) vignette_luma(canvas.y() + static_cast<std::ptrdiff_t>(y) * w, vignette_luma_row(y), w);
  for (int row = 0; row < height_ / 2; ++row) {
    vignette_chroma(canvas.u() + static_cast<std::ptrdiff_t>(row) * cw, canvas.v() + static_cast<std::ptrdiff_t>(row) * cw,
                    vignette_chroma_row(row), cw);
  }
}

void PostEffects::grain(Canvas& canvas, const FrameInfo& f) const {
  const auto [ox, oy] = grain_offsets(f);
  for (int y = 0; y < height_; ++y) {
    std::uint8_t* row = canvas.y() + static_cast<std::ptrdiff_t>(y) * width_;
    const std::int8_t* g = grain_row(y, oy) + ox;  // each row is stored twice: kGrain values from ox on are contiguous
    for (int x0 = 0; x0 < width_; x0 += kGrain) {
      const int n = std::min(kGrain, width_ - x0);
      std::uint8_t* r = row + x0;
      for (int x = 0; x < n; ++x) r[x] = static_cast<std::uint8_t>(std::clamp(r[x] + g[x], 16, 235));
    }
  }
}

void PostEffects::scanlines(Canvas& canvas) const {
  const int period = std::max(2, height_ / 270);
  const int gain = static_cast<int>(std::lround(256.0 * (1.0 - 0.45 * fx_.scanlines)));
  for (int y = 0; y < height_; y += period) {
    std::uint8_t* row = canvas.y() + static_cast<std::ptrdiff_t>(y) * width_;
    for (int x = 0; x < width_; ++x) row[x] = static_cast<std::uint8_t>(16 + (((row[x] - 16) * gain) >> 8));
  }
}

}  // namespace mv
