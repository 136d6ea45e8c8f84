// Paged and streamed reads of the run table, and the change log that lets a
// table update the rows that changed instead of reading them all again.
#include <algorithm>
#include <unordered_map>

#include "store/runquery.h"
#include "store/store_impl.h"

namespace vidrnn {

namespace {

void bindValues(store::Statement& st, const store::SqlQuery& query) {
    int index = 0;
    for (const auto& value : query.values) {
        std::visit([&](const auto& v) { st.bind(++index, v); }, value);
    }
}

}  // namespace

namespace store {

void pruneRunLog(Database& db) {
    constexpr std::int64_t kKeep = 100000;
    Statement span(db, "SELECT COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM run_log");
    span.step();
    // Pruned in batches (at twice the size kept) so that an open seldom writes.
    if (span.int64(1) - span.int64(0) < 2 * kKeep) {
        return;
    }
    Transaction tx(db);
    Statement del(db, "DELETE FROM run_log WHERE seq <= (SELECT MAX(seq) FROM run_log) - ?");
    del.bindAll(kKeep);
    del.run();
    tx.commit();
}

}  // namespace store

std::vector<RunRecord> RunStore::listRuns(const RunFilter& filter) const {
    RunQuery query;
    query.filter = filter;
    query.limit = filter.limit > 0 ? filter.limit : 0;
    query.descending = filter.limit > 0;  // the newest N
    return queryRuns(query);
}

std::vector<RunRecord> RunStore::queryRuns(const RunQuery& query) const {
    std::vector<RunRecord> runs;
    readRuns(query, [&runs](RunRecord&& r) { runs.push_back(std::move(r)); });
    return runs;
}

void RunStore::forEachRun(const RunQuery& query,
                          const std::function<void(const RunRecord&)>& visit) const {
    readRuns(query, [&visit](RunRecord&& r) { visit(r); });
}

void RunStore::readRuns(const RunQuery& query, const std::function<void(RunRecord&&)>& take) const {
    // The same column positions with the columns left out read as NULL.
    std::string columns = store::kRunColumns;
    auto leaveOut = [&columns](const std::string& name) {
        columns.replace(columns.find(name), name.size(), " NULL,");
    };
    if (query.withoutConfigJson)
        leaveOut(" config_json,");
    if (query.withoutClassNames)
        leaveOut(" class_names,");
    const store::SqlQuery select = store::runSelect(query, columns, mImpl->db->dialect());
    store::Statement st(*mImpl->db, select.sql);
    bindValues(st, select);
    while (st.step()) {
        take(store::runFromRow(st, !query.withoutConfig));
    }
}

std::int64_t RunStore::countRuns(const RunQuery& query) const {
    const store::SqlQuery count = store::runCount(query, mImpl->db->dialect());
    store::Statement st(*mImpl->db, count.sql);
    bindValues(st, count);
    st.step();
    return st.int64(0);
}

std::vector<std::int64_t> RunStore::runIds(const RunQuery& query) const {
    const store::SqlQuery select = store::runSelect(query, "id", mImpl->db->dialect());
    store::Statement st(*mImpl->db, select.sql);
    bindValues(st, select);
    std::vector<std::int64_t> ids;
    while (st.step()) {
        ids.push_back(st.int64(0));
    }
    return ids;
}

std::vector<RunRecord> RunStore::getRuns(const std::vector<std::int64_t>& ids) const {
    std::vector<RunRecord> runs;
    runs.reserve(ids.size());
    // In chunks well under every backend's limit on parameters.
    constexpr std::size_t kChunk = 500;
    for (std::size_t start = 0; start < ids.size(); start += kChunk) {
        const std::size_t end = std::min(ids.size(), start + kChunk);
        std::string marks;
        for (std::size_t i = start; i < end; ++i)
            marks += i == start ? "?" : ", ?";
        store::Statement st(*mImpl->db, std::string("SELECT ") + store::kRunColumns +
                                            " FROM runs WHERE id IN (" + marks + ")");
        for (std::size_t i = start; i < end; ++i)
            st.bind(static_cast<int>(i - start + 1), ids[i]);
        std::unordered_map<std::int64_t, RunRecord> chunk;
        while (st.step()) {
            RunRecord r = store::runFromRow(st);
            chunk.emplace(r.id, std::move(r));
        }
        // Back into the order asked for.
        for (std::size_t i = start; i < end; ++i) {
            if (auto it = chunk.find(ids[i]); it != chunk.end())
                runs.push_back(std::move(it->second));
        }
    }
    return runs;
}

std::int64_t RunStore::changeMarker() const {
    return mImpl->db->runLogMarker();
}

RunChanges RunStore::changesSince(std::int64_t marker) const {
    store::Database& db = *mImpl->db;
    // One read transaction: the marker and the changes are of one moment.
    store::Transaction tx(db, store::Transaction::Kind::Deferred);
    RunChanges changes;
    changes.marker = changeMarker();
    const std::int64_t oldest = db.queryInt("SELECT COALESCE(MIN(seq), 0) FROM run_log");
    // The log is pruned from its old end; a marker from before the oldest
    // entry left (or from another store) cannot be brought up to date.
    if (marker > changes.marker ||
        (changes.marker > marker && (oldest == 0 || oldest > marker + 1))) {
        changes.complete = false;
        return changes;
    }
    // Where numbers are not handed out in commit order (PostgreSQL), entries
    // just below the marker may have become visible since: they are read
    // again, and their runs reported changed once more rather than missed.
    store::Statement st(db,
                        "SELECT DISTINCT l.run_id, r.id IS NOT NULL FROM run_log l "
                        "LEFT JOIN runs r ON r.id = l.run_id WHERE l.seq > ? ORDER BY l.run_id");
    st.bindAll(marker - db.runLogLateWindow());
    while (st.step()) {
        (st.int64(1) != 0 ? changes.changed : changes.removed).push_back(st.int64(0));
    }
    tx.commit();
    return changes;
}

}  // namespace vidrnn
