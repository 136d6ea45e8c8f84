// The SQLite backend: opening a store file. Every way a path can be wrong is
// caught here, before the first real statement, with a message that names
// the file and the reason.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store_impl.h"
#include "vidrnn/errors.h"

namespace vidrnn::store {

namespace fs = std::filesystem;

namespace {

fs::path folderOf(const std::string& path) {
    fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? fs::path(".") : parent;
}

bool exists(const fs::path& p) {
    std::error_code ec;
    return fs::exists(p, ec);
}

void checkPath(const std::string& path, RunStore::OpenMode mode) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (fs::is_directory(status)) {
        throw StoreError(path, "is a folder, not a store file");
    }
    if (!fs::exists(status)) {
        if (mode == RunStore::OpenMode::ReadOnly) {
            throw StoreError(path, "no such store file");
        }
        fs::path folder = folderOf(path);
        if (!fs::is_directory(folder, ec)) {
            throw StoreError(
                path, "cannot create the store: folder " + folder.string() + " does not exist");
        }
    } else if (!fs::is_regular_file(status)) {
        throw StoreError(path, "not a regular file, cannot be a store");
    }
    if (mode == RunStore::OpenMode::ReadWrite) {
        if (fs::exists(status) && access(path.c_str(), W_OK) != 0) {
            throw StoreError(path,
                             "the store is read-only (no permission to write the file); "
                             "open it read-only to browse it");
        }
        // WAL keeps its -wal and -shm files beside the store.
        fs::path folder = folderOf(path);
        if (access(folder.c_str(), W_OK) != 0) {
            throw StoreError(path, "the store is read-only (no permission to write its folder " +
                                       folder.string() + ", where its journal goes)");
        }
    }
}

std::uint32_t bigEndian(const unsigned char* bytes, int count) {
    std::uint32_t value = 0;
    for (int i = 0; i < count; ++i) {
        value = (value << 8) | bytes[i];
    }
    return value;
}

// What the first 100 bytes and the size of a store file say, read without
// any lock.
struct HeaderView {
    bool empty = false;     // missing or 0 bytes: a new store
    bool database = false;  // starts with "SQLite format 3"
    std::uintmax_t size = 0;
    std::uintmax_t announced = 0;  // page size x in-header page count, 0 if not valid
    bool walHasData = false;
    bool journal = false;  // a rollback journal beside it: a write in progress
    bool operator==(const HeaderView& o) const {
        return empty == o.empty && database == o.database && size == o.size &&
               announced == o.announced && walHasData == o.walHasData && journal == o.journal;
    }
};

HeaderView readHeader(const std::string& path) {
    HeaderView v;
    std::error_code ec;
    v.size = fs::file_size(path, ec);
    if (ec || v.size == 0) {
        v.empty = true;
        return v;
    }
    std::ifstream in(path, std::ios::binary);
    std::array<unsigned char, 100> header{};
    in.read(reinterpret_cast<char*>(header.data()), header.size());
    v.database = in.gcount() == 100 && std::memcmp(header.data(), "SQLite format 3", 16) == 0;
    if (!v.database) {
        return v;
    }
    std::uint32_t pageSize = bigEndian(&header[16], 2);
    if (pageSize == 1) {
        pageSize = 65536;
    }
    const std::uint32_t pages = bigEndian(&header[28], 4);
    const bool countValid = bigEndian(&header[24], 4) == bigEndian(&header[92], 4);
    v.announced = countValid ? std::uintmax_t(pageSize) * pages : 0;
    std::error_code walEc;
    v.walHasData = fs::file_size(path + "-wal", walEc) > 0 && !walEc;
    std::error_code journalEc;
    v.journal = fs::exists(path + "-journal", journalEc);
    return v;
}

// SQLite opens any file and only complains at the first statement; the
// header tells a non-database and a cut copy apart with a precise reason.
// The file is read without a lock, so another program may be writing it
// (a first migration, the checkpoint of a closing connection writes page 1,
// announcing the new size, before the pages after it): a file that looks
// cut short must look the same on a second read a moment later, or it is
// taken as being written and left to SQLite's own checks.
void checkHeader(const std::string& path) {
    HeaderView v = readHeader(path);
    for (int attempt = 0;; ++attempt) {
        if (v.empty) {
            return;
        }
        if (!v.database) {
            throw StoreError(path, "not a vidrnn run store (file is not a database)");
        }
        const bool cut = v.announced != 0 && !v.walHasData && !v.journal && v.size < v.announced;
        if (!cut) {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        const HeaderView again = readHeader(path);
        if (!(again == v)) {
            if (attempt < 20) {
                v = again;  // it changed: look again until it settles
                continue;
            }
            return;  // still being written after a second: SQLite decides
        }
        throw StoreError(path, "the store is damaged (truncated: " + std::to_string(v.size) +
                                   " bytes of the " + std::to_string(v.announced) +
                                   " its header announces)");
    }
}

// Problems reported by quick_check or integrity_check, one line each.
std::vector<std::string> sqliteProblems(SqliteDatabase& db, const std::string& pragma,
                                        int maxProblems) {
    Statement st(db, "PRAGMA " + pragma + "(" + std::to_string(maxProblems) + ")");
    std::vector<std::string> problems;
    while (st.step()) {
        std::string line = st.text(0);
        if (line == "ok") {
            return {};
        }
        // Some lines are prefixed with the schema name.
        const std::string prefix = "*** in database main ***\n";
        if (line.rfind(prefix, 0) == 0)
            line.erase(0, prefix.size());
        std::replace(line.begin(), line.end(), '\n', ' ');
        problems.push_back(line);
    }
    return problems;
}

void requireIntact(SqliteDatabase& db) {
    std::string problems;
    for (const std::string& line : sqliteProblems(db, "quick_check", 5)) {
        problems += problems.empty() ? line : "; " + line;
    }
    if (!problems.empty()) {
        throw StoreError(db.path(), "the store is damaged (corrupt or truncated): " + problems);
    }
}

// Stores this process has open, by absolute path: the lock probe below must
// not open and close a file that one of our own connections holds (closing
// any descriptor drops all of a process's POSIX locks on that file).
std::mutex& openStoresMutex() {
    static std::mutex mutex;
    return mutex;
}
std::map<std::string, int>& openStores() {
    static std::map<std::string, int> stores;
    return stores;
}

std::string storeKey(const std::string& path) {
    std::error_code ec;
    fs::path absolute = fs::absolute(path, ec);
    return ec ? path : absolute.lexically_normal().string();
}

// A WAL journal with content that no program holds open: the last program
// that wrote died before it could checkpoint. (A clean close checkpoints and
// deletes the journal; every open connection share-locks byte 128 of the
// -shm file, SQLite's "DMS" lock.) Call with openStoresMutex() held.
bool uncleanShutdown(const std::string& path) {
    std::error_code ec;
    auto walSize = fs::file_size(path + "-wal", ec);
    if (ec || walSize == 0 || openStores().count(storeKey(path)) != 0) {
        return false;
    }
    int fd = ::open((path + "-shm").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return true;
    }
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = 128;
    lock.l_len = 1;
    bool nobody = fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type == F_UNLCK;
    ::close(fd);
    return nobody;
}

// Percent-encodes what a file: URI would misread.
std::string immutableUri(const std::string& path) {
    std::string uri = "file:";
    for (char c : fs::absolute(path).string()) {
        if (c == '%' || c == '?' || c == '#') {
            char buffer[4];
            std::snprintf(buffer, sizeof buffer, "%%%02X", static_cast<unsigned char>(c));
            uri += buffer;
        } else {
            uri += c;
        }
    }
    return uri + "?immutable=1";
}

// Counts the store as open here until the returned token goes. Call with
// openStoresMutex() held; the token takes it when it goes.
std::shared_ptr<void> registerOpen(const std::string& path) {
    std::string key = storeKey(path);
    ++openStores()[key];
    return std::shared_ptr<void>(nullptr, [key](void*) {
        std::lock_guard<std::mutex> lock(openStoresMutex());
        if (--openStores()[key] == 0) {
            openStores().erase(key);
        }
    });
}

}  // namespace

Opened openSqlite(const std::string& path, const RunStore::Options& options) {
    using Options = RunStore::Options;
    const bool readOnly = options.mode == RunStore::OpenMode::ReadOnly;
    checkPath(path, options.mode);
    {
        // Never while this process holds the store open: closing any
        // descriptor of a file drops every POSIX lock the process has on it,
        // SQLite's included. A connection here then looks gone to other
        // programs, and the last writer to close checkpoints and deletes the
        // WAL and -shm files from under it ("disk I/O error", "database disk
        // image is malformed"; tst_store_concurrency, two processes). The
        // first open in this process checked the header already.
        std::lock_guard<std::mutex> lock(openStoresMutex());
        if (openStores().count(storeKey(path)) == 0) {
            checkHeader(path);
        }
    }

    int flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    std::string uri;
    // A read-only WAL store needs its -shm file; in a folder we may not write
    // and with no writer around, read the file as it is instead.
    if (readOnly && access(folderOf(path).c_str(), W_OK) != 0 && !exists(path + "-wal") &&
        !exists(path + "-shm")) {
        uri = immutableUri(path);
    }
    std::string checkReason;
    std::unique_ptr<SqliteDatabase> database;
    std::shared_ptr<void> registration;
    {
        std::lock_guard<std::mutex> lock(openStoresMutex());
        if (options.integrityCheck == Options::Check::Always) {
            checkReason = "requested";
        } else if (options.integrityCheck == Options::Check::Auto && uncleanShutdown(path)) {
            checkReason = "unclean shutdown";
        }
        database = std::make_unique<SqliteDatabase>(path, flags, uri);
        registration = registerOpen(path);
    }
    SqliteDatabase& db = *database;
    db.setBusyTimeout(static_cast<int>(options.busyTimeout.count()));
    if (!readOnly && sqlite3_db_readonly(db.handle(), "main") == 1) {
        throw StoreError(path,
                         "the store is read-only (no permission to write the file); "
                         "open it read-only to browse it");
    }
    if (checkReason.empty() && options.integrityCheck == Options::Check::Auto && !readOnly &&
        storedSchemaVersion(db) > 0 && storedSchemaVersion(db) < kSchemaVersion) {
        checkReason = "migration";  // never rewrite a damaged store
    }
    if (!checkReason.empty()) {
        requireIntact(db);
    }
    db.exec("PRAGMA foreign_keys = ON");
    if (readOnly) {
        checkReadable(db);
    } else {
        // Switching a new file to WAL takes its exclusive lock. Where other
        // programs open the same new file at the same moment, SQLite may
        // answer SQLITE_BUSY at once instead of calling the busy handler (to
        // avoid a deadlock between two readers that both want to write):
        // retry until the busy timeout is spent.
        std::string journal;
        const auto deadline = std::chrono::steady_clock::now() + options.busyTimeout;
        for (;;) {
            try {
                journal = db.queryText("PRAGMA journal_mode = WAL");
                break;
            } catch (const StoreError&) {
                const int code = sqlite3_errcode(db.handle()) & 0xFF;
                if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) ||
                    std::chrono::steady_clock::now() >= deadline) {
                    throw;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        }
        if (journal != "wal") {
            throw StoreError(path,
                             "cannot switch the store to WAL journaling (the file system "
                             "may not support it; journal mode is '" +
                                 journal + "')");
        }
        // Safe with WAL: a crash may lose the last commit, never corrupt the file.
        db.exec("PRAGMA synchronous = NORMAL");
        migrate(db);
    }

    return {std::move(database), checkReason, std::move(registration)};
}

std::int64_t SqliteDatabase::dataVersion() {
    return queryInt("PRAGMA data_version");
}

std::vector<std::string> SqliteDatabase::integrityProblems(int maxProblems) {
    return sqliteProblems(*this, "integrity_check", maxProblems);
}

}  // namespace vidrnn::store
