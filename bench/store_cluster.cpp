// The run store as a cell queue, on either backend (bench/store_cluster.sh
// drives it): W worker processes claim the cells of one sweep until none is
// left and complete each at once (no training), so what is measured is the
// store: claim latency and cells/s. And the time to list N runs, as
// `runs list` reads them.
//
//   bench_store_cluster claims STORE WORKERS CELLS
//   bench_store_cluster list STORE RUNS
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "vidrnn/store.h"

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

// One worker: every cell once, as `sweep --worker` walks the grid.
void work(const std::string& location, int cells, int pipeFd) {
    auto store = RunStore::open(location);
    const auto sweep = store.joinSweep("{\"bench\":" + std::to_string(cells) + "}", "bench");
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
    const std::string line = std::to_string(claimed) + " " + std::to_string(claimSeconds) + "\n";
    (void)!::write(pipeFd, line.data(), line.size());
}

int claims(const std::string& location, int workers, int cells) {
    RunStore::open(location);  // schema and reference rows, before the clock
    int fds[2];
    if (::pipe(fds) != 0) {
        return 1;
    }
    const auto start = Clock::now();
    for (int w = 0; w < workers; ++w) {
        if (::fork() == 0) {
            ::close(fds[0]);
            work(location, cells, fds[1]);
            ::_exit(0);
        }
    }
    ::close(fds[1]);
    for (int w = 0; w < workers; ++w) {
        ::wait(nullptr);
    }
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    char buffer[4096] = {};
    const auto got = ::read(fds[0], buffer, sizeof buffer - 1);
    int claimed = 0, calls = 0;
    double claimSeconds = 0;
    for (const char* p = buffer; got > 0 && *p;) {
        int n = 0;
        double s = 0;
        if (std::sscanf(p, "%d %lf", &n, &s) != 2) {
            break;
        }
        claimed += n;
        claimSeconds += s;
        calls += cells;
        p = std::strchr(p, '\n');
        if (!p) {
            break;
        }
        ++p;
    }
    std::printf("workers=%d cells=%d claimed=%d wall_s=%.3f cells_per_s=%.1f claim_ms=%.2f\n",
                workers, cells, claimed, wall, claimed / wall, 1000.0 * claimSeconds / calls);
    return claimed == cells ? 0 : 2;
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
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    std::fprintf(stderr, "usage: %s claims STORE WORKERS CELLS | list STORE RUNS\n", argv[0]);
    return 64;
}
