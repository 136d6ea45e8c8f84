// Telling a live run from one whose process died: on the same machine the
// owner's pid and start time are checked (a pid alone may have been reused);
// from another machine only the heartbeat's age can tell.
#pragma once

#include <cstdint>
#include <string>

namespace vidrnn::store {

struct ProcessIdentity {
    std::string host;
    std::int64_t pid = 0;
    // Boot id and start time in clock ticks, "" where /proc cannot tell.
    std::string start;
    // The batch job the process runs in: Slurm's array job and task
    // ("1234_5") or job id; "" outside one.
    std::string job;
};

ProcessIdentity currentProcess();

// "" when the process does not exist or /proc is unavailable.
std::string processStartToken(std::int64_t pid);

enum class Liveness { Alive, Dead, Unknown };

// A process on this machine: Dead when the pid is gone or now belongs to a
// process started at another time; Unknown when it exists but its start
// time cannot be compared.
Liveness localLiveness(std::int64_t pid, const std::string& start);

// Whether the process that owns a running run is gone: same host, by pid and
// start time (by the heartbeat only where those cannot tell); another host,
// by a heartbeat older than timeoutSeconds.
bool ownerGone(const std::string& host, std::int64_t pid, const std::string& start,
               double heartbeatAgeSeconds, double timeoutSeconds);

}  // namespace vidrnn::store
