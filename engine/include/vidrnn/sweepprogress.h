// A sweep's cells by state while workers run it, on one machine or across a
// cluster: what `vidrnn sweep status` prints and the workbench's Sweep tab
// shows, read from the store alone.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "vidrnn/store.h"

namespace vidrnn {

struct SweepProgress {
    SweepRecord sweep;
    // The grid's size (archs x hidden x folds x seeds of the sweep's spec);
    // never fewer than the cells that have a run.
    int cells = 0;
    int done = 0;     // completed
    int running = 0;  // held by a worker now (its lease, or its live process)
    // Marked running, but the holder's lease ran out (a worker killed or
    // frozen): claimable by the next worker that looks.
    int stale = 0;
    int failed = 0;  // given up; the run's message says why
    int queued = 0;  // the rest: never claimed, or waiting to be claimed again
    // By run id: the running cells with host, pid, Slurm job and heartbeat,
    // and the failed ones with the last reason (message).
    std::vector<RunRecord> runningRuns;
    std::vector<RunRecord> failedRuns;
    std::vector<RunRecord> staleRuns;  // with the seconds since their lease ran out
    std::vector<double> staleSeconds;
};

// Sweep `sweepId` of the store, or its newest sweep for 0; empty when there
// is no such sweep. Reads the sweep's runs once, without their configuration
// documents, and their leases (the store's heartbeatTimeout) once. Throws
// StoreError as the store's reads do.
std::optional<SweepProgress> sweepProgress(const RunStore& store, std::int64_t sweepId = 0);

}  // namespace vidrnn
