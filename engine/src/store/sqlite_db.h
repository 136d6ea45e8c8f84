// A thin RAII layer over the SQLite C API for the run store. Every failure
// becomes a StoreError whose message names the store file and carries
// SQLite's own message, so nothing here can fail silently or anonymously.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

namespace vidrnn::store {

// One connection. Not thread-safe: one Database per thread.
class Database {
public:
    // flags: SQLITE_OPEN_*; uri: when not empty it is opened instead of path
    // (with SQLITE_OPEN_URI) while messages still name path.
    Database(const std::string& path, int flags, const std::string& uri = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    sqlite3* handle() const noexcept { return mDb; }
    const std::string& path() const noexcept { return mPath; }

    // Runs statements that return no rows we care about.
    void exec(const std::string& sql);
    // First column of the first row of a PRAGMA or SELECT.
    std::int64_t queryInt(const std::string& sql);
    std::string queryText(const std::string& sql);

    std::int64_t lastInsertId() const noexcept;
    int changes() const noexcept;
    void setBusyTimeout(int milliseconds);
    int busyTimeout() const noexcept { return mBusyTimeoutMs; }

    // Throws StoreError "path: <what>: <reason from rc and SQLite's message>".
    [[noreturn]] void fail(int rc, const std::string& what) const;

private:
    sqlite3* mDb = nullptr;
    std::string mPath;
    int mBusyTimeoutMs = 0;
};

// One prepared statement; bind() takes 1-based positions like SQLite.
class Statement {
public:
    Statement(Database& db, const std::string& sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::nullopt_t);
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, const std::string& value);
    Statement& bind(int index, const char* value) { return bind(index, std::string(value)); }
    Statement& bind(int index, bool value) { return bind(index, std::int64_t(value ? 1 : 0)); }
    template <typename T,
              typename = std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                          !std::is_same_v<T, std::int64_t>>>
    Statement& bind(int index, T value) {
        return bind(index, static_cast<std::int64_t>(value));
    }
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind(index, std::nullopt);
    }
    // Binds every argument in order, starting at position 1.
    template <typename... Args>
    Statement& bindAll(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    // True while a row is ready; false once the statement is done.
    bool step();
    // Steps a statement that returns no rows.
    void run();
    void reset();

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    int int32(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const;
    std::string text(int column) const;  // "" for NULL
    std::optional<std::int64_t> optInt64(int column) const;
    std::optional<int> optInt32(int column) const;
    std::optional<double> optReal(int column) const;
    std::optional<std::string> optText(int column) const;

private:
    Database& mDb;
    sqlite3_stmt* mStmt = nullptr;
    std::string mSql;
};

// RAII transaction: rolls back unless commit() is reached. Writers use
// Immediate so the write lock is taken at BEGIN, where busy_timeout applies;
// a deferred read that later wants to write can fail with SQLITE_BUSY at once.
class Transaction {
public:
    enum class Kind { Deferred, Immediate };
    explicit Transaction(Database& db, Kind kind = Kind::Immediate);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Database& mDb;
    bool mOpen = false;
};

// UTC now as ISO 8601 with milliseconds ("2024-05-01T12:34:56.789Z"): sorts
// as text and SQLite's julianday() reads it.
std::string nowIso();

}  // namespace vidrnn::store
