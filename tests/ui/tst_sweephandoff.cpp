// One sweep, two front ends: a sweep the workbench's training job starts and
// is stopped part way is finished by `vidrnn sweep --resume` (the real
// binary), a sweep the CLI starts and is stopped (SIGTERM) is finished by
// the workbench's job, and the job joins a sweep a CLI worker is running;
// each on SQLite and on a throwaway PostgreSQL (those rows skipped only
// when postgresql-15 is missing). Each time: the same sweep id, every cell
// trained exactly once (the cells the first program completed are not
// trained again), the sweep completed.
#include <QtTest>

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <map>
#include <set>
#include <tuple>

#include "pgserver.h"
#include "uitest.h"
#include "vidrnn/store.h"
#include "vidrnn/sweep.h"
#include "work/trainingjob.h"

using namespace vidrnn;
using namespace vidrnn::ui;
using vidrnn::test::PgServer;

namespace {

constexpr int kCells = 4;  // gru and mean_pool x 2 seeds
// Enough epochs that a cell lasts long enough to stop the next one part way.
constexpr int kEpochs = 15;
// Cells that take the CLI worker a while, so that the job joins while it
// works (on a loaded machine the worker may have trained every cell before
// the job claims one: then the job must train none again).
constexpr int kJoinEpochs = 120;

// What the workbench's job reported, per cell.
struct JobLog {
    std::map<int, QString> status, message;
    std::map<int, qint64> run;
    bool succeeded = false, cancelled = false, finished = false;
    QString failure;
    int count(const QString& s) const {
        int n = 0;
        for (const auto& [cell, st] : status) {
            n += st == s;
        }
        return n;
    }
};

// The CLI's per-cell lines for cells it completed ("[2/4] gru h8 ...: run 7 accuracy ...").
std::set<qint64> cliCompleted(const QString& stderrText) {
    std::set<qint64> runs;
    static const QRegularExpression line(QStringLiteral(R"(^\[\d+/\d+\] .*: run (\d+) accuracy)"),
                                         QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(stderrText); it.hasNext();) {
        runs.insert(it.next().captured(1).toLongLong());
    }
    return runs;
}

using Cell = std::tuple<std::string, int, int, int>;  // arch, hidden, fold, seed

}  // namespace

