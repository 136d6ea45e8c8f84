#include "store/postgres/pg_db.h"

#include <charconv>
#include <cstring>
#include <pqxx/pqxx>
#include <thread>

#include "vidrnn/errors.h"

namespace vidrnn::store {

namespace {

std::string firstLine(const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) {
        line.pop_back();
    }
    return line;
}

std::string explain(const std::exception& error) {
    if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
        const std::string state = sql->sqlstate();
        if (state == "42501") {
            return "the store is read-only for this role (permission denied): " +
                   firstLine(sql->what());
        }
        if (state == "25006") {
            return "the store was opened read-only: " + firstLine(sql->what());
        }
        if (state == "40P01" || state == "40001") {
            return "the server aborted the transaction to resolve a conflict: " +
                   firstLine(sql->what());
        }
    }
    if (dynamic_cast<const pqxx::broken_connection*>(&error)) {
        return "lost the connection to the server: " + firstLine(error.what());
    }
    return firstLine(error.what());
}

class PgCursor final : public Cursor {
public:
    PgCursor(PgDatabase& db, const std::string& sql) : mDb(db), mSql(numberedPlaceholders(sql)) {}

    void bindNull(int index) override { slot(index).reset(); }
    void bindInt(int index, std::int64_t value) override { slot(index) = std::to_string(value); }
    void bindReal(int index, double value) override {
        char buffer[32];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
        slot(index) = std::string(buffer, ec == std::errc() ? end : buffer);
    }
    void bindText(int index, const std::string& value) override { slot(index) = value; }

    bool step() override {
        if (!mResult) {
            mResult = mDb.run(mSql, mParams);
            mRow = -1;
        }
        return ++mRow < static_cast<long>(mResult->size());
    }
    void reset() override {
        mResult.reset();
        mParams.clear();
    }

    bool isNull(int column) const override { return field(column).is_null(); }
    std::int64_t int64(int column) const override {
        const pqxx::field f = field(column);
        if (f.is_null()) {
            return 0;
        }
        const char* text = f.c_str();
        if (std::strcmp(text, "t") == 0 || std::strcmp(text, "f") == 0) {
            return text[0] == 't';  // a boolean expression
        }
        std::int64_t value = 0;
        const char* end = text + std::strlen(text);
        if (std::from_chars(text, end, value).ec != std::errc()) {
            return static_cast<std::int64_t>(real(column));  // a numeric
        }
        return value;
    }
    double real(int column) const override {
        const pqxx::field f = field(column);
        if (f.is_null()) {
            return 0.0;
        }
        double value = 0.0;
        const char* text = f.c_str();
        std::from_chars(text, text + std::strlen(text), value);
        return value;
    }
    std::string text(int column) const override {
        const pqxx::field f = field(column);
        return f.is_null() ? std::string() : std::string(f.c_str(), f.size());
    }

private:
    std::optional<std::string>& slot(int index) {
        if (index > static_cast<int>(mParams.size())) {
            mParams.resize(static_cast<std::size_t>(index));
        }
        return mParams[static_cast<std::size_t>(index - 1)];
    }
    pqxx::field field(int column) const {
        return (*mResult)[static_cast<pqxx::result::size_type>(mRow)]
                         [static_cast<pqxx::row::size_type>(column)];
    }

    PgDatabase& mDb;
    std::string mSql;
    std::vector<std::optional<std::string>> mParams;
    std::optional<pqxx::result> mResult;
    long mRow = -1;
};

}  // namespace

std::string numberedPlaceholders(const std::string& sql) {
    std::string out;
    int n = 0;
    char quote = 0;
    for (char c : sql) {
        if (quote) {
            quote = c == quote ? 0 : quote;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?') {
            out += '$' + std::to_string(++n);
            continue;
        }
        out += c;
    }
    return out;
}

PgDatabase::PgDatabase(const std::string& name, const std::string& conninfo,
                       const std::string& host, bool readOnly,
                       std::chrono::milliseconds reconnectFor,
                       std::chrono::seconds idleInTransaction)
    : Database(name),
      mConninfo(conninfo),
      mHost(host),
      mReadOnly(readOnly),
      mReconnectFor(reconnectFor),
      mIdleInTransaction(idleInTransaction) {
    connect();
}

PgDatabase::~PgDatabase() = default;

void PgDatabase::connect() {
    mConn.reset();
    try {
        mConn = std::make_unique<pqxx::connection>(mConninfo);
        pqxx::nontransaction w(*mConn);
        w.exec("SET client_min_messages = warning; SET TIME ZONE 'UTC'");
        if (mReadOnly) {
            w.exec("SET default_transaction_read_only = on");
        }
        if (mIdleInTransaction.count() > 0) {
            w.exec("SET idle_in_transaction_session_timeout = '" +
                   std::to_string(mIdleInTransaction.count()) + "s'");
        }
    } catch (const std::exception& e) {
        mConn.reset();
        throw StoreError(path(), "cannot connect to the PostgreSQL server on " + mHost + ": " +
                                     firstLine(e.what()));
    }
}

