// live-look-source.cpp — see live-look-source.hpp.
//
// Threads: create/update/properties/show/hide/destroy run on whichever thread
// OBS calls them (usually the UI thread) and only store values, attach or
// detach an audio callback and signal the drawing thread; none of them waits
// for a frame or joins a thread. The audio callbacks (a source's, or the
// output mix's) run on OBS's audio threads and only copy samples into the
// runner's lock-free ring. Drawing and obs_source_output_video run on the
// runner's thread. A removed source's thread is asked to stop and joined at
// module unload (join_finished_live_looks).
#include "live-look-source.hpp"

#include <obs-module.h>
#include <media-io/video-io.h>
#include <util/platform.h>

#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "live-look-runner.hpp"
#include "mv/render/generate.hpp"
#include "mv/render/look.hpp"
#include "mv/render/options.hpp"
#include "plugin-context.hpp"
#include "ui-stall-meter.hpp"

namespace mvplugin {

namespace {

namespace fs = std::filesystem;

constexpr const char* kMix = "__output_mix__";
constexpr const char* kCustomSize = "custom";

// Setting keys (the saved scene keeps them).
constexpr const char* kAudio = "audio_source";
constexpr const char* kLook = "look";
constexpr const char* kPalette = "palette";
constexpr const char* kIntensity = "intensity";
constexpr const char* kIntensityLook = "intensity_look";  // the look whose own intensity the slider was set to
constexpr const char* kSize = "size";
constexpr const char* kWidth = "width";
constexpr const char* kHeight = "height";
constexpr const char* kPictureMode = "picture_mode";
constexpr const char* kPicture = "picture";
constexpr const char* kPictureSource = "picture_source";
constexpr const char* kTitle = "title";
constexpr const char* kArtist = "artist";
constexpr const char* kNowPlaying = "now_playing";
constexpr const char* kTransparent = "transparent";
constexpr const char* kSyncOffset = "sync_offset_ms";
constexpr const char* kKeep = "keep_s";
constexpr const char* kTempoRange = "tempo_range";  // "" (auto: 60-200) or "MIN-MAX" BPM
constexpr const char* kSaveHotkeyName = "obs_music_video.save_live_look";  // the source's hotkeys (saved by these names)
constexpr const char* kSaveTallHotkeyName = "obs_music_video.save_live_look_tall";

/// The tempo ranges offered, as DJ programs offer them for their beat analysis: "" is auto.
constexpr std::array<std::pair<const char*, const char*>, 4> kTempoRanges{{
    {"", "LiveLook.TempoAuto"}, {"58-115", "LiveLook.TempoSlow"}, {"78-155", "LiveLook.TempoMid"}, {"98-195", "LiveLook.TempoFast"}}};

std::string text(const char* key) { return obs_module_text(key); }

/// The live looks: every look of the library (the picture modes "montage"
/// and "footage" need an input's own pictures, which a live source has not).
std::vector<std::string> live_look_names() {
  std::vector<std::string> names;
  for (const auto& look : mv::look_library().looks()) names.push_back(look.name);
  return names;
}

double look_intensity(const std::string& name) {
  const auto& lib = mv::look_library();
  return lib.contains(name) ? lib.find(name).intensity : 1.0;
}

/// A look set outside the properties dialog (obs-websocket, a script, an older scene file)
/// starts from its own intensity, as one picked in the dialog does (look_changed), unless the
/// same change set another intensity. Done when the settings are applied, so the dialog finds
/// them aligned: a modified callback that writes a setting while the dialog opens makes OBS
/// ask "There are unsaved changes" when it is closed untouched.
void align_intensity(obs_data_t* s) {
  const std::string look = obs_data_get_string(s, kLook), was = obs_data_get_string(s, kIntensityLook);
  if (look == was) return;
  if (std::fabs(obs_data_get_double(s, kIntensity) - look_intensity(was)) < 1e-6) obs_data_set_double(s, kIntensity, look_intensity(look));
  obs_data_set_string(s, kIntensityLook, look.c_str());
}

/// OBS's frame rate rounded to the rates a look draws at (24, 30, 60).
int obs_fps() {
  obs_video_info ovi{};
  if (!obs_get_video_info(&ovi) || ovi.fps_den == 0) return 30;
  const double fps = static_cast<double>(ovi.fps_num) / ovi.fps_den;
  if (fps < 27.0) return 24;
  return fps < 45.0 ? 30 : 60;
}

/// The file a media source plays now (its "local_file"), empty for none.
fs::path media_source_file(const std::string& name) {
  if (name.empty()) return {};
  obs_source_t* src = obs_get_source_by_name(name.c_str());
  if (src == nullptr) return {};
  obs_data_t* settings = obs_source_get_settings(src);
  fs::path file = obs_data_get_string(settings, "local_file");
  obs_data_release(settings);
  obs_source_release(src);
  return file;
}

/// One look source. Shared with its drawing thread (the runner's tick and
/// picture hooks hold it), so it outlives destroy() until that thread ends.
struct LookSource : std::enable_shared_from_this<LookSource> {
  obs_source_t* source = nullptr;
  std::shared_ptr<LiveLookRunner> runner;
  /// "Save as video" in Settings > Hotkeys, under this source's name (OBS saves its keys with the source).
  obs_hotkey_id save_hotkey = OBS_INVALID_HOTKEY_ID;
  obs_hotkey_id save_tall_hotkey = OBS_INVALID_HOTKEY_ID;  ///< the same, drawn 9:16

