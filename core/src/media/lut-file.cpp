// lut-file.cpp — see lut-file.hpp. The filter graph follows FFmpeg's
// doc/examples/filtering_video.c: buffer → filters → buffersink, one frame
// pushed, one frame pulled. lut3d is created with avfilter_graph_alloc_filter
// and its `file` option set directly, so a path needs no filter-string escaping.
#include "mv/media/lut-file.hpp"

extern "C" {
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/frame.h>
#include <libavutil/opt.h>
}

#include <cstring>
#include <memory>
#include <string>

#include "av-ptr.hpp"
#include "mv/base/error.hpp"
#include "mv/media/media.hpp"

namespace mv {

namespace fs = std::filesystem;

namespace {

struct GraphDeleter {
  void operator()(AVFilterGraph* g) const { avfilter_graph_free(&g); }
};
using GraphPtr = std::unique_ptr<AVFilterGraph, GraphDeleter>;

void check(int rc, const char* what) {
  if (rc < 0) throw Error(ErrorCode::Media, std::string("LUT filter graph: ") + what + " failed (" + av_error_text(rc) + ")");
}

/// A filter of the graph from a name and an option string.
AVFilterContext* add(AVFilterGraph* graph, const char* filter, const char* name, const std::string& args) {
  AVFilterContext* ctx = nullptr;
  check(avfilter_graph_create_filter(&ctx, avfilter_get_by_name(filter), name, args.empty() ? nullptr : args.c_str(),
                                     nullptr, graph),
        filter);
  return ctx;
}

}  // namespace

YuvSamples map_through_lut_file(const fs::path& lut_file, const YuvSamples& in) {
  std::error_code ec;
  if (!fs::is_regular_file(lut_file, ec)) throw Error(ErrorCode::InputMissing, "LUT file " + lut_file.string() + " does not exist");
  GraphPtr graph(avfilter_graph_alloc());
  if (!graph) throw Error(ErrorCode::Media, "out of memory for the LUT filter graph");
  graph->nb_threads = 1;
  AVFilterContext* src = add(graph.get(), "buffer", "in",
                             "video_size=" + std::to_string(in.width) + "x" + std::to_string(in.height) +
                                 ":pix_fmt=yuv444p:time_base=1/25:pixel_aspect=1/1");
  AVFilterContext* to_rgb = add(graph.get(), "scale", "to_rgb", "in_color_matrix=bt709:in_range=tv:flags=accurate_rnd+full_chroma_int");
  AVFilterContext* rgb = add(graph.get(), "format", "rgb", "pix_fmts=gbrp16le");
  AVFilterContext* lut = avfilter_graph_alloc_filter(graph.get(), avfilter_get_by_name("lut3d"), "lut");
  if (lut == nullptr) throw Error(ErrorCode::Media, "FFmpeg has no lut3d filter");
  check(av_opt_set(lut, "file", lut_file.c_str(), AV_OPT_SEARCH_CHILDREN), "setting the LUT file");
  check(av_opt_set(lut, "interp", "tetrahedral", AV_OPT_SEARCH_CHILDREN), "setting the interpolation");
  if (const int rc = avfilter_init_str(lut, nullptr); rc < 0) {
    throw Error(ErrorCode::InputInvalid, "LUT file " + lut_file.string() + ": FFmpeg's lut3d filter cannot read it (" +
                                             av_error_text(rc) + "); it reads .cube, .3dl, .dat, .m3d and .csp");
  }
  AVFilterContext* to_yuv = add(graph.get(), "scale", "to_yuv", "out_color_matrix=bt709:out_range=tv:flags=accurate_rnd+full_chroma_int");
  AVFilterContext* yuv = add(graph.get(), "format", "yuv", "pix_fmts=yuv444p");
  AVFilterContext* sink = add(graph.get(), "buffersink", "out", "");
  AVFilterContext* chain[] = {src, to_rgb, rgb, lut, to_yuv, yuv, sink};
  for (std::size_t i = 0; i + 1 < std::size(chain); ++i) check(avfilter_link(chain[i], 0, chain[i + 1], 0), "linking");
  check(avfilter_graph_config(graph.get(), nullptr), "configuring");

  FramePtr frame(av_frame_alloc());
  if (!frame) throw Error(ErrorCode::Media, "out of memory for a frame");
  frame->format = AV_PIX_FMT_YUV444P;
  frame->width = in.width;
  frame->height = in.height;
  frame->color_range = AVCOL_RANGE_MPEG;
  frame->colorspace = AVCOL_SPC_BT709;
  check(av_frame_get_buffer(frame.get(), 0), "allocating a frame");
  const std::vector<std::uint8_t>* planes[] = {&in.y, &in.cb, &in.cr};
  for (int p = 0; p < 3; ++p) {
    for (int r = 0; r < in.height; ++r) {
      std::memcpy(frame->data[p] + static_cast<std::ptrdiff_t>(r) * frame->linesize[p],
                  planes[p]->data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(in.width),
                  static_cast<std::size_t>(in.width));
    }
  }
  check(av_buffersrc_add_frame(src, frame.get()), "sending the samples");
  check(av_buffersrc_add_frame(src, nullptr), "closing the input");
  FramePtr out(av_frame_alloc());
  if (!out) throw Error(ErrorCode::Media, "out of memory for a frame");
  check(av_buffersink_get_frame(sink, out.get()), "reading the mapped samples");
  YuvSamples result{in.width, in.height, {}, {}, {}};
  std::vector<std::uint8_t>* dst[] = {&result.y, &result.cb, &result.cr};
  for (int p = 0; p < 3; ++p) {
    dst[p]->resize(static_cast<std::size_t>(in.width) * static_cast<std::size_t>(in.height));
    for (int r = 0; r < in.height; ++r) {
      std::memcpy(dst[p]->data() + static_cast<std::size_t>(r) * static_cast<std::size_t>(in.width),
                  out->data[p] + static_cast<std::ptrdiff_t>(r) * out->linesize[p], static_cast<std::size_t>(in.width));
    }
  }
  return result;
}

}  // namespace mv
