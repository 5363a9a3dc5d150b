// hdr-convert.cpp — see hdr-convert.hpp. The graph follows FFmpeg's
// doc/examples/filtering_video.c: buffer → filters → buffersink, a frame
// pushed, a frame pulled; the filter chain is the zscale + tonemap recipe of
// FFmpeg's filter documentation (tonemap: "convert HDR to SDR").
#include "hdr-convert.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

extern "C" {
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/mastering_display_metadata.h>
#include <libavutil/pixdesc.h>
}

#include "mv/base/error.hpp"
#include "mv/media/media.hpp"

namespace mv {

namespace {

constexpr double kDefaultPeakNits = 1000.0;  // HLG's nominal display; HDR10 without metadata
constexpr double kKnee = 0.9;                // Möbius: linear up to 90 % of reference white

void check(int rc, const char* what) {
  if (rc < 0) throw Error(ErrorCode::Media, std::string("HDR conversion: ") + what + " failed (" + av_error_text(rc) + ")");
}

/// The content's peak luminance from the frame's side data, cd/m².
double content_peak(const AVFrame& f) {
  if (const AVFrameSideData* sd = av_frame_get_side_data(&f, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL)) {
    const auto* cll = reinterpret_cast<const AVContentLightMetadata*>(sd->data);
    if (cll->MaxCLL > 0) return cll->MaxCLL;
  }
  if (const AVFrameSideData* sd = av_frame_get_side_data(&f, AV_FRAME_DATA_MASTERING_DISPLAY_METADATA)) {
    const auto* m = reinterpret_cast<const AVMasteringDisplayMetadata*>(sd->data);
    if (m->has_luminance && m->max_luminance.den > 0 && av_q2d(m->max_luminance) > 0) return av_q2d(m->max_luminance);
  }
  return kDefaultPeakNits;
}

}  // namespace

ColourKind colour_kind(AVColorTransferCharacteristic transfer, AVColorPrimaries primaries) {
  if (transfer == AVCOL_TRC_ARIB_STD_B67) return ColourKind::Hlg;
  if (transfer == AVCOL_TRC_SMPTE2084) return ColourKind::Pq;
  if (primaries == AVCOL_PRI_BT2020) return ColourKind::WideGamut;
  return ColourKind::Sdr709;
}

std::string colour_description(ColourKind kind, int bit_depth, double peak_nits) {
  std::string s;
  switch (kind) {
    case ColourKind::Hlg: s = "HLG BT.2020"; break;
    case ColourKind::Pq: s = "PQ (HDR10) BT.2020"; break;
    case ColourKind::WideGamut: s = "BT.2020 SDR"; break;
    case ColourKind::Sdr709: return "BT.709 SDR";
  }
  s += " " + std::to_string(bit_depth) + "-bit";
  if (kind == ColourKind::Pq && peak_nits > 0.0) s += ", mastered at " + std::to_string(std::lround(peak_nits)) + " cd/m²";
  return s;
}

struct HdrConverter::Graph {
  AVFilterGraph* graph = nullptr;
  AVFilterContext* src = nullptr;
  AVFilterContext* sink = nullptr;
};

void HdrConverter::GraphDeleter::operator()(Graph* g) const {
  avfilter_graph_free(&g->graph);
  delete g;
}

void HdrConverter::convert(AVFrame& frame, ColourKind kind, double scale) {
  if (kind == ColourKind::Sdr709) return;
  if (!graph_ || frame.width != w_ || frame.height != h_ || frame.format != format_) {
    w_ = frame.width;
    h_ = frame.height;
    format_ = frame.format;
    const double s = std::clamp(scale, 0.05, 1.0);
    out_w_ = std::max(2, static_cast<int>(std::lround(w_ * s)) & ~1);
    out_h_ = std::max(2, static_cast<int>(std::lround(h_ * s)) & ~1);
    peak_nits_ = kind == ColourKind::WideGamut ? kReferenceWhiteNits : std::max(kReferenceWhiteNits, content_peak(frame));
    graph_.reset(new Graph);
    graph_->graph = avfilter_graph_alloc();
    if (graph_->graph == nullptr) throw Error(ErrorCode::Internal, "out of memory (HDR conversion)");
    graph_->graph->nb_threads = 1;
    char args[256];
    std::snprintf(args, sizeof args, "video_size=%dx%d:pix_fmt=%d:time_base=1/90000:pixel_aspect=1/1", w_, h_, format_);
    check(avfilter_graph_create_filter(&graph_->src, avfilter_get_by_name("buffer"), "in", args, nullptr, graph_->graph),
          "the source");
    check(avfilter_graph_create_filter(&graph_->sink, avfilter_get_by_name("buffersink"), "out", nullptr, nullptr,
                                       graph_->graph),
          "the sink");
    char chain[512];
    if (kind == ColourKind::WideGamut) {  // primaries only: BT.2020 → BT.709 in linear light, no tone map
      std::snprintf(chain, sizeof chain,
                    "zscale=w=%d:h=%d:filter=bilinear:t=linear:npl=%g,format=gbrpf32le,zscale=p=bt709,"
                    "zscale=t=bt709:m=bt709:r=tv,format=yuv420p",
                    out_w_, out_h_, kReferenceWhiteNits);
    } else {
      std::snprintf(chain, sizeof chain,
                    "zscale=w=%d:h=%d:filter=bilinear:t=linear:npl=%g,format=gbrpf32le,zscale=p=bt709,"
                    "tonemap=tonemap=mobius:param=%g:desat=0:peak=%g,zscale=t=bt709:m=bt709:r=tv,format=yuv420p",
                    out_w_, out_h_, kReferenceWhiteNits, kKnee, peak_nits_ / kReferenceWhiteNits);
    }
    AVFilterInOut* outputs = avfilter_inout_alloc();
    AVFilterInOut* inputs = avfilter_inout_alloc();
    if (outputs == nullptr || inputs == nullptr) {
      avfilter_inout_free(&outputs);
      avfilter_inout_free(&inputs);
      throw Error(ErrorCode::Internal, "out of memory (HDR conversion)");
    }
    outputs->name = av_strdup("in");
    outputs->filter_ctx = graph_->src;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = graph_->sink;
    const int parsed = avfilter_graph_parse_ptr(graph_->graph, chain, &inputs, &outputs, nullptr);
    avfilter_inout_free(&outputs);
    avfilter_inout_free(&inputs);
    check(parsed, "building the filters (zscale, tonemap)");
    check(avfilter_graph_config(graph_->graph, nullptr), "configuring the filters");
    out_.reset(av_frame_alloc());
    if (!out_) throw Error(ErrorCode::Internal, "out of memory (HDR conversion)");
  }
  // The stream's tags where the frame has none (zscale reads the frame's).
  check(av_buffersrc_write_frame(graph_->src, &frame), "sending a frame");
  av_frame_unref(out_.get());
  check(av_buffersink_get_frame(graph_->sink, out_.get()), "receiving a frame");
  if (av_frame_copy_props(out_.get(), &frame) < 0) throw Error(ErrorCode::Internal, "out of memory (HDR conversion)");
  out_->color_trc = AVCOL_TRC_BT709;
  out_->color_primaries = AVCOL_PRI_BT709;
  out_->colorspace = AVCOL_SPC_BT709;
  out_->color_range = AVCOL_RANGE_MPEG;
  av_frame_remove_side_data(out_.get(), AV_FRAME_DATA_MASTERING_DISPLAY_METADATA);
  av_frame_remove_side_data(out_.get(), AV_FRAME_DATA_CONTENT_LIGHT_LEVEL);
  av_frame_unref(&frame);
  av_frame_move_ref(&frame, out_.get());
}

}  // namespace mv
