// hdr-convert.hpp — pictures in HDR or wide gamut (a phone's HLG clip, an
// HDR10 PQ video, BT.2020 SDR) converted to the BT.709 SDR the compositor
// draws in, with libavfilter's zscale (the zimg library) and tonemap filters.
// Internal to the media library.
#pragma once

#include <string>

#include "av-ptr.hpp"

extern "C" {
#include <libavformat/avformat.h>
}

namespace mv {

/// What a picture's colour tags say needs converting, read from a stream's
/// or a frame's transfer and primaries.
enum class ColourKind {
  Sdr709,      ///< BT.709 (or untagged, or BT.601): nothing to do
  Hlg,         ///< ARIB STD-B67 (hybrid log-gamma), BT.2020
  Pq,          ///< SMPTE ST 2084 (perceptual quantizer), BT.2020: HDR10
  WideGamut,   ///< BT.2020 primaries with an SDR transfer
};
ColourKind colour_kind(AVColorTransferCharacteristic transfer, AVColorPrimaries primaries);

/// "HLG BT.2020 10-bit", "PQ (HDR10) BT.2020 10-bit, mastered at 1000 cd/m²",
/// "BT.2020 SDR 10-bit": what a note says was converted.
std::string colour_description(ColourKind kind, int bit_depth, double peak_nits = 0.0);

/// BT.2408's HDR reference white ("graphics white"): 203 cd/m², at 75 % of
/// the HLG signal. It becomes SDR white.
inline constexpr double kReferenceWhiteNits = 203.0;

/// Converts decoded frames of one stream to YUV 4:2:0 BT.709 limited range:
/// zscale takes the picture to linear light (reference white = 1.0, npl 203),
/// to BT.709 primaries, then `tonemap` (Möbius, linear below 0.9 so reference
/// white keeps ~95 % of SDR white, highlights up to the content's peak rolled
/// into the rest; FFmpeg's vf_tonemap) and back to the BT.709 transfer. The
/// peak is the frame's content light level (MaxCLL), else its mastering
/// display's maximum luminance, else 1000 cd/m² (HLG's nominal display).
/// Wide-gamut SDR only changes primaries. Scales on the way (bilinear) when
/// `scale` < 1, so a 4K phone clip is converted at the size it is drawn at.
class HdrConverter {
 public:
  /// Converts `frame` in place. The graph is built at the first frame (and
  /// again when the size or format changes). Error{Media} if libavfilter fails.
  void convert(AVFrame& frame, ColourKind kind, double scale);
  /// The content's peak luminance the tone map used, cd/m² (0 before the first frame).
  [[nodiscard]] double peak_nits() const { return peak_nits_; }

 private:
  struct Graph;
  struct GraphDeleter {
    void operator()(Graph* g) const;
  };
  std::unique_ptr<Graph, GraphDeleter> graph_;
  int w_ = 0, h_ = 0, format_ = -1, out_w_ = 0, out_h_ = 0;
  double peak_nits_ = 0.0;
  FramePtr out_;
};

}  // namespace mv
