// A sweep: a grid of runs over one data set, trained by one process or by
// many identical workers sharing one store (sweep --worker, --slurm), the
// same way for the CLI and the workbench. The store is the queue: a worker
// reads the cells' states in one read that locks nothing, claims what is
// claimable (claimCell, atomic), trains it with every write fenced by its
// attempt (CellAttempt), and leaves when nothing is left to claim and
// nothing is held by another worker; while others hold cells it looks
// again (one read) when the first of their leases could run out, or after
// a renewal period (a third of the lease, at most 10 s) if that is sooner.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "vidrnn/config.h"
#include "vidrnn/outcome.h"
#include "vidrnn/store.h"

namespace vidrnn {

struct SweepGrid {
    TrainConfig base;  // every setting but the grid's axes
    std::vector<std::string> archs;
    std::vector<int> hidden;
    std::vector<int> folds;
    int seeds = 1;  // from base.seed on
};

// The grid's cells in the order every front end trains them: seed, fold,
// architecture, hidden size.
std::vector<TrainConfig> sweepCells(const SweepGrid& grid);

// The sweep's identity as stored (sweeps.spec): its axes and base
// settings, less the thread count, which changes how fast a run trains,
// not what the cell is (a worker given another --threads joins the same
// sweep; each run records its own count as provenance: like another
// machine, another count may move results in the last digits).
std::string sweepSpecJson(const SweepGrid& grid);

// The writes of one claimed cell attempt on the worker's own connection
// (no second connection for heartbeats): epochs are kept and written
// together with the lease's renewal, which happens at most every
// renewalPeriod (a third of the lease, at most 10 s) from the training
// loop's callbacks; the result, the failure or the cancel lands with the
// epochs not yet written. Every write throws LeaseLost once the cell passed
// to another attempt.
class CellAttempt {
public:
    CellAttempt(RunStore& store, std::int64_t runId, int attempt);
    std::int64_t runId() const { return mRunId; }
    int attempt() const { return mAttempt; }
    // Kept, and written with the next renewal.
    void epoch(const EpochRecord& epoch);
    // Renews the lease (with the epochs kept) once a renewal is due.
    void keepAlive();
    void complete(const RunResult& result);
    // Failed with the reason; the message says which attempt of how many,
    // and that the cell is given up when it was the last.
    void fail(const std::string& reason);
    void cancel(const std::string& reason);
    static std::chrono::milliseconds renewalPeriod(const RunStore::Options& options);

private:
    void flush();
    RunStore& mStore;
    std::int64_t mRunId;
    int mAttempt;
    std::chrono::milliseconds mPeriod;
    std::chrono::steady_clock::time_point mLastRenewal;
    std::vector<EpochRecord> mEpochs;
};

// Claims a cell of sweep `sweepId` and, when claimed, calls train(cell,
// result), which ends the attempt through `cell` (complete, cancel) and
// fills `result`. Whatever `train` throws but a StoreError fails the cell
// with its reason (the worker goes on to the next cell); a lease lost to
// another attempt ends it as Interrupted with leaseLost set, nothing more
// written. Not claimed: result.skipped, with the cell's state as status
// (Completed, Failed for given up, Running for held elsewhere).
ExperimentResult attemptCell(RunStore& store, std::int64_t sweepId, const TrainConfig& config,
                             const RunMeta& meta,
                             const std::function<void(CellAttempt&, ExperimentResult&)>& train);

enum class SweepOpen {
    New,     // a new sweep
    Resume,  // the newest sweep of the same grid on the same data, else a new one
    Join,    // as Resume, in one transaction with other workers starting together
};
// The sweep's id: `id` when not 0 (StoreError when there is none), else as
// `how` says. A sweep found to resume is marked running again (one joined
// only once workSweep finds a cell to claim).
std::int64_t openSweep(RunStore& store, const std::string& spec, const std::string& dataset,
                       SweepOpen how, std::int64_t id = 0);

struct SweepCellReport {
    int index = 0;  // 1-based, in sweepCells' order
    const TrainConfig* config = nullptr;
    ExperimentResult result;
};

struct SweepEnd {
    int cells = 0;
    int done = 0;     // completed cells of the sweep (by anyone)
    int failed = 0;   // given up (failed maxAttempts times)
    int trained = 0;  // cells this process completed
    bool cancelled = false;
    // Nothing left: every cell completed or given up.
    bool finished = false;
    // This process ended the sweep (of workers that finished together, one does).
    bool ended = false;
};

struct SweepWork {
    // A worker waits for cells other workers hold; a lone sweep process
    // leaves them to their holders and ends.
    bool wait = false;
    // Claims and trains cell `index` (1-based, in sweepCells' order):
    // runExperiment with the sweep's id. A cell it did not claim (done or
    // taken since the look, or stopped before the claim) comes back skipped.
    std::function<ExperimentResult(int index, const TrainConfig&)> attempt;
    // After each cell this process attempted (not for cells it only looked at).
    std::function<void(const SweepCellReport&)> onCell;
    // Once per cell that a look finds completed or given up without this
    // process having attempted it (done before a resume, or by another
    // worker): result.skipped, with the cell's run, status (Completed, or
    // Failed for given up) and last message.
    std::function<void(const SweepCellReport&)> onSettled;
    // Waiting: how many cells others hold and when the first lease runs out;
    // called when that count changes.
    std::function<void(int held, double nextExpirySeconds)> onWait;
};

// Marks sweep `sweepId` as a lone process ends it when its work stops on an
// exception: "cancelled" when `stopped`, else "failed", so it is not left
// "running" with nobody running it. Best effort and never throws (the error
// may be the store's own).
void abandonSweep(RunStore& store, std::int64_t sweepId, bool stopped) noexcept;

// Works on sweep `sweepId` until nothing is left to claim (and, with
// wait, nothing is held by others) or `stop` is set; ends the sweep
// ("completed", or "cancelled" for a lone process that was stopped) when
// this process finished it. A stopped worker leaves the sweep running: its
// cell is cancelled and claimable again. An exception out of the loop (the
// store's, or one from work.attempt outside a cell, such as extraction) is
// passed on; a lone process marks the sweep "failed" first ("cancelled" when
// stop is set), a worker leaves it running for the others.
SweepEnd workSweep(RunStore& store, std::int64_t sweepId, const std::vector<TrainConfig>& cells,
                   const SweepWork& work, const std::atomic<bool>& stop);

}  // namespace vidrnn
