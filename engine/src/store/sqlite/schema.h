// The run store's schema as an ordered list of forward migrations. Step N
// turns a version N-1 store into version N; PRAGMA user_version records the
// version reached. Released steps are never edited, only appended, so a store
// written by any earlier vidrnn upgrades by replaying the steps it lacks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vidrnn::store {

class Database;

// "VDRN": tells a vidrnn store from some other SQLite database.
constexpr std::int32_t kApplicationId = 0x5644524E;

struct Migration {
    int version;      // the version this step produces
    const char* why;  // what it adds, for humans reading the history
    std::string sql;
};

const std::vector<Migration>& migrations();

// The version this program writes: the last step's.
int currentSchemaVersion();

// The version the store has (0 = empty database); throws like migrate() for
// a newer or foreign database.
int storedSchemaVersion(Database& db);

// Brings the store up to currentSchemaVersion() inside one immediate
// transaction (so two programs opening an old store at once migrate it once).
// Throws StoreError for a newer store or a database that is not a vidrnn store.
void migrate(Database& db);

// Checks without writing: throws StoreError for a newer or foreign database
// and for an older one (which a read-only connection cannot upgrade).
void checkReadable(Database& db);

}  // namespace vidrnn::store
