// synth.cpp — plays an arrangement with FluidSynth (see music.hpp): one synth
// per render, no audio driver, events scheduled sample-exactly by writing the
// samples between them (fluid_synth_write_float), as FluidSynth's own
// fast-render mode does for MIDI files.
#include <fluidsynth.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <system_error>

#include "mv/audio/music.hpp"
#include "mv/base/error.hpp"

namespace mv {

namespace fs = std::filesystem;

namespace {

struct SettingsDeleter {
  void operator()(fluid_settings_t* s) const { delete_fluid_settings(s); }
};
struct SynthDeleter {
  void operator()(fluid_synth_t* s) const { delete_fluid_synth(s); }
};

/// FluidSynth's warnings and notes go nowhere (a missing soundfont is reported by its return value).
void quiet_fluidsynth() {
  for (int level : {FLUID_WARN, FLUID_INFO, FLUID_DBG}) fluid_set_log_function(level, nullptr, nullptr);
}

/// The band's mix: volume (CC 7), pan (CC 10), reverb (CC 91) and chorus (CC 93) sends per channel.
struct ChannelMix {
  int channel, volume, pan, reverb, chorus;
};
constexpr std::array<ChannelMix, 6> kMix = {{
    {0, 92, 52, 50, 20},   // chords
    {1, 74, 64, 90, 60},   // pad
    {2, 104, 64, 10, 0},   // bass
    {3, 90, 72, 70, 30},   // lead
    {4, 100, 60, 60, 0},   // timpani
    {9, 100, 64, 30, 0},   // drums
}};

/// A note-on or note-off at a sample.
struct Event {
  std::int64_t sample;
  bool on;
  const NoteEvent* note;
};

}  // namespace

fs::path default_soundfont() {
  std::error_code ec;
  if (const char* env = std::getenv("MV_SOUNDFONT"); env != nullptr && *env != '\0') return env;
  for (const char* p : {"/usr/share/sounds/sf2/FluidR3_GM.sf2", "/usr/share/sounds/sf2/default-GM.sf2"}) {
    if (fs::is_regular_file(p, ec)) return p;
  }
  return {};
}

namespace {

using SynthPtr = std::unique_ptr<fluid_synth_t, SynthDeleter>;
using SettingsPtr = std::unique_ptr<fluid_settings_t, SettingsDeleter>;

/// A synth at `rate` with the soundfont loaded, the band's programs and mix set.
SynthPtr open_synth(const Arrangement& arrangement, int rate, const fs::path& font, SettingsPtr& settings) {
  std::error_code ec;
  if (font.empty() || !fs::is_regular_file(font, ec)) {
    throw Error(ErrorCode::Media,
                "no General MIDI soundfont to play the music with: install fluid-soundfont-gm "
                "(/usr/share/sounds/sf2/FluidR3_GM.sf2) or set MV_SOUNDFONT to an .sf2 file");
  }
  quiet_fluidsynth();
  settings.reset(new_fluid_settings());
  if (!settings) throw Error(ErrorCode::Internal, "FluidSynth could not start");
  fluid_settings_setnum(settings.get(), "synth.sample-rate", rate);
  fluid_settings_setint(settings.get(), "synth.threadsafe-api", 0);
  fluid_settings_setint(settings.get(), "synth.cpu-cores", 1);
  fluid_settings_setint(settings.get(), "synth.polyphony", 256);
  fluid_settings_setnum(settings.get(), "synth.gain", 0.5);
  fluid_settings_setint(settings.get(), "synth.reverb.active", 1);
  fluid_settings_setint(settings.get(), "synth.chorus.active", 1);
  SynthPtr synth(new_fluid_synth(settings.get()));
  if (!synth) throw Error(ErrorCode::Internal, "FluidSynth could not start");
  if (fluid_synth_sfload(synth.get(), font.c_str(), 1) == FLUID_FAILED) {
    throw Error(ErrorCode::Media, "the soundfont " + font.string() + " does not load (not an .sf2 file?)");
  }
  for (const auto& [channel, program] : arrangement.programs) fluid_synth_program_change(synth.get(), channel, program);
  for (const ChannelMix& m : kMix) {
    fluid_synth_cc(synth.get(), m.channel, 7, m.volume);
    fluid_synth_cc(synth.get(), m.channel, 10, m.pan);
    fluid_synth_cc(synth.get(), m.channel, 91, m.reverb);
    fluid_synth_cc(synth.get(), m.channel, 93, m.chorus);
  }
  return synth;
}

/// Note-ons and -offs by sample from `first` s; offs before ons at one sample, so a repeated note restarts.
std::vector<Event> schedule(const Arrangement& arrangement, double first, int rate) {
  const auto at = [&](double t) { return static_cast<std::int64_t>(std::llround((t - first) * rate)); };
  std::vector<Event> events;
  events.reserve(2 * arrangement.notes.size());
  for (const NoteEvent& n : arrangement.notes) {
    events.push_back({at(n.time_s), true, &n});
    events.push_back({at(n.time_s + n.length_s), false, &n});
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.sample != b.sample ? a.sample < b.sample : (!a.on && b.on);
  });
  return events;
}

/// Interleaves the synth's channels from sample `skip` on, with the fade-in at 0 and the final fade-out.
Pcm interleave(const Arrangement& arrangement, int rate, const std::vector<float>& left, const std::vector<float>& right,
               std::size_t skip) {
  Pcm pcm;
  pcm.rate = rate;
  pcm.channels = 2;
  const std::size_t frames = left.size() - skip;
  pcm.samples.resize(2 * frames);
  const double fade_in = 0.01 * rate;
  const double fade_from = (arrangement.ending_s + 0.4) * rate;
  const double fade_len = std::max(1.0, arrangement.duration_s * rate - fade_from);
  for (std::size_t i = 0; i < frames; ++i) {
    const auto t = static_cast<double>(i);
    double g = std::min(1.0, t / fade_in);
    if (t > fade_from) g *= std::pow(std::max(0.0, 1.0 - (t - fade_from) / fade_len), 2.0);
    pcm.samples[2 * i] = static_cast<float>(left[skip + i] * g);
    pcm.samples[2 * i + 1] = static_cast<float>(right[skip + i] * g);
  }
  return pcm;
}

}  // namespace

