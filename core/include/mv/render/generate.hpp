// generate.hpp — the local engine's main job: song in, beat-synced MP4 out.
// decode → analyze → plan (timeline) → render + encode → mux → rename.
#pragma once

#include <cstdint>
#include <functional>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mv/analysis/analysis.hpp"
#include "mv/base/progress.hpp"
#include "mv/media/canvas.hpp"
#include "mv/render/look.hpp"
#include "mv/render/options.hpp"
#include "mv/timeline/timeline.hpp"

namespace mv {

/// What the video looks like and how it is encoded: the option groups
/// (render/options.hpp) as the job gave them, and what generate() adds.
struct VideoSettings {
  /// The frame: its size (Framing::frame_size(); a front end resolves an
  /// unset aspect to the input's shape first, local_request() does), fps, fit.
  Framing framing;
  LookChoice look;     ///< the look: unset names come from the prompt, else the defaults (resolve_look())
  Captions captions;   ///< title, artist, cards, progress bar, lyrics, call to action
  std::string prompt;  ///< free text; keywords pick look, palette, intensity (look.hpp)
  std::vector<std::filesystem::path> clips;  ///< photos and video clips for the montage
  /// A promo's shot changes, s (ascending, inside the video): the montage
  /// changes pictures here instead of on beats, every shot is a section (the
  /// look's transition at each change) and photos zoom toward their most
  /// detailed region. Empty: shots on the beat.
  std::vector<double> shot_cuts;
  /// Set by generate() after probing: the input has moving pictures (not only
  /// a cover picture), and the excerpt start the footage must follow, s.
  bool input_has_video = false;
  double footage_start_s = 0.0;
  std::filesystem::path backdrop;  ///< set by generate(): the look's image, else the input when it carries cover art
  std::string preset = "veryfast";  ///< x264 preset
  int crf = 23;                     ///< x264 quality
  int threads = 0;                  ///< encoder threads, 0 = auto
  std::string encoder = "x264";     ///< Mp4Settings::encoder: x264, nvenc, qsv, vaapi or auto

