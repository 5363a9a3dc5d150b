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
#include <functional>
#include <optional>
#include <random>

#include "mv/media/mp4-writer.hpp"
#include "mv/base/cpu-time.hpp"
#include "mv/base/error.hpp"
#include "mv/render/generate.hpp"
#include "mv/base/output-file.hpp"
#include "mv/render/look.hpp"
#include "mv/media/media.hpp"
#include "mv/audio/track-profile.hpp"
#include "mv/timeline/lyrics.hpp"
#include "mv/media/subject-scan.hpp"
#include "mv/render/reframe.hpp"
#include "compositor.hpp"
#include "effects.hpp"
#include "mv/render/glyph-check.hpp"
#include "frame-feeder.hpp"
#include "mv/render/live-look.hpp"
#include "mv/media/visual-source.hpp"
#include "mv/media/clip-scan.hpp"
#include "shot-picker.hpp"

namespace mv {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

}  // namespace

namespace {

/// The lyrics to draw: `choice` (VideoSettings::lyrics; "none" for none), else
/// the file next to the input; nullopt for none. `file` is set to the file
/// read. Errors: read_lyrics()'s.
std::optional<Lyrics> load_lyrics(const fs::path& input, const fs::path& choice, fs::path& file) {
  file.clear();
  if (choice == "none") return std::nullopt;
  if (!choice.empty()) {
    file = choice;
  } else if (auto found = lyrics_next_to(input)) {
    file = *found;
  } else {
    return std::nullopt;
  }
  return read_lyrics(file);
}

/// The lyrics (whole) and the file they came from, as check_request() found them.
struct LoadedLyrics {
  std::optional<Lyrics> lyrics;
  fs::path file;
  /// The part of [start_s, start_s + duration_s) of the input (none: to its end), times from start_s.
  [[nodiscard]] std::optional<Lyrics> excerpt(double start_s, std::optional<double> duration_s) const {
    constexpr double kWholeSong = 1e7;  // s
    if (!lyrics) return std::nullopt;
    return lyrics->excerpt(start_s, duration_s.value_or(kWholeSong));
  }
};

}  // namespace