Pcm render_arrangement(const Arrangement& arrangement, int rate, const fs::path& soundfont) {
  SettingsPtr settings;
  const SynthPtr synth = open_synth(arrangement, rate, soundfont.empty() ? default_soundfont() : soundfont, settings);
  // Everything from the earliest note (a pickup may start before 0) to the end.
  double first = 0.0;
  for (const NoteEvent& n : arrangement.notes) first = std::min(first, n.time_s);
  const std::vector<Event> events = schedule(arrangement, first, rate);
  const auto skip = static_cast<std::int64_t>(std::llround(-first * rate));
  const std::int64_t total = skip + static_cast<std::int64_t>(std::llround(arrangement.duration_s * rate));
  std::vector<float> left(static_cast<std::size_t>(total)), right(static_cast<std::size_t>(total));
  std::int64_t pos = 0;
  const auto play_until = [&](std::int64_t end) {
    while (pos < end) {
      const int n = static_cast<int>(std::min<std::int64_t>(end - pos, 4096));
      fluid_synth_write_float(synth.get(), n, left.data(), static_cast<int>(pos), 1, right.data(), static_cast<int>(pos), 1);
      pos += n;
    }
  };
  for (const Event& e : events) {
    if (e.sample >= total) break;
    play_until(e.sample);
    if (e.on) {
      fluid_synth_noteon(synth.get(), e.note->channel, e.note->key, e.note->velocity);
    } else {
      fluid_synth_noteoff(synth.get(), e.note->channel, e.note->key);
    }
  }
  play_until(total);
  return interleave(arrangement, rate, left, right, static_cast<std::size_t>(skip));
}

}  // namespace mv
