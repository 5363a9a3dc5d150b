// cpu-time.hpp — CPU time of the calling thread, for telling our own work
// apart from the encoder's threads in the timings.
#pragma once

namespace mv {

/// CPU time (user + system) the calling thread has used since it started,
/// seconds. POSIX clock_gettime(CLOCK_THREAD_CPUTIME_ID); Windows
/// GetThreadTimes. Returns 0 where neither is available.
double thread_cpu_seconds();

}  // namespace mv
