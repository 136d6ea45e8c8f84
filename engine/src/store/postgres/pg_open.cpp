// The PostgreSQL backend: opening a store given as
// postgresql://[user@]host[:port]/dbname[?param=value...]. The URL goes to
// libpq as it is, so libpq's parameters and the PG* environment variables
// apply; a password is taken only from ~/.pgpass or PGPASSWORD, never from
// the URL (which ends up in shell history, logs and the store's messages).
#include <cstdlib>

#include "store/postgres/pg_db.h"
#include "store/postgres/pg_schema.h"
#include "store/store_impl.h"
#include "vidrnn/errors.h"

namespace vidrnn::store {

namespace {

constexpr const char* kSchemes[] = {"postgresql://", "postgres://"};

std::string percentDecoded(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::strtol(text.substr(i + 1, 2).c_str(), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// The value of `key` in the URL's query string, "" when absent.
std::string queryParameter(const std::string& query, const std::string& key) {
    std::size_t start = 0;
    while (start < query.size()) {
        std::size_t end = query.find('&', start);
        const std::string pair = query.substr(start, end - start);
        if (pair.rfind(key + "=", 0) == 0) {
            return percentDecoded(pair.substr(key.size() + 1));
        }
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    return {};
}

struct Url {
    std::string host;  // as messages name it
};

// Checks the URL's form (libpq checks the rest) and names its server.
Url parseUrl(const std::string& url) {
    std::string rest;
    for (const char* scheme : kSchemes) {
        if (url.rfind(scheme, 0) == 0) {
            rest = url.substr(std::char_traits<char>::length(scheme));
        }
    }
    const std::size_t q = rest.find('?');
    const std::string query = q == std::string::npos ? "" : rest.substr(q + 1);
    const std::string beforeQuery = rest.substr(0, q);
    const std::size_t slash = beforeQuery.find('/');
    std::string authority = beforeQuery.substr(0, slash);
    const std::string dbname = slash == std::string::npos ? "" : beforeQuery.substr(slash + 1);
    if (const std::size_t at = authority.rfind('@'); at != std::string::npos) {
        if (authority.substr(0, at).find(':') != std::string::npos) {
            throw StoreError(url.substr(0, url.find(':') + 3) + "...",
                             "the URL carries a password; vidrnn takes passwords only from "
                             "~/.pgpass or the PGPASSWORD environment variable, so that none "
                             "lands in shell history, logs or the store");
        }
        authority = authority.substr(at + 1);
    }
    if (!queryParameter(query, "password").empty()) {
        throw StoreError(url.substr(0, url.find('?')) + "?...",
                         "the URL carries a password; vidrnn takes passwords only from "
                         "~/.pgpass or the PGPASSWORD environment variable");
    }
    if (dbname.empty() && queryParameter(query, "dbname").empty()) {
        throw StoreError(url,
                         "malformed store URL: no database name (expected "
                         "postgresql://[user@]host[:port]/dbname)");
    }
    if (dbname.find('/') != std::string::npos) {
        throw StoreError(url, "malformed store URL: '" + dbname +
                                  "' is not a database name (expected "
                                  "postgresql://[user@]host[:port]/dbname)");
    }
    Url parsed;
    std::string host = queryParameter(query, "host");
    if (host.empty()) {
        host = percentDecoded(authority);
    }
    if (host.empty() && std::getenv("PGHOST")) {
        host = std::getenv("PGHOST");
    }
    parsed.host = host.empty() ? "the local socket" : host;
    return parsed;
}

std::chrono::milliseconds reconnectWindow() {
    // How long a worker waits for a restarting server before giving up.
    if (const char* seconds = std::getenv("VIDRNN_PG_RECONNECT_SECONDS")) {
        return std::chrono::milliseconds(static_cast<long>(std::atof(seconds) * 1000));
    }
    return std::chrono::seconds(60);
}

}  // namespace

bool isPostgresUrl(const std::string& location) {
    for (const char* scheme : kSchemes) {
        if (location.rfind(scheme, 0) == 0) {
            return true;
        }
    }
    return false;
}

Opened openPostgres(const std::string& url, const RunStore::Options& options) {
    const Url parsed = parseUrl(url);
    const bool readOnly = options.mode == RunStore::OpenMode::ReadOnly;
    auto db =
        std::make_unique<PgDatabase>(url, url, parsed.host, readOnly,
                                     readOnly ? std::chrono::milliseconds(0) : reconnectWindow(),
                                     // A writer frozen inside a transaction past its lease.
                                     readOnly ? std::chrono::seconds(0) : options.heartbeatTimeout);
    if (readOnly) {
        pgCheckReadable(*db);
    } else {
        pgMigrate(*db);
        if (db->queryInt("SELECT (has_table_privilege('runs', 'INSERT') AND "
                         "has_table_privilege('runs', 'UPDATE'))::int") == 0) {
            throw StoreError(url, "the store is read-only (role " +
                                      db->queryText("SELECT current_user") +
                                      " may not write its tables); open it read-only to "
                                      "browse it");
        }
    }
    return {std::move(db), "", nullptr};
}

}  // namespace vidrnn::store
