// The main window driven like a user: the model zoo, the default store with
// the study's rows, a tiny run started with the Start button (live curves,
// the run in the runs table with its stored metrics), Cancel on a long run,
// runs added by another connection showing up, the study's sweep queued, and
// settings kept between sessions.
#include <QtTest>

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTableWidget>

#include "instruments/stallprobe.h"
#include "models/runsmodel.h"
#include "models/storesession.h"
#include "shell/mainwindow.h"
#include "support/qtsupport.h"
#include "testutil.h"
#include "uitest.h"
#include "vidrnn/errors.h"
#include "vidrnn/models.h"
#include "vidrnn/runtime.h"
#include "views/compareview.h"
#include "views/confusionview.h"
#include "views/datasetview.h"
#include "views/runsview.h"
#include "views/trainingview.h"
#include "widgets/livecurves.h"
#include "widgets/runsetupwidget.h"
#include "widgets/sweepdialog.h"
#include "work/datasetloader.h"
#include "work/runqueue.h"
#include "work/trainingjob.h"

#include <ctime>
#include <functional>

#include <nlohmann/json.hpp>

using namespace vidrnn;
using namespace vidrnn::ui;

namespace {

// The runs table row showing run `id` (through the proxy), or -1.
int tableRow(RunsView* view, qint64 id) {
    auto* model = view->table()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(RunsModel::IdRole).toLongLong() == id) {
            return row;
        }
    }
    return -1;
}

QString cell(RunsView* view, int row, int column) {
    return view->table()->model()->index(row, column).data().toString();
}

// Records what the queue's jobs report, connected before each job starts.
struct JobWatch {
    int jobs = 0, epochs = 0, succeeded = 0, cancelled = 0, finished = 0;
    QList<qint64> runs;
    TrainingJob* last = nullptr;

