// job-spec.hpp — the one description of a job, shared by every front end:
// mvgen generate (single, --batch, --backend cloud), the dock, the hotkey,
// generation when a recording stops and every obs-websocket request build a
// JobSpec and run it through mv::JobRunner (jobs/backend.hpp). Also the lists
// the front ends offer (kinds, aspects with their sizes, backends,
// priorities), so no front end repeats them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "mv/render/options.hpp"

namespace mv {

/// Which engine makes the video.
enum class Backend {
  Local,  ///< the local engine (render/generate.hpp): offline, the default
  Cloud,  ///< the vendor's cloud (cloud/flow.hpp)
};

/// What to make.
enum class JobKind {
  MusicVideo,       ///< a video for a song (or a recording's sound)
  Montage,          ///< clips/photos cut on the song's beats
  Promo,            ///< photos + a voice-over: cuts at its pauses, a music bed (render/generate.hpp generate_promo)
  BackgroundMusic,  ///< music for a clip: the user's, or composed (audio/soundtrack.hpp)
  Edit,             ///< a chat message that edits an existing cloud session's timeline, rendered again
};

/// CPU priority of a local render's thread (the plugin's setting): Idle is
/// SCHED_IDLE, Low is nice 10, Normal leaves the thread as it is.
enum class RenderPriority { Idle, Low, Normal };


/// One entry of the kind list.
struct KindInfo {
  JobKind kind;
  const char* id;      ///< "music_video", "montage", "promo", "background_music", "edit"
  bool offered;        ///< listed in the dock's "Make" choice (Edit comes from the chat box)
  bool local;          ///< the local engine makes it (the others need Backend::Cloud)
};
/// The kinds, music video first (the default).
const std::vector<KindInfo>& job_kinds();

/// Stable ids: "local"/"cloud"; a kind's id; "idle"/"low"/"normal" (the
/// aspects' and resolutions' are in render/options.hpp).
const char* backend_id(Backend backend);
const char* kind_id(JobKind kind);
const char* priority_id(RenderPriority priority);
/// The value of an id; nullopt when unknown.
std::optional<Backend> backend_from_id(const std::string& id);
std::optional<JobKind> kind_from_id(const std::string& id);
std::optional<RenderPriority> priority_from_id(const std::string& id);
/// True when the local engine makes `kind`.
bool local_kind(JobKind kind);
/// The kind a prompt asks for, in English or Chinese, as the cloud reads it:
/// "promo", "advert", "commercial", "宣传片", "广告" → promo; "background music",
/// "soundtrack", "bgm", "配乐", "背景音乐" → background music; "montage",
/// "highlight reel", "混剪", "集锦" → montage; "music video", "音乐视频" → music
/// video. Case-insensitive; the first named wins; nullopt when none is. Front
/// ends use it when the user did not choose a kind (mvgen without --kind, a
/// websocket request without "kind", the dock when the prompt is edited).
std::optional<JobKind> kind_from_prompt(const std::string& prompt);
struct JobSpec;
/// kind_from_prompt(spec.prompt) when the spec's inputs allow that kind (a
/// montage or a promo: clips or photos after the first input; background
/// music: one video file), else `fallback`.
JobKind kind_for_prompt(const JobSpec& spec, JobKind fallback);

/// A job. Times in seconds, sizes in pixels. Its option groups are the value
/// types of render/options.hpp, embedded as they are.
struct JobSpec {
  Backend backend = Backend::Local;
  JobKind kind = JobKind::MusicVideo;
  /// The song (or video whose sound is used, or voice-over) first, then the
  /// clips and photos of a montage. Empty only for Edit and resumed cloud jobs.
  std::vector<std::filesystem::path> inputs;

  LookChoice look;      ///< look, palette, intensity, LUT, footage, picture
  Captions captions;    ///< title, artist, cards, progress bar, lyrics, call to action
  Excerpt excerpt;      ///< start, duration, highlight
  Framing framing;      ///< aspect, resolution, size, fps, fit
  std::string prompt;   ///< free text (prompt words; the cloud's instruction)

