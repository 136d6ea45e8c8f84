#include "store/runquery.h"

#include <limits>

namespace vidrnn::store {

namespace {

const char* sortColumn(RunSort sort) {
    switch (sort) {
        case RunSort::Id:
            return "id";
        case RunSort::Created:
            return "created_at";
        case RunSort::Status:
            return "status";
        case RunSort::Arch:
            return "arch";
        case RunSort::Hidden:
            return "hidden";
        case RunSort::Layers:
            return "layers";
        case RunSort::Protocol:
            return "protocol";
        case RunSort::Fold:
            return "fold";
        case RunSort::Seed:
            return "seed";
        case RunSort::Accuracy:
            return "accuracy";
        case RunSort::MacroF1:
            return "macro_f1";
        case RunSort::Params:
            return "params";
        case RunSort::TrainSeconds:
            return "train_seconds";
        case RunSort::Note:
            return "COALESCE(note, message)";
        case RunSort::Backbone:
            return "backbone";
        case RunSort::BestEpoch:
            return "best_epoch";
    }
    return "id";
}

// The search text as a pattern that matches it literally anywhere.
std::string containsPattern(const std::string& text) {
    std::string pattern = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') {
            pattern += '\\';
        }
        pattern += c;
    }
    return pattern + "%";
}

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::string word;
    for (char c : text + ' ') {
        if (c == ' ' || c == '\t') {
            if (!word.empty())
                out.push_back(word);
            word.clear();
        } else {
            word += c;
        }
    }
    return out;
}

}  // namespace

SqlQuery runWhere(const RunQuery& query, const SqlDialect& dialect) {
    SqlQuery where;
    auto clause = [&where](const std::string& sql) {
        where.sql += where.sql.empty() ? " WHERE " + sql : " AND " + sql;
    };
    const RunFilter& f = query.filter;
    if (f.status) {
        clause("status = ?");
        where.values.emplace_back(std::string(toString(*f.status)));
    }
    if (f.kind) {
        clause("kind = ?");
        where.values.emplace_back(std::string(toString(*f.kind)));
    }
    if (!f.arch.empty()) {
        clause("arch = ?");
        where.values.emplace_back(f.arch);
    }
    if (f.sweepId) {
        clause("sweep_id = ?");
        where.values.emplace_back(*f.sweepId);
    }
    if (!f.protocol.empty()) {
        clause("protocol = ?");
        where.values.emplace_back(f.protocol);
    }
    // Every word of the search text must match some column ("gru 256 groups").
    const std::string like = std::string(" ") + dialect.likeOperator + " ? ESCAPE '\\'";
    for (const std::string& word : words(query.text)) {
        std::string any;
        for (const char* column :
             {"CAST(id AS TEXT)", "status", "arch", "CAST(hidden AS TEXT)", "protocol",
              "COALESCE(backbone, '')", "COALESCE(note, '')", "COALESCE(message, '')"}) {
            any += (any.empty() ? "(" : " OR ") + std::string(column) + like;
            where.values.emplace_back(containsPattern(word));
        }
        clause(any + ")");
    }
    return where;
}

std::string runOrder(const RunQuery& query) {
    const char* direction = query.descending ? " DESC" : "";
    std::string order = " ORDER BY ";
    if (query.sort != RunSort::Id) {
        // Undefined values last whichever the direction, as a table shows them.
        const std::string column = sortColumn(query.sort);
        order += column + " IS NULL, " + column + direction + ", ";
    }
    return order + "id" + direction;
}

SqlQuery runSelect(const RunQuery& query, const std::string& columns, const SqlDialect& dialect) {
    SqlQuery select = runWhere(query, dialect);
    select.sql = "SELECT " + columns + " FROM runs" + select.sql + runOrder(query);
    if (query.limit > 0 || query.offset > 0) {
        select.sql += " LIMIT ? OFFSET ?";
        select.values.emplace_back(query.limit > 0 ? query.limit
                                                   : std::numeric_limits<std::int64_t>::max());
        select.values.emplace_back(query.offset);
    }
    return select;
}

SqlQuery runCount(const RunQuery& query, const SqlDialect& dialect) {
    SqlQuery count = runWhere(query, dialect);
    count.sql = "SELECT count(*) FROM runs" + count.sql;
    return count;
}

}  // namespace vidrnn::store
