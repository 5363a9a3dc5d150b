// track-profile.hpp — what each audio track of a recording holds. OBS records
// up to six tracks (the stream's mix, and tracks the user routes a microphone,
// a game, music to); the local engine takes the music from the track that
// holds it and ducks a soundtrack under the one that holds the speech.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mv/base/progress.hpp"
#include "mv/media/media.hpp"

namespace mv {

/// What a track mostly holds.
enum class TrackContent {
  Silent,  ///< nothing above −50 dBFS for more than 5 % of it
  Speech,  ///< a voice, no music
  Music,   ///< music, no speaking voice
  Both,    ///< speech and music (a stream's mix, a song with talking over it)
  Other,   ///< sound that is neither (game effects, noise, ambience)
};
/// "silent", "speech", "music", "both", "other".
const char* track_content_id(TrackContent content);

/// One audio track measured (profile_tracks()).
struct TrackProfile {
  AudioTrack track;
  TrackContent content = TrackContent::Silent;
  /// Share of the track's sounding time (10 ms steps above −50 dBFS) that a
  /// voice is heard in (find_voice(): speech-band level over the track's own
  /// noise floor, moving by syllables), 0..1.
  double speech = 0.0;
  /// How much the track sounds like music, 0..1: its pulse clarity — the
  /// median over 6 s windows of the highest normalised autocorrelation of
  /// the onset envelope at beat periods of 0.3–1 s (60–200 BPM), after
  /// Lartillot, Eerola, Toiviainen & Fornari, "Multi-feature modeling of pulse
  /// clarity" (ISMIR 2008) — raised when the track holds steady pitches
  /// (its chroma peaks on a few pitch classes and keeps them for 0.5 s).
  double music = 0.0;
  /// Share of 10 ms steps above −50 dBFS, 0..1.
  double sounding = 0.0;
  /// The track is (about) the sum of two or more other tracks: OBS's mix
  /// track. Its 100 ms energy envelope follows the others' summed energy
  /// (correlation ≥ 0.9).
  bool mix = false;
  /// {"number", "name", "channels", "duration_s", "content", "speech",
  /// "music", "mix"}.
  [[nodiscard]] nlohmann::json to_json() const;
};

/// Measures every audio track of `path` (whose probe is `info`): at most 120 s
/// of each (eight 15 s windows spread over longer recordings), as mono
/// 22050 Hz. Thresholds: speech when ≥ 25 % of the sounding time is voiced,
/// music when the measure is ≥ 0.35 (both: both). Empty when the file has no
/// audio. Errors: AudioReader's; Error{Cancelled}.
std::vector<TrackProfile> profile_tracks(const std::filesystem::path& path, const MediaInfo& info,
                                         const CancelToken* cancel = nullptr);

/// The track a music video takes its sound from: with one track, that one;
/// else a music-only track (the highest music measure, not a mix), else the
/// mix, else FFmpeg's best track (`info.best_audio_track`). 0 for no audio.
int music_track(const std::vector<TrackProfile>& tracks, const MediaInfo& info);

/// music_track() for a file: probes it, and profiles its tracks when it has
/// more than one. 0 when it has one track or none (FFmpeg's best is then
/// the track). Errors: probe_media()'s, AudioReader's, Error{Cancelled}.
int music_track_of(const std::filesystem::path& path, const CancelToken* cancel = nullptr);

/// What a soundtrack keeps of a recording's own sound and ducks under.
struct SoundChoice {
  std::vector<int> keep;    ///< the tracks mixed as the clip's own sound (numbers)
  std::vector<int> speech;  ///< the tracks whose voice the music ducks under
  std::vector<int> replaced;  ///< music-only tracks left out: the new music replaces them
  std::string note;         ///< one line for the user, e.g. "speech from track 2 \"Mic\"; …"
};
/// For a soundtrack: when separate tracks exist, the clip's sound is every
/// track that is neither a mix nor music-only (a music-only track is music to
/// replace, never to mix over), ducked under the speech tracks; a recording
/// whose only sound is its mix keeps the mix. `forced` (≥ 1): that track alone,
/// as the user chose it.
SoundChoice soundtrack_tracks(const std::vector<TrackProfile>& tracks, int forced = 0);

}  // namespace mv
