// Results > Rerun and check: from the runs table, a run trained again from
// its stored record off the UI thread is reported identical to the last bit;
// another precision (or thread count) shows the numbers that moved and the
// provenance that differs; refusals (bf16 this CPU cannot compute, a data
// set that no longer holds the run's clips) name the reason.
#include <QtTest>

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>

#include <filesystem>

#include "models/storesession.h"
#include "uitest.h"
#include "vidrnn/precision.h"
#include "views/runsview.h"
#include "widgets/rerundialog.h"

using namespace vidrnn;
using namespace vidrnn::ui;

class TestRerun : public QObject {
    Q_OBJECT
private:
    QTemporaryDir mDir;
    QString mDemo;
    QString mStore;
    qint64 mRun = 0;

    // The runs table on the store with `id` selected, its rerun dialog open.
    struct Opened {
        std::unique_ptr<StoreSession> session;
        std::unique_ptr<RunsView> view;
        RerunDialog* dialog = nullptr;
    };
    Opened openFor(const QString& store, qint64 id) {
        Opened o;
        o.session = std::make_unique<StoreSession>();
        o.session->open(store);
        o.view = std::make_unique<RunsView>(o.session.get());
        o.view->resize(1100, 500);
        o.view->show();
        const bool loaded = QTest::qWaitFor(
            [&] { return test::completedRuns(*o.view->model()).count(id) == 1; }, 10000);
        if (!loaded) {
            return o;
        }
        o.view->selectRuns({id});
        auto* button = o.view->findChild<QPushButton*>("rerunRun");
        if (!button || !button->isEnabled()) {
            return o;
        }
        button->click();
        o.dialog = o.view->findChild<RerunDialog*>("rerunDialog");
        return o;
    }

    // Starts the dialog's rerun and waits until it is idle again.
    static bool runToEnd(RerunDialog* dialog) {
        QSignalSpy done(dialog, &RerunDialog::done);
        dialog->startButton()->click();
        if (!dialog->isRunning() || dialog->startButton()->isEnabled()) {
            return false;  // it must run in the background, the button disabled
        }
        return done.wait(180000);
    }

    // VIDRNN_TEST_SCREENSHOTS=folder keeps an image of the dialog.
    static void keepImage(QWidget* w, const QString& name) {
        const QString folder = qEnvironmentVariable("VIDRNN_TEST_SCREENSHOTS");
        if (!folder.isEmpty()) {
            QDir().mkpath(folder);
            QVERIFY(w->grab().save(QDir(folder).filePath(name)));
        }
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        test::isolate(mDir);
        mDemo = test::tinyDemo(mDir);
        mStore = QDir(mDir.path()).filePath("rerun.db");
        auto config = test::tinyConfig(mDemo);
        config.precision = "fp32";
        mRun = test::trainDirect(mStore, config);
        QVERIFY(mRun > 0);
    }

    void identical() {
        auto o = openFor(mStore, mRun);
        QVERIFY(o.dialog);
        QVERIFY(o.dialog->isVisible());
        QVERIFY(runToEnd(o.dialog));
        QVERIFY(o.dialog->check());
        const auto& check = *o.dialog->check();
        QCOMPARE(check.original, mRun);
        QVERIFY(check.rerun > mRun);
        QVERIFY2(check.identical(), o.dialog->details()->toPlainText().toUtf8().constData());
        QVERIFY(o.dialog->verdictLabel()->text().contains("Identical"));
        QVERIFY(o.dialog->details()->toPlainText().contains(": identical"));
        // The rerun is a run of the store, noted as such.
        auto store = RunStore::open(mStore.toStdString(), RunStore::OpenMode::ReadOnly);
        const auto rerun = store.getRun(check.rerun);
        QVERIFY(rerun);
        QCOMPARE(rerun->status, RunStatus::Completed);
        QVERIFY(QString::fromStdString(rerun->note).contains(QString("rerun of run %1").arg(mRun)));
        keepImage(o.dialog, "rerun-identical.png");
        keepImage(o.view.get(), "rerun-runs-view.png");
    }

