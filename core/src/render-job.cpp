// render-job.cpp — generate(): the local engine's whole job, in the order of
// FFmpeg's doc/examples pipelines: check output → probe → analyze → plan →
// (decode audio, draw frame, encode, mux) per frame → finish → rename.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>

#include "mp4-writer.hpp"
#include "mv/error.hpp"
#include "mv/generate.hpp"
#include "mv/json-file.hpp"
#include "mv/look.hpp"
#include "mv/media.hpp"
#include "mv/text.hpp"
#include "styles.hpp"
#include "visual-source.hpp"

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

/// Draws the Title track's text with a fade in and out and a soft shadow.
class TitleOverlay {
 public:
  TitleOverlay(const Timeline& tl, const Palette& palette, int width, int height) : color_(palette.highlight) {
    for (const auto& t : tl.tracks) {
      if (t.type != static_cast<int>(TrackType::Text) || t.segments.empty()) continue;
      const auto& s = t.segments.front();
      if (s.text.empty()) continue;
      TextRenderer font;
      mask_ = font.render(s.text, height / 9, width * 86 / 100);
      start_s_ = static_cast<double>(s.start_ms) / 1000.0;
      end_s_ = static_cast<double>(s.start_ms + s.duration_ms) / 1000.0;
      x_ = (width - mask_.width) / 2;
      y_ = height * 40 / 100 - mask_.height / 2;
      shadow_ = std::max(2, height / 270);
      break;
    }
  }
  void draw(Canvas& canvas, double t) const {
    if (mask_.pixels.empty() || t < start_s_ || t >= end_s_) return;
    const double alpha = std::clamp(std::min((t - start_s_) / 0.5, (end_s_ - t) / 0.7), 0.0, 1.0);
    canvas.blend_mask(mask_.pixels.data(), mask_.width, mask_.height, x_ + shadow_, y_ + shadow_, Rgb{0, 0, 0}, 0.55 * alpha);
    canvas.blend_mask(mask_.pixels.data(), mask_.width, mask_.height, x_, y_, color_, alpha);
  }

 private:
  Rgb color_;
  TextMask mask_;
  double start_s_ = 0, end_s_ = 0;
  int x_ = 0, y_ = 0, shadow_ = 2;
};

/// A reserved temporary file next to the output; removed unless released.
class TempOutput {
 public:
  explicit TempOutput(const fs::path& output) {
    std::random_device rd;
    const auto dir = output.parent_path().empty() ? fs::path(".") : output.parent_path();
    remove_orphaned_temp_files(dir, output, ".part");  // left by killed runs (SIGKILL, power cut)
    for (int attempt = 0; attempt < 16; ++attempt) {
      path_ = dir / ("." + output.filename().string() + "." + std::to_string(getpid()) + "-" +
                     std::to_string(rd() % 100000) + ".part");
      const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd >= 0) {
        ::close(fd);
        return;
      }
      if (errno != EEXIST) {
        throw Error(ErrorCode::Output, "cannot write to folder " + dir.string() + ": " + std::strerror(errno));
      }
    }
    throw Error(ErrorCode::Output, "cannot create a temporary file in " + dir.string());
  }
  ~TempOutput() {
    if (!path_.empty()) {
      std::error_code ec;
      fs::remove(path_, ec);
    }
  }
  TempOutput(const TempOutput&) = delete;
  TempOutput& operator=(const TempOutput&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }
  /// Renames the temporary file onto `target` (atomic on one filesystem).
  void commit(const fs::path& target) {
    std::error_code ec;
    fs::rename(path_, target, ec);
    if (ec) throw Error(ErrorCode::Output, "cannot move the finished video to " + target.string() + ": " + ec.message());
    path_.clear();
  }

 private:
  fs::path path_;
};

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

}  // namespace

void check_output(const fs::path& input, const fs::path& output, bool force) {
  if (output.empty()) throw Error(ErrorCode::Usage, "no output file given (-o OUT.mp4)");
  if (same_file(input, output)) {
    throw Error(ErrorCode::Output, "the output " + output.string() + " is the input file; choose another name");
  }
  std::error_code ec;
  const auto status = fs::status(output, ec);
  if (fs::exists(status)) {
    if (fs::is_directory(status)) throw Error(ErrorCode::Output, output.string() + " is a folder; give a file name");
    if (!force) throw Error(ErrorCode::Output, output.string() + " already exists; pass --force to replace it");
  }
  const fs::path dir = output.parent_path().empty() ? fs::path(".") : output.parent_path();
  if (!fs::exists(dir, ec)) throw Error(ErrorCode::Output, "the folder " + dir.string() + " does not exist");
  if (!fs::is_directory(dir, ec)) throw Error(ErrorCode::Output, dir.string() + " is not a folder");
}

