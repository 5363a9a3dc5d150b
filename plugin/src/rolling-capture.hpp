// rolling-capture.hpp — OBS glue of the rolling audio buffer: taps a chosen
// audio source with obs_source_add_audio_capture_callback and keeps its last
// N seconds in an AudioRingBuffer. Callable from any thread (the dock and
// obs-websocket requests; the libobs calls used are thread-safe, the members
// are guarded by a mutex); the capture callback itself runs on OBS's audio
// thread and only try-locks the ring.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audio-ring-buffer.hpp"

struct obs_weak_source;

namespace mvplugin {

class RollingCapture {
 public:
  RollingCapture() = default;
  ~RollingCapture();
  RollingCapture(const RollingCapture&) = delete;
  RollingCapture& operator=(const RollingCapture&) = delete;

  /// Names of the sources that have audio (for the dock's chooser).
  static std::vector<std::string> audio_sources();
  /// Starts buffering `source_name` (empty: stop), keeping `seconds` (30..600).
  /// Returns false when no such source exists.
  bool set_source(const std::string& source_name, double seconds);
  /// Writes the buffered audio (all of it) to a WAV in `dir` and returns its
  /// path, empty when nothing is buffered. Slow (up to 115 MB): call it on a
  /// worker, never on the UI or websocket thread. Errors: mv::Error{Output},
  /// mv::Error{Cancelled} when `cancel` is requested mid-write.
  std::string save(const std::string& dir, const mv::CancelToken* cancel = nullptr);
  [[nodiscard]] double buffered_seconds() const;
  /// How long the buffer keeps, s (0 when off).
  [[nodiscard]] double capacity_seconds() const;
  /// The buffered audio's loudness outline (AudioRingBuffer::peaks()); empty when off.
  [[nodiscard]] std::vector<float> peaks(std::size_t bins) const;
  [[nodiscard]] std::string source_name() const;
  /// Removes the callback (OBS_FRONTEND_EVENT_EXIT, before sources go away).
  void stop();

 private:
  void stop_locked();
  mutable std::mutex mutex_;
  std::shared_ptr<AudioRingBuffer> ring_;
  obs_weak_source* weak_ = nullptr;
  std::string name_;
};

}  // namespace mvplugin
