// The PostgreSQL backend's connection, over libpqxx. The store's SQL is
// written with ? placeholders; they become $1, $2, ... here. A connection
// the server dropped (a restart) is opened again with backoff, as long as no
// transaction was open on it; inside one, the transaction fails as a whole.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/runquery.h"
#include "store/sql.h"

#include <pqxx/connection>
#include <pqxx/result>

namespace vidrnn::store {

class PgDatabase final : public Database {
public:
    // name: the URL as messages show it; conninfo: what libpq is given;
    // host: the server as messages name it. Throws StoreError naming the
    // host and libpq's reason when the server cannot be reached.
    // idleInTransaction (> 0): the server ends this session when it leaves a
    // transaction open without a word for that long (a frozen worker), so
    // that its row locks do not keep the cell it lost from the next worker.
    PgDatabase(const std::string& name, const std::string& conninfo, const std::string& host,
               bool readOnly, std::chrono::milliseconds reconnectFor,
               std::chrono::seconds idleInTransaction = std::chrono::seconds(0));
    ~PgDatabase() override;

    std::unique_ptr<Cursor> prepare(const std::string& sql) override;
    void exec(const std::string& sql) override;
    std::int64_t lastInsertId(const std::string& table) override;
    int changes() const override { return mChanges; }
    void begin(TxKind kind) override;
    void commit() override;
    void rollback() noexcept override;
    std::string ageSecondsSql(const std::string& expr) const override;
    const SqlDialect& dialect() const override;
    std::int64_t runLogMarker() override;
    std::int64_t runLogLateWindow() const override;
    std::int64_t dataVersion() override;
    std::vector<std::string> integrityProblems(int maxProblems) override;
    void afterExplicitIds(const std::string& table) override;
    const char* lockRowsSkipLocked() const override;
    void lockKey(std::int64_t group, const std::string& key) override;
    bool leaseOnly() const override;

    const std::string& host() const noexcept { return mHost; }
    // Runs one statement with its parameters (NULL where empty).
    pqxx::result run(const std::string& sql, const std::vector<std::optional<std::string>>& params);

private:
    void connect();
    // Runs `work`, opening the connection again (with backoff) when the
    // server dropped it outside a transaction.
    template <typename Work>
    auto withConnection(const std::string& sql, Work&& work);
    [[noreturn]] void fail(const std::string& sql, const std::exception& error) const;

    std::string mConninfo, mHost;
    bool mReadOnly = false;
    std::chrono::milliseconds mReconnectFor;
    std::chrono::seconds mIdleInTransaction;
    std::unique_ptr<pqxx::connection> mConn;
    bool mInTransaction = false;
    int mChanges = 0;
};

// "$1, $2, ..." for the ? placeholders outside quoted text.
std::string numberedPlaceholders(const std::string& sql);

}  // namespace vidrnn::store
