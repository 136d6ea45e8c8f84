#include "store/sqlite/schema.h"

#include <cstdio>

#include "store/schema_sql.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store_impl.h"
#include "vidrnn/errors.h"

namespace vidrnn::store {

namespace {

const SchemaTypes kSqliteTypes{"INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER", "REAL",
                               " WITHOUT ROWID"};

// What SQLite adds to the shared tables of a version: its application id
// (version 1), and the triggers that keep reference rows read-only
// (version 3) and log changed runs (version 4).
constexpr const char* kApplicationIdSql = "PRAGMA application_id = 1447318094;\n";
constexpr const char* kReferenceTriggers = R"sql(
CREATE TRIGGER reference_runs_keep BEFORE DELETE ON runs WHEN OLD.kind = 'reference'
BEGIN
    SELECT RAISE(ABORT, 'reference runs are read-only');
END;
CREATE TRIGGER reference_runs_fixed BEFORE UPDATE ON runs WHEN OLD.kind = 'reference'
BEGIN
    SELECT RAISE(ABORT, 'reference runs are read-only');
END;
)sql";
constexpr const char* kRunLogTriggers = R"sql(
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
        refuseOtherTables(db.path(), "SQLite",
                          db.queryText("SELECT group_concat(name, ', ') FROM sqlite_master "
                                       "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"));
    } else if (appId == 0) {
        throw StoreError(db.path(),
                         "not a vidrnn run store (SQLite database without the vidrnn "
                         "application id, user_version " +
                             std::to_string(version) + ")");
    }
    return version;
}

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> steps{
        {1, "runs, epochs, per-class metrics, confusion, predictions",
         kApplicationIdSql + sharedSchemaSql(1, kSqliteTypes)},
        {2, "sweeps; heartbeat, owner start time and note on runs",
         sharedSchemaSql(2, kSqliteTypes)},
        {3, "meta table, read-only reference rows, lookup indexes",
         sharedSchemaSql(3, kSqliteTypes, kReferenceTriggers)},
        {4, "log of changed runs, indexes for sorting the run table",
         sharedSchemaSql(4, kSqliteTypes, kRunLogTriggers)},
        {5, "requested and effective precision of runs", sharedSchemaSql(5, kSqliteTypes)},
        {6, "claims of a cell, batch job of a run's owner", sharedSchemaSql(6, kSqliteTypes)},
        {7, "data set fingerprint of runs; early-classification curves",
         sharedSchemaSql(7, kSqliteTypes)},
        {8, "sha256 of each run's checkpoint; order diagnostics and provenance of runs",
         sharedSchemaSql(8, kSqliteTypes)},
        {9, "clip-by-clip changes of the reversed and shuffled passes",
         sharedSchemaSql(9, kSqliteTypes)},
    };
    return steps;
}

int currentSchemaVersion() {
    static_assert(kSchemaVersion == 9, "add the SQLite migration for the new schema version");
    return migrations().back().version;
}

// Outside a transaction every statement reads its own snapshot: the version,
// the application id and the table list are read in one (deferred, read-only)
// transaction so that another program's migration, committed in between,
// cannot make a half-old, half-new picture of the file.
namespace {
int consistentVersion(Database& db) {
    Transaction read(db, Transaction::Kind::Deferred);
    const int version = vidrnnVersion(db);
    read.commit();
    return version;
}
}  // namespace

int storedSchemaVersion(Database& db) {
    int version = consistentVersion(db);
    refuseNewerSchema(db.path(), version);
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
    refuseNewerSchema(db.path(), version);
    for (const Migration& step : migrations()) {
        if (step.version <= version) {
            continue;
        }
        try {
            db.exec(step.sql);
        } catch (const StoreError& e) {
            throw StoreError(db.path(), upgradeFailure(step.version, e.reason()));
        }
        db.exec("PRAGMA user_version = " + std::to_string(step.version));
    }
    tx.commit();
}

void checkReadable(Database& db) {
    requireCurrentSchema(db.path(), consistentVersion(db));
}

}  // namespace vidrnn::store
