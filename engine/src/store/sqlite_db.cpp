#include "store/sqlite_db.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "vidrnn/errors.h"

namespace vidrnn::store {

namespace {

// Statements in messages are cut short: the reader needs the gist, not a page of DDL.
std::string gist(const std::string& sql) {
    std::string flat;
    for (char c : sql) {
        if (c == '\n' || c == '\t') {
            c = ' ';
        }
        if (c == ' ' && !flat.empty() && flat.back() == ' ') {
            continue;
        }
        flat += c;
    }
    while (!flat.empty() && flat.front() == ' ') {
        flat.erase(flat.begin());
    }
    return flat.size() > 60 ? flat.substr(0, 57) + "..." : flat;
}

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

Database::Database(const std::string& path, int flags, const std::string& uri) : mPath(path) {
    const std::string& target = uri.empty() ? path : uri;
    if (!uri.empty()) {
        flags |= SQLITE_OPEN_URI;
    }
    int rc = sqlite3_open_v2(target.c_str(), &mDb, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = mDb ? sqlite3_errmsg(mDb) : sqlite3_errstr(rc);
        sqlite3_close(mDb);
        mDb = nullptr;
        throw StoreError(mPath, explain(rc, message, 0));
    }
    sqlite3_extended_result_codes(mDb, 1);
}

Database::~Database() {
    // Statements are RAII too and finalized first, so close cannot be refused.
    sqlite3_close(mDb);
}

void Database::fail(int rc, const std::string& what) const {
    std::string message = mDb ? sqlite3_errmsg(mDb) : sqlite3_errstr(rc);
    throw StoreError(mPath, what + ": " + explain(rc, message, mBusyTimeoutMs));
}

void Database::exec(const std::string& sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(mDb, sql.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw StoreError(mPath,
                         "cannot run '" + gist(sql) + "': " + explain(rc, message, mBusyTimeoutMs));
    }
}

std::int64_t Database::queryInt(const std::string& sql) {
    Statement st(*this, sql);
    return st.step() ? st.int64(0) : 0;
}

std::string Database::queryText(const std::string& sql) {
    Statement st(*this, sql);
    return st.step() ? st.text(0) : std::string();
}

std::int64_t Database::lastInsertId() const noexcept {
    return sqlite3_last_insert_rowid(mDb);
}

int Database::changes() const noexcept {
    return sqlite3_changes(mDb);
}

void Database::setBusyTimeout(int milliseconds) {
    int rc = sqlite3_busy_timeout(mDb, milliseconds);
    if (rc != SQLITE_OK) {
        fail(rc, "cannot set the busy timeout");
    }
    mBusyTimeoutMs = milliseconds;
}

Statement::Statement(Database& db, const std::string& sql) : mDb(db), mSql(sql) {
    int rc =
        sqlite3_prepare_v2(db.handle(), sql.c_str(), static_cast<int>(sql.size()), &mStmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(mStmt);
        mStmt = nullptr;
        db.fail(rc, "cannot prepare '" + gist(sql) + "'");
    }
}

Statement::~Statement() {
    sqlite3_finalize(mStmt);
}

Statement& Statement::bind(int index, std::nullopt_t) {
    int rc = sqlite3_bind_null(mStmt, index);
    if (rc != SQLITE_OK) {
        mDb.fail(rc, "cannot bind parameter " + std::to_string(index) + " of '" + gist(mSql) + "'");
    }
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    int rc = sqlite3_bind_int64(mStmt, index, value);
    if (rc != SQLITE_OK) {
        mDb.fail(rc, "cannot bind parameter " + std::to_string(index) + " of '" + gist(mSql) + "'");
    }
    return *this;
}

Statement& Statement::bind(int index, double value) {
    int rc = sqlite3_bind_double(mStmt, index, value);
    if (rc != SQLITE_OK) {
        mDb.fail(rc, "cannot bind parameter " + std::to_string(index) + " of '" + gist(mSql) + "'");
    }
    return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
    int rc = sqlite3_bind_text(mStmt, index, value.data(), static_cast<int>(value.size()),
                               SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) {
        mDb.fail(rc, "cannot bind parameter " + std::to_string(index) + " of '" + gist(mSql) + "'");
    }
    return *this;
}

bool Statement::step() {
    int rc = sqlite3_step(mStmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    // Reset now so the statement releases its locks even if the caller keeps it.
    sqlite3_reset(mStmt);
    mDb.fail(rc, "cannot run '" + gist(mSql) + "'");
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(mStmt);
    sqlite3_clear_bindings(mStmt);
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(mStmt, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
    return sqlite3_column_int64(mStmt, column);
}

double Statement::real(int column) const {
    return sqlite3_column_double(mStmt, column);
}

std::string Statement::text(int column) const {
    const auto* data = sqlite3_column_text(mStmt, column);
    int size = sqlite3_column_bytes(mStmt, column);
    return data ? std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(size))
                : std::string();
}

std::optional<std::int64_t> Statement::optInt64(int column) const {
    return isNull(column) ? std::nullopt : std::optional<std::int64_t>(int64(column));
}

std::optional<int> Statement::optInt32(int column) const {
    return isNull(column) ? std::nullopt : std::optional<int>(int32(column));
}

std::optional<double> Statement::optReal(int column) const {
    return isNull(column) ? std::nullopt : std::optional<double>(real(column));
}

std::optional<std::string> Statement::optText(int column) const {
    return isNull(column) ? std::nullopt : std::optional<std::string>(text(column));
}

Transaction::Transaction(Database& db, Kind kind) : mDb(db) {
    mDb.exec(kind == Kind::Immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
    mOpen = true;
}

Transaction::~Transaction() {
    if (mOpen) {
        // Failing to roll back leaves SQLite to roll back when the connection
        // closes; a destructor must not throw, so the result is ignored.
        sqlite3_exec(mDb.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    mDb.exec("COMMIT");
    mOpen = false;
}

std::string nowIso() {
    using namespace std::chrono;
    auto now = system_clock::now();
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::time_t seconds = system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(ms));
    return buffer;
}

}  // namespace vidrnn::store