GenerateResult generate(const GenerateRequest& req, const ProgressFn& progress, const CancelToken* cancel) {
  const auto t_start = Clock::now();
  const VideoSettings& vs = req.video;
  if (vs.width <= 0 || vs.height <= 0 || vs.width % 2 != 0 || vs.height % 2 != 0) {
    throw Error(ErrorCode::Usage, "video size must be positive and even");
  }
  if (vs.fps < 1 || vs.fps > 120) throw Error(ErrorCode::Usage, "frame rate must be between 1 and 120");
  const ResolvedLook look = resolve_look(vs);
  check_output(req.input, req.output, req.force);
  for (const auto& clip : vs.clips) {
    if (same_file(clip, req.output)) throw Error(ErrorCode::Output, "the output " + req.output.string() + " is one of the clips");
  }
  if (progress) progress(Stage::Probe, 0.0);
  const MediaInfo info = probe_media(req.input);
  if (!info.has_audio) {
    throw Error(ErrorCode::InputInvalid, req.input.string() + " has no audio track; give a song or a video with sound");
  }
  // Open every clip now so a bad one fails before minutes of work.
  for (const auto& clip : vs.clips) (void)VisualSource::open(clip, 16, 16);
  TempOutput temp(req.output);  // also proves the folder is writable
  if (progress) progress(Stage::Probe, 1.0);

  GenerateResult result;
  auto t0 = Clock::now();
  const Analysis analysis = analyze_file(req.input, req.analysis, progress, cancel);
  result.timings.analysis_s = since(t0);

  t0 = Clock::now();
  const Timeline timeline = plan_timeline(analysis, vs, look, req.input);
  const Palette palette = palette_by_name(look.palette);
  const Track* video_track = timeline.tracks.empty() ? nullptr : &timeline.tracks.front();
  auto style = make_style(look.style, palette, vs.width, vs.height, video_track);
  const TitleOverlay title(timeline, palette, vs.width, vs.height);
  result.timings.plan_s = since(t0);
  if (progress) progress(Stage::Plan, 1.0);

  AudioReader audio(req.input, 0, 0, req.analysis.start_s, req.analysis.duration_s);
  Mp4Settings ms;
  ms.width = vs.width;
  ms.height = vs.height;
  ms.fps = vs.fps;
  ms.preset = vs.preset;
  ms.crf = vs.crf;
  ms.threads = vs.threads;
  ms.audio_rate = audio.sample_rate();
  ms.audio_channels = audio.channels();
  Mp4Writer writer(temp.path(), ms);

  const std::int64_t frames = std::max<std::int64_t>(1, std::llround(analysis.duration_s * vs.fps));
  FrameFeeder feeder(analysis, vs.fps, look.intensity);
  Canvas canvas(vs.width, vs.height);
  std::vector<float> chunk;
  std::vector<float> mono;          // mono samples from index mono_base
  std::int64_t mono_base = 0;
  bool audio_done = false;
  const int rate = audio.sample_rate();
  const auto ch = static_cast<std::size_t>(audio.channels());
  const auto window = static_cast<std::int64_t>(2.0 * rate / vs.fps);
  for (std::int64_t k = 0; k < frames; ++k) {
    if (cancel != nullptr) cancel->throw_if_requested();
    FrameInfo& f = feeder.next(k);
    const auto centre = static_cast<std::int64_t>(std::llround(f.time_s * rate));
    // Decode (and encode) audio until the waveform window is covered.
    while (!audio_done && mono_base + static_cast<std::int64_t>(mono.size()) < centre + window / 2) {
      chunk.clear();
      t0 = Clock::now();
      audio_done = !audio.read(chunk);
      result.timings.audio_s += since(t0);
      if (audio_done) break;
      writer.write_audio(chunk.data(), chunk.size() / ch);
      for (std::size_t i = 0; i + ch <= chunk.size(); i += ch) {
        float s = 0.0f;
        for (std::size_t c = 0; c < ch; ++c) s += chunk[i + c];
        mono.push_back(s / static_cast<float>(ch));
      }
    }
    // Drop samples older than the window.
    const std::int64_t keep_from = centre - window / 2;
    if (keep_from - mono_base > 4 * window) {
      const auto drop = static_cast<std::size_t>(std::min<std::int64_t>(keep_from - mono_base, static_cast<std::int64_t>(mono.size())));
      mono.erase(mono.begin(), mono.begin() + static_cast<std::ptrdiff_t>(drop));
      mono_base += static_cast<std::int64_t>(drop);
    }
    f.waveform.clear();
    for (std::int64_t i = keep_from; i < keep_from + window; ++i) {
      const std::int64_t j = i - mono_base;
      f.waveform.push_back(j >= 0 && j < static_cast<std::int64_t>(mono.size()) ? mono[static_cast<std::size_t>(j)] : 0.0f);
    }
    t0 = Clock::now();
    style->draw(canvas, f);
    title.draw(canvas, f.time_s);
    result.timings.draw_s += since(t0);
    writer.write_video(canvas);
    if (progress && (k % 15 == 0 || k + 1 == frames)) progress(Stage::Render, static_cast<double>(k + 1) / static_cast<double>(frames));
  }
  // The rest of the audio.
  while (!audio_done) {
    chunk.clear();
    t0 = Clock::now();
    audio_done = !audio.read(chunk);
    result.timings.audio_s += since(t0);
    if (!audio_done) writer.write_audio(chunk.data(), chunk.size() / ch);
  }
  if (cancel != nullptr) cancel->throw_if_requested();
  if (progress) progress(Stage::Finalize, 0.0);
  writer.finish();
  result.timings.encode_s = writer.timings().encode_s;
  result.timings.mux_s = writer.timings().mux_s;
  temp.commit(req.output);
  if (progress) progress(Stage::Finalize, 1.0);

  result.output = req.output;
  result.frames = frames;
  result.duration_s = static_cast<double>(frames) / vs.fps;
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
