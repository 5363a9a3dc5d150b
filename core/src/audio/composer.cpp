// composer.cpp — the arrangement of a generated soundtrack (see music.hpp).
//
// The writing follows what library-music and pop arrangers do by hand: one
// diatonic four-chord loop per mood (I–V–vi–IV, i–VI–III–VII, ii7–V7–Imaj7–vi7,
// …), 4-bar phrases that alternate a groove and the groove plus a hook, a
// drum fill into every new phrase with a crash on its downbeat, a dominant
// bar before the end and the tonic on the last downbeat. What is ours: the
// grid is fitted to the clip (its cuts fall on beats and downbeats) and the
// cuts get accents.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <random>

#include "grid.hpp"
#include "mv/audio/music.hpp"
#include "mv/base/error.hpp"
#include "mv/base/keywords.hpp"

namespace mv {

namespace {

// The band's channels (General MIDI: channel 9 is the drum kit).
constexpr int kChords = 0, kPad = 1, kBass = 2, kLead = 3, kTimpani = 4, kDrums = 9;
// General MIDI drum keys.
constexpr int kKick = 36, kSideStick = 37, kSnare = 38, kClap = 39, kClosedHat = 42, kOpenHat = 46, kCrash = 49,
              kSplash = 55, kLowTom = 45, kMidTom = 47, kFloorTom = 41;

enum class Comp { Stabs, Arpeggio, Sustain, Rhodes };
enum class BassLine { Pump, Halves, Long, Lofi, Dark };

/// How a mood is written. Drum patterns are 16-step masks (bit s = the s-th 16th of the bar).
struct MoodStyle {
  Mood mood;
  const char* id;
  double bpm_lo, bpm_hi;
  bool minor;
  std::array<int, 4> progression;   ///< scale degrees (0 = tonic), one chord a bar
  std::array<int, 4> answer;        ///< the progression of the phrases with the hook
  const char* roman;
  int chords_program, pad_program, bass_program, lead_program;
  std::uint16_t kick, snare, hat, open_hat;
  int snare_key;
  double swing;  ///< of a 16th: how late the off 8ths are played
  bool sevenths;
  Comp comp;
  BassLine bass;
};

const std::array<MoodStyle, 5>& styles() {
  // Programs: 0 acoustic grand, 4 electric piano, 11 vibraphone, 33 finger bass,
  // 38 synth bass, 43 contrabass, 48 strings, 49 slow strings, 52 choir, 60 horn,
  // 73 flute, 80 square lead, 89 warm pad, 90 polysynth, 94 halo pad, 95 sweep pad.
  static const std::array<MoodStyle, 5> kStyles = {{
      {Mood::Calm, "calm", 70, 90, false, {0, 5, 3, 4}, {3, 0, 3, 4}, "I–vi–IV–V", 0, 89, 32, 73, 0x0101, 0x1010,
       0x1111, 0x0000, kSideStick, 0.0, false, Comp::Arpeggio, BassLine::Halves},
      {Mood::Upbeat, "upbeat", 100, 128, false, {0, 4, 5, 3}, {5, 3, 0, 4}, "I–V–vi–IV", 0, 90, 38, 80, 0x1111,
       0x1010, 0x4444, 0x4000, kClap, 0.0, false, Comp::Stabs, BassLine::Pump},
      {Mood::Epic, "epic", 84, 100, true, {0, 5, 2, 6}, {0, 3, 5, 6}, "i–VI–III–VII", 48, 52, 43, 60, 0x0101, 0x1010,
       0x0000, 0x0000, kSnare, 0.0, false, Comp::Sustain, BassLine::Long},
      {Mood::Lofi, "lofi", 72, 88, false, {1, 4, 0, 5}, {1, 4, 0, 0}, "ii7–V7–Imaj7–vi7", 4, 89, 33, 11, 0x0481,
       0x1010, 0x5555, 0x0000, kSnare, 0.33, true, Comp::Rhodes, BassLine::Lofi},
      {Mood::Dark, "dark", 80, 100, true, {0, 3, 5, 4}, {0, 5, 3, 4}, "i–iv–VI–v", 49, 95, 38, 11, 0x0501, 0x1010,
       0x1111, 0x0000, kSnare, 0.0, false, Comp::Sustain, BassLine::Dark},
  }};
  return kStyles;
}

const MoodStyle& style_of(Mood mood) {
  for (const MoodStyle& s : styles()) {
    if (s.mood == mood) return s;
  }
  return styles()[1];
}

const std::array<int, 7>& scale_of(bool minor) {
  static const std::array<int, 7> kMajor = {0, 2, 4, 5, 7, 9, 11}, kMinor = {0, 2, 3, 5, 7, 8, 10};
  return minor ? kMinor : kMajor;
}

/// Builds the piece bar by bar.
class Writer {
 public:
  Writer(const ComposeRequest& request, Arrangement& out)
      : req_(request), out_(out), style_(style_of(request.mood)), rng_(request.seed) {}

