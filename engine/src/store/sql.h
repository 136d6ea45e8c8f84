// The SQL connection the run store is written against, once for every
// backend: a Database runs statements, a Statement binds ?-placeholders
// (1-based) and steps through rows, a Transaction rolls back unless
// committed. Each backend (sqlite/, postgres/) implements Database and
// Cursor; the store's SQL (store_*.cpp) knows neither.
//
// Every failure is a StoreError naming the store (file or server) and the reason.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "vidrnn/errors.h"

namespace vidrnn::store {

struct SqlDialect;

// The connection to a server broke inside a transaction, which the server
// then rolled back: the whole operation may be run again (retryLost).
class ConnectionLost : public StoreError {
public:
    using StoreError::StoreError;
};

// Runs `work(again)` and, when its transaction was lost with the connection,
// runs it again (again = true) on a connection opened anew, a few times.
template <typename Work>
auto retryLost(Work&& work) {
    for (int attempt = 0;; ++attempt) {
        try {
            return work(attempt > 0);
        } catch (const ConnectionLost&) {
            if (attempt == 4) {
                throw;
            }
        }
    }
}

// One prepared statement's backend half.
class Cursor {
public:
    virtual ~Cursor() = default;
    virtual void bindNull(int index) = 0;
    virtual void bindInt(int index, std::int64_t value) = 0;
    virtual void bindReal(int index, double value) = 0;
    virtual void bindText(int index, const std::string& value) = 0;
    // True while a row is ready; false once the statement is done.
    virtual bool step() = 0;
    // Done with the rows; bindings cleared.
    virtual void reset() = 0;
    virtual bool isNull(int column) const = 0;
    virtual std::int64_t int64(int column) const = 0;
    virtual double real(int column) const = 0;
    virtual std::string text(int column) const = 0;  // "" for NULL
};

// One connection. Not thread-safe: one Database per thread.
class Database {
public:
    enum class TxKind { Deferred, Immediate };

    explicit Database(std::string name) : mName(std::move(name)) {}
    virtual ~Database() = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // What messages name: the file, or the server URL (never a password).
    const std::string& path() const noexcept { return mName; }

    virtual std::unique_ptr<Cursor> prepare(const std::string& sql) = 0;
    // Runs statements that return no rows we care about (may be several).
    virtual void exec(const std::string& sql) = 0;
    // First column of the first row, 0 or "" when there is none.
    std::int64_t queryInt(const std::string& sql);
    std::string queryText(const std::string& sql);

    // The id the last INSERT into `table` (whose key is a generated id) produced.
    virtual std::int64_t lastInsertId(const std::string& table) = 0;
    // Rows changed by the last INSERT, UPDATE or DELETE.
    virtual int changes() const = 0;

    // Immediate: take the write lock at BEGIN (SQLite); on a server with
    // row locks both kinds are a plain BEGIN.
    virtual void begin(TxKind kind) = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;

    // --- where the backends' SQL differs
    // Seconds since the ISO 8601 text timestamp `expr`, as a REAL.
    virtual std::string ageSecondsSql(const std::string& expr) const = 0;
    virtual const SqlDialect& dialect() const = 0;
    // The newest sequence number the run log handed out (0 = none ever).
    virtual std::int64_t runLogMarker() = 0;
    // How far below a marker a run log entry may still become visible: 0
    // where writers are serialised (SQLite: numbers are handed out in commit
    // order); on PostgreSQL a transaction that took number 10 can commit
    // after one that took 11, so a reader re-reads entries this far back.
    virtual std::int64_t runLogLateWindow() const { return 0; }

    // --- what only a backend knows how to do
    // Changes when another connection commits (cheap: for watching a store).
    virtual std::int64_t dataVersion() = 0;
    // The backend's full consistency check: empty when sound.
    virtual std::vector<std::string> integrityProblems(int maxProblems) = 0;

    // After rows were inserted into `table` with explicit ids: the next
    // generated id comes after them.
    virtual void afterExplicitIds(const std::string& table) = 0;

    // --- claiming sweep cells
    // What makes a SELECT lock the rows it returns, passing over rows that
    // another transaction holds ("" where the transaction's write lock keeps
    // every other writer out already).
    virtual const char* lockRowsSkipLocked() const = 0;
    // Inside a transaction: waits for any other transaction holding the
    // same (group, key) until it ends ("" above: nothing to wait for).
    virtual void lockKey(std::int64_t group, const std::string& key) = 0;
    // Whether owners of running runs are judged by their lease (heartbeat
    // age) alone: a server shared by many machines, where a host name and a
    // pid tell nothing certain.
    virtual bool leaseOnly() const = 0;

private:
    std::string mName;
};

class Statement {
public:
    Statement(Database& db, const std::string& sql) : mCursor(db.prepare(sql)) {}
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::nullopt_t) {
        mCursor->bindNull(index);
        return *this;
    }
    Statement& bind(int index, std::int64_t value) {
        mCursor->bindInt(index, value);
        return *this;
    }
    Statement& bind(int index, double value) {
        mCursor->bindReal(index, value);
        return *this;
    }
    Statement& bind(int index, const std::string& value) {
        mCursor->bindText(index, value);
        return *this;
    }
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

    bool step() { return mCursor->step(); }
    // Steps a statement that returns no rows.
    void run() {
        while (step()) {
        }
    }
    void reset() { mCursor->reset(); }

    bool isNull(int column) const { return mCursor->isNull(column); }
    std::int64_t int64(int column) const { return mCursor->int64(column); }
    int int32(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const { return mCursor->real(column); }
    std::string text(int column) const { return mCursor->text(column); }
    std::optional<std::int64_t> optInt64(int column) const {
        return isNull(column) ? std::nullopt : std::optional<std::int64_t>(int64(column));
    }
    std::optional<int> optInt32(int column) const {
        return isNull(column) ? std::nullopt : std::optional<int>(int32(column));
    }
    std::optional<double> optReal(int column) const {
        return isNull(column) ? std::nullopt : std::optional<double>(real(column));
    }
    std::optional<std::string> optText(int column) const {
        return isNull(column) ? std::nullopt : std::optional<std::string>(text(column));
    }

private:
    std::unique_ptr<Cursor> mCursor;
};

// RAII transaction: rolls back unless commit() is reached. Writers use
// Immediate so that SQLite takes the write lock at BEGIN, where its busy
// timeout applies.
class Transaction {
public:
    using Kind = Database::TxKind;
    explicit Transaction(Database& db, Kind kind = Kind::Immediate) : mDb(db) {
        mDb.begin(kind);
        mOpen = true;
    }
    ~Transaction() {
        if (mOpen) {
            mDb.rollback();
        }
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit() {
        mDb.commit();
        mOpen = false;
    }

private:
    Database& mDb;
    bool mOpen = false;
};

// Statements in messages are cut short: the reader needs the gist, not a page of DDL.
std::string sqlGist(const std::string& sql);

// UTC now as ISO 8601 with milliseconds ("2024-05-01T12:34:56.789Z"): sorts
// as text, and both SQLite's julianday() and PostgreSQL's timestamptz read it.
std::string nowIso();

}  // namespace vidrnn::store
