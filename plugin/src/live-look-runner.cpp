// live-look-runner.cpp — see live-look-runner.hpp.
#include "live-look-runner.hpp"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <vector>

#include "mv/analysis/analysis.hpp"
#include "mv/analysis/sound-placement.hpp"
#include "mv/base/error.hpp"
#include "mv/render/generate.hpp"
#include "mv/render/live-look.hpp"
#include "mv/render/look.hpp"

namespace mvplugin {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kMs = 1000000;
/// No audio for this long: silence is analysed instead (the look idles).
constexpr std::uint64_t kIdleAfterNs = 250 * kMs;
/// How far behind the clock the filled-in silence ends.
constexpr std::uint64_t kIdleLagNs = 150 * kMs;
/// A block this much earlier than where the last one ended overlaps it: the timeline starts
/// again at the block (OBS's TS_SMOOTHING_THRESHOLD); less is jitter, followed contiguously.
constexpr std::int64_t kGapNs = 70 * static_cast<std::int64_t>(kMs);
/// A block this much later than where the last one ended is placed at its own time, the gap
/// filled with silence. OBS smooths gaps under 70 ms in its timestamps, but its mix runs on
/// its own clock: a source whose sound ran short is moved later (obs-audio.c, discard_audio),
/// so such a block sounds at its own time or after. Measured in real OBS, restarting a media
/// source mid-song (as tests/e2e/live_sync_sweep.py with SWEEP_RESTART=1 does): it sends its
/// blocks 21.3 ms (one block) later than contiguous; followed contiguously, the look then
/// flashed a frame early in 7 of 7 rounds over two OBS sessions; placed at its own time, 4 of 7 on the nearest frame, the
/// others a frame either side (how far OBS's mix ran short varies).
constexpr std::int64_t kLateNs = 10 * static_cast<std::int64_t>(kMs);
/// A gap longer than this (a source restarted) is not filled: the timeline jumps.
constexpr std::int64_t kMaxGapNs = 10000 * static_cast<std::int64_t>(kMs);
/// How far ahead of the audio that has arrived a frame may be drawn (negative sync offsets), s.
constexpr double kMaxAheadS = 1.0;

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

/// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

}  // namespace

void LiveLookConfig::validate() const {
  look.validate();
  mv::Framing framing;
  framing.size = std::make_pair(width, height);
  framing.fps = fps;
  framing.validate();
  if (!(sync_offset_ms >= -1000.0 && sync_offset_ms <= 1000.0)) {
    throw mv::Error(mv::ErrorCode::Usage, "\"sync_offset\" must be from -1000 to 1000 ms");
  }
  if (!(keep_s >= 30.0 && keep_s <= 600.0)) throw mv::Error(mv::ErrorCode::Usage, "\"keep\" must be from 30 to 600 s");
  if (tempo_range && !mv::valid_tempo_range(tempo_range->first, tempo_range->second)) {
    throw mv::Error(mv::ErrorCode::Usage, "\"tempo_range\" must lie in 20-400 BPM and span at least a factor 1.5");
  }
  mv::Captions captions;
  captions.title = title;
  captions.artist = artist;
  captions.validate();
}

std::string tempo_range_text(const LiveLookConfig& config) {
  if (!config.tempo_range) return {};
  char text[32];
  std::snprintf(text, sizeof text, "%g-%g", config.tempo_range->first, config.tempo_range->second);
  return text;
}

std::pair<std::string, std::string> read_now_playing(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  while (in && line.empty()) {
    std::getline(in, line);
    if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);  // a UTF-8 BOM
    std::string clean;
    for (const char ch : line) {
      if (static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7F) clean += ch;
    }
    line = trim(clean);
  }
  line = cut_utf8(line, 500);
  for (const char* dash : {" - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "}) {  // -, en dash, em dash
    if (const auto at = line.find(dash); at != std::string::npos) {
      std::string artist = trim(line.substr(0, at));
      std::string title = trim(line.substr(at + std::char_traits<char>::length(dash)));
      if (!artist.empty() && !title.empty()) return {title, artist};
    }
  }
  return {line, std::string()};
}