  void write() {
    set_grid();
    choose_key();
    write_motif();
    for (int i = 0; i < end_bar_; ++i) write_bar(i);
    write_final_bar();
    write_accents();
    std::sort(out_.notes.begin(), out_.notes.end(), [](const NoteEvent& a, const NoteEvent& b) {
      return a.time_s != b.time_s ? a.time_s < b.time_s : a.channel < b.channel;
    });
    describe();
  }

 private:
  // --- the grid ---------------------------------------------------------
  void set_grid() {
    double phase = 0.0;
    if (req_.tempo_bpm) {
      tempo_ = *req_.tempo_bpm;
      phase = req_.cuts.empty() ? 0.0 : best_phase(req_.cuts, 60.0 / tempo_).first;
    } else {
      std::tie(tempo_, phase) = fit_tempo(req_.cuts, req_.mood);
    }
    beat_ = 60.0 / tempo_;
    bar_ = 4.0 * beat_;
    // The bar phase that puts most cuts on downbeats.
    double first = phase, best = -1.0;
    for (int k = 0; k < 4; ++k) {
      const double p = phase + k * beat_;
      const double s = grid_score(req_.cuts, p, bar_);
      if (s > best + 1e-9) {
        best = s;
        first = p;
      }
    }
    // A first downbeat later than a quarter second gets a pickup bar before it.
    start_ = first > 0.25 ? first - bar_ : first;
    end_bar_ = std::max(0, static_cast<int>(std::floor((req_.duration_s - 1.0 - start_) / bar_)));
    intro_ = end_bar_ >= 10 ? 2 : (end_bar_ >= 5 ? 1 : 0);
    out_.tempo_bpm = tempo_;
    out_.duration_s = req_.duration_s;
    out_.ending_s = bar_start(end_bar_);
    for (int i = 0; i <= end_bar_; ++i) {
      if (bar_start(i) >= -1e-9) out_.downbeats.push_back(bar_start(i));
    }
  }

  void choose_key() {
    // Keys that sit well for every instrument of the band.
    static const std::array<int, 6> kMajorKeys = {0, 2, 7, 9, 5, 3}, kMinorKeys = {9, 2, 4, 0, 7, 5};
    const auto& keys = style_.minor ? kMinorKeys : kMajorKeys;
    key_ = keys[rng_() % keys.size()];
    out_.key_root = key_;
    out_.minor = style_.minor;
    out_.programs = {{kChords, style_.chords_program}, {kPad, style_.pad_program}, {kBass, style_.bass_program},
                     {kLead, style_.lead_program},     {kTimpani, 47}};
  }

  [[nodiscard]] double bar_start(int i) const { return start_ + i * bar_; }
  [[nodiscard]] double step_time(int bar, int step) const {
    double t = bar_start(bar) + step * beat_ / 4.0;
    if (step % 4 == 2) t += style_.swing * beat_ / 4.0;  // the off 8th, swung
    return t;
  }

  // --- harmony ----------------------------------------------------------
  /// MIDI key of scale degree `degree` (may exceed 6) above the tonic in octave `octave` (4 = middle C's).
  [[nodiscard]] int pitch(int degree, int octave) const {
    const auto& sc = scale_of(style_.minor);
    const int d = ((degree % 7) + 7) % 7;
    const int up = (degree - d) / 7;
    return 12 * (octave + 1) + key_ + sc[static_cast<std::size_t>(d)] + 12 * up;
  }

