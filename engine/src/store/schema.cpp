#include "store/schema.h"

#include <cstdio>

#include "store/sqlite_db.h"
#include "vidrnn/errors.h"

namespace vidrnn::store {

namespace {

// Version 1: the runs and everything measured about them.
constexpr const char* kV1 = R"sql(
PRAGMA application_id = 1447318094;
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed',
                                           'cancelled', 'interrupted', 'reference')),
    kind TEXT NOT NULL DEFAULT 'trained' CHECK (kind IN ('trained', 'reference')),
    config_json TEXT,
    dataset TEXT,
    frames INTEGER,
    image_size INTEGER,
    backbone TEXT,
    cache_dir TEXT,
    protocol TEXT,
    fold INTEGER,
    seed INTEGER,
    arch TEXT NOT NULL,
    hidden INTEGER NOT NULL,
    layers INTEGER NOT NULL,
    config_layers INTEGER,
    dropout REAL,
    max_epochs INTEGER,
    batch INTEGER,
    lr REAL,
    weight_decay REAL,
    grad_clip REAL,
    patience INTEGER,
    requested_device TEXT,
    threads INTEGER,
    device TEXT,
    params INTEGER,
    backbone_id TEXT,
    pretrained INTEGER NOT NULL DEFAULT 0,
    leaking INTEGER NOT NULL DEFAULT 0,
    num_classes INTEGER,
    class_names TEXT,
    train_seconds REAL,
    extract_seconds REAL,
    best_epoch INTEGER,
    accuracy REAL,
    macro_f1 REAL,
    test_count INTEGER,
    message TEXT,
    owner_host TEXT,
    owner_pid INTEGER,
    checkpoint TEXT
);
CREATE TABLE epochs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    train_loss REAL,
    train_acc REAL,
    val_loss REAL,
    val_acc REAL,
    val_macro_f1 REAL,
    seconds REAL,
    lr REAL,
    PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;
CREATE TABLE class_metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    class_index INTEGER NOT NULL,
    name TEXT NOT NULL,
    support INTEGER NOT NULL,
    predicted INTEGER NOT NULL,
    tp INTEGER NOT NULL,
    precision REAL,
    recall REAL,
    f1 REAL,
    PRIMARY KEY (run_id, class_index)
) WITHOUT ROWID;
CREATE TABLE confusion (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    truth INTEGER NOT NULL,
    predicted INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (run_id, truth, predicted)
) WITHOUT ROWID;
CREATE TABLE predictions (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    clip TEXT NOT NULL,
    truth INTEGER NOT NULL,
    predicted INTEGER NOT NULL,
    probabilities TEXT,
    PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
)sql";

// Version 2: sweeps, and what is needed to tell a live run from a dead one.
// ALTER TABLE only appends columns, so version 1 rows are kept as they are.
constexpr const char* kV2 = R"sql(
CREATE TABLE sweeps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    spec TEXT NOT NULL,
    dataset TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted'))
);
ALTER TABLE runs ADD COLUMN sweep_id INTEGER REFERENCES sweeps(id) ON DELETE SET NULL;
ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
ALTER TABLE runs ADD COLUMN owner_start TEXT;
ALTER TABLE runs ADD COLUMN note TEXT;
UPDATE runs SET heartbeat_at = COALESCE(finished_at, started_at, created_at);
)sql";

// Version 3: one-time imports are recorded in meta; reference rows become
// read-only in the database itself, whatever program writes to it; indexes
// for the common lookups.
constexpr const char* kV3 = R"sql(
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value)
    SELECT 'reference_import', 'ucf11-course-report'
    WHERE EXISTS (SELECT 1 FROM runs WHERE kind = 'reference');
CREATE INDEX runs_by_status ON runs (status);
CREATE INDEX runs_by_sweep_cell ON runs (sweep_id, arch, hidden, layers, fold, seed);
CREATE TRIGGER reference_runs_keep BEFORE DELETE ON runs WHEN OLD.kind = 'reference'
BEGIN
    SELECT RAISE(ABORT, 'reference runs are read-only');
END;
CREATE TRIGGER reference_runs_fixed BEFORE UPDATE ON runs WHEN OLD.kind = 'reference'
BEGIN
    SELECT RAISE(ABORT, 'reference runs are read-only');
END;
)sql";

// Version 4: a log of changed runs, so a table of 50,000 runs updates the
// rows that changed instead of reading them all again (RunStore::changesSince),
// and indexes for the sorts and filters of the run table.
constexpr const char* kV4 = R"sql(
CREATE TABLE run_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL
);
CREATE INDEX run_log_by_run ON run_log (run_id);
CREATE TRIGGER run_log_insert AFTER INSERT ON runs
BEGIN
    INSERT INTO run_log (run_id) VALUES (NEW.id);
END;
CREATE TRIGGER run_log_update AFTER UPDATE ON runs
BEGIN
    INSERT INTO run_log (run_id) VALUES (NEW.id);
