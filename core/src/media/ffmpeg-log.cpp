// ffmpeg-log.cpp — process-wide FFmpeg settings of the front ends: its log off
// (or its warnings with --verbose), the largest single allocation capped (see media.hpp).
extern "C" {
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

#include "mv/media/media.hpp"

namespace mv {

void quiet_ffmpeg_log(bool verbose) { av_log_set_level(verbose ? AV_LOG_WARNING : AV_LOG_QUIET); }

void limit_ffmpeg_allocation(std::size_t max_bytes) { av_max_alloc(max_bytes); }

}  // namespace mv
