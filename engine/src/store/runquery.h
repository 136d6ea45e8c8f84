// The SQL of a run query, written once for every backend: a WHERE clause
// with positional parameters, an ORDER BY with a unique tie-break (so pages
// never overlap or skip a row), and LIMIT/OFFSET. A backend binds the values
// in order with its own API.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "vidrnn/store.h"

namespace vidrnn::store {

using SqlValue = std::variant<std::int64_t, std::string>;

struct SqlQuery {
    std::string sql;
    std::vector<SqlValue> values;  // for the ? placeholders, in order
};

// What differs between SQL backends in these queries.
struct SqlDialect {
    // Case-insensitive pattern match: SQLite's LIKE is (for ASCII),
    // PostgreSQL's ILIKE is.
    const char* likeOperator = "LIKE";
};

// "WHERE ..." (or "") for the filter and search text of a query.
SqlQuery runWhere(const RunQuery& query, const SqlDialect& dialect = {});
// "ORDER BY ..." for the query's sort, ending with the id.
std::string runOrder(const RunQuery& query);
// SELECT `columns` FROM runs with the query's filter, order and page.
SqlQuery runSelect(const RunQuery& query, const std::string& columns,
                   const SqlDialect& dialect = {});
// SELECT count(*) FROM runs with the query's filter.
SqlQuery runCount(const RunQuery& query, const SqlDialect& dialect = {});

}  // namespace vidrnn::store