LiveLookRunner::LiveLookRunner(int sample_rate, int channels, LiveLookConfig config, Output output, Log log)
    : rate_(sample_rate),
      channels_(channels),
      output_(std::move(output)),
      log_(std::move(log)),
      ring_(channels, static_cast<std::size_t>(std::max(sample_rate, 8000)) * 2),
      mix_ring_(channels, static_cast<std::size_t>(std::max(sample_rate, 8000)) * 2) {
  config.validate();
  if (sample_rate < 8000 || sample_rate > 384000 || channels < 1 || channels > 8) {
    throw mv::Error(mv::ErrorCode::Usage, "a live look needs audio of 8000..384000 Hz and 1..8 channels");
  }
  pending_config_ = config;
  config_ = std::move(config);
  kept_ = std::make_shared<AudioRingBuffer>(rate_, channels_, config_.keep_s);
}

LiveLookRunner::~LiveLookRunner() {
  stop();
  join();
}

void LiveLookRunner::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void LiveLookRunner::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
}

void LiveLookRunner::join() {
  if (thread_.joinable()) thread_.join();
}

void LiveLookRunner::detach_output() {
  std::lock_guard lock(output_mutex_);
  output_attached_ = false;
}

void LiveLookRunner::push_audio(const float* const* planes, std::size_t frames, std::uint64_t timestamp_ns) {
  ring_.push(planes, frames, timestamp_ns);
}

void LiveLookRunner::push_mix(const float* const* planes, std::size_t frames, std::uint64_t timestamp_ns) {
  mix_ring_.push(planes, frames, timestamp_ns);
}

void LiveLookRunner::configure(LiveLookConfig config) {
  config.validate();
  {
    std::lock_guard lock(mutex_);
    pending_config_ = std::move(config);
    config_changed_ = true;
  }
  wake_.notify_all();
}

void LiveLookRunner::set_showing(bool showing) {
  showing_.store(showing);
  wake_.notify_all();
}

LiveLookStats LiveLookRunner::stats() const {
  std::lock_guard lock(mutex_);
  LiveLookStats s = stats_;
  s.showing = showing_.load();
  s.audio_dropped = ring_.dropped_blocks();
  return s;
}

LiveLookConfig LiveLookRunner::config() const {
  std::lock_guard lock(mutex_);
  return pending_config_;
}

double LiveLookRunner::save_wav(const fs::path& path, double seconds, const mv::CancelToken* cancel) {
  std::shared_ptr<AudioRingBuffer> kept;
  {
    std::lock_guard lock(mutex_);
    kept = kept_;
  }
  return kept->write_wav(path, seconds, cancel);
}

mv::JobSpec LiveLookRunner::job_spec() const {
  std::lock_guard lock(mutex_);
  mv::JobSpec spec;
  spec.live_analysis = true;
  spec.look = pending_config_.look;
  spec.look.image = shown_picture_;
  spec.look.footage = false;
  spec.framing.size = std::make_pair(pending_config_.width, pending_config_.height);
  spec.framing.fps = pending_config_.fps;
  spec.captions.title = stats_.title;
  spec.captions.artist = stats_.artist;
  spec.tempo_range = pending_config_.tempo_range;
  return spec;
}

std::uint64_t LiveLookRunner::timestamp_of(double sample) const {
  const double ns = static_cast<double>(anchor_->second) + (sample - static_cast<double>(anchor_->first)) * 1e9 / rate_;
  return ns <= 0.0 ? 0 : static_cast<std::uint64_t>(ns);
}

double LiveLookRunner::sample_at(std::uint64_t ns) const {
  const double dt = static_cast<double>(static_cast<std::int64_t>(ns - anchor_->second));
  return static_cast<double>(anchor_->first) + dt * rate_ / 1e9;
}

void LiveLookRunner::analyse(const float* samples, std::size_t frames) {
  if (samples == nullptr) {
    static const std::vector<float> kSilence(4096 * 8, 0.0F);
    const std::size_t chunk = kSilence.size() / static_cast<std::size_t>(channels_);
    for (std::size_t done = 0; done < frames; done += chunk) analyse(kSilence.data(), std::min(chunk, frames - done));
    return;
  }
  look_->push(samples, frames);
  kept_->push_interleaved(samples, frames);
  analysed_ += static_cast<std::int64_t>(frames);
}

