// audio-ring-buffer.cpp — see audio-ring-buffer.hpp.
#include "audio-ring-buffer.hpp"

#include "mv/base/error.hpp"
#include "mv/base/output-file.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace mvplugin {

namespace fs = std::filesystem;

AudioRingBuffer::AudioRingBuffer(int sample_rate, int channels, double seconds)
    : rate_(std::max(1, sample_rate)), channels_(std::clamp(channels, 1, 8)) {
  capacity_frames_ = static_cast<std::size_t>(std::clamp(seconds, 30.0, 600.0) * rate_);
  // Not zero-filled: a large block comes from mmap with pages the kernel zeroes on
  // first touch, so taking up to 115 MB costs microseconds on the calling thread
  // (the UI or obs-websocket thread), not a pass over the memory. Only frames
  // written by push() are ever read.
  samples_.reset(new std::int16_t[capacity_frames_ * static_cast<std::size_t>(channels_)]);
  block_frames_ = std::max<std::size_t>(1, static_cast<std::size_t>(rate_) / 10);
  block_count_ = (capacity_frames_ + block_frames_ - 1) / block_frames_;
  block_peaks_ = std::make_unique<std::atomic<std::uint8_t>[]>(block_count_);
}

template <class SampleAt>
bool AudioRingBuffer::push_samples(std::size_t frames, SampleAt sample_at) {
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) {
    dropped_.fetch_add(1);
    return false;
  }
  const auto ch = static_cast<std::size_t>(channels_);
  for (std::size_t i = 0; i < frames; ++i) {
    std::int16_t* dst = samples_.get() + write_frame_ * ch;
    for (std::size_t c = 0; c < ch; ++c) {
      const float v = std::clamp(sample_at(i, c), -1.0f, 1.0f);
      dst[c] = static_cast<std::int16_t>(std::lround(v * 32767.0f));
      block_peak_ = std::max(block_peak_, std::fabs(v));
    }
    write_frame_ = (write_frame_ + 1) % capacity_frames_;
    if (++block_fill_ == block_frames_) {  // a tenth of a second is complete
      const std::size_t n = blocks_written_.load(std::memory_order_relaxed);
      block_peaks_[n % block_count_].store(static_cast<std::uint8_t>(std::lround(block_peak_ * 255.0F)),
                                           std::memory_order_relaxed);
      blocks_written_.store(n + 1, std::memory_order_release);
      block_fill_ = 0;
      block_peak_ = 0.0F;
    }
  }
  filled_frames_ = std::min(capacity_frames_, filled_frames_ + frames);
  return true;
}

bool AudioRingBuffer::push(const float* const* planes, std::size_t frames) {
  return push_samples(frames, [planes](std::size_t i, std::size_t c) { return planes[c] != nullptr ? planes[c][i] : 0.0f; });
}

bool AudioRingBuffer::push_interleaved(const float* samples, std::size_t frames) {
  const auto ch = static_cast<std::size_t>(channels_);
  return push_samples(frames, [samples, ch](std::size_t i, std::size_t c) { return samples != nullptr ? samples[i * ch + c] : 0.0f; });
}

std::vector<float> AudioRingBuffer::peaks(std::size_t bins) const {
  const std::size_t written = blocks_written_.load(std::memory_order_acquire);
  const std::size_t have = std::min(written, block_count_);
  if (have == 0 || bins == 0) return {};
  const std::size_t out_bins = std::min(bins, have);
  std::vector<float> out(out_bins, 0.0F);
  for (std::size_t k = 0; k < have; ++k) {
    const std::size_t block = (written - have + k) % block_count_;  // oldest first
    const float v = static_cast<float>(block_peaks_[block].load(std::memory_order_relaxed)) / 255.0F;
    float& bin = out[k * out_bins / have];
    bin = std::max(bin, v);
  }
  return out;
}

double AudioRingBuffer::buffered_seconds() const {
  std::lock_guard lock(mutex_);
  return static_cast<double>(filled_frames_) / rate_;
}

double AudioRingBuffer::capacity_seconds() const { return static_cast<double>(capacity_frames_) / rate_; }

double AudioRingBuffer::write_wav(const fs::path& path, double seconds, const mv::CancelToken* cancel) {
  std::vector<std::int16_t> copy;
  {
    // Copy out under the lock (a memcpy of at most the buffer), write outside it:
    // the audio thread drops at most the packets of this copy.
    std::lock_guard lock(mutex_);
    const auto want = static_cast<std::size_t>(std::max(0.0, seconds) * rate_);
    const std::size_t frames = std::min(want, filled_frames_);
    const auto ch = static_cast<std::size_t>(channels_);
    copy.resize(frames * ch);
    const std::size_t start = (write_frame_ + capacity_frames_ - frames) % capacity_frames_;
    const std::size_t first = std::min(frames, capacity_frames_ - start);
    std::copy_n(samples_.get() + start * ch, first * ch, copy.begin());
    std::copy_n(samples_.get(), (frames - first) * ch, copy.begin() + static_cast<std::ptrdiff_t>(first * ch));
  }
  mv::TempOutput temp(path);  // removed on any error or cancellation
  {
    std::ofstream out(temp.path(), std::ios::binary);
    if (!out) throw mv::Error(mv::ErrorCode::Output, "cannot write " + temp.path().string());
    auto put32 = [&](std::uint32_t v) {
      for (int i = 0; i < 4; ++i) out.put(static_cast<char>((v >> (8 * i)) & 0xff));
    };
    auto put16 = [&](std::uint16_t v) {
      out.put(static_cast<char>(v & 0xff));
      out.put(static_cast<char>(v >> 8));
    };
    const auto bytes = static_cast<std::uint32_t>(copy.size() * 2);
    out.write("RIFF", 4);
    put32(36 + bytes);
    out.write("WAVEfmt ", 8);
    put32(16);
    put16(1);  // PCM
    put16(static_cast<std::uint16_t>(channels_));
    put32(static_cast<std::uint32_t>(rate_));
    put32(static_cast<std::uint32_t>(rate_ * channels_ * 2));
    put16(static_cast<std::uint16_t>(channels_ * 2));
    put16(16);
    out.write("data", 4);
    put32(bytes);
    // Samples as little-endian bytes, written in blocks (not one put() each).
    std::vector<char> block;
    block.reserve(1 << 16);
    for (std::size_t i = 0; i < copy.size(); ++i) {
      const auto v = static_cast<std::uint16_t>(copy[i]);
      block.push_back(static_cast<char>(v & 0xff));
      block.push_back(static_cast<char>(v >> 8));
      if (block.size() >= (1u << 16) || i + 1 == copy.size()) {
        if (cancel != nullptr) cancel->throw_if_requested();
        out.write(block.data(), static_cast<std::streamsize>(block.size()));
        block.clear();
      }
    }
    if (!out.flush()) throw mv::Error(mv::ErrorCode::Output, "cannot write " + path.string());
  }
  temp.commit(path);
  return static_cast<double>(copy.size() / static_cast<std::size_t>(channels_)) / rate_;
}

}  // namespace mvplugin
