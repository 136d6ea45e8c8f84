// Sweeps: a grid of runs over (arch, hidden, layers, fold, seed). Resuming a
// sweep must neither repeat a completed cell nor start a second run for a
// cell, even with two sweep processes on one store: claimCell decides and
// creates in one immediate transaction.
#include <algorithm>
#include <array>
#include <optional>

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
    return store::retryLost([&](bool) {
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
    });
}

std::int64_t RunStore::joinSweep(const std::string& specJson, const std::string& dataset,
                                 const std::function<bool(const std::string& spec)>& same) {
    return store::retryLost([&](bool) {
        mImpl->requireWritable("join a sweep");
        store::Database& db = *mImpl->db;
        store::Transaction tx(db);
        // A server: openers of a sweep on this data set wait here for each
        // other (SQLite's write transaction already does).
        db.lockKey(0, "sweep of\n" + dataset);
        store::Statement st(db, "SELECT id, spec FROM sweeps WHERE dataset = ? ORDER BY id DESC");
        st.bindAll(dataset);
        std::int64_t id = 0;
        while (id == 0 && st.step()) {
            if (same(st.text(1))) {
                id = st.int64(0);
            }
        }
        if (id == 0) {
            store::Statement add(db,
                                 "INSERT INTO sweeps (created_at, spec, dataset, status) "
                                 "VALUES (?, ?, ?, 'running')");
            add.bindAll(store::nowIso(), specJson, dataset);
            add.run();
            id = db.lastInsertId("sweeps");
        }
        tx.commit();
        return id;
    });
}

bool RunStore::endSweep(std::int64_t sweepId, const std::string& status) {
    return store::retryLost([&](bool again) {
        if (status == "running" || std::find(kSweepStatuses.begin(), kSweepStatuses.end(),
                                             status) == kSweepStatuses.end()) {
            throw LogicError("a sweep does not end '" + status + "'");
        }
        mImpl->requireWritable("end a sweep");
        store::Transaction tx(*mImpl->db);
        store::Statement st(*mImpl->db,
                            "UPDATE sweeps SET status = ? WHERE id = ? AND status = 'running'");
        st.bindAll(status, sweepId);
        st.run();
        // A commit that went through before the connection broke: ours.
        const bool ended = mImpl->db->changes() > 0 ||
                           (again && getSweep(sweepId) && getSweep(sweepId)->status == status);
        tx.commit();
        return ended;
    });
}

