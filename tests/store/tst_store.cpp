// The run store's data path: runs round-trip with everything measured about
// them, reference rows are imported once and stay read-only, dead runs are
// marked interrupted (and live ones never), sweeps resume without repeats and
// count their cells by state.
#include <sqlite3.h>

#include <sys/wait.h>
#include <unistd.h>
#include <cmath>
#include <sstream>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "rawsqlite.h"
#include "vidrnn/errors.h"
#include "vidrnn/rerun.h"
#include "vidrnn/runjson.h"
#include "vidrnn/store.h"
#include "vidrnn/sweepprogress.h"

using namespace vidrnn;
using vidrnn::test::rawCount;
using vidrnn::test::rawExec;

namespace {

TrainConfig sampleConfig(const std::string& arch = "gru", int hidden = 64, int fold = 0,
                         int seed = 0) {
    TrainConfig c;
    c.dataset = "/data/ucf11";
    c.frames = 12;
    c.arch = arch;
    c.hidden = hidden;
    c.fold = fold;
    c.seed = seed;
    c.split = "logo";
    c.lr = 3e-4;
    c.epochs = 5;
    return c;
}

RunMeta sampleMeta() {
    RunMeta m;
    m.device = "cpu";
    m.backboneId = "sha256:abc";
    m.datasetFingerprint = "00112233aabbccdd";
    m.pretrained = true;
    m.classNames = {"biking", "diving", "swing"};
    m.params = 111691;
    m.checkpoint = "/tmp/run.pt";
    m.provenance.version = "0.9.0";
    m.provenance.commit = "0123456789abcdef0123456789abcdef01234567";
    m.provenance.threads = "2";
    m.provenance.cpu = "Some CPU @ 2.0GHz";
    return m;
}

RunResult sampleResult() {
    RunResult r;
    r.trainSeconds = 12.5;
    r.extractSeconds = 3.25;
    r.bestEpoch = 2;
    std::vector<int> truth{0, 0, 1, 1, 2, 2};
    std::vector<int> predicted{0, 1, 1, 1, 0, 0};  // class 2 never predicted: precision empty
    r.evaluation = evaluate(truth, predicted, 3);
    for (size_t i = 0; i < truth.size(); ++i) {
        r.predictions.push_back({"clip" + std::to_string(i) + ".mpg",
                                 truth[i],
                                 predicted[i],
                                 {0.1f, 0.2f + float(i) / 100.0f, 0.7f - float(i) / 100.0f}});
    }
    r.earlyCurve = {{0.5, 1.0 / 3}, {1.0, 0.5}};
    // Shuffled, class 1 loses one clip: reliance 1/6 overall, 0.5 on class 1.
    r.order = orderDiagnostics(r.evaluation, evaluate(truth, {0, 1, 1, 1, 0, 0}, 3),
                               evaluate(truth, {0, 1, 1, 0, 0, 0}, 3));
    r.order->seconds = 0.25;
    return r;
}

}  // namespace

class TestStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        QVERIFY(mDir.isValid());
        mPath = mDir.filePath(QStringLiteral("store-%1.db").arg(++mCount)).toStdString();
    }

    void movableNotCopyable() {
        static_assert(!std::is_copy_constructible_v<RunStore>);
        static_assert(std::is_nothrow_move_constructible_v<RunStore>);
        auto first = RunStore::open(mPath);
        RunStore moved = std::move(first);
        QCOMPARE(moved.path(), mPath);
        QCOMPARE(moved.listRuns().size(), size_t(16));
    }

    // The input has no column: read back from the stored configuration.
    void motionInputReadBack() {
        auto store = RunStore::open(mPath);
        TrainConfig c = sampleConfig();
        c.input = "motion";
        const auto motion = store.getRun(store.createRun(c, sampleMeta()));
        QVERIFY(motion);
        QCOMPARE(motion->config.input, std::string("motion"));
        const auto plain = store.getRun(store.createRun(sampleConfig(), sampleMeta()));
        QCOMPARE(plain->config.input, std::string("appearance"));
    }

    void roundTrip() {
        auto store = RunStore::open(mPath);
        const std::int64_t id = store.createRun(sampleConfig(), sampleMeta());
        auto run = store.getRun(id);
        QVERIFY(run);
        QCOMPARE(run->status, RunStatus::Running);
        QCOMPARE(run->kind, RunKind::Trained);
        QCOMPARE(run->ownerPid.value_or(0), std::int64_t(getpid()));
        QVERIFY(!run->heartbeatAt.empty());
        QVERIFY(!run->startedAt.empty());
        QVERIFY(run->finishedAt.empty());
        QCOMPARE(run->config.frames, 12);
        QCOMPARE(run->config.lr, 3e-4);
        QCOMPARE(run->config.layers, 0);  // as configured...
        QCOMPARE(run->layers, 1);         // ...and as used
        QCOMPARE(run->protocol, std::string("logo"));
        QVERIFY(!run->leaking);
        QVERIFY(run->pretrained);
        QCOMPARE(run->classNames.size(), size_t(3));
        QVERIFY(run->configJson.find("gru") != std::string::npos);
        // Precision: as asked (config) and as computed (the run).
        QCOMPARE(run->config.precision, std::string("auto"));
        QCOMPARE(run->precision, std::string("fp32"));
        QCOMPARE(run->datasetFingerprint, std::string("00112233aabbccdd"));
        {
            TrainConfig c = sampleConfig("convlstm", 128);
            c.precision = "auto";
            RunMeta m = sampleMeta();
            m.precision = "bf16";
            auto low = store.getRun(store.createRun(c, m));
            QCOMPARE(low->precision, std::string("bf16"));
            QCOMPARE(low->config.precision, std::string("auto"));
            QVERIFY(low->configJson.find("\"precision\":\"auto\"") != std::string::npos);
            store.setStatus(low->id, RunStatus::Cancelled);
            store.deleteRun(low->id);
        }

        EpochRecord e1{1, 1.5, 0.4, 1.6, 0.35, 0.3, 2.0, 1e-3};
        EpochRecord e2{2, 1.1, 0.6, std::nullopt, std::nullopt, std::nullopt, 2.5, 5e-4};
        store.addEpoch(id, e1);
        store.addEpoch(id, e2);
        QVERIFY_THROWS_EXCEPTION(StoreError, store.addEpoch(id, e2));

        const RunResult result = sampleResult();
        store.completeRun(id, result);
        run = store.getRun(id);
        QCOMPARE(run->status, RunStatus::Completed);
        QVERIFY(!run->finishedAt.empty());
        QCOMPARE(*run->accuracy, result.evaluation.accuracy);
        QCOMPARE(*run->macroF1, result.evaluation.macroF1);
        QCOMPARE(*run->testCount, std::int64_t(6));
        QCOMPARE(*run->trainSeconds, 12.5);
        QCOMPARE(*run->extractSeconds, 3.25);
        QCOMPARE(*run->bestEpoch, 2);
        QCOMPARE(run->params, std::int64_t(111691));  // 0 in the result keeps it

        auto epochs = store.epochs(id);
        QCOMPARE(epochs.size(), size_t(2));
        QCOMPARE(epochs[0].valAcc, std::optional<double>(0.35));
        QVERIFY(!epochs[1].valLoss);
        QCOMPARE(epochs[1].lr, 5e-4);

        auto classes = store.classMetrics(id);
        QCOMPARE(classes.size(), size_t(3));
        QCOMPARE(classes[1].name, std::string("diving"));
        QCOMPARE(classes[1].metrics.support, std::int64_t(2));
        QCOMPARE(classes[1].metrics.truePositives, std::int64_t(2));
        QVERIFY(!classes[2].metrics.precision);  // never predicted: undefined, not 0
        QCOMPARE(classes[2].metrics.recall, std::optional<double>(0.0));

        QCOMPARE(store.confusion(id), result.evaluation.confusion);
        QCOMPARE(run->provenance.threads, std::string("2"));
        QCOMPARE(run->provenance.cpu, std::string("Some CPU @ 2.0GHz"));
        QVERIFY(run->provenance.host.empty());  // not given: unknown
        QCOMPARE(*run->orderReliance, result.order->reliance());
        QCOMPARE(*run->shuffledAccuracy, result.order->shuffledAccuracy);
        QCOMPARE(*run->orderSeconds, 0.25);
        const auto order = store.orderDiagnostics(id);
        QVERIFY(order);
        QCOMPARE(order->reliance(), 1.0 / 6);
        QCOMPARE(order->perClass.size(), size_t(3));
        QCOMPARE(*order->perClass[1].reliance(), 0.5);
        QCOMPARE(*order->perClass[0].shuffledRecall, 0.5);
        const auto curve = store.earlyCurve(id);
        QCOMPARE(curve.size(), size_t(2));
        QCOMPARE(curve[0].fraction, 0.5);
        QCOMPARE(curve[0].accuracy, 1.0 / 3);
        QCOMPARE(curve[1].accuracy, 0.5);
        auto predictions = store.predictions(id);
        QCOMPARE(predictions.size(), result.predictions.size());
        for (size_t i = 0; i < predictions.size(); ++i) {
            QCOMPARE(predictions[i].clip, result.predictions[i].clip);
            QCOMPARE(predictions[i].predicted, result.predictions[i].predicted);
            QCOMPARE(predictions[i].probabilities, result.predictions[i].probabilities);
        }
    }

    // The run's JSON (vidrnn/runjson.h, the CLI's runs list --json and runs
    // show --json): the streamed array holds each run as runJson writes it,
    // and the details carry what the store holds of the run.
    void runJsonDocuments() {
        auto store = RunStore::open(mPath);
        const std::int64_t id = store.createRun(sampleConfig(), sampleMeta());
        store.addEpoch(id, EpochRecord{1, 1.5, 0.4, 1.6, 0.35, 0.3, 2.0, 1e-3});
        const RunResult result = sampleResult();
        store.completeRun(id, result);
        const auto run = store.getRun(id);

        std::ostringstream out;
        writeRunsJson(store, RunQuery{}, out);
        QJsonParseError error{};
        const auto list = QJsonDocument::fromJson(QByteArray::fromStdString(out.str()), &error);
        QVERIFY2(list.isArray(), qPrintable(error.errorString()));
        QCOMPARE(list.array().size(), 17);  // the study's 16 rows and this run
        QJsonObject mine;
        for (const auto& v : list.array()) {
            if (v.toObject()["id"].toInteger() == id)
                mine = v.toObject();
        }
        const auto one =
            QJsonDocument::fromJson(QByteArray::fromStdString("[" + runJson(*run) + "]"));
        QCOMPARE(mine, one.array()[0].toObject());
        QCOMPARE(mine["status"].toString(), QString("completed"));
        QCOMPARE(mine["accuracy"].toDouble(), result.evaluation.accuracy);
        QCOMPARE(mine["class_names"].toArray().size(), 3);

        const auto details =
            QJsonDocument::fromJson(QByteArray::fromStdString(runDetailsJson(store, *run, true)))
                .object();
        QCOMPARE(details["id"].toInteger(), id);
        QCOMPARE(details["epochs"].toArray().size(), 1);
        QCOMPARE(details["class_metrics"].toArray().size(), 3);
        QCOMPARE(details["prediction_count"].toInt(), int(result.predictions.size()));
        QCOMPARE(details["predictions"].toArray().size(), int(result.predictions.size()));
        QCOMPARE(details["config"].toObject()["arch"].toString(), QString("gru"));
        const auto brief =
            QJsonDocument::fromJson(QByteArray::fromStdString(runDetailsJson(store, *run, false)))
                .object();
        QVERIFY(!brief.contains("predictions"));
        QCOMPARE(brief["prediction_count"].toInt(), int(result.predictions.size()));
    }

    // The rerun check compares bit for bit: one epoch's loss in the last
    // bits and one confusion cell are found, with the provenance that differs.
    void rerunCheckFindsDifferences() {
        auto store = RunStore::open(mPath);
        auto record = [&](double loss, int threads, bool swap) {
            RunMeta m = sampleMeta();
            m.provenance.threads = std::to_string(threads);
            const auto id = store.createRun(sampleConfig(), m);
            store.addEpoch(id, EpochRecord{1, 1.5, 0.4, 1.6, 0.35, 0.3, 2.0, 1e-3});
            store.addEpoch(id, EpochRecord{2, loss, 0.6, 1.2, 0.5, 0.4, 2.0, 1e-3});
            RunResult r = sampleResult();
            if (swap) {
                r.evaluation = evaluate({0, 0, 1, 1, 2, 2}, {0, 1, 1, 1, 0, 1}, 3);
                r.order.reset();
            }
            store.completeRun(id, r);
            return id;
        };
        const auto a = record(1.1, 2, false);
        const auto same = record(1.1, 2, false);
        const auto other = record(std::nextafter(1.1, 2.0), 4, true);
        const auto equal = checkRerun(store, a, same);
        QVERIFY2(equal.identical(), formatRerunCheck(equal).c_str());
        QVERIFY(formatRerunCheck(equal).find("identical") != std::string::npos);
        const auto check = checkRerun(store, a, other);
        QVERIFY(!check.identical());
        QVERIFY2(
            check.differences.front().rfind("epoch 2 train loss: 1.1000000000000001 vs", 0) == 0,
            check.differences.front().c_str());
        const std::string text = formatRerunCheck(check);
        QVERIFY2(text.find("confusion [2][1]: 0 vs 1") != std::string::npos, text.c_str());
        QVERIFY2(text.find("shuffled accuracy: 0.33333333333333331 vs none") != std::string::npos,
                 text.c_str());
        QCOMPARE(check.provenance, std::vector<std::string>{"threads: 2 vs 4"});
        // Only completed runs are compared.
        const auto running = store.createRun(sampleConfig(), sampleMeta());
        QVERIFY_THROWS_EXCEPTION(ConfigError, checkRerun(store, a, running));
    }

    void listFilters() {
        auto store = RunStore::open(mPath);
        auto a = store.createRun(sampleConfig("gru"), sampleMeta());
        auto b = store.createRun(sampleConfig("lstm"), sampleMeta());
        store.completeRun(a, sampleResult());
        RunFilter filter;
        filter.kind = RunKind::Trained;
        QCOMPARE(store.listRuns(filter).size(), size_t(2));
        filter.status = RunStatus::Completed;
        QCOMPARE(store.listRuns(filter).size(), size_t(1));
        QCOMPARE(store.listRuns(filter)[0].id, a);
        filter = {};
        filter.kind = RunKind::Trained;
        filter.arch = "lstm";
        QCOMPARE(store.listRuns(filter).size(), size_t(1));
        QCOMPARE(store.listRuns(filter)[0].id, b);
        filter = {};
        filter.limit = 1;
        QCOMPARE(store.listRuns(filter)[0].id, b);  // newest first
        QVERIFY(!store.getRun(9999));
        QVERIFY_THROWS_EXCEPTION(ConfigError, runStatusFromString("done"));
    }

    // A failure halfway through completeRun leaves the run as it was.
    void completeRunIsAtomic() {
        auto store = RunStore::open(mPath);
        auto id = store.createRun(sampleConfig(), sampleMeta());
        QCOMPARE(rawExec(mPath,
                         "CREATE TRIGGER fail_late BEFORE INSERT ON predictions "
                         "BEGIN SELECT RAISE(ABORT, 'disk gone'); END"),
                 std::string());
        QVERIFY_THROWS_EXCEPTION(StoreError, store.completeRun(id, sampleResult()));
        QCOMPARE(store.getRun(id)->status, RunStatus::Running);
        QVERIFY(!store.getRun(id)->accuracy);
        QVERIFY(store.classMetrics(id).empty());
        QVERIFY(store.confusion(id).empty());

        // A caller's inconsistent result is refused before anything is written.
        RunResult bad = sampleResult();
        bad.predictions[0].truth = 7;
        QVERIFY_THROWS_EXCEPTION(LogicError, store.completeRun(id, bad));
    }

    void referenceImportedOnce() {
        RunFilter refs;
        refs.kind = RunKind::Reference;
        {
            auto store = RunStore::open(mPath);
            QCOMPARE(store.listRuns(refs).size(), size_t(16));
            QCOMPARE(store.importReference(), 0);
        }
        auto store = RunStore::open(mPath);
        auto rows = store.listRuns(refs);
        QCOMPARE(rows.size(), size_t(16));
        const RunRecord& convlstm128 = rows[13];
        QCOMPARE(convlstm128.arch, std::string("convlstm"));
        QCOMPARE(convlstm128.hidden, 128);
        QCOMPARE(convlstm128.params, std::int64_t(2951051));
        QCOMPARE(*convlstm128.accuracy, 0.80);
        QCOMPARE(convlstm128.status, RunStatus::Reference);
        QVERIFY(convlstm128.note.find("report") != std::string::npos);
        QCOMPARE(rows[8].arch, std::string("deep_lstm"));
        QCOMPARE(rows[8].layers, 2);

        try {
            store.deleteRun(rows[0].id);
            QFAIL("a reference run was deleted");
        } catch (const StoreError& e) {
            QVERIFY2(std::string(e.what()).find("reference") != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(StoreError, store.annotate(rows[0].id, "mine"));
        QVERIFY_THROWS_EXCEPTION(StoreError, store.setStatus(rows[0].id, RunStatus::Failed));
        // Even a program that bypasses RunStore cannot remove them.
        QVERIFY(rawExec(mPath, "DELETE FROM runs WHERE kind = 'reference'").find("read-only") !=
                std::string::npos);
        QCOMPARE(store.listRuns(refs).size(), size_t(16));
    }

    void statusNotesAndDelete() {
        auto store = RunStore::open(mPath);
        auto id = store.createRun(sampleConfig(), sampleMeta());
        store.addEpoch(id, {1, 1.0, 0.5, std::nullopt, std::nullopt, std::nullopt, 1.0, 1e-3});
        try {
            store.deleteRun(id);
            QFAIL("a running run was deleted");
        } catch (const StoreError& e) {
            QVERIFY2(std::string(e.what()).find("running") != std::string::npos, e.what());
        }
        store.setStatus(id, RunStatus::Failed, "loss is NaN at epoch 2");
        auto run = store.getRun(id);
        QCOMPARE(run->status, RunStatus::Failed);
        QCOMPARE(run->message, std::string("loss is NaN at epoch 2"));
        QVERIFY(!run->finishedAt.empty());
        QVERIFY_THROWS_EXCEPTION(LogicError, store.setStatus(id, RunStatus::Completed));

        store.annotate(id, "bad learning rate");
        QCOMPARE(store.getRun(id)->note, std::string("bad learning rate"));

        store.deleteRun(id);
        QVERIFY(!store.getRun(id));
        QCOMPARE(rawCount(mPath, "SELECT COUNT(*) FROM epochs"), 0LL);  // cascaded
        try {
            store.deleteRun(id);
            QFAIL("deleting a missing run succeeded");
        } catch (const StoreError& e) {
            QVERIFY2(std::string(e.what()).find(mPath) != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("does not exist") != std::string::npos, e.what());
        }
    }

    // A child creates a run and dies without finishing it.
    void deadOwnerBecomesInterrupted() {
        RunStore::open(mPath);
        pid_t child = fork();
        if (child == 0) {
            try {
                auto store = RunStore::open(mPath);
                store.createRun(sampleConfig(), sampleMeta());
            } catch (...) {
                _exit(1);
            }
            _exit(0);
        }
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        QCOMPARE(WEXITSTATUS(status), 0);

        auto store = RunStore::open(mPath);  // marks on open
        RunFilter trained;
        trained.kind = RunKind::Trained;
        auto runs = store.listRuns(trained);
        QCOMPARE(runs.size(), size_t(1));
        QCOMPARE(runs[0].ownerPid.value_or(0), std::int64_t(child));
        QCOMPARE(runs[0].status, RunStatus::Interrupted);
        QVERIFY2(runs[0].message.find("ended") != std::string::npos, runs[0].message.c_str());
    }

    // A run alive in another process is never touched, however often others open the store.
    void liveOwnerIsKept() {
        auto store = RunStore::open(mPath);
        auto mine = store.createRun(sampleConfig(), sampleMeta());
        int toChild[2], fromChild[2];
        QCOMPARE(pipe(toChild), 0);
        QCOMPARE(pipe(fromChild), 0);
        pid_t child = fork();
        if (child == 0) {
            close(toChild[1]);
            close(fromChild[0]);
            try {
                auto own = RunStore::open(mPath);
                std::int64_t id = own.createRun(sampleConfig("lstm"), sampleMeta());
                if (write(fromChild[1], &id, sizeof id) != sizeof id)
                    _exit(1);
                char c;
                while (read(toChild[0], &c, 1) > 0) {
                }
            } catch (...) {
                _exit(1);
            }
            _exit(0);
        }
        close(toChild[0]);
        close(fromChild[1]);
        std::int64_t theirs = 0;
        QCOMPARE(read(fromChild[0], &theirs, sizeof theirs), ssize_t(sizeof theirs));

        auto other = RunStore::open(mPath);
        QCOMPARE(other.markInterrupted(), 0);
        QCOMPARE(other.getRun(mine)->status, RunStatus::Running);
        QCOMPARE(other.getRun(theirs)->status, RunStatus::Running);

        close(toChild[1]);  // the child ends
        int status = 0;
        QCOMPARE(waitpid(child, &status, 0), child);
        close(fromChild[0]);
        QCOMPARE(other.markInterrupted(), 1);
        QCOMPARE(other.getRun(theirs)->status, RunStatus::Interrupted);
        QCOMPARE(other.getRun(mine)->status, RunStatus::Running);
    }

    // Our pid with another start time: the pid was reused by a new process.
    void reusedPidIsDead() {
        auto store = RunStore::open(mPath);
        auto id = store.createRun(sampleConfig(), sampleMeta());
        QCOMPARE(rawExec(mPath, "UPDATE runs SET owner_start = 'other-boot/1' WHERE id = " +
                                    std::to_string(id)),
                 std::string());
        QCOMPARE(store.markInterrupted(), 1);
        QCOMPARE(store.getRun(id)->status, RunStatus::Interrupted);
    }

    void otherHostByHeartbeat() {
        auto store = RunStore::open(mPath);
        auto stale = store.createRun(sampleConfig(), sampleMeta());
        auto fresh = store.createRun(sampleConfig(), sampleMeta());
        QCOMPARE(rawExec(mPath,
                         "UPDATE runs SET owner_host = 'elsewhere', owner_pid = 1, "
                         "heartbeat_at = '2000-01-01T00:00:00.000Z' WHERE id = " +
                             std::to_string(stale) +
                             "; UPDATE runs SET owner_host = 'elsewhere', owner_pid = 1 "
                             "WHERE id = " +
                             std::to_string(fresh)),
                 std::string());
        QCOMPARE(store.markInterrupted(), 1);
        QCOMPARE(store.getRun(stale)->status, RunStatus::Interrupted);
        QVERIFY(store.getRun(stale)->message.find("elsewhere") != std::string::npos);
        QCOMPARE(store.getRun(fresh)->status, RunStatus::Running);
        store.heartbeat(fresh);
    }

    void sweepResume() {
        auto store = RunStore::open(mPath);
        auto sweep = store.createSweep(R"({"arch":["gru","lstm"],"hidden":[64]})", "/data/ucf11");
        QCOMPARE(store.getSweep(sweep)->status, std::string("running"));
        QCOMPARE(store.listSweeps().size(), size_t(1));

        auto a = store.claimCell(sweep, sampleConfig("gru", 64, 0), sampleMeta());
        auto b = store.claimCell(sweep, sampleConfig("gru", 64, 1), sampleMeta());
        auto c = store.claimCell(sweep, sampleConfig("lstm", 64, 0), sampleMeta());
        QCOMPARE(a.state, CellClaim::State::Claimed);
        QCOMPARE(b.state, CellClaim::State::Claimed);
        QVERIFY(a.runId != b.runId);
        QCOMPARE(store.getRun(a.runId)->sweepId, std::optional<std::int64_t>(sweep));
        store.completeRun(a.runId, sampleResult());
        store.addEpoch(b.runId, {1, 1.0, 0.5, std::nullopt, std::nullopt, std::nullopt, 1, 1});
        store.setStatus(b.runId, RunStatus::Failed, "out of memory");

        auto done = store.completedCells(sweep);
        QCOMPARE(done.size(), size_t(1));
        QVERIFY((done[0] == GridCell{"gru", 64, 1, 0, 0}));

        // Resuming: the completed cell is skipped, the failed one re-run in
        // place, the one still being trained (by us, alive) left alone.
        auto again = store.claimCell(sweep, sampleConfig("gru", 64, 0), sampleMeta());
        QCOMPARE(again.state, CellClaim::State::Completed);
        QCOMPARE(again.runId, a.runId);
        auto retry = store.claimCell(sweep, sampleConfig("gru", 64, 1), sampleMeta());
        QCOMPARE(retry.state, CellClaim::State::Claimed);
        QCOMPARE(retry.runId, b.runId);
        QCOMPARE(store.getRun(b.runId)->status, RunStatus::Running);
        QVERIFY(store.getRun(b.runId)->message.empty());
        QVERIFY(store.epochs(b.runId).empty());
        auto busy = store.claimCell(sweep, sampleConfig("lstm", 64, 0), sampleMeta());
        QCOMPARE(busy.state, CellClaim::State::Busy);
        QCOMPARE(busy.runId, c.runId);

        // Queued by a sweep process that has since died: taken over.
        auto d = store.claimCell(sweep, sampleConfig("lstm", 64, 1), sampleMeta());
        QCOMPARE(rawExec(mPath,
                         "UPDATE runs SET status = 'queued', owner_start = 'gone/1' "
                         "WHERE id = " +
                             std::to_string(d.runId)),
                 std::string());
        auto takeover = store.claimCell(sweep, sampleConfig("lstm", 64, 1), sampleMeta());
        QCOMPARE(takeover.state, CellClaim::State::Claimed);
        QCOMPARE(takeover.runId, d.runId);

        QCOMPARE(store.sweepRuns(sweep).size(), size_t(4));  // never a duplicate
        store.setSweepStatus(sweep, "completed");
        QCOMPARE(store.getSweep(sweep)->status, std::string("completed"));
        QVERIFY_THROWS_EXCEPTION(StoreError, store.claimCell(99, sampleConfig(), sampleMeta()));
    }

    // What `sweep status` and the workbench's Sweep tab show.
    void sweepProgressByState() {
        auto store = RunStore::open(mPath);
        QVERIFY(!sweepProgress(store).has_value());
        const auto sweep = store.createSweep(
            R"({"archs":["gru","lstm"],"hidden":[64,128],"folds":[0],"seeds":2,"base":{}})",
            "/data/ucf11");
        auto claim = [&](const char* arch, int hidden, int seed) {
            return store.claimCell(sweep, sampleConfig(arch, hidden, 0, seed), sampleMeta()).runId;
        };
        const auto done = claim("gru", 64, 0);
        const auto failed = claim("gru", 64, 1);
        const auto running = claim("lstm", 128, 0);
        const auto interrupted = claim("lstm", 128, 1);
        store.completeRun(done, sampleResult());
        store.setStatus(failed, RunStatus::Failed, "out of memory");
        store.setStatus(interrupted, RunStatus::Interrupted, "stopped");

        auto p = sweepProgress(store, sweep);
        QVERIFY(p.has_value());
        QCOMPARE(p->sweep.id, sweep);
        QCOMPARE(p->cells, 8);
        QCOMPARE(p->done, 1);
        QCOMPARE(p->running, 1);
        QCOMPARE(p->failed, 1);
        QCOMPARE(p->queued, 5);  // never claimed, and the interrupted one
        QCOMPARE(p->runningRuns.size(), size_t(1));
        QCOMPARE(p->runningRuns[0].id, running);
        QCOMPARE(p->runningRuns[0].ownerPid, std::optional<std::int64_t>(getpid()));
        QVERIFY(!p->runningRuns[0].ownerHost.empty());
        QCOMPARE(p->failedRuns.size(), size_t(1));
        QCOMPARE(p->failedRuns[0].message, std::string("out of memory"));

        // 0: the newest sweep. A spec without a grid counts the cells it has.
        const auto other = store.createSweep("{}", "/data/other");
        QCOMPARE(sweepProgress(store)->sweep.id, other);
        QCOMPARE(sweepProgress(store)->cells, 0);
        QCOMPARE(sweepProgress(store, sweep)->done, 1);
        QVERIFY(!sweepProgress(store, other + 1).has_value());
    }

private:
    QTemporaryDir mDir;
    std::string mPath;
    int mCount = 0;
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