  // Lock order. OBS calls update() on its graphics thread while it holds its sources lock
  // (a deferred update of a video source, in tick_sources), and update() takes `mutex`; so
  // nothing may call into OBS while holding `mutex` (obs_get_source_by_name takes that lock):
  // it is held only to copy fields. Attaching and detaching the audio, which call into OBS,
  // hold `attach_mutex` instead, which update() never takes.
  std::mutex mutex;             // guards what follows, up to attach_mutex
  bool dead = false;            // destroy() ran: no more OBS calls from the hooks
  std::string audio_name;       // chosen: a source name or kMix
  std::string attached_name;    // what the callback is attached to now ("" none)
  std::string picture_source;   // the media source whose file gives the picture
  bool picture_from_source = false;

  std::mutex attach_mutex;      // serialises attach() and detach(); guards what follows
  obs_weak_source_t* attached = nullptr;
  bool mix_connected = false;        // listening to the output mix itself
  bool placement_connected = false;  // hearing the output mix to place an attached source's sound in it

  /// OBS's video time of the latest tick, stored by the graphics thread in video_tick
  /// (after OBS took this source's newest frame); read by the drawing thread.
  std::shared_ptr<std::atomic<std::uint64_t>> ticked_ns = std::make_shared<std::atomic<std::uint64_t>>(0);

  // The audio thread's own: how its blocks' timestamps map to OBS's clock (OBS's rule).
  std::atomic<bool> reset_timing{true};
  bool timing_direct = true;
  std::int64_t timing_adjust = 0;
  std::uint64_t next_raw = 0;

  static void on_source_audio(void* param, obs_source_t*, const audio_data* audio, bool muted) {
    auto* self = static_cast<LookSource*>(param);
    if (audio == nullptr || audio->frames == 0) return;
    const float* planes[MAX_AV_PLANES] = {};
    if (!muted) {
      for (int c = 0; c < MAX_AV_PLANES; ++c) planes[c] = reinterpret_cast<const float*>(audio->data[c]);
    }
    self->runner->push_audio(planes, audio->frames, self->timestamp_of(audio));
  }
  /// OBS's audio thread: a block of the output mix (track 1), stamped on OBS's clock, handed to
  /// the runner as the audio the look listens to (`as_placement` false: the chosen audio is the
  /// mix) or as the mix a listened source plays in (true: LiveLookRunner::push_mix).
  static void push_mix_block(void* param, const audio_data* audio, bool as_placement) {
    auto* self = static_cast<LookSource*>(param);
    if (audio == nullptr || audio->frames == 0) return;
    const float* planes[MAX_AV_PLANES] = {};
    for (int c = 0; c < MAX_AV_PLANES; ++c) planes[c] = reinterpret_cast<const float*>(audio->data[c]);
    if (as_placement) {
      self->runner->push_mix(planes, audio->frames, audio->timestamp);
    } else {
      self->runner->push_audio(planes, audio->frames, audio->timestamp);
    }
  }
  static void on_mix_audio(void* param, size_t, audio_data* audio) { push_mix_block(param, audio, false); }
  static void on_mix_placement(void* param, size_t, audio_data* audio) { push_mix_block(param, audio, true); }
  /// The block's timestamp on OBS's clock, as OBS places a source's audio in the
  /// mix (obs-source.c, source_output_audio_data): a timestamp within 2 s of the
  /// clock is taken as it is; other sources (a media file's own timeline) are
  /// shifted so that their first block lands when it arrived, and again after a
  /// jump of over 2 s. (A source that also plays video is placed by OBS after its
  /// video frames instead, which a capture callback cannot see: the sync offset
  /// corrects it.) Audio thread only.
  std::uint64_t timestamp_of(const audio_data* audio) {
    constexpr std::uint64_t kMaxVariance = 2000000000ULL;  // OBS's MAX_TS_VAR
    const std::uint64_t now = os_gettime_ns();
    const std::uint64_t raw = audio->timestamp;
    const auto diff = [](std::uint64_t a, std::uint64_t b) { return a > b ? a - b : b - a; };
    const auto rate = std::max<std::uint32_t>(1, audio_output_get_sample_rate(obs_get_audio()));
    const std::uint64_t duration = static_cast<std::uint64_t>(audio->frames) * 1000000000ULL / rate;
    if (diff(raw, now) < kMaxVariance) {
      timing_direct = true;
    } else if (reset_timing.exchange(false) || timing_direct || diff(raw, next_raw) > kMaxVariance) {
      timing_direct = false;
      timing_adjust = static_cast<std::int64_t>(now - raw);
    }
    next_raw = raw + duration;
    return timing_direct ? raw : static_cast<std::uint64_t>(static_cast<std::int64_t>(raw) + timing_adjust);
  }