END;
CREATE TRIGGER run_log_delete AFTER DELETE ON runs
BEGIN
    INSERT INTO run_log (run_id) VALUES (OLD.id);
END;
CREATE INDEX runs_by_kind ON runs (kind, id);
CREATE INDEX runs_by_created ON runs (created_at);
CREATE INDEX runs_by_arch ON runs (arch, hidden, layers);
CREATE INDEX runs_by_accuracy ON runs (accuracy);
CREATE INDEX runs_by_macro_f1 ON runs (macro_f1);
)sql";

// Version 5: the precision a run asked for (fp32, bf16, auto) and the one it
// computed in. Runs trained before it computed in fp32; reference rows keep
// NULL (the study does not state it, and they are read-only anyway).
constexpr const char* kV5 = R"sql(
ALTER TABLE runs ADD COLUMN requested_precision TEXT;
ALTER TABLE runs ADD COLUMN precision TEXT;
UPDATE runs SET requested_precision = 'fp32', precision = 'fp32' WHERE kind = 'trained';
)sql";

// Version 6: what the data set held when a run trained (a hash of its clip
// list, see datasetFingerprint), so that runs on different data never share a
// report row, and the early-classification curve of each run (accuracy on the
// test clips having seen the first k of T frames). Older runs keep NULL and
// no curve.
constexpr const char* kV6 = R"sql(
ALTER TABLE runs ADD COLUMN dataset_fingerprint TEXT;
CREATE TABLE early_curve (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    fraction REAL NOT NULL,
    accuracy REAL NOT NULL,
    PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
)sql";

std::string hex(std::int64_t value) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "0x%08llX", static_cast<unsigned long long>(value));
    return buffer;
}

// Version of a vidrnn store, 0 for an empty database; throws for a database
// that belongs to some other program.
int vidrnnVersion(Database& db) {
    int version = static_cast<int>(db.queryInt("PRAGMA user_version"));
    std::int64_t appId = db.queryInt("PRAGMA application_id");
    if (appId != 0 && appId != kApplicationId) {
        throw StoreError(db.path(),
                         "not a vidrnn run store (SQLite database of another program, "
                         "application id " +
                             hex(appId) + ")");
    }
    if (version == 0) {
        std::string tables = db.queryText(
            "SELECT group_concat(name, ', ') FROM sqlite_master "
            "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        if (!tables.empty()) {
            throw StoreError(db.path(),
                             "not a vidrnn run store (SQLite database with other "
                             "tables: " +
                                 tables + ")");
        }
    } else if (appId == 0) {
        throw StoreError(db.path(),
                         "not a vidrnn run store (SQLite database without the vidrnn "
                         "application id, user_version " +
                             std::to_string(version) + ")");
    }
    return version;
}

void refuseNewer(Database& db, int version) {
    if (version > currentSchemaVersion()) {
        throw StoreError(db.path(), "the store has schema version " + std::to_string(version) +
                                        ", newer than version " +
                                        std::to_string(currentSchemaVersion()) +
                                        " that this vidrnn understands; use a newer vidrnn");
    }
}

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> steps{
        {1, "runs, epochs, per-class metrics, confusion, predictions", kV1},
        {2, "sweeps; heartbeat, owner start time and note on runs", kV2},
        {3, "meta table, read-only reference rows, lookup indexes", kV3},
        {4, "log of changed runs, indexes for sorting the run table", kV4},
        {5, "requested and effective precision of runs", kV5},
        {6, "data set fingerprint of runs; early-classification curves", kV6},
    };
    return steps;
}

int currentSchemaVersion() {
    return migrations().back().version;
}

int storedSchemaVersion(Database& db) {
    int version = vidrnnVersion(db);
    refuseNewer(db, version);
    return version;
}

void migrate(Database& db) {
    int version = storedSchemaVersion(db);
    if (version == currentSchemaVersion()) {
        return;
    }
    Transaction tx(db);
    // Another program may have migrated between our read and our lock.
    version = vidrnnVersion(db);
    refuseNewer(db, version);
    for (const Migration& step : migrations()) {
        if (step.version <= version) {
            continue;
        }
        try {
            db.exec(step.sql);
        } catch (const StoreError& e) {
            throw StoreError(db.path(), "cannot upgrade the store from schema version " +
                                            std::to_string(step.version - 1) + " to " +
                                            std::to_string(step.version) + ": " + e.reason());
        }
        db.exec("PRAGMA user_version = " + std::to_string(step.version));
    }
    tx.commit();
}

void checkReadable(Database& db) {
    int version = vidrnnVersion(db);
    refuseNewer(db, version);
    if (version == 0) {
        throw StoreError(db.path(), "not a vidrnn run store (empty database)");
    }
    if (version < currentSchemaVersion()) {
        throw StoreError(db.path(), "the store has schema version " + std::to_string(version) +
                                        ", older than version " +
                                        std::to_string(currentSchemaVersion()) +
                                        "; open it once read-write to upgrade it");
    }
}

}  // namespace vidrnn::store
