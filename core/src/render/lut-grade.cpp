// lut-grade.cpp — Grade::from_lut and the 3D LUT pass (effects.hpp), and the
// bundled LUTs (data/luts/*.cube, made by scripts/make-luts.py).
#include <algorithm>
#include <atomic>
#include <fstream>
#include <random>

#include "effects.hpp"
#include "mv/base/error.hpp"
#include "mv/media/lut-file.hpp"
#include "mv/render/look.hpp"

namespace mv {

const std::vector<std::pair<const char*, const char*>>& bundled_lut_files();  // generated: data/luts/*.cube

namespace fs = std::filesystem;

namespace {

constexpr int kNodes = 33;  // chroma nodes per axis, every 8 code values (node 32 reads 255)
constexpr int kStep = 8;

/// A bundled LUT's text written to a private temporary file (lut3d reads files
/// only), removed when this goes out of scope.
class TempLutFile {
 public:
  TempLutFile(const std::string& name, const char* text) : path_(unique_path(name)) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw Error(ErrorCode::Internal, "cannot write the bundled LUT " + name + " to " + path_.string());
  }
  TempLutFile(const TempLutFile&) = delete;
  TempLutFile& operator=(const TempLutFile&) = delete;
  ~TempLutFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  static fs::path unique_path(const std::string& name) {
    static std::atomic<int> counter{0};
    static const unsigned salt = std::random_device{}();
    return fs::temp_directory_path() /
           ("mv-lut-" + std::to_string(salt) + "-" + std::to_string(counter++) + "-" + name + ".cube");
  }

  fs::path path_;
};

}  // namespace

const std::vector<std::string>& bundled_lut_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& [file, text] : bundled_lut_files()) n.push_back(fs::path(file).stem().string());
    return n;
  }();
  return names;
}

Grade Grade::from_lut(const std::string& lut) {
  if (lut.empty() || lut == "none") return Grade("none");
  YuvSamples grid{256, kNodes * kNodes, {}, {}, {}};
  for (int i = 0; i < kNodes; ++i) {
    for (int j = 0; j < kNodes; ++j) {
      for (int l = 0; l < 256; ++l) {
        grid.y.push_back(static_cast<std::uint8_t>(l));
        grid.cb.push_back(static_cast<std::uint8_t>(std::min(255, i * kStep)));
        grid.cr.push_back(static_cast<std::uint8_t>(std::min(255, j * kStep)));
      }
    }
  }
  YuvSamples mapped;
  const auto& bundled = bundled_lut_files();
  const auto it = std::find_if(bundled.begin(), bundled.end(), [&](const auto& f) { return fs::path(f.first).stem() == lut; });
  if (it != bundled.end()) {
    const TempLutFile file(lut, it->second);
    mapped = map_through_lut_file(file.path(), grid);
  } else {
    std::error_code ec;
    if (!fs::exists(lut, ec) && lut.find('/') == std::string::npos && lut.find('.') == std::string::npos) {
      std::string known;
      for (const auto& n : bundled_lut_names()) known += (known.empty() ? "" : ", ") + n;
      throw Error(ErrorCode::Usage, "unknown LUT \"" + lut + "\": give a .cube file or one of " + known);
    }
    mapped = map_through_lut_file(lut, grid);
  }
  Grade g;
  g.active_ = true;
  g.lut_y_ = std::move(mapped.y);
  g.lut_cb_ = std::move(mapped.cb);
  g.lut_cr_ = std::move(mapped.cr);
  return g;
}

void Grade::grade_rows_3d(Canvas& canvas, int row) const {
  const int w = canvas.width(), cw = w / 2;
  std::uint8_t* y0 = canvas.y() + static_cast<std::ptrdiff_t>(2 * row) * w;
  std::uint8_t* y1 = y0 + w;
  std::uint8_t* u = canvas.u() + static_cast<std::ptrdiff_t>(row) * cw;
  std::uint8_t* v = canvas.v() + static_cast<std::ptrdiff_t>(row) * cw;
  for (int x = 0; x < cw; ++x) {
    const int cb = u[x], cr = v[x], fi = cb & (kStep - 1), fj = cr & (kStep - 1);
    const std::size_t base = static_cast<std::size_t>((cb / kStep) * kNodes + cr / kStep) * 256;
    // Chroma: bilinear between the four nodes around (Cb, Cr), weights summing
    // to 64, at the block's mean Y'.
    const int w00 = (kStep - fi) * (kStep - fj), w01 = (kStep - fi) * fj, w10 = fi * (kStep - fj), w11 = fi * fj;
    auto at = [&](const std::vector<std::uint8_t>& t, int l) {
      const std::uint8_t* p = &t[base + static_cast<std::size_t>(l)];
      return (p[0] * w00 + p[256] * w01 + p[kNodes * 256] * w10 + p[kNodes * 256 + 256] * w11 + 32) >> 6;
    };
    std::uint8_t* px[4] = {y0 + 2 * x, y0 + 2 * x + 1, y1 + 2 * x, y1 + 2 * x + 1};
    const int mean = (*px[0] + *px[1] + *px[2] + *px[3] + 2) >> 2;
    u[x] = static_cast<std::uint8_t>(at(lut_cb_, mean));
    v[x] = static_cast<std::uint8_t>(at(lut_cr_, mean));
    // Y': the nearest chroma node's curve. Y' moves little with chroma, and
    // this is one read per pixel.
    const std::uint8_t* curve =
        &lut_y_[static_cast<std::size_t>(((cb + kStep / 2) / kStep) * kNodes + (cr + kStep / 2) / kStep) * 256];
    for (std::uint8_t* p : px) *p = curve[*p];
  }
}

}  // namespace mv
