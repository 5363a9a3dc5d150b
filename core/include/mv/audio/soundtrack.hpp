// soundtrack.hpp — background music for a clip (`mvgen soundtrack`, the
// dock's "Background music for a clip" on Local, obs-websocket kind
// background_music): the user's own music chosen and fitted, or music
// composed for the clip; the clip's own sound kept with the music ducked
// under speech; −14 LUFS / −1 dBTP; the video stream copied untouched (re-encoded
// only when MP4 cannot hold its codec).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mv/audio/music.hpp"
#include "mv/base/progress.hpp"

namespace mv {

/// What a music bed is made for: pictures of `duration_s` with shot changes at `cuts`.
struct MusicBedRequest {
  double duration_s = 0.0;        ///< s (≥ 2)
  std::vector<double> cuts;       ///< s: where the pictures change (downbeats go there, accents on them)
  /// How much the pictures move, 0 (still) … 1 (busy: the median frame changes
  /// by 6 code values or more at 64×36); unset for photos.
  std::optional<double> motion;
  std::string prompt;             ///< mood words and words to find in track names
  /// The user's music (a track or a folder of tracks); empty: composed.
  std::filesystem::path music;
  std::optional<std::uint32_t> seed;  ///< the composer's; unset: from the length, the cuts and the prompt
  std::filesystem::path soundfont;    ///< empty: default_soundfont()
};

/// A music bed, exactly duration_s long, stereo 48 kHz.
struct MusicBed {
  Pcm pcm;
  std::string source;             ///< "generated" or "music"
  std::filesystem::path track;    ///< the user's track (source "music")
  double track_start_s = 0.0;     ///< where in it the bed starts, s
  std::string mood;               ///< the composer's mood, or the one the prompt named
  double tempo_bpm = 0.0;
  std::uint32_t seed = 0;         ///< (generated)
  std::string description;        ///< the arrangement's line (generated)
  std::string reason;             ///< why this music, for the user
  std::vector<double> downbeats;  ///< s
  double ending_s = 0.0;          ///< the downbeat it ends on, s
};

/// The user's best-fitting track fitted to the pictures (music set), else
/// music composed for them: mood from the prompt, else from the pictures'
/// pace (12 or more cuts a minute or motion ≥ 0.7: upbeat; fewer than 3 cuts a
/// minute and motion under 0.3: calm; else lofi). Errors: Error{Usage} under 2 s; as make_soundtrack's for the music.
MusicBed make_music_bed(const MusicBedRequest& request, const CancelToken* cancel = nullptr);

/// What to make.
struct SoundtrackRequest {
  std::filesystem::path video;   ///< the clip
  std::filesystem::path output;  ///< the MP4 to write
  bool force = false;            ///< replace an existing output
  /// The user's music: an audio file, or a folder whose audio files (not its
  /// subfolders) are the candidates. Empty: compose the music.
  std::filesystem::path music;
  std::string prompt;            ///< mood words (mood_from_prompt) and words to find in track names
  std::optional<std::uint32_t> seed;  ///< the composer's seed; unset: from the clip and the prompt
  std::filesystem::path soundfont;    ///< empty: default_soundfont()
  /// The clip's audio track that is its own sound (1-based); 0: chosen by
  /// soundtrack_tracks() — with several tracks, every one that is neither the
  /// mix nor music-only, ducked under those that hold speech.
  int audio_track = 0;
};

/// What was made and why.
struct SoundtrackResult {
  std::filesystem::path output;
  double duration_s = 0.0;
  std::uintmax_t size_bytes = 0;
  std::string source;             ///< "generated" or "music" (the user's track)
  std::filesystem::path track;    ///< the user's track chosen (source "music")
  double track_start_s = 0.0;     ///< where in it the soundtrack starts, s
  std::string mood;               ///< mood id (generated), or the one the prompt named
  double tempo_bpm = 0.0;
  std::uint32_t seed = 0;         ///< (generated)
  std::string description;        ///< the arrangement's line (generated)
  std::string reason;             ///< why this music: one or two sentences for the user
  std::vector<double> cuts;       ///< the clip's scene cuts, s
  int cuts_on_downbeats = 0;      ///< cuts within 70 ms of the music's downbeats
  std::vector<double> downbeats;  ///< the music's downbeats in clip time, s
  double ending_s = 0.0;          ///< the downbeat the music ends on, s
  double voiced_s = 0.0;          ///< seconds of speech found in the clip's sound
  std::vector<std::pair<double, double>> speech;  ///< the voiced stretches, s
  bool clip_has_sound = false;
  /// The clip's tracks kept as its sound, and the music-only tracks the new
  /// music replaced (numbers, 1-based; empty for a clip with one track).
  std::vector<int> tracks_kept, tracks_replaced;
  std::string tracks_note;        ///< which tracks were kept, ducked under and replaced; "" with one track
  double loudness_lufs = -70.0, true_peak_dbtp = -100.0;  ///< of the final mix
  /// The video stream copied packet for packet; false when MP4 cannot hold its
  /// codec (VP8, Theora) and its pictures were re-encoded with x264 (CRF 18).
  bool video_copied = true;
  /// {"path", "duration", "size", "music": {…}, "cuts", "cuts_on_downbeats",
  /// "speech_s", "loudness_lufs", "true_peak_dbtp", "video": "copied"}.
  [[nodiscard]] nlohmann::json to_json() const;
};

/// The user's tracks `music` names: the file, or a folder's audio files
/// (audio_extensions(), sorted by name). Errors: Error{InputMissing} when the
/// path does not exist; Error{InputInvalid} "… has no music (mp3, wav, …)"
/// for a folder without audio files.
std::vector<std::filesystem::path> music_candidates(const std::filesystem::path& music);

/// Makes the soundtrack (steps: Probe, Analyze — the clip's cuts and speech —,
/// Plan — the music chosen or composed —, Render, Finalize — mix and mux). The
/// output appears only when complete (a temporary file renamed).
/// Errors: Error{Usage} for a missing output; Error{Output} as check_output;
/// Error{InputMissing|InputInvalid} for a missing or unreadable clip, a clip
/// without pictures, an empty music folder or a track that does not decode
/// (naming it); Error{Media} when no soundfont exists or an encoder fails;
/// Error{Cancelled}.
SoundtrackResult make_soundtrack(const SoundtrackRequest& request, const ProgressFn& progress = {},
                                 const CancelToken* cancel = nullptr);

}  // namespace mv
