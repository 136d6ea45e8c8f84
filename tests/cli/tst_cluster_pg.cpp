// Sweeps shared by many worker processes on a real (throwaway) PostgreSQL:
// the same results as on SQLite, workers SIGKILLed mid-cell, the server
// restarted mid-sweep, and servers that cannot be reached or refuse the
// login. Skipped (not failed) only when postgresql-15 is not installed.
#include <signal.h>

#include <QDir>
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
        // Which classes need order, read in one query on either backend.
        QVERIFY2(
            !vidrnn::test::parseJson(onPg.out).object().value("class_order").toArray().isEmpty(),
            onPg.out.constData());
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

    // The SIGSTOP case: worker A frozen past its lease while it trains a
    // cell, B claims the cell, A wakes. A's writes are refused (it drops the
    // cell and goes on); B completes it with its own epochs. On old main B
    // died with "epoch N of run R is already recorded" and A completed the
    // run with B's first epochs and its own last ones.
    void frozenWorkerIsFenced() {
        QVERIFY(mPg.createDb("frozen"));
        const QStringList args = worker("frozen", 100, 1);
        auto a = startWorker(args);
        const QString pidA = QString::number(a->processId());
        QString cell;
        QElapsedTimer clock;
        clock.start();
        while (cell.isEmpty() && clock.elapsed() < 60000) {
            cell = mPg.value(
                "frozen", "SELECT id FROM runs WHERE status = 'running' AND owner_pid = " + pidA);
            QThread::msleep(20);
        }
        QVERIFY2(!cell.isEmpty(), "worker A never held a cell");
        // One connection per worker, heartbeats included (old main: two).
        QCOMPARE(mPg.value("frozen",
                           "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                           "'frozen' AND pid <> pg_backend_pid()"),
                 QString("1"));
        ::kill(pid_t(a->processId()), SIGSTOP);
        auto b = startWorker(args);
        const QString pidB = QString::number(b->processId());
        while (mPg.value("frozen", "SELECT attempts FROM runs WHERE id = " + cell) != "2" &&
               clock.elapsed() < 90000) {
            QThread::msleep(50);
        }
        ::kill(pid_t(a->processId()), SIGCONT);
        QCOMPARE(mPg.value("frozen", "SELECT attempts FROM runs WHERE id = " + cell), QString("2"));
        for (auto* w : {a.get(), b.get()}) {
            QVERIFY(w->waitForFinished(180000));
            QVERIFY2(w->exitCode() == 0, w->readAllStandardError().constData());
        }
        verifyEveryCellOnce("frozen", "a worker frozen past its lease");
        // Every completed run's epochs are one attempt's: 1..n, each once.
        QCOMPARE(mPg.value("frozen",
                           "SELECT count(*) FROM runs r WHERE kind = 'trained' AND "
                           "(SELECT count(*) <> max(epoch) FROM epochs e WHERE e.run_id = r.id)"),
                 QString("0"));
        QCOMPARE(mPg.value("frozen", "SELECT owner_pid FROM runs WHERE id = " + cell), pidB);
    }

    // Threads fit the allocation: the default is the CPU affinity (taskset)
    // and SLURM_CPUS_PER_TASK; the thread count is not part of a sweep's
    // identity, so a worker with another --threads joins the same sweep
    // (on old main it started a second sweep and retrained every cell).
    void threadsFitTheAllocation() {
        QProcess taskset;
        taskset.start("taskset", {"-c", "0", VIDRNN_CLI, "info", "--json"});
        QVERIFY(taskset.waitForFinished(120000));
        QCOMPARE(taskset.exitCode(), 0);
        const auto pinned = vidrnn::test::parseJson(taskset.readAllStandardOutput()).object();
        QCOMPARE(pinned["threads"].toInt(), 1);
        QCOMPARE(pinned["allotted_cores"].toInt(), 1);
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("SLURM_CPUS_PER_TASK", "1");
        auto slurm = runCli({"info", "--json"}, {}, 120000, env);
        QCOMPARE(slurm.exitCode, 0);
        QCOMPARE(vidrnn::test::parseJson(slurm.out).object()["threads"].toInt(), 1);

        QVERIFY(mPg.createDb("threads"));
        const QStringList sweep = kGrid + QStringList{"--worker", "--epochs", "1"} + mData;
        auto first = runCli(QStringList{"-q", "--threads", "1", "--db", mPg.url("threads")} + sweep,
                            mDir.path());
        QVERIFY2(first.exitCode == 0, first.err.constData());
        auto second =
            runCli(QStringList{"--threads", "2", "--db", mPg.url("threads")} + sweep, mDir.path());
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QCOMPARE(mPg.value("threads", "SELECT count(*) FROM sweeps"), QString("1"));
        QCOMPARE(mPg.value("threads",
                           "SELECT count(*) || ' ' || min(threads) || ' ' || max(threads) "
                           "|| ' ' || sum(attempts) FROM runs WHERE kind = 'trained'"),
                 QString("12 1 1 12"));
        // The second worker trained nothing, and said so once, not per cell.
        QVERIFY2(!second.err.contains("accuracy") && !second.err.contains("[1/12]"),
                 second.err.constData());
        QVERIFY2(second.err.contains("completed: 12 cells, 12 done, 0 failed"),
                 second.err.constData());
        // Only the worker that ended the sweep printed its report.
        QVERIFY2(!first.out.isEmpty() && second.out.isEmpty(), second.out.constData());
    }

    // A cell that fails (here its checkpoint path is a directory) fails
    // alone: retried up to --max-attempts, then given up with its reason;
    // the worker trains every other cell and exits 0, the sweep ends
    // completed with 1 failed, and status and report say which and why (on
    // old main the worker died at the first failure, the sweep stayed
    // running and the report left the cell out without a word).
    void failedCellStaysInItsCell() {
        QVERIFY(mPg.createDb("failing"));
        const QString url = mPg.url("failing");
        // Opened once read-write: the schema, the reference rows, the store's id.
        QCOMPARE(runCli({"-q", "--db", url, "runs", "list"}).exitCode, 0);
        const QString storeId =
            mPg.value("failing", "SELECT value FROM meta WHERE key = 'store_id'");
        QCOMPARE(storeId.size(), 16);
        const int victim = mPg.value("failing", "SELECT max(id) FROM runs").toInt() + 3;
        const QString checkpoints = mDir.filePath("failing-checkpoints");
        QVERIFY(QDir().mkpath(checkpoints + QString("/run-%1-%2.pt").arg(victim).arg(storeId)));
        auto r = runCli(QStringList{"--threads", "1", "--checkpoints", checkpoints, "--db", url} +
                            kGrid +
                            QStringList{"--worker", "--epochs", "1", "--max-attempts", "2"} + mData,
                        mDir.path());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("completed with 1 failed: 12 cells, 11 done, 1 failed"),
                 r.err.constData());
        QVERIFY2(r.err.contains("failed (attempt 1)") && r.err.contains("failed (attempt 2)"),
                 r.err.constData());
        QCOMPARE(mPg.value("failing", QString("SELECT status || ' ' || attempts FROM runs WHERE "
                                              "id = %1")
                                          .arg(victim)),
                 QString("failed 2"));
        QCOMPARE(mPg.value("failing", "SELECT status FROM sweeps"), QString("completed"));
        auto status = runCli({"--db", url, "sweep", "status"});
        QVERIFY2(status.out.contains("12 cells: 11 done, 0 running, 0 queued, 1 failed\n"),
                 status.out.constData());
        QVERIFY2(status.out.contains("2: gave up after 2 attempts; last: attempt 2 of 2: "),
                 status.out.constData());
        auto report = runCli({"--db", url, "report"});
        QVERIFY2(report.out.contains(QString("left out: run %1 (").arg(victim).toUtf8()) &&
                     report.out.contains("failed after 2 attempts: gave up"),
                 report.out.constData());
    }

    // Two stores sharing a checkpoint folder number their runs alike: the
    // store's id in each file's name keeps them apart (on old main both
    // wrote run-17.pt, and predict read the other store's weights).
    void checkpointsOfTwoStoresDoNotCollide() {
        const QString shared = mDir.filePath("shared-checkpoints");
        QStringList paths;
        for (const QString db : {"ckpt_a", "ckpt_b"}) {
            QVERIFY(mPg.createDb(db));
            auto r = runCli(QStringList{"-q", "--threads", "1", "--checkpoints", shared, "--db",
                                        mPg.url(db), "sweep", "--archs", "gru", "--hidden", "8",
                                        "--split", "random", "--epochs", "1", "--batch", "2"} +
                                mData,
                            mDir.path());
            QVERIFY2(r.exitCode == 0, r.err.constData());
            paths << mPg.value(db,
                               "SELECT id || ' ' || checkpoint FROM runs WHERE kind = 'trained'");
        }
        QCOMPARE(paths[0].section(' ', 0, 0), paths[1].section(' ', 0, 0));  // the same run id
        QVERIFY2(paths[0] != paths[1], qPrintable(paths.join(" | ")));
        for (const QString& p : paths) {
            QVERIFY2(QFileInfo(p.section(' ', 1)).isFile(), qPrintable(p));
        }
    }

    // --slurm opens the store and checks it can write before it submits
    // anything: with a wrong port or a read-only role, sbatch (a stub on
    // PATH that records its calls) is never run (on old main both arrays
    // were submitted, and every task failed).
    void slurmChecksTheStoreFirst_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("reason");
        QTest::newRow("wrong port") << "postgresql://127.0.0.1:1/vidrnn"
                                    << "Connection refused";
        QTest::newRow("read-only role") << mPg.url("vidrnn", "reader") << "read-only";
        QTest::newRow("writable") << mPg.url("vidrnn") << "";
    }
    void slurmChecksTheStoreFirst() {
        QFETCH(QString, url);
        QFETCH(QString, reason);
        QVERIFY(mPg.psql("vidrnn",
                         "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                         "'reader') THEN CREATE ROLE reader LOGIN; END IF; END $$; "
                         "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader"));
        QTemporaryDir work;
        const QString calls = work.filePath("sbatch-calls");
        QDir().mkpath(work.filePath("bin"));
        QFile stub(work.filePath("bin/sbatch"));
        QVERIFY(stub.open(QIODevice::WriteOnly));
        // The scripts come on standard input (no file in the working folder).
        stub.write(("#!/bin/sh\necho \"$@\" >> '" + calls + "'\ncat >> '" + calls +
                    ".scripts'\necho 4242\n")
                       .toUtf8());
        stub.close();
        stub.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("PATH", work.filePath("bin") + ":" + env.value("PATH"));
        auto r = runCli(QStringList{"-q", "--db", url} + kGrid +
                            QStringList{"--epochs", "1", "--slurm", "1"} + mData,
                        work.path(), 120000, env);
        if (reason.isEmpty()) {
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QVERIFY(QFileInfo::exists(calls));
            QVERIFY2(r.out.contains("submitted job array 4242: 1 worker on "), r.out.constData());
            QVERIFY(!QFileInfo::exists(work.filePath("vidrnn-sweep.sbatch")));
            QFile script(calls + ".scripts");
            QVERIFY(script.open(QIODevice::ReadOnly));
            const QByteArray text = script.readAll();
            QVERIFY2(text.contains("# 1 worker on ") &&
                         text.contains(" --threads \"${SLURM_CPUS_PER_TASK:-1}\" --worker\n"),
                     text.constData());
            return;
        }
        QVERIFY2(r.exitCode != 0, r.out.constData());
        QVERIFY2(r.err.contains(reason.toUtf8()), r.err.constData());
        QVERIFY2(!QFileInfo::exists(calls), "sbatch was run");
        QVERIFY(!QFileInfo::exists(work.filePath("vidrnn-sweep.sbatch")));
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