  /// The chord on `degree`: its tones from the root up (3 or 4), octave `octave`.
  /// `dominant`: a major third (the minor key's V with its leading tone).
  [[nodiscard]] std::vector<int> chord(int degree, int octave, bool dominant = false) const {
    std::vector<int> tones = {pitch(degree, octave), pitch(degree + 2, octave), pitch(degree + 4, octave)};
    if (dominant) tones[1] = tones[0] + 4;
    if (style_.sevenths) tones.push_back(pitch(degree + 6, octave));
    return tones;
  }

  /// Chord tones moved into [lo, lo + 12): a close voicing near the middle of the keyboard.
  static std::vector<int> voiced(std::vector<int> tones, int lo) {
    for (int& t : tones) {
      while (t < lo) t += 12;
      while (t >= lo + 12) t -= 12;
    }
    std::sort(tones.begin(), tones.end());
    return tones;
  }

  [[nodiscard]] int phrase_of(int bar) const { return bar < intro_ ? -1 : (bar - intro_) / 4; }
  [[nodiscard]] bool is_cadence(int bar) const { return end_bar_ >= 2 && bar == end_bar_ - 1; }
  [[nodiscard]] bool hook_phrase(int bar) const { return phrase_of(bar) >= 0 && phrase_of(bar) % 2 == 1; }

  [[nodiscard]] int degree_of(int bar) const {
    if (is_cadence(bar)) return 4;
    const int in_phrase = bar < intro_ ? bar : (bar - intro_) % 4;
    const auto& prog = hook_phrase(bar) ? style_.answer : style_.progression;
    return prog[static_cast<std::size_t>(in_phrase % 4)];
  }

  void note(int channel, int key, double time, double length, int velocity) {
    out_.notes.push_back({time, std::max(0.02, length), channel, std::clamp(key, 0, 127), std::clamp(velocity, 1, 127)});
  }
  int jitter(int spread) { return static_cast<int>(rng_() % static_cast<unsigned>(2 * spread + 1)) - spread; }

  // --- the bars ---------------------------------------------------------
  void write_bar(int bar) {
    const int degree = degree_of(bar);
    const bool dominant = is_cadence(bar) && style_.minor;
    const std::vector<int> tones = chord(degree, 3, dominant);
    for (int t : voiced(tones, 52)) note(kPad, t, bar_start(bar), bar_ * 0.98, bar < intro_ ? 44 : 52);
    write_comp(bar, voiced(tones, 57));
    if (bar < intro_) return;
    write_bass(bar, pitch(degree, 1));
    write_drums(bar);
    if (hook_phrase(bar) && !is_cadence(bar)) write_hook(bar, degree);
  }

  void write_comp(int bar, const std::vector<int>& tones) {
    switch (style_.comp) {
      case Comp::Stabs:  // on the "and" of 2 and 4, the pop push; the beat itself stays the drums'
        for (int s : {6, 14}) {
          for (int t : tones) note(kChords, t, step_time(bar, s), beat_ * 0.35, 70);
        }
        break;
      case Comp::Arpeggio: {  // a broken chord in quarter notes, the root on the downbeat
        const std::array<int, 4> order = {0, 1, 2, 3};
        for (int i = 0; i < 4; ++i) {
          const auto k = static_cast<std::size_t>(order[static_cast<std::size_t>(i)]);
          const int t = k < tones.size() ? tones[k] : tones[0] + 12;
          note(kChords, t, step_time(bar, 4 * i), beat_ * 1.8, i == 0 ? 70 : 58);
        }
        break;
      }
      case Comp::Sustain:
        for (int t : tones) note(kChords, t, bar_start(bar), bar_ * 0.97, 68);
        if (style_.mood == Mood::Epic && hook_phrase(bar)) {  // the strings' ostinato
          for (int s = 0; s < 16; s += 4) note(kChords, tones[s % 8 == 0 ? 0 : 2] + 12, step_time(bar, s), beat_ * 0.6, 64);
        }
        break;
      case Comp::Rhodes:
        for (int t : tones) note(kChords, t, step_time(bar, 0), beat_ * 1.5, 60);
        for (int t : tones) note(kChords, t, step_time(bar, 7), beat_ * 1.2, 52);
        break;
    }
  }

