#include "vidrnn/sweep.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <thread>
#include <tuple>

#include <nlohmann/json.hpp>

#include "vidrnn/errors.h"

namespace vidrnn {

namespace {

using Clock = std::chrono::steady_clock;

// The store's name for a cell, as sweepCellStates gives it.
GridCell gridCell(const TrainConfig& c) {
    return {c.arch, c.hidden, effectiveLayers(c), c.fold, c.seed};
}

bool cellLess(const GridCell& a, const GridCell& b) {
    return std::tie(a.arch, a.hidden, a.layers, a.fold, a.seed) <
           std::tie(b.arch, b.hidden, b.layers, b.fold, b.seed);
}

// Sleeps up to `seconds`, waking early when `stop` is set.
void pause(double seconds, const std::atomic<bool>& stop) {
    const auto until = Clock::now() + std::chrono::duration<double>(seconds);
    while (!stop && Clock::now() < until) {
        std::this_thread::sleep_for(std::min<Clock::duration>(
            std::chrono::milliseconds(100),
            std::chrono::duration_cast<Clock::duration>(until - Clock::now())));
    }
}

}  // namespace

std::vector<TrainConfig> sweepCells(const SweepGrid& grid) {
    std::vector<TrainConfig> cells;
    for (int seed = grid.base.seed; seed < grid.base.seed + grid.seeds; ++seed) {
        for (int fold : grid.folds) {
            for (const auto& arch : grid.archs) {
                for (int hidden : grid.hidden) {
                    TrainConfig c = grid.base;
                    c.arch = arch;
                    c.hidden = hidden;
                    c.fold = fold;
                    c.seed = seed;
                    cells.push_back(std::move(c));
                }
            }
        }
    }
    return cells;
}

std::string sweepSpecJson(const SweepGrid& grid) {
    auto base = nlohmann::json::parse(toJson(grid.base));
    base.erase("threads");
    const nlohmann::json spec{{"archs", grid.archs},
                              {"hidden", grid.hidden},
                              {"folds", grid.folds},
                              {"seeds", grid.seeds},
                              {"base", base}};
    return spec.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// The same grid: compared as documents (the workbench wrote specs with Qt's
// JSON, "5" where nlohmann writes "5.0"), less what does not define it: the
// base's arch, hidden size and fold (the axes do) and the thread count
// (specs written before it left the identity hold it).
bool sameSpec(const std::string& stored, const std::string& spec) {
    if (stored == spec) {
        return true;
    }
    auto a = nlohmann::json::parse(stored, nullptr, false);
    auto b = nlohmann::json::parse(spec, nullptr, false);
    for (auto* doc : {&a, &b}) {
        if (!doc->is_object() || !doc->contains("base") || !(*doc)["base"].is_object()) {
            return false;
        }
        for (const char* key : {"threads", "arch", "hidden", "fold"}) {
            (*doc)["base"].erase(key);
        }
    }
    return a == b;
}

}  // namespace

std::int64_t openSweep(RunStore& store, const std::string& spec, const std::string& dataset,
                       SweepOpen how, std::int64_t id) {
    if (id != 0 && !store.getSweep(id)) {
        throw StoreError(store.path(), "no sweep " + std::to_string(id));
    }
    if (id == 0 && how == SweepOpen::New) {
        return store.createSweep(spec, dataset);
    }
    if (id == 0) {
        // The newest sweep of the same grid on the same data (its completed
        // cells are kept, the rest trained; a finished grid trains nothing),
        // found or created in one transaction, so that a workbench resuming
        // and CLI workers joining at the same moment share one sweep.
        id = store.joinSweep(spec, dataset,
                             [&spec](const std::string& stored) { return sameSpec(stored, spec); });
    }
    // A worker joining a finished sweep leaves its status alone unless it
    // finds something to claim (workSweep).
    if (how != SweepOpen::Join && store.getSweep(id)->status != "running") {
        store.setSweepStatus(id, "running");
    }
    return id;
}

// ---- CellAttempt

std::chrono::milliseconds CellAttempt::renewalPeriod(const RunStore::Options& options) {
    // A third of the lease leaves two renewals' room before it runs out; at
    // most 10 s, so that a live view of the store sees epochs come in.
    return std::clamp<std::chrono::milliseconds>(
        std::chrono::duration_cast<std::chrono::milliseconds>(options.heartbeatTimeout) / 3,
        std::chrono::milliseconds(200), std::chrono::milliseconds(10000));
}

CellAttempt::CellAttempt(RunStore& store, std::int64_t runId, int attempt)
    : mStore(store),
      mRunId(runId),
      mAttempt(attempt),
      mPeriod(renewalPeriod(store.options())),
      mLastRenewal(Clock::now()) {}

void CellAttempt::epoch(const EpochRecord& epoch) {
    mEpochs.push_back(epoch);
    keepAlive();
}

void CellAttempt::keepAlive() {
    if (Clock::now() - mLastRenewal >= mPeriod) {
        flush();
    }
}

void CellAttempt::flush() {
    mStore.renewLease(mRunId, mAttempt, mEpochs);
    mEpochs.clear();
    mLastRenewal = Clock::now();
}

void CellAttempt::complete(const RunResult& result) {
    mStore.completeAttempt(mRunId, mAttempt, mEpochs, result);
    mEpochs.clear();
}

void CellAttempt::fail(const std::string& reason) {
    const int max = mStore.options().maxAttempts;
    const std::string which =
        "attempt " + std::to_string(mAttempt) + " of " + std::to_string(max) + ": " + reason;
    mStore.endAttempt(
        mRunId, mAttempt, RunStatus::Failed,
        mAttempt >= max ? "gave up after " + std::to_string(mAttempt) + " attempts; last: " + which
                        : which,
        mEpochs);
    mEpochs.clear();
}

void CellAttempt::cancel(const std::string& reason) {
    mStore.endAttempt(mRunId, mAttempt, RunStatus::Cancelled, reason, mEpochs);
    mEpochs.clear();
}

ExperimentResult attemptCell(RunStore& store, std::int64_t sweepId, const TrainConfig& config,
                             const RunMeta& meta,
                             const std::function<void(CellAttempt&, ExperimentResult&)>& train) {
    ExperimentResult result;
    const auto claim = store.claimCell(sweepId, config, meta);
    result.runId = claim.runId;
    if (claim.state != CellClaim::State::Claimed) {
        result.skipped = true;
        result.status = claim.state == CellClaim::State::Completed ? RunStatus::Completed
                        : claim.state == CellClaim::State::GaveUp  ? RunStatus::Failed
                                                                   : RunStatus::Running;
        return result;
    }
    result.attempt = claim.attempt;
    CellAttempt cell(store, claim.runId, claim.attempt);
    try {
        try {
            train(cell, result);
        } catch (const StoreError&) {
            throw;  // the store, not the cell: LeaseLost below, the rest to the caller
        } catch (const std::exception& e) {
            result.status = RunStatus::Failed;
            result.message = e.what();
            cell.fail(result.message);
        }
    } catch (const LeaseLost& e) {
        result.status = RunStatus::Interrupted;
        result.leaseLost = true;
        result.message = e.what();
    }
    return result;
}

// ---- the worker loop

namespace {

SweepEnd workLoop(RunStore& store, std::int64_t sweepId, const std::vector<TrainConfig>& cells,
                  const SweepWork& work, const std::atomic<bool>& stop) {
    SweepEnd end;
    end.cells = static_cast<int>(cells.size());
    const int maxAttempts = store.options().maxAttempts;
    const double lease = static_cast<double>(store.options().heartbeatTimeout.count());
    const double renewal =
        std::chrono::duration<double>(CellAttempt::renewalPeriod(store.options())).count();
    int lastHeld = -1;
    bool reopened = false;
    // Cells reported through onCell or onSettled.
    std::vector<char> reported(cells.size(), 0);
    const auto settled = [&](int i, const CellState& state) {
        auto& seen = reported[static_cast<std::size_t>(i)];
        if (seen || !work.onSettled) {
            return;
        }
        seen = 1;
        SweepCellReport report;
        report.index = i + 1;
        report.config = &cells[static_cast<std::size_t>(i)];
        report.result.runId = state.runId;
        report.result.status = state.status;
        report.result.attempt = state.attempts;
        report.result.message = state.message;
        report.result.skipped = true;
        work.onSettled(report);
    };
    const std::size_t walkStart = std::random_device{}();
    double idle = 0.2;  // back-off when every claim of a pass found the cell busy
    while (!stop) {
        // One read: what is done, given up, held by others, claimable.
        auto states = store.sweepCellStates(sweepId);
        std::sort(states.begin(), states.end(),
                  [](const CellState& a, const CellState& b) { return cellLess(a.cell, b.cell); });
        end.done = end.failed = 0;
        int held = 0;
        double nextExpiry = lease;
        std::vector<int> claimable;
        for (int i = 0; i < end.cells; ++i) {
            const GridCell key = gridCell(cells[static_cast<std::size_t>(i)]);
            auto it = std::lower_bound(
                states.begin(), states.end(), key,
                [](const CellState& s, const GridCell& k) { return cellLess(s.cell, k); });
            if (it == states.end() || !(it->cell == key)) {
                claimable.push_back(i);
            } else if (it->status == RunStatus::Completed) {
                ++end.done;
                settled(i, *it);
            } else if (it->status == RunStatus::Failed && it->attempts >= maxAttempts) {
                ++end.failed;
                settled(i, *it);
            } else if (it->held) {
                ++held;
                nextExpiry = std::min(nextExpiry, it->leaseLeft);
            } else {
                claimable.push_back(i);
            }
        }
        if (claimable.empty()) {
            if (held == 0) {
                end.finished = true;
                break;
            }
            if (!work.wait) {
                break;
            }
            if (held != lastHeld && work.onWait) {
                work.onWait(held, std::max(0.0, nextExpiry));
            }
            lastHeld = held;
            // Nothing to do until a holder finishes or its lease runs out:
            // look again when the first lease could have run out, or after
            // a renewal period if that is sooner (holders write at that
            // pace anyway), so that a worker leaves soon after the last
            // cell is done rather than a lease later. A look is one read.
            pause(std::clamp(std::min(nextExpiry + 0.1, renewal), 0.2, lease), stop);
            continue;
        }
        lastHeld = -1;
        if (!reopened) {
            // Cells to train again (given up before, now with more attempts
            // allowed, or cancelled): the sweep runs again.
            if (const auto sweep = store.getSweep(sweepId); sweep && sweep->status != "running") {
                store.setSweepStatus(sweepId, "running");
            }
            reopened = true;
        }
        if (work.wait && claimable.size() > 1) {
            // Workers started together would all claim the grid's first
            // cell, then its second...: each but one gets "busy" for every
            // cell, a transaction each (at 64 workers the server spent 14x
            // the CPU per cell of one worker). Each starts its walk at its
            // own place; a lone process keeps the grid's order.
            std::rotate(
                claimable.begin(),
                claimable.begin() + static_cast<std::ptrdiff_t>(walkStart % claimable.size()),
                claimable.end());
        }
        bool claimedAny = false;
        for (int i : claimable) {
            if (stop) {
                break;
            }
            const TrainConfig& c = cells[static_cast<std::size_t>(i)];
            SweepCellReport report;
            report.index = i + 1;
            report.config = &c;
            report.result = work.attempt(report.index, c);
            if (report.result.skipped) {
                continue;  // done, given up or claimed by another worker since the read
            }
            claimedAny = true;
            reported[static_cast<std::size_t>(i)] = 1;
            if (report.result.status == RunStatus::Completed) {
                ++end.trained;
            }
            if (work.onCell) {
                work.onCell(report);
            }
        }
        if (!claimedAny && !stop) {
            // Every claimable cell was taken between the read and the claim.
            pause(idle, stop);
            idle = std::min(idle * 2, std::max(0.2, lease / 3));
        } else {
            idle = 0.2;
        }
    }
    end.cancelled = stop;
    if (end.finished) {
        end.ended = store.endSweep(sweepId, "completed");
    } else if (end.cancelled && !work.wait) {
        store.setSweepStatus(sweepId, "cancelled");
    }
    return end;
}

}  // namespace

SweepEnd workSweep(RunStore& store, std::int64_t sweepId, const std::vector<TrainConfig>& cells,
                   const SweepWork& work, const std::atomic<bool>& stop) {
    try {
        return workLoop(store, sweepId, cells, work, stop);
    } catch (const std::exception&) {
        // A worker's sweep stays running: the others go on with it.
        if (!work.wait) {
            abandonSweep(store, sweepId, stop);
        }
        throw;
    }
}

void abandonSweep(RunStore& store, std::int64_t sweepId, bool stopped) noexcept {
    try {
        store.setSweepStatus(sweepId, stopped ? "cancelled" : "failed");
    } catch (const std::exception&) {
    }
}

}  // namespace vidrnn
