#include "store/sqlite/sqlite_db.h"

#include "vidrnn/errors.h"

namespace vidrnn::store {

namespace {

std::string explain(int rc, const std::string& sqliteMessage, int busyTimeoutMs) {
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "the store is locked by another program (gave up after " +
                   std::to_string(busyTimeoutMs) + " ms): " + sqliteMessage;
        case SQLITE_READONLY:
            return "the store is read-only (no permission to write the file or its folder): " +
                   sqliteMessage;
        case SQLITE_CORRUPT:
            return "the store is damaged (corrupt or truncated): " + sqliteMessage;
        case SQLITE_NOTADB:
            return "not a vidrnn run store (file is not a database): " + sqliteMessage;
        case SQLITE_FULL:
            return "the disk is full: " + sqliteMessage;
        case SQLITE_CANTOPEN:
            return "cannot open the file: " + sqliteMessage;
        case SQLITE_IOERR:
            return "input/output error: " + sqliteMessage;
        default:
            return sqliteMessage;
    }
}

}  // namespace

SqliteDatabase::SqliteDatabase(const std::string& path, int flags, const std::string& uri)
    : Database(path) {
    const std::string& target = uri.empty() ? path : uri;
    if (!uri.empty()) {
        flags |= SQLITE_OPEN_URI;
    }
    int rc = sqlite3_open_v2(target.c_str(), &mDb, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = mDb ? sqlite3_errmsg(mDb) : sqlite3_errstr(rc);
        sqlite3_close(mDb);
        mDb = nullptr;
        throw StoreError(path, explain(rc, message, 0));
    }
    sqlite3_extended_result_codes(mDb, 1);
}

SqliteDatabase::~SqliteDatabase() {
    // Statements are RAII too and finalized first, so close cannot be refused.
    sqlite3_close(mDb);
}

void SqliteDatabase::fail(int rc, const std::string& what) const {
    std::string message = mDb ? sqlite3_errmsg(mDb) : sqlite3_errstr(rc);
    throw StoreError(path(), what + ": " + explain(rc, message, mBusyTimeoutMs));
}

void SqliteDatabase::exec(const std::string& sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(mDb, sql.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw StoreError(
            path(), "cannot run '" + sqlGist(sql) + "': " + explain(rc, message, mBusyTimeoutMs));
    }
}

std::int64_t SqliteDatabase::lastInsertId(const std::string&) {
    return sqlite3_last_insert_rowid(mDb);
}

int SqliteDatabase::changes() const {
    return sqlite3_changes(mDb);
}

void SqliteDatabase::setBusyTimeout(int milliseconds) {
    int rc = sqlite3_busy_timeout(mDb, milliseconds);
    if (rc != SQLITE_OK) {
        fail(rc, "cannot set the busy timeout");
    }
    mBusyTimeoutMs = milliseconds;
}

namespace {

class SqliteCursor final : public Cursor {
public:
    SqliteCursor(SqliteDatabase& db, const std::string& sql) : mDb(db), mSql(sql) {
        int rc = sqlite3_prepare_v2(db.handle(), sql.c_str(), static_cast<int>(sql.size()), &mStmt,
                                    nullptr);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(mStmt);
            mStmt = nullptr;
            db.fail(rc, "cannot prepare '" + sqlGist(sql) + "'");
        }
    }
    ~SqliteCursor() override { sqlite3_finalize(mStmt); }

    void bindNull(int index) override { check(sqlite3_bind_null(mStmt, index), index); }
    void bindInt(int index, std::int64_t value) override {
        check(sqlite3_bind_int64(mStmt, index, value), index);
    }
    void bindReal(int index, double value) override {
        check(sqlite3_bind_double(mStmt, index, value), index);
    }
    void bindText(int index, const std::string& value) override {
        check(sqlite3_bind_text(mStmt, index, value.data(), static_cast<int>(value.size()),
                                SQLITE_TRANSIENT),
              index);
    }

    bool step() override {
        int rc = sqlite3_step(mStmt);
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (rc == SQLITE_DONE) {
            return false;
        }
        // Reset now so the statement releases its locks even if the caller keeps it.
        sqlite3_reset(mStmt);
        mDb.fail(rc, "cannot run '" + sqlGist(mSql) + "'");
    }
    void reset() override {
        sqlite3_reset(mStmt);
        sqlite3_clear_bindings(mStmt);
    }

    bool isNull(int column) const override {
        return sqlite3_column_type(mStmt, column) == SQLITE_NULL;
    }
    std::int64_t int64(int column) const override { return sqlite3_column_int64(mStmt, column); }
    double real(int column) const override { return sqlite3_column_double(mStmt, column); }
    std::string text(int column) const override {
        const auto* data = sqlite3_column_text(mStmt, column);
        int size = sqlite3_column_bytes(mStmt, column);
        return data ? std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(size))
                    : std::string();
    }

private:
    void check(int rc, int index) {
        if (rc != SQLITE_OK) {
            mDb.fail(rc, "cannot bind parameter " + std::to_string(index) + " of '" +
                             sqlGist(mSql) + "'");
        }
    }

    SqliteDatabase& mDb;
    sqlite3_stmt* mStmt = nullptr;
    std::string mSql;
};

}  // namespace

std::unique_ptr<Cursor> SqliteDatabase::prepare(const std::string& sql) {
    return std::make_unique<SqliteCursor>(*this, sql);
}

void SqliteDatabase::begin(TxKind kind) {
    exec(kind == TxKind::Immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

void SqliteDatabase::commit() {
    exec("COMMIT");
}

void SqliteDatabase::rollback() noexcept {
    // Failing to roll back leaves SQLite to roll back when the connection
    // closes; a destructor must not throw, so the result is ignored.
    sqlite3_exec(mDb, "ROLLBACK", nullptr, nullptr, nullptr);
}

std::string SqliteDatabase::ageSecondsSql(const std::string& expr) const {
    return "((julianday('now') - julianday(" + expr + ")) * 86400.0)";
}

const SqlDialect& SqliteDatabase::dialect() const {
    static const SqlDialect sqlite{"LIKE"};
    return sqlite;
}

void SqliteDatabase::afterExplicitIds(const std::string&) {
    // AUTOINCREMENT keeps the largest id ever inserted already.
}

const char* SqliteDatabase::lockRowsSkipLocked() const {
    return "";  // BEGIN IMMEDIATE holds the write lock already
}

void SqliteDatabase::lockKey(std::int64_t, const std::string&) {}

bool SqliteDatabase::leaseOnly() const {
    return false;  // one machine: a pid and its start time tell
}

std::int64_t SqliteDatabase::runLogMarker() {
    return queryInt("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'run_log'), 0)");
}

}  // namespace vidrnn::store