namespace {

constexpr double kHighlightFadeInS = 0.25, kHighlightFadeOutS = 1.0;

/// The reframing of footage whose aspect differs from the frame's with fit
/// "follow" (scan_subject() over the excerpt, then plan_follow()); in a
/// vertical frame, a facecam layout (find_facecam()) is stacked over the
/// gameplay's centre. Empty when the footage fills the frame
/// as it is, or for another fit or look.
Reframe follow_path(const fs::path& input, const VideoSettings& vs, const ResolvedLook& look, double start_s,
                    const Analysis& analysis, const CancelToken* cancel) {
  if (look.pictures != "footage" || vs.framing.fit != "follow") return {};
  const MediaInfo info = probe_media(input);
  if (info.width <= 0 || info.height <= 0) return {};
  const double source_aspect = static_cast<double>(info.width) / info.height;
  const double crop = (static_cast<double>(vs.width()) / vs.height()) / source_aspect;
  if (crop > 0.95) return {};
  const auto samples = scan_subject(input, start_s, analysis.duration_s, 0.25, cancel);
  Reframe out;
  if (vs.height() > vs.width()) out.facecam = find_facecam(samples, source_aspect);
  // Stacked, the gameplay panel keeps the picture's centre (a game's action and crosshair;
  // the motion there mixes the game with the streamer in the webcam): no path.
  if (!out.facecam) out.path = plan_follow(samples, crop, analysis.beats, analysis.duration_s, vs.fps());
  return out;
}

/// Up to this much longer than a highlight, an input is all of its highlight, s.
constexpr double kWholeSongSlackS = 5.0;

/// The song's best excerpt of about `length_s` (find_highlights() over the
/// whole input) — all of it when it is at most kWholeSongSlackS longer —, or the one the user moved to (Excerpt::highlight_start_s). Errors: analyze_file()'s; Error{InputInvalid} when the song is
/// too short to hold one.
Highlight choose_highlight(const GenerateRequest& req, double length_s, const CancelToken* cancel) {
  AnalysisOptions whole = req.analysis;
  whole.start_s = 0.0;
  whole.duration_s.reset();
  const Analysis song = analyze_file(req.input, whole, {}, cancel);
  if (song.duration_s < length_s + kWholeSongSlackS) {
    // A take no longer than the highlight asked for (a 20 s clip for a 30 s Short): all of it.
    Highlight all;
    all.end_s = song.duration_s;
    all.section_start = true;
    return all;
  }
  if (req.excerpt.highlight_start_s) {  // moved by the user: the bar start nearest theirs
    if (auto moved = highlight_near(song, length_s, *req.excerpt.highlight_start_s)) return *moved;
  }
  const std::vector<Highlight> found = find_highlights(song, length_s, 1);
  if (found.empty()) throw Error(ErrorCode::InputInvalid, req.input.string() + " is too short for a highlight");
  return found.front();
}

/// Every file the request reads, which its output must never be: the input,
/// the clips, the picture, the lyrics (given, or found next to the input) and
/// the LUT file of `look`.
std::vector<fs::path> request_inputs(const GenerateRequest& req, const ResolvedLook& look) {
  std::vector<fs::path> files{req.input, req.video.look.image};
  files.insert(files.end(), req.video.clips.begin(), req.video.clips.end());
  if (req.video.captions.lyrics != "none") files.push_back(req.video.captions.lyrics.empty() ? lyrics_next_to(req.input).value_or(fs::path()) : req.video.captions.lyrics);
  std::error_code ec;
  if (!look.lut.empty() && fs::is_regular_file(look.lut, ec)) files.emplace_back(look.lut);
  return files;
}

/// Step 1: everything that can be refused before any work — sizes, look,
/// output path, clips, the input's audio. Notes in `vs` whether the input has
/// moving pictures (its footage) and where its excerpt starts.
/// Errors: Error{Usage|Output|Input*}.
/// The audio track a request takes: the user's (checked), else with several
/// tracks the one that holds the music (profile_tracks()), with a note saying
/// which and what the others hold; else FFmpeg's best (0).
int choose_audio_track(const GenerateRequest& req, const MediaInfo& info, std::vector<std::string>& notes,
                       const CancelToken* cancel) {
  if (req.analysis.audio_track > 0) return audio_track(info, req.analysis.audio_track, req.input).number;
  if (info.audio_tracks.size() <= 1) return 0;
  const std::vector<TrackProfile> tracks = profile_tracks(req.input, info, cancel);
  const int chosen = music_track(tracks, info);
  std::string list;
  for (const auto& t : tracks) {
    list += (list.empty() ? "" : ", ") + std::to_string(t.track.number) + " \"" + track_label(t.track) + "\" (" +
            (t.mix ? "the mix: " : "") + track_content_id(t.content) + ")";
  }
  notes.push_back("the sound of audio track " + std::to_string(chosen) + " of " + std::to_string(tracks.size()) + " (" + list +
                  "); choose another with --audio-track N");
  return chosen;
}

/// Whether a look that would play the input's own pictures ("auto") should draw its own
/// instead: the input is a video whose key frames are all black (all_black(); a recording of
/// a scene whose only source was a song). Says so in `notes`. Asked-for footage is kept.
bool footage_is_empty(const GenerateRequest& req, const VideoSettings& vs, std::vector<std::string>& notes,
                      const CancelToken* cancel) {
  if (!vs.input_has_video || !vs.clips.empty() || vs.look.name == "footage" || vs.look.name == "montage" ||
      !vs.look.footage.value_or(true)) {
    return false;
  }
  if (!all_black(scanned_clip(req.input, cancel))) return false;
  notes.push_back(req.input.filename().string() + ": its pictures are black throughout (a recording of a scene with "
                  "no picture in it): the look draws its own");
  return true;
}

ResolvedLook check_request(GenerateRequest& req, VideoSettings& vs, LoadedLyrics& lyrics, const ProgressFn& progress,
                           std::vector<std::string>& notes, const CancelToken* cancel, bool needs_output = true) {
  if (vs.width() <= 0 || vs.height() <= 0 || vs.width() % 2 != 0 || vs.height() % 2 != 0) {
    throw Error(ErrorCode::Usage, "video size must be positive and even");
  }
  if (vs.fps() < 1 || vs.fps() > 120) throw Error(ErrorCode::Usage, "frame rate must be between 1 and 120");
  if (!is_fit_mode(vs.framing.fit)) {
    throw Error(ErrorCode::Usage, "fit must be follow, blur or letterbox (got \"" + vs.framing.fit + "\")");
  }
  req.excerpt.validate();  // the one check of the excerpt; then the analysis reads it from here on
  req.analysis.start_s = req.excerpt.start_s.value_or(0.0);
  req.analysis.duration_s = req.excerpt.duration_s;
  vs.look.validate();  // names, before touching any file
  if (progress) progress(Stage::Probe, 0.0);
  const MediaInfo info = probe_media(req.input);
  if (!info.has_audio) {
    throw Error(ErrorCode::InputInvalid,
                req.input.string() + " has no audio track; give a song or a video with sound" +
                    (info.has_video && !info.is_still_image
                         ? ". For music under this video, run: mvgen soundtrack " + req.input.string() + " -o OUT.mp4"
                         : ""));
  }
  req.analysis.audio_track = choose_audio_track(req, info, notes, cancel);
  vs.input_has_video = info.has_video && !info.is_still_image;
  if (footage_is_empty(req, vs, notes, cancel)) vs.input_has_video = false;
  vs.footage_start_s = req.analysis.start_s;
  if (!vs.look.image.empty()) {
    (void)VisualSource::open(vs.look.image, 16, 16);  // a bad picture fails now, with its own message
    vs.backdrop = vs.look.image;
  } else if (info.has_cover_art) {
    vs.backdrop = req.input;
  }
  lyrics.lyrics = load_lyrics(req.input, vs.captions.lyrics, lyrics.file);
  if (!vs.captions.title_card) {
    vs.captions.title.clear();
    vs.captions.artist.clear();
  } else if (vs.captions.title.empty() || vs.captions.artist.empty()) {  // the tags, else the lyrics' [ti:]/[ar:], else the file name
    auto [name_title, name_artist] = title_from_file_name(req.input);
    if (lyrics.lyrics && !lyrics.lyrics->title.empty()) {
      name_title = lyrics.lyrics->title;
      name_artist = lyrics.lyrics->artist;
    }
    const bool tagged = !info.title.empty() && !is_machine_name(info.title);  // a "Track 1" tag is no title
    if (vs.captions.title.empty()) vs.captions.title = tagged ? info.title : name_title;
    if (vs.captions.artist.empty()) vs.captions.artist = !info.artist.empty() ? info.artist : (tagged ? "" : name_artist);
  }
  // Text no installed font can draw would come out as empty boxes: name it now, before rendering.
  std::string text = vs.captions.title + vs.captions.artist + vs.captions.cta;
  if (lyrics.lyrics) {
    for (const auto& line : lyrics.lyrics->lines) text += line.text;
  }
  if (const auto missing = missing_glyphs(text); !missing.empty()) {
    notes.push_back("warning: no installed font has " + describe_characters(missing) +
                    ": the text would show empty boxes there; install a font that has them (Debian: fonts-noto-core "
                    "for most scripts, fonts-noto-cjk for Chinese, Japanese and Korean) or change the text");
  }
  ResolvedLook look = resolve_look(vs);  // once a job
  if (needs_output || !req.output.empty()) {
    check_output(request_inputs(req, look), req.output, req.force,
                 needs_output ? video_output_extensions() : std::vector<std::string>{".png"});
  }
  if (!look.lut.empty()) (void)Grade::from_lut(look.lut);  // a bad LUT fails now, naming its file
  if (look.pictures == "footage" && !vs.input_has_video) {
    throw Error(ErrorCode::Usage, "the footage style needs a video input (a recording or a clip); "
                                  + req.input.string() + " has no moving pictures");
  }
  // Open every clip (and the footage) now so a bad one fails before minutes of work.
  for (const auto& clip : vs.clips) (void)VisualSource::open(clip, 16, 16);
  // Pictures in HDR or wide gamut are drawn converted to BT.709 SDR: say so.
  std::vector<fs::path> pictures = vs.clips;
  if (look.pictures == "footage") pictures.insert(pictures.begin(), req.input);
  for (const auto& p : pictures) {
    if (const std::string from = picture_conversion(p == req.input ? info : probe_media(p)); !from.empty()) {
      notes.push_back(p.filename().string() + ": " + from + " pictures converted to BT.709 SDR (tone-mapped, HDR "
                      "reference white at SDR white)");
    }
  }
  return look;
}

/// The mono samples around each frame's time, for the waveform, kept in a
/// sliding window while the audio is decoded (and encoded) ahead of the video.
class AudioFeed {
 public:
  AudioFeed(AudioReader& audio, Mp4Writer& writer, int fps, StageTimings& timings)
      : audio_(audio), writer_(writer), timings_(timings), rate_(audio.sample_rate()),
        ch_(static_cast<std::size_t>(audio.channels())), window_(static_cast<std::int64_t>(2.0 * rate_ / fps)) {}

