// media.cpp — probe_media and AudioReader on libavformat / libavcodec /
// libswresample: check and open a file, describe its streams, and stream its
// best audio track out as interleaved float PCM (see mv/media/media.hpp).
#include "mv/media/media.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <cmath>
#include <initializer_list>
#include <string_view>
#include <system_error>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/dict.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>
}

#include "av-ptr.hpp"
#include "hdr-convert.hpp"
#include "unfinished-mp4.hpp"
#include "mv/base/error.hpp"

namespace mv {

std::string av_error_text(int averror) {
  std::array<char, AV_ERROR_MAX_STRING_SIZE> buf{};
  if (av_strerror(averror, buf.data(), buf.size()) < 0) return "FFmpeg error " + std::to_string(averror);
  return buf.data();
}

namespace {

namespace fs = std::filesystem;

// FFmpeg's macros expand to C-style casts; evaluate them once, here.
constexpr std::int64_t kNoPts = AV_NOPTS_VALUE;
constexpr int kAvEof = AVERROR_EOF;
constexpr int kAvInvalidData = AVERROR_INVALIDDATA;
constexpr int kAvAgain = AVERROR(EAGAIN);
constexpr int kAvNoMem = AVERROR(ENOMEM);

// Decoding this far before the requested start warms up decoders that need
// history (MP3 bit reservoir, AAC/Vorbis/Opus overlap) before samples are kept.
constexpr double kSeekPrerollS = 0.5;

// Decoders report damaged data as AVERROR_INVALIDDATA but also as other codes
// (the AAC decoder returns -1 = EPERM); such packets are skipped. Only this many
// failures in a row, with no frame between, mean the stream cannot be decoded.
constexpr int kMaxBadPacketsInRow = 500;


/// An AVChannelLayout that releases itself (custom-order layouts own memory).
struct Layout {
  AVChannelLayout v{};
  Layout() = default;
  Layout(const Layout&) = delete;
  Layout& operator=(const Layout&) = delete;
  ~Layout() { av_channel_layout_uninit(&v); }
};

double to_seconds(std::int64_t ts, AVRational tb) { return static_cast<double>(ts) * av_q2d(tb); }

bool is_cover_art(const AVStream* s) { return (s->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0; }

[[noreturn]] void throw_unreadable(const fs::path& path, int err) {
  throw_if_unfinished_mp4(path);
  throw Error(ErrorCode::InputInvalid,
              path.string() + " is not an audio or video file FFmpeg can read (" + av_error_text(err) + ")");
}

/// Checks that `path` is a non-empty regular file, opens it and reads its stream info.
FormatPtr open_input(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw Error(ErrorCode::InputMissing, "No such file: " + path.string());
  if (fs::is_directory(status)) throw Error(ErrorCode::InputMissing, path.string() + " is a directory, not a file");
  if (!fs::is_regular_file(status)) throw Error(ErrorCode::InputMissing, path.string() + " is not a regular file");
  if (fs::file_size(path, ec) == 0 && !ec) throw Error(ErrorCode::InputInvalid, path.string() + " is empty (0 bytes)");

  AVFormatContext* raw = nullptr;
  int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (err < 0) throw_unreadable(path, err);  // avformat_open_input frees `raw` on failure
  FormatPtr fmt(raw);
  err = avformat_find_stream_info(fmt.get(), nullptr);
  if (err < 0) throw_unreadable(path, err);
  // A demuxer picked by file extension alone can "open" junk; insist on one usable stream.
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVCodecParameters* par = fmt->streams[i]->codecpar;
    if (par->codec_type == AVMEDIA_TYPE_AUDIO && par->sample_rate > 0 && par->ch_layout.nb_channels > 0) return fmt;
    if (par->codec_type == AVMEDIA_TYPE_VIDEO && par->width > 0 && par->height > 0) return fmt;
  }
  throw_unreadable(path, kAvInvalidData);
}

/// The video stream worth showing: the largest that is not an attached cover picture.
const AVStream* best_video_stream(const AVFormatContext* fmt) {
  const AVStream* best = nullptr;
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVStream* s = fmt->streams[i];
    if (s->codecpar->codec_type != AVMEDIA_TYPE_VIDEO || is_cover_art(s)) continue;
    if (best == nullptr ||
        s->codecpar->width * s->codecpar->height > best->codecpar->width * best->codecpar->height) {
      best = s;
    }
  }
  return best;
}

bool is_still_image(const AVFormatContext* fmt, const AVStream* video, double duration_s) {
  if (video == nullptr) return false;
  const std::string_view name = fmt->iformat->name;
  if (name.starts_with("image2") || name.ends_with("_pipe")) return true;
  switch (video->codecpar->codec_id) {
    case AV_CODEC_ID_PNG:
    case AV_CODEC_ID_MJPEG:
    case AV_CODEC_ID_WEBP:
    case AV_CODEC_ID_BMP:
    case AV_CODEC_ID_GIF:
      // nb_frames is 0 when unknown, so also require no real running time.
      return video->nb_frames <= 1 && duration_s < 1.0;
    default:
      return false;
  }
}

/// The first of `keys` found in the container's metadata, else in the audio
/// stream's (Ogg and Opus keep their comments there), whitespace trimmed.
std::string tag(const AVFormatContext* fmt, int audio_stream, std::initializer_list<const char*> keys) {
  const AVDictionary* dicts[] = {fmt->metadata, audio_stream >= 0 ? fmt->streams[audio_stream]->metadata : nullptr};
  for (const AVDictionary* d : dicts) {
    for (const char* key : keys) {
      const AVDictionaryEntry* e = d != nullptr ? av_dict_get(d, key, nullptr, 0) : nullptr;
      if (e == nullptr || e->value == nullptr) continue;
      std::string v = e->value;
      const auto first = v.find_first_not_of(" \t\r\n");
      if (first == std::string::npos) continue;
      v = v.substr(first, v.find_last_not_of(" \t\r\n") - first + 1);
      return v;
    }
  }
  return {};
}


/// The stream's "title" tag, trimmed (an OBS track's name).
std::string stream_title(const AVStream* s) {
  const AVDictionaryEntry* e = av_dict_get(s->metadata, "title", nullptr, 0);
  if (e == nullptr || e->value == nullptr) return {};
  std::string v = e->value;
  const auto first = v.find_first_not_of(" \t\r\n");
  return first == std::string::npos ? std::string() : v.substr(first, v.find_last_not_of(" \t\r\n") - first + 1);
}

/// The audio streams of `fmt` as tracks, numbered from 1 in file order.
std::vector<AudioTrack> list_audio_tracks(const AVFormatContext* fmt) {
  std::vector<AudioTrack> tracks;
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVStream* s = fmt->streams[i];
    const AVCodecParameters* par = s->codecpar;
    if (par->codec_type != AVMEDIA_TYPE_AUDIO) continue;
    AudioTrack t;
    t.number = static_cast<int>(tracks.size()) + 1;
    t.stream_index = static_cast<int>(i);
    t.name = stream_title(s);
    t.channels = par->ch_layout.nb_channels;
    t.sample_rate = par->sample_rate;
    t.codec = avcodec_get_name(par->codec_id);
    if (s->duration > 0) {
      t.duration_s = to_seconds(s->duration, s->time_base);
    } else if (fmt->duration > 0) {
      t.duration_s = static_cast<double>(fmt->duration) / AV_TIME_BASE;
    }
    tracks.push_back(std::move(t));
  }
  return tracks;
}

