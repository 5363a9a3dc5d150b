// render-job.cpp — generate(): the local engine's whole job, in the order of
// FFmpeg's doc/examples pipelines: check output → probe → analyze → plan →
// (decode audio, draw frame, encode, mux) per frame → finish → rename.

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>

#include "mv/media/mp4-writer.hpp"
#include "mv/base/error.hpp"
#include "mv/render/generate.hpp"
#include "mv/base/output-file.hpp"
#include "mv/render/look.hpp"
#include "mv/media/media.hpp"
#include "compositor.hpp"
#include "mv/media/visual-source.hpp"

namespace mv {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// Band index of a frequency (Hz) on the analysis band scale.
int band_of(double hz) {
  const double b = kBandCount * std::log(hz / 40.0) / std::log(11025.0 / 40.0);
  return std::clamp(static_cast<int>(b), 0, kBandCount - 1);
}

/// Turns the analysis into per-frame drawing inputs (FrameInfo), frame by frame.
class FrameFeeder {
 public:
  FrameFeeder(const Analysis& a, double fps, double intensity) : a_(a), fps_(fps) {
    const Features& f = a.features;
    // Per band, map the song's own range onto 0..1: the 30th percentile of
    // the quantised level to 0 and the 99th to 1 (at least 6 dB apart), so
    // dense mixes still move and quiet bands do not sit at zero.
    for (int b = 0; b < kBandCount; ++b) {
      std::array<std::size_t, 256> hist{};
      for (std::size_t h = 0; h < f.hops(); ++h) ++hist[f.bands[h * kBandCount + static_cast<std::size_t>(b)]];
      auto percentile = [&](std::size_t pct) {
        std::size_t acc = 0;
        const std::size_t target = f.hops() * pct / 100;
        for (int v = 0; v < 256; ++v) {
          acc += hist[static_cast<std::size_t>(v)];
          if (acc > target) return static_cast<float>(v);
        }
        return 255.0f;
      };
      const float lo = percentile(30), hi = percentile(99);
      low_[static_cast<std::size_t>(b)] = lo;
      span_[static_cast<std::size_t>(b)] = std::max(hi - lo, 20.0f);
    }
    std::vector<float> db(f.rms.size());
    for (std::size_t i = 0; i < db.size(); ++i) db[i] = 20.0f * std::log10(f.rms[i] + 1e-6f);
    if (!db.empty()) {
      auto p = db.begin() + static_cast<std::ptrdiff_t>(db.size() * 95 / 100);
      std::nth_element(db.begin(), p, db.end());
      level_top_db_ = *p;
    }
    for (double b : a.beats) beat_frames_.push_back(std::llround(b * fps));
    for (double d : a.downbeats) downbeat_frames_.push_back(std::llround(d * fps));
    for (double o : a.onsets) onset_frames_.push_back(std::llround(o * fps));
    release_ = static_cast<float>(std::pow(0.5, 1.0 / (fps * 0.1)));
    info_.fps = fps;
    info_.intensity = intensity;
    info_.beat_period_s = a.tempo_bpm > 0 ? 60.0 / a.tempo_bpm : 0.5;
  }

