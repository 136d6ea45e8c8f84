#include "store/lease.h"

#include <algorithm>
#include <optional>

#include "vidrnn/errors.h"

namespace vidrnn::store {

LeaseKeeper::LeaseKeeper(const std::string& location, const RunStore::Options& options,
                         std::int64_t runId)
    : mRunId(runId),
      mPeriod(std::clamp<std::chrono::milliseconds>(
          std::chrono::duration_cast<std::chrono::milliseconds>(options.heartbeatTimeout) / 3,
          std::chrono::milliseconds(200), std::chrono::milliseconds(30000))) {
    RunStore::Options own = options;
    own.mode = RunStore::OpenMode::ReadWrite;
    own.maintain = false;
    own.integrityCheck = RunStore::Options::Check::Never;
    mThread = std::thread(&LeaseKeeper::loop, this, location, own);
}

LeaseKeeper::~LeaseKeeper() {
    {
        std::lock_guard<std::mutex> lock(mMutex);
        mStop = true;
    }
    mWake.notify_all();
    mThread.join();
}

std::string LeaseKeeper::problem() const {
    std::lock_guard<std::mutex> lock(mMutex);
    return mProblem;
}

void LeaseKeeper::loop(std::string location, RunStore::Options options) {
    std::optional<RunStore> store;
    std::unique_lock<std::mutex> lock(mMutex);
    while (!mWake.wait_for(lock, mPeriod, [this] { return mStop; })) {
        lock.unlock();
        std::string problem;
        try {
            if (!store) {
                store.emplace(RunStore::open(location, options));
            }
            store->heartbeat(mRunId);
        } catch (const std::exception& e) {
            problem = e.what();
            store.reset();  // opened again at the next beat
        }
        lock.lock();
        mProblem = problem;
    }
}

}  // namespace vidrnn::store
