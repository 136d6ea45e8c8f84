// Copying runs between stores (SQLite <-> PostgreSQL), written once over the
// shared connection: every column as it is, ids kept where they are free,
// and a run already there (same creation time, owner and cell) never copied
// twice, so copying again copies nothing.
#include <map>
#include <optional>
#include <vector>

#include "store/store_impl.h"

namespace vidrnn {

namespace {

struct Column {
    const char* name;
    char type;  // i: integer, r: real, t: text
};

const std::vector<Column> kSweepCopy{
    {"id", 'i'}, {"created_at", 't'}, {"spec", 't'}, {"dataset", 't'}, {"status", 't'}};

const std::vector<Column> kRunCopy{{"id", 'i'},
                                   {"created_at", 't'},
                                   {"started_at", 't'},
                                   {"finished_at", 't'},
                                   {"status", 't'},
                                   {"kind", 't'},
                                   {"config_json", 't'},
                                   {"dataset", 't'},
                                   {"frames", 'i'},
                                   {"image_size", 'i'},
                                   {"backbone", 't'},
                                   {"cache_dir", 't'},
                                   {"protocol", 't'},
                                   {"fold", 'i'},
                                   {"seed", 'i'},
                                   {"arch", 't'},
                                   {"hidden", 'i'},
                                   {"layers", 'i'},
                                   {"config_layers", 'i'},
                                   {"dropout", 'r'},
                                   {"max_epochs", 'i'},
                                   {"batch", 'i'},
                                   {"lr", 'r'},
                                   {"weight_decay", 'r'},
                                   {"grad_clip", 'r'},
                                   {"patience", 'i'},
                                   {"requested_device", 't'},
                                   {"threads", 'i'},
                                   {"device", 't'},
                                   {"params", 'i'},
                                   {"backbone_id", 't'},
                                   {"pretrained", 'i'},
                                   {"leaking", 'i'},
                                   {"num_classes", 'i'},
                                   {"class_names", 't'},
                                   {"train_seconds", 'r'},
                                   {"extract_seconds", 'r'},
                                   {"best_epoch", 'i'},
                                   {"accuracy", 'r'},
                                   {"macro_f1", 'r'},
                                   {"test_count", 'i'},
                                   {"message", 't'},
                                   {"owner_host", 't'},
                                   {"owner_pid", 'i'},
                                   {"checkpoint", 't'},
                                   {"sweep_id", 'i'},
                                   {"heartbeat_at", 't'},
                                   {"owner_start", 't'},
                                   {"note", 't'},
                                   {"requested_precision", 't'},
                                   {"precision", 't'},
                                   {"attempts", 'i'},
                                   {"owner_job", 't'},
                                   {"dataset_fingerprint", 't'},
                                   {"checkpoint_sha256", 't'},
                                   {"provenance", 't'},
                                   {"reversed_accuracy", 'r'},
                                   {"reversed_macro_f1", 'r'},
                                   {"shuffled_accuracy", 'r'},
                                   {"shuffled_macro_f1", 'r'},
                                   {"order_reliance", 'r'},
                                   {"order_seconds", 'r'},
                                   {"reversed_lost", 'i'},
                                   {"reversed_gained", 'i'},
                                   {"shuffled_lost", 'i'},
                                   {"shuffled_gained", 'i'},
                                   {"input", 't'}};

// The tables that hang off a run, each keyed by run_id first.
const std::vector<std::pair<const char*, std::vector<Column>>> kRunParts{
    {"epochs",
     {{"run_id", 'i'},
      {"epoch", 'i'},
      {"train_loss", 'r'},
      {"train_acc", 'r'},
      {"val_loss", 'r'},
      {"val_acc", 'r'},
      {"val_macro_f1", 'r'},
      {"seconds", 'r'},
      {"lr", 'r'}}},
    {"class_metrics",
     {{"run_id", 'i'},
      {"class_index", 'i'},
      {"name", 't'},
      {"support", 'i'},
      {"predicted", 'i'},
      {"tp", 'i'},
      {"precision", 'r'},
      {"recall", 'r'},
      {"f1", 'r'}}},
    {"confusion", {{"run_id", 'i'}, {"truth", 'i'}, {"predicted", 'i'}, {"count", 'i'}}},
    {"predictions",
     {{"run_id", 'i'},
      {"position", 'i'},
      {"clip", 't'},
      {"truth", 'i'},
      {"predicted", 'i'},
      {"probabilities", 't'}}},
    {"early_curve", {{"run_id", 'i'}, {"step", 'i'}, {"fraction", 'r'}, {"accuracy", 'r'}}},
    {"order_classes",
     {{"run_id", 'i'}, {"class_index", 'i'}, {"reversed_recall", 'r'}, {"shuffled_recall", 'r'}}},
};

std::string names(const std::vector<Column>& columns, std::size_t from = 0) {
    std::string out;
    for (std::size_t i = from; i < columns.size(); ++i) {
        out += (out.empty() ? "" : ", ") + std::string(columns[i].name);
    }
    return out;
}

std::string marks(std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        out += i == 0 ? "?" : ", ?";
    }
    return out;
}

void copyValue(const store::Statement& from, int column, char type, store::Statement& to,
               int index) {
    if (from.isNull(column)) {
        to.bind(index, std::nullopt);
    } else if (type == 'i') {
        to.bind(index, from.int64(column));
    } else if (type == 'r') {
        to.bind(index, from.real(column));
    } else {
        to.bind(index, from.text(column));
    }
}

bool idTaken(store::Database& db, const char* table, std::int64_t id) {
    store::Statement st(db, std::string("SELECT 1 FROM ") + table + " WHERE id = ?");
    st.bindAll(id);
    return st.step();
}

// Inserts the row `from` holds into `table`, keeping its id where it is free
// and replacing column `mapped` (when >= 0) by `mappedValue`; returns its id.
std::int64_t insertRow(store::Database& db, const char* table, const std::vector<Column>& columns,
                       const store::Statement& from, int mapped,
                       std::optional<std::int64_t> mappedValue) {
    const bool keepId = !idTaken(db, table, from.int64(0));
    const std::size_t first = keepId ? 0 : 1;
    store::Statement to(db, std::string("INSERT INTO ") + table + " (" + names(columns, first) +
                                ") VALUES (" + marks(columns.size() - first) + ")");
    for (std::size_t c = first; c < columns.size(); ++c) {
        const int index = static_cast<int>(c - first + 1);
        if (static_cast<int>(c) == mapped) {
            to.bind(index, mappedValue);
        } else {
            copyValue(from, static_cast<int>(c), columns[c].type, to, index);
        }
    }
    to.run();
    return keepId ? from.int64(0) : db.lastInsertId(table);
}

}  // namespace