    explicit JobWatch(RunQueue* queue) {
        QObject::connect(queue, &RunQueue::jobStarted, queue, [this](TrainingJob* job) {
            ++jobs;
            last = job;
            QObject::connect(job, &TrainingJob::runStarted, job,
                             [this](int, qint64 id) { runs << id; });
            QObject::connect(job, &TrainingJob::epochFinished, job, [this] { ++epochs; });
            QObject::connect(job, &TrainingJob::succeeded, job, [this] { ++succeeded; });
            QObject::connect(job, &TrainingJob::cancelled, job, [this] { ++cancelled; });
            QObject::connect(job, &TrainingJob::finished, job, [this] { ++finished; });
        });
    }
};

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir mDir;
    QString mDemo;

    MainWindowOptions options(const QString& store) const {
        MainWindowOptions o;
        o.storePath = QDir(mDir.path()).filePath(store);
        o.restoreSettings = false;
        o.saveSettings = false;
        return o;
    }

    // Loads the tiny demo into the window and waits for it.
    void loadDemo(MainWindow& w) {
        QSignalSpy loaded(w.datasetView(), &DatasetView::datasetLoaded);
        w.datasetView()->openPath(mDemo);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        test::isolate(mDir);
        mDemo = test::tinyDemo(mDir);
    }

    // A first start on a store with a finished sweep (after tools/demo.sh):
    // the sweep's data set open, its runs beside the study's rows in
    // Compare, its best run in Results. A store without sweeps stays put.
    void firstStartLandsOnResults() {
        const QString db = QDir(mDir.path()).filePath("land.db");
        QList<qint64> ids;
        {
            auto store = RunStore::open(db.toStdString());
            const auto sweep = store.createSweep("{}", mDemo.toStdString());
            const auto ds = scanDataset(mDemo.toStdString());
            std::atomic<bool> stop{false};
            for (const char* arch : {"gru", "mean_pool"}) {
                auto config = test::tinyConfig(mDemo);
                config.arch = arch;
                const auto features = featuresFor(ds, config, {}, stop);
                const auto r = runExperiment(store, config, ds, features, {}, stop, sweep);
                QCOMPARE(r.status, RunStatus::Completed);
                ids << r.runId;
            }
            store.setSweepStatus(sweep, "completed");
        }
        auto o = options("land.db");
        o.landOnResults = true;
        MainWindow window(o);
        QSignalSpy loaded(window.datasetView(), &DatasetView::datasetLoaded);
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(window.tabs()->currentIndex(), int(MainWindow::CompareTab),
                                  30000);
        const auto shown = window.compareView()->runIds();
        QCOMPARE(shown.size(), ids.size() + 16);  // and the study's rows
        for (qint64 id : ids) {
            QVERIFY(shown.contains(id));
        }
        QVERIFY(ids.contains(window.confusionView()->runId()));
        const auto best = window.session()->run(window.confusionView()->runId());
        QVERIFY(best);
        for (qint64 id : ids) {
            QVERIFY(*best->accuracy >= *window.session()->run(id)->accuracy);
        }
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
        QCOMPARE(QString::fromStdString(window.datasetView()->dataset()->root), mDemo);

        auto none = options("empty-land.db");
        none.landOnResults = true;
        MainWindow empty(none);
        empty.show();
        QTRY_VERIFY_WITH_TIMEOUT(empty.session()->isOpen(), 30000);
        // The landing is a read on the session's reader thread: give it time
        // to come back (and, wrongly, move away from the Data set tab).
        const auto reads = empty.session()->readCount();
        QTRY_VERIFY_WITH_TIMEOUT(reads > 0, 30000);
        QTest::qWait(1500);
        QCOMPARE(empty.tabs()->currentIndex(), int(MainWindow::DataView));
    }

    void showsModelZoo() {
        MainWindow window(options("zoo.db"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* table = window.findChild<QTableWidget*>("modelTable");
        QVERIFY(table);
        QCOMPARE(table->rowCount(), static_cast<int>(architectures().size()));
        QCOMPARE(table->item(0, 0)->text(), QString("LSTM"));
        // Counted off the UI thread.
        QTRY_VERIFY_WITH_TIMEOUT(table->item(4, 4), 30000);
        // lstm 64 and convlstm 512 as in the study (locale-formatted).
        QCOMPARE(QLocale().toLongLong(table->item(0, 1)->text()), 148683LL);
        QCOMPARE(QLocale().toLongLong(table->item(4, 4)->text()), 18882059LL);
    }

    // No --db: experiments.db in the working directory when it exists there,
    // else the one in the XDG data folder (isolate() points it into mDir);
    // the study's 16 rows listed.
    void opensDefaultStoreWithReferenceRows_data() {
        QTest::addColumn<bool>("inWorkingDir");
        QTest::newRow("xdg data folder") << false;
        QTest::newRow("working directory") << true;
    }

    void opensDefaultStoreWithReferenceRows() {
        QFETCH(bool, inWorkingDir);
        QTemporaryDir cwd;
        const QString old = QDir::currentPath();
        QVERIFY(QDir::setCurrent(cwd.path()));
        const QString expected =
            inWorkingDir
                ? QDir(cwd.path()).filePath("experiments.db")
                : QDir(qEnvironmentVariable("XDG_DATA_HOME")).filePath("vidrnn/experiments.db");
        if (inWorkingDir) {
            RunStore::open("experiments.db");
        }
        {
            MainWindowOptions o;
            o.restoreSettings = o.saveSettings = false;
            MainWindow window(o);
            QCOMPARE(QFileInfo(window.session()->path()).canonicalFilePath(),
                     QFileInfo(expected).canonicalFilePath());
            QVERIFY(QFileInfo(expected).isFile());
            QCOMPARE(QFileInfo::exists(QDir(cwd.path()).filePath("experiments.db")), inWorkingDir);
            // The table reads the store off the UI thread: it fills shortly.
            QTRY_COMPARE(window.runsView()->table()->model()->rowCount(), 16);
            const int row = tableRow(window.runsView(), 1);
            QVERIFY(row >= 0);
            QCOMPARE(cell(window.runsView(), row, RunsModel::ColStatus), QString("reference"));
            QCOMPARE(cell(window.runsView(), row, RunsModel::ColParams)
                         .remove(QLocale().groupSeparator()),
                     QString("148683"));
        }
        QDir::setCurrent(old);
    }

    void startTrainsAndStoresTheRun() {
        MainWindow window(options("train.db"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        loadDemo(window);
        auto* training = window.trainingView();
        training->setup()->setConfig(test::tinyConfig(mDemo));
        window.showView(MainWindow::TrainView);
        // The run reads motion, chosen as a user does; the parameter count
        // shown is for the doubled input.
        auto* input = training->setup()->findChild<QComboBox*>("inputCombo");
        QVERIFY(input);
        QCOMPARE(training->setup()->config().input, std::string("appearance"));
        input->setCurrentIndex(input->findData("motion"));
        QCOMPARE(training->setup()->config().input, std::string("motion"));
        auto* params = training->setup()->findChild<QLabel*>("paramsLabel");
        QVERIFY(params);
        QTRY_VERIFY_WITH_TIMEOUT(params->text().contains("512-d features and their change"), 30000);

        JobWatch watch(window.queue());
        QSignalSpy idle(window.queue(), &RunQueue::idle);
        QTest::mouseClick(training->startButton(), Qt::LeftButton);
        QCOMPARE(watch.jobs, 1);
        QCOMPARE(window.queue()->rowCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 300000);
        QCOMPARE(watch.succeeded, 1);
        QCOMPARE(watch.finished, 1);
        QCOMPARE(watch.epochs, 2);
        QCOMPARE(training->curves()->epochPoints(), 2);
        QVERIFY(training->curves()->batchPoints() >= 2);
        QCOMPARE(watch.runs.size(), 1);
        const qint64 runId = watch.runs.front();
        QCOMPARE(window.queue()->index(0, RunQueue::ColRunId).data().toLongLong(), runId);
        QCOMPARE(window.queue()->index(0, RunQueue::ColState).data().toString(),
                 QString("completed"));

        // The runs table shows the run with the metrics the store holds.
        const auto stored =
            RunStore::open(window.session()->path().toStdString(), RunStore::OpenMode::ReadOnly)
                .getRun(runId);
        QVERIFY(stored);
        QCOMPARE(stored->status, RunStatus::Completed);
        QVERIFY(stored->accuracy.has_value());
        QCOMPARE(stored->input, std::string("motion"));
        // The count shown before the run is the count of the model it trained.
        QVERIFY2(params->text().startsWith(formatCount(stored->params) + " trainable"),
                 qPrintable(params->text()));
        // The table reloads off the UI thread: a reload begun while the run
        // was still training shows it "running" until the next one lands.
        auto* runs = window.runsView();
        QTRY_VERIFY(tableRow(runs, runId) >= 0 &&
                    cell(runs, tableRow(runs, runId), RunsModel::ColStatus) == "completed");
        const int row = tableRow(runs, runId);
        QCOMPARE(cell(runs, row, RunsModel::ColType), QString("GRU on motion"));
        QCOMPARE(cell(runs, row, RunsModel::ColHidden), QString("16"));
        QCOMPARE(cell(runs, row, RunsModel::ColAccuracy),
                 QString::number(*stored->accuracy, 'f', 3));
        QCOMPARE(cell(runs, row, RunsModel::ColMacroF1), QString::number(*stored->macroF1, 'f', 3));
        QCOMPARE(cell(runs, row, RunsModel::ColProtocol), QString("random (leaking)"));
        QCOMPARE(cell(runs, row, RunsModel::ColBackbone), QString("resnet18 (not pretrained)"));
        QCOMPARE(QLocale().toLongLong(cell(runs, row, RunsModel::ColParams)),
                 static_cast<long long>(stored->params));

        // Filtering by text keeps it and drops the reference rows.
        runs->filterEdit()->setText("gru 16 random");
        QTRY_COMPARE(runs->table()->model()->rowCount(), 1);
        runs->filterEdit()->clear();
        QTRY_COMPARE(runs->table()->model()->rowCount(), 17);

        // Sorting by accuracy (numbers, not text): the study's 0.800 rows first.
        runs->table()->sortByColumn(RunsModel::ColAccuracy, Qt::DescendingOrder);
        QTRY_COMPARE(cell(runs, 0, RunsModel::ColAccuracy), QString("0.800"));

        // Annotate and delete; the study's rows cannot be deleted.
        QCOMPARE(runs->annotateRuns({runId}, "first try"), 1);
        QTRY_COMPARE(cell(runs, tableRow(runs, runId), RunsModel::ColNote), QString("first try"));
        QSignalSpy error(runs, &RunsView::errorOccurred);
        QCOMPARE(runs->deleteRuns({1}), 0);
        QCOMPARE(error.count(), 1);
        QVERIFY(tableRow(runs, 1) >= 0);
        QCOMPARE(runs->deleteRuns({runId}), 1);
        QTRY_COMPARE(tableRow(runs, runId), -1);
        QVERIFY(
            !RunStore::open(window.session()->path().toStdString(), RunStore::OpenMode::ReadOnly)
                 .getRun(runId));
    }

    // The probe behind `--stall-probe` sees a blocked event loop and tells
    // the UI thread's own work from waiting.
    void stallProbeSeesABlockedLoop() {
        StallProbe probe;
        probe.start();
        QTest::qWait(50);
        // 150 ms of this thread's CPU time (wall time would count waiting on
        // a loaded machine too).
        auto cpuMs = [] {
            timespec ts{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
            return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
        };
        const double start = cpuMs();
        volatile double sink = 0;
        while (cpuMs() - start < 150) {
            sink = sink + 1;
        }
        QTest::qWait(50);
        probe.stop();
        QVERIFY(probe.ticks() >= 3);
        QVERIFY2(probe.maxGapMs() >= 150, qPrintable(probe.summary()));
        QVERIFY2(probe.maxBusyMs() >= 140, qPrintable(probe.summary()));
        QVERIFY(probe.percentileMs(0.5) < probe.maxGapMs());
    }

    void sweepDialogDefaultsToTheStudysGrid() {
        SweepDialog dialog(3, 25);
        QCOMPARE(dialog.archs(), defaultSweepArchs());
        QCOMPARE(dialog.hidden(), defaultSweepHidden());
        QCOMPARE(dialog.folds(), std::vector<int>{3});
        // Every architecture of the default sweep at every size, one fold.
        QCOMPARE(dialog.cellCount(),
                 static_cast<int>(defaultSweepArchs().size() * defaultSweepHidden().size()));
    }

    // A TorchScript backbone is probed off the UI thread and offered as
    // pretrained; a missing file is named in the error.
    void backboneFileIsProbed() {
        RunSetupWidget setup;
        QSignalSpy error(&setup, &RunSetupWidget::errorOccurred);
        const QString missing = QDir(mDir.path()).filePath("missing.pt");
        setup.addBackboneFile(missing);
        QTRY_COMPARE_WITH_TIMEOUT(error.count(), 1, 30000);
        QVERIFY2(error.at(0).at(1).toString().contains(missing),
                 qPrintable(error.at(0).at(1).toString()));
        QCOMPARE(setup.config().backbone, std::string(kPretrainedBackbone));

        const auto shared = test::sharedDir();
        const QString model =
            QString::fromStdString((shared / "models" / "mobilenet_v2_quantized.pt").string());
        if (shared.empty() || !QFileInfo::exists(model)) {
            QSKIP("shared/models/mobilenet_v2_quantized.pt is not here");
        }
        auto* combo = setup.findChild<QComboBox*>("backboneCombo");
        setup.addBackboneFile(model);
        QTRY_COMPARE_WITH_TIMEOUT(setup.config().backbone, model.toStdString(), 60000);
        QVERIFY2(combo->currentText().contains("(pretrained"), qPrintable(combo->currentText()));
    }

    void cancelStopsALongRun() {
        MainWindow window(options("cancel.db"));
        window.show();
        loadDemo(window);
        auto* training = window.trainingView();
        auto config = test::tinyConfig(mDemo);
        config.epochs = 5000;
        training->setup()->setConfig(config);
        JobWatch watch(window.queue());
        QTest::mouseClick(training->startButton(), Qt::LeftButton);
        QCOMPARE(watch.jobs, 1);
        QTRY_VERIFY_WITH_TIMEOUT(watch.epochs >= 1, 300000);
        QVERIFY(training->cancelButton()->isEnabled());
        QTest::mouseClick(training->cancelButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(watch.finished, 1, 60000);
        QCOMPARE(watch.cancelled, 1);
        QCOMPARE(watch.succeeded, 0);
        QCOMPARE(watch.runs.size(), 1);
        const qint64 runId = watch.runs.front();
        const auto run =
            RunStore::open(window.session()->path().toStdString(), RunStore::OpenMode::ReadOnly)
                .getRun(runId);
        QVERIFY(run);
        QCOMPARE(run->status, RunStatus::Cancelled);
        QVERIFY(watch.epochs < 5000);
        QTRY_COMPARE(
            cell(window.runsView(), tableRow(window.runsView(), runId), RunsModel::ColStatus),
            QString("cancelled"));
    }

    // Another process (here: another connection) adds a run; the table
    // follows within the poll interval.
    void followsRunsAddedElsewhere() {
        MainWindow window(options("shared.db"));
        window.session()->setPollInterval(200);
        auto store = RunStore::open(window.session()->path().toStdString());
        RunMeta meta;
        meta.status = RunStatus::Queued;
        meta.classNames = {"a", "b"};
        const auto id = store.createRun(test::tinyConfig(mDemo), meta);
        QTRY_VERIFY_WITH_TIMEOUT(tableRow(window.runsView(), id) >= 0, 10000);
        store.annotate(id, "written elsewhere");
        QTRY_COMPARE_WITH_TIMEOUT(
            cell(window.runsView(), tableRow(window.runsView(), id), RunsModel::ColNote),
            QString("written elsewhere"), 10000);
    }

    // "Reproduce the study" queues the default sweep (6 x 4) on the demo
    // with the CLI demo's settings, recorded as one sweep; Cancel ends it.
    void reproduceQueuesTheStudy() {
        // A sweep the CLI's `vidrnn demo` left unfinished (its spec written by
        // nlohmann::json, as the CLI does): the window resumes it.
        std::int64_t cliSweep = 0;
        {
            TrainConfig base;
            base.dataset = mDemo.toStdString();
            base.backbone = kRandomBackbone;
            base.imageSize = 64;
            base.frames = 12;
            base.split = "groups";
            base.epochs = 15;
            base.batch = 16;
            base.lr = 1e-3;
            base.patience = 5;
            const nlohmann::json spec = {{"archs", defaultSweepArchs()},
                                         {"hidden", defaultSweepHidden()},
                                         {"folds", std::vector<int>{0}},
                                         {"seeds", 1},
                                         {"base", nlohmann::json::parse(toJson(base))}};
            auto store = RunStore::open(QDir(mDir.path()).filePath("study.db").toStdString());
            cliSweep = store.createSweep(spec.dump(), mDemo.toStdString());
            store.setSweepStatus(cliSweep, "interrupted");
        }
        MainWindow window(options("study.db"));
        window.show();
        JobWatch watch(window.queue());
        QSignalSpy idle(window.queue(), &RunQueue::idle);
        window.reproduceStudy(QDir(mDir.path()).filePath("demo"), "tiny");
        QTRY_COMPARE_WITH_TIMEOUT(watch.jobs, 1, 60000);
        const std::size_t grid = defaultSweepArchs().size() * defaultSweepHidden().size();
        QCOMPARE(window.queue()->rowCount(), static_cast<int>(grid));
        auto* job = watch.last;
        const auto& cells = job->spec().cells;
        QCOMPARE(cells.size(), grid);
        QCOMPARE(cells.front().imageSize, 64);
        QCOMPARE(cells.front().frames, 12);
        QCOMPARE(cells.front().split, std::string("groups"));
        QCOMPARE(cells.front().epochs, 15);
        QCOMPARE(cells.front().batch, 16);
        QCOMPARE(cells.front().patience, 5);
        QVERIFY(job->spec().sweep);
        window.trainingView()->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, 120000);
        const auto sweeps =
            RunStore::open(window.session()->path().toStdString(), RunStore::OpenMode::ReadOnly)
                .listSweeps();
        QCOMPARE(sweeps.size(), std::size_t(1));
        QCOMPARE(sweeps.front().id, cliSweep);
        QCOMPARE(sweeps.front().status, std::string("cancelled"));
        for (int row = 0; row < window.queue()->rowCount(); ++row) {
            const auto state = window.queue()->index(row, RunQueue::ColState).data().toString();
            QVERIFY2(state == "cancelled" || state == "completed", qPrintable(state));
        }
    }

    void keepsSettings() {
        auto o = options("settings.db");
        o.restoreSettings = o.saveSettings = true;
        auto config = test::tinyConfig(mDemo);
        config.hidden = 96;
        config.seed = 7;
        {
            MainWindow window(o);
            window.show();
            loadDemo(window);
            window.trainingView()->setup()->setConfig(config);
            window.showView(MainWindow::RunsTab);
            window.close();
        }
        MainWindow again(o);
        const auto restored = again.trainingView()->setup()->config();
        QCOMPARE(restored.hidden, 96);
        QCOMPARE(restored.seed, 7);
        QCOMPARE(restored.arch, std::string("gru"));
        QCOMPARE(again.tabs()->currentIndex(), int(MainWindow::RunsTab));
        QSignalSpy loaded(again.datasetView(), &DatasetView::datasetLoaded);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);  // the last data set reopens
        QCOMPARE(QString::fromStdString(again.datasetView()->dataset()->root), mDemo);
    }

    // Cheap checks before a job starts; messages name the file and the reason.
    void startChecksTheDataSet() {
        const QString missing = QDir(mDir.path()).filePath("nope");
        MainWindow window(options("errors.db"));
        window.trainingView()->setup()->setConfig(test::tinyConfig(missing));
        window.trainingView()->start();
        QVERIFY2(window.lastError().contains(missing + ": no such file"),
                 qPrintable(window.lastError()));
        QCOMPARE(window.queue()->rowCount(), 0);
    }

    // A file that is not a run store: the message names it, shown once the
    // window is; the window still works without a store.
    void badStoreIsReported() {
        const QString bad = QDir(mDir.path()).filePath("bad.db");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'z'));
        f.close();
        MainWindow window(options("bad.db"));
        QVERIFY(!window.session()->isOpen());
        QVERIFY2(window.lastError().startsWith(bad + ": "), qPrintable(window.lastError()));
        window.show();
        QTRY_VERIFY(window.findChild<QMessageBox*>("errorBox"));
        QVERIFY(window.findChild<QMessageBox*>("errorBox")->text().contains(bad));
        QCOMPARE(window.runsView()->table()->model()->rowCount(), 0);
    }

    void openErrorsNameTheFile_data() {
        QTest::addColumn<QString>("path");
        QTest::newRow("missing") << QDir(mDir.path()).filePath("nope");
        QTest::newRow("not a data set") << QDir(mDir.path()).filePath("plain.txt");
        QTest::newRow("empty folder") << QDir(mDir.path()).filePath("empty");
    }
    void openErrorsNameTheFile() {
        QFETCH(QString, path);
        QFile plain(QDir(mDir.path()).filePath("plain.txt"));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.write("hello");
        plain.close();
        QDir(mDir.path()).mkpath("empty");
        MainWindow window(options("errors.db"));
        QSignalSpy failed(window.datasetView()->loader(), &DatasetLoader::failed);
        window.datasetView()->openPath(path);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.startsWith(path + ": ") && message.size() > path.size() + 4,
                 qPrintable(message));
        QCOMPARE(window.lastError(), message);
    }

    // Help > About vidrnn: the versions of vidrnn, Qt, LibTorch, OpenCV and
    // SQLite, and where the run store is.
    void aboutNamesTheVersions() {
        MainWindow window(options("about.db"));
        auto* about = window.findChild<QAction*>("aboutAction");
        QVERIFY(about);
        QString text;
        // The box runs its own event loop: read and close it from there.
        std::function<void()> readBox = [&] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box) {
                QTimer::singleShot(20, &window, readBox);
                return;
            }
            text = box->text();
            box->accept();
        };
        QTimer::singleShot(0, &window, readBox);
        about->trigger();
        QVERIFY(!text.isEmpty());
        QVERIFY2(text.contains(QStringLiteral("<td>Qt</td><td>") + qVersion()), qPrintable(text));
        for (const auto& [name, version] : componentVersions()) {  // vidrnn first
            QVERIFY2(
                text.contains(QString::fromStdString(name + " " + version)) ||
                    text.contains(QString::fromStdString("<td>" + name + "</td><td>" + version)),
                qPrintable(text));
        }
        QVERIFY2(text.contains(QDir(mDir.path()).filePath("about.db")), qPrintable(text));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
