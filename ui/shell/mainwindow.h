// The workbench's main window: data set, training, runs, sweep, comparison,
// results, scrubber and model zoo views over one run store (a SQLite file or
// a PostgreSQL database).
#pragma once

#include <QMainWindow>

#include <memory>

#include "charts/exporter.h"
#include "vidrnn/dataset.h"

class QLabel;
class QTabWidget;
class QTableWidget;

namespace vidrnn::ui {

class CompareView;
class ConfusionView;
class DatasetView;
class ModelZooView;
class RunQueue;
class RunsView;
class ScrubberView;
class StoreSession;
class SweepView;
class TrainingView;

struct MainWindowOptions {
    QString storePath;            // "" = vidrnn::defaultStorePath() (./ or XDG data)
    QString dataPath;             // a data set to open at start ("" = the last one, if any)
    bool restoreSettings = true;  // geometry, layout, last data set and config
    bool saveSettings = true;
    // A first start (no saved view, or settings not restored): once the runs
    // are read, open the newest sweep's data set, compare its runs with the
    // study's rows and show its best run in Results (the main job's results).
    bool landOnResults = false;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum View {
        DataView,
        TrainView,
        RunsTab,
        SweepTab,
        CompareTab,
        ResultsView,
        ScrubView,
        ModelsView
    };

    explicit MainWindow(QWidget* parent = nullptr);
    explicit MainWindow(const MainWindowOptions& options, QWidget* parent = nullptr);
    ~MainWindow() override;

    QTableWidget* modelTable() const;
    QTabWidget* tabs() const { return mTabs; }
    DatasetView* datasetView() const { return mDataset; }
    TrainingView* trainingView() const { return mTraining; }
    RunsView* runsView() const { return mRuns; }
    SweepView* sweepView() const { return mSweep; }
    CompareView* compareView() const { return mCompare; }
    ConfusionView* confusionView() const { return mConfusion; }
    ScrubberView* scrubberView() const { return mScrubber; }
    RunQueue* queue() const { return mQueue; }
    StoreSession* session() const { return mSession; }
    QString lastError() const { return mLastError; }

    void showView(View view);
    static QString viewName(View view);

public Q_SLOTS:
    // Generates the demo data (if missing, with progress here) and queues the
    // default sweep with the CLI demo's settings; with `protocol`, the study
    // protocol instead (as `vidrnn demo --study`).
    void reproduceStudy(const QString& demoDir = QString(),
                        const QString& preset = QStringLiteral("small"), bool protocol = false);
    void chooseReportFolder();
    // File > Export report into `dir` without asking: the Runs view's
    // selection (else what Compare shows) at the last chart size. Returns ""
    // or the error naming the file.
    QString exportReportTo(const QString& dir, QStringList* files = nullptr);
    // At a given chart size (the headless --export-size), not the last one used.
    QString exportReportTo(const QString& dir, const ChartSize& size, QStringList* files);
    // File > Open run store: a file or a postgresql:// URL, then openStore.
    void chooseStore();
    // Opens a SQLite file or a postgresql:// URL off the UI thread and
    // switches every view to it; when it cannot be opened, an error names
    // the file or server and the reason, and the store open before stays.
    void openStore(const QString& location);
    // A window-modal message naming the file and the reason; never blocks.
    void showError(const QString& title, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void build();
    void createMenus();
    void connectViews();
    void readSettings();
    void writeSettings() const;
    void onDatasetLoaded(std::shared_ptr<const Dataset> dataset);
    // See MainWindowOptions::landOnResults. Reads the store on the session's
    // reader thread; stays where it is when the store has no sweep with
    // completed runs.
    void landOnResults();
    void updateQueueLabel();
    // The first store, opened before the window shows (errors wait for it).
    void openFirstStore(const QString& path);
    void storeOpened();

    MainWindowOptions mOptions;
    StoreSession* mSession = nullptr;
    RunQueue* mQueue = nullptr;
    QTabWidget* mTabs = nullptr;
    DatasetView* mDataset = nullptr;
    TrainingView* mTraining = nullptr;
    RunsView* mRuns = nullptr;
    SweepView* mSweep = nullptr;
    CompareView* mCompare = nullptr;
    ConfusionView* mConfusion = nullptr;
    ScrubberView* mScrubber = nullptr;
    ModelZooView* mModels = nullptr;
    QLabel* mStoreLabel = nullptr;
    QLabel* mQueueLabel = nullptr;
    QString mLastError;
    QList<QPair<QString, QString>> mPendingErrors;
    QString mReproduceDir;            // set while "Reproduce the study" waits for its data
    bool mReproduceProtocol = false;  // ... as the study protocol (folds x seeds)
};

}  // namespace vidrnn::ui