/// True when the stream's display matrix turns its picture a quarter turn.
bool turned_sideways(const AVStream* s) {
  std::size_t size = 0;
  // FFmpeg 5.1's way to the stream's side data (codecpar's coded_side_data is 6.1+).
  const std::uint8_t* m = av_stream_get_side_data(s, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (m == nullptr || size < 9 * sizeof(std::int32_t)) return false;
  const double angle = av_display_rotation_get(reinterpret_cast<const std::int32_t*>(m));
  return !std::isnan(angle) && (std::lround(angle / 90.0) % 2) != 0;
}

}  // namespace

MediaInfo probe_media(const fs::path& path) {
  const FormatPtr fmt = open_input(path);
  MediaInfo info;
  info.format_name = fmt->iformat->name;
  if (fmt->duration > 0) {  // AV_NOPTS_VALUE is INT64_MIN: not > 0
    info.duration_s = static_cast<double>(fmt->duration) / AV_TIME_BASE;
  }
  const AVCodec* decoder = nullptr;
  const int audio = av_find_best_stream(fmt.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &decoder, 0);
  info.audio_tracks = list_audio_tracks(fmt.get());
  if (audio >= 0 && decoder != nullptr) {
    const AVCodecParameters* par = fmt->streams[audio]->codecpar;
    info.has_audio = true;
    info.sample_rate = par->sample_rate;
    info.channels = par->ch_layout.nb_channels;
    info.audio_codec = avcodec_get_name(par->codec_id);
    for (const auto& t : info.audio_tracks) {
      if (t.stream_index == audio) info.best_audio_track = t.number;
    }
  }
  // Tags of the file; a stream's own only where a format keeps its tags there
  // (Ogg, Opus: one audio stream, no pictures) — in a recording a stream's
  // "title" names the track ("Track 1", "Mic"), never the song.
  const bool stream_tags = info.audio_tracks.size() == 1 && best_video_stream(fmt.get()) == nullptr;
  info.title = tag(fmt.get(), stream_tags ? audio : -1, {"title"});
  info.artist = tag(fmt.get(), stream_tags ? audio : -1, {"artist", "album_artist"});
  for (unsigned i = 0; i < fmt->nb_streams; ++i) info.has_cover_art = info.has_cover_art || is_cover_art(fmt->streams[i]);
  if (const AVStream* video = best_video_stream(fmt.get())) {
    const AVCodecParameters* par = video->codecpar;
    info.has_video = true;
    info.width = par->width;
    info.height = par->height;
    const bool sideways = turned_sideways(video);
    info.display_width = sideways ? par->height : par->width;
    info.display_height = sideways ? par->width : par->height;
    info.video_codec = avcodec_get_name(par->codec_id);
    info.is_still_image = is_still_image(fmt.get(), video, info.duration_s);
    if (par->color_trc != AVCOL_TRC_UNSPECIFIED) {
      if (const char* n = av_color_transfer_name(par->color_trc)) info.color_transfer = n;
    }
    if (par->color_primaries != AVCOL_PRI_UNSPECIFIED) {
      if (const char* n = av_color_primaries_name(par->color_primaries)) info.color_primaries = n;
    }
    if (const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(par->format))) {
      info.bit_depth = d->comp[0].depth;
    }
    info.full_range = par->color_range == AVCOL_RANGE_JPEG || par->format == AV_PIX_FMT_YUVJ420P ||
                      par->format == AV_PIX_FMT_YUVJ422P || par->format == AV_PIX_FMT_YUVJ444P;
  }
  return info;
}

