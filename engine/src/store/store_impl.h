// RunStore's private half, shared by the store_*.cpp files that implement it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/sql.h"
#include "vidrnn/store.h"

namespace vidrnn {

struct RunStore::Impl {
    std::unique_ptr<store::Database> db;
    Options options;
    std::string integrityCheckReason;
    std::string storeId;  // read once (RunStore::storeId)
    // Whatever the backend keeps for as long as the store is open here.
    std::shared_ptr<void> backendState;

    Impl(std::unique_ptr<store::Database> database, const Options& opts)
        : db(std::move(database)), options(opts) {}

    bool readOnly() const { return options.mode == OpenMode::ReadOnly; }
    // Throws StoreError naming the action when the store was opened read-only.
    void requireWritable(const std::string& action) const;
    // Throws StoreError when run `id` does not exist; returns its kind and status.
    std::pair<RunKind, RunStatus> requireRun(std::int64_t id);
    // Throws StoreError for a reference run, which no one may change.
    void requireTrainedRun(std::int64_t id, const std::string& action);
};

namespace store {

// The schema version every backend writes; each backend's migrations end there.
constexpr int kSchemaVersion = 9;

// The backends, each in its own folder; RunStore::open picks one by the
// form of the location (a postgresql:// URL or a file).
bool isPostgresUrl(const std::string& location);
struct Opened {
    std::unique_ptr<Database> db;
    std::string integrityCheckReason;
    std::shared_ptr<void> state;  // kept while the store is open
};
Opened openSqlite(const std::string& path, const RunStore::Options& options);
Opened openPostgres(const std::string& url, const RunStore::Options& options);

// The SELECT list runFromRow() reads, in its order.
extern const char* const kRunColumns;
// config = false: RunRecord::config left at its defaults.
RunRecord runFromRow(const Statement& st, bool config = true);

RunStatus statusFromColumn(const std::string& name);

// Only the holder of a sweep cell's lease may write its run: the condition
// (three parameters: this process's host, pid and start) that a running
// sweep run has not passed to another worker.
extern const char* const kLeaseHeld;
void bindLeaseHolder(Statement& st, int firstIndex);
// Throws StoreError: run `id` is running in another process now.
[[noreturn]] void leaseLost(Database& db, std::int64_t id, const std::string& action);

// Gives the store its random id (meta 'store_id') unless it has one.
void assignStoreId(Database& db);

// The completion of run `id` inside the caller's transaction (results,
// per-class metrics, confusion, predictions, early curve), when the run
// still satisfies `held` (an SQL condition whose parameters `bindHeld` binds
// from the index it is given); false, with nothing written, when it does not.
bool writeCompletion(Database& db, std::int64_t id, const RunResult& result,
                     const std::string& held, const std::function<void(Statement&, int)>& bindHeld);

// Keeps the log of changed runs from growing without end (every heartbeat
// adds an entry): drops the oldest entries once there are many; a reader
// whose marker is older then reloads (RunChanges::complete).
void pruneRunLog(Database& db);

// Inside a caller's transaction: a new trained run, or an existing one reset
// to start again (its epochs and results removed, its id and note kept).
std::int64_t insertRun(Database& db, const TrainConfig& config, const RunMeta& meta);
void resetRun(Database& db, std::int64_t id, const TrainConfig& config, const RunMeta& meta);

// JSON arrays kept in text columns.
std::string namesToJson(const std::vector<std::string>& names);
std::vector<std::string> namesFromJson(const std::string& json);
std::string probabilitiesToJson(const std::vector<float>& values);
std::vector<float> probabilitiesFromJson(const std::string& json);

}  // namespace store
}  // namespace vidrnn
