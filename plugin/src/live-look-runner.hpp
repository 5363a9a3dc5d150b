// live-look-runner.hpp — the frame producer of the "Music Video Look" source:
// a core LiveLook driven on a thread of its own. OBS's audio thread only
// copies samples into a lock-free ring (push_audio); the drawing thread drains
// it into the live analysis, draws the frame whose time has come and hands it
// to `output` (the OBS glue sends it with obs_source_output_video). No OBS
// here, so tests drive it with real songs and compare its frames with
// `mvgen generate --analysis live`.
//
// Time: every audio block carries the timestamp of its first sample (OBS's
// os_gettime_ns, CLOCK_MONOTONIC, the clock of std::chrono::steady_clock on
// Linux). A frame shows the audio whose timestamp is now − sync offset: the
// drawing thread wakes when that moment reaches the next frame, draws it and
// sends it at once; a frame it could not draw in time is skipped (counted),
// never queued. With a negative offset a frame may be drawn up to 1 s ahead
// of the audio that has arrived: its beats are predicted, its bands the
// latest. When no audio arrives for 250 ms (a media source paused, a missing
// source), silence is analysed instead, so the look keeps moving as its idle
// self and the timeline keeps pace with the clock.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "audio-ring-buffer.hpp"
#include "mv/base/progress.hpp"
#include "mv/jobs/job-spec.hpp"
#include "mv/media/canvas.hpp"
#include "mv/render/options.hpp"
#include "spsc-audio-ring.hpp"

namespace mv {
class LiveLook;
class SoundPlacement;
}

namespace mvplugin {

/// What a live look source draws: its properties, as one value.
struct LiveLookConfig {
  /// The look, palette and intensity (validated by LookChoice::validate());
  /// its image is not read: `picture` is.
  mv::LookChoice look;
  int width = 1920, height = 1080;  ///< frame, pixels (even, 16..7680)
  int fps = 30;                     ///< 24, 30 or 60 (OBS's frame rate, rounded)
  /// Title and artist typed in; the title card shows them for 4 s when the
  /// source starts and again when they change.
  std::string title, artist;
  /// A "now playing" text file (Tuna, Snip): its first line, "Artist - Title"
  /// or a title alone, replaces the typed title and artist; re-read when it
  /// changes. Empty: none.
  std::filesystem::path now_playing;
  /// The picture behind the looks that use one: an image, or a media file with
  /// cover art. Empty, missing or unreadable: the look's generated background
  /// (one warning).
  std::filesystem::path picture;
  /// Called on the drawing thread about once a second, when set: the picture
  /// now (e.g. the file a media source plays); replaces `picture`.
  std::function<std::filesystem::path()> picture_now;
  /// Called on the drawing thread about once a second, when set (the OBS glue
  /// attaches to an audio source that appeared meanwhile).
  std::function<void()> every_second;
  /// OBS's video clock, when set: the timestamp (ns) of its latest frame. The
  /// frames are then drawn for OBS's own frame times, each shortly before OBS
  /// shows it, instead of whenever their audio arrived (no frame misses its
  /// turn by a hair).
  std::function<std::uint64_t()> video_frame_ns;
  /// OBS's video time (ns) of its latest tick that has already taken this
  /// source's newest frame, when set (the source's video_tick: OBS picks an
  /// unbuffered source's frame at the start of each tick). A frame for OBS's
  /// time T is handed over only once the tick before T has taken its own, so a
  /// late tick never shows it a frame early; after waiting until T, it is sent
  /// anyway (OBS is lagging).
  std::function<std::uint64_t()> video_ticked_ns;
  /// Transparent background: the look without its ground (mv::LiveLook's
  /// transparent), black taken away (mv::alpha_from_black), sent with an alpha
  /// plane so that it lies over what is under it in the scene.
  bool transparent = false;
  double sync_offset_ms = 0.0;  ///< −1000..+1000: positive shows the picture later
  double keep_s = 120.0;        ///< audio kept for "Save as video", s (30..600)
  /// Where the beat tracker looks for the tempo, BPM (min, max; as JobSpec::tempo_range):
  /// a DJ program's analysis range, e.g. 58–115 for music felt slow. Unset: 60–200.
  std::optional<std::pair<double, double>> tempo_range;

