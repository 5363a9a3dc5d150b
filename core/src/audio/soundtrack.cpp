// soundtrack.cpp — background music for a clip (see soundtrack.hpp).
#include "mv/audio/soundtrack.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <system_error>

#include "mv/audio/mix.hpp"
#include "mv/audio/music.hpp"
#include "mv/audio/track-profile.hpp"
#include "mv/base/error.hpp"
#include "mv/base/output-file.hpp"
#include "mv/media/clip-scan.hpp"
#include "mv/media/media.hpp"
#include "mv/media/mp4-writer.hpp"
#include "mv/media/visual-source.hpp"
#include "track-fit.hpp"

namespace mv {

namespace fs = std::filesystem;

namespace {

constexpr int kRate = 48000;

void report(const ProgressFn& progress, Stage stage, double fraction) {
  if (progress) progress(stage, fraction);
}

/// The sum of the clip's audio tracks `tracks` (numbers; empty: its best) at
/// kRate, stereo, exactly `frames` long; silence when it has no sound.
Pcm read_clip_sound(const fs::path& video, bool has_audio, const std::vector<int>& tracks, std::size_t frames,
                    const CancelToken* cancel) {
  Pcm pcm;
  pcm.rate = kRate;
  pcm.channels = 2;
  pcm.samples.assign(2 * frames, 0.0f);
  if (!has_audio) return pcm;
  if (tracks.empty()) return read_sound(video, kRate, frames, cancel);
  for (int t : tracks) {
    const Pcm one = read_sound(video, kRate, frames, cancel, t);
    for (std::size_t i = 0; i < pcm.samples.size(); ++i) pcm.samples[i] += one.samples[i];
  }
  return pcm;
}

/// FNV-1a over the clip's length and cuts (ms) and the prompt: the default seed.
std::uint32_t default_seed(double duration_s, const std::vector<double>& cuts, const std::string& prompt) {
  std::uint32_t h = 2166136261u;
  const auto mix = [&](std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= static_cast<std::uint32_t>((v >> (8 * i)) & 0xffu);
      h *= 16777619u;
    }
  };
  mix(static_cast<std::uint64_t>(std::llround(duration_s * 1000.0)));
  for (double c : cuts) mix(static_cast<std::uint64_t>(std::llround(c * 1000.0)));
  for (unsigned char ch : prompt) mix(ch);
  return h;
}

/// The prompt's words of 3 letters or more, lower case (what a track's name may share).
std::vector<std::string> prompt_words(const std::string& prompt) {
  std::vector<std::string> words;
  std::string w;
  for (char c : prompt + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0 || (static_cast<unsigned char>(c) & 0x80) != 0) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      if (w.size() >= 3) words.push_back(w);
      w.clear();
    }
  }
  return words;
}

/// How much a clip's pictures move, 0..1: the median frame-to-frame change
/// at 64×36 over 6 code values (a talking head ~0.5, gameplay 3–8), cuts aside.
double picture_motion(const CutScan& scan) {
  if (scan.change.size() < 3) return 0.0;
  std::vector<double> c(scan.change.begin() + 1, scan.change.end());
  std::nth_element(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(c.size() / 2), c.end());
  return std::clamp(c[c.size() / 2] / 6.0, 0.0, 1.0);
}

/// Without a mood in the prompt: the clip's pace picks one (fast cuts upbeat, slow calm, else lofi).
Mood mood_for(const ClipPace& clip) {
  if (clip.mood) return *clip.mood;
  const double per_minute = 60.0 * static_cast<double>(clip.cuts.size()) / std::max(1.0, clip.duration_s);
  const double motion = clip.motion.value_or(0.5);
  if (per_minute >= 12.0 || motion >= 0.7) return Mood::Upbeat;
  if (per_minute < 3.0 && motion < 0.3) return Mood::Calm;
  return Mood::Lofi;
}

