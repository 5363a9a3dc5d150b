// fuzz-media-probe.cpp — media probing and audio decoding of arbitrary bytes:
// mv::probe_media and mv::AudioReader (libavformat / libavcodec /
// libswresample), as `mvgen generate` and the plugin use them on any file a
// user drops in.
//
// Input: byte 0 picks the file name's extension (bits 0-2: none, .wav, .mp3,
// .ogg, .mp4, .m4a, .flac, .png — libavformat weighs the extension when it
// guesses the format) and the excerpt start (bit 3: 0 s, else 0.05 s, which
// takes the seek path); the rest is the file, written to /dev/shm.
// The reader is opened as the analysis does (the stream's own rate and
// channels, capped at 2) for at most 2 s of audio; each chunk is checked
// (whole frames, 1..2 channels) and dropped, and at most 4000 chunks are read,
// so one run stays fast. Errors must be mv::Error; anything else is a finding.
// FFmpeg's own log is silenced.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

extern "C" {
#include <libavutil/log.h>
}

#include "fuzz-support.hpp"
#include "mv/base/error.hpp"
#include "mv/media/media.hpp"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  mv::quiet_ffmpeg_log();
  av_log_set_level(AV_LOG_QUIET);
  mv::limit_ffmpeg_allocation();  // as mvgen does (the OOM this fuzzer found, see fuzz/README.md)
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static constexpr std::array<const char*, 8> kExtensions = {"", ".wav", ".mp3", ".ogg", ".mp4", ".m4a", ".flac", ".png"};
  const unsigned selector = data[0];
  const double start_s = (selector & 8U) != 0 ? 0.05 : 0.0;
  const fs::path file = mvfuzz::scratch_dir("media") / (std::string("input") + kExtensions[selector & 7U]);
  for (const char* ext : kExtensions) {
    std::error_code ec;
    fs::remove(mvfuzz::scratch_dir("media") / (std::string("input") + ext), ec);
  }
  mvfuzz::write_file(file, std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));

  try {
    const mv::MediaInfo info = mv::probe_media(file);
    mvfuzz::check(info.duration_s >= 0.0, "negative duration");
    mvfuzz::check(!info.format_name.empty(), "probed without a format name");
    if (!info.has_audio) return 0;
  } catch (const mv::Error&) {
    return 0;  // not media: the documented answer
  }

  try {
    mv::AudioReader reader(file, 0, 0, start_s, 2.0);
    const int channels = reader.channels();
    mvfuzz::check(channels == 1 || channels == 2, "output channel count is not 1 or 2");
    mvfuzz::check(reader.sample_rate() > 0, "output rate is not positive");
    mvfuzz::check(reader.expected_duration_s() >= 0.0 && reader.expected_duration_s() <= 2.0,
                  "expected duration outside the 2 s excerpt");
    std::vector<float> chunk;
    for (int i = 0; i < 4000; ++i) {
      chunk.clear();
      if (!reader.read(chunk)) break;
      mvfuzz::check(chunk.size() % static_cast<std::size_t>(channels) == 0, "a chunk holds a partial frame");
    }
    mvfuzz::check(reader.position_s() >= 0.0, "negative position");
    (void)reader.skipped_packets();
  } catch (const mv::Error&) {
    // Undecodable audio: reported as mv::Error, as documented.
  }
  return 0;
}
