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
  g.lut_c_.resize(mapped.cb.size());
  for (std::size_t i = 0; i < mapped.cb.size(); ++i) g.lut_c_[i] = mapped.cb[i] | (std::uint32_t{mapped.cr[i]} << 16);
  return g;
}

void Grade::grade_rows_3d(Canvas& canvas, int row) const {
  const int w = canvas.width(), cw = w / 2;
  std::uint8_t* y0 = canvas.y() + static_cast<std::ptrdiff_t>(2 * row) * w;
  std::uint8_t* y1 = y0 + w;
  std::uint8_t* u = canvas.u() + static_cast<std::ptrdiff_t>(row) * cw;
  std::uint8_t* v = canvas.v() + static_cast<std::ptrdiff_t>(row) * cw;
  const std::uint32_t* table = lut_c_.data();
  const std::uint8_t* curves = lut_y_.data();
  // Neighbouring blocks mostly share their chroma: the node, weights and
  // curve of the last (Cb, Cr) are kept.
  int last = -1;
  const std::uint32_t* p = table;
  const std::uint8_t* curve = curves;
  std::uint32_t w00 = 0, w01 = 0, w10 = 0, w11 = 0;
  for (int x = 0; x < cw; ++x) {
    const int cb = u[x], cr = v[x];
    if (const int key = cb << 8 | cr; key != last) {
      last = key;
      const int fi = cb & (kStep - 1), fj = cr & (kStep - 1);
      p = table + static_cast<std::size_t>((cb / kStep) * kNodes + cr / kStep) * 256;
      // Bilinear between the four nodes around (Cb, Cr), weights summing to 64.
      w00 = static_cast<std::uint32_t>((kStep - fi) * (kStep - fj));
      w01 = static_cast<std::uint32_t>((kStep - fi) * fj);
      w10 = static_cast<std::uint32_t>(fi * (kStep - fj));
      w11 = static_cast<std::uint32_t>(fi * fj);
      // Y': the nearest chroma node's curve. Y' moves little with chroma, and
      // this is one read per pixel.
      curve = curves + static_cast<std::size_t>(((cb + kStep / 2) / kStep) * kNodes + (cr + kStep / 2) / kStep) * 256;
    }
    std::uint8_t* a = y0 + 2 * x;
    std::uint8_t* b = y1 + 2 * x;
    const int mean = (a[0] + a[1] + b[0] + b[1] + 2) >> 2;
    // Chroma at the block's mean Y': Cb in the low half, Cr in the high half
    // (each ≤ 255 · 64, so the halves never carry into each other).
    const std::uint32_t* q = p + mean;
    const std::uint32_t c = q[0] * w00 + q[256] * w01 + q[kNodes * 256] * w10 + q[kNodes * 256 + 256] * w11 + (32u | 32u << 16);
    u[x] = static_cast<std::uint8_t>((c & 0xffffu) >> 6);
    v[x] = static_cast<std::uint8_t>(c >> 22);
    a[0] = curve[a[0]];
    a[1] = curve[a[1]];
    b[0] = curve[b[0]];
    b[1] = curve[b[1]];
  }
}

}  // namespace mv
