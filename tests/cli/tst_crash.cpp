// Crash safety: `vidrnn sweep` killed with SIGKILL at random moments, again
// and again. After every kill the store passes PRAGMA integrity_check, every
// completed run is intact, the killed run ends up interrupted, and resuming
// completes the grid with exactly one run per cell.
#include <sqlite3.h>

#include <QtTest>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include "cliutil.h"

using vidrnn::test::runCli;

namespace {

// Read-only, straight through SQLite: the test trusts nothing of vidrnn here.
class Db {
public:
    explicit Db(const QString& path) {
        sqlite3_open_v2(path.toUtf8().constData(), &mDb, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_busy_timeout(mDb, 10000);
    }
    ~Db() { sqlite3_close(mDb); }
    QList<QStringList> rows(const char* sql) {
        QList<QStringList> out;
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(mDb, sql, -1, &st, nullptr) != SQLITE_OK) {
            qWarning() << "prepare failed:" << sqlite3_errmsg(mDb);
            return out;
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            QStringList row;
            for (int c = 0; c < sqlite3_column_count(st); ++c) {
                const auto* text = sqlite3_column_text(st, c);
                row << (text ? QString::fromUtf8(reinterpret_cast<const char*>(text)) : QString());
            }
            out << row;
        }
        sqlite3_finalize(st);
        return out;
    }

private:
    sqlite3* mDb = nullptr;
};

}  // namespace