RunStore::CopyCounts RunStore::copyFrom(const RunStore& source) {
    mImpl->requireWritable("copy runs into the store");
    store::Database& src = *source.mImpl->db;
    store::Database& db = *mImpl->db;
    CopyCounts counts;
    store::Transaction tx(db);
    db.lockKey(0, "store copy");

    std::map<std::int64_t, std::int64_t> sweepIds;
    store::Statement sweeps(src, "SELECT " + names(kSweepCopy) + " FROM sweeps ORDER BY id");
    while (sweeps.step()) {
        store::Statement same(db,
                              "SELECT id FROM sweeps WHERE created_at = ? AND spec = ? AND "
                              "dataset = ?");
        same.bindAll(sweeps.text(1), sweeps.text(2), sweeps.text(3));
        sweepIds[sweeps.int64(0)] =
            same.step() ? same.int64(0) : insertRow(db, "sweeps", kSweepCopy, sweeps, -1, {});
    }

    // Runs still being trained stay where their workers write them.
    store::Statement runs(
        src, "SELECT " + names(kRunCopy) + " FROM runs WHERE kind = 'trained' ORDER BY id");
    const int sweepColumn = 45;
    while (runs.step()) {
        const std::string status = runs.text(4);
        if (status == "running" || status == "queued") {
            ++counts.stillRunning;
            continue;
        }
        store::Statement same(db,
                              "SELECT 1 FROM runs WHERE kind = 'trained' AND created_at = ? "
                              "AND COALESCE(owner_host, '') = ? AND COALESCE(owner_pid, 0) = ? "
                              "AND arch = ? AND hidden = ? AND COALESCE(fold, -1) = ? AND "
                              "COALESCE(seed, -1) = ?");
        same.bindAll(runs.text(1), runs.text(42), runs.int64(43), runs.text(15), runs.int64(16),
                     runs.isNull(13) ? -1 : runs.int64(13), runs.isNull(14) ? -1 : runs.int64(14));
        if (same.step()) {
            ++counts.alreadyThere;
            continue;
        }
        std::optional<std::int64_t> sweep;
        if (!runs.isNull(sweepColumn)) {
            sweep = sweepIds.at(runs.int64(sweepColumn));
        }
        const std::int64_t id = insertRow(db, "runs", kRunCopy, runs, sweepColumn, sweep);
        for (const auto& [table, columns] : kRunParts) {
            store::Statement part(
                src, "SELECT " + names(columns) + " FROM " + table + " WHERE run_id = ?");
            part.bindAll(runs.int64(0));
            store::Statement to(db, std::string("INSERT INTO ") + table + " (" + names(columns) +
                                        ") VALUES (" + marks(columns.size()) + ")");
            while (part.step()) {
                to.bind(1, id);
                for (std::size_t c = 1; c < columns.size(); ++c) {
                    copyValue(part, static_cast<int>(c), columns[c].type, to,
                              static_cast<int>(c + 1));
                }
                to.run();
                to.reset();
            }
        }
        ++counts.copied;
    }
    db.afterExplicitIds("sweeps");
    db.afterExplicitIds("runs");
    tx.commit();
    return counts;
}

}  // namespace vidrnn
