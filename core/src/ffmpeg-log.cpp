// ffmpeg-log.cpp — keeps FFmpeg's log to errors only (see media.hpp).
extern "C" {
#include <libavutil/log.h>
}

#include "mv/media.hpp"

namespace mv {

void quiet_ffmpeg_log() { av_log_set_level(AV_LOG_ERROR); }

}  // namespace mv
