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

/// Frame shape; the pixel sizes are in aspects().
enum class Aspect { Wide, Tall, Square };
/// Frame size class: 1080p (the aspect's size) or 720p (2/3 of it).
enum class Resolution { P720, P1080 };
/// CPU priority of a local render's thread (the plugin's setting): Idle is
/// SCHED_IDLE, Low is nice 10, Normal leaves the thread as it is.
enum class RenderPriority { Idle, Low, Normal };

/// One entry of the aspect list: id as users write it and the 1080p size.
struct AspectInfo {
  Aspect aspect;
  const char* id;     ///< "16:9", "9:16", "1:1"
  int width, height;  ///< pixels at 1080p: 1920x1080, 1080x1920, 1080x1080
};
/// The aspects, 16:9 first (the default).
const std::vector<AspectInfo>& aspects();

/// One entry of the kind list.
struct KindInfo {
  JobKind kind;
  const char* id;      ///< "music_video", "montage", "promo", "background_music", "edit"
  bool offered;        ///< listed in the dock's "Make" choice (Edit comes from the chat box)
  bool local;          ///< the local engine makes it (the others need Backend::Cloud)
};
/// The kinds, music video first (the default).
const std::vector<KindInfo>& job_kinds();

/// Stable ids: "local"/"cloud"; a kind's id; "16:9"…; "720p"/"1080p"; "idle"/"low"/"normal".
const char* backend_id(Backend backend);
const char* kind_id(JobKind kind);
const char* aspect_id(Aspect aspect);
const char* resolution_id(Resolution resolution);
const char* priority_id(RenderPriority priority);
/// The value of an id; nullopt when unknown.
std::optional<Backend> backend_from_id(const std::string& id);
std::optional<JobKind> kind_from_id(const std::string& id);
std::optional<Aspect> aspect_from_id(const std::string& id);
std::optional<Resolution> resolution_from_id(const std::string& id);
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

/// A job. Times in seconds, sizes in pixels.
struct JobSpec {
  Backend backend = Backend::Local;
  JobKind kind = JobKind::MusicVideo;
  /// The song (or video whose sound is used, or voice-over) first, then the
  /// clips and photos of a montage. Empty only for Edit and resumed cloud jobs.
  std::vector<std::filesystem::path> inputs;

  // The look.
  std::optional<std::string> style;    ///< the look: render/look.hpp style_names(); unset: prompt, else the default
  std::optional<std::string> palette;  ///< palette_names(); unset: prompt, else the default
  std::optional<double> intensity;     ///< 0.3..2; unset: prompt, else 1
  std::string prompt;                  ///< free text (prompt words; the cloud's instruction)
  std::string title;                   ///< drawn over the first seconds; empty: the tags, else the file name
  std::string artist;                  ///< under the title; empty: the tags, else the file name
  bool title_card = true;              ///< false: no title, no end card
  bool end_card = false;               ///< title and artist over the darkened last 3 s
  bool progress_bar = false;           ///< a thin bar that fills with the song
  std::string lut;                     ///< a 3D LUT (bundled name or file) for the grade; empty: the look's
  std::optional<bool> footage;         ///< a video input's own pictures: unset = yes, false = visualizer only
  std::filesystem::path image;         ///< artwork/logo/photo behind the visualizer; empty: the song's cover art
  /// Synced lyrics (.lrc/.srt/.ass); empty: a file next to the song with its name; "none": none.
  std::filesystem::path lyrics;
  /// Footage of another aspect: "follow" (default), "blur" or "letterbox" (VideoSettings::fit).
  std::string fit = "follow";

  // Background music (and a promo's music bed).
  /// The user's music: a track or a folder of tracks; empty: the music is composed.
  std::filesystem::path music;
  /// The composer's seed (0..4294967295); unset: from the clip and the prompt.
  std::optional<std::uint32_t> seed;
  /// A promo's call to action, the end card's line ("Shop now — link in bio").
  std::string cta;

