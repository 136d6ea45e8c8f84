#include "store/liveness.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "util/util.h"

namespace vidrnn::store {

namespace {

std::string bootId() {
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    return id;
}

struct ProcStat {
    char state = '?';
    std::string startTicks;
};

// Fields 3 (state) and 22 (start time) of /proc/PID/stat. The command name
// (field 2) may hold spaces and parentheses, so fields are counted from the
// last ')'.
bool readProcStat(std::int64_t pid, ProcStat& stat) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line)) {
        return false;
    }
    auto close = line.rfind(')');
    if (close == std::string::npos) {
        return false;
    }
    std::istringstream fields(line.substr(close + 1));
    std::string field;
    for (int index = 3; index <= 22 && (fields >> field); ++index) {
        if (index == 3) {
            stat.state = field.empty() ? '?' : field[0];
        } else if (index == 22) {
            stat.startTicks = field;
            return true;
        }
    }
    return false;
}

}  // namespace

std::string processStartToken(std::int64_t pid) {
    ProcStat stat;
    if (!readProcStat(pid, stat)) {
        return {};
    }
    // The boot id makes a token from before a reboot differ even if the pid
    // and tick count happen to repeat.
    static const std::string boot = bootId();
    return boot + "/" + stat.startTicks;
}

ProcessIdentity currentProcess() {
    // Not cached: a child made by fork() must not report its parent.
    ProcessIdentity id;
    id.host = util::hostName();
    id.pid = getpid();
    id.start = processStartToken(id.pid);
    const char* arrayJob = std::getenv("SLURM_ARRAY_JOB_ID");
    const char* arrayTask = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* job = std::getenv("SLURM_JOB_ID");
    if (arrayJob && arrayTask) {
        id.job = std::string(arrayJob) + "_" + arrayTask;
    } else if (job) {
        id.job = job;
    }
    return id;
}

Liveness localLiveness(std::int64_t pid, const std::string& start) {
    if (pid <= 0) {
        return Liveness::Dead;
    }
    if (kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
        return Liveness::Dead;
    }
    ProcStat stat;
    if (readProcStat(pid, stat) && stat.state == 'Z') {
        return Liveness::Dead;  // exited, waiting for its parent to reap it
    }
    std::string now = processStartToken(pid);
    if (start.empty() || now.empty()) {
        return Liveness::Unknown;
    }
    return now == start ? Liveness::Alive : Liveness::Dead;
}

bool ownerGone(const std::string& host, std::int64_t pid, const std::string& start,
               double heartbeatAgeSeconds, double timeoutSeconds) {
    bool stale = heartbeatAgeSeconds > timeoutSeconds;
    if (host.empty() || host != currentProcess().host) {
        return stale;
    }
    switch (localLiveness(pid, start)) {
        case Liveness::Dead:
            return true;
        case Liveness::Alive:
            return false;
        case Liveness::Unknown:
            return stale;
    }
    return stale;
}

}  // namespace vidrnn::store
