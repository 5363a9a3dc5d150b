// look-preview.hpp — the dock's previews: one frame of what the chosen input and
// look would make, rendered by the local engine (mv::render_preview), and the
// stretch of the song a Short would take; both on the job manager's helper
// thread, never on the UI thread. No Qt here (tested without OBS).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mv/base/progress.hpp"
#include "mv/jobs/job-spec.hpp"

namespace mvplugin {

/// A preview frame as packed 8-bit R'G'B', or why there is none.
struct PreviewPicture {
  int width = 0, height = 0;        ///< pixels
  std::vector<std::uint8_t> rgb;    ///< width × height × 3 bytes; empty on error
  double at_s = 0.0;                ///< where in the input the frame is, s
  std::string error;                ///< a plain message when `rgb` is empty
};

/// Where in its input (s from the excerpt's start) a still of `spec` is drawn:
/// 40 % in (at most 60 s in, where the song has usually arrived), moved to the
/// nearest moment with sound when that one is quiet (mv::audible_moment(): a
/// recording that cut to an empty scene, a quiet intro), so that a look's tile
/// shows the look moving; for an input with video, one whose picture is not
/// blank (there the same from 70 %, then 20 % in; else the first). ~0.1 s per
/// minute of the input's first 2 minutes after the excerpt's start, for each
/// moment tried. None when the input cannot be read or has no
/// length yet (a file still being written): there is no moment to draw, and
/// render_look_preview() says why. Errors: Error{Cancelled} only.
std::optional<double> look_preview_moment(const mv::JobSpec& spec, const mv::CancelToken* cancel);

/// The frame `spec` would show at `at_s` (s into its excerpt; none:
/// look_preview_moment(), else 0), at `width` pixels wide and the spec's aspect, drawn
/// by the local engine whatever the spec's backend. Takes ~0.2–0.8 s (it
/// analyses the 8 s around the frame). Never throws: errors (no input, a file
/// that is not media, cancelled) come back in `error`.
PreviewPicture render_look_preview(const mv::JobSpec& spec, int width, const mv::CancelToken* cancel,
                                   std::optional<double> at_s = std::nullopt);

/// What identifies the content of the file at `path` for a cache of pictures drawn
/// from it: its size (bytes) and modification time (ns since the file clock's epoch),
/// as "size:mtime". A file rewritten or replaced under the same name (a song
/// exported again, a recording still being written) gets another; an empty string
/// when the file cannot be read (missing). Reads the file's metadata only (one stat),
/// so it belongs on a helper thread. Never throws.
std::string file_identity(const std::filesystem::path& path);

/// The song the looks' thumbnails play before the user has any input (no
/// recording yet): a 12 s upbeat piece the composer writes (mv::compose(),
/// seed 7) and FluidSynth plays, saved once as `dir`/look-demo.wav (written to
/// a temporary name and renamed) and reused after. ~1 s the first time.
/// Returns its path, or an empty path when there is no soundfont or `dir`
/// cannot be written (the thumbnails then stay plain). Never throws.
std::filesystem::path demo_song(const std::filesystem::path& dir);

/// The stretch of the song a Short of the spec's input would take, before it
/// is rendered: the dock shows it and lets the user move it.
struct ShortRange {
  double start_s = 0.0, end_s = 0.0;  ///< the highlight (find_highlights()), s, on bar starts
  double song_s = 0.0;                ///< the whole input's length, s
  int repeats = 0;                    ///< how many more times its music comes back
  std::string error;                  ///< a plain message when none was found (then the times are 0)
};

/// Analyses the spec's first input whole (its audio: a recording's sound) and
/// finds its best `length_s` seconds, as a Short job will. Runs for about
/// 1 s per 3-minute song (the analysis); stops early, with error "cancelled",
/// when `cancel` is requested or `superseded()` turns true (a newer input was
/// chosen). Never throws.
ShortRange find_short_range(const mv::JobSpec& spec, double length_s, const std::function<bool()>& superseded,
                            const mv::CancelToken* cancel);

/// What the dock shows of its input before anything is made: a picture and a length.
struct InputSummary {
  PreviewPicture picture;   ///< a video's frame 30 % in (70 % when that one is blank), else the cover art,
                            ///< else the default look's frame (a song, or a recording with only black frames)
  double duration_s = 0.0;  ///< 0 when unknown
  bool has_video = false;   ///< moving pictures (not only a cover picture)
  std::string error;        ///< a plain message when the file cannot be read
};
/// The summary of `input` at `width` pixels wide (16:9 for audio, the video's
/// own shape else). ~0.1–0.5 s, on the helper thread. Never throws.
InputSummary summarize_input(const std::filesystem::path& input, int width, const mv::CancelToken* cancel);

/// One audio track of a recording, as the dock lists it.
struct TrackChoice {
  int number = 0;     ///< 1-based (mv::AudioTrack::number): what JobSpec::audio_track takes
  std::string label;  ///< its OBS name and what it holds: "2 · Mic (speech)", "1 · Track 1 (mix: both)"
  bool music = false; ///< the track a music video takes by default (mv::music_track())
};
/// The tracks of a recording with several (mv::profile_tracks(): ~1 s per
/// track of up to 2 minutes read); empty for a file with one track or none, or
/// one that cannot be read. On the helper thread. Never throws.
std::vector<TrackChoice> audio_track_choices(const std::filesystem::path& input, const mv::CancelToken* cancel);

}  // namespace mvplugin
