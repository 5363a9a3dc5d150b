// spsc-audio-ring.hpp — the hand-over from OBS's audio thread to a live
// look's drawing thread: a lock-free single-producer, single-consumer ring of
// audio blocks (interleaved float samples, each block with the timestamp of
// its first sample). The producer never blocks and never allocates: a block
// that does not fit is dropped and counted. No OBS here.
//
// Method: the classic bounded SPSC queue (one writer index, one reader index,
// each written by one side only, published with release and read with
// acquire), once for the samples and once for the block headers.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace mvplugin {

class SpscAudioRing {
 public:
  /// Holds up to `capacity_frames` frames of `channels` (1..8) channels and
  /// up to 1024 blocks. Memory: capacity_frames × channels × 4 bytes.
  SpscAudioRing(int channels, std::size_t capacity_frames);

  /// Producer (the audio thread): copies `frames` frames of planar audio
  /// (`planes[c][i]`; a null plane is silence), interleaving them, with the
  /// timestamp of the first frame (ns). Returns false when the ring is full
  /// (the block is dropped: the consumer is not keeping up).
  bool push(const float* const* planes, std::size_t frames, std::uint64_t timestamp_ns);

  /// One block as the consumer receives it.
  struct Block {
    std::vector<float> samples;   ///< interleaved, frames × channels
    std::size_t frames = 0;
    std::uint64_t timestamp_ns = 0;
  };
  /// Consumer (the drawing thread): takes the oldest block into `out`
  /// (reusing its storage). Returns false when there is none.
  bool pop(Block& out);

  [[nodiscard]] int channels() const { return channels_; }
  /// Blocks dropped because the ring was full.
  [[nodiscard]] std::uint64_t dropped_blocks() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  struct Header {
    std::size_t frames = 0;
    std::size_t offset = 0;  ///< where its samples start, in samples (monotonic)
    std::uint64_t timestamp_ns = 0;
  };
  static constexpr std::size_t kHeaders = 1024;
  int channels_;
  std::size_t capacity_;  ///< samples
  std::unique_ptr<float[]> samples_;
  std::unique_ptr<Header[]> headers_;
  // Written by the producer only.
  std::atomic<std::size_t> sample_write_{0}, header_write_{0};
  // Written by the consumer only.
  std::atomic<std::size_t> sample_read_{0}, header_read_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace mvplugin