template <typename Work>
auto PgDatabase::withConnection(const std::string& sql, Work&& work) {
    const auto deadline = std::chrono::steady_clock::now() + mReconnectFor;
    auto pause = std::chrono::milliseconds(100);
    for (;;) {
        try {
            if (!mConn) {
                connect();
            }
            return work();
        } catch (const pqxx::broken_connection& e) {
            mConn.reset();
            if (mInTransaction || std::chrono::steady_clock::now() >= deadline) {
                mInTransaction = false;
                fail(sql, e);
            }
        } catch (const StoreError& e) {
            // connect() failed: the server is still away.
            if (mInTransaction || std::chrono::steady_clock::now() >= deadline) {
                mInTransaction = false;
                throw;
            }
        } catch (const std::exception& e) {
            fail(sql, e);
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::milliseconds(2000));
    }
}

void PgDatabase::fail(const std::string& sql, const std::exception& error) const {
    if (dynamic_cast<const pqxx::broken_connection*>(&error)) {
        throw ConnectionLost(
            path(), "cannot run '" + sqlGist(sql) + "' on " + mHost + ": " + explain(error));
    }
    throw StoreError(path(),
                     "cannot run '" + sqlGist(sql) + "' on " + mHost + ": " + explain(error));
}

pqxx::result PgDatabase::run(const std::string& sql,
                             const std::vector<std::optional<std::string>>& params) {
    return withConnection(sql, [&] {
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const auto& p : params) {
            values.push_back(p ? p->c_str() : nullptr);
        }
        pqxx::nontransaction w(*mConn);
        pqxx::result r = w.exec_params(sql, pqxx::prepare::make_dynamic_params(values));
        mChanges = static_cast<int>(r.affected_rows());
        return r;
    });
}

std::unique_ptr<Cursor> PgDatabase::prepare(const std::string& sql) {
    return std::make_unique<PgCursor>(*this, sql);
}

void PgDatabase::exec(const std::string& sql) {
    withConnection(sql, [&] {
        pqxx::nontransaction w(*mConn);
        mChanges = static_cast<int>(w.exec(sql).affected_rows());
        return 0;
    });
}

std::int64_t PgDatabase::lastInsertId(const std::string& table) {
    // Not lastval(): the run log's trigger draws from its own sequence after the insert.
    return queryInt("SELECT currval(pg_get_serial_sequence('" + table + "', 'id'))");
}

void PgDatabase::begin(TxKind) {
    // Row locks (SELECT ... FOR UPDATE) order the writers, not a store lock.
    exec("BEGIN");
    mInTransaction = true;
}

void PgDatabase::commit() {
    exec("COMMIT");
    mInTransaction = false;
}

void PgDatabase::rollback() noexcept {
    mInTransaction = false;
    if (!mConn) {
        return;
    }
    try {
        pqxx::nontransaction w(*mConn);
        w.exec("ROLLBACK");
    } catch (const std::exception&) {
        mConn.reset();  // opened again by the next statement
    }
}

std::string PgDatabase::ageSecondsSql(const std::string& expr) const {
    return "(EXTRACT(EPOCH FROM (now() - CAST(" + expr + " AS timestamptz))))";
}

const SqlDialect& PgDatabase::dialect() const {
    static const SqlDialect postgres{"ILIKE"};
    return postgres;
}

void PgDatabase::afterExplicitIds(const std::string& table) {
    // An identity column's sequence does not see ids given explicitly.
    exec("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), " +
         "GREATEST((SELECT COALESCE(MAX(id), 0) FROM " + table + "), 1))");
}

const char* PgDatabase::lockRowsSkipLocked() const {
    return " FOR UPDATE SKIP LOCKED";
}

void PgDatabase::lockKey(std::int64_t group, const std::string& key) {
    Statement st(*this,
                 "SELECT pg_advisory_xact_lock(CAST(CAST(? AS bigint) % 2147483647 AS integer), "
                 "hashtext(?))");
    st.bindAll(group, key);
    st.run();
}

bool PgDatabase::leaseOnly() const {
    return true;
}

std::int64_t PgDatabase::runLogMarker() {
    return queryInt("SELECT COALESCE(MAX(seq), 0) FROM run_log");
}

std::int64_t PgDatabase::runLogLateWindow() const {
    // Entries come from the runs' trigger, a few per transaction; a thousand
    // numbers cover every transaction of a cluster's workers that can be in
    // flight at once, and the runs they name are few (DISTINCT run_id).
    return 1000;
}

std::int64_t PgDatabase::dataVersion() {
    // Unlike SQLite's data_version it also moves for this connection's own
    // writes; a watcher then reads once more than needed. The run log moves
    // with every change of a run: its newest number, and its row count for a
    // transaction that took a lower number and commits after a higher one
    // (the newest number stays; see runLogLateWindow). The sweeps (a row
    // each) move with the transaction ids of their rows, which every insert,
    // update (a sweep completed) and delete changes.
    return queryInt(
        "SELECT COALESCE(MAX(seq), 0) * 1000003 + COUNT(*) + "
        "(SELECT COALESCE(SUM(CAST(CAST(xmin AS text) AS bigint)), 0) FROM sweeps) "
        "FROM run_log");
}

std::vector<std::string> PgDatabase::integrityProblems(int) {
    // The server checks its own pages; what is ours to check is that every
    // table is readable.
    for (const char* table : {"runs", "epochs", "class_metrics", "confusion", "predictions",
                              "sweeps", "meta", "run_log"}) {
        queryInt(std::string("SELECT count(*) FROM ") + table);
    }
    return {};
}

}  // namespace vidrnn::store