std::uint64_t LiveLookRunner::alignment_gap(std::uint64_t ts) const {
  if (!config_.video_frame_ns) return 0;
  const std::uint64_t reference = config_.video_frame_ns();
  if (reference == 0) return 0;
  const auto interval = static_cast<std::int64_t>(std::llround(1e9 / config_.fps));
  // The next frame of the analysis' grid, if the block at `ts` came next.
  const auto next_frame = static_cast<std::int64_t>(std::floor(static_cast<double>(analysed_) * config_.fps / rate_)) + 1;
  const double frame_sample = static_cast<double>(next_frame) * rate_ / config_.fps;
  // (The block sounds placement_ns_ after its timestamp: the frames are drawn for then.)
  const auto at = static_cast<std::int64_t>(ts) + placement_ns_ + std::llround((frame_sample - static_cast<double>(analysed_)) * 1e9 / rate_);
  // Silence put first moves the frames earlier by its length: it must be how far the grid is past OBS's.
  const std::int64_t error = ((at - static_cast<std::int64_t>(reference)) % interval + interval) % interval;
  return static_cast<std::uint64_t>(error);
}

void LiveLookRunner::anchor_at(std::uint64_t ts, bool realign) {
  // Silence first, so that the frames fall on OBS's own frame times (frame k is drawn
  // for the moment OBS shows it): when starting and after a jump only, since silence
  // put into running audio would shake the beat tracker.
  const std::uint64_t gap = realign ? alignment_gap(ts) : 0;
  if (gap > 0) analyse(nullptr, static_cast<std::size_t>(std::llround(static_cast<double>(gap) * rate_ / 1e9)));
  anchor_ = std::make_pair(analysed_, ts);
}

void LiveLookRunner::take_audio(std::uint64_t now_ns) {
  std::uint64_t blocks = 0;
  while (ring_.pop(block_)) {
    ++blocks;
    if (!anchor_ || !anchor_heard_) {
      // The first block: OBS places a source's first block at its own timestamp, so the
      // timeline (started by a pass before any audio came) is set again there.
      anchor_at(block_.timestamp_ns, true);
      anchor_heard_ = true;
    } else {
      // As OBS's mix plays a source's audio: a block up to 70 ms before or 10 ms after where
      // the last one ended follows it (timestamps jitter); a later one leaves a gap (silence
      // here), and a jump back or of over 10 s starts the timeline again there.
      const auto gap = static_cast<std::int64_t>(block_.timestamp_ns - timestamp_of(static_cast<double>(analysed_)));
      if (gap >= kLateNs && gap < kMaxGapNs) {
        analyse(nullptr, static_cast<std::size_t>(static_cast<double>(gap) * rate_ / 1e9));
        anchor_at(block_.timestamp_ns, false);
      } else if (gap >= kMaxGapNs || gap <= -kGapNs) {
        anchor_at(block_.timestamp_ns, true);
      }
    }
    if (placement_) placement_->add_source(block_.samples.data(), channels_, block_.frames, timestamp_of(static_cast<double>(analysed_)));
    analyse(block_.samples.data(), block_.frames);
    last_audio_ns_ = now_ns;
  }
  while (mix_ring_.pop(mix_block_)) {
    if (!placement_) placement_ = std::make_unique<mv::SoundPlacement>(rate_);
    placement_->add_mix(mix_block_.samples.data(), channels_, mix_block_.frames, mix_block_.timestamp_ns);
  }
  if (!anchor_) {
    anchor_at(now_ns, true);  // the timeline starts with the first pass, until audio comes
    anchor_heard_ = false;
  }
  // No block has arrived for a while (not: the blocks are stamped late, as the output mix's are).
  if (now_ns > last_audio_ns_ + kIdleAfterNs && now_ns > timestamp_of(static_cast<double>(analysed_)) + kIdleAfterNs) {
    const double until = sample_at(now_ns - kIdleLagNs);
    if (until > static_cast<double>(analysed_)) analyse(nullptr, static_cast<std::size_t>(until - static_cast<double>(analysed_)));
  }
  if (blocks > 0) {
    std::lock_guard lock(mutex_);
    stats_.audio_blocks += blocks;
  }
}