MusicBed compose_bed(const MusicBedRequest& req, const ClipPace& clip) {
  const Mood mood = mood_for(clip);
  ComposeRequest cr;
  cr.duration_s = clip.duration_s;
  cr.mood = mood;
  cr.cuts = clip.cuts;
  cr.seed = req.seed.value_or(default_seed(clip.duration_s, clip.cuts, req.prompt));
  const Arrangement arrangement = compose(cr);
  MusicBed m;
  m.pcm = render_arrangement(arrangement, kRate, req.soundfont);
  m.downbeats = arrangement.downbeats;
  m.ending_s = arrangement.ending_s;
  m.source = "generated";
  m.mood = mood_id(mood);
  m.tempo_bpm = arrangement.tempo_bpm;
  m.seed = arrangement.seed;
  m.description = arrangement.description;
  const std::string why = clip.mood ? std::string("the prompt asks for ") + mood_id(mood)
                                    : std::string("the pace of the pictures (") + std::to_string(clip.cuts.size()) + " cuts in " +
                                          std::to_string(static_cast<int>(std::lround(clip.duration_s))) + " s" +
                                          (clip.motion ? ", motion " + std::to_string(static_cast<int>(std::lround(100 * *clip.motion))) + " %" : "") +
                                          ") suggests " + mood_id(mood);
  m.reason = "Composed for these pictures (" + arrangement.description + ", seed " + std::to_string(arrangement.seed) + "): " +
             why + "; the tempo puts the cuts on the beat, with an accent on each of " +
             std::to_string(arrangement.accents.size()) + " cuts; it ends on the tonic at " +
             std::to_string(static_cast<int>(std::lround(arrangement.ending_s))) + " s. Played with FluidSynth and the "
             "FluidR3 General MIDI soundfont (MIT licence).";
  return m;
}

MusicBed users_bed(const MusicBedRequest& req, const ClipPace& clip, const CancelToken* cancel) {
  const std::vector<fs::path> candidates = music_candidates(req.music);
  const std::vector<TrackScore> ranked = rank_tracks(candidates, clip, cancel);
  const TrackScore& best = ranked.front();
  FittedTrack fit = fit_track(best, clip, kRate, cancel);
  MusicBed m;
  m.source = "music";
  m.track = best.path;
  m.track_start_s = fit.start_s;
  m.tempo_bpm = best.analysis.tempo_bpm;
  if (clip.mood) m.mood = mood_id(*clip.mood);
  std::ostringstream why;
  why << "Chose \"" << best.path.filename().string() << "\"";
  if (ranked.size() > 1) why << " (best of " << ranked.size() << " tracks, score " << static_cast<int>(std::lround(100 * best.score)) << "/100)";
  why << ": " << best.reason << ". Fitted " << fit.how << ".";
  m.reason = why.str();
  m.pcm = std::move(fit.pcm);
  m.downbeats = std::move(fit.downbeats);
  m.ending_s = fit.ending_s;
  return m;
}

/// Writes the MP4: the clip's video copied, the mix as AAC.
void write_copied(const fs::path& video, const Pcm& mix, const fs::path& path, const CancelToken* cancel) {
  Mp4Settings ms;
  ms.copy_video_from = video;
  ms.audio_rate = mix.rate;
  ms.audio_channels = mix.channels;
  Mp4Writer writer(path, ms);
  const std::size_t frames = mix.frames();
  const auto step = static_cast<std::size_t>(mix.rate);  // a second at a time, the video following
  for (std::size_t at = 0; at < frames; at += step) {
    if (cancel != nullptr) cancel->throw_if_requested();
    const std::size_t n = std::min(step, frames - at);
    writer.write_audio(mix.samples.data() + 2 * at, n);
    writer.copy_video_until(static_cast<double>(at + n) / mix.rate);
  }
  writer.finish();
}