  // Background music (and a promo's music bed).
  /// The user's music: a track or a folder of tracks; empty: the music is composed.
  std::filesystem::path music;
  /// The composer's seed (0..4294967295); unset: from the clip and the prompt.
  std::optional<std::uint32_t> seed;

  // The analysis.
  std::optional<double> bpm;                       ///< force the tempo, BPM (20..400)
  std::optional<std::pair<double, double>> tempo_range;  ///< tempo search range, BPM
  /// The input's audio track (1-based, as `mvgen analyze` lists them); unset:
  /// the track that holds the music (a music video), or the recording's own
  /// sound apart from its mix and music (background music) — track-profile.hpp.
  std::optional<int> audio_track;
  /// "analysis": "live" draws every frame from the causal analysis, as the
  /// live look source in OBS does (GenerateRequest::live_analysis); "song"
  /// (the default) from the whole song's.
  bool live_analysis = false;

  // Encoding and scheduling (local).
  std::string preset = "veryfast";  ///< x264 preset
  int crf = 23;                     ///< x264 quality
  int threads = 0;                  ///< encoder threads, 0 = all cores
  /// H.264 encoder: "x264" (default), "nvenc", "qsv", "vaapi", or "auto" (the
  /// hardware ones first, then libx264 with a note).
  std::string encoder = "x264";
  RenderPriority priority = RenderPriority::Normal;

  // The output.
  std::filesystem::path output;      ///< the file to write; empty: a free name in output_dir
  std::filesystem::path output_dir;  ///< with no `output`: where "<input stem> music video.mp4" goes
                                     ///< (empty: next to the first input)
  bool force = false;                ///< replace an existing `output`

  // Cloud.
  std::string session_id, user_id;  ///< Edit: the session (and its user) to continue
  std::string resume_cloud_job;     ///< finish this unfinished cloud job (job file id) instead

  /// The file to write: `output`, else unique_output_path(output_dir or the
  /// first input's folder, "<first input's stem> music video", "… with
  /// music" for background music, "… promo" for a promo, "… short" for a
  /// music video of a highlight) — "edit music
  /// video" without inputs. Looks at the disk (free names).
  [[nodiscard]] std::filesystem::path resolved_output() const;
  /// Checks the values that do not need the disk: an input for every kind but
  /// Edit (or a resumed job), a session and a message for Edit, each option
  /// group's validate(), bpm, tempo_range, audio_track, crf, threads, encoder.
  /// Errors: Error{Usage} naming the field (as `to_json` names it).
  void validate() const;

  /// The JSON form (obs-websocket requestData, the plugin's job file): keys
  /// "input" ([{"path": …}], obs_data keeps arrays of objects only), "backend",
  /// "kind", the option groups' keys (LookChoice, Captions, Excerpt, Framing),
  /// "prompt", "music", "seed", "bpm", "tempo_range" ("MIN-MAX"), "audio_track"
  /// (1-based), "preset", "crf", "threads", "encoder", "priority", "output",
  /// "output_dir", "force", "session_id", "user_id", "resume_cloud_job".
  /// Unset optionals and empty strings are left out.
  [[nodiscard]] nlohmann::json to_json() const;
  /// Reads the JSON form; every key is optional ("input" may also be one path
  /// or a list of paths; without "kind", kind_for_prompt(…, music video)). Errors: Error{Usage} naming the field and what it
  /// must be, e.g. "\"aspect\" must be auto, 16:9, 9:16 or 1:1 (got \"4:3\")".
  /// Does not call validate().
  static JobSpec from_json(const nlohmann::json& j);
};

/// A Short (YouTube Shorts, Reels, TikTok) of `spec`: 9:16 unless an aspect
/// was chosen, the song's best 30 s unless a highlight length was, the crop
/// following the subject. The one definition: mvgen --short and the dock's
/// Short use it.
void short_preset(JobSpec& spec);

/// Parses "MIN-MAX" BPM (e.g. "80-160"): within 20..400, MAX ≥ 1.5 × MIN.
/// Errors: Error{Usage} naming `field`.
std::pair<double, double> parse_tempo_range(const std::string& text, const std::string& field);

}  // namespace mv
