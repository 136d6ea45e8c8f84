// completeRun: a run's final numbers, per-class metrics, confusion matrix and
// per-clip predictions land in one transaction, so a reader sees either a
// running run or a completed one with everything, never a half-written one.
#include <functional>
#include <string>

#include "store/store_impl.h"
#include "vidrnn/errors.h"

namespace vidrnn {

namespace {

// Shapes that do not agree are a bug in the caller, not a store problem.
int checkedClassCount(const RunResult& result, int knownClasses) {
    const Evaluation& ev = result.evaluation;
    const int k = static_cast<int>(ev.confusion.size());
    for (const auto& row : ev.confusion) {
        if (static_cast<int>(row.size()) != k) {
            throw LogicError("completeRun: the confusion matrix is not square");
        }
    }
    if (!ev.perClass.empty() && static_cast<int>(ev.perClass.size()) != k) {
        throw LogicError("completeRun: " + std::to_string(ev.perClass.size()) +
                         " per-class metrics for a " + std::to_string(k) + "x" + std::to_string(k) +
                         " confusion matrix");
    }
    if (knownClasses > 0 && k > 0 && k != knownClasses) {
        throw LogicError("completeRun: the evaluation has " + std::to_string(k) +
                         " classes, the run " + std::to_string(knownClasses));
    }
    const int classes = k > 0 ? k : knownClasses;
    for (const ClipPrediction& p : result.predictions) {
        if (classes > 0 &&
            (p.truth < 0 || p.truth >= classes || p.predicted < 0 || p.predicted >= classes)) {
            throw LogicError("completeRun: prediction for " + p.clip + " has a label outside [0, " +
                             std::to_string(classes) + ")");
        }
    }
    return classes;
}

void insertClassMetrics(store::Database& db, std::int64_t id, const Evaluation& ev,
                        const std::vector<std::string>& names) {
    store::Statement st(db,
                        "INSERT INTO class_metrics (run_id, class_index, name, support, "
                        "predicted, tp, precision, recall, f1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; i < ev.perClass.size(); ++i) {
        const ClassMetrics& m = ev.perClass[i];
        std::string name = i < names.size() ? names[i] : "class " + std::to_string(i);
        st.bindAll(id, i, name, m.support, m.predicted, m.truePositives, m.precision, m.recall,
                   m.f1);
        st.run();
        st.reset();
    }
}

void insertConfusion(store::Database& db, std::int64_t id, const Evaluation& ev) {
    store::Statement st(db,
                        "INSERT INTO confusion (run_id, truth, predicted, count) "
                        "VALUES (?, ?, ?, ?)");
    for (size_t t = 0; t < ev.confusion.size(); ++t) {
        for (size_t p = 0; p < ev.confusion[t].size(); ++p) {
            st.bindAll(id, t, p, ev.confusion[t][p]);
            st.run();
            st.reset();
        }
    }
}

void insertPredictions(store::Database& db, std::int64_t id,
                       const std::vector<ClipPrediction>& predictions) {
    store::Statement st(db,
                        "INSERT INTO predictions (run_id, position, clip, truth, predicted, "
                        "probabilities) VALUES (?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; i < predictions.size(); ++i) {
        const ClipPrediction& p = predictions[i];
        st.bindAll(id, i, p.clip, p.truth, p.predicted,
                   store::probabilitiesToJson(p.probabilities));
        st.run();
        st.reset();
    }
}

void insertEarlyCurve(store::Database& db, std::int64_t id, const std::vector<EarlyPoint>& curve) {
    store::Statement st(db,
                        "INSERT INTO early_curve (run_id, step, fraction, accuracy) "
                        "VALUES (?, ?, ?, ?)");
    for (size_t i = 0; i < curve.size(); ++i) {
        st.bindAll(id, i + 1, curve[i].fraction, curve[i].accuracy);
        st.run();
        st.reset();
    }
}

void insertOrderClasses(store::Database& db, std::int64_t id,
                        const std::optional<OrderDiagnostics>& order) {
    if (!order) {
        return;
    }
    store::Statement st(db,
                        "INSERT INTO order_classes (run_id, class_index, reversed_recall, "
                        "shuffled_recall) VALUES (?, ?, ?, ?)");
    for (const ClassOrder& c : order->perClass) {
        st.bindAll(id, c.index, c.reversedRecall, c.shuffledRecall);
        st.run();
        st.reset();
    }
}

// Bound as one optional each, NULL for a run without diagnostics.
std::optional<double> orderValue(const std::optional<OrderDiagnostics>& order,
                                 double OrderDiagnostics::*member) {
    return order ? std::optional<double>((*order).*member) : std::nullopt;
}

}  // namespace

namespace store {

// The completion of run `id` inside the caller's transaction: `held` is the
// condition (with its parameters bound by `bindHeld` from the given index)
// under which the caller may still write the run; false when it may not.
bool writeCompletion(Database& db, std::int64_t id, const RunResult& result,
                     const std::string& held,
                     const std::function<void(Statement&, int)>& bindHeld) {
    Statement known(db, "SELECT COALESCE(num_classes, 0), class_names FROM runs WHERE id = ?");
    known.bindAll(id);
    known.step();
    const int classes = checkedClassCount(result, known.int32(0));
    const std::vector<std::string> names = namesFromJson(known.text(1));

    const Evaluation& ev = result.evaluation;
    const std::string now = nowIso();
    Statement st(db,
                 "UPDATE runs SET status = 'completed', finished_at = ?, heartbeat_at = ?, "
                 "train_seconds = ?, extract_seconds = ?, best_epoch = ?, "
                 "params = CASE WHEN ? > 0 THEN ? ELSE params END, "
                 "accuracy = ?, macro_f1 = ?, test_count = ?, num_classes = ?, "
                 "checkpoint = COALESCE(NULLIF(?, ''), checkpoint), "
                 "checkpoint_sha256 = NULLIF(?, ''), message = NULL "
                 "WHERE id = ? AND " +
                     held);
    // The checkpoint's hash in the same fenced statement: a run whose lease
    // was lost never records one.
    st.bindAll(now, now, result.trainSeconds, result.extractSeconds, result.bestEpoch,
               result.params, result.params, ev.accuracy, ev.macroF1, ev.total, classes,
               result.checkpoint, result.checkpointSha256, id);
    bindHeld(st, 15);
    st.run();
    if (db.changes() == 0) {
        return false;
    }
    // A run completed twice (a re-evaluation) replaces its earlier results.
    for (const char* table :
         {"class_metrics", "confusion", "predictions", "early_curve", "order_classes"}) {
        Statement del(db, std::string("DELETE FROM ") + table + " WHERE run_id = ?");
        del.bindAll(id);
        del.run();
    }
    insertClassMetrics(db, id, ev, names);
    insertConfusion(db, id, ev);
    insertPredictions(db, id, result.predictions);
    insertEarlyCurve(db, id, result.earlyCurve);
    insertOrderClasses(db, id, result.order);
    const auto& order = result.order;
    Statement diag(db,
                   "UPDATE runs SET reversed_accuracy = ?, reversed_macro_f1 = ?, "
                   "shuffled_accuracy = ?, shuffled_macro_f1 = ?, order_reliance = ?, "
                   "order_seconds = ?, reversed_lost = ?, reversed_gained = ?, "
                   "shuffled_lost = ?, shuffled_gained = ? WHERE id = ?");
    auto flips = [&order](std::optional<ClipFlips> OrderDiagnostics::*pass,
                          std::int64_t ClipFlips::*count) {
        return order && (*order.*pass) ? std::optional<std::int64_t>((*(*order.*pass)).*count)
                                       : std::nullopt;
    };
    diag.bindAll(orderValue(order, &OrderDiagnostics::reversedAccuracy),
                 orderValue(order, &OrderDiagnostics::reversedMacroF1),
                 orderValue(order, &OrderDiagnostics::shuffledAccuracy),
                 orderValue(order, &OrderDiagnostics::shuffledMacroF1),
                 order ? std::optional<double>(order->reliance()) : std::nullopt,
                 orderValue(order, &OrderDiagnostics::seconds),
                 flips(&OrderDiagnostics::reversedFlips, &ClipFlips::lost),
                 flips(&OrderDiagnostics::reversedFlips, &ClipFlips::gained),
                 flips(&OrderDiagnostics::shuffledFlips, &ClipFlips::lost),
                 flips(&OrderDiagnostics::shuffledFlips, &ClipFlips::gained), id);
    diag.run();
    return true;
}

}  // namespace store

void RunStore::completeRun(std::int64_t id, const RunResult& result) {
    return store::retryLost([&](bool) {
        store::Database& db = *mImpl->db;
        store::Transaction tx(db);
        mImpl->requireTrainedRun(id, "complete run " + std::to_string(id));
        if (!store::writeCompletion(db, id, result, store::kLeaseHeld, store::bindLeaseHolder)) {
            // Another worker took the cell over: its result is the one kept.
            store::leaseLost(db, id, "complete run " + std::to_string(id));
        }
        tx.commit();
    });
}

}  // namespace vidrnn
