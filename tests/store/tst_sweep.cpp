// The sweep as a cell queue that holds (issue 27), on SQLite and on a
// throwaway PostgreSQL, with the engine's own worker loop and simulated
// cells (no training, so every case takes a second or less):
//  - fencing: a worker frozen past its lease (forged here by ageing its
//    heartbeat instead of sleeping) is refused every write once another
//    attempt took the cell, and the completed run's rows are all the
//    second attempt's;
//  - a cell's failure stays in the cell: retried up to maxAttempts, then
//    given up, while the worker goes on; the sweep ends completed;
//  - the end of a sweep: workers on a finished sweep claim nothing and
//    leave at once; a worker waiting for a held cell takes it when its
//    lease runs out, not after a fixed rescan;
//  - a stopped worker cancels its cell, not the sweep;
//  - the thread count is not part of a sweep's identity;
//  - every store has its own id (checkpoint names).
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <map>
#include <stdexcept>
#include <thread>

#include "pgserver.h"
#include "rawsqlite.h"
#include "vidrnn/errors.h"
#include "vidrnn/store.h"
#include "vidrnn/sweep.h"
#include "vidrnn/sweepprogress.h"

using namespace vidrnn;
using vidrnn::test::PgServer;

namespace {

SweepGrid smallGrid(int seeds = 2) {
    SweepGrid g;
    g.base.dataset = "/data/tiny";
    g.base.split = "random";
    g.archs = {"gru", "lstm"};
    g.hidden = {8, 16};
    g.folds = {0};
    g.seeds = seeds;
    return g;
}

EpochRecord epochOf(int n, double loss) {
    return {n, loss, 0.5, std::nullopt, std::nullopt, std::nullopt, 0.01, 1e-3};
}

// A simulated cell: `epochs` epochs of loss `loss`, then completed.
std::function<void(CellAttempt&, ExperimentResult&)> simulated(int epochs, double loss) {
    return [epochs, loss](CellAttempt& cell, ExperimentResult& result) {
        for (int e = 1; e <= epochs; ++e) {
            cell.epoch(epochOf(e, loss));
        }
        cell.complete(RunResult{});
        result.status = RunStatus::Completed;
    };
}

}  // namespace

