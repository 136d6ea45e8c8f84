// Writing runs: creation, status changes, epochs and the final results. Every
// write is one immediate transaction, so the write lock is taken (or waited
// for, under busy_timeout) before anything is read or changed.
#include <algorithm>
#include <string>

#include "store/liveness.h"
#include "store/store_impl.h"
#include "vidrnn/errors.h"

namespace vidrnn {

namespace store {

namespace {

// Written by createRun and again when a sweep cell is reset for a re-run;
// the results columns at the end are cleared for the latter.
constexpr const char* kRunWriteColumns =
    "started_at, status, config_json, dataset, frames, image_size, backbone, cache_dir, "
    "protocol, fold, seed, arch, hidden, layers, config_layers, dropout, max_epochs, batch, lr, "
    "weight_decay, grad_clip, patience, requested_device, threads, device, requested_precision, "
    "precision, params, backbone_id, dataset_fingerprint, "
    "pretrained, leaking, num_classes, class_names, owner_host, owner_pid, owner_start, "
    "heartbeat_at, sweep_id, checkpoint, finished_at, train_seconds, extract_seconds, "
    "best_epoch, accuracy, macro_f1, test_count, message, owner_job, provenance, "
    "reversed_accuracy, reversed_macro_f1, shuffled_accuracy, shuffled_macro_f1, order_reliance, "
    "order_seconds, reversed_lost, reversed_gained, shuffled_lost, shuffled_gained, input";

int columnCount(const char* columns) {
    return 1 + static_cast<int>(
                   std::count(columns, columns + std::char_traits<char>::length(columns), ','));
}

std::string placeholders(const char* columns) {
    std::string marks = "?";
    for (int i = 1; i < columnCount(columns); ++i) {
        marks += ", ?";
    }
    return marks;
}

std::optional<std::string> optionalText(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional(text);
}

void bindRunColumns(Statement& st, const TrainConfig& c, const RunMeta& meta) {
    const std::string now = nowIso();
    const ProcessIdentity self = currentProcess();
    const bool running = meta.status == RunStatus::Running;
    st.bindAll(
        running ? std::optional<std::string>(now) : std::nullopt,
        std::string(toString(meta.status)), toJson(c), c.dataset, c.frames, c.imageSize, c.backbone,
        c.cacheDir, c.split, c.fold, c.seed, c.arch, c.hidden, effectiveLayers(c), c.layers,
        c.dropout, c.epochs, c.batch, c.lr, c.weightDecay, c.gradClip, c.patience, c.device,
        c.threads, meta.device, c.precision, meta.precision, meta.params, meta.backboneId,
        meta.datasetFingerprint.empty() ? std::optional<std::string>() : meta.datasetFingerprint,
        meta.pretrained, c.split == "random", static_cast<std::int64_t>(meta.classNames.size()),
        namesToJson(meta.classNames), self.host, self.pid, self.start, now, meta.sweepId,
        meta.checkpoint, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
        std::nullopt, std::nullopt, std::nullopt,
        self.job.empty() ? std::nullopt : std::optional(self.job),
        optionalText(provenanceToJson(meta.provenance)), std::nullopt, std::nullopt, std::nullopt,
        std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
        std::nullopt, c.input);
}

void checkNewStatus(RunStatus status) {
    if (status != RunStatus::Running && status != RunStatus::Queued) {
        throw LogicError(std::string("a run starts as running or queued, not ") + toString(status));
    }
}

}  // namespace

const char* const kLeaseHeld =
    "(sweep_id IS NULL OR status <> 'running' OR "
    "(owner_host = ? AND owner_pid = ? AND COALESCE(owner_start, '') = ?))";

void bindLeaseHolder(Statement& st, int firstIndex) {
    const ProcessIdentity self = currentProcess();
    st.bind(firstIndex, self.host);
    st.bind(firstIndex + 1, self.pid);
    st.bind(firstIndex + 2, self.start);
}

void leaseLost(Database& db, std::int64_t id, const std::string& action) {
    Statement st(db,
                 "SELECT COALESCE(owner_host, ''), COALESCE(owner_pid, 0) FROM runs WHERE id = ?");
    st.bindAll(id);
    st.step();
    throw StoreError(db.path(), "cannot " + action + ": its lease ran out and run " +
                                    std::to_string(id) + " is running in pid " +
                                    std::to_string(st.int64(1)) + " on " + st.text(0) + " now");
}

std::int64_t insertRun(Database& db, const TrainConfig& config, const RunMeta& meta) {
    checkNewStatus(meta.status);
    Statement st(db, std::string("INSERT INTO runs (") + kRunWriteColumns +
                         ", created_at, kind, note) VALUES (" + placeholders(kRunWriteColumns) +
                         ", ?, 'trained', ?)");
    bindRunColumns(st, config, meta);
    const int n = columnCount(kRunWriteColumns);
    st.bind(n + 1, nowIso());
    st.bind(n + 2, meta.note.empty() ? std::optional<std::string>() : meta.note);
    st.run();
    return db.lastInsertId("runs");
}

void resetRun(Database& db, std::int64_t id, const TrainConfig& config, const RunMeta& meta) {
    checkNewStatus(meta.status);
    for (const char* table :
         {"epochs", "class_metrics", "confusion", "predictions", "early_curve", "order_classes"}) {
        Statement del(db, std::string("DELETE FROM ") + table + " WHERE run_id = ?");
        del.bindAll(id);
        del.run();
    }
    Statement st(db, std::string("UPDATE runs SET (") + kRunWriteColumns + ") = (" +
                         placeholders(kRunWriteColumns) + ") WHERE id = ?");
    bindRunColumns(st, config, meta);
    st.bind(columnCount(kRunWriteColumns) + 1, id);
    st.run();
}

}  // namespace store

std::int64_t RunStore::createRun(const TrainConfig& config, const RunMeta& meta) {
    return store::retryLost([&](bool) {
        mImpl->requireWritable("create a run");
        store::Transaction tx(*mImpl->db);
        std::int64_t id = store::insertRun(*mImpl->db, config, meta);
        tx.commit();
        return id;
    });
}

void RunStore::setStatus(std::int64_t id, RunStatus status, const std::string& message) {
    return store::retryLost([&](bool) {
        if (status == RunStatus::Completed || status == RunStatus::Reference) {
            throw LogicError(std::string("setStatus cannot make a run ") + toString(status) +
                             " (completeRun stores a completed run with its results)");
        }
        store::Transaction tx(*mImpl->db);
        mImpl->requireTrainedRun(
            id, std::string("mark run ") + std::to_string(id) + " " + toString(status));
        const std::string now = store::nowIso();
        const bool ends = status != RunStatus::Running && status != RunStatus::Queued;
        const store::ProcessIdentity self = store::currentProcess();
        std::optional<std::string> why = message.empty() ? std::nullopt : std::optional(message);
        if (status == RunStatus::Running) {
            // Whoever marks it running owns it now (a queued run picked up by a worker).
            store::Statement st(
                *mImpl->db,
                "UPDATE runs SET status = 'running', message = ?, finished_at = NULL, "
                "started_at = COALESCE(started_at, ?), heartbeat_at = ?, "
                "owner_host = ?, owner_pid = ?, owner_start = ?, owner_job = ? "
                "WHERE id = ?");
            st.bindAll(why, now, now, self.host, self.pid, self.start,
                       self.job.empty() ? std::nullopt : std::optional(self.job), id);
            st.run();
        } else {
            store::Statement st(*mImpl->db,
                                "UPDATE runs SET status = ?, message = ?, finished_at = ?, "
                                "heartbeat_at = ? WHERE id = ?");
            st.bindAll(std::string(toString(status)), why,
                       ends ? std::optional<std::string>(now) : std::nullopt, now, id);
            st.run();
        }
        tx.commit();
    });
}

void RunStore::heartbeat(std::int64_t id) {
    return store::retryLost([&](bool) {
        mImpl->requireWritable("record a heartbeat");
        store::Transaction tx(*mImpl->db);
        store::Statement st(*mImpl->db,
                            std::string("UPDATE runs SET heartbeat_at = ? WHERE id = ? AND "
                                        "kind = 'trained' AND ") +
                                store::kLeaseHeld);
        st.bindAll(store::nowIso(), id);
        store::bindLeaseHolder(st, 3);
        st.run();
        if (mImpl->db->changes() == 0) {
            mImpl->requireTrainedRun(id, "record a heartbeat");
            store::leaseLost(*mImpl->db, id, "renew the lease of run " + std::to_string(id));
        }
        tx.commit();
    });
}

void RunStore::addEpoch(std::int64_t id, const EpochRecord& e) {
    return store::retryLost([&](bool again) {
        store::Transaction tx(*mImpl->db);
        mImpl->requireTrainedRun(id, "record an epoch");
        store::Statement seen(*mImpl->db, "SELECT 1 FROM epochs WHERE run_id = ? AND epoch = ?");
        seen.bindAll(id, e.epoch);
        if (seen.step()) {
            if (again) {
                return;  // the commit went through before the connection broke
            }
            throw StoreError(path(), "epoch " + std::to_string(e.epoch) + " of run " +
                                         std::to_string(id) + " is already recorded");
        }
        store::Statement st(
            *mImpl->db,
            "INSERT INTO epochs (run_id, epoch, train_loss, train_acc, val_loss, "
            "val_acc, val_macro_f1, seconds, lr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        st.bindAll(id, e.epoch, e.trainLoss, e.trainAcc, e.valLoss, e.valAcc, e.valMacroF1,
                   e.seconds, e.lr);
        st.run();
        store::Statement beat(*mImpl->db, "UPDATE runs SET heartbeat_at = ? WHERE id = ?");
        beat.bindAll(store::nowIso(), id);
        beat.run();
        tx.commit();
    });
}

void RunStore::annotate(std::int64_t id, const std::string& note) {
    store::Transaction tx(*mImpl->db);
    mImpl->requireTrainedRun(id, "annotate run " + std::to_string(id));
    store::Statement st(*mImpl->db, "UPDATE runs SET note = ? WHERE id = ?");
    st.bindAll(note.empty() ? std::nullopt : std::optional<std::string>(note), id);
    st.run();
    tx.commit();
}

void RunStore::deleteRun(std::int64_t id) {
    store::Transaction tx(*mImpl->db);
    mImpl->requireTrainedRun(id, "delete run " + std::to_string(id));
    auto run = getRun(id);
    if (run && run->status == RunStatus::Running) {
        throw StoreError(path(), "cannot delete run " + std::to_string(id) +
                                     ": it is still running (pid " +
                                     std::to_string(run->ownerPid.value_or(0)) + " on " +
                                     run->ownerHost + "); stop it first");
    }
    store::Statement st(*mImpl->db, "DELETE FROM runs WHERE id = ?");
    st.bindAll(id);
    st.run();
    tx.commit();
}

int RunStore::markInterrupted() {
    mImpl->requireWritable("mark interrupted runs");
    const double timeout = static_cast<double>(mImpl->options.heartbeatTimeout.count());
    // Liveness is checked outside the write lock; the UPDATE then only fires
    // if the row is unchanged, so a heartbeat that lands meanwhile wins.
    struct Candidate {
        std::int64_t id;
        std::string heartbeat;
        std::string why;
    };
    std::vector<Candidate> dead;
    {
        store::Statement st(
            *mImpl->db,
            "SELECT id, owner_host, owner_pid, owner_start, COALESCE(heartbeat_at, ''), " +
                mImpl->db->ageSecondsSql("COALESCE(heartbeat_at, started_at, created_at)") +
                " FROM runs WHERE status = 'running'");
        while (st.step()) {
            std::string host = st.text(1);
            std::int64_t pid = st.int64(2);
            double age = st.isNull(5) ? 1e18 : st.real(5);
            const bool gone = mImpl->db->leaseOnly()
                                  ? age > timeout
                                  : store::ownerGone(host, pid, st.text(3), age, timeout);
            if (!gone) {
                continue;
            }
            std::string why = host == store::currentProcess().host && !mImpl->db->leaseOnly()
                                  ? "its process " + std::to_string(pid) + " has ended"
                                  : "no heartbeat from " + (host.empty() ? "its host" : host) +
                                        " for " + std::to_string(static_cast<long long>(age)) +
                                        " s";
            dead.push_back({st.int64(0), st.text(4), "interrupted: " + why});
        }
    }
    if (dead.empty()) {
        return 0;
    }
    store::Transaction tx(*mImpl->db);
    int marked = 0;
    const std::string now = store::nowIso();
    for (const Candidate& c : dead) {
        store::Statement st(*mImpl->db,
                            "UPDATE runs SET status = 'interrupted', finished_at = ?, message = ? "
                            "WHERE id = ? AND status = 'running' "
                            "AND COALESCE(heartbeat_at, '') = ?");
        st.bindAll(now, c.why, c.id, c.heartbeat);
        st.run();
        marked += mImpl->db->changes();
    }
    tx.commit();
    return marked;
}

}  // namespace vidrnn