  /// Detaches the audio callback (attach_mutex held, not `mutex`).
  void detach_locked() {
    if (attached != nullptr) {
      if (obs_source_t* src = obs_weak_source_get_source(attached)) {
        obs_source_remove_audio_capture_callback(src, on_source_audio, this);
        obs_source_release(src);
      }
      obs_weak_source_release(attached);
      attached = nullptr;
    }
    if (mix_connected) {
      audio_output_disconnect(obs_get_audio(), 0, on_mix_audio, this);
      mix_connected = false;
    }
    if (placement_connected) {
      audio_output_disconnect(obs_get_audio(), 0, on_mix_placement, this);
      placement_connected = false;
    }
    std::lock_guard lock(mutex);
    attached_name.clear();
  }

  /// Attaches to the chosen audio when it is not yet (it may appear later: a
  /// scene collection loaded, a source renamed back), and lets go of a source
  /// that was removed. Any thread but the audio threads.
  void attach() {
    std::lock_guard serial(attach_mutex);
    std::string wanted;
    {
      std::lock_guard lock(mutex);
      if (dead) return;
      wanted = audio_name;
    }
    if (attached != nullptr) {
      obs_source_t* src = obs_weak_source_get_source(attached);
      const bool alive = src != nullptr && !obs_source_removed(src) && wanted == obs_source_get_name(src);
      if (src != nullptr) obs_source_release(src);
      if (alive) return;
      detach_locked();
    }
    std::string now_attached;
    if (wanted == kMix) {
      if (!mix_connected) {
        runner->forget_placement();  // the mix plays itself where it is stamped
        mix_connected = audio_output_connect(obs_get_audio(), 0, nullptr, on_mix_audio, this);
      }
      if (mix_connected) now_attached = kMix;
    } else {
      if (mix_connected) detach_locked();
      obs_source_t* src = wanted.empty() ? nullptr : obs_get_source_by_name(wanted.c_str());
      if (src != nullptr) {
        if ((obs_source_get_output_flags(src) & OBS_SOURCE_AUDIO) != 0 && src != source) {
          reset_timing = true;
          runner->forget_placement();
          obs_source_add_audio_capture_callback(src, on_source_audio, this);
          if (!placement_connected) placement_connected = audio_output_connect(obs_get_audio(), 0, nullptr, on_mix_placement, this);
          attached = obs_source_get_weak_source(src);
          now_attached = wanted;
        }
        obs_source_release(src);
      }
    }
    std::lock_guard lock(mutex);
    attached_name = now_attached;
  }

  /// After a profile change to another frame rate (OBS resets its video), the look draws at
  /// the new rate: the same settings at OBS's rate now (on the drawing thread, once a second).
  void follow_frame_rate() {
    LiveLookConfig c = runner->config();
    const int fps = obs_fps();
    if (c.fps == fps) return;
    c.fps = fps;
    try {
      runner->configure(std::move(c));
    } catch (const std::exception& e) {
      blog(LOG_WARNING, "[obs-music-video] look source \"%s\": %s", obs_source_get_name(source), e.what());
    }
  }

  /// The runner's config from the source's settings.
  LiveLookConfig config_from(obs_data_t* s) {
    LiveLookConfig c;
    const std::string look = obs_data_get_string(s, kLook);
    if (!look.empty()) c.look.name = look;
    const std::string palette = obs_data_get_string(s, kPalette);
    if (!palette.empty()) c.look.palette = palette;
    c.look.intensity = std::clamp(obs_data_get_double(s, kIntensity), 0.3, 2.0);
    c.look.footage = false;
    const std::string size = obs_data_get_string(s, kSize);
    if (size == kCustomSize) {
      c.width = static_cast<int>(obs_data_get_int(s, kWidth)) & ~1;
      c.height = static_cast<int>(obs_data_get_int(s, kHeight)) & ~1;
    } else {
      try {
        std::tie(c.width, c.height) = mv::parse_frame_size(size, "size");
      } catch (const std::exception&) {
        c.width = 1920;
        c.height = 1080;
      }
    }
    c.fps = obs_fps();
    c.title = obs_data_get_string(s, kTitle);
    c.artist = obs_data_get_string(s, kArtist);
    c.now_playing = obs_data_get_string(s, kNowPlaying);
    const std::string mode = obs_data_get_string(s, kPictureMode);
    if (mode == "image") c.picture = obs_data_get_string(s, kPicture);
    if (mode == "media") {
      std::weak_ptr<LookSource> weak = weak_from_this();
      c.picture_now = [weak]() -> fs::path {
        auto self = weak.lock();
        if (!self) return {};
        std::string name;
        {
          std::lock_guard lock(self->mutex);
          if (self->dead) return {};
          name = self->picture_source;
        }
        return media_source_file(name);  // OBS's sources lock: never under `mutex`
      };
    }
    c.video_frame_ns = [] { return obs_get_video_frame_time(); };
    c.video_ticked_ns = [ticked = ticked_ns] { return ticked->load(std::memory_order_acquire); };
    std::weak_ptr<LookSource> weak_self = weak_from_this();
    c.every_second = [weak_self] {
      if (auto self = weak_self.lock()) {
        self->attach();
        self->follow_frame_rate();
      }
    };
    c.transparent = obs_data_get_bool(s, kTransparent);
    c.sync_offset_ms = std::clamp(static_cast<double>(obs_data_get_int(s, kSyncOffset)), -1000.0, 1000.0);
    c.keep_s = std::clamp(static_cast<double>(obs_data_get_int(s, kKeep)), 30.0, 600.0);
    if (const std::string tempo = obs_data_get_string(s, kTempoRange); !tempo.empty()) {
      c.tempo_range = mv::parse_tempo_range(tempo, "\"tempo_range\"");
    }
    return c;
  }

