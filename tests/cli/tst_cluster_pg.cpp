// Sweeps shared by many worker processes on a real (throwaway) PostgreSQL:
// the same results as on SQLite, workers SIGKILLed mid-cell, the server
// restarted mid-sweep, and servers that cannot be reached or refuse the
// login. Skipped (not failed) only when postgresql-15 is not installed.
#include <signal.h>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <memory>
#include <vector>

#include "cliutil.h"
#include "pgserver.h"
#include "tinysweep.h"

using vidrnn::test::PgServer;
using vidrnn::test::runCli;

namespace {

// The grid every test sweeps: 12 cells.
const QStringList& kGrid = vidrnn::test::kClusterGrid;

// Epochs per cell of the three-worker sweep. At 1 epoch the 12 cells took
// 0.3 s, less than the spread of the workers' start-ups (about 1 s each), and
// on a fast CI machine one worker did every cell before the others had
// connected; at 40 the cells take about 4 s in all.
constexpr int kSameEpochs = 40;

// The report without what differs from run to run of the same sweep: run
// ids and timings.
QJsonDocument reportWithoutTiming(const QByteArray& json) {
    QJsonObject doc = vidrnn::test::parseJson(json).object();
    QJsonArray rows;
    for (const auto& value : doc.value("rows").toArray()) {
        QJsonObject row = value.toObject();
        for (const QString& key : row.keys()) {
            if (key.contains("seconds") || key == "run_ids") {
                row.remove(key);
            }
        }
        rows.append(row);
    }
    doc.insert("rows", rows);
    return QJsonDocument(doc);
}

}  // namespace

class TestClusterPg : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    PgServer mPg;
    QStringList mData;

    QStringList worker(const QString& db, int epochs, int leaseSeconds) const {
        return QStringList{"-q", "--threads", "1", "--db", mPg.url(db)} + kGrid +
               QStringList{"--worker",
                           "--lease",
                           QString::number(leaseSeconds),
                           "--epochs",
                           QString::number(epochs),
                           "--max-attempts",
                           "50"} +
               mData;
    }

    std::unique_ptr<QProcess> startWorker(const QStringList& args) const {
        auto p = std::make_unique<QProcess>();
        p->setWorkingDirectory(mDir.path());
        p->start(QStringLiteral(VIDRNN_CLI), args);
        p->waitForStarted();
        return p;
    }

    // Each cell of the grid has exactly one run, and it completed.
    void verifyEveryCellOnce(const QString& db, const char* what) {
        const QString cells = mPg.value(
            db,
            "SELECT count(*) || ' ' || count(DISTINCT (arch, hidden, layers, fold, seed)) || ' ' "
            "|| count(*) FILTER (WHERE status = 'completed') || ' ' || sum(attempts) || ' ' || "
            "count(DISTINCT owner_pid) FROM runs WHERE kind = 'trained'");
        const QStringList n = cells.split(' ');
        QCOMPARE(n.size(), 5);
        qInfo("%s: %s runs for %s cells, %s completed, %s claims, %s worker processes", what,
              qPrintable(n[0]), qPrintable(n[1]), qPrintable(n[2]), qPrintable(n[3]),
              qPrintable(n[4]));
        QCOMPARE(n[0], QString("12"));
        QCOMPARE(n[1], QString("12"));
        QCOMPARE(n[2], QString("12"));
    }

