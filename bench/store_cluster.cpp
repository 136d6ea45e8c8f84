// The run store as a cell queue, on either backend (bench/store_cluster.sh
// drives it): W worker processes claim the cells of one sweep until none is
// left and complete each at once (no training), so what is measured is the
// store: claim latency and cells/s. And the time to list N runs, as
// `runs list` reads them.
//
// Then the engine's worker loop itself (workSweep, as `sweep --worker`
// runs it) with simulated cells: completions per second against worker
// count, and the time W workers take to leave a finished sweep.
//
//   bench_store_cluster claims STORE WORKERS CELLS
//   bench_store_cluster list STORE RUNS
//   bench_store_cluster sweep STORE WORKERS CELLS EPOCHS EPOCH_MS
//   bench_store_cluster end STORE WORKERS CELLS
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "vidrnn/store.h"
#include "vidrnn/sweep.h"

using namespace vidrnn;
using Clock = std::chrono::steady_clock;

namespace {

TrainConfig cell(int i) {
    TrainConfig c;
    c.arch = "gru";
    c.hidden = 8;
    c.fold = 0;
    c.seed = i;
    return c;
}

// Runs `worker(index)` in W forked processes at once; returns each one's
// output line (what it wrote to the pipe) and the wall time until all ended.
std::pair<std::vector<std::string>, double> forkWorkers(
    int workers, const std::function<std::string(int)>& worker) {
    int fds[2];
    if (::pipe(fds) != 0) {
        throw std::runtime_error("pipe failed");
    }
    const auto start = Clock::now();
    for (int w = 0; w < workers; ++w) {
        if (::fork() == 0) {
            ::close(fds[0]);
            std::string line;
            try {
                line = worker(w) + "\n";
            } catch (const std::exception& e) {
                line = std::string("error ") + e.what() + "\n";
            }
            (void)!::write(fds[1], line.data(), line.size());
            ::_exit(0);
        }
    }
    ::close(fds[1]);
    std::string all;
    char buffer[4096];
    for (ssize_t got; (got = ::read(fds[0], buffer, sizeof buffer)) > 0;) {
        all.append(buffer, static_cast<std::size_t>(got));
    }
    for (int w = 0; w < workers; ++w) {
        ::wait(nullptr);
    }
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<std::string> lines;
    for (std::size_t at = 0, nl; (nl = all.find('\n', at)) != std::string::npos; at = nl + 1) {
        lines.push_back(all.substr(at, nl - at));
        if (lines.back().rfind("error ", 0) == 0) {
            throw std::runtime_error(lines.back());
        }
    }
    return {lines, wall};
}

// One worker: every cell once, as `sweep --worker` walked the grid before
// the worker loop read the cells' states first.
std::string claimEveryCell(const std::string& location, int cells) {
    auto store = RunStore::open(location);
    const std::string spec = "{\"bench\":" + std::to_string(cells) + "}";
    const auto sweep = store.joinSweep(
        spec, "bench", [&spec](const std::string& stored) { return stored == spec; });
    double claimSeconds = 0;
    int claimed = 0;
    for (int i = 0; i < cells; ++i) {
        const auto start = Clock::now();
        const auto claim = store.claimCell(sweep, cell(i), RunMeta{});
        claimSeconds += std::chrono::duration<double>(Clock::now() - start).count();
        if (claim.state == CellClaim::State::Claimed) {
            ++claimed;
            store.completeRun(claim.runId, RunResult{});
        }
    }
    return std::to_string(claimed) + " " + std::to_string(claimSeconds);
}

int claims(const std::string& location, int workers, int cells) {
    RunStore::open(location);  // schema and reference rows, before the clock
    const auto [lines, wall] =
        forkWorkers(workers, [&](int) { return claimEveryCell(location, cells); });
    int claimed = 0;
    double claimSeconds = 0;
    for (const auto& line : lines) {
        int n = 0;
        double s = 0;
        if (std::sscanf(line.c_str(), "%d %lf", &n, &s) == 2) {
            claimed += n;
            claimSeconds += s;
        }
    }
    std::printf("workers=%d cells=%d claimed=%d wall_s=%.3f cells_per_s=%.1f claim_ms=%.2f\n",
                workers, cells, claimed, wall, claimed / wall,
                1000.0 * claimSeconds / (double(cells) * workers));
    return claimed == cells ? 0 : 2;
}

// The workers' lease: short, so that a worker waiting for the last cells
// looks again every second (a third of it), as it would every 10 s with the
// default 120 s; the simulated cells are far shorter.
constexpr int kLease = 3;

// The grid of `cells` cells the sweep modes share: one architecture and size,
// a seed per cell.
SweepGrid benchGrid(int cells) {
    SweepGrid grid;
    grid.base.dataset = "bench";
    grid.archs = {"gru"};
    grid.hidden = {8};
    grid.folds = {0};
    grid.seeds = cells;
    return grid;
}

// The engine's worker loop (vidrnn::workSweep, as `sweep --worker` runs it)
// with simulated cells: `epochs` epochs of `epochMs` each, written through
// the attempt's fenced, batched writes. Prints cells this worker completed,
// its claims and the seconds it took.
std::string sweepWorker(const std::string& location, int cells, int epochs, int epochMs,
                        int leaseSeconds) {
    RunStore::Options options;
    options.heartbeatTimeout = std::chrono::seconds(leaseSeconds);
    auto store = RunStore::open(location, options);
    const auto grid = benchGrid(cells);
    const auto start = Clock::now();
    const auto sweep = openSweep(store, sweepSpecJson(grid), grid.base.dataset, SweepOpen::Join);
    int claims = 0;
    SweepWork work;
    work.wait = true;
    work.attempt = [&](int, const TrainConfig& c) {
        return attemptCell(store, sweep, c, RunMeta{}, [&](CellAttempt& a, ExperimentResult& r) {
            ++claims;
            for (int e = 1; e <= epochs; ++e) {
                std::this_thread::sleep_for(std::chrono::milliseconds(epochMs));
                a.epoch({e, 1.0 / e, 0.5, 0.9, 0.5, 0.4, epochMs / 1000.0, 1e-3});
            }
            a.complete(RunResult{});
            r.status = RunStatus::Completed;
        });
    };
    std::atomic<bool> stop{false};
    const auto end = workSweep(store, sweep, sweepCells(grid), work, stop);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return std::to_string(end.trained) + " " + std::to_string(claims) + " " +
           std::to_string(seconds) + " " + std::to_string(end.finished);
}

// W workers on a grid of CELLS simulated cells: completions per second.
int sweepBench(const std::string& location, int workers, int cells, int epochs, int epochMs) {
    RunStore::open(location);
    const auto [lines, wall] = forkWorkers(
        workers, [&](int) { return sweepWorker(location, cells, epochs, epochMs, kLease); });
    int trained = 0, claims = 0, finished = 0;
    for (const auto& line : lines) {
        int t = 0, c = 0, f = 0;
        double s = 0;
        if (std::sscanf(line.c_str(), "%d %d %lf %d", &t, &c, &s, &f) == 4) {
            trained += t;
            claims += c;
            finished += f;
        }
    }
    std::printf(
        "workers=%d cells=%d epochs=%d epoch_ms=%d trained=%d claims=%d wall_s=%.3f "
        "cells_per_s=%.1f finished=%d\n",
        workers, cells, epochs, epochMs, trained, claims, wall, trained / wall, finished);
    return trained == cells ? 0 : 2;
}

// W workers started together on a finished sweep of CELLS cells: the time
// until the last one has left (each opens the store, joins, looks, exits).
int endBench(const std::string& location, int workers, int cells) {
    // Finished first, by one worker with instant cells (not timed).
    if (sweepBench(location, 1, cells, 0, 0) != 0) {
        return 2;
    }
    const auto [lines, wall] =
        forkWorkers(workers, [&](int) { return sweepWorker(location, cells, 0, 0, kLease); });
    double slowest = 0;
    int trained = 0;
    for (const auto& line : lines) {
        int t = 0, c = 0, f = 0;
        double s = 0;
        if (std::sscanf(line.c_str(), "%d %d %lf %d", &t, &c, &s, &f) == 4) {
            slowest = std::max(slowest, s);
            trained += t;
        }
    }
    std::printf("end_workers=%d end_cells=%d end_trained=%d end_wall_s=%.3f end_slowest_s=%.3f\n",
                workers, cells, trained, wall, slowest);
    return trained == 0 ? 0 : 2;
}

int list(const std::string& location, int runs) {
    auto store = RunStore::open(location);
    RunQuery trained;
    trained.filter.kind = RunKind::Trained;
    for (auto have = store.countRuns(trained); have < runs; ++have) {
        store.createRun(cell(int(have)), RunMeta{});
    }
    RunQuery all;
    all.withoutConfigJson = true;
    const auto start = Clock::now();
    std::int64_t n = 0;
    store.forEachRun(all, [&n](const RunRecord&) { ++n; });
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("runs=%lld list_s=%.3f\n", (long long)n, seconds);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    try {
        if (mode == "claims" && argc == 5) {
            return claims(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
        }
        if (mode == "list" && argc == 4) {
            return list(argv[2], std::atoi(argv[3]));
        }
        if (mode == "sweep" && argc == 7) {
            return sweepBench(argv[2], std::atoi(argv[3]), std::atoi(argv[4]), std::atoi(argv[5]),
                              std::atoi(argv[6]));
        }
        if (mode == "end" && argc == 5) {
            return endBench(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    std::fprintf(stderr,
                 "usage: %s claims STORE WORKERS CELLS | list STORE RUNS\n"
                 "       | sweep STORE WORKERS CELLS EPOCHS EPOCH_MS | end STORE WORKERS CELLS\n",
                 argv[0]);
    return 64;
}