  FrameInfo& next(std::int64_t k) {
    FrameInfo& f = info_;
    const Features& feat = a_.features;
    f.index = k;
    f.time_s = static_cast<double>(k) / fps_;
    // Bands: max over the hops this frame covers, then attack/release smoothing.
    const auto h0 = static_cast<std::size_t>(std::max(0.0, (f.time_s - 0.5 / fps_) / feat.hop_s));
    const auto h1 = std::min(feat.hops(), static_cast<std::size_t>((f.time_s + 0.5 / fps_) / feat.hop_s) + 1);
    double rms = 0.0;
    for (int b = 0; b < kBandCount; ++b) {
      float v = 0.0f;
      for (std::size_t h = h0; h < h1; ++h) v = std::max(v, static_cast<float>(feat.bands[h * kBandCount + static_cast<std::size_t>(b)]));
      const auto bi = static_cast<std::size_t>(b);
      const float level = std::pow(std::clamp((v - low_[bi]) / span_[bi], 0.0f, 1.0f), 1.5f);
      auto& s = f.bands[static_cast<std::size_t>(b)];
      s = std::max(level, s * release_);
    }
    for (std::size_t h = h0; h < h1; ++h) rms = std::max(rms, static_cast<double>(feat.rms[h]));
    const double db = 20.0 * std::log10(rms + 1e-6);
    const auto target = static_cast<float>(std::clamp((db - (level_top_db_ - 40.0)) / 40.0, 0.0, 1.0));
    f.level = std::max(target, f.level * release_);
    auto group = [&](int lo, int hi) {
      float s = 0.0f;
      for (int b = lo; b <= hi; ++b) s += f.bands[static_cast<std::size_t>(b)];
      return s / static_cast<float>(hi - lo + 1);
    };
    f.bass = group(0, band_of(250.0));
    f.mid = group(band_of(250.0) + 1, band_of(2000.0));
    f.treble = group(band_of(2000.0) + 1, kBandCount - 1);
    // Beat, downbeat and onset events land on frame round(t · fps).
    f.beat_frame = advance(beat_frames_, beat_pos_, k);
    f.downbeat_frame = advance(downbeat_frames_, downbeat_pos_, k);
    advance(onset_frames_, onset_pos_, k);
    f.beat_index = static_cast<std::int64_t>(beat_pos_) - 1;
    f.beat_pulse = pulse(beat_frames_, beat_pos_, k, 0.12);
    f.bar_pulse = pulse(downbeat_frames_, downbeat_pos_, k, 0.25);
    f.onset_pulse = pulse(onset_frames_, onset_pos_, k, 0.06);
    f.beat_age_s = age(beat_frames_, beat_pos_, k);
    f.downbeat_age_s = age(downbeat_frames_, downbeat_pos_, k);
    // Section.
    const std::size_t before = f.section;
    while (f.section + 1 < a_.sections.size() && a_.sections[f.section + 1].start_s <= f.time_s + 0.5 / fps_) ++f.section;
    f.section_start = f.section != before;
    f.section_energy = a_.sections.empty() ? 1.0 : a_.sections[f.section].energy;
    return f;
  }

 private:
  /// Moves `pos` past events at or before frame k; true if one is exactly at k.
  static bool advance(const std::vector<std::int64_t>& frames, std::size_t& pos, std::int64_t k) {
    bool hit = false;
    while (pos < frames.size() && frames[pos] <= k) hit = frames[pos++] == k || hit;
    return hit;
  }
  double age(const std::vector<std::int64_t>& frames, std::size_t pos, std::int64_t k) const {
    return pos == 0 ? 1e9 : static_cast<double>(k - frames[pos - 1]) / fps_;
  }
  float pulse(const std::vector<std::int64_t>& frames, std::size_t pos, std::int64_t k, double tau) const {
    return static_cast<float>(std::exp(-age(frames, pos, k) / tau));
  }

  const Analysis& a_;
  double fps_;
  std::array<float, kBandCount> low_{}, span_{};
  double level_top_db_ = -20.0;
  float release_ = 0.9f;
  std::vector<std::int64_t> beat_frames_, downbeat_frames_, onset_frames_;
  std::size_t beat_pos_ = 0, downbeat_pos_ = 0, onset_pos_ = 0;
  FrameInfo info_;
};

}  // namespace