class TestSweepHandoff : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    PgServer mPg;
    QString mPgMissing;
    QString mDemo;
    std::shared_ptr<const Dataset> mDataset;
    int mStores = 0;
    int mEpochs = kEpochs;

    SweepGrid grid() const {
        TrainConfig base = test::tinyConfig(mDemo);
        base.epochs = mEpochs;
        return SweepGrid{base, {"gru", "mean_pool"}, {8}, {0}, 2};
    }

    // The same grid as `vidrnn sweep` options.
    QStringList cliArgs(const QString& store, const QString& how) const {
        const TrainConfig base = grid().base;
        QStringList args{"--threads",  "1",
                         "--db",       store,
                         "sweep",      "--archs",
                         "gru",        "mean_pool",
                         "--hidden",   "8",
                         "--seeds",    "2",
                         "--split",    QString::fromStdString(base.split),
                         "--batch",    QString::number(base.batch),
                         "--patience", "0",
                         "--epochs",   QString::number(mEpochs),
                         "--data",     mDemo,
                         "--size",     QString::number(base.imageSize),
                         "--frames",   QString::number(base.frames),
                         "--device",   "cpu",
                         "--backbone", QString::fromStdString(base.backbone)};
        if (!how.isEmpty()) {
            args << how;
        }
        return args;
    }

    // A new store on the row's backend; "" when the row is skipped or failed.
    QString newStore() {
        QFETCH(QString, backend);
        const QString name = QStringLiteral("handoff%1").arg(++mStores);
        if (backend == QLatin1String("sqlite")) {
            return mDir.filePath(name + ".db");
        }
        if (!mPgMissing.isEmpty()) {
            [this] { QSKIP(qPrintable(mPgMissing)); }();
            return {};
        }
        [&] { QVERIFY2(mPg.createDb(name), qPrintable(mPg.error())); }();
        return QTest::currentTestFailed() ? QString() : mPg.url(name);
    }

    // Runs the workbench's sweep job on `store` to its end; with
    // stopAfterFirst, cancels it as soon as a cell completes. False when
    // the test failed.
    bool runJob(const QString& store, bool stopAfterFirst, JobLog& log) {
        [&] { runJobChecked(store, stopAfterFirst, log); }();
        return !QTest::currentTestFailed();
    }
    void runJobChecked(const QString& store, bool stopAfterFirst, JobLog& log) {
        JobSpec spec = sweepJob(grid());
        spec.storePath = store;
        spec.dataset = mDataset;  // scanned already, as the Data view hands it over
        TrainingJob job(spec);
        connect(&job, &TrainingJob::runFinished, this,
                [&](int cell, qint64 run, const QString& status, const QString& message) {
                    QVERIFY2(!log.status.count(cell), "a cell reported twice");
                    log.status[cell] = status;
                    log.message[cell] = message;
                    log.run[cell] = run;
                    if (stopAfterFirst && status == QLatin1String("completed")) {
                        job.cancel();
                    }
                });
        connect(&job, &TrainingJob::succeeded, this, [&] { log.succeeded = true; });
        connect(&job, &TrainingJob::cancelled, this, [&] { log.cancelled = true; });
        connect(&job, &TrainingJob::failed, this, [&](const QString& m) { log.failure = m; });
        connect(&job, &TrainingJob::finished, this, [&] { log.finished = true; });
        job.start();
        QTRY_VERIFY_WITH_TIMEOUT(log.finished, 180000);
        QVERIFY2(log.failure.isEmpty(), qPrintable(log.failure));
    }

    // The store's one sweep, completed, its runs one per cell, and their
    // attempts. False when the test failed.
    bool finished(const QString& store, std::int64_t sweepId, std::map<qint64, int>& attempts) {
        [&] { checkFinished(store, sweepId, attempts); }();
        return !QTest::currentTestFailed();
    }
    void checkFinished(const QString& store, std::int64_t sweepId,
                       std::map<qint64, int>& attempts) {
        const auto rs = RunStore::open(store.toStdString(), RunStore::OpenMode::ReadOnly);
        const auto sweeps = rs.listSweeps();
        QCOMPARE(int(sweeps.size()), 1);
        QCOMPARE(sweeps.front().id, sweepId);
        QCOMPARE(sweeps.front().status, std::string("completed"));
        std::set<Cell> cells;
        for (const RunRecord& r : rs.sweepRuns(sweepId)) {
            QCOMPARE(r.status, RunStatus::Completed);
            QVERIFY(
                cells.insert({r.arch, r.hidden, r.fold.value_or(-1), r.seed.value_or(-1)}).second);
            attempts[r.id] = r.attempts;
        }
        QCOMPARE(int(cells.size()), kCells);
    }

    // The store's one sweep when it has that status, else 0 (also while
    // the store is not there yet).
    static std::int64_t onlySweep(const QString& store, const std::string& status) {
        try {
            const auto sweeps =
                RunStore::open(store.toStdString(), RunStore::OpenMode::ReadOnly).listSweeps();
            if (sweeps.size() != 1 || sweeps.front().status != status) {
                return 0;
            }
            return sweeps.front().id;
        } catch (const std::exception&) {
            return 0;
        }
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        test::isolate(mDir);  // the feature cache too, which the CLI inherits
        mDemo = test::tinyDemo(mDir);
        mDataset = std::make_shared<const Dataset>(scanDataset(mDemo.toStdString()));
        mPgMissing = PgServer::missing();
        if (mPgMissing.isEmpty()) {
            QVERIFY2(mPg.start(), qPrintable(mPg.error()));
        }
        // Features first, so that both programs only train.
        QProcess extract;
        const TrainConfig base = grid().base;
        extract.start(QStringLiteral(VIDRNN_CLI),
                      {"-q", "extract", "--data", mDemo, "--size", QString::number(base.imageSize),
                       "--frames", QString::number(base.frames), "--device", "cpu", "--backbone",
                       QString::fromStdString(base.backbone)});
        QVERIFY(extract.waitForFinished(300000));
        QVERIFY2(extract.exitCode() == 0, extract.readAllStandardError().constData());
    }

    void init() { mEpochs = kEpochs; }

    void backends_data() {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }

    void workbenchThenCli_data() { backends_data(); }
    void workbenchThenCli() {
        const QString store = newStore();
        if (store.isEmpty()) {
            return;
        }
        JobLog log;
        if (!runJob(store, true, log)) {
            return;
        }
        QVERIFY(log.cancelled);
        QVERIFY(!log.succeeded);
        std::set<qint64> byWorkbench;
        for (const auto& [cell, status] : log.status) {
            if (status == QLatin1String("completed")) {
                byWorkbench.insert(log.run[cell]);
            }
        }
        QVERIFY2(!byWorkbench.empty() && int(byWorkbench.size()) < kCells,
                 "the job was to be stopped part way");
        const std::int64_t sweepId = onlySweep(store, "cancelled");
        QVERIFY(sweepId != 0);

        QProcess cli;
        cli.start(QStringLiteral(VIDRNN_CLI), cliArgs(store, "--resume"));
        QVERIFY(cli.waitForFinished(180000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == 0, qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("sweep %1 completed").arg(sweepId)), qPrintable(err));
        // The CLI trained the rest, and only the rest.
        const auto byCli = cliCompleted(err);
        QCOMPARE(int(byCli.size()), kCells - int(byWorkbench.size()));

        std::map<qint64, int> attempts;
        if (!finished(store, sweepId, attempts)) {
            return;
        }
        for (qint64 id : byWorkbench) {
            QVERIFY(attempts.count(id));
            QCOMPARE(attempts[id], 1);  // not claimed again
            QVERIFY(!byCli.count(id));
            QVERIFY2(err.contains(QStringLiteral(": run %1 done before\n").arg(id)),
                     qPrintable(err));
        }
        for (qint64 id : byCli) {
            QVERIFY(attempts.count(id));
        }
    }

    void cliThenWorkbench_data() { backends_data(); }
    void cliThenWorkbench() {
        const QString store = newStore();
        if (store.isEmpty()) {
            return;
        }
        QProcess cli;
        QString err;
        cli.start(QStringLiteral(VIDRNN_CLI), cliArgs(store, {}));
        QVERIFY(cli.waitForStarted());
        // Stopped (SIGTERM, as a scheduler or the user would) once a cell completed.
        QTRY_VERIFY_WITH_TIMEOUT(
            (err += QString::fromUtf8(cli.readAllStandardError()), !cliCompleted(err).empty()),
            180000);
        cli.terminate();
        QVERIFY(cli.waitForFinished(60000));
        err += QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(cli.exitCode() != 0, qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("cancelled; resume with --resume")), qPrintable(err));
        const auto byCli = cliCompleted(err);
        QVERIFY2(int(byCli.size()) < kCells, "the CLI was to be stopped part way");
        const std::int64_t sweepId = onlySweep(store, "cancelled");
        QVERIFY(sweepId != 0);

        JobLog log;
        if (!runJob(store, false, log)) {
            return;
        }
        QVERIFY(log.succeeded);
        QCOMPARE(int(log.status.size()), kCells);
        // The cells the CLI completed are reported done before, with its runs.
        QCOMPARE(log.count(QStringLiteral("skipped")), int(byCli.size()));
        QCOMPARE(log.count(QStringLiteral("completed")), kCells - int(byCli.size()));
        for (const auto& [cell, status] : log.status) {
            if (status == QLatin1String("skipped")) {
                QVERIFY(byCli.count(log.run[cell]));
                QCOMPARE(log.message[cell],
                         QStringLiteral("done before (run %1)").arg(log.run[cell]));
            } else {
                QVERIFY(!byCli.count(log.run[cell]));
            }
        }

        std::map<qint64, int> attempts;
        if (!finished(store, sweepId, attempts)) {
            return;
        }
        for (qint64 id : byCli) {
            QCOMPARE(attempts[id], 1);
        }
    }

    // The workbench's job joins a sweep a CLI worker (sweep --worker) is
    // running: each cell is trained by one of them, once, and the sweep
    // ends completed (by whichever finished it).
    void workbenchJoinsCliWorker_data() { backends_data(); }
    void workbenchJoinsCliWorker() {
        const QString store = newStore();
        if (store.isEmpty()) {
            return;
        }
        mEpochs = kJoinEpochs;
        QProcess cli;
        cli.start(QStringLiteral(VIDRNN_CLI), cliArgs(store, "--worker"));
        QVERIFY(cli.waitForStarted());
        std::int64_t sweepId = 0;
        QTRY_VERIFY_WITH_TIMEOUT((sweepId = onlySweep(store, "running")) != 0, 120000);
        JobLog log;
        if (!runJob(store, false, log)) {
            return;
        }
        // (It may have ended while the job ran.)
        QVERIFY(cli.state() == QProcess::NotRunning || cli.waitForFinished(180000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == 0, qPrintable(err));
        QVERIFY(log.succeeded);
        QCOMPARE(int(log.status.size()), kCells);
        const auto byCli = cliCompleted(err);
        std::set<qint64> byJob;
        for (const auto& [cell, status] : log.status) {
            if (status == QLatin1String("completed")) {
                byJob.insert(log.run[cell]);
                QVERIFY(!byCli.count(log.run[cell]));
            } else if (log.message[cell] != QLatin1String("busy in another process")) {
                // Done by the worker before (not: held by it when the job ended).
                QCOMPARE(status, QStringLiteral("skipped"));
                QVERIFY(byCli.count(log.run[cell]));
            }
        }
        QCOMPARE(int(byJob.size() + byCli.size()), kCells);
        qInfo("the job trained %d cells, the worker %d", int(byJob.size()), int(byCli.size()));
        std::map<qint64, int> attempts;
        if (!finished(store, sweepId, attempts)) {
            return;
        }
        for (const auto& [run, n] : attempts) {
            QCOMPARE(n, 1);
        }
    }
};

QTEST_MAIN(TestSweepHandoff)
#include "tst_sweephandoff.moc"
