// ffmpeg-log.cpp — process-wide FFmpeg settings of the front ends: the log kept
// to errors, the largest single allocation capped (see media.hpp).
extern "C" {
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

#include "mv/media/media.hpp"

namespace mv {

void quiet_ffmpeg_log() { av_log_set_level(AV_LOG_ERROR); }

void limit_ffmpeg_allocation(std::size_t max_bytes) { av_max_alloc(max_bytes); }

}  // namespace mv
