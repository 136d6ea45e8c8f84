#include "store/schema_sql.h"

#include "store/store_impl.h"
#include "vidrnn/errors.h"

namespace vidrnn::store {

namespace {

// Tables and indexes of each schema version, for every backend: @ID@ is a
// generated 64-bit key, @INT@ and @REAL@ 64-bit numbers, @NOROWID@ SQLite's
// clustered-table clause, @EXTRA@ where a backend's own statements go (at
// the end where it is absent). Released steps are never edited, only appended.
constexpr const char* kV1 = R"sql(
CREATE TABLE runs (
    id @ID@,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed',
                                           'cancelled', 'interrupted', 'reference')),
    kind TEXT NOT NULL DEFAULT 'trained' CHECK (kind IN ('trained', 'reference')),
    config_json TEXT,
    dataset TEXT,
    frames @INT@,
    image_size @INT@,
    backbone TEXT,
    cache_dir TEXT,
    protocol TEXT,
    fold @INT@,
    seed @INT@,
    arch TEXT NOT NULL,
    hidden @INT@ NOT NULL,
    layers @INT@ NOT NULL,
    config_layers @INT@,
    dropout @REAL@,
    max_epochs @INT@,
    batch @INT@,
    lr @REAL@,
    weight_decay @REAL@,
    grad_clip @REAL@,
    patience @INT@,
    requested_device TEXT,
    threads @INT@,
    device TEXT,
    params @INT@,
    backbone_id TEXT,
    pretrained @INT@ NOT NULL DEFAULT 0,
    leaking @INT@ NOT NULL DEFAULT 0,
    num_classes @INT@,
    class_names TEXT,
    train_seconds @REAL@,
    extract_seconds @REAL@,
    best_epoch @INT@,
    accuracy @REAL@,
    macro_f1 @REAL@,
    test_count @INT@,
    message TEXT,
    owner_host TEXT,
    owner_pid @INT@,
    checkpoint TEXT
);
CREATE TABLE epochs (
    run_id @INT@ NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch @INT@ NOT NULL,
    train_loss @REAL@,
    train_acc @REAL@,
    val_loss @REAL@,
    val_acc @REAL@,
    val_macro_f1 @REAL@,
    seconds @REAL@,
    lr @REAL@,
    PRIMARY KEY (run_id, epoch)
)@NOROWID@;
CREATE TABLE class_metrics (
    run_id @INT@ NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    class_index @INT@ NOT NULL,
    name TEXT NOT NULL,
    support @INT@ NOT NULL,
    predicted @INT@ NOT NULL,
    tp @INT@ NOT NULL,
    precision @REAL@,
    recall @REAL@,
    f1 @REAL@,
    PRIMARY KEY (run_id, class_index)
)@NOROWID@;
CREATE TABLE confusion (
    run_id @INT@ NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    truth @INT@ NOT NULL,
    predicted @INT@ NOT NULL,
    count @INT@ NOT NULL,
    PRIMARY KEY (run_id, truth, predicted)
)@NOROWID@;
CREATE TABLE predictions (
    run_id @INT@ NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    position @INT@ NOT NULL,
    clip TEXT NOT NULL,
    truth @INT@ NOT NULL,
    predicted @INT@ NOT NULL,
    probabilities TEXT,
    PRIMARY KEY (run_id, position)
)@NOROWID@;
)sql";

constexpr const char* kV2 = R"sql(
CREATE TABLE sweeps (
    id @ID@,
    created_at TEXT NOT NULL,
    spec TEXT NOT NULL,
    dataset TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'completed', 'failed', 'cancelled', 'interrupted'))
);
ALTER TABLE runs ADD COLUMN sweep_id @INT@ REFERENCES sweeps(id) ON DELETE SET NULL;
ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
ALTER TABLE runs ADD COLUMN owner_start TEXT;
ALTER TABLE runs ADD COLUMN note TEXT;
UPDATE runs SET heartbeat_at = COALESCE(finished_at, started_at, created_at);
)sql";

constexpr const char* kV3 = R"sql(
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
)@NOROWID@;
INSERT INTO meta (key, value)
    SELECT 'reference_import', 'ucf11-course-report'
    WHERE EXISTS (SELECT 1 FROM runs WHERE kind = 'reference');
CREATE INDEX runs_by_status ON runs (status);
CREATE INDEX runs_by_sweep_cell ON runs (sweep_id, arch, hidden, layers, fold, seed);
)sql";

constexpr const char* kV4 = R"sql(
CREATE TABLE run_log (
    seq @ID@,
    run_id @INT@ NOT NULL
);
CREATE INDEX run_log_by_run ON run_log (run_id);
@EXTRA@CREATE INDEX runs_by_kind ON runs (kind, id);
CREATE INDEX runs_by_created ON runs (created_at);
CREATE INDEX runs_by_arch ON runs (arch, hidden, layers);
CREATE INDEX runs_by_accuracy ON runs (accuracy);
CREATE INDEX runs_by_macro_f1 ON runs (macro_f1);
)sql";

constexpr const char* kV5 = R"sql(
ALTER TABLE runs ADD COLUMN requested_precision TEXT;
ALTER TABLE runs ADD COLUMN precision TEXT;
UPDATE runs SET requested_precision = 'fp32', precision = 'fp32' WHERE kind = 'trained';
)sql";

// Version 6: cells of a sweep shared by many workers: how often a cell was
// claimed (a cell that failed too often is given up) and the batch job
// (Slurm's) of the process that owns a run.
constexpr const char* kV6 = R"sql(
ALTER TABLE runs ADD COLUMN attempts @INT@ NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN owner_job TEXT;
UPDATE runs SET attempts = 1 WHERE kind = 'trained' AND started_at IS NOT NULL;
)sql";