namespace {

/// Step 1: everything that can be refused before any work — sizes, look,
/// output path, clips, the input's audio. Notes in `vs` whether the input has
/// moving pictures (its footage) and where its excerpt starts.
/// Errors: Error{Usage|Output|Input*}.
ResolvedLook check_request(const GenerateRequest& req, VideoSettings& vs, const ProgressFn& progress) {
  if (vs.width <= 0 || vs.height <= 0 || vs.width % 2 != 0 || vs.height % 2 != 0) {
    throw Error(ErrorCode::Usage, "video size must be positive and even");
  }
  if (vs.fps < 1 || vs.fps > 120) throw Error(ErrorCode::Usage, "frame rate must be between 1 and 120");
  (void)resolve_look(vs);  // names and combinations, before touching any file
  check_output(req.input, req.output, req.force);
  for (const auto& clip : vs.clips) {
    if (same_file(clip, req.output)) throw Error(ErrorCode::Output, "the output " + req.output.string() + " is one of the clips");
  }
  if (progress) progress(Stage::Probe, 0.0);
  const MediaInfo info = probe_media(req.input);
  if (!info.has_audio) {
    throw Error(ErrorCode::InputInvalid, req.input.string() + " has no audio track; give a song or a video with sound");
  }
  vs.input_has_video = info.has_video && !info.is_still_image;
  vs.footage_start_s = req.analysis.start_s;
  if (!vs.image.empty()) {
    (void)VisualSource::open(vs.image, 16, 16);  // a bad picture fails now, with its own message
    vs.backdrop = vs.image;
  } else if (info.has_cover_art) {
    vs.backdrop = req.input;
  }
  ResolvedLook look = resolve_look(vs);
  if (look.pictures == "footage" && !vs.input_has_video) {
    throw Error(ErrorCode::Usage, "the footage style needs a video input (a recording or a clip); "
                                  + req.input.string() + " has no moving pictures");
  }
  // Open every clip (and the footage) now so a bad one fails before minutes of work.
  for (const auto& clip : vs.clips) (void)VisualSource::open(clip, 16, 16);
  return look;
}

/// The mono samples around each frame's time, for the waveform, kept in a
/// sliding window while the audio is decoded (and encoded) ahead of the video.
class AudioFeed {
 public:
  AudioFeed(AudioReader& audio, Mp4Writer& writer, int fps, StageTimings& timings)
      : audio_(audio), writer_(writer), timings_(timings), rate_(audio.sample_rate()),
        ch_(static_cast<std::size_t>(audio.channels())), window_(static_cast<std::int64_t>(2.0 * rate_ / fps)) {}

  /// Decodes and encodes audio until the window around `time_s` is covered and
  /// fills `waveform` with its samples (zeros outside the song).
  void window_at(double time_s, std::vector<float>& waveform) {
    const auto centre = static_cast<std::int64_t>(std::llround(time_s * rate_));
    while (!done_ && base_ + static_cast<std::int64_t>(mono_.size()) < centre + window_ / 2) read_chunk(true);
    const std::int64_t keep_from = centre - window_ / 2;
    if (keep_from - base_ > 4 * window_) {  // drop samples older than the window
      const auto drop = static_cast<std::size_t>(std::min<std::int64_t>(keep_from - base_, static_cast<std::int64_t>(mono_.size())));
      mono_.erase(mono_.begin(), mono_.begin() + static_cast<std::ptrdiff_t>(drop));
      base_ += static_cast<std::int64_t>(drop);
    }
    waveform.clear();
    for (std::int64_t i = keep_from; i < keep_from + window_; ++i) {
      const std::int64_t j = i - base_;
      waveform.push_back(j >= 0 && j < static_cast<std::int64_t>(mono_.size()) ? mono_[static_cast<std::size_t>(j)] : 0.0f);
    }
  }
  /// Encodes the rest of the audio.
  void drain() {
    while (!done_) read_chunk(false);
  }

 private:
  void read_chunk(bool keep_mono) {
    chunk_.clear();
    const auto t0 = Clock::now();
    done_ = !audio_.read(chunk_);
    timings_.audio_s += since(t0);
    if (done_) return;
    writer_.write_audio(chunk_.data(), chunk_.size() / ch_);
    if (!keep_mono) return;
    for (std::size_t i = 0; i + ch_ <= chunk_.size(); i += ch_) {
      float s = 0.0f;
      for (std::size_t c = 0; c < ch_; ++c) s += chunk_[i + c];
      mono_.push_back(s / static_cast<float>(ch_));
    }
  }

