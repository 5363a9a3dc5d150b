// music.hpp — a royalty-free soundtrack composed for a clip and played with
// FluidSynth: an arrangement (drums, bass, chords, pad, a melodic motif; an
// intro, a body of 4-bar phrases, a cadence and a final chord) at a tempo
// fitted to the clip's cuts, in a mood from the prompt, seeded so the same
// clip and prompt give the same music.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mv {

/// The moods the composer writes in.
enum class Mood { Calm, Upbeat, Epic, Lofi, Dark };

/// Ids as users write them: "calm", "upbeat", "epic", "lofi", "dark".
const char* mood_id(Mood mood);
/// Every mood, calm first.
const std::vector<Mood>& moods();
/// The mood a prompt asks for, from its words in English or Chinese (e.g.
/// "chill", "relaxing", "平静" → calm; "energetic", "happy", "欢快" → upbeat;
/// "cinematic", "epic", "史诗" → epic; "lofi", "study", "低保真" → lofi;
/// "dark", "suspense", "悬疑" → dark); nullopt when it names none. The first
/// mood named wins.
std::optional<Mood> mood_from_prompt(const std::string& prompt);

/// Interleaved float PCM, full scale ±1.
struct Pcm {
  int rate = 48000;   ///< Hz
  int channels = 2;   ///< 1 or 2
  std::vector<float> samples;  ///< frames × channels
  [[nodiscard]] std::size_t frames() const { return samples.size() / static_cast<std::size_t>(channels); }
  [[nodiscard]] double seconds() const { return static_cast<double>(frames()) / rate; }
};

/// One note of the arrangement. Times in seconds from the clip's start (a
/// pickup may start before 0; render_arrangement() cuts it at 0).
struct NoteEvent {
  double time_s = 0.0;
  double length_s = 0.0;
  int channel = 0;   ///< MIDI channel 0..15; 9 is the General MIDI drum kit
  int key = 60;      ///< MIDI note number (60 = middle C; on channel 9 a drum)
  int velocity = 90; ///< 1..127
};

/// A composed piece.
struct Arrangement {
  Mood mood = Mood::Upbeat;
  double tempo_bpm = 120.0;
  int beats_per_bar = 4;
  double duration_s = 0.0;          ///< the clip's length: the music is cut here
  std::vector<double> downbeats;    ///< s, every bar start from the first at or after 0 to ending_s
  double ending_s = 0.0;            ///< the final chord's downbeat, s (≤ duration_s − 1)
  int key_root = 0;                 ///< pitch class of the tonic, 0 = C
  bool minor = false;
  std::vector<std::pair<int, int>> programs;  ///< (channel, General MIDI program 0..127)
  std::vector<NoteEvent> notes;     ///< in time order
  std::vector<double> accents;      ///< s: where a cut got an accent (crash, hit), on the 16th grid
  std::uint32_t seed = 0;
  /// One line: "upbeat, 118.0 BPM, A major, I–V–vi–IV, 14 bars".
  std::string description;
};

/// What the composer is asked for.
struct ComposeRequest {
  double duration_s = 0.0;        ///< the clip's length, s (≥ 2)
  Mood mood = Mood::Upbeat;
  std::vector<double> cuts;       ///< the clip's scene cuts, s: accents, and the tempo's grid
  std::uint32_t seed = 1;         ///< same request + seed → the same arrangement
  std::optional<double> tempo_bpm;  ///< force the tempo instead of fitting it to the cuts
};

/// The mood's tempo range, BPM (the composer writes within it).
std::pair<double, double> mood_tempo_range(Mood mood);

/// The tempo (BPM, within the mood's range: calm 70–90, upbeat 100–128, epic
/// 84–100, lofi 72–88, dark 80–100) and the beat phase (s, 0 ≤ phase < one
/// beat) that put the most cuts on beats (each cut within 60 ms of a beat
/// counts, closer counts more; a tie goes to the tempo nearest the range's
/// centre). Without cuts: the centre, phase 0.
std::pair<double, double> fit_tempo(const std::vector<double>& cuts, Mood mood);

/// Composes the piece: key and progression from the mood and the seed; bars
/// on the fitted grid with the bar phase that puts most cuts on downbeats; an
/// intro (pad and chords) of 1–2 bars, then 4-bar phrases alternating a
/// groove (drums, bass, chords, pad) and the same plus a 2-bar motif that
/// answers itself, a drum fill into every phrase, a cadence bar (V) and the
/// tonic chord with a crash on the last downbeat at least 1 s before the end,
/// held to the end. Each cut gets an accent on the nearest 16th note (a crash
/// on a downbeat, a splash or open hi-hat elsewhere; a timpani in epic).
/// Errors: Error{Usage} for a duration under 2 s.
Arrangement compose(const ComposeRequest& request);

/// The General MIDI soundfont to play with: $MV_SOUNDFONT, else Debian's
/// fluid-soundfont-gm (/usr/share/sounds/sf2/FluidR3_GM.sf2), else
/// /usr/share/sounds/sf2/default-GM.sf2. Empty when none exists.
std::filesystem::path default_soundfont();

/// Plays `arrangement` with FluidSynth (its reverb and chorus on) into stereo
/// PCM at `rate` Hz, exactly arrangement.duration_s long: notes before 0 are
/// played and cut (a 10 ms fade-in at 0), the final chord fades out from
/// 0.4 s after ending_s to the end. Deterministic: the same arrangement gives
/// the same samples. `soundfont` empty: default_soundfont().
/// Errors: Error{Media} "no General MIDI soundfont …" when there is none or it
/// does not load.
Pcm render_arrangement(const Arrangement& arrangement, int rate = 48000, const std::filesystem::path& soundfont = {});

}  // namespace mv