void LiveLookRunner::rebuild(double title_from_s) {
  mv::VideoSettings vs;
  vs.framing.size = std::make_pair(config_.width, config_.height);
  vs.framing.fps = config_.fps;
  vs.look = config_.look;
  vs.look.image.clear();
  vs.look.footage = false;
  vs.captions.title = shown_title_;
  vs.captions.artist = shown_artist_;
  const mv::ResolvedLook look = mv::resolve_look(vs);
  const auto tempo = config_.tempo_range.value_or(std::make_pair(mv::kDefaultMinBpm, mv::kDefaultMaxBpm));
  auto build = [&](const mv::VideoSettings& settings) {
    if (look_ && config_.fps == look_fps_ && tempo == look_tempo_) {
      look_->restyle(look, settings, title_from_s, config_.transparent);
    } else {  // another frame rate or tempo range: the analysis starts again
      look_ = std::make_unique<mv::LiveLook>(look, settings, rate_, channels_, tempo, config_.transparent);
      look_fps_ = config_.fps;
      look_tempo_ = tempo;
      analysed_ = 0;
      anchor_.reset();
      last_frame_ = -1;
    }
  };
  vs.backdrop = shown_picture_;
  try {
    build(vs);
  } catch (const mv::Error& e) {
    if (vs.backdrop.empty()) throw;
    if (!warned_picture_ && log_) {
      log_("the picture " + vs.backdrop.string() + " cannot be drawn (" + e.what() + "); the look's own background is drawn instead");
    }
    warned_picture_ = true;
    {
      std::lock_guard lock(mutex_);
      stats_.warning = std::string("picture not readable: ") + vs.backdrop.filename().string();
    }
    vs.backdrop.clear();
    build(vs);
  }
  if (canvas_.width() != config_.width || canvas_.height() != config_.height) canvas_ = mv::Canvas(config_.width, config_.height);
  look_transparent_ = config_.transparent;
  title_from_s_ = title_from_s;
  std::lock_guard lock(mutex_);
  stats_.title = shown_title_;
  stats_.artist = shown_artist_;
  if (!warned_picture_) stats_.warning.clear();
}

void LiveLookRunner::apply_config(std::uint64_t now_ns) {
  {
    std::lock_guard lock(mutex_);
    if (!config_changed_) return;
    config_ = pending_config_;
    config_changed_ = false;
    if (std::abs(kept_->capacity_seconds() - std::clamp(config_.keep_s, 30.0, 600.0)) > 0.5) {
      kept_ = std::make_shared<AudioRingBuffer>(rate_, channels_, config_.keep_s);
    }
  }
  // The title and picture as the config gives them now; a change brings the title card in again.
  auto [title, artist] = config_.now_playing.empty() ? std::make_pair(std::string(), std::string())
                                                     : read_now_playing(config_.now_playing);
  if (title.empty() && artist.empty()) {
    title = config_.title;
    artist = config_.artist;
  }
  std::error_code ec;
  now_playing_time_ = config_.now_playing.empty() ? fs::file_time_type{} : fs::last_write_time(config_.now_playing, ec);
  const fs::path picture = config_.picture_now ? config_.picture_now() : config_.picture;
  if (picture != shown_picture_) warned_picture_ = false;
  const bool retitle = !look_ || title != shown_title_ || artist != shown_artist_;
  shown_title_ = title;
  shown_artist_ = artist;
  shown_picture_ = picture;
  const double now_s = look_ ? static_cast<double>(std::max<std::int64_t>(last_frame_, 0)) / config_.fps : 0.0;
  try {
    rebuild(retitle ? now_s : title_from_s_);
  } catch (const mv::Error& e) {
    // A look that cannot be built (a user look removed or broken since it was
    // chosen): the look that runs keeps running; with none yet, the default look.
    if (log_) log_(std::string("the live look cannot be drawn as set: ") + e.what());
    {
      std::lock_guard lock(mutex_);
      stats_.warning = e.what();
    }
    if (look_) return;
    config_.look = mv::LookChoice{};
    rebuild(now_s);
  }
  next_poll_ns_ = now_ns + 1000 * kMs;
}

