// Grows a run store to thousands of runs in a moment, the way the benchmark
// does: one real run cloned with all its rows (epochs, per-class metrics,
// confusion, predictions) in one transaction of plain SQL, with architecture,
// hidden size, fold, seed, accuracy and note varied so that sorting and
// searching have something to do. Link SQLite::SQLite3.
#pragma once

#include <string>

#include "rawsqlite.h"
#include "vidrnn/store.h"

namespace vidrnn::test {

// A completed GRU run with an epoch, metrics and a prediction: the run a
// test store is grown from. Returns its id.
inline std::int64_t addSourceRun(RunStore& store) {
    TrainConfig c;
    c.arch = "gru";
    c.hidden = 64;
    c.split = "logo";
    RunMeta meta;
    meta.classNames = {"a", "b"};
    const auto id = store.createRun(c, meta);
    store.addEpoch(id, EpochRecord{1, 0.5, 0.7, 0.6, 0.65, 0.6, 1.0, 1e-3});
    RunResult result;
    result.evaluation = evaluate({0, 1, 1}, {0, 1, 0}, 2);
    result.predictions = {{"a.mpg", 0, 0, {0.9f, 0.1f}}};
    store.completeRun(id, result);
    return id;
}

// Adds `count` clones of run `sourceId` to the store at `path`; returns ""
// or SQLite's error message.
inline std::string growStore(const std::string& path, long long sourceId, long long count) {
    const std::string varied =
        "'id', 'arch', 'hidden', 'fold', 'seed', 'accuracy', 'macro_f1', 'note', 'created_at'";
    const std::string kept = rawText(
        path, "SELECT group_concat(name, ', ') FROM pragma_table_info('runs') WHERE name NOT IN (" +
                  varied + ")");
    if (kept.empty()) {
        return "no runs table in " + path;
    }
    const std::string source = std::to_string(sourceId);
    const std::string before = "(SELECT MAX(id) FROM runs)";
    std::string sql =
        "BEGIN IMMEDIATE;\nCREATE TEMP TABLE grow_from AS SELECT " + before +
        " AS id;\n"
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
        std::to_string(count) +
        ")\n"
        "INSERT INTO runs (" +
        kept +
        ", arch, hidden, fold, seed, accuracy, macro_f1, note, created_at)\n"
        "SELECT " +
        kept +
        ", CASE i % 4 WHEN 0 THEN 'lstm' WHEN 1 THEN 'gru' WHEN 2 THEN 'deep_lstm' "
        "ELSE 'bilstm' END, 64 << (i % 4), i % 11, i % 3, (i * 7919 % 1000) / 1000.0, "
        "(i * 104729 % 1000) / 1000.0, 'clone ' || i, "
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || i || ' seconds')\n"
        "FROM runs, n WHERE runs.id = " +
        source + " ORDER BY i;\n";
    const std::string newRuns = "FROM runs r JOIN grow_from g ON r.id > g.id";
    sql +=
        "INSERT INTO epochs SELECT r.id, e.epoch, e.train_loss, e.train_acc, e.val_loss, "
        "e.val_acc, e.val_macro_f1, e.seconds, e.lr " +
        newRuns + " JOIN epochs e ON e.run_id = " + source + ";\n";
    sql +=
        "INSERT INTO class_metrics SELECT r.id, c.class_index, c.name, c.support, c.predicted, "
        "c.tp, c.precision, c.recall, c.f1 " +
        newRuns + " JOIN class_metrics c ON c.run_id = " + source + ";\n";
    sql += "INSERT INTO confusion SELECT r.id, c.truth, c.predicted, c.count " + newRuns +
           " JOIN confusion c ON c.run_id = " + source + ";\n";
    sql +=
        "INSERT INTO predictions SELECT r.id, p.position, p.clip, p.truth, p.predicted, "
        "p.probabilities " +
        newRuns + " JOIN predictions p ON p.run_id = " + source + ";\n";
    sql += "DROP TABLE grow_from;\nCOMMIT;\n";
    return rawExec(path, sql);
}

}  // namespace vidrnn::test
