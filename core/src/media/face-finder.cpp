// face-finder.cpp — see face-finder.hpp.
#include "face-finder.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>

#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>

namespace mv {

struct FaceFinder::Impl {
  cv::CascadeClassifier cascade;
};

FaceFinder::FaceFinder() : impl_(std::make_unique<Impl>()) {}
FaceFinder::~FaceFinder() = default;

std::unique_ptr<FaceFinder> FaceFinder::open() {
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv("MV_FACE_CASCADE"); env != nullptr && *env != '\0') candidates.emplace_back(env);
  for (const char* dir : {"/usr/share/opencv4/haarcascades", "/usr/share/opencv/haarcascades"}) {
    candidates.emplace_back(std::filesystem::path(dir) / "haarcascade_frontalface_default.xml");
  }
  for (const auto& path : candidates) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) continue;
    std::unique_ptr<FaceFinder> finder(new FaceFinder());
    try {
      if (finder->impl_->cascade.load(path.string()) && !finder->impl_->cascade.empty()) return finder;
    } catch (const cv::Exception&) {
      // a damaged file: try the next
    }
  }
  return nullptr;
}

std::vector<FaceBox> FaceFinder::find(const std::uint8_t* luma, int width, int height, int stride, int min_height) {
  std::vector<FaceBox> out;
  if (luma == nullptr || width <= 0 || height <= 0) return out;
  // A view of the caller's plane, no copy (OpenCV does not write through it).
  const cv::Mat picture(height, width, CV_8UC1, const_cast<std::uint8_t*>(luma), static_cast<std::size_t>(stride));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  std::vector<cv::Rect> found;
  std::vector<int> levels;
  std::vector<double> weights;
  const int min_side = std::max(20, min_height);
  try {
    // outputRejectLevels: also the final stage's weight of each face, to rank them.
    impl_->cascade.detectMultiScale(picture, found, levels, weights, 1.1, 5, 0, cv::Size(min_side, min_side), cv::Size(), true);
  } catch (const cv::Exception&) {
    return out;
  }
  for (std::size_t i = 0; i < found.size(); ++i) {
    const auto& r = found[i];
    out.push_back({r.x, r.y, r.width, r.height, i < weights.size() ? weights[i] : 0.0});
  }
  // A box around a smaller face's centre is the cascade's common head-and-shoulders false
  // face around a real one: keep the inner face.
  auto around_smaller = [&](const FaceBox& big) {
    return std::any_of(out.begin(), out.end(), [&](const FaceBox& small) {
      const int cx = small.x + small.width / 2, cy = small.y + small.height / 2;
      return small.height * 10 < big.height * 7 && cx > big.x && cx < big.x + big.width && cy > big.y && cy < big.y + big.height;
    });
  };
  std::vector<FaceBox> kept;
  for (const auto& f : out) {
    if (!around_smaller(f)) kept.push_back(f);
  }
  out = std::move(kept);
  std::sort(out.begin(), out.end(), [](const FaceBox& a, const FaceBox& b) { return a.confidence > b.confidence; });
  return out;
}

}  // namespace mv