  /// Also hands every decoded block (interleaved, as written) to `sink`.
  void set_sink(std::function<void(const float*, std::size_t)> sink) { sink_ = std::move(sink); }

  /// Fades the written audio in over `in_s` and out over the `out_s` before `length_s` (linear gain).
  void set_fades(double in_s, double out_s, double length_s) {
    fade_in_ = static_cast<std::int64_t>(in_s * rate_);
    fade_out_ = static_cast<std::int64_t>(out_s * rate_);
    length_ = static_cast<std::int64_t>(length_s * rate_);
  }

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
    if (length_ > 0) apply_fades();
    writer_.write_audio(chunk_.data(), chunk_.size() / ch_);
    if (sink_) sink_(chunk_.data(), chunk_.size() / ch_);
    if (!keep_mono) return;
    for (std::size_t i = 0; i + ch_ <= chunk_.size(); i += ch_) {
      float s = 0.0f;
      for (std::size_t c = 0; c < ch_; ++c) s += chunk_[i + c];
      mono_.push_back(s / static_cast<float>(ch_));
    }
  }

  void apply_fades() {
    const std::size_t frames = chunk_.size() / ch_;
    for (std::size_t i = 0; i < frames; ++i) {
      const std::int64_t at = written_ + static_cast<std::int64_t>(i);
      double gain = 1.0;
      if (at < fade_in_) gain = static_cast<double>(at) / static_cast<double>(fade_in_);
      if (length_ - at < fade_out_) gain = std::min(gain, std::max(0.0, static_cast<double>(length_ - at) / static_cast<double>(fade_out_)));
      if (gain < 1.0) {
        for (std::size_t c = 0; c < ch_; ++c) chunk_[i * ch_ + c] *= static_cast<float>(gain);
      }
    }
    written_ += static_cast<std::int64_t>(frames);
  }

