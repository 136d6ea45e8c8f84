// Sweeps: a grid of runs over (arch, hidden, layers, fold, seed). Resuming a
// sweep must neither repeat a completed cell nor start a second run for a
// cell, even with two sweep processes on one store: claimCell decides and
// creates in one immediate transaction.
#include <algorithm>
#include <array>

#include "store/liveness.h"
#include "store/store_impl.h"
#include "vidrnn/errors.h"

namespace vidrnn {

namespace {

constexpr std::array<const char*, 5> kSweepStatuses{"running", "completed", "failed", "cancelled",
                                                    "interrupted"};

SweepRecord sweepFromRow(const store::Statement& st) {
    SweepRecord s;
    s.id = st.int64(0);
    s.createdAt = st.text(1);
    s.spec = st.text(2);
    s.dataset = st.text(3);
    s.status = st.text(4);
    return s;
}

constexpr const char* kSweepColumns = "id, created_at, spec, dataset, status";

}  // namespace

std::int64_t RunStore::createSweep(const std::string& specJson, const std::string& dataset) {
    mImpl->requireWritable("create a sweep");
    store::Transaction tx(*mImpl->db);
    store::Statement st(*mImpl->db,
                        "INSERT INTO sweeps (created_at, spec, dataset, status) "
                        "VALUES (?, ?, ?, 'running')");
    st.bindAll(store::nowIso(), specJson, dataset);
    st.run();
    std::int64_t id = mImpl->db->lastInsertId("sweeps");
    tx.commit();
    return id;
}

void RunStore::setSweepStatus(std::int64_t sweepId, const std::string& status) {
    if (std::find(kSweepStatuses.begin(), kSweepStatuses.end(), status) == kSweepStatuses.end()) {
        throw LogicError("unknown sweep status '" + status + "'");
    }
    mImpl->requireWritable("change a sweep's status");
    store::Transaction tx(*mImpl->db);
    store::Statement st(*mImpl->db, "UPDATE sweeps SET status = ? WHERE id = ?");
    st.bindAll(status, sweepId);
    st.run();
    if (mImpl->db->changes() == 0) {
        throw StoreError(path(), "sweep " + std::to_string(sweepId) + " does not exist");
    }
    tx.commit();
}

std::vector<SweepRecord> RunStore::listSweeps() const {
    store::Statement st(*mImpl->db,
                        std::string("SELECT ") + kSweepColumns + " FROM sweeps ORDER BY id");
    std::vector<SweepRecord> out;
    while (st.step()) {
        out.push_back(sweepFromRow(st));
    }
    return out;
}

std::optional<SweepRecord> RunStore::getSweep(std::int64_t sweepId) const {
    store::Statement st(*mImpl->db,
                        std::string("SELECT ") + kSweepColumns + " FROM sweeps WHERE id = ?");
    st.bindAll(sweepId);
    if (!st.step()) {
        return std::nullopt;
    }
    return sweepFromRow(st);
}

std::vector<RunRecord> RunStore::sweepRuns(std::int64_t sweepId) const {
    RunFilter filter;
    filter.sweepId = sweepId;
    return listRuns(filter);
}

std::vector<GridCell> RunStore::completedCells(std::int64_t sweepId) const {
    store::Statement st(*mImpl->db,
                        "SELECT DISTINCT arch, hidden, layers, fold, seed FROM runs "
                        "WHERE sweep_id = ? AND status = 'completed' "
                        "ORDER BY arch, hidden, layers, fold, seed");
    st.bindAll(sweepId);
    std::vector<GridCell> cells;
    while (st.step()) {
        cells.push_back({st.text(0), st.int32(1), st.int32(2), st.int32(3), st.int32(4)});
    }
    return cells;
}

CellClaim RunStore::claimCell(std::int64_t sweepId, const TrainConfig& config,
                              const RunMeta& meta) {
    mImpl->requireWritable("claim a sweep cell");
    store::Database& db = *mImpl->db;
    store::Transaction tx(db);
    if (!getSweep(sweepId)) {
        throw StoreError(path(), "sweep " + std::to_string(sweepId) + " does not exist");
    }
    RunMeta cellMeta = meta;
    cellMeta.sweepId = sweepId;

    // Completed first, then the oldest: stores from before claimCell existed
    // may hold several runs for one cell.
    store::Statement st(
        db,
        "SELECT id, status, owner_host, owner_pid, owner_start, " +
            db.ageSecondsSql("COALESCE(heartbeat_at, started_at, created_at)") +
            " FROM runs WHERE sweep_id = ? AND kind = 'trained' AND arch = ? AND hidden = ? "
        "AND layers = ? AND fold = ? AND seed = ? ORDER BY status = 'completed' DESC, id");
    st.bindAll(sweepId, config.arch, config.hidden, effectiveLayers(config), config.fold,
               config.seed);
    CellClaim claim;
    if (!st.step()) {
        claim = {CellClaim::State::Claimed, store::insertRun(db, config, cellMeta)};
    } else {
        claim.runId = st.int64(0);
        const std::string status = st.text(1);
        const double timeout = static_cast<double>(mImpl->options.heartbeatTimeout.count());
        // A queued cell belongs to the live sweep that queued it, like a running one.
        const bool alive = (status == "running" || status == "queued") &&
                           !store::ownerGone(st.text(2), st.int64(3), st.text(4),
                                             st.isNull(5) ? 1e18 : st.real(5), timeout);
        st.reset();  // done reading before the row is rewritten
        if (status == "completed") {
            claim.state = CellClaim::State::Completed;
        } else if (alive) {
            claim.state = CellClaim::State::Busy;
        } else {
            claim.state = CellClaim::State::Claimed;
            store::resetRun(db, claim.runId, config, cellMeta);
        }
    }
    tx.commit();
    return claim;
}

}  // namespace vidrnn
