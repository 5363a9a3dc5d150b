// face-finder.hpp — frontal faces in a luma picture, with OpenCV's Viola–Jones
// cascade (private to media: subject-scan.cpp uses it).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace mv {

/// A face's box in pixels of the picture searched.
struct FaceBox {
  int x = 0, y = 0, width = 0, height = 0;
  double confidence = 0.0;  ///< the cascade's last-stage weight: higher is surer (a true face ~4–6, a false one ~2–3)
};

/// Finds frontal faces with OpenCV's CascadeClassifier and the Haar cascade
/// Debian's opencv-data ships (haarcascade_frontalface_default.xml; P. Viola and
/// M. Jones, "Rapid object detection using a boosted cascade of simple
/// features", CVPR 2001; R. Lienhart and J. Maydt, ICIP 2002). The cascade is
/// searched in $MV_FACE_CASCADE (a file), then /usr/share/opencv4/haarcascades
/// and /usr/share/opencv/haarcascades. Not thread-safe: one per thread.
class FaceFinder {
 public:
  /// Null when no cascade file is found or it does not load (then callers
  /// fall back to motion alone).
  static std::unique_ptr<FaceFinder> open();
  ~FaceFinder();
  FaceFinder(const FaceFinder&) = delete;
  FaceFinder& operator=(const FaceFinder&) = delete;

  /// Faces at least `min_height` pixels tall in an 8-bit luma picture
  /// (`width` × `height`, rows `stride` bytes apart), surest first. Scale
  /// step 1.1, 5 neighbours (fewer false faces than OpenCV's default of 3); a
  /// box around the centre of a face under 70 % of its height is dropped (the
  /// cascade's head-and-shoulders false face around a real one).
  std::vector<FaceBox> find(const std::uint8_t* luma, int width, int height, int stride, int min_height);

 private:
  FaceFinder();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mv