  void update(obs_data_t* s) {
    align_intensity(s);
    {
      std::lock_guard lock(mutex);
      audio_name = obs_data_get_string(s, kAudio);
      picture_source = obs_data_get_string(s, kPictureSource);
    }
    try {
      runner->configure(config_from(s));
    } catch (const std::exception& e) {
      blog(LOG_WARNING, "[obs-music-video] look source \"%s\": %s", obs_source_get_name(source), e.what());
    }
    // No attach() here: OBS runs this on its graphics thread holding its sources lock. The
    // drawing thread attaches to the audio chosen now within a second (every_second).
  }
};

/// Every look source while it exists, for the dock (read without any of OBS's locks).
std::mutex g_registry_mutex;
std::vector<std::weak_ptr<LookSource>> g_registry;

/// Threads of removed sources, stopping; joined at unload.
std::mutex g_finished_mutex;
std::vector<std::shared_ptr<LiveLookRunner>> g_finished;

void output_frame(obs_source_t* source, const mv::Canvas& canvas, const std::uint8_t* alpha, std::uint64_t timestamp_ns) {
  obs_source_frame frame{};
  frame.data[0] = const_cast<std::uint8_t*>(canvas.y());
  frame.data[1] = const_cast<std::uint8_t*>(canvas.u());
  frame.data[2] = const_cast<std::uint8_t*>(canvas.v());
  frame.linesize[0] = static_cast<std::uint32_t>(canvas.y_stride());
  frame.linesize[1] = static_cast<std::uint32_t>(canvas.uv_stride());
  frame.linesize[2] = static_cast<std::uint32_t>(canvas.uv_stride());
  frame.width = static_cast<std::uint32_t>(canvas.width());
  frame.height = static_cast<std::uint32_t>(canvas.height());
  frame.format = VIDEO_FORMAT_I420;
  if (alpha != nullptr) {  // a transparent look: I420 with a straight alpha plane
    frame.data[3] = const_cast<std::uint8_t*>(alpha);
    frame.linesize[3] = static_cast<std::uint32_t>(canvas.width());
    frame.format = VIDEO_FORMAT_I40A;
  }
  frame.timestamp = timestamp_ns;
  frame.full_range = false;
  video_format_get_parameters(VIDEO_CS_709, VIDEO_RANGE_PARTIAL, frame.color_matrix, frame.color_range_min, frame.color_range_max);
  obs_source_output_video(source, &frame);  // copied by OBS; converted to RGB on its GPU
}

const char* get_name(void*) { return obs_module_text("LiveLook.Name"); }

/// A press of one of the source's "Save as video" hotkeys (Settings > Hotkeys, under the source's
/// name; OBS saves the bindings with the source). OBS calls it on its UI thread (routed) or its
/// hotkey thread; either way the save is handed to the UI thread by the source's name, as the
/// dock's button runs it. destroy() unregisters the keys before the data goes (OBS's hotkey lock
/// waits for a callback in progress).
void save_from_hotkey(const LookSource& look, const char* aspect) {
  post_to_ui(
      [source_name = std::string(obs_source_get_name(look.source)), aspect = std::string(aspect)] {
        try {
          save_live_look(source_name, kSaveAllKeptS, aspect);
        } catch (const std::exception& e) {
          blog(LOG_WARNING, "[obs-music-video] Save as video (hotkey): %s", e.what());
        }
      },
      "look_source.save_hotkey");
}
void on_save_hotkey(void* data, obs_hotkey_id, obs_hotkey_t*, bool pressed) {
  if (pressed) save_from_hotkey(*static_cast<const LookSource*>(data), "");
}
void on_save_tall_hotkey(void* data, obs_hotkey_id, obs_hotkey_t*, bool pressed) {
  if (pressed) save_from_hotkey(*static_cast<const LookSource*>(data), mv::aspect_id(mv::Aspect::Tall));
}

void* create(obs_data_t* settings, obs_source_t* source) {
  const UiStallScope timed(ui_stall_meter(), "look_source.create");
  auto self = std::make_shared<LookSource>();
  self->source = source;
  obs_audio_info oai{};
  obs_get_audio_info(&oai);
  const int channels = static_cast<int>(get_audio_channels(oai.speakers));
  const std::string name = obs_source_get_name(source);
  LiveLookConfig initial;
  try {
    self->runner = std::make_shared<LiveLookRunner>(
        static_cast<int>(oai.samples_per_sec), std::max(1, channels), initial,
        [source](const mv::Canvas& canvas, const std::uint8_t* alpha, std::uint64_t ts) { output_frame(source, canvas, alpha, ts); },
        [name](const std::string& line) { blog(LOG_WARNING, "[obs-music-video] look source \"%s\": %s", name.c_str(), line.c_str()); });
  } catch (const std::exception& e) {
    blog(LOG_ERROR, "[obs-music-video] look source \"%s\" cannot start: %s", name.c_str(), e.what());
    return nullptr;
  }
  obs_source_set_async_unbuffered(source, true);  // the newest frame is shown, late ones are not queued
  // One key mid-stream, as OBS's "Save Replay": what the look heard, all it keeps, saved as a
  // video (and one more key for the same drawn 9:16, for a phone).
  self->save_hotkey = obs_hotkey_register_source(source, kSaveHotkeyName, obs_module_text("LiveLook.SaveHotkey"),
                                                  on_save_hotkey, self.get());
  self->save_tall_hotkey = obs_hotkey_register_source(
      source, kSaveTallHotkeyName, obs_module_text("LiveLook.SaveTallHotkey"), on_save_tall_hotkey, self.get());
  self->update(settings);
  self->attach();  // at once (update() leaves it to the drawing thread)
  self->runner->start();
  {
    std::lock_guard lock(g_registry_mutex);
    g_registry.push_back(self);
  }
  return new std::shared_ptr<LookSource>(std::move(self));
}

LookSource& of(void* data) { return **static_cast<std::shared_ptr<LookSource>*>(data); }

void destroy(void* data) {
  const UiStallScope timed(ui_stall_meter(), "look_source.destroy");
  auto* holder = static_cast<std::shared_ptr<LookSource>*>(data);
  LookSource& self = **holder;
  obs_hotkey_unregister(self.save_hotkey);  // no key press reaches `self` after these
  obs_hotkey_unregister(self.save_tall_hotkey);
  self.runner->detach_output();  // waits at most for one frame being handed to OBS
  {
    std::lock_guard serial(self.attach_mutex);
    {
      std::lock_guard lock(self.mutex);
      self.dead = true;
    }
    self.detach_locked();  // no audio callback runs after this
  }
  self.runner->stop();  // the thread ends within a frame; joined at unload
  {
    std::lock_guard lock(g_registry_mutex);
    std::erase_if(g_registry, [&self](const std::weak_ptr<LookSource>& w) {
      const auto alive = w.lock();
      return !alive || alive.get() == &self;
    });
  }
  {
    std::lock_guard lock(g_finished_mutex);
    // Threads that already ended are joined now (a join that does not wait) and their memory freed.
    std::erase_if(g_finished, [](const std::shared_ptr<LiveLookRunner>& r) {
      if (!r->finished()) return false;
      r->join();
      return true;
    });
    g_finished.push_back(self.runner);
  }
  delete holder;
}

void update(void* data, obs_data_t* settings) {
  const UiStallScope timed(ui_stall_meter(), "look_source.update");
  of(data).update(settings);
}

/// Graphics thread, once per OBS frame, after OBS took the source's newest frame: only a store.
void video_tick(void* data, float) { of(data).ticked_ns->store(obs_get_video_frame_time(), std::memory_order_release); }

void show(void* data) { of(data).runner->set_showing(true); }
void hide(void* data) { of(data).runner->set_showing(false); }

void get_defaults(obs_data_t* s) {
  std::string audio = kMix;
  if (obs_source_t* desktop = obs_get_output_source(1)) {  // channel 1: the first desktop audio
    audio = obs_source_get_name(desktop);
    obs_source_release(desktop);
  }
  obs_data_set_default_string(s, kAudio, audio.c_str());
  obs_data_set_default_string(s, kLook, mv::kDefaultAudioLook);
  obs_data_set_default_string(s, kPalette, "");
  obs_data_set_default_double(s, kIntensity, look_intensity(mv::kDefaultAudioLook));
  obs_data_set_default_string(s, kIntensityLook, mv::kDefaultAudioLook);
  obs_data_set_default_string(s, kSize, "1920x1080");
  obs_data_set_default_int(s, kWidth, 1920);
  obs_data_set_default_int(s, kHeight, 1080);
  obs_data_set_default_string(s, kPictureMode, "generated");
  obs_data_set_default_bool(s, kTransparent, false);
  obs_data_set_default_int(s, kSyncOffset, 0);
  obs_data_set_default_int(s, kKeep, 120);
  obs_data_set_default_string(s, kTempoRange, "");
}

bool look_changed(obs_properties_t*, obs_property_t*, obs_data_t* s) {
  // A look chosen anew starts from its own intensity (the slider keeps the user's change otherwise).
  const std::string look = obs_data_get_string(s, kLook);
  if (look == obs_data_get_string(s, kIntensityLook)) return false;
  obs_data_set_double(s, kIntensity, look_intensity(look));
  obs_data_set_string(s, kIntensityLook, look.c_str());
  return true;
}

bool size_changed(obs_properties_t* props, obs_property_t*, obs_data_t* s) {
  const bool custom = std::string(obs_data_get_string(s, kSize)) == kCustomSize;
  obs_property_set_visible(obs_properties_get(props, kWidth), custom);
  obs_property_set_visible(obs_properties_get(props, kHeight), custom);
  return true;
}

bool picture_mode_changed(obs_properties_t* props, obs_property_t*, obs_data_t* s) {
  const std::string mode = obs_data_get_string(s, kPictureMode);
  obs_property_set_visible(obs_properties_get(props, kPicture), mode == "image");
  obs_property_set_visible(obs_properties_get(props, kPictureSource), mode == "media");
  return true;
}

bool save_clicked(obs_properties_t*, obs_property_t*, void* data) {
  const UiStallScope timed(ui_stall_meter(), "look_source.save");
  LookSource& self = of(data);
  try {
    save_live_look(obs_source_get_name(self.source), self.runner->config().keep_s);
  } catch (const std::exception& e) {
    blog(LOG_WARNING, "[obs-music-video] Save as video: %s", e.what());
  }
  return false;
}

std::string status_line(LookSource& self) {
  const LiveLookStats st = self.runner->stats();
  std::string line;
  char buf[160];
  if (st.tempo_bpm > 0) {
    std::snprintf(buf, sizeof buf, "%.0f BPM · ", st.tempo_bpm);
    line += buf;
  }
  std::snprintf(buf, sizeof buf, "%.1f ms/frame · %llu frames", st.mean_draw_ms, static_cast<unsigned long long>(st.frames_drawn));
  line += buf;
  if (!st.warning.empty()) line += " · " + st.warning;
  return line;
}

obs_properties_t* get_properties(void* data) {
  const UiStallScope timed(ui_stall_meter(), "look_source.properties");
  obs_properties_t* props = obs_properties_create();
  LookSource* self = data != nullptr ? &of(data) : nullptr;

  obs_property_t* audio = obs_properties_add_list(props, kAudio, obs_module_text("LiveLook.Audio"), OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
  obs_property_list_add_string(audio, obs_module_text("LiveLook.OutputMix"), kMix);
  std::vector<std::string> names = RollingCapture::audio_sources();
  for (const auto& n : names) obs_property_list_add_string(audio, n.c_str(), n.c_str());
  if (self != nullptr) {
    std::string chosen, attached;
    {
      std::lock_guard lock(self->mutex);
      chosen = self->audio_name;
      attached = self->attached_name;
    }
    if (!chosen.empty() && chosen != kMix && std::find(names.begin(), names.end(), chosen) == names.end()) {
      // The chosen source is gone (removed, renamed): named, so the user sees what it listened to.
      const std::string missing = text("LiveLook.Missing") + ": " + chosen;
      obs_property_list_add_string(audio, missing.c_str(), chosen.c_str());
      obs_property_t* warn = obs_properties_add_text(props, "audio_missing", missing.c_str(), OBS_TEXT_INFO);
      obs_property_text_set_info_type(warn, OBS_TEXT_INFO_WARNING);
    }
  }

  obs_property_t* look = obs_properties_add_list(props, kLook, obs_module_text("LiveLook.Look"), OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
  for (const auto& name : live_look_names()) {
    const std::string key = "Style." + name;
    const char* label = obs_module_text(key.c_str());
    obs_property_list_add_string(look, key == label ? name.c_str() : label, name.c_str());
  }
  obs_property_set_modified_callback(look, look_changed);
  obs_property_t* palette = obs_properties_add_list(props, kPalette, obs_module_text("LiveLook.Palette"), OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
  obs_property_list_add_string(palette, obs_module_text("LiveLook.LookPalette"), "");
  for (const auto& name : mv::palette_names()) obs_property_list_add_string(palette, name.c_str(), name.c_str());
  obs_properties_add_float_slider(props, kIntensity, obs_module_text("LiveLook.Intensity"), 0.3, 2.0, 0.05);
  obs_property_t* tempo = obs_properties_add_list(props, kTempoRange, obs_module_text("LiveLook.TempoRange"), OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
  for (const auto& [value, label] : kTempoRanges) obs_property_list_add_string(tempo, obs_module_text(label), value);

  obs_property_t* size = obs_properties_add_list(props, kSize, obs_module_text("LiveLook.Size"), OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
  for (const char* s : {"1920x1080", "1280x720", "1080x1920"}) obs_property_list_add_string(size, s, s);
  obs_property_list_add_string(size, obs_module_text("LiveLook.CustomSize"), kCustomSize);
  obs_property_set_modified_callback(size, size_changed);
  obs_properties_add_int(props, kWidth, obs_module_text("LiveLook.Width"), 16, 7680, 2);
  obs_properties_add_int(props, kHeight, obs_module_text("LiveLook.Height"), 16, 7680, 2);

  obs_properties_add_bool(props, kTransparent, obs_module_text("LiveLook.Transparent"));

  obs_property_t* mode = obs_properties_add_list(props, kPictureMode, obs_module_text("LiveLook.Picture"), OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
  obs_property_list_add_string(mode, obs_module_text("LiveLook.PictureGenerated"), "generated");
  obs_property_list_add_string(mode, obs_module_text("LiveLook.PictureImage"), "image");
  obs_property_list_add_string(mode, obs_module_text("LiveLook.PictureMedia"), "media");
  obs_property_set_modified_callback(mode, picture_mode_changed);
  obs_properties_add_path(props, kPicture, obs_module_text("LiveLook.PictureFile"), OBS_PATH_FILE,
                          "Images (*.png *.jpg *.jpeg *.webp *.bmp);;All files (*.*)", nullptr);
  obs_property_t* media = obs_properties_add_list(props, kPictureSource, obs_module_text("LiveLook.PictureSource"), OBS_COMBO_TYPE_LIST, OBS_COMBO_FORMAT_STRING);
  obs_enum_sources(
      [](void* param, obs_source_t* src) {
        const char* id = obs_source_get_unversioned_id(src);
        if (id != nullptr && (std::string(id) == "ffmpeg_source" || std::string(id) == "vlc_source")) {
          obs_property_list_add_string(static_cast<obs_property_t*>(param), obs_source_get_name(src), obs_source_get_name(src));
        }
        return true;
      },
      media);

  obs_properties_add_text(props, kTitle, obs_module_text("LiveLook.Title"), OBS_TEXT_DEFAULT);
  obs_properties_add_text(props, kArtist, obs_module_text("LiveLook.Artist"), OBS_TEXT_DEFAULT);
  obs_properties_add_path(props, kNowPlaying, obs_module_text("LiveLook.NowPlaying"), OBS_PATH_FILE, "Text (*.txt);;All files (*.*)", nullptr);
  obs_property_t* offset = obs_properties_add_int_slider(props, kSyncOffset, obs_module_text("LiveLook.SyncOffset"), -1000, 1000, 10);
  obs_property_int_set_suffix(offset, " ms");
  obs_property_t* keep = obs_properties_add_int(props, kKeep, obs_module_text("LiveLook.Keep"), 30, 600, 10);
  obs_property_int_set_suffix(keep, " s");
  obs_properties_add_button2(props, "save_video", obs_module_text("LiveLook.SaveVideo"), save_clicked, data);
  if (self != nullptr) {
    obs_properties_add_text(props, "status", status_line(*self).c_str(), OBS_TEXT_INFO);
  }
  return props;
}

}  // namespace

void register_live_look_source() {
  obs_source_info info{};
  info.id = kLiveLookSourceId;
  info.type = OBS_SOURCE_TYPE_INPUT;
  info.output_flags = OBS_SOURCE_ASYNC_VIDEO | OBS_SOURCE_DO_NOT_DUPLICATE;
  info.icon_type = OBS_ICON_TYPE_AUDIO_OUTPUT;
  info.get_name = get_name;
  info.create = create;
  info.destroy = destroy;
  info.update = update;
  info.get_defaults = get_defaults;
  info.get_properties = get_properties;
  info.show = show;
  info.video_tick = video_tick;
  info.hide = hide;
  obs_register_source(&info);
}

void join_finished_live_looks() {
  std::vector<std::shared_ptr<LiveLookRunner>> finished;
  {
    std::lock_guard lock(g_finished_mutex);
    finished.swap(g_finished);
  }
  for (auto& r : finished) {
    r->stop();
    r->join();
  }
}

std::string live_look_to_save() {
  std::vector<std::shared_ptr<LookSource>> sources;
  {
    std::lock_guard lock(g_registry_mutex);
    for (const auto& w : g_registry) {
      if (auto s = w.lock()) sources.push_back(std::move(s));
    }
  }
  std::string first;
  for (const auto& s : sources) {
    const bool showing = s->runner->stats().showing;
    std::lock_guard lock(s->mutex);
    if (s->dead) continue;
    const char* name = obs_source_get_name(s->source);
    if (name == nullptr) continue;
    if (showing) return name;
    if (first.empty()) first = name;
  }
  return first;
}

nlohmann::json live_look_stats() {
  // Collected under OBS's sources lock, read after it: OBS takes a look source's own
  // lock under its sources lock (update()), so that one is never held while calling OBS.
  std::vector<std::pair<std::string, std::shared_ptr<LookSource>>> found;
  obs_enum_sources(
      [](void* param, obs_source_t* src) {
        const char* id = obs_source_get_unversioned_id(src);
        void* data = obs_obj_get_data(src);
        if (id != nullptr && std::string(id) == kLiveLookSourceId && data != nullptr) {
          static_cast<decltype(found)*>(param)->emplace_back(obs_source_get_name(src), *static_cast<std::shared_ptr<LookSource>*>(data));
        }
        return true;
      },
      &found);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, self] : found) {
    const LiveLookStats st = self->runner->stats();
    const LiveLookConfig c = self->runner->config();
    std::string chosen, attached;
    {
      std::lock_guard lock(self->mutex);
      chosen = self->audio_name;
      attached = self->attached_name;
    }
    out.push_back({{"sourceName", name}, {"audioSource", chosen}, {"listening", !attached.empty()},
                   {"showing", st.showing}, {"framesDrawn", st.frames_drawn}, {"framesSkipped", st.frames_skipped},
                   {"audioBlocks", st.audio_blocks}, {"audioDropped", st.audio_dropped}, {"meanDrawMs", st.mean_draw_ms},
                   {"maxDrawMs", st.max_draw_ms}, {"framesLate", st.frames_late}, {"tempoBpm", st.tempo_bpm}, {"placementMs", st.placement_ms},
                   {"placements", st.placements}, {"title", st.title}, {"artist", st.artist},
                   {"warning", st.warning}, {"width", c.width}, {"height", c.height}, {"fps", c.fps},
                   {"tempoRange", tempo_range_text(c)}});
  }
  return out;
}

std::string save_live_look(const std::string& source_name, double seconds, const std::string& aspect) {
  PluginContext* p = plugin();
  if (p == nullptr) throw std::invalid_argument("the plugin is not loaded");
  obs_source_t* src = obs_get_source_by_name(source_name.c_str());
  if (src == nullptr) throw std::invalid_argument("no source named \"" + source_name + "\"");
  const char* id = obs_source_get_unversioned_id(src);
  void* data = obs_obj_get_data(src);
  const bool ours = id != nullptr && std::string(id) == kLiveLookSourceId && data != nullptr;
  std::shared_ptr<LiveLookRunner> runner = ours ? of(data).runner : nullptr;
  obs_source_release(src);
  if (!runner) throw std::invalid_argument("\"" + source_name + "\" is not a Music Video Look source");
  if (!(seconds >= 1.0 && seconds <= 600.0)) throw std::invalid_argument("\"seconds\" must be from 1 to 600");
  const std::optional<mv::Aspect> redrawn = aspect.empty() ? std::nullopt : mv::aspect_from_id(aspect);
  if (!aspect.empty() && !redrawn) {
    std::string known;
    for (const auto& a : mv::aspects()) known += std::string(known.empty() ? "" : ", ") + a.id;
    throw std::invalid_argument("\"aspect\" must be one of " + known + " (or left out)");
  }
  mv::JobSpec spec = runner->job_spec();
  std::string suffix;
  if (redrawn && spec.framing.size) {
    const auto [w, h] = *spec.framing.size;
    spec.framing.size = mv::size_for_aspect(*redrawn, std::min(w, h));
    suffix = " " + aspect;
    std::replace(suffix.begin(), suffix.end(), ':', 'x');  // "9x16": no colon in a file name
  }
  p->settings->get().apply_to(spec, /*with_aspect=*/false);
  const fs::path dir = spec.output_dir.empty() ? fs::temp_directory_path() : spec.output_dir;
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H-%M-%S", &tm);
  std::string safe = source_name;
  for (char& c : safe) {
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '_';
  }
  if (spec.captions.title.empty()) spec.captions.title = source_name;
  std::string name = safe + " " + stamp + suffix;
  {
    // Two saves in one second (the dock's two buttons, a hotkey) must not share a WAV: the
    // second would replace the first one's under its job. Numbered as unique_output_path() does.
    static std::mutex names_mutex;
    static std::map<std::string, int> taken;  // name → saves under it this session
    std::lock_guard lock(names_mutex);
    if (const int n = ++taken[name]; n > 1) name += " (" + std::to_string(n) + ")";
  }
  const fs::path wav = dir / (name + ".wav");
  return p->jobs->submit(std::move(spec), [runner, wav, seconds](mv::JobSpec& prepared, const mv::CancelToken& cancel) {
    // Up to 10 s more, heard first by the render's live analysis (mv::kLivePrerollS) and not
    // drawn: the video starts with the tempo and levels the viewers saw, not from cold.
    const double written = runner->save_wav(wav, seconds + mv::kLivePrerollS, &cancel);
    if (written < 1.0) {
      std::error_code ec;
      fs::remove(wav, ec);
      throw std::invalid_argument("the look source has not heard a second of audio yet");
    }
    // When it heard no more than was asked (or "all it kept" was), a third of it (at most 10 s) is the preroll.
    const double preroll = written > seconds + 0.05 ? std::min(written - seconds, mv::kLivePrerollS)
                                                    : std::min(mv::kLivePrerollS, written / 3.0);
    if (preroll > 0.05) {
      prepared.excerpt.start_s = preroll;
      prepared.excerpt.duration_s = written - preroll;
    }
    prepared.inputs.insert(prepared.inputs.begin(), wav);
  });
}

}  // namespace mvplugin
