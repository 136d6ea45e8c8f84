// The run store's schema on PostgreSQL: the same versions as the SQLite
// store's (sqlite/schema.cpp), each step written in PostgreSQL's dialect.
// The version reached is kept in vidrnn_schema; released steps are never
// edited, only appended.
#pragma once

namespace vidrnn::store {

class PgDatabase;

// Brings the database up to kSchemaVersion in one transaction under an
// advisory lock (two workers starting at once migrate it once). Throws
// StoreError for a newer store or a database of some other program.
void pgMigrate(PgDatabase& db);
// Checks without writing (a read-only connection).
void pgCheckReadable(PgDatabase& db);

}  // namespace vidrnn::store