private Q_SLOTS:
    void initTestCase() {
        if (const QString missing = PgServer::missing(); !missing.isEmpty()) {
            QSKIP(qPrintable(missing));
        }
        QVERIFY(mDir.isValid());
        QVERIFY2(mPg.start(), qPrintable(mPg.error()));
        const auto demo = mDir.filePath("demo");
        QCOMPARE(runCli({"-q", "data", "generate", "--out", demo, "--preset", "tiny"}).exitCode, 0);
        mData = vidrnn::test::tinyDataArgs(demo, mDir.filePath("cache"));
        // Features first, shared by every worker (as on a cluster's shared storage).
        QCOMPARE(runCli(QStringList{"-q", "extract"} + mData).exitCode, 0);
        QCOMPARE(runCli({"-q", "--db", mPg.url(), "store", "check"}).exitCode, 0);
    }

    void sameResultsAsSqlite() {
        QVERIFY(mPg.createDb("same"));
        std::vector<std::unique_ptr<QProcess>> workers;
        for (int i = 0; i < 3; ++i) {
            workers.push_back(startWorker(worker("same", kSameEpochs, 30)));
        }
        for (auto& w : workers) {
            QVERIFY(w->waitForFinished(180000));
            QVERIFY2(w->exitCode() == 0, w->readAllStandardError().constData());
        }
        verifyEveryCellOnce("same", "3 workers on PostgreSQL");
        auto status = runCli({"--db", mPg.url("same"), "sweep", "status"});
        QVERIFY2(status.out.contains("12 cells: 12 done, 0 running, 0 queued, 0 failed"),
                 status.out.constData());
        // The job array a cluster would get: identical workers, nothing
        // submitted; no extraction array, the features being in the cache
        // (tst_cli_extract checks the extraction array of an empty cache).
        auto slurm = runCli(
            QStringList{"-q", "--db", mPg.url("same")} + kGrid +
            QStringList{"--epochs", "1", "--slurm", "3", "--slurm-opt=--time=10", "--dry-run"} +
            mData);
        QVERIFY2(slurm.exitCode == 0, slurm.err.constData());
        QVERIFY2(slurm.out.contains("# no extraction job"), slurm.out.constData());
        QVERIFY(!slurm.out.contains("vidrnn-extract"));
        QVERIFY(slurm.out.contains("#SBATCH --array=0-2\n#"));
        QVERIFY(slurm.out.contains("#SBATCH --time=10\n"));
        QVERIFY(slurm.out.contains("'sweep'") && slurm.out.trimmed().endsWith("--worker"));
        QVERIFY(!slurm.out.contains("--slurm") && !slurm.out.contains("--dry-run"));

        const QString sqlite = mDir.filePath("same.db");
        QCOMPARE(runCli(QStringList{"-q", "--threads", "1", "--db", sqlite} + kGrid +
                            QStringList{"--epochs", QString::number(kSameEpochs)} + mData,
                        mDir.path())
                     .exitCode,
                 0);
        auto onPg = runCli({"--db", mPg.url("same"), "report", "--json"});
        auto onSqlite = runCli({"--db", sqlite, "report", "--json"});
        QCOMPARE(onPg.exitCode, 0);
        QCOMPARE(onSqlite.exitCode, 0);
        QCOMPARE(reportWithoutTiming(onPg.out).toJson(),
                 reportWithoutTiming(onSqlite.out).toJson());
        // Last, so that a sweep one worker finished alone still leaves the
        // SQLite store storeCopyRoundTrip uses.
        QCOMPARE(mPg.value("same",
                           "SELECT count(DISTINCT owner_pid) > 1 FROM runs WHERE "
                           "kind = 'trained'"),
                 QString("t"));
    }

    // Uses sameResultsAsSqlite's SQLite store.
    void storeCopyRoundTrip() {
        const QString sqlite = mDir.filePath("same.db");
        const QString back = mDir.filePath("back.db");
        QVERIFY(QFileInfo::exists(sqlite));
        QVERIFY(mPg.createDb("copy"));
        auto there = runCli({"store", "copy", sqlite, mPg.url("copy")});
        QVERIFY2(there.exitCode == 0, there.err.constData());
        QVERIFY2(there.err.contains("12 runs copied, 0 already there"), there.err.constData());
        auto again = runCli({"store", "copy", sqlite, mPg.url("copy")});
        QVERIFY2(again.err.contains("0 runs copied, 12 already there"), again.err.constData());
        auto home = runCli({"store", "copy", mPg.url("copy"), back});
        QVERIFY2(home.err.contains("12 runs copied"), home.err.constData());
        for (const QStringList& command :
             {QStringList{"runs", "list", "--json"}, QStringList{"report", "--json"}}) {
            auto original = runCli(QStringList{"--db", sqlite} + command);
            auto onPg = runCli(QStringList{"--db", mPg.url("copy")} + command);
            auto roundTrip = runCli(QStringList{"--db", back} + command);
            QCOMPARE(original.exitCode, 0);
            QVERIFY(!original.out.isEmpty());
            QCOMPARE(onPg.out, original.out);
            QCOMPARE(roundTrip.out, original.out);
        }
        qInfo(
            "store copy SQLite -> PostgreSQL -> SQLite: runs list --json and report --json "
            "identical; copying again copied nothing");
    }

    void killedWorkersLoseNothing() {
        QVERIFY(mPg.createDb("kills"));
        const int kills = 10;
        const QStringList args = worker("kills", 30, 1);
        QRandomGenerator rng(20261130);
        std::vector<std::unique_ptr<QProcess>> workers;
        for (int i = 0; i < 3; ++i) {
            workers.push_back(startWorker(args));
        }
        QMap<QString, QString> completed;  // run id -> accuracy, as first seen
        int killed = 0;
        QElapsedTimer clock;
        clock.start();
        while (killed < kills && clock.elapsed() < 90000) {
            // Mid-cell: a worker that holds a cell now, at a random moment of it.
            const QStringList holders =
                mPg.value("kills",
                          "SELECT string_agg(owner_pid::text, ',') FROM runs WHERE "
                          "status = 'running'")
                    .split(',', Qt::SkipEmptyParts);
            std::vector<std::size_t> candidates;
            for (std::size_t i = 0; i < workers.size(); ++i) {
                if (workers[i]->state() == QProcess::Running &&
                    holders.contains(QString::number(workers[i]->processId()))) {
                    candidates.push_back(i);
                } else if (workers[i]->state() == QProcess::NotRunning) {
                    QVERIFY2(workers[i]->exitCode() == 0,
                             workers[i]->readAllStandardError().constData());
                    workers[i] = startWorker(args);
                }
            }
            if (candidates.empty()) {
                QThread::msleep(100);
                continue;
            }
            auto& victim = workers[candidates[rng.bounded(quint32(candidates.size()))]];
            QThread::msleep(rng.bounded(300));
            ::kill(pid_t(victim->processId()), SIGKILL);
            victim->waitForFinished(10000);
            ++killed;
            victim = startWorker(args);  // its place is taken by a fresh worker
            const QString rows =
                mPg.value("kills",
                          "SELECT string_agg(id || '=' || accuracy, ',') FROM runs WHERE "
                          "kind = 'trained' AND status = 'completed'");
            for (const QString& pair : rows.split(',', Qt::SkipEmptyParts)) {
                const QString id = pair.section('=', 0, 0);
                QVERIFY2(!completed.contains(id) || completed[id] == pair.section('=', 1),
                         "a completed run changed");
                completed.insert(id, pair.section('=', 1));
            }
        }
        QCOMPARE(killed, kills);
        const qint64 killSeconds = clock.elapsed() / 1000;
        for (auto& w : workers) {
            QVERIFY(w->waitForFinished(120000));
            QVERIFY2(w->exitCode() == 0, w->readAllStandardError().constData());
        }
        verifyEveryCellOnce("kills", "after SIGKILLs");
        for (auto it = completed.begin(); it != completed.end(); ++it) {
            QCOMPARE(mPg.value("kills",
                               "SELECT status || ' ' || accuracy FROM runs WHERE id = " + it.key()),
                     "completed " + it.value());
        }
        const QString reclaimed =
            mPg.value("kills", "SELECT count(*) FROM runs WHERE kind = 'trained' AND attempts > 1");
        qInfo(
            "workers SIGKILLed mid-cell: %d (in %lld s), completed runs seen between kills and "
            "kept: %lld, cells claimed again after a lease ran out: %s (%d extra claims)",
            killed, killSeconds, qint64(completed.size()), qPrintable(reclaimed),
            mPg.value("kills", "SELECT sum(attempts) FROM runs WHERE kind = 'trained'").toInt() -
                12);
        QVERIFY(reclaimed.toInt() > 0);
    }

    void serverRestartMidSweep() {
        QVERIFY(mPg.createDb("restart"));
        std::vector<std::unique_ptr<QProcess>> workers;
        for (int i = 0; i < 3; ++i) {
            workers.push_back(startWorker(worker("restart", 4, 10)));
        }
        // Once the workers train (the first run exists), restart the server.
        QElapsedTimer clock;
        clock.start();
        while (mPg.value("restart",
                         "SELECT count(*) FROM runs WHERE kind = 'trained' AND "
                         "status = 'completed'")
                       .toInt() < 2 &&
               clock.elapsed() < 60000) {
            QThread::msleep(100);
        }
        const QString before = mPg.value("restart",
                                         "SELECT count(*) FROM runs WHERE "
                                         "status = 'completed' AND kind = 'trained'");
        QVERIFY2(mPg.restart(), qPrintable(mPg.error()));
        qInfo("server restarted (pg_ctl restart -m fast) with %s of 12 cells completed",
              qPrintable(before));
        for (auto& w : workers) {
            QVERIFY(w->waitForFinished(180000));
            QVERIFY2(w->exitCode() == 0, w->readAllStandardError().constData());
        }
        verifyEveryCellOnce("restart", "after the restart");
    }

    void unreachableOrRefused_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no server on the port") << "postgresql://127.0.0.1:1/vidrnn"
                                               << "127.0.0.1:1"
                                               << "Connection refused";
        QTest::newRow("no server at the socket")
            << "postgresql:///vidrnn?host=" + mDir.filePath("nosock") << mDir.filePath("nosock")
            << "No such file or directory";
        QTest::newRow("unknown role") << mPg.url("vidrnn", "intruder") << mPg.socketDir()
                                      << "role \"intruder\" does not exist";
    }

    void unreachableOrRefused() {
        QFETCH(QString, url);
        QFETCH(QString, host);
        QFETCH(QString, reason);
        const QString runsBefore = mPg.value("vidrnn", "SELECT count(*) FROM runs");
        const QStringList before =
            QDir(mDir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
        auto r =
            runCli(QStringList{"-q", "--db", url} + kGrid + QStringList{"--epochs", "1"} + mData,
                   mDir.path());
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(r.exitCode != 0, qPrintable(err));
        QVERIFY2(err.contains("cannot connect to the PostgreSQL server on " + host),
                 qPrintable(err));
        QVERIFY2(err.contains(reason), qPrintable(err));
        // Nothing written: no store, no checkpoint folder, here or on the server.
        QCOMPARE(QDir(mDir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), before);
        QCOMPARE(mPg.value("vidrnn", "SELECT count(*) FROM runs"), runsBefore);
    }
};

QTEST_GUILESS_MAIN(TestClusterPg)
#include "tst_cluster_pg.moc"
