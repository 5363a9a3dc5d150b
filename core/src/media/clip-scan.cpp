// clip-scan.cpp — see clip-scan.hpp. Demux and decode after FFmpeg's
// doc/examples/demux_decode.c, with skip_frame = AVDISCARD_NONKEY on the video
// decoder so that only key frames cost decoding time.
#include "mv/media/clip-scan.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <system_error>

#include "av-ptr.hpp"
#include "mv/base/error.hpp"
#include "mv/media/media.hpp"

namespace mv {

namespace fs = std::filesystem;

namespace {

constexpr int kThumbW = 64, kThumbH = 36;

[[noreturn]] void unreadable(const fs::path& path) {
  throw Error(ErrorCode::InputInvalid, path.string() + " is not a video FFmpeg can read");
}

/// The key frame's 64×36 luma (swscale, area averaging) and its statistics.
KeyFrameLook look_at(const AVFrame& f, double time_s, SwsPtr& sws, std::vector<std::uint8_t>& thumb,
                     const std::vector<std::uint8_t>& previous) {
  sws.reset(sws_getCachedContext(sws.release(), f.width, f.height, static_cast<AVPixelFormat>(f.format), kThumbW, kThumbH,
                                 AV_PIX_FMT_GRAY8, SWS_AREA, nullptr, nullptr, nullptr));
  if (!sws) throw Error(ErrorCode::Media, "cannot scale the key frames");
  thumb.assign(kThumbW * kThumbH, 0);
  std::uint8_t* dst[4] = {thumb.data(), nullptr, nullptr, nullptr};
  int stride[4] = {kThumbW, 0, 0, 0};
  sws_scale(sws.get(), f.data, f.linesize, 0, f.height, dst, stride);
  KeyFrameLook k;
  k.time_s = time_s;
  double sum = 0.0, detail = 0.0, change = 0.0;
  for (int y = 0; y < kThumbH; ++y) {
    for (int x = 0; x < kThumbW; ++x) {
      const auto i = static_cast<std::size_t>(y) * kThumbW + static_cast<std::size_t>(x);
      const int v = thumb[i];
      sum += v;
      if (x + 1 < kThumbW) detail += std::abs(v - thumb[i + 1]);
      if (!previous.empty()) change += std::abs(v - previous[i]);
    }
  }
  constexpr double n = kThumbW * kThumbH;
  // GRAY8 from swscale is full range; back to Y' code values (16..235).
  k.luma = 16.0 + sum / n * 219.0 / 255.0;
  k.detail = detail / ((kThumbW - 1) * kThumbH);
  k.change = previous.empty() ? 0.0 : change / n;
  return k;
}

/// Loudness per second of the file's sound (empty without sound).
std::vector<double> loudness_per_second(const fs::path& path, bool has_audio, const CancelToken* cancel) {
  std::vector<double> out;
  if (!has_audio) return out;
  constexpr int kRate = 8000;
  AudioReader audio(path, kRate, 1);
  std::vector<float> chunk;
  double sum = 0.0;
  int n = 0;
  while (audio.read(chunk)) {
    if (cancel != nullptr) cancel->throw_if_requested();
    for (float s : chunk) {
      sum += static_cast<double>(s) * s;
      if (++n == kRate) {
        out.push_back(10.0 * std::log10(std::max(1e-10, sum / kRate)));
        sum = 0.0;
        n = 0;
      }
    }
    chunk.clear();
  }
  if (n > kRate / 4) out.push_back(10.0 * std::log10(std::max(1e-10, sum / n)));
  return out;
}

/// A clip's demuxer and its best video stream's decoder (the other streams discarded).
struct VideoInput {
  FormatPtr fmt;
  CodecCtxPtr dec;
  int stream = -1;
  const AVStream* st = nullptr;
  MediaInfo info;
};

/// Opens `path`'s picture stream; `setup` sets the decoder's options before it opens.
template <class Setup>
VideoInput open_video(const fs::path& path, Setup setup) {
  VideoInput v;
  v.info = probe_media(path);
  if (!v.info.has_video || v.info.is_still_image) {
    throw Error(ErrorCode::InputInvalid, path.string() + " has no moving pictures");
  }
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, ("file:" + path.string()).c_str(), nullptr, nullptr) < 0) unreadable(path);
  v.fmt.reset(raw);
  if (avformat_find_stream_info(v.fmt.get(), nullptr) < 0) unreadable(path);
  const AVCodec* codec = nullptr;
  v.stream = av_find_best_stream(v.fmt.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (v.stream < 0 || codec == nullptr) unreadable(path);
  for (unsigned i = 0; i < v.fmt->nb_streams; ++i) {
    if (static_cast<int>(i) != v.stream) v.fmt->streams[i]->discard = AVDISCARD_ALL;
  }
  v.st = v.fmt->streams[v.stream];
  v.dec.reset(avcodec_alloc_context3(codec));
  if (!v.dec || avcodec_parameters_to_context(v.dec.get(), v.st->codecpar) < 0) unreadable(path);
  setup(*v.dec);
  if (avcodec_open2(v.dec.get(), codec, nullptr) < 0) unreadable(path);
  return v;
}

/// The cuts among per-frame changes (scan_cuts's rule).
std::vector<double> pick_cuts(const std::vector<double>& change, const std::vector<double>& times) {
  constexpr double kMinChange = 18.0, kRatio = 3.0, kMinGapS = 0.25;
  constexpr std::size_t kHalf = 15;
  std::vector<double> cuts;
  std::vector<double> around;
  for (std::size_t i = 1; i < change.size(); ++i) {
    if (change[i] < kMinChange) continue;
    around.clear();
    for (std::size_t j = i > kHalf ? i - kHalf : 1; j < std::min(change.size(), i + kHalf + 1); ++j) {
      if (j != i) around.push_back(change[j]);
    }
    double median = 0.0;
    if (!around.empty()) {
      std::nth_element(around.begin(), around.begin() + static_cast<std::ptrdiff_t>(around.size() / 2), around.end());
      median = around[around.size() / 2];
    }
    if (change[i] < kRatio * std::max(median, 2.0)) continue;
    if (!cuts.empty() && times[i] - cuts.back() < kMinGapS) continue;
    cuts.push_back(times[i]);
  }
  return cuts;
}

}  // namespace

