#include "vidrnn/sweepprogress.h"

#include <algorithm>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

namespace vidrnn {

namespace {

// archs x hidden x folds x seeds of a sweep's spec (the CLI and the
// workbench write the same keys); 0 when the spec does not say.
int gridSize(const std::string& spec) {
    const auto doc = nlohmann::json::parse(spec, nullptr, false);
    if (!doc.is_object() || !doc.contains("seeds") || !doc["seeds"].is_number_integer()) {
        return 0;
    }
    int size = doc["seeds"].get<int>();
    for (const char* key : {"archs", "hidden", "folds"}) {
        if (!doc.contains(key) || !doc[key].is_array()) {
            return 0;
        }
        size *= static_cast<int>(doc[key].size());
    }
    return std::max(size, 0);
}

}  // namespace

std::optional<SweepProgress> sweepProgress(const RunStore& store, std::int64_t sweepId) {
    std::optional<SweepRecord> sweep;
    if (sweepId == 0) {
        // Sweeps are few (one per grid started): the list is cheap.
        for (auto& s : store.listSweeps()) {
            if (!sweep || s.id > sweep->id) {
                sweep = std::move(s);
            }
        }
    } else {
        sweep = store.getSweep(sweepId);
    }
    if (!sweep) {
        return std::nullopt;
    }
    SweepProgress p;
    std::map<std::int64_t, double> lapsed;  // running run -> seconds since its lease ran out
    for (const CellState& c : store.sweepCellStates(sweep->id)) {
        if (c.status == RunStatus::Running && !c.held) {
            lapsed[c.runId] = -c.leaseLeft;
        }
    }
    RunQuery query;
    query.filter.sweepId = sweep->id;
    query.withoutConfigJson = true;
    query.withoutClassNames = true;
    store.forEachRun(query, [&p, &lapsed](const RunRecord& r) {
        if (r.status == RunStatus::Completed) {
            ++p.done;
        } else if (r.status == RunStatus::Running && lapsed.count(r.id)) {
            ++p.stale;
            p.staleRuns.push_back(r);
            p.staleSeconds.push_back(lapsed[r.id]);
        } else if (r.status == RunStatus::Running) {
            ++p.running;
            p.runningRuns.push_back(r);
        } else if (r.status == RunStatus::Failed) {
            ++p.failed;
            p.failedRuns.push_back(r);
        }
    });
    p.cells = std::max(gridSize(sweep->spec), p.done + p.running + p.failed + p.stale);
    p.queued = p.cells - p.done - p.running - p.failed - p.stale;
    p.sweep = std::move(*sweep);
    return p;
}

}  // namespace vidrnn