void LiveLookRunner::poll(std::uint64_t now_ns) {
  if (now_ns < next_poll_ns_) return;
  next_poll_ns_ = now_ns + 1000 * kMs;
  if (config_.every_second) config_.every_second();
  bool changed = mv::reload_look_library();  // a look dropped into (or edited in) the user's folder
  if (!config_.now_playing.empty()) {
    std::error_code ec;
    const auto time = fs::last_write_time(config_.now_playing, ec);
    if (!ec && time != now_playing_time_) changed = true;
  }
  if (config_.picture_now && config_.picture_now() != shown_picture_) changed = true;
  if (changed) {
    std::lock_guard lock(mutex_);
    config_changed_ = true;
  }
}

void LiveLookRunner::place(std::uint64_t now_ns) {
  if (forget_placement_.exchange(false)) {
    placement_.reset();  // made again with the next block of the mix
    recent_measured_ = {};
    if (placement_ns_ != 0) follow_placement(0);
  }
  if (!placement_ || now_ns < next_place_ns_) return;
  next_place_ns_ = now_ns + 500 * kMs;
  const std::optional<std::int64_t> measured = placement_->measure();
  // Followed when it agrees within 1 ms with one of the two measurements before it (a
  // measurement now and then finds no lag standing out) and differs from the followed one by
  // 2 ms or more.
  bool agreed = false;
  for (const auto& before : recent_measured_) {
    agreed = agreed || (measured && before && std::llabs(*measured - *before) <= static_cast<std::int64_t>(kMs));
  }
  recent_measured_[1] = recent_measured_[0];
  recent_measured_[0] = measured;
  if (!agreed) return;
  {
    std::lock_guard lock(mutex_);
    ++stats_.placements;
  }
  if (std::llabs(*measured - placement_ns_) >= 2 * static_cast<std::int64_t>(kMs)) follow_placement(*measured);
}

void LiveLookRunner::follow_placement(std::int64_t placement_ns) {
  placement_ns_ = placement_ns;
  // The frames are aligned with OBS's again (silence put in before the next block, as when a
  // source starts): a flash then lands on the frame nearest the beat, not up to a frame off.
  // The silence moves the beat tracker's timeline a little, so its phase takes a second or
  // two to settle (a placement that changes mid-song is followed within about 3 s).
  if (anchor_ && anchor_heard_) anchor_at(timestamp_of(static_cast<double>(analysed_)), true);
  std::lock_guard lock(mutex_);
  stats_.placement_ms = static_cast<double>(placement_ns_) / 1e6;
}

