// generate.hpp — the local engine's main job: song in, beat-synced MP4 out.
// decode → analyze → plan (timeline) → render + encode → mux → rename.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mv/analysis/analysis.hpp"
#include "mv/base/progress.hpp"
#include "mv/timeline/timeline.hpp"

namespace mv {

/// What the video looks like and how it is encoded.
struct VideoSettings {
  int width = 1920, height = 1080;  ///< pixels, even
  int fps = 30;                     ///< 24, 30 or 60
  std::optional<std::string> style;    ///< style_names(); unset: montage with clips, else footage for a video
                                       ///< input (unless `footage` is false), else the prompt's, else bars
  std::optional<std::string> palette;  ///< see palette_names(); unset: prompt, else "neon"
  std::optional<double> intensity;     ///< 0.3..2; unset: prompt, else 1.0
  std::string prompt;               ///< free text; keywords pick style/palette/intensity (look.hpp)
  std::string title;                ///< drawn over the first seconds; empty = none
  std::vector<std::filesystem::path> clips;  ///< photos and video clips for the montage
  /// A video input's own pictures as the video: unset = yes for a video input
  /// (a recording, a replay, a clip), false = the audio-reactive styles only.
  std::optional<bool> footage;
  /// A picture (artwork, logo, photo) behind the audio-reactive styles, blurred
  /// and darkened; empty: the song's embedded cover art when it has one.
  std::filesystem::path image;
  /// Set by generate() after probing: the input has moving pictures (not only
  /// a cover picture), and the excerpt start the footage must follow, s.
  bool input_has_video = false;
  double footage_start_s = 0.0;
  std::filesystem::path backdrop;  ///< set by generate(): `image`, else the input when it carries cover art
  std::string preset = "veryfast";  ///< x264 preset
  int crf = 23;                     ///< x264 quality
  int threads = 0;                  ///< encoder threads, 0 = auto
};

/// One generation job.
struct GenerateRequest {
  std::filesystem::path input;      ///< song, or a video whose audio track is used
  std::filesystem::path output;     ///< the MP4 to write
  bool force = false;               ///< replace an existing output
  VideoSettings video;
  AnalysisOptions analysis;         ///< includes the --start/--duration excerpt
};

/// Wall time of each part of a job, seconds, measured on the job's thread.
struct StageTimings {
  double analysis_s = 0.0;   ///< decode + analysis pass
  double plan_s = 0.0;
  double audio_s = 0.0;      ///< decoding audio again for the output
  double draw_s = 0.0;       ///< drawing frames
  double encode_s = 0.0;     ///< blocking in the encoders
  double mux_s = 0.0;        ///< writing packets and the faststart trailer
  double total_s = 0.0;
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
  Timeline timeline;
  StageTimings timings;
};

/// Style, palette and intensity after applying explicit settings, then the
/// prompt, then the defaults. Errors: Error{Usage} for unknown names.
struct ResolvedLook {
  std::string style, palette;
  double intensity = 1.0;
};
ResolvedLook resolve_look(const VideoSettings& settings);

/// Plans the timeline: Video track (one segment per section for the
/// audio-reactive styles; one shot per cut for montage, cut on beats or
/// downbeats, crossfades at section changes), BGM track (the song, 100 %),
/// Title track (0–4 s) when a title is set. Times in ms.
Timeline plan_timeline(const Analysis& analysis, const VideoSettings& settings, const ResolvedLook& look,
                       const std::filesystem::path& input);

/// Runs the whole job. The output is written to a temporary file next to it
/// and renamed only when complete; on any error or cancellation the temporary
/// file is removed and nothing at `output` changes.
/// Errors: Error with InputMissing/InputInvalid/Output/Usage/Media/Cancelled.
GenerateResult generate(const GenerateRequest& request, const ProgressFn& progress = {},
                        const CancelToken* cancel = nullptr);

}  // namespace mv