  AudioReader& audio_;
  Mp4Writer& writer_;
  StageTimings& timings_;
  const int rate_;
  const std::size_t ch_;
  const std::int64_t window_;
  std::vector<float> chunk_, mono_;  // mono_ holds samples from index base_
  std::function<void(const float*, std::size_t)> sink_;
  std::int64_t base_ = 0;
  bool done_ = false;
  std::int64_t fade_in_ = 0, fade_out_ = 0, length_ = 0, written_ = 0;  // samples per channel
};

Mp4Settings mp4_settings(const VideoSettings& vs, const AudioReader& audio) {
  Mp4Settings ms;
  ms.width = vs.width();
  ms.height = vs.height();
  ms.fps = vs.fps();
  ms.preset = vs.preset;
  ms.crf = vs.crf;
  ms.threads = vs.threads;
  ms.encoder = vs.encoder;
  ms.audio_rate = audio.sample_rate();
  ms.audio_channels = audio.channels();
  return ms;
}

/// Step 4: every frame drawn from the analysis and encoded with its audio.
/// Returns the number of frames.
std::int64_t render_frames(const Analysis& analysis, const VideoSettings& vs, double intensity, Compositor& compositor,
                           AudioFeed& audio, Mp4Writer& writer, StageTimings& timings, const ProgressFn& progress,
                           const CancelToken* cancel, const GenerateRequest& req) {
  const std::int64_t frames = std::max<std::int64_t>(1, std::llround(analysis.duration_s * vs.fps()));
  FrameFeeder feeder(analysis, vs.fps(), intensity);
  Canvas canvas(vs.width(), vs.height());
  const auto watch_frames = std::max<std::int64_t>(1, std::llround(req.watch_every_s * vs.fps()));
  for (std::int64_t k = 0; k < frames; ++k) {
    if (cancel != nullptr) cancel->throw_if_requested();
    FrameInfo& f = feeder.next(k);
    audio.window_at(f.time_s, f.waveform);
    for (float& sample : f.waveform) sample *= feeder.wave_gain();
    const auto t0 = Clock::now();
    const double cpu0 = thread_cpu_seconds();
    compositor.draw(canvas, f);
    timings.draw_cpu_s += thread_cpu_seconds() - cpu0;
    timings.draw_s += since(t0);
    if (req.watch && k % watch_frames == 0) req.watch(canvas, f.time_s);  // before the encoder borrows it
    writer.write_video(canvas);
    if (progress && (k % 15 == 0 || k + 1 == frames)) progress(Stage::Render, static_cast<double>(k + 1) / static_cast<double>(frames));
  }
  return frames;
}

}  // namespace

