#include "shell/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QThreadPool>
#include <QTimer>

#include <algorithm>
#include <optional>
#include <utility>

#include "models/storesession.h"
#include "shell/about.h"
#include "shell/reportexport.h"
#include "support/qtsupport.h"
#include "vidrnn/demo.h"
#include "vidrnn/experiment.h"
#include "vidrnn/runtime.h"
#include "vidrnn/splits.h"
#include "vidrnn/sweep.h"
#include "views/compareview.h"
#include "views/confusionview.h"
#include "views/datasetview.h"
#include "views/modelzooview.h"
#include "views/runsview.h"
#include "views/scrubberview.h"
#include "views/sweepview.h"
#include "views/trainingview.h"
#include "widgets/runsetupwidget.h"
#include "widgets/storedialog.h"
#include "work/datasetloader.h"
#include "work/runqueue.h"

namespace vidrnn::ui {

MainWindow::MainWindow(QWidget* parent) : MainWindow(MainWindowOptions{}, parent) {}

MainWindow::MainWindow(const MainWindowOptions& options, QWidget* parent)
    : QMainWindow(parent), mOptions(options) {
    setWindowTitle(tr("vidrnn workbench"));
    // Decoding, prediction and scans share the global pool; training has its
    // own thread. Two cores would leave one pool thread only.
    QThreadPool::globalInstance()->setMaxThreadCount(std::max(4, QThread::idealThreadCount()));
    qRegisterMetaType<vidrnn::BatchProgress>();
    qRegisterMetaType<vidrnn::EpochRecord>();
    qRegisterMetaType<vidrnn::ExtractProgress>();
    build();
    createMenus();
    connectViews();
    resize(1280, 800);
    const bool firstStart = !mOptions.restoreSettings || !QSettings().contains("window/tab");
    if (mOptions.restoreSettings) {
        readSettings();
    }
    if (mOptions.landOnResults && firstStart) {
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(mSession, &StoreSession::runsChanged, this, [this, once] {
            disconnect(*once);
            landOnResults();
        });
    }
    openFirstStore(qs(resolveStorePath(ss(mOptions.storePath))));
    if (!mOptions.dataPath.isEmpty()) {
        mDataset->openPath(mOptions.dataPath);
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::build() {
    mSession = new StoreSession(this);
    mQueue = new RunQueue(this);
    mTabs = new QTabWidget(this);
    mTabs->setObjectName("mainTabs");
    mDataset = new DatasetView(mTabs);
    mTraining = new TrainingView(mQueue, mTabs);
    mRuns = new RunsView(mSession, mTabs);
    mSweep = new SweepView(mSession, mTabs);
    mCompare = new CompareView(mSession, mTabs);
    mConfusion = new ConfusionView(mSession, mTabs);
    mScrubber = new ScrubberView(mSession, mTabs);
    mModels = new ModelZooView(mTabs);
    mTabs->addTab(mDataset, tr("Data set"));
    mTabs->addTab(mTraining, tr("Train"));
    mTabs->addTab(mRuns, tr("Runs"));
    mTabs->addTab(mSweep, tr("Sweep"));
    mTabs->addTab(mCompare, tr("Compare"));
    mTabs->addTab(mConfusion, tr("Results"));
    mTabs->addTab(mScrubber, tr("Scrubber"));
    mTabs->addTab(mModels, tr("Models"));
    setCentralWidget(mTabs);

    const auto info = runtimeInfo();
    mStoreLabel = new QLabel(this);
    mStoreLabel->setObjectName("storeLabel");
    mQueueLabel = new QLabel(this);
    statusBar()->addPermanentWidget(mQueueLabel);
    statusBar()->addPermanentWidget(mStoreLabel);
    statusBar()->addPermanentWidget(
        new QLabel(tr("LibTorch %1 · %2 threads · %3")
                       .arg(qs(info.torchVersion))
                       .arg(info.threads)
                       .arg(info.cudaAvailable ? tr("CUDA: %1 device(s)").arg(info.cudaDevices)
                                               : tr("CPU only")),
                   this));
}

QTableWidget* MainWindow::modelTable() const {
    return mModels->table();
}

QString MainWindow::viewName(View view) {
    static const char* names[] = {"dataset", "train",   "runs",     "sweep",
                                  "compare", "results", "scrubber", "models"};
    return QString::fromLatin1(names[view]);
}

void MainWindow::showView(View view) {
    mTabs->setCurrentIndex(static_cast<int>(view));
}

void MainWindow::createMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open data set &folder…"), QKeySequence::Open, mDataset,
                    &DatasetView::chooseFolder);
    file->addAction(tr("Open &manifest…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), mDataset,
                    &DatasetView::chooseManifest);
    file->addAction(tr("&Demo data…"), mDataset, &DatasetView::chooseDemo);
    file->addSeparator();
    file->addAction(tr("Open run &store…"), this, &MainWindow::chooseStore);
    file->addAction(tr("Open &video in the scrubber…"), QKeySequence(Qt::CTRL | Qt::Key_L), this,
                    [this] {
                        showView(ScrubView);
                        mScrubber->chooseVideo();
                    });
    file->addAction(tr("Export &report…"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                    &MainWindow::chooseReportFolder);
    file->addAction(tr("Export runs &table…"), mRuns, &RunsView::chooseTableExport);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    auto* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(tr("&Start"), QKeySequence(Qt::CTRL | Qt::Key_R), mTraining, [this] {
        showView(TrainView);
        mTraining->start();
    });
    run->addAction(tr("&Cancel"), QKeySequence(Qt::CTRL | Qt::Key_Period), mTraining,
                   &TrainingView::cancel);
    run->addAction(tr("S&weep…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), mTraining,
                   &TrainingView::openSweepDialog);
    run->addAction(tr("Rerun and chec&k the selected run…"), mRuns, &RunsView::rerunSelected);
    run->addAction(tr("Reproduce the &study"), this, [this] { reproduceStudy(); });
    run->addAction(tr("Study &protocol on the demo data"), this,
                   [this] { reproduceStudy(QString(), QStringLiteral("small"), true); });

    auto* view = menuBar()->addMenu(tr("&View"));
    for (int v = DataView; v <= ModelsView; ++v) {
        auto* a =
            view->addAction(mTabs->tabText(v), this, [this, v] { showView(static_cast<View>(v)); });
        a->setShortcut(QKeySequence(Qt::ALT | static_cast<Qt::Key>(Qt::Key_1 + v)));
    }
    view->addSeparator();
    view->addAction(tr("&Refresh runs"), QKeySequence::Refresh, mSession, &StoreSession::refresh);

    auto* help = menuBar()->addMenu(tr("&Help"));
    auto* about = help->addAction(tr("&About vidrnn"), this, [this] {
        QMessageBox::about(this, tr("About vidrnn"), aboutText(mSession->path()));
    });
    about->setObjectName("aboutAction");
    about->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
        ->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::connectViews() {
    auto error = [this](const QString& t, const QString& m) { showError(t, m); };
    auto status = [this](const QString& m) { statusBar()->showMessage(m, 8000); };
    connect(mDataset, &DatasetView::errorOccurred, this, error);
    connect(mDataset, &DatasetView::statusMessage, this, status);
    connect(mDataset, &DatasetView::datasetLoaded, this, &MainWindow::onDatasetLoaded);
    connect(mDataset->loader(), &DatasetLoader::failed, this, [this] { mReproduceDir.clear(); });
    connect(mDataset->loader(), &DatasetLoader::cancelled, this, [this] { mReproduceDir.clear(); });
    connect(mDataset, &DatasetView::openInScrubber, this, [this](const QString& path) {
        mScrubber->setVideo(path);
        showView(ScrubView);
    });
    connect(mTraining, &TrainingView::errorOccurred, this, error);
    connect(mTraining, &TrainingView::statusMessage, this, status);
    connect(mTraining, &TrainingView::runStored, mSession, &StoreSession::refresh);
    connect(mTraining, &TrainingView::reproduceRequested, this, [this] { reproduceStudy(); });
    connect(mRuns, &RunsView::errorOccurred, this, error);
    connect(mRuns, &RunsView::compareRequested, this, [this](const QList<qint64>& ids) {
        mCompare->setRunIds(ids);
        showView(CompareTab);
    });
    connect(mRuns, &RunsView::confusionRequested, this, [this](qint64 id) {
        mConfusion->setRunId(id);
        showView(ResultsView);
    });
    connect(mRuns, &RunsView::scrubRequested, this, [this](qint64 id) {
        mScrubber->setRuns(id, 0);
        showView(ScrubView);
    });
    connect(mRuns, &RunsView::reportRequested, this, &MainWindow::chooseReportFolder);
    connect(mConfusion, &ConfusionView::openClip, this, [this](const QString& path, qint64 runId) {
        mScrubber->setVideo(path);
        mScrubber->setRuns(runId, mScrubber->runB());
        showView(ScrubView);
        mScrubber->predict();
    });
    connect(mScrubber, &ScrubberView::errorOccurred, this, error);
    connect(mSession, &StoreSession::errorOccurred, this,
            [this](const QString& m) { showError(tr("Run store"), m); });
    connect(mSession, &StoreSession::opened, this, &MainWindow::storeOpened);
    connect(mSession, &StoreSession::openFailed, this, [this](const QString&, const QString& m) {
        showError(tr("Cannot open the run store"), m);
    });
    connect(mQueue, &RunQueue::countsChanged, this, &MainWindow::updateQueueLabel);
    mQueue->setStorePath(qs(resolveStorePath(ss(mOptions.storePath))));
}

void MainWindow::updateQueueLabel() {
    const int n = mQueue->pendingRuns();
    mQueueLabel->setText(n ? tr("queue: %n run(s)", nullptr, n) : tr("queue empty"));
}

void MainWindow::openFirstStore(const QString& path) {
    // Until it is open, the location as given (a URL with a password, which
    // the engine refuses, is never shown).
    mStoreLabel->setText(StoreDialog::problem(path).isEmpty() ? tr("store: %1").arg(path)
                                                              : tr("store: not open"));
    mQueue->setStorePath(path);
    try {
        mSession->open(path);
    } catch (const std::exception& e) {
        showError(tr("Cannot open the run store"), qs(e.what()));
    }
    updateQueueLabel();
}

void MainWindow::storeOpened() {
    // A URL is shown as given: the engine refuses one that carries a password.
    const QString location = mSession->path();
    mStoreLabel->setText(
        tr("store: %1")
            .arg(StoreDialog::isUrl(location) ? location : QFileInfo(location).absoluteFilePath()));
    mQueue->setStorePath(location);
    updateQueueLabel();
}

void MainWindow::openStore(const QString& location) {
    if (const QString problem = StoreDialog::problem(location); !problem.isEmpty()) {
        showError(tr("Cannot open the run store"), problem);  // the URL itself stays unshown
        return;
    }
    statusBar()->showMessage(tr("Opening %1…").arg(location));
    mSession->openInBackground(location);
}

void MainWindow::chooseStore() {
    StoreDialog dialog(mSession->path(), this);
    if (dialog.exec() == QDialog::Accepted) {
        openStore(dialog.location());
    }
}

void MainWindow::onDatasetLoaded(std::shared_ptr<const Dataset> dataset) {
    mTraining->setDataset(dataset);
    if (mReproduceDir.isEmpty() ||
        QDir(mReproduceDir).absolutePath() != QDir(qs(dataset->root)).absolutePath()) {
        return;
    }
    mReproduceDir.clear();
    // The CLI demo's grid and settings (vidrnn demo [--study]), so either
    // program resumes the other's sweep; with the protocol, Compare then
    // shows the rows with their intervals and pairs them.
    TrainConfig base = withPreset("demo", TrainConfig{});
    base.dataset = dataset->root;
    const bool protocol = std::exchange(mReproduceProtocol, false);
    const SweepGrid grid = demoSweepGrid(base, *dataset, protocol);
    mTraining->setup()->setConfig(grid.base);
    mTraining->queueSweep(grid, protocol ? tr("the study protocol") : tr("the study"));
    showView(TrainView);
}

namespace {
// What the first start lands on: the newest sweep with completed runs.
struct Landing {
    std::optional<SweepRecord> sweep;
    QList<qint64> measured;   // its completed runs
    QList<qint64> reference;  // the study's rows
    qint64 best = 0;
};
}  // namespace

void MainWindow::landOnResults() {
    mSession->read<Landing>(
        this,
        [](const RunStore& store) {
            Landing out;
            auto sweeps = store.listSweeps();
            std::sort(sweeps.begin(), sweeps.end(),
                      [](const SweepRecord& a, const SweepRecord& b) { return a.id > b.id; });
            for (const auto& sweep : sweeps) {
                RunFilter filter;
                filter.sweepId = sweep.id;
                filter.status = RunStatus::Completed;
                std::optional<double> bestAccuracy;
                for (const auto& r : store.listRuns(filter)) {
                    out.measured << r.id;
                    if (r.accuracy && (!bestAccuracy || *r.accuracy > *bestAccuracy)) {
                        bestAccuracy = r.accuracy;
                        out.best = r.id;
                    }
                }
                if (out.measured.isEmpty()) {
                    continue;
                }
                RunFilter reference;
                reference.kind = RunKind::Reference;
                for (const auto& r : store.listRuns(reference)) {
                    out.reference << r.id;
                }
                out.sweep = sweep;
                break;
            }
            return out;
        },
        [this](Landing landing, const QString& error) {
            if (!error.isEmpty() || !landing.sweep) {
                return;  // a store error is reported by the views that read it
            }
            const QString data = qs(landing.sweep->dataset);
            if (mOptions.dataPath.isEmpty() && !data.isEmpty() && QFileInfo::exists(data)) {
                mDataset->openPath(data);
            }
            mCompare->setRunIds(landing.measured + landing.reference);
            if (landing.best != 0) {
                mConfusion->setRunId(landing.best);
            }
            showView(CompareTab);
            statusBar()->showMessage(
                tr("Sweep %1 on %2: %3 completed runs beside the study's rows%4")
                    .arg(landing.sweep->id)
                    .arg(QDir::toNativeSeparators(data))
                    .arg(landing.measured.size())
                    .arg(landing.best != 0 ? tr("; best: run %1 (Results)").arg(landing.best)
                                           : QString()),
                20000);
        });
}

void MainWindow::reproduceStudy(const QString& demoDir, const QString& preset, bool protocol) {
    const QString dir =
        QDir::current().absoluteFilePath(demoDir.isEmpty() ? QStringLiteral("demo-data") : demoDir);
    if (mDataset->loader()->isBusy()) {
        showError(tr("Reproduce the study"),
                  tr("A data set is being loaded; try again when it is done."));
        return;
    }
    mReproduceDir = dir;
    mReproduceProtocol = protocol;
    showView(DataView);
    mDataset->generateDemo(dir, preset);
}

void MainWindow::chooseReportFolder() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Export the report into"), QDir::currentPath());
    if (dir.isEmpty()) {
        return;
    }
    QStringList files;
    const QString error = exportReportTo(dir, &files);
    if (!error.isEmpty()) {
        showError(tr("Export failed"), error);
    } else {
        statusBar()->showMessage(
            tr("Report: %n file(s) in %1 (report.tex, index.md); charts at %2, as last exported",
               nullptr, static_cast<int>(files.size()))
                .arg(dir, ChartSize::load().text()),
            10000);
    }
}

QString MainWindow::exportReportTo(const QString& dir, QStringList* files) {
    return exportReportTo(dir, ChartSize::load(), files);
}

QString MainWindow::exportReportTo(const QString& dir, const ChartSize& size, QStringList* files) {
    // The runs selected in the Runs view, else what Compare shows now.
    const QList<qint64> selected = mRuns->selectedRunIds();
    if (!selected.isEmpty()) {
        mCompare->setRunIds(selected);
    }
    ReportContent content;
    content.compare = mCompare;
    content.confusion = mConfusion;
    content.size = size;
    return exportReport(dir, content, files);
}

void MainWindow::showError(const QString& title, const QString& message) {
    mLastError = message;
    statusBar()->showMessage(message, 15000);
    if (!isVisible()) {
        // Before the window is shown (a store that fails to open at start):
        // the first show presents it.
        mPendingErrors.append({title, message});
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Critical, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName("errorBox");
    box->open();
}

void MainWindow::readSettings() {
    QSettings s;
    restoreGeometry(s.value("window/geometry").toByteArray());
    restoreState(s.value("window/state").toByteArray());
    for (auto* splitter : findChildren<QSplitter*>()) {
        if (!splitter->objectName().isEmpty()) {
            splitter->restoreState(s.value("splitters/" + splitter->objectName()).toByteArray());
        }
    }
    const QString config = s.value("run/config").toString();
    if (!config.isEmpty()) {
        try {
            mTraining->setup()->setConfig(trainConfigFromJson(ss(config)));
        } catch (const std::exception&) {
            // An unreadable saved config: keep the defaults.
        }
    }
    mTabs->setCurrentIndex(s.value("window/tab", 0).toInt());
    const QString last = s.value("data/last").toString();
    if (mOptions.dataPath.isEmpty() && !last.isEmpty() && QFileInfo::exists(last)) {
        mDataset->openPath(last);
    }
}

void MainWindow::writeSettings() const {
    QSettings s;
    s.setValue("window/geometry", saveGeometry());
    s.setValue("window/state", saveState());
    s.setValue("window/tab", mTabs->currentIndex());
    for (auto* splitter : findChildren<QSplitter*>()) {
        if (!splitter->objectName().isEmpty()) {
            s.setValue("splitters/" + splitter->objectName(), splitter->saveState());
        }
    }
    s.setValue("run/config", qs(toJson(mTraining->setup()->config())));
    if (const auto ds = mDataset->dataset()) {
        s.setValue("data/last", qs(ds->root));
    }
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    const auto pending = std::exchange(mPendingErrors, {});
    for (const auto& [title, message] : pending) {
        QTimer::singleShot(0, this, [this, title, message] { showError(title, message); });
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (mOptions.saveSettings) {
        writeSettings();
    }
    // A running batch stops at its next step and is recorded as cancelled.
    mQueue->cancelCurrent();
    event->accept();
}

}  // namespace vidrnn::ui