std::string picture_conversion(const MediaInfo& info) {
  if (!info.has_video) return {};
  // The names back to FFmpeg's values; an empty or unknown name (a negative answer) is "unspecified".
  const int trc = info.color_transfer.empty() ? -1 : av_color_transfer_from_name(info.color_transfer.c_str());
  const int primaries = info.color_primaries.empty() ? -1 : av_color_primaries_from_name(info.color_primaries.c_str());
  const ColourKind kind = colour_kind(trc >= 0 ? static_cast<AVColorTransferCharacteristic>(trc) : AVCOL_TRC_UNSPECIFIED,
                                      primaries >= 0 ? static_cast<AVColorPrimaries>(primaries) : AVCOL_PRI_UNSPECIFIED);
  return kind == ColourKind::Sdr709 ? std::string() : colour_description(kind, info.bit_depth);
}

std::string track_label(const AudioTrack& track) {
  return track.name.empty() ? "Track " + std::to_string(track.number) : track.name;
}

const AudioTrack& audio_track(const MediaInfo& info, int number, const fs::path& path) {
  for (const auto& t : info.audio_tracks) {
    if (t.number == number) return t;
  }
  std::string list;
  for (const auto& t : info.audio_tracks) list += (list.empty() ? ": " : ", ") + std::to_string(t.number) + " \"" + track_label(t) + "\"";
  const std::size_t n = info.audio_tracks.size();
  throw Error(ErrorCode::Usage, "audio track " + std::to_string(number) + ": " + path.string() + " has " +
                                    (n == 0 ? "no audio track" : std::to_string(n) + " audio track" + (n == 1 ? "" : "s") + list));
}


struct AudioReader::Impl {
  fs::path path;
  // Declared first so it is destroyed last, after the objects that use it.
  FormatPtr fmt;
  CodecCtxPtr dec;
  FramePtr frame;
  PacketPtr packet;
  SwrPtr swr;
  Layout swr_layout;                       // input layout `swr` was set up for
  int swr_rate = 0;
  AVSampleFormat swr_format = AV_SAMPLE_FMT_NONE;