    // bf16 where the CPU has it (the numbers move), else another thread count
    // (the provenance says so even where the numbers do not move).
    void differentSettings() {
        auto o = openFor(mStore, mRun);
        QVERIFY(o.dialog);
        const bool bf16 = nativeBf16().available();
        auto store = RunStore::open(mStore.toStdString(), RunStore::OpenMode::ReadOnly);
        const std::string ranThreads = store.getRun(mRun)->provenance.threads;
        const QString threads = ranThreads == "1" ? "2" : "1";
        if (bf16) {
            o.dialog->precisionCombo()->setCurrentIndex(
                o.dialog->precisionCombo()->findData(QStringLiteral("bf16")));
        } else {
            o.dialog->threadsSpin()->setValue(threads.toInt());
        }
        QVERIFY(runToEnd(o.dialog));
        QVERIFY(o.dialog->check());
        const QString text = o.dialog->details()->toPlainText();
        if (bf16) {
            QVERIFY2(!o.dialog->check()->identical(), text.toUtf8().constData());
            QVERIFY2(text.contains("epoch 1 train loss"), text.toUtf8().constData());
            QVERIFY2(text.contains("precision: fp32 vs bf16"), text.toUtf8().constData());
            QVERIFY(o.dialog->verdictLabel()->text().contains("difference"));
        } else {
            QVERIFY2(
                text.contains(
                    QString("threads: %1 vs %2").arg(QString::fromStdString(ranThreads), threads)),
                text.toUtf8().constData());
        }
        keepImage(o.dialog, "rerun-differences.png");
    }

    void refusesBf16WithoutNativeBf16() {
        qputenv("VIDRNN_NATIVE_BF16", "0");
        auto o = openFor(mStore, mRun);
        QVERIFY(o.dialog);
        o.dialog->precisionCombo()->setCurrentIndex(
            o.dialog->precisionCombo()->findData(QStringLiteral("bf16")));
        const bool ended = runToEnd(o.dialog);
        qunsetenv("VIDRNN_NATIVE_BF16");
        QVERIFY(ended);
        QVERIFY(!o.dialog->check());
        QVERIFY(o.dialog->verdictLabel()->text().contains("Cannot rerun"));
        const QString text = o.dialog->details()->toPlainText();
        QVERIFY2(text.contains(QString("cannot rerun run %1").arg(mRun)),
                 text.toUtf8().constData());
        QVERIFY2(text.contains("cannot compute it here"), text.toUtf8().constData());
        QVERIFY2(text.contains("bf16"), text.toUtf8().constData());
    }

    // A data set that lost a clip since the run: refused, the fingerprints named.
    void refusesChangedData() {
        QTemporaryDir other;
        QVERIFY(other.isValid());
        const QString demo = test::tinyDemo(other);
        const QString storePath = QDir(other.path()).filePath("changed.db");
        const qint64 id = test::trainDirect(storePath, test::tinyConfig(demo));
        QVERIFY(id > 0);
        const auto scanned = scanDataset(demo.toStdString());
        QVERIFY(!scanned.clips.empty());
        QVERIFY(std::filesystem::remove(scanned.clips.back().path));
        auto o = openFor(storePath, id);
        QVERIFY(o.dialog);
        QVERIFY(runToEnd(o.dialog));
        QVERIFY(!o.dialog->check());
        const QString text = o.dialog->details()->toPlainText();
        QVERIFY2(text.contains("no longer holds the clips"), text.toUtf8().constData());
        QVERIFY2(text.contains("fingerprint"), text.toUtf8().constData());
        keepImage(o.dialog, "rerun-refused.png");
    }

    // A reference row or a run that did not complete has nothing to rerun.
    void notForOtherRuns() {
        StoreSession session;
        session.open(mStore);
        RunsView view(&session);
        QSignalSpy errors(&view, &RunsView::errorOccurred);
        QVERIFY(!view.openRerunDialog(987654));
        QCOMPARE(errors.size(), 1);
    }
};

QTEST_MAIN(TestRerun)
#include "tst_rerun.moc"
