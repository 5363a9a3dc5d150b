// rolling-capture.cpp — see rolling-capture.hpp.
#include "rolling-capture.hpp"

#include <obs.h>

#include <chrono>
#include <ctime>
#include <filesystem>

namespace mvplugin {

namespace {

/// OBS audio thread: copy the packet (or silence when the source is muted).
void capture(void* param, obs_source_t*, const struct audio_data* audio, bool muted) {
  auto* ring = static_cast<AudioRingBuffer*>(param);
  if (audio == nullptr || audio->frames == 0) return;
  static thread_local std::vector<float> zeros;
  const float* planes[MAX_AV_PLANES] = {};
  if (muted) zeros.assign(audio->frames, 0.0f);
  for (int c = 0; c < ring->channels() && c < MAX_AV_PLANES; ++c) {
    planes[c] = muted ? zeros.data() : reinterpret_cast<const float*>(audio->data[c]);
  }
  ring->push(planes, audio->frames);
}

}  // namespace

RollingCapture::~RollingCapture() { stop(); }

std::vector<std::string> RollingCapture::audio_sources() {
  std::vector<std::string> names;
  obs_enum_sources(
      [](void* param, obs_source_t* source) {
        if ((obs_source_get_output_flags(source) & OBS_SOURCE_AUDIO) != 0) {
          static_cast<std::vector<std::string>*>(param)->emplace_back(obs_source_get_name(source));
        }
        return true;
      },
      &names);
  return names;
}

double RollingCapture::buffered_seconds() const {
  std::lock_guard lock(mutex_);
  return ring_ ? ring_->buffered_seconds() : 0.0;
}

double RollingCapture::capacity_seconds() const {
  std::lock_guard lock(mutex_);
  return ring_ ? ring_->capacity_seconds() : 0.0;
}

std::vector<float> RollingCapture::peaks(std::size_t bins) const {
  std::lock_guard lock(mutex_);  // the capture's own lock, not the ring's: the audio thread never waits on it
  return ring_ ? ring_->peaks(bins) : std::vector<float>();
}

std::string RollingCapture::source_name() const {
  std::lock_guard lock(mutex_);
  return name_;
}

void RollingCapture::stop() {
  std::lock_guard lock(mutex_);
  stop_locked();
}

void RollingCapture::stop_locked() {
  if (weak_ != nullptr) {
    obs_source_t* source = obs_weak_source_get_source(weak_);
    if (source != nullptr) {
      // After this returns OBS runs no more callbacks with our ring (it holds
      // the source's callback mutex while calling them).
      obs_source_remove_audio_capture_callback(source, capture, ring_.get());
      obs_source_release(source);
    }
    obs_weak_source_release(weak_);
    weak_ = nullptr;
  }
  ring_.reset();
  name_.clear();
}

bool RollingCapture::set_source(const std::string& source_name, double seconds) {
  std::lock_guard lock(mutex_);
  stop_locked();
  if (source_name.empty()) return true;
  obs_source_t* source = obs_get_source_by_name(source_name.c_str());
  if (source == nullptr) return false;
  obs_audio_info info{};
  obs_get_audio_info(&info);
  const int channels = static_cast<int>(get_audio_channels(info.speakers));
  ring_ = std::make_shared<AudioRingBuffer>(static_cast<int>(info.samples_per_sec), channels, seconds);
  weak_ = obs_source_get_weak_source(source);
  name_ = source_name;
  obs_source_add_audio_capture_callback(source, capture, ring_.get());
  obs_source_release(source);
  return true;
}

std::string RollingCapture::save(const std::string& dir, const mv::CancelToken* cancel) {
  std::shared_ptr<AudioRingBuffer> ring;
  std::string name;
  {
    // Only the pointer is taken under the lock: the (long) write must not
    // block set_source() on the UI thread. The ring stays alive through `ring`.
    std::lock_guard lock(mutex_);
    ring = ring_;
    name = name_;
  }
  if (!ring || ring->buffered_seconds() < 1.0) return {};
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H-%M-%S", &local);
  const auto path = std::filesystem::path(dir) / (name + " " + stamp + ".wav");
  ring->write_wav(path, ring->capacity_seconds(), cancel);
  return path.string();
}

}  // namespace mvplugin