void RunStore::setSweepStatus(std::int64_t sweepId, const std::string& status) {
    return store::retryLost([&](bool) {
        if (std::find(kSweepStatuses.begin(), kSweepStatuses.end(), status) ==
            kSweepStatuses.end()) {
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
    });
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

namespace {

constexpr const char* kCellWhere =
    "sweep_id = ? AND kind = 'trained' AND arch = ? AND hidden = ? AND layers = ? AND fold = ? "
    "AND seed = ?";

void bindCell(store::Statement& st, std::int64_t sweepId, const TrainConfig& c) {
    st.bindAll(sweepId, c.arch, c.hidden, effectiveLayers(c), c.fold, c.seed);
}

std::string cellKey(const TrainConfig& c) {
    return c.arch + "/" + std::to_string(c.hidden) + "/" + std::to_string(effectiveLayers(c)) +
           "/" + std::to_string(c.fold) + "/" + std::to_string(c.seed);
}

std::string givenUpMessage(int attempts, const std::string& last) {
    return "gave up after " + std::to_string(attempts) + " attempts; last: " + last;
}

// A cell's run as claimCell sees it.
struct CellRow {
    std::int64_t id = 0;
    std::string status, host, start, message;
    std::int64_t pid = 0;
    double age = 0.0;
    int attempts = 0;
};

}  // namespace

CellClaim RunStore::claimCell(std::int64_t sweepId, const TrainConfig& config,
                              const RunMeta& meta) {
    return store::retryLost([&](bool) {
        mImpl->requireWritable("claim a sweep cell");
        store::Database& db = *mImpl->db;
        store::Transaction tx(db);
        if (!getSweep(sweepId)) {
            throw StoreError(path(), "sweep " + std::to_string(sweepId) + " does not exist");
        }
        RunMeta cellMeta = meta;
        cellMeta.sweepId = sweepId;
        CellClaim claim;

        // A finished cell (completed, or given up) is answered from a read
        // that locks nothing: at the end of a sweep every worker looks at
        // every cell, and a row lock here made the others pass over it as
        // busy and scan again.
        {
            store::Statement st(db, std::string("SELECT id, status, attempts FROM runs WHERE ") +
                                        kCellWhere +
                                        " ORDER BY status = 'completed' DESC, id LIMIT 1");
            bindCell(st, sweepId, config);
            if (st.step() &&
                (st.text(1) == "completed" ||
                 (st.text(1) == "failed" && st.int32(2) >= mImpl->options.maxAttempts))) {
                claim.runId = st.int64(0);
                claim.state = st.text(1) == "completed" ? CellClaim::State::Completed
                                                        : CellClaim::State::GaveUp;
                return claim;
            }
        }

        // Completed first, then the oldest: stores from before claimCell existed
        // may hold several runs for one cell. A row another claimer holds is
        // passed over (PostgreSQL), never waited for.
        std::optional<CellRow> row;
        {
            store::Statement st(
                db, "SELECT id, status, owner_host, owner_pid, owner_start, " +
                        db.ageSecondsSql("COALESCE(heartbeat_at, started_at, created_at)") +
                        ", attempts, COALESCE(message, '') FROM runs WHERE " + kCellWhere +
                        " ORDER BY status = 'completed' DESC, id LIMIT 1" +
                        db.lockRowsSkipLocked());
            bindCell(st, sweepId, config);
            if (st.step()) {
                row = CellRow{st.int64(0),
                              st.text(1),
                              st.text(2),
                              st.text(4),
                              st.text(7),
                              st.int64(3),
                              st.isNull(5) ? 1e18 : st.real(5),
                              st.int32(6)};
            }
        }
        if (!row) {
            // No row, or only rows other claimers hold right now: make sure
            // before creating one.
            db.lockKey(sweepId, cellKey(config));
            store::Statement seen(db, std::string("SELECT count(*) FROM runs WHERE ") + kCellWhere);
            bindCell(seen, sweepId, config);
            seen.step();
            if (seen.int64(0) > 0) {
                claim.state = CellClaim::State::Busy;
            } else {
                claim = {CellClaim::State::Claimed, store::insertRun(db, config, cellMeta), 1};
                store::Statement first(db, "UPDATE runs SET attempts = 1 WHERE id = ?");
                first.bindAll(claim.runId);
                first.run();
            }
            tx.commit();
            return claim;
        }
        claim.runId = row->id;
        const double lease = static_cast<double>(mImpl->options.heartbeatTimeout.count());
        const bool owned = row->status == "running" || row->status == "queued";
        // A queued cell belongs to the live sweep that queued it, like a running one.
        const bool alive =
            owned &&
            (db.leaseOnly() ? row->age < lease
                            : !store::ownerGone(row->host, row->pid, row->start, row->age, lease));
        if (row->status == "completed") {
            claim.state = CellClaim::State::Completed;
        } else if (alive) {
            claim.state = CellClaim::State::Busy;
        } else if (row->attempts >= mImpl->options.maxAttempts &&
                   (db.leaseOnly() || row->status == "failed")) {
            // A cell whose attempts failed is given up on every store. One
            // whose holder vanished counts too where holders are judged by
            // their lease (a cell that kills its worker, out of memory, must
            // not kill them all); on SQLite it is this machine's own sweep
            // killed and resumed, which owes the cell another try.
            claim.state = CellClaim::State::GaveUp;
            if (row->status != "failed" || row->message.rfind("gave up", 0) != 0) {
                const std::string last =
                    owned ? "its lease ran out (no heartbeat from " + row->host + " pid " +
                                std::to_string(row->pid) + " for " +
                                std::to_string(static_cast<long long>(row->age)) + " s)"
                          : (row->message.empty() ? row->status : row->message);
                store::Statement st(
                    db,
                    "UPDATE runs SET status = 'failed', finished_at = ?, message = ? "
                    "WHERE id = ?");
                st.bindAll(store::nowIso(), givenUpMessage(row->attempts, last), row->id);
                st.run();
            }
        } else {
            claim.state = CellClaim::State::Claimed;
            claim.attempt = row->attempts + 1;
            store::resetRun(db, claim.runId, config, cellMeta);
            store::Statement st(db, "UPDATE runs SET attempts = attempts + 1 WHERE id = ?");
            st.bindAll(claim.runId);
            st.run();
        }
        tx.commit();
        return claim;
    });
}

std::vector<CellState> RunStore::sweepCellStates(std::int64_t sweepId) const {
    store::Database& db = *mImpl->db;
    // Completed first, then the oldest, as claimCell takes them: the state
    // of a cell is that of its first row in this order.
    store::Statement st(
        db,
        "SELECT arch, hidden, layers, fold, seed, id, status, attempts, COALESCE(message, ''), "
        "COALESCE(owner_host, ''), COALESCE(owner_pid, 0), COALESCE(owner_start, ''), " +
            db.ageSecondsSql("COALESCE(heartbeat_at, started_at, created_at)") +
            " FROM runs WHERE sweep_id = ? AND kind = 'trained' "
            "ORDER BY arch, hidden, layers, fold, seed, status = 'completed' DESC, id");
    st.bindAll(sweepId);
    const double lease = static_cast<double>(mImpl->options.heartbeatTimeout.count());
    std::vector<CellState> cells;
    while (st.step()) {
        GridCell cell{st.text(0), st.int32(1), st.int32(2), st.int32(3), st.int32(4)};
        if (!cells.empty() && cells.back().cell == cell) {
            continue;
        }
        CellState c;
        c.cell = std::move(cell);
        c.runId = st.int64(5);
        c.status = store::statusFromColumn(st.text(6));
        c.attempts = st.int32(7);
        c.message = st.text(8);
        const double age = st.isNull(12) ? 1e18 : st.real(12);
        c.leaseLeft = lease - age;
        if (c.status == RunStatus::Running || c.status == RunStatus::Queued) {
            c.held = db.leaseOnly()
                         ? age < lease
                         : !store::ownerGone(st.text(9), st.int64(10), st.text(11), age, lease);
        }
        cells.push_back(std::move(c));
    }
    return cells;
}

}  // namespace vidrnn