CutScan scan_cuts(const fs::path& path, const CancelToken* cancel) {
  VideoInput v = open_video(path, [](AVCodecContext& dec) {
    dec.skip_loop_filter = AVDISCARD_ALL;  // a 64×36 thumbnail does not see the deblocking
    dec.thread_count = 2;
  });
  const double tb = av_q2d(v.st->time_base);
  const std::int64_t start = v.st->start_time != AV_NOPTS_VALUE ? v.st->start_time : 0;
  CutScan scan;
  PacketPtr pkt(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  SwsPtr sws;
  std::vector<std::uint8_t> thumb, previous;
  auto receive = [&]() {
    while (avcodec_receive_frame(v.dec.get(), frame.get()) == 0) {
      const std::int64_t ts = frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : start;
      const KeyFrameLook k = look_at(*frame, std::max(0.0, static_cast<double>(ts - start) * tb), sws, thumb, previous);
      scan.frame_times.push_back(k.time_s);
      scan.change.push_back(k.change);
      previous.swap(thumb);
      av_frame_unref(frame.get());
    }
  };
  while (av_read_frame(v.fmt.get(), pkt.get()) >= 0) {
    if (cancel != nullptr) cancel->throw_if_requested();
    if (pkt->stream_index == v.stream && avcodec_send_packet(v.dec.get(), pkt.get()) >= 0) receive();
    av_packet_unref(pkt.get());
  }
  avcodec_send_packet(v.dec.get(), nullptr);
  receive();
  if (scan.frame_times.size() < 2) throw Error(ErrorCode::InputInvalid, path.string() + " has no moving pictures");
  const double span = scan.frame_times.back() - scan.frame_times.front();
  scan.fps = span > 0.0 ? static_cast<double>(scan.frame_times.size() - 1) / span : 30.0;
  scan.duration_s = v.info.duration_s > 0.0 ? v.info.duration_s : scan.frame_times.back() + 1.0 / scan.fps;
  scan.cuts = pick_cuts(scan.change, scan.frame_times);
  return scan;
}

bool is_black(const KeyFrameLook& frame) { return frame.luma < 24.0 && frame.detail < 1.5; }

bool all_black(const ClipActivity& clip) {
  return !clip.key_frames.empty() && std::all_of(clip.key_frames.begin(), clip.key_frames.end(), is_black);
}

ClipActivity scan_clip(const fs::path& path, const CancelToken* cancel) {
  VideoInput v = open_video(path, [](AVCodecContext& dec) {
    dec.skip_frame = AVDISCARD_NONKEY;
    dec.thread_count = 0;  // key frames only: let the decoder use every core
  });
  const MediaInfo& info = v.info;
  FormatPtr& fmt = v.fmt;
  CodecCtxPtr& dec = v.dec;
  const int stream = v.stream;
  const AVStream* st = v.st;

  ClipActivity act;
  act.duration_s = info.duration_s;
  const double tb = av_q2d(st->time_base);
  const std::int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
  PacketPtr pkt(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  SwsPtr sws;
  std::vector<std::uint8_t> thumb, previous;
  auto receive = [&]() {
    while (avcodec_receive_frame(dec.get(), frame.get()) == 0) {
      const std::int64_t ts = frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : start;
      act.key_frames.push_back(look_at(*frame, std::max(0.0, static_cast<double>(ts - start) * tb), sws, thumb, previous));
      previous.swap(thumb);
      av_frame_unref(frame.get());
    }
  };
  while (av_read_frame(fmt.get(), pkt.get()) >= 0) {
    if (cancel != nullptr) cancel->throw_if_requested();
    if (pkt->stream_index == stream) {
      const std::int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
      if (ts != AV_NOPTS_VALUE) {
        const auto second = static_cast<std::size_t>(std::max(0.0, static_cast<double>(ts - start) * tb));
        if (second < (1u << 20)) {
          if (act.video_bytes.size() <= second) act.video_bytes.resize(second + 1, 0.0);
          act.video_bytes[second] += pkt->size;
        }
      }
      if ((pkt->flags & AV_PKT_FLAG_KEY) != 0 && avcodec_send_packet(dec.get(), pkt.get()) >= 0) receive();
    }
    av_packet_unref(pkt.get());
  }
  avcodec_send_packet(dec.get(), nullptr);
  receive();
  if (act.duration_s <= 0.0) act.duration_s = static_cast<double>(act.video_bytes.size());
  act.loudness_db = loudness_per_second(path, info.has_audio, cancel);
  return act;
}

}  // namespace mv