/// Writes the MP4 when MP4 cannot hold the clip's video codec (VP8, Theora):
/// its pictures re-encoded with x264 at their own size and frame rate (CRF 18,
/// so the copy looks like the original), the mix as AAC.
void write_encoded(const fs::path& video, const MediaInfo& info, double fps, const Pcm& mix, const fs::path& path,
                   const CancelToken* cancel) {
  Mp4Settings ms;
  ms.width = std::max(16, info.width & ~1);
  ms.height = std::max(16, info.height & ~1);
  ms.fps = std::clamp(static_cast<int>(std::lround(fps)), 1, 120);
  ms.crf = 18;
  ms.audio_rate = mix.rate;
  ms.audio_channels = mix.channels;
  Mp4Writer writer(path, ms);
  const std::unique_ptr<VisualSource> source = VisualSource::open(video, ms.width, ms.height);
  Canvas canvas(ms.width, ms.height);
  const double duration = mix.seconds();
  const auto pictures = static_cast<std::int64_t>(std::llround(duration * ms.fps));
  std::size_t written = 0;
  for (std::int64_t k = 0; k < pictures; ++k) {
    if (cancel != nullptr) cancel->throw_if_requested();
    const double t = static_cast<double>(k) / ms.fps;
    source->draw(canvas, t, duration, 0);
    writer.write_video(canvas);
    const std::size_t until = std::min(mix.frames(), static_cast<std::size_t>((t + 1.0 / ms.fps) * mix.rate));
    if (until > written) {
      writer.write_audio(mix.samples.data() + 2 * written, until - written);
      written = until;
    }
  }
  if (written < mix.frames()) writer.write_audio(mix.samples.data() + 2 * written, mix.frames() - written);
  writer.finish();
}

}  // namespace

MusicBed make_music_bed(const MusicBedRequest& req, const CancelToken* cancel) {
  if (!(req.duration_s >= 2.0)) throw Error(ErrorCode::Usage, "music needs at least 2 s of pictures");
  ClipPace clip;
  clip.duration_s = req.duration_s;
  clip.cuts = req.cuts;
  clip.motion = req.motion;
  clip.mood = mood_from_prompt(req.prompt);
  clip.words = prompt_words(req.prompt);
  return req.music.empty() ? compose_bed(req, clip) : users_bed(req, clip, cancel);
}