class TestCrash : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    QString mDb;
    QStringList mSweep;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        const auto demo = mDir.filePath("demo");
        mDb = mDir.filePath("crash.db");
        const auto cache = mDir.filePath("cache");
        QCOMPARE(runCli({"-q", "data", "generate", "--out", demo, "--preset", "tiny"}).exitCode, 0);
        const QStringList data = {"--data",  demo,  "--size",   "32",  "--frames",   "4",
                                  "--cache", cache, "--device", "cpu", "--backbone", "resnet18"};
        // Features first, so the kills land in training and store writes.
        QCOMPARE(runCli(QStringList{"-q", "extract"} + data).exitCode, 0);
        mSweep = QStringList{"-q",      "--threads", "1",          "--db",     mDb,
                             "sweep",   "--archs",   "lstm",       "gru",      "deep_lstm",
                             "bilstm",  "convlstm",  "mean_pool",  "--hidden", "8",
                             "16",      "--split",   "random",     "--epochs", "30",
                             "--batch", "2",         "--patience", "0",        "--resume"} +
                 data;
    }

    // Runs started so far (any status): grows when a sweep begins a cell.
    int runningOrDone() {
        if (!QFileInfo::exists(mDb)) {
            return 0;
        }
        Db db(mDb);
        const auto rows = db.rows("SELECT COUNT(*) FROM runs");
        return rows.isEmpty() ? 0 : rows.value(0).value(0).toInt();
    }

    void killRepeatedly() {
        const int kills = qEnvironmentVariableIntValue("VIDRNN_CRASH_KILLS") > 0
                              ? qEnvironmentVariableIntValue("VIDRNN_CRASH_KILLS")
                              : 20;
        QRandomGenerator rng(12345);
        QMap<QString, QString> completed;  // run id -> accuracy, as first seen
        int survived = 0;
        int interruptedSeen = 0;
        // A grid that completes between kills (a fast machine) is followed by
        // the same grid on the next seed, so every kill lands in a sweep.
        int seed = 0;
        const auto sweep = [&] { return mSweep + QStringList{"--seed", QString::number(seed)}; };
        for (int i = 0; i < kills; ++i) {
            QProcess p;
            p.start(QStringLiteral(VIDRNN_CLI), sweep());
            QVERIFY(p.waitForStarted());
            // Every other kill counts its delay from the moment the sweep
            // has a run in training: on a slow start (a loaded machine,
            // LibTorch 2.x's CUDA libraries to load) the delay alone could
            // land every kill before any run began.
            if (i % 2 == 1) {
                const int runningBefore = runningOrDone();
                QElapsedTimer waited;
                waited.start();
                while (p.state() != QProcess::NotRunning && runningOrDone() == runningBefore &&
                       waited.elapsed() < 120000) {
                    p.waitForFinished(50);
                }
            }
            // After a run began, within its first cells; from the start, anywhere.
            const int delay =
                i % 2 == 1 ? 100 + int(rng.bounded(1500)) : 400 + int(rng.bounded(2600));
            if (p.state() == QProcess::NotRunning || p.waitForFinished(delay)) {
                QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
                QVERIFY2(++seed < 20, "the grids finish faster than the kills come");
                --i;
                continue;
            }
            p.kill();  // SIGKILL
            QVERIFY(p.waitForFinished(10000));
            ++survived;

            // A fresh opening marks the dead owner's run interrupted.
            QCOMPARE(runCli({"-q", "--db", mDb, "runs", "list", "--json"}).exitCode, 0);
            Db db(mDb);
            QCOMPARE(db.rows("PRAGMA integrity_check").value(0).value(0), QString("ok"));
            QVERIFY(db.rows("SELECT id FROM runs WHERE status = 'running'").isEmpty());
            interruptedSeen +=
                int(db.rows("SELECT id FROM runs WHERE status = 'interrupted'").size());
            const auto rows = db.rows(
                "SELECT id, accuracy, (SELECT COUNT(*) FROM epochs e WHERE e.run_id = r.id), "
                "(SELECT COUNT(*) FROM confusion c WHERE c.run_id = r.id) "
                "FROM runs r WHERE status = 'completed' AND kind = 'trained'");
            QSet<QString> now;
            for (const auto& r : rows) {
                now.insert(r[0]);
                QVERIFY2(!r[1].isEmpty(), "a completed run without accuracy");
                QVERIFY2(r[2].toInt() >= 1, "a completed run without epochs");
                QVERIFY2(r[3].toInt() >= 1, "a completed run without a confusion matrix");
                if (completed.contains(r[0])) {
                    QCOMPARE(r[1], completed[r[0]]);
                } else {
                    completed.insert(r[0], r[1]);
                }
            }
            for (auto it = completed.begin(); it != completed.end(); ++it) {
                QVERIFY2(now.contains(it.key()), "a completed run was lost");
            }
        }
        qInfo("kills survived: %d, completed runs kept: %lld, interrupted runs seen: %d, grids: %d",
              survived, qint64(completed.size()), interruptedSeen, seed + 1);
        QCOMPARE(survived, kills);
        QVERIFY(interruptedSeen > 0);

        // Resume to the end: every cell of every grid completed exactly once.
        auto last = runCli(sweep(), mDir.path(), 600000);
        QCOMPARE(last.exitCode, 0);
        Db db(mDb);
        QCOMPARE(db.rows("PRAGMA integrity_check").value(0).value(0), QString("ok"));
        const auto cells = db.rows(
            "SELECT arch, hidden, fold, seed, COUNT(*) FROM runs WHERE kind = 'trained' "
            "AND sweep_id IS NOT NULL GROUP BY arch, hidden, fold, seed");
        QCOMPARE(cells.size(), 12 * (seed + 1));
        for (const auto& c : cells) {
            QVERIFY2(c[4] == "1", qPrintable("duplicate runs for " + c.join(' ')));
        }
        QCOMPARE(db.rows("SELECT id FROM runs WHERE kind = 'trained' AND sweep_id IS NOT NULL "
                         "AND status = 'completed'")
                     .size(),
                 12 * (seed + 1));
        for (auto it = completed.begin(); it != completed.end(); ++it) {
            const auto row =
                db.rows(qPrintable("SELECT accuracy FROM runs WHERE id = " + it.key()));
            QCOMPARE(row.value(0).value(0), it.value());
        }
    }
};

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
