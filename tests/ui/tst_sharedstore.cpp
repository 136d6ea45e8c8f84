// The workbench open on a store while two `vidrnn sweep` processes write to
// it: no lock error anywhere (neither sweep fails, the window reports
// nothing), and the runs table follows the sweeps as they go, without a
// restart, ending with every completed run of both.
#include <signal.h>

#include <QtTest>

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <algorithm>
#include <set>

#include "models/runsmodel.h"
#include "models/storesession.h"
#include "shell/mainwindow.h"
#include "tinysweep.h"
#include "uitest.h"
#include "views/runsview.h"

using namespace vidrnn;
using namespace vidrnn::ui;

namespace {

std::set<qint64> completedInTable(MainWindow& window) {
    return test::completedRuns(*window.runsView()->model());
}

}  // namespace

class TestSharedStore : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    QString mDemo;
    QStringList mData;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        test::isolate(mDir);
        mDemo = test::tinyDemo(mDir);
        mData = test::tinyDataArgs(mDemo, mDir.filePath("cache"));
        // Features first: the sweeps then spend their time training and writing.
        QProcess extract;
        extract.start(QStringLiteral(VIDRNN_CLI), QStringList{"-q", "extract"} + mData);
        QVERIFY(extract.waitForFinished(300000));
        QCOMPARE(extract.exitCode(), 0);
    }

    void twoSweepsWhileTheWindowWatches() {
        const QString db = mDir.filePath("shared.db");
        MainWindowOptions o;
        o.storePath = db;
        o.restoreSettings = false;
        o.saveSettings = false;
        MainWindow window(o);
        window.show();
        QVERIFY(window.session()->isOpen());
        window.session()->setPollInterval(200);
        QSignalSpy storeErrors(window.session(), &StoreSession::errorOccurred);

        // Two grids of 6 runs each, different architectures, one store.
        const QStringList common = {
            "-q", "--threads", "1",      "--db",     db,  "sweep",   "--hidden", "8",          "16",
            "32", "--split",   "random", "--epochs", "4", "--batch", "4",        "--patience", "0"};
        QProcess a;
        QProcess b;
        a.start(QStringLiteral(VIDRNN_CLI), common + QStringList{"--archs", "gru", "lstm"} + mData);
        b.start(QStringLiteral(VIDRNN_CLI),
                common + QStringList{"--archs", "mean_pool", "bilstm"} + mData);
        QVERIFY(a.waitForStarted() && b.waitForStarted());

        // Each time a run completes while both sweeps are alive, both are
        // paused until the table shows it: new runs show up without a
        // restart, step by step, whatever the machine's speed.
        auto watcher = RunStore::open(db.toStdString(), RunStore::OpenMode::ReadOnly);
        const auto completedInStore = [&watcher] {
            std::set<qint64> ids;
            RunFilter f;
            f.kind = RunKind::Trained;
            f.status = RunStatus::Completed;
            for (const RunRecord& r : watcher.listRuns(f)) {
                ids.insert(r.id);
            }
            return ids;
        };
        int steps = 0;
        std::size_t lastSeen = 0;
        QElapsedTimer timer;
        timer.start();
        while ((a.state() != QProcess::NotRunning || b.state() != QProcess::NotRunning) &&
               timer.elapsed() < 600000) {
            QTest::qWait(50);
            const auto done = completedInStore();
            if (done.size() == lastSeen || a.state() == QProcess::NotRunning ||
                b.state() == QProcess::NotRunning) {
                continue;
            }
            const auto shown = [&] {
                const auto table = completedInTable(window);
                return std::includes(table.begin(), table.end(), done.begin(), done.end());
            };
            ::kill(pid_t(a.processId()), SIGSTOP);
            ::kill(pid_t(b.processId()), SIGSTOP);
            const bool followed = QTest::qWaitFor(shown, 10000);
            ::kill(pid_t(a.processId()), SIGCONT);
            ::kill(pid_t(b.processId()), SIGCONT);
            QVERIFY2(followed, "the table did not show a run completed by a sweep");
            lastSeen = done.size();
            ++steps;
        }
        QCOMPARE(a.exitStatus(), QProcess::NormalExit);
        QCOMPARE(b.exitStatus(), QProcess::NormalExit);
        const QByteArray errors = a.readAllStandardError() + b.readAllStandardError();
        QVERIFY2(a.exitCode() == 0 && b.exitCode() == 0, errors.constData());
        QVERIFY2(!errors.contains("locked") && !errors.contains("busy"), errors.constData());

        // Every run of both sweeps, completed, in the table.
        auto store = RunStore::open(db.toStdString(), RunStore::OpenMode::ReadOnly);
        RunFilter trained;
        trained.kind = RunKind::Trained;
        std::set<qint64> stored;
        for (const RunRecord& r : store.listRuns(trained)) {
            QCOMPARE(r.status, RunStatus::Completed);
            stored.insert(r.id);
        }
        QCOMPARE(stored.size(), std::size_t(12));
        QTRY_COMPARE_WITH_TIMEOUT(completedInTable(window), stored, 10000);
        QVERIFY2(steps >= 3,
                 qPrintable(QString("followed %1 steps while both sweeps ran").arg(steps)));
        QVERIFY(storeErrors.isEmpty());
        QVERIFY2(window.lastError().isEmpty(), qPrintable(window.lastError()));
        qInfo("two sweeps, 12 runs; the table followed %d steps while both ran", steps);
    }
};

QTEST_MAIN(TestSharedStore)
#include "tst_sharedstore.moc"
