// lut-grade.cpp — Grade::from_lut and the 3D LUT pass (effects.hpp), and the
// bundled LUTs (data/luts/*.cube, made by scripts/make-luts.py).
#include <algorithm>
#include <atomic>
#include <fstream>
#include <random>

#include "effects.hpp"
#include "grade-simd.hpp"
#include "mv/base/simd.hpp"
#include "mv/base/error.hpp"
#include "mv/media/lut-file.hpp"
#include "mv/render/look.hpp"

namespace mv {

const std::vector<std::pair<const char*, const char*>>& bundled_lut_files();  // generated: data/luts/*.cube

namespace fs = std::filesystem;

namespace {

constexpr int kNodes = kGradeNodes;
constexpr int kStep = kGradeStep;

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
  g.lut_y_.resize(g.lut_y_.size() + kGradeCurvePad, 0);  // the vector kernels read 4 bytes at each entry
  g.lut_c_.resize(mapped.cb.size());
  for (std::size_t i = 0; i < mapped.cb.size(); ++i) g.lut_c_[i] = mapped.cb[i] | (std::uint32_t{mapped.cr[i]} << 16);
  if (simd_level() == SimdLevel::Avx512Vbmi) {
    g.lut_c4_.resize(mapped.cb.size());
    for (int i = 0; i < kNodes; ++i) {
      for (int j = 0; j < kNodes; ++j) {
        for (int l = 0; l < 256; ++l) {
          std::uint64_t packed = 0;
          int k = 0;
          for (const int di : {0, 1}) {
            for (const int dj : {0, 1}) {
              const auto node = static_cast<std::size_t>(std::min(i + di, kNodes - 1) * kNodes + std::min(j + dj, kNodes - 1));
              const std::size_t at = node * 256 + static_cast<std::size_t>(l);
              packed |= std::uint64_t{mapped.cb[at]} << (16 * k) | std::uint64_t{mapped.cr[at]} << (16 * k + 8);
              ++k;
            }
          }
          g.lut_c4_[static_cast<std::size_t>(i * kNodes + j) * 256 + static_cast<std::size_t>(l)] = packed;
        }
      }
    }
  }
  return g;
}

void Grade::grade_rows_3d(Canvas& canvas, int row) const {
  const int w = canvas.width();
  GradeRow r;
  r.y0 = canvas.y() + static_cast<std::ptrdiff_t>(2 * row) * w;
  r.y1 = r.y0 + w;
  r.u = canvas.u() + static_cast<std::ptrdiff_t>(row) * (w / 2);
  r.v = canvas.v() + static_cast<std::ptrdiff_t>(row) * (w / 2);
  r.blocks = w / 2;
  r.chroma = lut_c_.data();
  r.curves = lut_y_.data();
  r.corners = lut_c4_.empty() ? nullptr : lut_c4_.data();
  int done = 0;
  switch (simd_level()) {
    case SimdLevel::Avx512Vbmi: done = r.corners != nullptr ? grade_blocks_avx512_vbmi(r) : grade_blocks_avx512(r); break;
    case SimdLevel::Avx512: done = grade_blocks_avx512(r); break;
    case SimdLevel::Avx2: done = grade_blocks_avx2(r); break;
    case SimdLevel::None: break;
  }
  grade_blocks_scalar(r, done);
}

}  // namespace mv