  /// The LookChoice, frame, fps and tempo range checks. Errors: Error{Usage} naming the field.
  void validate() const;
};

/// `config`'s tempo range as the source's setting writes it: "MIN-MAX" BPM (e.g. "58-115"), "" for auto.
std::string tempo_range_text(const LiveLookConfig& config);

/// Reads a "now playing" file's first non-empty line (at most 500 bytes of
/// UTF-8, control characters removed): "Artist - Title" (also "–", "—") is
/// split at the first dash, anything else is the title. Returns {title,
/// artist}; both empty when the file is missing or empty.
std::pair<std::string, std::string> read_now_playing(const std::filesystem::path& file);

/// Counters of a running live look (any thread).
struct LiveLookStats {
  std::uint64_t frames_drawn = 0;
  std::uint64_t frames_skipped = 0;  ///< frames whose time passed before they could be drawn
  /// Frames handed over after OBS's tick for their time had taken a frame (with OBS's
  /// clock only): each was shown one frame late.
  std::uint64_t frames_late = 0;
  std::uint64_t audio_blocks = 0;
  std::uint64_t audio_dropped = 0;   ///< blocks the audio ring had no room for
  double last_draw_ms = 0.0, max_draw_ms = 0.0, mean_draw_ms = 0.0;
  double tempo_bpm = 0.0;
  double audio_age_s = -1.0;         ///< since the last audio block arrived; −1: none yet
  bool showing = false;
  std::string title, artist;         ///< shown by the title card now
  std::string warning;               ///< the latest problem (a picture that cannot be read), "" for none
  /// How much later than its timestamps the output mix plays the listened
  /// source's sound, as measured and followed, ms; 0 until measured (and for the mix itself).
  double placement_ms = 0.0;
  std::uint64_t placements = 0;      ///< measurements taken (two in a row agreeing within 1 ms)
};

class LiveLookRunner {
 public:
  /// Sends a drawn frame (I420, BT.709 limited range) with its timestamp (ns)
  /// and, for a transparent look, its alpha plane (width × height bytes,
  /// straight alpha; null when opaque).
  using Output = std::function<void(const mv::Canvas& frame, const std::uint8_t* alpha, std::uint64_t timestamp_ns)>;
  /// Logs one line (a warning), on the drawing thread.
  using Log = std::function<void(const std::string& line)>;

  /// `sample_rate` (Hz) and `channels` of the audio push_audio() gets.
  /// Errors: Error{Usage} for a config that does not validate.
  LiveLookRunner(int sample_rate, int channels, LiveLookConfig config, Output output, Log log = {});
  /// Stops and joins the drawing thread.
  ~LiveLookRunner();
  LiveLookRunner(const LiveLookRunner&) = delete;
  LiveLookRunner& operator=(const LiveLookRunner&) = delete;

  /// Starts the drawing thread.
  void start();
  /// Asks the drawing thread to stop; returns at once.
  void stop();
  /// Waits for the drawing thread to end (after stop()).
  void join();
  /// True once the drawing thread has ended (join() then returns at once).
  [[nodiscard]] bool finished() const { return finished_.load(); }
  /// After this returns, `output` is never called again (it may wait for
  /// one frame being sent, not for one being drawn).
  void detach_output();

  /// Audio thread: copies the block into the lock-free ring; never blocks.
  void push_audio(const float* const* planes, std::size_t frames, std::uint64_t timestamp_ns);
  /// Audio thread (OBS's output mix callback): a block of the mix the listened
  /// source plays in, stamped when it plays; copied into a second lock-free
  /// ring, never blocks. From it the drawing thread measures where the mix
  /// really plays the source's sound (mv::SoundPlacement) and draws each frame
  /// for that: OBS moves a source's sound later than its timestamps when the
  /// source ran short at a mix tick or restarted, and keeps where to itself.
  /// Not called when the look listens to the mix itself.
  void push_mix(const float* const* planes, std::size_t frames, std::uint64_t timestamp_ns);
  /// Any thread: the listened source changed; its placement is measured afresh.
  void forget_placement() { forget_placement_ = true; }
  /// Any thread: the next frames are drawn with `config` (the analysis keeps
  /// its tempo). Errors: Error{Usage} when it does not validate (nothing changes).
  void configure(LiveLookConfig config);
  /// Any thread: drawn only while showing (the analysis runs either way).
  void set_showing(bool showing);

  /// One pass of the drawing thread at `now_ns`: takes the audio that arrived,
  /// applies a new config, draws the frame now due when showing. Returns the
  /// time (ns) it wants to run again. Public so that tests drive it without
  /// the thread; not while the thread runs.
  std::uint64_t step(std::uint64_t now_ns);