  AVStream* stream = nullptr;
  int out_rate = 0;
  int out_channels = 0;
  double start_s = 0.0;
  std::int64_t limit = -1;                 // output frames to deliver, -1 = all
  std::int64_t emitted = 0;                // output frames delivered
  std::int64_t origin = 0;                 // stream timestamp of output time 0
  double expected_s = 0.0;
  std::int64_t last_pts = kNoPts;          // of the last decoded frame
  std::int64_t next_pts = kNoPts;          // extrapolated, for frames without one
  bool started = false;                    // reached start_s, samples are kept
  bool seeked = false;
  bool rewound = false;
  bool input_eof = false;
  bool finished = false;
  bool limit_reached = false;              // the excerpt was read to its end
  int skipped = 0;
  int bad_in_row = 0;                      // decode failures since the last good frame
  // For ended_early(): how far the stream's packets reached, whether the last
  // ones were damaged, how reading ended, and what the container promised.
  double packets_end_s = 0.0;
  int corrupt_tail = 0;                    // corrupt packets since the last intact one
  bool read_failed = false;                // av_read_frame ended with an error, not EOF
  bool ts_cut = false;                     // a transport stream that stops inside a packet
  double claimed_s = 0.0;

  [[noreturn]] void fail(const std::string& what, int err) const {
    throw Error(ErrorCode::Media, "cannot decode the audio of " + path.string() + ": " + what + " (" +
                                      av_error_text(err) + ")");
  }

  // A packet or frame the decoder rejected: skip it, unless decoding is hopeless.
  void bad_packet(const char* what, int err) {
    if (err == kAvNoMem || ++bad_in_row > kMaxBadPacketsInRow) fail(what, err);
    ++skipped;
  }

  std::int64_t to_stream_ts(double seconds) const {
    return origin + std::llround(seconds / av_q2d(stream->time_base));
  }

  // Seeks to a keyframe a little before start_s; samples up to it are dropped later.
  void seek_to_start() {
    const double t = start_s - kSeekPrerollS;
    if (t <= 0.0) return;  // close enough to decode from the beginning
    seeked = av_seek_frame(fmt.get(), stream->index, to_stream_ts(t), AVSEEK_FLAG_BACKWARD) >= 0;
  }

  // The seek landed after start_s (imprecise index): decode from the beginning instead.
  void rewind() {
    rewound = true;
    if (av_seek_frame(fmt.get(), stream->index, to_stream_ts(0.0), AVSEEK_FLAG_BACKWARD) < 0 &&
        av_seek_frame(fmt.get(), -1, 0, AVSEEK_FLAG_BYTE) < 0) {
      started = true;  // cannot go back: keep what comes
    }
    avcodec_flush_buffers(dec.get());
    input_eof = false;
    next_pts = kNoPts;
  }

