// The writes of a sweep cell's attempt, fenced by the attempt's number.
// A lease alone does not stop a worker that was frozen (SIGSTOP, a stalled
// node) past it: when it wakes, it still believes it holds the cell while
// another worker trains it. So every write names its attempt, and a write
// whose attempt is no longer the cell's current running one is refused in
// the same transaction that would have made it (LeaseLost): the rows of a
// completed run all come from the attempt that completed it.
#include <string>

#include "store/store_impl.h"
#include "vidrnn/errors.h"

namespace vidrnn {

namespace {

// The attempt holds the run: it is running and no later claim took it.
constexpr const char* kAttemptHolds = "(kind = 'trained' AND status = 'running' AND attempts = ?)";

void bindAttempt(int attempt, store::Statement& st, int index) {
    st.bind(index, attempt);
}

// Throws LeaseLost saying who holds run `id` now (or how it ended).
[[noreturn]] void attemptLost(store::Database& db, std::int64_t id, int attempt,
                              const std::string& action) {
    store::Statement st(db,
                        "SELECT status, attempts, COALESCE(owner_host, ''), COALESCE(owner_pid, 0) "
                        "FROM runs WHERE id = ?");
    st.bindAll(id);
    if (!st.step()) {
        throw LeaseLost(db.path(),
                        "cannot " + action + ": run " + std::to_string(id) + " no longer exists");
    }
    const std::string status = st.text(0);
    const int now = st.int32(1);
    std::string where = now != attempt ? "the cell is attempt " + std::to_string(now) + " now"
                                       : "the attempt is " + status + " already";
    if (now != attempt && status == "running") {
        where += ", running in pid " + std::to_string(st.int64(3)) + " on " + st.text(2);
    } else if (now != attempt) {
        where += " (" + status + ")";
    }
    throw LeaseLost(db.path(), "cannot " + action + ": attempt " + std::to_string(attempt) +
                                   " of run " + std::to_string(id) + " lost its lease; " + where);
}

// Inside a transaction: the attempt's lease renewed, or LeaseLost.
void holdLease(store::Database& db, std::int64_t id, int attempt, const std::string& action) {
    store::Statement st(
        db, std::string("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND ") + kAttemptHolds);
    st.bindAll(store::nowIso(), id, attempt);
    st.run();
    if (db.changes() == 0) {
        attemptLost(db, id, attempt, action);
    }
}

// Inside a transaction that holds the lease: the epochs, replacing any the
// same attempt wrote before (a retried transaction whose first commit went
// through); earlier attempts' epochs were removed when the cell was claimed.
void writeEpochs(store::Database& db, std::int64_t id, const std::vector<EpochRecord>& epochs) {
    if (epochs.empty()) {
        return;
    }
    store::Statement del(db, "DELETE FROM epochs WHERE run_id = ? AND epoch >= ?");
    del.bindAll(id, epochs.front().epoch);
    del.run();
    store::Statement st(db,
                        "INSERT INTO epochs (run_id, epoch, train_loss, train_acc, val_loss, "
                        "val_acc, val_macro_f1, seconds, lr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const EpochRecord& e : epochs) {
        st.bindAll(id, e.epoch, e.trainLoss, e.trainAcc, e.valLoss, e.valAcc, e.valMacroF1,
                   e.seconds, e.lr);
        st.run();
        st.reset();
    }
}

std::string runAction(const char* what, std::int64_t id) {
    return std::string(what) + " run " + std::to_string(id);
}

}  // namespace

void RunStore::renewLease(std::int64_t id, int attempt, const std::vector<EpochRecord>& epochs) {
    return store::retryLost([&](bool) {
        mImpl->requireWritable("renew a lease");
        store::Transaction tx(*mImpl->db);
        holdLease(*mImpl->db, id, attempt, runAction("renew the lease of", id));
        writeEpochs(*mImpl->db, id, epochs);
        tx.commit();
    });
}

void RunStore::completeAttempt(std::int64_t id, int attempt, const std::vector<EpochRecord>& epochs,
                               const RunResult& result) {
    return store::retryLost([&](bool) {
        mImpl->requireWritable("complete a run");
        store::Database& db = *mImpl->db;
        store::Transaction tx(db);
        writeEpochs(db, id, epochs);
        const auto bind = [attempt](store::Statement& st, int index) {
            bindAttempt(attempt, st, index);
        };
        if (!store::writeCompletion(db, id, result, kAttemptHolds, bind)) {
            attemptLost(db, id, attempt, runAction("complete", id));
        }
        tx.commit();
    });
}

void RunStore::endAttempt(std::int64_t id, int attempt, RunStatus status,
                          const std::string& message, const std::vector<EpochRecord>& epochs) {
    if (status != RunStatus::Failed && status != RunStatus::Cancelled) {
        throw LogicError(std::string("an attempt ends failed or cancelled, not ") +
                         toString(status));
    }
    return store::retryLost([&](bool) {
        mImpl->requireWritable("end an attempt");
        store::Database& db = *mImpl->db;
        store::Transaction tx(db);
        const std::string now = store::nowIso();
        store::Statement st(db,
                            std::string("UPDATE runs SET status = ?, message = ?, finished_at = ?, "
                                        "heartbeat_at = ? WHERE id = ? AND ") +
                                kAttemptHolds);
        st.bindAll(std::string(toString(status)), message, now, now, id, attempt);
        st.run();
        if (db.changes() == 0) {
            attemptLost(db, id, attempt,
                        runAction(status == RunStatus::Failed ? "fail" : "cancel", id));
        }
        writeEpochs(db, id, epochs);
        tx.commit();
    });
}

}  // namespace vidrnn