  // The excerpt and the analysis.
  std::optional<double> start_s, duration_s;       ///< excerpt of the input, s
  /// The song's best excerpt of about this many seconds (15..60; find_highlights()),
  /// instead of start_s/duration_s.
  std::optional<double> highlight_s;
  /// With highlight_s: where the user moved the highlight (s, snapped to the nearest bar start).
  std::optional<double> highlight_start_s;
  std::optional<double> bpm;                       ///< force the tempo, BPM (20..400)
  std::optional<std::pair<double, double>> tempo_range;  ///< tempo search range, BPM
  /// The input's audio track (1-based, as `mvgen analyze` lists them); unset:
  /// the track that holds the music (a music video), or the recording's own
  /// sound apart from its mix and music (background music) — track-profile.hpp.
  std::optional<int> audio_track;

  // The frame.
  /// The frame's shape; unset: the input's own (aspect_for_input()): 9:16 for
  /// a vertical video or photo, 1:1 for a square one, else 16:9.
  std::optional<Aspect> aspect;
  Resolution resolution = Resolution::P1080;
  std::optional<std::pair<int, int>> size;  ///< any even size 16..7680; overrides aspect/resolution
  int fps = 30;                             ///< 24, 30 or 60

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

  /// The frame size in pixels: `size`, else the aspect's size (×2/3 at 720p);
  /// an unset aspect counts as 16:9 here (local_request() resolves it first).
  [[nodiscard]] std::pair<int, int> frame_size() const;
  /// The file to write: `output`, else unique_output_path(output_dir or the
  /// first input's folder, "<first input's stem> music video", "… with
  /// music" for background music, "… promo" for a promo) — "edit music
  /// video" without inputs. Looks at the disk (free names).
  [[nodiscard]] std::filesystem::path resolved_output() const;
  /// Checks the values that do not need the disk: an input for every kind but
  /// Edit (or a resumed job), a session and a message for Edit, ranges of
  /// start/duration/bpm/tempo_range/intensity/fps/size/crf/threads.
  /// Errors: Error{Usage} naming the field (as `to_json` names it).
  void validate() const;

  /// The JSON form (obs-websocket requestData, the plugin's job file): keys
  /// "input" ([{"path": …}], obs_data keeps arrays of objects only), "backend",
  /// "kind", "look" (read also as "style", its older name), "palette", "intensity", "prompt", "title", "artist", "title_card", "end_card",
  /// "progress_bar", "lut", "footage", "image", "lyrics", "fit", "music", "seed", "cta", "start", "highlight" (seconds; true = 30),
  /// "highlight_start" (seconds),
  /// "duration", "bpm", "tempo_range" ("MIN-MAX"), "audio_track" (1-based), "aspect" (absent or "auto": the input's), "resolution",
  /// "size" ("WxH"), "fps", "preset", "crf", "threads", "encoder", "priority", "output",
  /// "output_dir", "force", "session_id", "user_id", "resume_cloud_job".
  /// Unset optionals and empty strings are left out.
  [[nodiscard]] nlohmann::json to_json() const;
  /// Reads the JSON form; every key is optional ("input" may also be one path
  /// or a list of paths; without "kind", kind_for_prompt(…, music video)). Errors: Error{Usage} naming the field and what it
  /// must be, e.g. "\"aspect\" must be 16:9, 9:16 or 1:1 (got \"4:3\")".
  /// Does not call validate().
  static JobSpec from_json(const nlohmann::json& j);
};

/// The aspect of a frame that fits a picture shown `width` × `height` pixels
/// (after its display rotation): 9:16 when it is taller than wide by more
/// than 5 %, 1:1 within 5 %, else 16:9; 16:9 for no picture (0 × 0).
Aspect aspect_for_shape(int width, int height);

/// Parses "WxH" (e.g. "320x180"): even numbers from 16 to 7680.
/// Errors: Error{Usage} naming `field`.
std::pair<int, int> parse_frame_size(const std::string& text, const std::string& field);
/// Parses "MIN-MAX" BPM (e.g. "80-160"): within 20..400, MAX ≥ 1.5 × MIN.
/// Errors: Error{Usage} naming `field`.
std::pair<double, double> parse_tempo_range(const std::string& text, const std::string& field);

}  // namespace mv