  // (Re)creates the resampler when the decoded format changes (first frame, or mid-stream).
  void configure_swr(const AVFrame* f, std::vector<float>& out) {
    Layout in;
    const int in_channels = f->ch_layout.nb_channels;
    if (in_channels <= 0) fail("no channel layout", kAvInvalidData);
    if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
      av_channel_layout_default(&in.v, in_channels);
    } else if (const int err = av_channel_layout_copy(&in.v, &f->ch_layout); err < 0) {
      fail("channel layout", err);
    }
    const auto format = static_cast<AVSampleFormat>(f->format);
    if (swr && swr_rate == f->sample_rate && swr_format == format &&
        av_channel_layout_compare(&swr_layout.v, &in.v) == 0) {
      return;
    }
    if (swr) flush_swr(out);
    swr.reset();
    Layout out_layout;
    av_channel_layout_default(&out_layout.v, out_channels);
    SwrContext* raw = nullptr;
    int err = swr_alloc_set_opts2(&raw, &out_layout.v, AV_SAMPLE_FMT_FLT, out_rate, &in.v, format,
                                  f->sample_rate, 0, nullptr);
    swr.reset(raw);
    if (err < 0) fail("resampler setup", err);
    // Downmixes are normalised (stereo -> mono averages); mono -> stereo duplicates.
    av_opt_set_double(swr.get(), "rematrix_maxval", 1.0, 0);
    if (in_channels == 1 && out_channels > 1) {
      const std::vector<double> matrix(static_cast<std::size_t>(out_channels), 1.0);
      swr_set_matrix(swr.get(), matrix.data(), 1);
    }
    if ((err = swr_init(swr.get())) < 0) fail("resampler setup", err);
    av_channel_layout_uninit(&swr_layout.v);
    swr_layout.v = in.v;  // take ownership
    in.v = AVChannelLayout{};
    swr_rate = f->sample_rate;
    swr_format = format;
  }

  // Runs the resampler on `count` input frames (nullptr = flush), appends to `out`
  // up to the excerpt limit, and returns the output frames appended.
  int resample(const std::uint8_t** in, int count, std::vector<float>& out) {
    const int capacity = swr_get_out_samples(swr.get(), count);
    if (capacity <= 0) return 0;
    const std::size_t ch = static_cast<std::size_t>(out_channels);
    const std::size_t old = out.size();
    out.resize(old + static_cast<std::size_t>(capacity) * ch);
    auto* dst = reinterpret_cast<std::uint8_t*>(out.data() + old);
    int got = swr_convert(swr.get(), &dst, capacity, in, count);
    if (got < 0) {
      out.resize(old);
      fail("resampling", got);
    }
    if (limit >= 0 && emitted + got >= limit) {
      got = static_cast<int>(limit - emitted);
      finished = true;
      limit_reached = true;
    }
    out.resize(old + static_cast<std::size_t>(got) * ch);
    emitted += got;
    return got;
  }

  void flush_swr(std::vector<float>& out) {
    while (!finished && resample(nullptr, 0, out) > 0) {
    }
  }

  // Places a decoded frame in time, drops what lies before start_s, resamples the rest.
  void consume(const AVFrame* f, std::vector<float>& out) {
    std::int64_t pts = f->best_effort_timestamp != kNoPts ? f->best_effort_timestamp : next_pts;
    if (pts != kNoPts) {
      last_pts = pts;
      next_pts = pts + av_rescale_q(f->nb_samples, AVRational{1, f->sample_rate}, stream->time_base);
    }
    int offset = 0;  // input frames to drop from this frame
    if (!started) {
      if (pts == kNoPts) {
        started = true;  // cannot place it: take it as the start
      } else {
        const std::int64_t first = std::llround(to_seconds(pts - origin, stream->time_base) * f->sample_rate);
        const std::int64_t drop = std::llround(start_s * f->sample_rate) - first;
        if (drop >= f->nb_samples) return;  // wholly before the start
        if (drop < -1 && seeked && !rewound) {
          rewind();
          return;
        }
        offset = static_cast<int>(std::max<std::int64_t>(drop, 0));
        started = true;
      }
    }
    configure_swr(f, out);
    if (finished) return;
    const auto format = static_cast<AVSampleFormat>(f->format);
    const bool planar = av_sample_fmt_is_planar(format) != 0;
    const int bytes = av_get_bytes_per_sample(format);
    const int planes = planar ? f->ch_layout.nb_channels : 1;
    const int stride = planar ? bytes : bytes * f->ch_layout.nb_channels;
    std::vector<const std::uint8_t*> in(static_cast<std::size_t>(planes));
    for (int p = 0; p < planes; ++p) in[static_cast<std::size_t>(p)] = f->extended_data[p] + offset * stride;
    resample(in.data(), f->nb_samples - offset, out);
  }

  // Feeds the decoder one packet of our stream (or the end-of-stream signal).
  void feed() {
    int err = av_read_frame(fmt.get(), packet.get());
    if (err < 0) {
      if (err != kAvEof) {  // a read error mid-file ends it like a truncation
        ++skipped;
        read_failed = true;
      }
      input_eof = true;
      avcodec_send_packet(dec.get(), nullptr);
      return;
    }
    if (packet->stream_index == stream->index) {
      corrupt_tail = (packet->flags & AV_PKT_FLAG_CORRUPT) != 0 ? corrupt_tail + 1 : 0;
      if (packet->pts != kNoPts) {
        const std::int64_t end = packet->pts + std::max<std::int64_t>(packet->duration, 0);
        packets_end_s = std::max(packets_end_s, to_seconds(end - origin, stream->time_base));
      }
    }
    err = packet->stream_index == stream->index ? avcodec_send_packet(dec.get(), packet.get()) : 0;
    av_packet_unref(packet.get());
    if (err < 0 && err != kAvAgain) bad_packet("decoder rejected a packet", err);
  }

  // One decode step: take a frame from the decoder, or give it input, or finish.
  void step(std::vector<float>& out) {
    const int err = avcodec_receive_frame(dec.get(), frame.get());
    if (err >= 0) {
      bad_in_row = 0;
      consume(frame.get(), out);
      av_frame_unref(frame.get());
    } else if (err == kAvAgain && !input_eof) {
      feed();
    } else if (err == kAvEof || err == kAvAgain) {
      if (swr) flush_swr(out);
      finished = true;
    } else {
      bad_packet("decoder failed", err);
    }
  }
};