std::uint64_t LiveLookRunner::step(std::uint64_t now_ns) {
  apply_config(now_ns);
  take_audio(now_ns);
  place(now_ns);
  poll(now_ns);
  const double fps = config_.fps;
  const double heard_s = static_cast<double>(analysed_) / rate_;
  // The user's offset, and where OBS's mix really plays the sound (measured).
  const auto offset_ns = static_cast<std::int64_t>(config_.sync_offset_ms * 1e6) + placement_ns_;
  // With OBS's clock: the frame for OBS's next frame time (the one nearest to it), drawn
  // `lead` before it (twice the usual drawing time and 4 ms more, 6..20 ms); its beats
  // are predicted, its bands the latest. Without it: each frame once its time has come.
  std::int64_t k = -1;
  std::uint64_t target_ns = 0, interval_ns = 0, lead_ns = 0;
  if (const std::uint64_t obs_frame = config_.video_frame_ns ? config_.video_frame_ns() : 0; obs_frame != 0) {
    {
      std::lock_guard lock(mutex_);
      lead_ns = static_cast<std::uint64_t>(std::clamp(2.0 * stats_.mean_draw_ms + 4.0, 6.0, 20.0) * 1e6);
    }
    interval_ns = static_cast<std::uint64_t>(std::llround(1e9 / fps));
    const std::uint64_t earliest = now_ns + 2 * kMs;  // the next OBS frame there is still time for
    const std::uint64_t m = earliest > obs_frame ? (earliest - obs_frame + interval_ns - 1) / interval_ns : 0;
    target_ns = obs_frame + m * interval_ns;
    const auto shown = static_cast<std::uint64_t>(static_cast<std::int64_t>(target_ns) - offset_ns);
    const double due_s = std::min(sample_at(shown) / rate_, heard_s + kMaxAheadS);
    k = std::llround(due_s * fps);
  } else {
    const auto shown = static_cast<std::uint64_t>(static_cast<std::int64_t>(now_ns) - offset_ns);
    const double due_s = std::min(sample_at(shown) / rate_, heard_s + kMaxAheadS);
    k = static_cast<std::int64_t>(std::floor(due_s * fps + 1e-9));
  }
  const bool showing = showing_.load();
  if (k > last_frame_ && k >= 0) {
    if (showing) {
      const auto t0 = std::chrono::steady_clock::now();
      look_->draw(k, canvas_);
      if (look_transparent_) mv::alpha_from_black(canvas_, alpha_);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (target_ns != 0) hold_until_previous_tick(target_ns, interval_ns);
      {
        std::lock_guard out(output_mutex_);
        if (output_attached_ && output_) output_(canvas_, look_transparent_ ? alpha_.data() : nullptr, now_ns);
      }
      const bool late = target_ns != 0 && config_.video_ticked_ns && config_.video_ticked_ns() >= target_ns;
      std::lock_guard lock(mutex_);
      if (late) ++stats_.frames_late;
      if (last_frame_ >= 0 && stats_.showing) stats_.frames_skipped += static_cast<std::uint64_t>(k - last_frame_ - 1);
      ++stats_.frames_drawn;
      draw_ms_sum_ += ms;
      stats_.last_draw_ms = ms;
      stats_.max_draw_ms = std::max(stats_.max_draw_ms, ms);
      stats_.mean_draw_ms = draw_ms_sum_ / static_cast<double>(stats_.frames_drawn);
    } else {
      look_->advance(k);
    }
    last_frame_ = k;
  }
  {
    std::lock_guard lock(mutex_);
    stats_.showing = showing;
    stats_.tempo_bpm = look_->analyzer().tempo_bpm();
    stats_.audio_age_s = stats_.audio_blocks == 0 ? -1.0 : static_cast<double>(now_ns - last_audio_ns_) / 1e9;
  }
  // Wake when the next frame is due (OBS's next frame time less the lead, or the next
  // frame's audio time reached at now − offset), within 2..50 ms.
  std::int64_t next_ns = 0;
  if (target_ns != 0) {
    next_ns = static_cast<std::int64_t>(target_ns + interval_ns - lead_ns);
  } else {
    const double next_sample = static_cast<double>(last_frame_ + 1) / fps * rate_;
    next_ns = static_cast<std::int64_t>(timestamp_of(next_sample)) + offset_ns;
  }
  const auto lo = static_cast<std::int64_t>(now_ns + 2 * kMs);
  const auto hi = static_cast<std::int64_t>(now_ns + 50 * kMs);
  return static_cast<std::uint64_t>(showing ? std::clamp(next_ns, lo, hi) : hi);
}

void LiveLookRunner::hold_until_previous_tick(std::uint64_t target_ns, std::uint64_t interval_ns) const {
  if (!config_.video_ticked_ns) return;
  using Clock = std::chrono::steady_clock;
  // Polled: the wait is rare (OBS's tick runs late) and never longer than until the frame's own time.
  while (config_.video_ticked_ns() + interval_ns < target_ns) {
    const auto now = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count());
    if (now >= target_ns) return;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
}

void LiveLookRunner::run() {
  using Clock = std::chrono::steady_clock;
  pthread_setname_np(pthread_self(), "mv-live-look");  // found by name in /proc (the e2e test counts them)
  std::string last_error;
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    const auto now = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count());
    std::uint64_t next = now + 50 * kMs;
    bool failed = false;
    try {
      next = step(now);
    } catch (const std::exception& e) {
      // Nothing can be drawn (not even the default look): said once, retried each second.
      if (e.what() != last_error && log_) log_(std::string("the live look cannot be drawn: ") + e.what());
      last_error = e.what();
      next = now + 1000 * kMs;
      failed = true;
    }
    lock.lock();
    if (failed) stats_.warning = last_error;
    wake_.wait_until(lock, Clock::time_point(std::chrono::nanoseconds(next)), [this, failed] { return stop_ || (!failed && config_changed_); });
    if (failed) config_changed_ = true;
  }
  finished_ = true;
}

}  // namespace mvplugin
