// RunStore, the one store interface: picks a backend by the form of the
// location (sqlite/ for a file, postgres/ for a postgresql:// URL) and runs
// the store's SQL (store_*.cpp) over that backend's connection.
#include <algorithm>
#include <array>
#include <filesystem>

#include "store/store_impl.h"
#include "vidrnn/errors.h"
#include "vidrnn/paths.h"

namespace vidrnn {

namespace fs = std::filesystem;

namespace {

constexpr const char* kStoreFileName = "experiments.db";

constexpr std::array<RunStatus, 7> kStatuses{
    RunStatus::Queued,    RunStatus::Running,     RunStatus::Completed, RunStatus::Failed,
    RunStatus::Cancelled, RunStatus::Interrupted, RunStatus::Reference};

}  // namespace

const char* toString(RunStatus status) {
    switch (status) {
        case RunStatus::Queued:
            return "queued";
        case RunStatus::Running:
            return "running";
        case RunStatus::Completed:
            return "completed";
        case RunStatus::Failed:
            return "failed";
        case RunStatus::Cancelled:
            return "cancelled";
        case RunStatus::Interrupted:
            return "interrupted";
        case RunStatus::Reference:
            return "reference";
    }
    return "?";
}

RunStatus runStatusFromString(const std::string& name) {
    std::string accepted;
    for (RunStatus s : kStatuses) {
        if (name == toString(s)) {
            return s;
        }
        accepted += accepted.empty() ? toString(s) : std::string(", ") + toString(s);
    }
    throw ConfigError("unknown run status '" + name + "' (expected one of: " + accepted + ")");
}

const char* toString(RunKind kind) {
    return kind == RunKind::Reference ? "reference" : "trained";
}

std::string defaultStorePath() {
    std::error_code ec;
    if (fs::exists(kStoreFileName, ec)) {
        return kStoreFileName;
    }
    const fs::path folder = userDataDir();
    // A failure shows when the store is opened, as a message naming the folder.
    fs::create_directories(folder, ec);
    return (folder / kStoreFileName).string();
}

std::string resolveStorePath(const std::string& given) {
    return given.empty() ? defaultStorePath() : given;
}

RunStore RunStore::open(const std::string& path, OpenMode mode) {
    Options options;
    options.mode = mode;
    return open(path, options);
}

RunStore RunStore::open(const std::string& location, const Options& options) {
    if (location.empty()) {
        throw StoreError("no store path given");
    }
    checkStoreUrl(location);
    store::Opened opened = store::isPostgresUrl(location) ? store::openPostgres(location, options)
                                                          : store::openSqlite(location, options);
    auto impl = std::make_unique<Impl>(std::move(opened.db), options);
    impl->integrityCheckReason = std::move(opened.integrityCheckReason);
    impl->backendState = std::move(opened.state);
    RunStore runStore(std::move(impl));
    if (options.mode == OpenMode::ReadWrite && options.maintain) {
        runStore.importReference();
        store::assignStoreId(*runStore.mImpl->db);
        runStore.markInterrupted();
        store::pruneRunLog(*runStore.mImpl->db);
    }
    return runStore;
}

int RunStore::schemaVersion() {
    return store::kSchemaVersion;
}

RunStore::RunStore(std::unique_ptr<Impl> impl) : mImpl(std::move(impl)) {}
RunStore::RunStore(RunStore&&) noexcept = default;
RunStore& RunStore::operator=(RunStore&&) noexcept = default;
RunStore::~RunStore() = default;

const std::string& RunStore::path() const {
    return mImpl->db->path();
}

const RunStore::Options& RunStore::options() const {
    return mImpl->options;
}

bool RunStore::readOnly() const {
    return mImpl->readOnly();
}

std::int64_t RunStore::dataVersion() const {
    return mImpl->db->dataVersion();
}

const std::string& RunStore::integrityCheckReason() const {
    return mImpl->integrityCheckReason;
}

std::vector<std::string> RunStore::checkIntegrity(int maxProblems) const {
    return mImpl->db->integrityProblems(std::max(1, maxProblems));
}

std::string RunStore::storeId() const {
    if (mImpl->storeId.empty()) {
        store::Statement st(*mImpl->db, "SELECT value FROM meta WHERE key = 'store_id'");
        if (st.step()) {
            mImpl->storeId = st.text(0);
        }
    }
    return mImpl->storeId;
}

void RunStore::checkWritable() {
    mImpl->requireWritable("write");
    store::Database& db = *mImpl->db;
    // A real write, so that a role or file without the right fails here;
    // rolled back, so that nothing changes.
    store::Transaction tx(db);
    db.exec("UPDATE meta SET value = value WHERE key = 'store_id'");
}

void RunStore::Impl::requireWritable(const std::string& action) const {
    if (readOnly()) {
        throw StoreError(db->path(), "cannot " + action + ": the store was opened read-only");
    }
}

std::pair<RunKind, RunStatus> RunStore::Impl::requireRun(std::int64_t id) {
    store::Statement st(*db, "SELECT kind, status FROM runs WHERE id = ?");
    st.bindAll(id);
    if (!st.step()) {
        throw StoreError(db->path(), "run " + std::to_string(id) + " does not exist");
    }
    RunKind kind = st.text(0) == "reference" ? RunKind::Reference : RunKind::Trained;
    return {kind, store::statusFromColumn(st.text(1))};
}

void RunStore::Impl::requireTrainedRun(std::int64_t id, const std::string& action) {
    requireWritable(action);
    if (requireRun(id).first == RunKind::Reference) {
        throw StoreError(db->path(), "cannot " + action + ": run " + std::to_string(id) +
                                         " is a reference row from the study, which is read-only");
    }
}

}  // namespace vidrnn
