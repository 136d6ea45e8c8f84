// Keeps a run's lease while it trains: a thread with its own connection to
// the store renews the heartbeat every third of the lease, so that a worker
// busy in a long batch (or a long first epoch) never looks dead, and a dead
// worker's cell is claimed again once its lease runs out.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "vidrnn/store.h"

namespace vidrnn::store {

class LeaseKeeper {
public:
    LeaseKeeper(const std::string& location, const RunStore::Options& options, std::int64_t runId);
    ~LeaseKeeper();
    LeaseKeeper(const LeaseKeeper&) = delete;
    LeaseKeeper& operator=(const LeaseKeeper&) = delete;

    // Why renewing failed last ("" = it did not): the lease passed to
    // another worker, or the server stayed away.
    std::string problem() const;

private:
    void loop(std::string location, RunStore::Options options);

    std::int64_t mRunId;
    std::chrono::milliseconds mPeriod;
    mutable std::mutex mMutex;
    std::condition_variable mWake;
    bool mStop = false;
    std::string mProblem;
    std::thread mThread;
};

}  // namespace vidrnn::store