  /// The last `seconds` (at most keep_s) of the audio the look heard, silence
  /// it filled in included, as a 16-bit WAV (AudioRingBuffer::write_wav).
  /// Slow: a worker's call. Errors: those of write_wav.
  double save_wav(const std::filesystem::path& path, double seconds, const mv::CancelToken* cancel = nullptr);
  /// A job that renders saved audio with this look as the viewers saw it
  /// (analysis "live", the look, frame and fps, the title now shown).
  [[nodiscard]] mv::JobSpec job_spec() const;
  [[nodiscard]] LiveLookStats stats() const;
  [[nodiscard]] LiveLookConfig config() const;

 private:
  void run();
  void apply_config(std::uint64_t now_ns);
  void take_audio(std::uint64_t now_ns);
  /// How much silence to put before a block stamped `ts` so that the frames fall on OBS's frame times, ns.
  [[nodiscard]] std::uint64_t alignment_gap(std::uint64_t ts) const;
  /// Anchors the timeline at the block about to be analysed (first aligned with OBS's frames when asked).
  void anchor_at(std::uint64_t ts, bool realign);
  void analyse(const float* samples, std::size_t frames);
  void poll(std::uint64_t now_ns);
  /// Waits (drawing thread) until OBS's tick before `target_ns` has taken its frame, at most until `target_ns`.
  void hold_until_previous_tick(std::uint64_t target_ns, std::uint64_t interval_ns) const;
  void rebuild(double title_from_s);
  [[nodiscard]] std::uint64_t timestamp_of(double sample) const;
  [[nodiscard]] double sample_at(std::uint64_t ns) const;

  /// Measures the placement (twice a second), and follows a new one.
  void place(std::uint64_t now_ns);
  /// Draws the frames for the source's sound playing `placement_ns` after its timeline (realigned with OBS's).
  void follow_placement(std::int64_t placement_ns);

  const int rate_, channels_;
  Output output_;
  Log log_;
  SpscAudioRing ring_;
  SpscAudioRing mix_ring_;
  std::atomic<bool> forget_placement_{false};

  // Shared with other threads (mutex_).
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  LiveLookConfig pending_config_;
  bool config_changed_ = true;
  bool stop_ = false;
  LiveLookStats stats_;
  std::shared_ptr<AudioRingBuffer> kept_;
  std::mutex output_mutex_;
  bool output_attached_ = true;
  std::atomic<bool> showing_{false};
  std::atomic<bool> finished_{false};

  // The drawing thread's own.
  LiveLookConfig config_;
  std::unique_ptr<mv::LiveLook> look_;
  int look_fps_ = 0;                    ///< the frame rate look_ was built for
  std::pair<double, double> look_tempo_{};  ///< the tempo range look_ was built for, BPM
  mv::Canvas canvas_;
  std::vector<std::uint8_t> alpha_;  ///< the frame's alpha plane, transparent looks only
  bool look_transparent_ = false;    ///< what look_ was built with
  std::int64_t analysed_ = 0;           ///< frames of audio given to the analysis
  std::optional<std::pair<std::int64_t, std::uint64_t>> anchor_;  ///< (sample, its timestamp ns)
  bool anchor_heard_ = false;  ///< the anchor is an audio block's (not the first pass's, before any audio)
  std::uint64_t last_audio_ns_ = 0;     ///< when the latest block arrived (clock of step())
  std::int64_t last_frame_ = -1;        ///< the latest frame analysed (drawn or not)
  std::uint64_t next_poll_ns_ = 0;
  std::filesystem::file_time_type now_playing_time_{};
  std::string shown_title_, shown_artist_;
  std::filesystem::path shown_picture_;
  double title_from_s_ = 0.0;
  bool warned_picture_ = false;
  double draw_ms_sum_ = 0.0;
  SpscAudioRing::Block block_, mix_block_;
  std::unique_ptr<mv::SoundPlacement> placement_;  ///< made with the first block of the mix
  std::int64_t placement_ns_ = 0;       ///< followed: the source's sound plays this much after its timeline, ns
  std::array<std::optional<std::int64_t>, 2> recent_measured_{};  ///< the last two measurements, newest first
  std::uint64_t next_place_ns_ = 0;
  std::thread thread_;
};

}  // namespace mvplugin