  void write_bass(int bar, int root) {
    const int fifth = root + 7;
    switch (style_.bass) {
      case BassLine::Pump:  // quarters driving the beat, the octave on 4 and a push into the next bar
        for (int s = 0; s < 16; s += 4) note(kBass, s == 12 ? root + 12 : root, step_time(bar, s), beat_ * 0.8, 92);
        note(kBass, root + 12, step_time(bar, 14), beat_ * 0.4, 66);
        break;
      case BassLine::Halves:
        note(kBass, root, bar_start(bar), beat_ * 1.9, 84);
        note(kBass, fifth, step_time(bar, 8), beat_ * 1.9, 76);
        break;
      case BassLine::Long:
        note(kBass, root, bar_start(bar), bar_ * 0.97, 90);
        note(kBass, root + 12, bar_start(bar), bar_ * 0.97, 60);
        break;
      case BassLine::Lofi:
        note(kBass, root, step_time(bar, 0), beat_ * 1.2, 88);
        note(kBass, fifth, step_time(bar, 6), beat_ * 0.7, 70);
        note(kBass, root, step_time(bar, 10), beat_ * 1.2, 80);
        break;
      case BassLine::Dark:
        note(kBass, root, step_time(bar, 0), beat_ * 1.6, 94);
        note(kBass, root, step_time(bar, 7), beat_ * 0.5, 76);
        note(kBass, root, step_time(bar, 10), beat_ * 1.4, 86);
        break;
    }
  }

  void write_drums(int bar) {
    const bool fill = is_cadence(bar) || (phrase_of(bar) >= 0 && (bar - intro_) % 4 == 3);
    const bool hook = hook_phrase(bar);
    const int pattern_end = fill ? 12 : 16;
    for (int s = 0; s < pattern_end; ++s) {
      const std::uint16_t bit = static_cast<std::uint16_t>(1u << s);
      const double t = step_time(bar, s);
      if (style_.kick & bit) note(kDrums, kKick, t, 0.1, 104 + jitter(4));
      if (style_.snare & bit) note(kDrums, style_.snare_key, t, 0.1, 94 + jitter(5));
      if (style_.hat & bit) note(kDrums, kClosedHat, t, 0.05, (s % 4 == 0 ? 62 : 44) + jitter(5) + (hook ? 6 : 0));
      if (hook && (style_.open_hat & bit)) note(kDrums, kOpenHat, t, 0.2, 70);
    }
    if (fill) write_fill(bar);
    // A crash on the downbeat that starts each phrase after the first.
    if (phrase_of(bar) > 0 && (bar - intro_) % 4 == 0) note(kDrums, kCrash, bar_start(bar), 1.0, 96);
    if (style_.mood == Mood::Epic && (bar - intro_) % 4 == 0) note(kTimpani, pitch(0, 2), bar_start(bar), beat_, 100);
  }

  /// The last beat of a phrase: snare 16ths rising (toms falling in epic and calm).
  void write_fill(int bar) {
    const bool toms = style_.mood == Mood::Epic || style_.mood == Mood::Calm;
    const std::array<int, 4> tom_keys = {kMidTom, kLowTom, kLowTom, kFloorTom};
    for (int s = 12; s < 16; ++s) {
      const int key = toms ? tom_keys[static_cast<std::size_t>(s - 12)] : kSnare;
      note(kDrums, key, step_time(bar, s), 0.1, 70 + 9 * (s - 12));
    }
    note(kDrums, kKick, step_time(bar, 12), 0.1, 100);
  }