class TestSweep : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    PgServer mPg;
    bool mHavePg = false;
    int mDbs = 0;

    // A new, empty store of the row's backend.
    QString newStore() {
        QFETCH(QString, backend);
        const QString name = QStringLiteral("s%1").arg(++mDbs);
        if (backend == "sqlite") {
            return mDir.filePath(name + ".db");
        }
        if (!mPg.createDb(name)) {
            qFatal("createdb: %s", qPrintable(mPg.error()));
        }
        return mPg.url(name);
    }

    // Runs SQL on the store behind vidrnn's back, as the passing of time or
    // another host would change it.
    void forge(const QString& location, const QString& sql) {
        if (location.startsWith("postgresql://")) {
            const QString db = location.section('?', 0, 0).section('/', -1);
            QVERIFY2(mPg.psql(db, sql), qPrintable(mPg.error()));
        } else {
            const std::string error =
                vidrnn::test::rawExec(location.toStdString(), sql.toStdString());
            QVERIFY2(error.empty(), error.c_str());
        }
    }

    // The holder of run `id` was last heard of long ago, from another host
    // (SQLite judges a holder on this host by its pid, which is alive here).
    void expireLease(const QString& location, std::int64_t id) {
        forge(location, QStringLiteral("UPDATE runs SET heartbeat_at = '2000-01-01T00:00:00.000Z', "
                                       "owner_host = 'frozen-node' WHERE id = %1")
                            .arg(id));
    }

    static RunStore::Options options(int leaseSeconds = 60, int maxAttempts = 3) {
        RunStore::Options o;
        o.heartbeatTimeout = std::chrono::seconds(leaseSeconds);
        o.maxAttempts = maxAttempts;
        return o;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        mHavePg = PgServer::missing().isEmpty() && mPg.start();
        if (!mHavePg) {
            qWarning("PostgreSQL rows skipped: %s%s", qPrintable(PgServer::missing()),
                     qPrintable(mPg.error()));
        }
    }

    void backends_data() {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << "sqlite";
        if (mHavePg) {  // else skipped with a warning (initTestCase)
            QTest::newRow("postgresql") << "postgresql";
        }
    }

    // The SIGSTOP case: worker A holds a cell, is frozen past its lease, B
    // claims the cell and trains it; A wakes and carries on writing.
    void staleWorkerIsFenced_data() { backends_data(); }
    void staleWorkerIsFenced() {
        const QString location = newStore();
        auto a = RunStore::open(location.toStdString(), options());
        auto b = RunStore::open(location.toStdString(), options());
        const auto grid = smallGrid(1);
        const auto cell = sweepCells(grid).front();
        const auto sweep = a.createSweep(sweepSpecJson(grid), grid.base.dataset);

        const auto claimA = a.claimCell(sweep, cell, RunMeta{});
        QCOMPARE(claimA.state, CellClaim::State::Claimed);
        QCOMPARE(claimA.attempt, 1);
        a.renewLease(claimA.runId, 1, {epochOf(1, 1.0), epochOf(2, 1.0)});
        expireLease(location, claimA.runId);
        // sweep status shows it as stale, not as running (on old main: running
        // for as long as nobody claimed it).
        const auto seen = sweepProgress(b, sweep);
        QVERIFY(seen);
        QCOMPARE(seen->stale, 1);
        QCOMPARE(seen->running, 0);
        QCOMPARE(seen->staleRuns.front().id, claimA.runId);
        QVERIFY(seen->staleSeconds.front() > 1e6);

        const auto claimB = b.claimCell(sweep, cell, RunMeta{});
        QCOMPARE(claimB.state, CellClaim::State::Claimed);
        QCOMPARE(claimB.runId, claimA.runId);
        QCOMPARE(claimB.attempt, 2);
        b.renewLease(claimB.runId, 2, {epochOf(1, 2.0)});

        // A wakes: each of its writes is refused, naming the attempt that holds the cell.
        try {
            a.renewLease(claimA.runId, 1, {epochOf(3, 1.0)});
            QFAIL("a stale attempt renewed its lease");
        } catch (const LeaseLost& e) {
            QVERIFY2(QString(e.what()).contains("attempt 1 of run") &&
                         QString(e.what()).contains("the cell is attempt 2 now"),
                     e.what());
        }
        QVERIFY_THROWS_EXCEPTION(LeaseLost,
                                 a.completeAttempt(claimA.runId, 1, {epochOf(3, 1.0)}, {}));
        QVERIFY_THROWS_EXCEPTION(LeaseLost,
                                 a.endAttempt(claimA.runId, 1, RunStatus::Failed, "boom"));
        // B is not disturbed, and completes with its own epochs only.
        b.completeAttempt(claimB.runId, 2, {epochOf(2, 2.0), epochOf(3, 2.0)}, RunResult{});
        QVERIFY_THROWS_EXCEPTION(LeaseLost,
                                 a.completeAttempt(claimA.runId, 1, {epochOf(4, 1.0)}, {}));
        const auto run = a.getRun(claimA.runId);
        QVERIFY(run);
        QCOMPARE(run->status, RunStatus::Completed);
        QCOMPARE(run->attempts, 2);
        const auto epochs = a.epochs(claimA.runId);
        QCOMPARE(int(epochs.size()), 3);
        for (const auto& e : epochs) {
            QCOMPARE(e.trainLoss, 2.0);  // all B's
        }

        // The same through the worker loop: A's attempt ends as lost, not as
        // the cell's failure, and the worker goes on.
        const auto cells = sweepCells(smallGrid(1));
        std::atomic<bool> stop{false};
        SweepWork work;
        int lost = 0;
        work.attempt = [&](int, const TrainConfig& c) {
            return attemptCell(
                a, sweep, c, RunMeta{}, [&](CellAttempt& attempt, ExperimentResult& result) {
                    if (c.arch == "lstm" && c.hidden == 8) {
                        expireLease(location, attempt.runId());
                        QCOMPARE(b.claimCell(sweep, c, RunMeta{}).attempt, attempt.attempt() + 1);
                        attempt.epoch(epochOf(1, 1.0));
                        attempt.complete(RunResult{});  // refused
                    }
                    simulated(1, 1.0)(attempt, result);
                });
        };
        work.onCell = [&lost](const SweepCellReport& r) { lost += r.result.leaseLost; };
        const auto end = workSweep(a, sweep, cells, work, stop);
        QCOMPARE(lost, 1);
        QCOMPARE(end.finished, false);  // B holds the cell it took and has not finished it
        QCOMPARE(end.done, 3);
    }

    // A cell that fails is retried up to maxAttempts, then given up; the
    // others complete, and the sweep ends completed with the cell failed.
    void failureStaysInTheCell_data() { backends_data(); }
    void failureStaysInTheCell() {
        const QString location = newStore();
        auto store = RunStore::open(location.toStdString(), options(60, 2));
        const auto grid = smallGrid();
        const auto cells = sweepCells(grid);
        const auto sweep =
            openSweep(store, sweepSpecJson(grid), grid.base.dataset, SweepOpen::Join);
        std::map<std::string, int> tries;
        SweepWork work;
        work.wait = true;
        work.attempt = [&](int, const TrainConfig& c) {
            return attemptCell(store, sweep, c, RunMeta{},
                               [&](CellAttempt& cell, ExperimentResult& result) {
                                   if (c.arch == "gru" && c.hidden == 16 && c.seed == 1) {
                                       ++tries["bad"];
                                       throw std::runtime_error("checkpoint path is a directory");
                                   }
                                   simulated(2, 1.0)(cell, result);
                               });
        };
        int reported = 0;
        work.onCell = [&reported](const SweepCellReport&) { ++reported; };
        // Cells this process attempted are reported through onCell only.
        int settledHere = 0;
        work.onSettled = [&settledHere](const SweepCellReport&) { ++settledHere; };
        std::atomic<bool> stop{false};
        const auto end = workSweep(store, sweep, cells, work, stop);
        QCOMPARE(tries["bad"], 2);
        QCOMPARE(reported, 9);  // 7 completed cells, the bad one twice
        QCOMPARE(settledHere, 0);
        QVERIFY(end.finished);
        QVERIFY(end.ended);
        QCOMPARE(end.done, 7);
        QCOMPARE(end.failed, 1);
        QCOMPARE(store.getSweep(sweep)->status, std::string("completed"));
        const auto progress = sweepProgress(store, sweep);
        QVERIFY(progress);
        QCOMPARE(progress->failed, 1);
        QCOMPARE(progress->failedRuns.front().attempts, 2);
        const QString why = QString::fromStdString(progress->failedRuns.front().message);
        QVERIFY2(why.startsWith("gave up after 2 attempts; last: attempt 2 of 2: checkpoint path "
                                "is a directory"),
                 qPrintable(why));
        // Given up is given up: another worker claims nothing.
        int again = 0;
        work.attempt = [&](int, const TrainConfig& c) {
            ++again;
            return attemptCell(store, sweep, c, RunMeta{}, simulated(1, 1.0));
        };
        // A second process sees every cell settled, once each, with its run.
        std::map<int, RunStatus> settled;
        work.onSettled = [&](const SweepCellReport& r) {
            QVERIFY(r.result.skipped);
            QVERIFY(r.result.runId > 0);
            QCOMPARE(r.config, &cells[std::size_t(r.index - 1)]);
            QVERIFY(settled.emplace(r.index, r.result.status).second);
        };
        const auto second = workSweep(store, sweep, cells, work, stop);
        QCOMPARE(again, 0);
        QCOMPARE(int(settled.size()), 8);
        QCOMPARE(std::count_if(settled.begin(), settled.end(),
                               [](const auto& s) { return s.second == RunStatus::Failed; }),
                 std::ptrdiff_t(1));
        QVERIFY(second.finished);
        QVERIFY(!second.ended);
    }

    // Workers on a finished sweep look once and leave, claiming nothing (on
    // old main each claimed, and locked, every cell, and waited 5 s on the
    // cells others were looking at).
    void finishedSweepEndsAtOnce_data() { backends_data(); }
    void finishedSweepEndsAtOnce() {
        const QString location = newStore();
        auto store = RunStore::open(location.toStdString(), options());
        SweepGrid grid = smallGrid(25);  // 100 cells
        const auto cells = sweepCells(grid);
        const auto sweep = store.createSweep(sweepSpecJson(grid), grid.base.dataset);
        SweepWork work;
        work.wait = true;
        work.attempt = [&](int, const TrainConfig& c) {
            return attemptCell(store, sweep, c, RunMeta{}, simulated(1, 1.0));
        };
        std::atomic<bool> stop{false};
        QVERIFY(workSweep(store, sweep, cells, work, stop).ended);
        for (int w = 0; w < 4; ++w) {
            auto worker = RunStore::open(location.toStdString(), options());
            int attempts = 0;
            work.attempt = [&attempts](int, const TrainConfig&) {
                ++attempts;
                return ExperimentResult{};
            };
            QElapsedTimer clock;
            clock.start();
            const auto end = workSweep(worker, sweep, cells, work, stop);
            QCOMPARE(attempts, 0);
            QVERIFY(end.finished);
            QVERIFY(!end.ended);
            QCOMPARE(end.done, 100);
            QVERIFY2(clock.elapsed() < 2000, "a worker on a finished sweep waited");
        }
    }

    // A cell held by a worker that stopped renewing: a waiting worker takes
    // it once the lease runs out (1 s), as soon as it does.
    void waitingUsesTheLease_data() { backends_data(); }
    void waitingUsesTheLease() {
        QFETCH(QString, backend);
        const QString location = newStore();
        auto holder = RunStore::open(location.toStdString(), options(1));
        auto worker = RunStore::open(location.toStdString(), options(1));
        const auto grid = smallGrid(1);
        const auto cells = sweepCells(grid);
        const auto sweep = holder.createSweep(sweepSpecJson(grid), grid.base.dataset);
        const auto held = holder.claimCell(sweep, cells.back(), RunMeta{});
        QCOMPARE(held.state, CellClaim::State::Claimed);
        if (backend == "sqlite") {
            // On one machine SQLite asks the holder's pid (alive: this
            // process); a holder on another host is judged by its lease.
            forge(location,
                  QStringLiteral("UPDATE runs SET owner_host = 'frozen-node' WHERE id = %1")
                      .arg(held.runId));
        }
        SweepWork work;
        work.wait = true;
        work.attempt = [&](int, const TrainConfig& c) {
            return attemptCell(worker, sweep, c, RunMeta{}, simulated(1, 1.0));
        };
        int waits = 0;
        work.onWait = [&waits](int cellsHeld, double) {
            QCOMPARE(cellsHeld, 1);
            ++waits;
        };
        std::atomic<bool> stop{false};
        QElapsedTimer clock;
        clock.start();
        const auto end = workSweep(worker, sweep, cells, work, stop);
        QVERIFY(end.finished);
        QCOMPARE(end.done, 4);
        QCOMPARE(waits, 1);
        QVERIFY2(clock.elapsed() < 4000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(worker.getRun(held.runId)->attempts, 2);
        QVERIFY_THROWS_EXCEPTION(LeaseLost, holder.renewLease(held.runId, 1));
    }

    // A stopped worker cancels its cell only; a lone sweep process that is
    // stopped cancels the sweep.
    void cancelledWorkerCancelsItsCell_data() { backends_data(); }
    void cancelledWorkerCancelsItsCell() {
        const QString location = newStore();
        auto store = RunStore::open(location.toStdString(), options());
        const auto grid = smallGrid(1);
        const auto cells = sweepCells(grid);
        const auto sweep = store.createSweep(sweepSpecJson(grid), grid.base.dataset);
        std::atomic<bool> stop{false};
        SweepWork work;
        work.wait = true;
        work.attempt = [&](int, const TrainConfig& c) {
            return attemptCell(store, sweep, c, RunMeta{},
                               [&](CellAttempt& cell, ExperimentResult& result) {
                                   stop = true;  // SIGTERM mid-cell
                                   cell.cancel("cancelled by the user");
                                   result.status = RunStatus::Cancelled;
                               });
        };
        auto end = workSweep(store, sweep, cells, work, stop);
        QVERIFY(end.cancelled);
        QCOMPARE(store.getSweep(sweep)->status, std::string("running"));
        const auto runs = store.sweepRuns(sweep);
        QCOMPARE(int(runs.size()), 1);
        QCOMPARE(runs.front().status, RunStatus::Cancelled);
        stop = false;
        work.wait = false;
        end = workSweep(store, sweep, cells, work, stop);
        QCOMPARE(store.getSweep(sweep)->status, std::string("cancelled"));
    }

    // --threads changes speed, not results: not part of the sweep's identity,
    // and a sweep stored with a thread count in its spec is joined all the same.
    void threadsAreNotIdentity() {
        SweepGrid one = smallGrid();
        SweepGrid four = one;
        one.base.threads = 1;
        four.base.threads = 4;
        QCOMPARE(sweepSpecJson(one), sweepSpecJson(four));
        QVERIFY(!QString::fromStdString(sweepSpecJson(one)).contains("threads"));
        auto store = RunStore::open(mDir.filePath("threads.db").toStdString());
        // As vidrnn before this change wrote it: the base with "threads".
        std::string legacy = sweepSpecJson(one);
        legacy.replace(legacy.find("\"split\""), 0, "\"threads\":2,");
        const auto old = store.createSweep(legacy, one.base.dataset);
        QCOMPARE(openSweep(store, sweepSpecJson(four), one.base.dataset, SweepOpen::Join), old);
        QCOMPARE(openSweep(store, sweepSpecJson(one), one.base.dataset, SweepOpen::Resume), old);
        // The workbench writes the first cell's arch and size into the base:
        // the axes define the grid, so it resumes the CLI's sweep, and the
        // CLI the workbench's.
        SweepGrid workbench = one;
        workbench.base.arch = "lstm";
        workbench.base.hidden = 16;
        QVERIFY(sweepSpecJson(workbench) != sweepSpecJson(one));
        QCOMPARE(openSweep(store, sweepSpecJson(workbench), one.base.dataset, SweepOpen::Resume),
                 old);
        SweepGrid other = one;
        other.hidden = {8, 32};
        QVERIFY(openSweep(store, sweepSpecJson(other), one.base.dataset, SweepOpen::Resume) != old);
    }

    // An exception out of the worker loop (here the backbone's, thrown by
    // the attempt outside any cell, as extraction would) reaches the caller; a lone process has
    // marked its sweep failed (cancelled when it was being stopped), as both
    // front ends end it; a worker leaves it running for the others.
    void exceptionEndsALoneProcesssSweep_data() { backends_data(); }
    void exceptionEndsALoneProcesssSweep() {
        const QString location = newStore();
        auto store = RunStore::open(location.toStdString(), options());
        const auto grid = smallGrid(1);
        const auto cells = sweepCells(grid);
        auto statusAfterThrow = [&](bool worker, bool stopping) {
            const auto sweep = store.createSweep(sweepSpecJson(grid), grid.base.dataset);
            std::atomic<bool> stop{false};
            SweepWork work;
            work.wait = worker;
            work.attempt = [&](int, const TrainConfig&) -> ExperimentResult {
                stop = stopping;
                throw ModelError("/data/backbone.pt", "cannot load the backbone");
            };
            bool thrown = false;
            try {
                workSweep(store, sweep, cells, work, stop);
            } catch (const ModelError& e) {
                thrown = QString(e.what()).contains("cannot load the backbone");
            }
            return thrown ? store.getSweep(sweep)->status : std::string("no exception");
        };
        QCOMPARE(statusAfterThrow(false, false), std::string("failed"));
        QCOMPARE(statusAfterThrow(false, true), std::string("cancelled"));
        QCOMPARE(statusAfterThrow(true, false), std::string("running"));
    }

    // The workbench resuming a grid (its spec names the first cell in the
    // base) and a CLI worker joining it (the bare spec) at the same moment,
    // on a store without that sweep: one of them creates it and the other
    // opens the same one, whichever comes first.
    void resumeAndJoinTogetherShareOneSweep_data() { backends_data(); }
    void resumeAndJoinTogetherShareOneSweep() {
        const SweepGrid cli = smallGrid();
        SweepGrid workbench = cli;
        workbench.base.arch = "lstm";
        workbench.base.hidden = 16;
        for (int round = 0; round < 12; ++round) {
            const QString location = newStore();
            auto a = RunStore::open(location.toStdString(), options());
            auto b = RunStore::open(location.toStdString(), options());
            std::atomic<int> ready{0};
            std::int64_t resumed = 0, joined = 0;
            std::string error;
            auto together = [&ready] {
                ++ready;
                while (ready.load() < 2) {
                }
            };
            std::thread resume([&] {
                together();
                try {
                    resumed =
                        openSweep(a, sweepSpecJson(workbench), cli.base.dataset, SweepOpen::Resume);
                } catch (const std::exception& e) {
                    error = e.what();
                }
            });
            together();
            joined = openSweep(b, sweepSpecJson(cli), cli.base.dataset, SweepOpen::Join);
            resume.join();
            QVERIFY2(error.empty(), error.c_str());
            QVERIFY2(resumed == joined, qPrintable(QString("round %1: the workbench opened sweep "
                                                           "%2, the worker sweep %3")
                                                       .arg(round)
                                                       .arg(resumed)
                                                       .arg(joined)));
            QCOMPARE(a.listSweeps().size(), size_t{1});
        }
    }

    // Each store has its own id, kept across opens (it names checkpoints).
    void storesHaveTheirOwnId_data() { backends_data(); }
    void storesHaveTheirOwnId() {
        const QString first = newStore();
        const QString second = newStore();
        const auto a = RunStore::open(first.toStdString()).storeId();
        const auto b = RunStore::open(second.toStdString()).storeId();
        QCOMPARE(int(a.size()), 16);
        QVERIFY(a != b);
        QCOMPARE(RunStore::open(first.toStdString(), RunStore::OpenMode::ReadOnly).storeId(), a);
    }
};

QTEST_GUILESS_MAIN(TestSweep)
#include "tst_sweep.moc"