std::vector<fs::path> music_candidates(const fs::path& music) {
  std::error_code ec;
  if (!fs::exists(music, ec)) throw Error(ErrorCode::InputMissing, "the music " + music.string() + " does not exist");
  if (!fs::is_directory(music, ec)) return {music};
  std::vector<fs::path> out;
  const auto& exts = audio_extensions();
  for (const auto& e : fs::directory_iterator(music, ec)) {
    if (!e.is_regular_file(ec)) continue;
    std::string ext = e.path().extension().string();
    if (!ext.empty()) ext.erase(0, 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(exts.begin(), exts.end(), ext) != exts.end()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  if (out.empty()) {
    throw Error(ErrorCode::InputInvalid, "the music folder " + music.string() + " has no music (" + extension_list(exts) + ")");
  }
  return out;
}

SoundtrackResult make_soundtrack(const SoundtrackRequest& req, const ProgressFn& progress, const CancelToken* cancel) {
  if (req.output.empty()) throw Error(ErrorCode::Usage, "no output file given");
  check_output({req.video, req.music}, req.output, req.force);
  report(progress, Stage::Probe, 0.0);
  const MediaInfo info = probe_media(req.video);
  if (!info.has_video || info.is_still_image) {
    throw Error(ErrorCode::InputInvalid, req.video.string() + " has no moving pictures to put music under");
  }
  if (!req.music.empty()) music_candidates(req.music);  // a missing or empty folder fails before any work
  report(progress, Stage::Analyze, 0.0);
  const CutScan scan = scan_cuts(req.video, cancel);
  MusicBedRequest bed_request;
  bed_request.duration_s = info.duration_s > 0.0 ? info.duration_s : scan.duration_s;
  if (bed_request.duration_s < 2.0) throw Error(ErrorCode::InputInvalid, req.video.string() + " is shorter than 2 s");
  bed_request.cuts = scan.cuts;
  bed_request.motion = picture_motion(scan);
  bed_request.prompt = req.prompt;
  bed_request.music = req.music;
  bed_request.seed = req.seed;
  bed_request.soundfont = req.soundfont;
  const auto frames = static_cast<std::size_t>(std::llround(bed_request.duration_s * kRate));
  // A recording with several tracks: its own sound from the tracks that are neither the mix nor
  // music (that music is what the new music replaces), ducked under the ones that hold speech.
  SoundChoice choice;
  if (req.audio_track > 0) (void)audio_track(info, req.audio_track, req.video);
  if (info.audio_tracks.size() > 1 || req.audio_track > 0) {
    choice = soundtrack_tracks(req.audio_track > 0 ? std::vector<TrackProfile>{} : profile_tracks(req.video, info, cancel),
                               req.audio_track);
  }
  Pcm sound = read_clip_sound(req.video, info.has_audio, choice.keep, frames, cancel);
  const bool apart = !choice.speech.empty() && choice.speech != choice.keep;
  const VoiceActivity voice =
      find_voice(mono_of(apart ? read_clip_sound(req.video, true, choice.speech, frames, cancel) : sound), kRate);
  report(progress, Stage::Analyze, 1.0);

  SoundtrackResult r;
  r.tracks_kept = choice.keep;
  r.tracks_replaced = choice.replaced;
  r.tracks_note = choice.note;
  r.cuts = scan.cuts;
  r.clip_has_sound = info.has_audio;
  r.voiced_s = voice.voiced_s();
  r.speech = voice.intervals();
  report(progress, Stage::Plan, 0.0);
  const MusicBed bed = make_music_bed(bed_request, cancel);
  r.source = bed.source;
  r.track = bed.track;
  r.track_start_s = bed.track_start_s;
  r.mood = bed.mood;
  r.tempo_bpm = bed.tempo_bpm;
  r.seed = bed.seed;
  r.description = bed.description;
  r.reason = bed.reason;
  r.downbeats = bed.downbeats;
  r.ending_s = bed.ending_s;
  for (double c : r.cuts) {
    if (std::any_of(r.downbeats.begin(), r.downbeats.end(), [&](double t) { return std::abs(t - c) <= 0.07; })) ++r.cuts_on_downbeats;
  }
  report(progress, Stage::Render, 0.5);
  // The clip's sound as it is, the music 4 LU under it (so between the words it is clearly heard), ducked under speech.
  const Loudness final = mix_under(sound, bed.pcm, voice, 4.0);
  r.loudness_lufs = final.integrated_lufs;
  r.true_peak_dbtp = final.true_peak_dbtp;
  report(progress, Stage::Finalize, 0.0);

  TempOutput temp(req.output);
  r.video_copied = mp4_can_copy_video(req.video);
  if (r.video_copied) {
    write_copied(req.video, sound, temp.path(), cancel);
  } else {
    write_encoded(req.video, info, scan.fps, sound, temp.path(), cancel);
  }
  temp.commit(req.output);
  r.output = req.output;
  r.duration_s = bed_request.duration_s;
  std::error_code ec;
  r.size_bytes = fs::file_size(req.output, ec);
  report(progress, Stage::Finalize, 1.0);
  return r;
}

nlohmann::json SoundtrackResult::to_json() const {
  nlohmann::json music = {{"source", source}, {"bpm", tempo_bpm}, {"reason", reason}, {"ending_s", ending_s}};
  if (source == "music") {
    music["track"] = track.string();
    music["start_s"] = track_start_s;
  } else {
    music["seed"] = seed;
    music["arrangement"] = description;
  }
  if (!mood.empty()) music["mood"] = mood;
  nlohmann::json speech_json = nlohmann::json::array();
  for (const auto& [a, b] : speech) speech_json.push_back({a, b});
  return {{"path", output.string()},
          {"duration", duration_s},
          {"size", size_bytes},
          {"music", music},
          {"cuts", cuts},
          {"cuts_on_downbeats", cuts_on_downbeats},
          {"downbeats", downbeats},
          {"speech_s", voiced_s},
          {"speech", speech_json},
          {"clip_has_sound", clip_has_sound},
          {"tracks_kept", tracks_kept},
          {"tracks_replaced", tracks_replaced},
          {"loudness_lufs", loudness_lufs},
          {"true_peak_dbtp", true_peak_dbtp},
          {"video", video_copied ? "copied" : "encoded"}};
}

}  // namespace mv