AudioReader::AudioReader(const fs::path& path, int out_rate, int out_channels, double start_s,
                         std::optional<double> duration_s, int track)
    : impl_(std::make_unique<Impl>()) {
  if (out_rate < 0 || out_channels < 0 || out_channels > 2) {
    throw Error(ErrorCode::Usage, "audio output must be 1 or 2 channels at a positive rate");
  }
  if (track < 0) throw Error(ErrorCode::Usage, "an audio track's number starts at 1");
  Impl& m = *impl_;
  m.path = path;
  m.fmt = open_input(path);
  const AVCodec* codec = nullptr;
  int index = -1;
  if (track > 0) {
    MediaInfo tracks;
    tracks.audio_tracks = list_audio_tracks(m.fmt.get());
    index = audio_track(tracks, track, path).stream_index;
    codec = avcodec_find_decoder(m.fmt->streams[index]->codecpar->codec_id);
    if (codec == nullptr) throw Error(ErrorCode::InputInvalid, "audio track " + std::to_string(track) + " of " + path.string() + " has a codec FFmpeg cannot decode");
  } else {
    index = av_find_best_stream(m.fmt.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  }
  if (index < 0 || codec == nullptr) throw Error(ErrorCode::InputInvalid, path.string() + " has no audio track");
  m.stream = m.fmt->streams[index];
  for (unsigned i = 0; i < m.fmt->nb_streams; ++i) {
    if (static_cast<int>(i) != index) m.fmt->streams[i]->discard = AVDISCARD_ALL;
  }

  m.dec.reset(avcodec_alloc_context3(codec));
  m.frame.reset(av_frame_alloc());
  m.packet.reset(av_packet_alloc());
  if (!m.dec || !m.frame || !m.packet) throw Error(ErrorCode::Internal, "out of memory opening " + path.string());
  int err = avcodec_parameters_to_context(m.dec.get(), m.stream->codecpar);
  if (err < 0) m.fail("decoder setup", err);
  m.dec->pkt_timebase = m.stream->time_base;
  if ((err = avcodec_open2(m.dec.get(), codec, nullptr)) < 0) m.fail(std::string("cannot open ") + codec->name, err);

  m.out_rate = out_rate > 0 ? out_rate : m.dec->sample_rate;
  const int own_channels = m.dec->ch_layout.nb_channels;
  m.out_channels = out_channels > 0 ? out_channels : std::clamp(own_channels, 1, 2);
  if (m.out_rate <= 0) throw_unreadable(path, kAvInvalidData);

  // Output time 0 is the stream's start (e.g. after an MP3's encoder delay); a
  // negative start (codec priming the decoder discards) counts from 0.
  m.origin = m.stream->start_time != kNoPts ? std::max<std::int64_t>(m.stream->start_time, 0) : 0;
  m.start_s = std::max(0.0, start_s);
  m.started = m.start_s <= 0.0;
  if (duration_s) m.limit = std::max<std::int64_t>(0, std::llround(*duration_s * m.out_rate));
  m.finished = m.limit == 0;

  double total = 0.0;
  if (m.stream->duration > 0) {  // AV_NOPTS_VALUE is INT64_MIN: not > 0
    total = to_seconds(m.stream->duration, m.stream->time_base);
  } else if (m.fmt->duration > 0) {
    total = static_cast<double>(m.fmt->duration) / AV_TIME_BASE;
  }
  m.claimed_s = total;
  if (std::string_view(m.fmt->iformat->name) == "mpegts" && m.fmt->pb != nullptr) {
    const std::int64_t bytes = avio_size(m.fmt->pb);  // 188-byte packets (192 in M2TS)
    m.ts_cut = bytes > 0 && bytes % 188 != 0 && bytes % 192 != 0;
  }
  m.expected_s = std::max(0.0, total - m.start_s);
  if (duration_s) m.expected_s = std::min(m.expected_s, std::max(0.0, *duration_s));

  if (!m.started) m.seek_to_start();
}

AudioReader::~AudioReader() = default;

int AudioReader::sample_rate() const { return impl_->out_rate; }
int AudioReader::channels() const { return impl_->out_channels; }
double AudioReader::expected_duration_s() const { return impl_->expected_s; }
int AudioReader::skipped_packets() const { return impl_->skipped; }
double AudioReader::claimed_duration_s() const { return impl_->claimed_s; }

bool AudioReader::ended_early() const {
  const Impl& m = *impl_;
  if (!m.finished || m.limit_reached) return false;
  const bool short_of_claim = m.claimed_s > 0.0 && m.packets_end_s < m.claimed_s - std::max(0.5, 0.02 * m.claimed_s);
  return m.read_failed || m.ts_cut || m.corrupt_tail > 0 || short_of_claim;
}

double AudioReader::position_s() const {
  if (impl_->last_pts == kNoPts) return 0.0;
  const double t = to_seconds(impl_->last_pts - impl_->origin, impl_->stream->time_base) - impl_->start_s;
  return std::max(0.0, t);
}

bool AudioReader::read(std::vector<float>& out) {
  const std::size_t before = out.size();
  while (!impl_->finished && out.size() == before) impl_->step(out);
  return out.size() > before;
}

void write_float_wav(const std::filesystem::path& path, const float* interleaved, std::size_t frames, int rate,
                     int channels) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const auto u32 = [&](std::uint32_t v) {
    const std::array<char, 4> b = {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff),
                                   static_cast<char>((v >> 16) & 0xff), static_cast<char>((v >> 24) & 0xff)};
    out.write(b.data(), 4);
  };
  const auto u16 = [&](std::uint16_t v) {
    const std::array<char, 2> b = {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff)};
    out.write(b.data(), 2);
  };
  const std::uint64_t bytes = static_cast<std::uint64_t>(frames) * static_cast<std::uint64_t>(channels) * 4u;
  if (bytes > 0xFFFFFFFFull - 36u) throw Error(ErrorCode::Output, "cannot write " + path.string() + ": longer than a WAV file holds");
  out.write("RIFF", 4);
  u32(static_cast<std::uint32_t>(36 + bytes));
  out.write("WAVEfmt ", 8);
  u32(16);
  u16(3);  // WAVE_FORMAT_IEEE_FLOAT
  u16(static_cast<std::uint16_t>(channels));
  u32(static_cast<std::uint32_t>(rate));
  u32(static_cast<std::uint32_t>(rate * channels * 4));
  u16(static_cast<std::uint16_t>(channels * 4));
  u16(32);
  out.write("data", 4);
  u32(static_cast<std::uint32_t>(bytes));
  // Little-endian floats, as x86 and ARM hold them.
  out.write(reinterpret_cast<const char*>(interleaved), static_cast<std::streamsize>(bytes));
  out.close();
  if (!out) throw Error(ErrorCode::Output, "cannot write " + path.string());
}

void require_video_file(const std::filesystem::path& path) {
  if (!probe_media(path).has_video) throw Error(ErrorCode::InputInvalid, path.string() + " has no video");
}

const std::vector<std::string>& audio_extensions() {
  static const std::vector<std::string> kAudio = {"mp3", "wav", "flac", "ogg", "opus", "m4a", "aac"};
  return kAudio;
}

const std::vector<std::string>& video_extensions() {
  static const std::vector<std::string> kVideo = {"mp4", "mov", "mkv", "webm", "avi", "flv"};
  return kVideo;
}

const std::vector<std::string>& image_extensions() {
  static const std::vector<std::string> kImages = {"png", "jpg", "jpeg", "webp", "bmp", "gif"};
  return kImages;
}

std::string extension_list(const std::vector<std::string>& extensions) {
  std::string out;
  for (const auto& e : extensions) out += (out.empty() ? "" : ", ") + e;
  return out;
}

}  // namespace mv
