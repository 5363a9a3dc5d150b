// track-fit.hpp — the user's music for a clip (private to audio/): which
// track fits the clip, and that track cut, looped and ended to the clip's
// length with its downbeats on the clip's cuts.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "mv/analysis/analysis.hpp"
#include "mv/audio/music.hpp"
#include "mv/base/progress.hpp"

namespace mv {

/// What the choice looks at in the clip.
struct ClipPace {
  double duration_s = 0.0;
  std::vector<double> cuts;        ///< s
  std::optional<double> motion;    ///< 0..1 (MusicBedRequest::motion)
  std::optional<Mood> mood;        ///< from the prompt
  std::vector<std::string> words;  ///< the prompt's words (lower case, 3+ letters), found in track names
};

/// A track looked at: its analysis and how well it fits.
struct TrackScore {
  std::filesystem::path path;
  Analysis analysis;
  double score = 0.0;         ///< 0..1
  double length_fit = 0.0, tempo_fit = 0.0, energy_fit = 0.0, name_fit = 0.0;  ///< 0..1 each
  double energy = 0.0;        ///< the track's: onsets per second mapped to 0..1
  std::string reason;         ///< why, in words
};

/// Analyses the candidates (at most 16: those whose length is nearest the
/// clip's, by probe_media) and ranks them: 0.35 length (long enough not to
/// loop), 0.30 tempo (near the pace the cuts ask for — a cut every 1.5 s or
/// faster asks for ~120 BPM, every 4 s or slower ~85 — or the mood's range;
/// half and double count; and the share of cuts a beat grid of that tempo can
/// hold), 0.20 energy (its onset rate against the mood, else the mean of the
/// cuts' pace and the pictures' motion), 0.15 a
/// prompt word in its name or tags. A folder's unreadable tracks are skipped;
/// a single unreadable track is an error. Errors: Error{InputInvalid} naming
/// the track (one file) or "none of the N tracks in … can be read".
std::vector<TrackScore> rank_tracks(const std::vector<std::filesystem::path>& candidates, const ClipPace& clip,
                                    const CancelToken* cancel);

/// The chosen track fitted to the clip.
struct FittedTrack {
  Pcm pcm;                         ///< stereo at the requested rate, exactly the clip's length
  double start_s = 0.0;            ///< where in the track it starts
  std::vector<double> downbeats;   ///< in clip time
  double ending_s = 0.0;           ///< the downbeat it ends on (clip time)
  bool own_ending = false;         ///< it plays to the track's own end
  int loops = 0;                   ///< how many times a section was repeated to fill the clip
  int cuts_on_downbeats = 0;
  std::string how;                 ///< "from 0:32 (a phrase start), 3 of 5 cuts on downbeats, ends on the downbeat at 0:46 with a fade"
};

/// Fits `track` to the clip: starts at a phrase boundary (every 4th downbeat,
/// a section start or the track's start) chosen for the most cuts on
/// downbeats (±70 ms), preferring a start that needs no loop and one that
/// lets the track's own ending close the clip; a clip longer than the rest of
/// the track repeats a section of whole bars (spliced downbeat to downbeat
/// with a 20 ms crossfade); otherwise the music lands on the last downbeat at
/// least 0.3 s before the clip's end and fades out from it. Errors: as AudioReader.
FittedTrack fit_track(const TrackScore& track, const ClipPace& clip, int rate, const CancelToken* cancel);

}  // namespace mv
