// The run store's schema, written once for every backend: the tables and
// indexes of each version with the column types left to the backend, and the
// checks of a store's version. What a backend adds (SQLite's pragmas and
// triggers, PostgreSQL's trigger functions) stays in its folder.
#pragma once

#include <string>

namespace vidrnn::store {

struct SchemaTypes {
    const char* id;            // a generated 64-bit primary key
    const char* integer;       // 64-bit integer
    const char* real;          // 64-bit float
    const char* withoutRowid;  // SQLite's clustered-table clause, "" elsewhere
};

// The tables and indexes that schema `version` adds, with the backend's
// `extra` statements (its triggers) where the step has room for them.
std::string sharedSchemaSql(int version, const SchemaTypes& types, const std::string& extra = {});

// StoreError naming `store` when a database without vidrnn's schema already
// holds tables (`tables`, comma-separated; "" = none, no error). `kind` names
// the database ("SQLite", "PostgreSQL").
void refuseOtherTables(const std::string& store, const char* kind, const std::string& tables);
// StoreError naming `store` for a version newer than this program's.
void refuseNewerSchema(const std::string& store, int version);
// StoreError for an empty, older or newer store (read-only opening).
void requireCurrentSchema(const std::string& store, int version);
// The reason a failed migration step gives.
std::string upgradeFailure(int toVersion, const std::string& reason);

}  // namespace vidrnn::store