namespace {

/// Mono samples of `path` in [from_s, from_s + seconds), ±1 (zeros past the end).
std::vector<float> mono_window(const fs::path& path, double from_s, double seconds, int track) {
  AudioReader audio(path, 0, 0, std::max(0.0, from_s), seconds, track);
  std::vector<float> chunk, mono;
  const auto ch = static_cast<std::size_t>(audio.channels());
  while (audio.read(chunk)) {}
  for (std::size_t i = 0; i + ch <= chunk.size(); i += ch) {
    float s = 0.0f;
    for (std::size_t c = 0; c < ch; ++c) s += chunk[i + c];
    mono.push_back(s / static_cast<float>(ch));
  }
  mono.resize(static_cast<std::size_t>(seconds * audio.sample_rate()), 0.0f);
  return mono;
}

}  // namespace

Canvas render_preview(const GenerateRequest& request, double at_s, const CancelToken* cancel) {
  GenerateRequest req = request;
  VideoSettings vs = req.video;
  LoadedLyrics loaded;
  std::vector<std::string> notes;
  const ResolvedLook look = check_request(req, vs, loaded, {}, notes, cancel, false);
  const MediaInfo info = probe_media(req.input);
  const double base = req.analysis.start_s;
  double length = std::max(0.0, info.duration_s - base);
  if (req.analysis.duration_s) length = std::min(length, *req.analysis.duration_s);
  at_s = std::clamp(at_s, 0.0, std::max(0.0, length - 1.0 / vs.fps()));
  AnalysisOptions options = req.analysis;
  const double from = std::max(0.0, at_s - 6.0);
  options.start_s = base + from;
  options.duration_s = std::max(1.0, std::min(8.0, length - from));
  const std::optional<Lyrics> lyrics = loaded.excerpt(options.start_s, options.duration_s);
  Analysis analysis = analyze_file(req.input, options, {}, cancel);
  if (!vs.shot_cuts.empty()) analysis.sections = sections_at_cuts(analysis, vs.shot_cuts);
  vs.footage_start_s = options.start_s;
  const Timeline timeline = plan_timeline(analysis, vs, look, req.input);
  Compositor compositor(look, vs, timeline, timeline.tracks.empty() ? nullptr : &timeline.tracks.front(),
                        lyrics ? &*lyrics : nullptr, follow_path(req.input, vs, look, options.start_s, analysis, cancel));
  FrameFeeder feeder(analysis, vs.fps(), look.intensity);
  Canvas canvas(vs.width(), vs.height());
  const std::int64_t k_at = std::llround((at_s - from) * vs.fps());
  const std::vector<float> wave = mono_window(req.input, base + at_s - 1.0 / vs.fps(), 2.0 / vs.fps(), req.analysis.audio_track);
  // Particles need half a second to spread; the wave's ribbons three frames of history.
  const std::int64_t warm_up = look.look.effects.particles > 0 ? vs.fps() / 2 : 3;
  for (std::int64_t k = std::max<std::int64_t>(0, k_at - warm_up); k <= k_at; ++k) {
    if (cancel != nullptr) cancel->throw_if_requested();
    FrameInfo& f = feeder.next(k);
    f.waveform = wave;
    for (float& sample : f.waveform) sample *= feeder.wave_gain();
    compositor.draw(canvas, f);
  }
  return canvas;
}