  /// The frame in pixels (even) and frames a second.
  [[nodiscard]] int width() const { return framing.frame_size().first; }
  [[nodiscard]] int height() const { return framing.frame_size().second; }
  [[nodiscard]] int fps() const { return framing.fps; }
};

/// How much audio before an excerpt the live analysis hears first, s (its
/// tempo locks within about 5 s, its levels' range within 10).
inline constexpr double kLivePrerollS = 10.0;

/// One generation job.
struct GenerateRequest {
  std::filesystem::path input;      ///< song, or a video whose audio track is used
  std::filesystem::path output;     ///< the MP4 to write
  bool force = false;               ///< replace an existing output
  VideoSettings video;
  /// Which part of the input: an excerpt, or the song's best stretch (its
  /// chorus or hook: find_highlights() over the whole song; the audio fades
  /// in over 0.25 s and out over 1 s), moved by highlight_start_s when set.
  Excerpt excerpt;
  /// The tempo options and the audio track; its start_s and duration_s are
  /// not read (the excerpt decides).
  AnalysisOptions analysis;
  /// Draws every frame from the causal analysis, as a live look in OBS does
  /// (LiveLook: each frame from the audio up to its time, beats predicted),
  /// instead of from the whole song's: the file shows what viewers saw.
  /// Audio-reactive looks only; no highlight; the title card but no end card,
  /// progress bar, call to action or lyrics. An excerpt that starts later
  /// than 0 is heard from up to kLivePrerollS before its start (drawn and
  /// written from its start), as a live source had heard it.
  bool live_analysis = false;
  /// Sees a drawn frame every `watch_every_s` seconds of video (the first
  /// frame included), with its time in the video, s: a front end's thumbnail
  /// of a running job. Called on the job's thread; must be quick.
  std::function<void(const Canvas& frame, double video_s)> watch;
  double watch_every_s = 2.0;
};

/// Wall time of each part of a job, seconds, measured on the job's thread.
struct StageTimings {
  double analysis_s = 0.0;   ///< decode + analysis pass
  double plan_s = 0.0;
  double audio_s = 0.0;      ///< decoding audio again for the output
  double draw_s = 0.0;       ///< drawing frames (wall time; the encoder's threads run meanwhile)
  /// CPU time of the rendering thread while drawing (decoding footage of up to
  /// 1080p included: it decodes on that thread) and while analysing, seconds:
  /// our own work, apart from the encoder's threads.
  double draw_cpu_s = 0.0;
  double analysis_cpu_s = 0.0;
  double encode_s = 0.0;     ///< blocking in the encoders
  double mux_s = 0.0;        ///< writing packets and the faststart trailer
  double total_s = 0.0;
  /// Drawing time per compositor layer (background, grade, particles,
  /// visualizer, effects, title), seconds; their sum is about draw_s.
  std::vector<std::pair<std::string, double>> layers_s;
};

/// What a finished job produced.
struct GenerateResult {
  std::filesystem::path output;
  double duration_s = 0.0;          ///< of the video, frames / fps
  double audio_duration_s = 0.0;    ///< of the audio
  std::uintmax_t size_bytes = 0;
  std::int64_t frames = 0;
  double tempo_bpm = 0.0;
  std::string style, palette;
  std::string encoder;       ///< the H.264 encoder used (Mp4Writer::encoder_id)
  std::string encoder_note;  ///< one line when "auto" fell back to libx264
  /// One line each about the input: the audio track taken from a recording
  /// with several, pictures converted from HDR, a recording cut off, no beat.
  std::vector<std::string> notes;
  std::filesystem::path lyrics;  ///< the lyrics file drawn, empty for none
  std::optional<Highlight> highlight;  ///< the excerpt chosen by GenerateRequest::highlight_s
  Timeline timeline;
  StageTimings timings;
};

/// The look after applying explicit settings, then the prompt, then the
/// defaults. Errors: Error{Usage} for unknown names, a montage without clips.
struct ResolvedLook {
  std::string style;     ///< the look's name (Look::name)
  std::string pictures;  ///< "footage" (the input's own video), "montage" (--clips) or "" (audio only)
  std::string palette;
  double intensity = 1.0;
  /// The 3D LUT of the grade (VideoSettings::lut, else the look's), "" for the
  /// look's named grade.
  std::string lut;
  Look look;             ///< the look's data
};
/// The look for an audio input when neither the user nor the prompt chose one.
inline constexpr const char* kDefaultAudioLook = "bars";
/// The look for footage and clips when neither the user nor the prompt chose one.
inline constexpr const char* kDefaultPicturesLook = "cinema";
ResolvedLook resolve_look(const VideoSettings& settings);

/// A title and an artist read from a file name, for files without tags:
/// underscores become spaces, "Artist - Title" (also "–", "—") is split at the
/// first such dash, and a name that is only a date and time with an optional
/// word before it ("2026-11-30 15-20-11", "Replay 2026-11-30_15-20-11", as OBS
/// names recordings and replays) gives neither. Returns {title, artist}.
std::pair<std::string, std::string> title_from_file_name(const std::filesystem::path& file);

/// True for names that a recorder or a camera gives, never a title: a
/// camera's prefix and a number ("IMG_0042", "VID_20231105_142233",
/// "PXL_20240101_120000123", "DJI_0001", "GOPR0042", "MVI_1234", "DSC01234",
/// "DSCF0001", "MOV_0001", "WP_20140101"; case-insensitive; with a copy's
/// "~2" or " (1)"), OBS's default track names ("Track 1"…"Track 6"), or a bare
/// number of eight digits or more ("20231105_142233"; "1999" is a title). Empty text counts too.
bool is_machine_name(const std::string& text);

/// Plans the timeline: Video track (one segment per section for the
/// audio-reactive styles; one shot per cut for montage, cut on beats or
/// downbeats, crossfades at section changes), BGM track (the song, 100 %),
/// Title track (0–4 s) when a title is set. Times in ms.
Timeline plan_timeline(const Analysis& analysis, const VideoSettings& settings, const ResolvedLook& look,
                       const std::filesystem::path& input);

/// A promo from photos and a voice-over (the vendor's product 004, offline):
/// the voice-over's pauses are where the photos change, a music bed (the
/// user's, else composed) is ducked under the voice, a title card and an end
/// card with the call to action.
struct PromoRequest {
  /// input: the voice-over; video.clips: the photos (and clips), in order;
  /// output, look, frame and encoder as for generate(). analysis is unused.
  GenerateRequest video;
  std::filesystem::path music;        ///< the music bed: a track or a folder; empty: composed
  std::optional<std::uint32_t> seed;  ///< the composer's seed
  std::optional<double> duration_s;   ///< the video's length; default: the voice-over's plus kPromoTailS
};

/// Seconds of pictures (and music) after the voice-over ends: the end card's time.
inline constexpr double kPromoTailS = 3.0;
/// The shortest shot of a promo, s.
inline constexpr double kPromoMinShotS = 1.5;

/// What a promo made, besides the video.
struct PromoResult {
  GenerateResult video;
  std::vector<double> cuts;                       ///< where the pictures change, s
  std::vector<std::pair<double, double>> speech;  ///< the voice-over's words, s
  std::size_t photos_used = 0;                    ///< of video.clips (each at most once, in order)
  std::string music;                              ///< why this music bed (MusicBed::reason)
  double loudness_lufs = -70.0, true_peak_dbtp = -100.0;  ///< of the mix, before AAC
  std::string note;                               ///< photos left out, or ""
};

/// Where a promo's `shots` pictures change: in the middle of pauses between
/// `speech` stretches (s, in order; never inside a word), every shot at least
/// `min_shot_s` long, as near as the pauses allow to equal shares of
/// `duration_s` (dynamic programming over the pauses: squared distance from
/// the even split, a longer pause preferred a little — a sentence's end over a
/// breath). Fewer cuts than shots − 1 when the pauses do not allow more.
std::vector<double> promo_cuts(const std::vector<std::pair<double, double>>& speech, double duration_s,
                               std::size_t shots, double min_shot_s = kPromoMinShotS);

/// Makes the promo: the voice-over's speech (voice activity), the cuts
/// (promo_cuts), the music bed fitted to them and mixed under the voice
/// (−14 LUFS, ≤ −1 dBTP), then generate() with the photos as a montage cut
/// there. The title defaults to the voice-over's tags or file name.
/// Errors: as generate(); Error{Usage} without photos; Error{InputInvalid}
/// when the voice-over has no sound, or has no pause to cut at while there
/// are several photos; the music's errors as make_music_bed().
PromoResult generate_promo(const PromoRequest& request, const ProgressFn& progress = {},
                           const CancelToken* cancel = nullptr);

/// The sections of a promo: one per shot between `cuts` (s), each with the
/// energy of the analysis's section at its middle, labelled A, B, C, …
std::vector<Section> sections_at_cuts(const Analysis& analysis, const std::vector<double>& cuts);

/// Runs the whole job. The output is written to a temporary file next to it
/// and renamed only when complete; on any error or cancellation the temporary
/// file is removed and nothing at `output` changes.
/// Errors: Error with InputMissing/InputInvalid/Output/Usage/Media/Cancelled.
GenerateResult generate(const GenerateRequest& request, const ProgressFn& progress = {},
                        const CancelToken* cancel = nullptr);

/// One frame of what generate() would draw at `at_s` seconds into the video
/// (clamped to it), for previews: analyses only the 8 s around it (6 s before,
/// for tempo and beats; the tempo may read differently from the whole song's)
/// and draws the frames just before it (half a second with particles, else
/// three) so that moving layers have their state.
/// `request.output`, when set, is the picture's path: checked as generate()
/// checks its output (an existing file needs `force`) but not written here.
/// Errors: as generate().
Canvas render_preview(const GenerateRequest& request, double at_s, const CancelToken* cancel = nullptr);

}  // namespace mv
