// spsc-audio-ring.cpp — see spsc-audio-ring.hpp.
#include "spsc-audio-ring.hpp"

#include <algorithm>

namespace mvplugin {

SpscAudioRing::SpscAudioRing(int channels, std::size_t capacity_frames)
    : channels_(std::clamp(channels, 1, 8)),
      capacity_(std::max<std::size_t>(capacity_frames, 1) * static_cast<std::size_t>(channels_)),
      samples_(new float[capacity_]),
      headers_(new Header[kHeaders]) {}

bool SpscAudioRing::push(const float* const* planes, std::size_t frames, std::uint64_t timestamp_ns) {
  const auto ch = static_cast<std::size_t>(channels_);
  const std::size_t count = frames * ch;
  const std::size_t sw = sample_write_.load(std::memory_order_relaxed);
  const std::size_t hw = header_write_.load(std::memory_order_relaxed);
  if (count > capacity_ - (sw - sample_read_.load(std::memory_order_acquire)) ||
      hw - header_read_.load(std::memory_order_acquire) >= kHeaders) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  for (std::size_t i = 0; i < frames; ++i) {
    for (std::size_t c = 0; c < ch; ++c) {
      samples_[(sw + i * ch + c) % capacity_] = planes[c] != nullptr ? planes[c][i] : 0.0F;
    }
  }
  headers_[hw % kHeaders] = Header{frames, sw, timestamp_ns};
  sample_write_.store(sw + count, std::memory_order_release);
  header_write_.store(hw + 1, std::memory_order_release);
  return true;
}

bool SpscAudioRing::pop(Block& out) {
  const std::size_t hr = header_read_.load(std::memory_order_relaxed);
  if (hr == header_write_.load(std::memory_order_acquire)) return false;
  const Header h = headers_[hr % kHeaders];
  const std::size_t count = h.frames * static_cast<std::size_t>(channels_);
  out.samples.resize(count);
  for (std::size_t i = 0; i < count; ++i) out.samples[i] = samples_[(h.offset + i) % capacity_];
  out.frames = h.frames;
  out.timestamp_ns = h.timestamp_ns;
  sample_read_.store(h.offset + count, std::memory_order_release);
  header_read_.store(hr + 1, std::memory_order_release);
  return true;
}

}  // namespace mvplugin