namespace {

/// An excerpt is heard from up to kLivePrerollS before its start `start` (s), as
/// a live source had heard it: the tempo and levels are settled on its first
/// frame. Pushes that audio into `live` (the title card then comes in at the
/// excerpt's start) and returns how many frames it lasts (0 for none).
std::int64_t live_preroll(const GenerateRequest& req, const VideoSettings& vs, const ResolvedLook& look, double start,
                          LiveLook& live) {
  const auto preroll_frames = static_cast<std::int64_t>(std::floor(std::min(start, kLivePrerollS) * vs.fps()));
  if (preroll_frames <= 0) return 0;
  const double preroll = static_cast<double>(preroll_frames) / vs.fps();
  AudioReader before(req.input, 0, 0, start - preroll, preroll, req.analysis.audio_track);
  std::vector<float> chunk;
  auto wanted = static_cast<std::int64_t>(std::llround(preroll * before.sample_rate()));
  while (wanted > 0 && before.read(chunk)) {
    const auto n = std::min<std::int64_t>(wanted, static_cast<std::int64_t>(chunk.size()) / before.channels());
    live.push(chunk.data(), static_cast<std::size_t>(n));
    wanted -= n;
    chunk.clear();
  }
  live.restyle(look, vs, preroll);
  return preroll_frames;
}

/// generate() with live_analysis: every frame drawn by a LiveLook fed the
/// decoded audio as it is encoded, the audio up to each frame's time pushed
/// before the frame is drawn; the output committed and `result` filled.
void render_live(const GenerateRequest& req, const VideoSettings& vs, const ResolvedLook& look, TempOutput& temp,
                 GenerateResult& result, const ProgressFn& progress, const CancelToken* cancel) {
  if (req.excerpt.highlight_s) throw Error(ErrorCode::Usage, "--analysis live draws the excerpt as it plays; it takes no --highlight");
  const MediaInfo info = probe_media(req.input);
  const double start = req.analysis.start_s;
  double length = std::max(0.0, info.duration_s - start);
  if (req.analysis.duration_s) length = std::min(length, *req.analysis.duration_s);
  AudioReader audio(req.input, 0, 0, start, req.analysis.duration_s, req.analysis.audio_track);
  LiveLook live(look, vs, audio.sample_rate(), audio.channels(), {req.analysis.min_bpm, req.analysis.max_bpm});
  const std::int64_t preroll_frames = live_preroll(req, vs, look, start, live);
  if (progress) progress(Stage::Plan, 1.0);
  Mp4Writer writer(temp.path(), mp4_settings(vs, audio));
  AudioFeed feed(audio, writer, vs.fps(), result.timings);
  feed.set_sink([&live](const float* samples, std::size_t frames) { live.push(samples, frames); });
  const std::int64_t frames = std::max<std::int64_t>(1, std::llround(length * vs.fps()));
  Canvas canvas(vs.width(), vs.height());
  std::vector<float> wave;
  const auto watch_frames = std::max<std::int64_t>(1, std::llround(req.watch_every_s * vs.fps()));
  for (std::int64_t k = 0; k < frames; ++k) {
    if (cancel != nullptr) cancel->throw_if_requested();
    feed.window_at(static_cast<double>(k) / vs.fps(), wave);  // decodes (and pushes) past the frame's time
    const auto t0 = Clock::now();
    const double cpu0 = thread_cpu_seconds();
    live.draw(k + preroll_frames, canvas);
    result.timings.draw_cpu_s += thread_cpu_seconds() - cpu0;
    result.timings.draw_s += since(t0);
    if (req.watch && k % watch_frames == 0) req.watch(canvas, static_cast<double>(k) / vs.fps());
    writer.write_video(canvas);
    if (progress && (k % 15 == 0 || k + 1 == frames)) progress(Stage::Render, static_cast<double>(k + 1) / static_cast<double>(frames));
  }
  feed.drain();
  if (cancel != nullptr) cancel->throw_if_requested();
  if (progress) progress(Stage::Finalize, 0.0);
  writer.finish();
  result.frames = frames;
  result.tempo_bpm = live.analyzer().tempo_bpm();
  if (live.analyzer().beats().empty()) {
    result.notes.push_back("the live analysis locked onto no beat (it needs about 5 s of a steady one): the picture follows loudness only");
  }
  result.timings.encode_s = writer.timings().encode_s;
  result.timings.mux_s = writer.timings().mux_s;
  result.audio_duration_s = writer.audio_seconds();
  result.encoder = writer.encoder_id();
  result.encoder_note = writer.encoder_note();
  temp.commit(req.output);
  if (progress) progress(Stage::Finalize, 1.0);
  result.output = req.output;
  result.duration_s = static_cast<double>(result.frames) / vs.fps();
  std::error_code ec;
  result.size_bytes = fs::file_size(req.output, ec);
  result.style = look.style;
  result.palette = look.palette;
  // What was drawn, as a timeline: the song, and the look over all of it (live: no sections planned).
  Timeline& tl = result.timeline;
  tl.duration_ms = std::llround(result.duration_s * 1000.0);
  tl.meta = {{"look", look.style}, {"palette", look.palette}, {"analysis", "live"}, {"generator", "mvgen"}};
  Track video, bgm;
  video.type = static_cast<int>(TrackType::Video);
  video.name = "Video";
  Segment drawn;
  drawn.duration_ms = tl.duration_ms;
  drawn.name = look.style + " " + look.palette + " (live analysis)";
  video.segments.push_back(drawn);
  bgm.type = static_cast<int>(TrackType::Audio);
  bgm.name = "BGM";
  Segment song;
  song.duration_ms = tl.duration_ms;
  song.source = req.input.string();
  song.name = req.input.filename().string();
  song.volume = 100;
  bgm.segments.push_back(std::move(song));
  tl.tracks.push_back(std::move(video));
  tl.tracks.push_back(std::move(bgm));
}

}  // namespace