// Version 7: what the data set held when a run trained (a hash of its clip
// list, see datasetFingerprint), so that runs on different data never share a
// report row, and the early-classification curve of each run (accuracy on the
// test clips having seen the first k of T frames). Older runs keep NULL and
// no curve.
constexpr const char* kV7 = R"sql(
ALTER TABLE runs ADD COLUMN dataset_fingerprint TEXT;
CREATE TABLE early_curve (
    run_id @INT@ NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step @INT@ NOT NULL,
    fraction @REAL@ NOT NULL,
    accuracy @REAL@ NOT NULL,
    PRIMARY KEY (run_id, step)
)@NOROWID@;
)sql";

// Version 8: the sha256 of the checkpoint each run wrote, so that a file
// replaced in a shared checkpoint folder is never loaded as the run's (a
// checkpoint can run code); and does the model read time, and can the number
// be had again? Every run's order diagnostics (the test clips evaluated again
// with their frames reversed and shuffled; order reliance = accuracy -
// shuffled accuracy, also per class through the recall of each) and its
// provenance (build, libraries, CPU, threads, device, precision, host: a JSON
// object). Older runs keep NULL: shown as "unknown", never guessed.
constexpr const char* kV8 = R"sql(
ALTER TABLE runs ADD COLUMN checkpoint_sha256 TEXT;
ALTER TABLE runs ADD COLUMN provenance TEXT;
ALTER TABLE runs ADD COLUMN reversed_accuracy @REAL@;
ALTER TABLE runs ADD COLUMN reversed_macro_f1 @REAL@;
ALTER TABLE runs ADD COLUMN shuffled_accuracy @REAL@;
ALTER TABLE runs ADD COLUMN shuffled_macro_f1 @REAL@;
ALTER TABLE runs ADD COLUMN order_reliance @REAL@;
ALTER TABLE runs ADD COLUMN order_seconds @REAL@;
CREATE TABLE order_classes (
    run_id @INT@ NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    class_index @INT@ NOT NULL,
    reversed_recall @REAL@,
    shuffled_recall @REAL@,
    PRIMARY KEY (run_id, class_index)
)@NOROWID@;
)sql";

// Version 9: clip by clip, how the reversed and the shuffled pass differ from
// the pass in order (clips right in order and wrong reordered: lost; the
// other way: gained), so that a single run's order reliance has an interval
// over its test clips. Older runs keep NULL: no interval, never guessed.
// And the input the model read (appearance | motion), a column so that
// reports, which read runs without their configuration, keep the two apart:
// a trained run's configuration names it when it is not appearance (the
// default, and the only input before motion), so older runs' is known.
constexpr const char* kV9 = R"sql(
ALTER TABLE runs ADD COLUMN reversed_lost @INT@;
ALTER TABLE runs ADD COLUMN reversed_gained @INT@;
ALTER TABLE runs ADD COLUMN shuffled_lost @INT@;
ALTER TABLE runs ADD COLUMN shuffled_gained @INT@;
ALTER TABLE runs ADD COLUMN input TEXT;
UPDATE runs SET input = CASE WHEN config_json LIKE '%"input":"motion"%' THEN 'motion'
                             ELSE 'appearance' END
    WHERE kind = 'trained';
)sql";

std::string replaceAll(std::string text, const std::string& token, const std::string& with) {
    for (std::size_t at = text.find(token); at != std::string::npos;
         at = text.find(token, at + with.size())) {
        text.replace(at, token.size(), with);
    }
    return text;
}

}  // namespace

std::string sharedSchemaSql(int version, const SchemaTypes& types, const std::string& extra) {
    static_assert(kSchemaVersion == 9, "add the shared tables of the new schema version");
    static const char* const steps[] = {kV1, kV2, kV3, kV4, kV5, kV6, kV7, kV8, kV9};
    if (version < 1 || version > kSchemaVersion) {
        throw LogicError("no schema version " + std::to_string(version));
    }
    std::string sql = steps[version - 1];
    sql =
        sql.find("@EXTRA@") == std::string::npos ? sql + extra : replaceAll(sql, "@EXTRA@", extra);
    sql = replaceAll(sql, "@ID@", types.id);
    sql = replaceAll(sql, "@INT@", types.integer);
    sql = replaceAll(sql, "@REAL@", types.real);
    return replaceAll(sql, "@NOROWID@", types.withoutRowid);
}

void refuseOtherTables(const std::string& store, const char* kind, const std::string& tables) {
    if (!tables.empty()) {
        throw StoreError(store, std::string("not a vidrnn run store (") + kind +
                                    " database with other tables: " + tables + ")");
    }
}

void refuseNewerSchema(const std::string& store, int version) {
    if (version > kSchemaVersion) {
        throw StoreError(store, "the store has schema version " + std::to_string(version) +
                                    ", newer than version " + std::to_string(kSchemaVersion) +
                                    " that this vidrnn understands; use a newer vidrnn");
    }
}

void requireCurrentSchema(const std::string& store, int version) {
    refuseNewerSchema(store, version);
    if (version == 0) {
        throw StoreError(store, "not a vidrnn run store (empty database)");
    }
    if (version < kSchemaVersion) {
        throw StoreError(store, "the store has schema version " + std::to_string(version) +
                                    ", older than version " + std::to_string(kSchemaVersion) +
                                    "; open it once read-write to upgrade it");
    }
}

std::string upgradeFailure(int toVersion, const std::string& reason) {
    return "cannot upgrade the store from schema version " + std::to_string(toVersion - 1) +
           " to " + std::to_string(toVersion) + ": " + reason;
}

}  // namespace vidrnn::store
