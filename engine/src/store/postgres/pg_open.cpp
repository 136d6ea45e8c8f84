// The PostgreSQL backend: opening a store given as
// postgresql://[user@]host[:port]/dbname[?param=value...]. The URL goes to
// libpq as it is, so libpq's parameters and the PG* environment variables
// apply; a password is taken only from ~/.pgpass or PGPASSWORD, never from
// the URL (which ends up in shell history, logs, sbatch scripts, workers'
// command lines and the store's messages). The check reads the URL as libpq
// does (PQconninfoParse), so a percent-encoded key name cannot slip by.
#include <libpq-fe.h>

#include <cstdlib>
#include <map>
#include <memory>

#include "store/postgres/pg_db.h"
#include "store/postgres/pg_schema.h"
#include "store/store_impl.h"
#include "vidrnn/errors.h"

namespace vidrnn::store {

namespace {

constexpr const char* kSchemes[] = {"postgresql://", "postgres://"};

// The URL as messages name it when it may hold a secret: scheme only.
std::string withoutSecrets(const std::string& url) {
    return url.substr(0, url.find(':') + 3) + "...";
}

// libpq's complaint without the text it quotes, which may be the part of the
// URL that holds a password; a quoted keyword (letters and '_') is kept.
std::string libpqReason(const char* message) {
    std::string text = message ? message : "";
    text = text.substr(0, text.find('\n'));
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t open = text.find('"', at);
        if (open == std::string::npos) {
            out += text.substr(at);
            break;
        }
        const std::size_t close = text.find('"', open + 1);
        const std::string quoted = text.substr(open + 1, close - open - 1);
        const bool keyword =
            !quoted.empty() && quoted.size() <= 40 &&
            quoted.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
        out += text.substr(at, open - at) + (keyword ? '"' + quoted + '"' : "\"...\"");
        if (close == std::string::npos) {
            break;
        }
        at = close + 1;
    }
    return out;
}

struct Url {
    std::string host;  // as messages name it
};

// The URL as libpq reads it (PQconninfoParse: percent-decoded, key names
// included), checked: no password of any kind, a database name.
Url parseUrl(const std::string& url) {
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(url.c_str(), &error), &PQconninfoFree);
    if (!options) {
        const std::string reason = libpqReason(error);
        PQfreemem(error);
        throw StoreError(withoutSecrets(url), "malformed store URL: " + reason);
    }
    std::map<std::string, std::string> given;
    for (const PQconninfoOption* o = options.get(); o->keyword; ++o) {
        if (o->val) {
            given[o->keyword] = o->val;
        }
    }
    for (const char* secret : {"password", "sslpassword"}) {
        if (given.count(secret)) {
            throw StoreError(
                withoutSecrets(url),
                std::string("the URL carries a ") +
                    (std::string(secret) == "password" ? "password"
                                                       : "key password (sslpassword)") +
                    "; vidrnn takes passwords only from ~/.pgpass or the PGPASSWORD "
                    "environment variable, so that none lands in shell history, "
                    "logs, scripts, command lines or the store");
        }
    }
    const std::string dbname = given["dbname"];
    if (dbname.empty()) {
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
    std::string host = given["host"];
    // A server as the URL wrote it (host:port); a socket folder alone.
    if (!host.empty() && host[0] != '/' && !given["port"].empty()) {
        host += ":" + given["port"];
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

namespace vidrnn {

void checkStoreUrl(const std::string& location) {
    if (store::isPostgresUrl(location)) {
        store::parseUrl(location);
        return;
    }
    const std::size_t scheme = location.find("://");
    if (scheme != std::string::npos && location.find('/') > scheme) {
        throw StoreError(location, "unknown store URL scheme '" + location.substr(0, scheme) +
                                       "' (a store is a file or "
                                       "postgresql://[user@]host[:port]/dbname)");
    }
}

bool isStoreUrl(const std::string& location) {
    return store::isPostgresUrl(location);
}

}  // namespace vidrnn
