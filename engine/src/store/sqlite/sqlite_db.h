// The SQLite backend's connection: a thin RAII layer over the SQLite C API.
// Every failure becomes a StoreError whose message names the store file and
// carries SQLite's own message, so nothing here can fail silently or
// anonymously.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "store/runquery.h"
#include "store/sql.h"

namespace vidrnn::store {

class SqliteDatabase final : public Database {
public:
    // flags: SQLITE_OPEN_*; uri: when not empty it is opened instead of path
    // (with SQLITE_OPEN_URI) while messages still name path.
    SqliteDatabase(const std::string& path, int flags, const std::string& uri = {});
    ~SqliteDatabase() override;

    sqlite3* handle() const noexcept { return mDb; }

    std::unique_ptr<Cursor> prepare(const std::string& sql) override;
    void exec(const std::string& sql) override;
    std::int64_t lastInsertId(const std::string& table) override;
    int changes() const override;
    void begin(TxKind kind) override;
    void commit() override;
    void rollback() noexcept override;
    std::string ageSecondsSql(const std::string& expr) const override;
    const SqlDialect& dialect() const override;
    std::int64_t runLogMarker() override;
    std::int64_t dataVersion() override;
    std::vector<std::string> integrityProblems(int maxProblems) override;
    void afterExplicitIds(const std::string& table) override;
    const char* lockRowsSkipLocked() const override;
    void lockKey(std::int64_t group, const std::string& key) override;
    bool leaseOnly() const override;

    void setBusyTimeout(int milliseconds);
    int busyTimeout() const noexcept { return mBusyTimeoutMs; }

    // Throws StoreError "path: <what>: <reason from rc and SQLite's message>".
    [[noreturn]] void fail(int rc, const std::string& what) const;

private:
    sqlite3* mDb = nullptr;
    int mBusyTimeoutMs = 0;
};

}  // namespace vidrnn::store