GenerateResult generate(const GenerateRequest& request, const ProgressFn& progress, const CancelToken* cancel) {
  const auto t_start = Clock::now();
  GenerateRequest req = request;
  VideoSettings vs = req.video;
  LoadedLyrics loaded;
  GenerateResult result;
  const ResolvedLook look = check_request(req, vs, loaded, progress, result.notes, cancel);
  result.lyrics = loaded.file;
  TempOutput temp(req.output);  // also proves the folder is writable
  if (progress) progress(Stage::Probe, 1.0);
  if (req.live_analysis) {
    render_live(req, vs, look, temp, result, progress, cancel);
    result.timings.total_s = since(t_start);
    return result;
  }

  auto t0 = Clock::now();
  const double cpu0 = thread_cpu_seconds();
  AnalysisOptions options = req.analysis;
  if (req.excerpt.highlight_s) {  // the whole song first, to find its best part
    result.highlight = choose_highlight(req, *req.excerpt.highlight_s, cancel);
    options.start_s = result.highlight->start_s;
    options.duration_s = result.highlight->end_s - result.highlight->start_s;
    vs.footage_start_s = options.start_s;
  }
  const std::optional<Lyrics> lyrics = loaded.excerpt(options.start_s, options.duration_s);
  Analysis analysis = analyze_file(req.input, options, progress, cancel);
  if (!vs.shot_cuts.empty()) analysis.sections = sections_at_cuts(analysis, vs.shot_cuts);
  result.timings.analysis_cpu_s = thread_cpu_seconds() - cpu0;
  if (analysis.ended_early) {
    char line[200];
    if (analysis.claimed_duration_s > 0.0 && analysis.claimed_duration_s > options.start_s + analysis.duration_s + 0.5) {
      std::snprintf(line, sizeof line, "%.1f s of %.1f s", analysis.duration_s, analysis.claimed_duration_s - options.start_s);
    } else {
      std::snprintf(line, sizeof line, "%.1f s", analysis.duration_s);
    }
    result.notes.push_back(req.input.filename().string() + " ends early: the recording was cut off; the video has the " +
                           line + " that could be read");
  }
  if (analysis.beats.empty()) result.notes.push_back("no beat found: the picture follows loudness only");
  result.timings.analysis_s = since(t0);

  t0 = Clock::now();
  const Timeline timeline = plan_timeline(analysis, vs, look, req.input);
  if (timeline.meta.contains("note")) result.notes.push_back(timeline.meta["note"].get<std::string>());
  const Track* video_track = timeline.tracks.empty() ? nullptr : &timeline.tracks.front();
  Compositor compositor(look, vs, timeline, video_track, lyrics ? &*lyrics : nullptr,
                        follow_path(req.input, vs, look, options.start_s, analysis, cancel));
  result.timings.plan_s = since(t0);
  if (progress) progress(Stage::Plan, 1.0);

  AudioReader audio(req.input, 0, 0, options.start_s, options.duration_s, options.audio_track);
  Mp4Writer writer(temp.path(), mp4_settings(vs, audio));
  AudioFeed feed(audio, writer, vs.fps(), result.timings);
  if (req.excerpt.highlight_s) feed.set_fades(kHighlightFadeInS, kHighlightFadeOutS, analysis.duration_s);
  result.frames = render_frames(analysis, vs, look.intensity, compositor, feed, writer, result.timings, progress, cancel, req);
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
  result.duration_s = static_cast<double>(result.frames) / vs.fps();
  result.audio_duration_s = writer.audio_seconds();
  std::error_code ec;
  result.size_bytes = fs::file_size(req.output, ec);
  result.tempo_bpm = analysis.tempo_bpm;
  result.style = look.style;
  result.encoder = writer.encoder_id();
  result.encoder_note = writer.encoder_note();
  result.palette = look.palette;
  result.timeline = timeline;
  result.timings.total_s = since(t_start);
  return result;
}

}  // namespace mv