  AudioReader& audio_;
  Mp4Writer& writer_;
  StageTimings& timings_;
  const int rate_;
  const std::size_t ch_;
  const std::int64_t window_;
  std::vector<float> chunk_, mono_;  // mono_ holds samples from index base_
  std::int64_t base_ = 0;
  bool done_ = false;
};

Mp4Settings mp4_settings(const VideoSettings& vs, const AudioReader& audio) {
  Mp4Settings ms;
  ms.width = vs.width;
  ms.height = vs.height;
  ms.fps = vs.fps;
  ms.preset = vs.preset;
  ms.crf = vs.crf;
  ms.threads = vs.threads;
  ms.audio_rate = audio.sample_rate();
  ms.audio_channels = audio.channels();
  return ms;
}

/// Step 4: every frame drawn from the analysis and encoded with its audio.
/// Returns the number of frames.
std::int64_t render_frames(const Analysis& analysis, const VideoSettings& vs, double intensity, Compositor& compositor,
                           AudioFeed& audio, Mp4Writer& writer, StageTimings& timings, const ProgressFn& progress,
                           const CancelToken* cancel) {
  const std::int64_t frames = std::max<std::int64_t>(1, std::llround(analysis.duration_s * vs.fps));
  FrameFeeder feeder(analysis, vs.fps, intensity);
  Canvas canvas(vs.width, vs.height);
  for (std::int64_t k = 0; k < frames; ++k) {
    if (cancel != nullptr) cancel->throw_if_requested();
    FrameInfo& f = feeder.next(k);
    audio.window_at(f.time_s, f.waveform);
    const auto t0 = Clock::now();
    compositor.draw(canvas, f);
    timings.draw_s += since(t0);
    writer.write_video(canvas);
    if (progress && (k % 15 == 0 || k + 1 == frames)) progress(Stage::Render, static_cast<double>(k + 1) / static_cast<double>(frames));
  }
  return frames;
}

}  // namespace

GenerateResult generate(const GenerateRequest& req, const ProgressFn& progress, const CancelToken* cancel) {
  const auto t_start = Clock::now();
  VideoSettings vs = req.video;
  const ResolvedLook look = check_request(req, vs, progress);
  TempOutput temp(req.output);  // also proves the folder is writable
  if (progress) progress(Stage::Probe, 1.0);

  GenerateResult result;
  auto t0 = Clock::now();
  const Analysis analysis = analyze_file(req.input, req.analysis, progress, cancel);
  result.timings.analysis_s = since(t0);

  t0 = Clock::now();
  const Timeline timeline = plan_timeline(analysis, vs, look, req.input);
  const Track* video_track = timeline.tracks.empty() ? nullptr : &timeline.tracks.front();
  Compositor compositor(look, vs, timeline, video_track);
  result.timings.plan_s = since(t0);
  if (progress) progress(Stage::Plan, 1.0);

  AudioReader audio(req.input, 0, 0, req.analysis.start_s, req.analysis.duration_s);
  Mp4Writer writer(temp.path(), mp4_settings(vs, audio));
  AudioFeed feed(audio, writer, vs.fps, result.timings);
  result.frames = render_frames(analysis, vs, look.intensity, compositor, feed, writer, result.timings, progress, cancel);
  result.timings.layers_s = compositor.layer_seconds();
  feed.drain();
  if (cancel != nullptr) cancel->throw_if_requested();
  if (progress) progress(Stage::Finalize, 0.0);
  writer.finish();
  result.timings.encode_s = writer.timings().encode_s;
  result.timings.mux_s = writer.timings().mux_s;
  temp.commit(req.output);
  if (progress) progress(Stage::Finalize, 1.0);

  result.output = req.output;
  result.duration_s = static_cast<double>(result.frames) / vs.fps;
  result.audio_duration_s = writer.audio_seconds();
  std::error_code ec;
  result.size_bytes = fs::file_size(req.output, ec);
  result.tempo_bpm = analysis.tempo_bpm;
  result.style = look.style;
  result.palette = look.palette;
  result.timeline = timeline;
  result.timings.total_s = since(t_start);
  return result;
}

}  // namespace mv