  /// A 2-bar motif (onsets on 16ths, scale degrees) drawn once from the seed.
  void write_motif() {
    static const std::array<std::vector<int>, 4> kRhythms = {{
        {0, 4, 6, 8, 12, 16, 20, 22, 24},
        {0, 3, 6, 8, 10, 12, 16, 19, 22, 24, 28},
        {0, 8, 12, 16, 24},
        {0, 2, 4, 8, 10, 12, 16, 18, 20, 24},
    }};
    const bool sparse = style_.mood == Mood::Calm || style_.mood == Mood::Epic;
    motif_steps_ = kRhythms[sparse ? 2 : rng_() % 4];
    int degree = 2 + static_cast<int>(rng_() % 3);  // start on the 3rd, 4th or 5th
    static const std::array<int, 7> kMoves = {-2, -1, -1, 0, 1, 1, 2};
    for (std::size_t i = 0; i < motif_steps_.size(); ++i) {
      motif_degrees_.push_back(degree);
      degree = std::clamp(degree + kMoves[rng_() % kMoves.size()], 0, 9);
    }
    answer_tail_ = {std::clamp(motif_degrees_.back() - 1, 0, 9), 0};  // the answer resolves down to the tonic
  }

  /// The motif over two bars of a hook phrase (the second pair answers it), its
  /// notes on strong 16ths moved to the nearest tone of the bar's chord.
  void write_hook(int bar, int degree) {
    const int in_phrase = (bar - intro_) % 4;
    const int half = in_phrase % 2;  // which bar of the 2-bar motif
    const bool answer = in_phrase >= 2;
    const std::size_t n = motif_steps_.size();
    for (std::size_t i = 0; i < n; ++i) {
      const int step = motif_steps_[i];
      if (step / 16 != half) continue;
      int d = motif_degrees_[i];
      if (answer && i + 2 >= n) d = answer_tail_[i + 2 - n];
      if (step % 8 == 0) d = nearest_chord_degree(d, degree);
      const int next = i + 1 < n ? motif_steps_[i + 1] : 30;
      const double length = (next - step) * beat_ / 4.0 * 0.9;
      note(kLead, pitch(d, 5), step_time(bar, step % 16), length, 84 + jitter(5));
    }
  }

  /// The chord tone (root, 3rd or 5th of the chord on `root`, in any octave within the motif's
  /// range 0..11) nearest scale degree `d`.
  static int nearest_chord_degree(int d, int root) {
    int best = d, dist = 99;
    for (int c = 0; c <= 11; ++c) {
      const int step = ((c - root) % 7 + 7) % 7;
      if (step != 0 && step != 2 && step != 4) continue;
      if (std::abs(c - d) < dist) {
        dist = std::abs(c - d);
        best = c;
      }
    }
    return best;
  }

  void write_final_bar() {
    const double t = out_.ending_s;
    const double hold = std::max(0.5, req_.duration_s - t);
    for (int k : voiced(chord(0, 3), 52)) note(kPad, k, t, hold, 60);
    for (int k : voiced(chord(0, 3), 57)) note(kChords, k, t, hold, 76);
    note(kBass, pitch(0, 1), t, hold, 96);
    note(kDrums, kKick, t, 0.2, 112);
    note(kDrums, kCrash, t, hold, 104);
    if (style_.mood == Mood::Epic) note(kTimpani, pitch(0, 2), t, beat_, 110);
  }

  /// A hit on the 16th nearest each cut (when it is within 70 ms of one).
  void write_accents() {
    const double sixteenth = beat_ / 4.0;
    for (double c : req_.cuts) {
      if (c < 0.3 || c > out_.ending_s - 0.1) continue;
      const long long k = std::llround((c - start_) / sixteenth);
      const double q = start_ + static_cast<double>(k) * sixteenth;
      if (std::abs(q - c) > 0.07) continue;
      if (k % 16 == 0) {
        note(kDrums, kCrash, q, 1.0, 100);
        note(kDrums, kKick, q, 0.1, 108);
      } else if (style_.mood == Mood::Epic) {
        note(kTimpani, pitch(0, 2), q, beat_, 96);
      } else if (k % 4 == 0) {
        note(kDrums, kSplash, q, 0.6, 92);
      } else {
        note(kDrums, kOpenHat, q, 0.25, 96);
      }
      out_.accents.push_back(q);
    }
  }

  void describe() {
    static const std::array<const char*, 12> kNames = {"C", "D♭", "D", "E♭", "E", "F", "F♯", "G", "A♭", "A", "B♭", "B"};
    char text[160];
    std::snprintf(text, sizeof text, "%s, %.1f BPM, %s %s, %s, %d bars", style_.id, tempo_,
                  kNames[static_cast<std::size_t>(key_)], style_.minor ? "minor" : "major", style_.roman, end_bar_ + 1);
    out_.description = text;
    out_.mood = req_.mood;
    out_.seed = req_.seed;
  }

  const ComposeRequest& req_;
  Arrangement& out_;
  const MoodStyle& style_;
  std::mt19937 rng_;
  double tempo_ = 120.0, beat_ = 0.5, bar_ = 2.0, start_ = 0.0;
  int end_bar_ = 0, intro_ = 0, key_ = 0;
  std::vector<int> motif_steps_, motif_degrees_;
  std::array<int, 2> answer_tail_{};
};

}  // namespace

const char* mood_id(Mood mood) { return style_of(mood).id; }

const std::vector<Mood>& moods() {
  static const std::vector<Mood> kMoods = {Mood::Calm, Mood::Upbeat, Mood::Epic, Mood::Lofi, Mood::Dark};
  return kMoods;
}

std::optional<Mood> mood_from_prompt(const std::string& prompt) {
  static const std::array<std::pair<const char*, Mood>, 40> kWords = {{
      {"calm", Mood::Calm}, {"chill", Mood::Calm}, {"relax", Mood::Calm}, {"soft", Mood::Calm},
      {"gentle", Mood::Calm}, {"peaceful", Mood::Calm}, {"ambient", Mood::Calm}, {"平静", Mood::Calm},
      {"放松", Mood::Calm}, {"舒缓", Mood::Calm}, {"轻柔", Mood::Calm}, {"upbeat", Mood::Upbeat},
      {"happy", Mood::Upbeat}, {"energetic", Mood::Upbeat}, {"fun", Mood::Upbeat}, {"pop", Mood::Upbeat},
      {"dance", Mood::Upbeat}, {"欢快", Mood::Upbeat}, {"活力", Mood::Upbeat}, {"动感", Mood::Upbeat},
      {"epic", Mood::Epic}, {"cinematic", Mood::Epic}, {"dramatic", Mood::Epic}, {"trailer", Mood::Epic},
      {"heroic", Mood::Epic}, {"史诗", Mood::Epic}, {"震撼", Mood::Epic}, {"大气", Mood::Epic},
      {"lofi", Mood::Lofi}, {"lo-fi", Mood::Lofi}, {"study", Mood::Lofi}, {"jazzy", Mood::Lofi},
      {"低保真", Mood::Lofi}, {"dark", Mood::Dark}, {"suspense", Mood::Dark}, {"horror", Mood::Dark},
      {"tense", Mood::Dark}, {"黑暗", Mood::Dark}, {"悬疑", Mood::Dark}, {"紧张", Mood::Dark},
  }};
  return first_keyword(prompt, kWords);
}

std::pair<double, double> mood_tempo_range(Mood mood) {
  const MoodStyle& s = style_of(mood);
  return {s.bpm_lo, s.bpm_hi};
}

std::pair<double, double> fit_tempo(const std::vector<double>& cuts, Mood mood) {
  const MoodStyle& s = style_of(mood);
  const double centre = 0.5 * (s.bpm_lo + s.bpm_hi);
  if (cuts.empty()) return {centre, 0.0};
  double best_bpm = centre, best_phase_s = 0.0, best = -1.0;
  const int steps = static_cast<int>(std::lround((s.bpm_hi - s.bpm_lo) / 0.25));
  for (int i = 0; i <= steps; ++i) {
    const double bpm = s.bpm_lo + 0.25 * i;
    const auto [phase, score] = best_phase(cuts, 60.0 / bpm);
    const double value = score - 1e-3 * std::abs(bpm - centre);  // ties: nearer the centre
    if (value > best) {
      best = value;
      best_bpm = bpm;
      best_phase_s = phase;
    }
  }
  return {best_bpm, best_phase_s};
}

Arrangement compose(const ComposeRequest& request) {
  if (!(request.duration_s >= 2.0)) throw Error(ErrorCode::Usage, "a soundtrack needs a clip of at least 2 s");
  Arrangement out;
  Writer(request, out).write();
  return out;
}

}  // namespace mv
