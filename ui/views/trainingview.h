// Run set-up, Start / Cancel / Sweep, live progress with ETA, curves, and
// the visible run queue.
#pragma once

#include <QWidget>

#include <memory>

#include "vidrnn/config.h"
#include "vidrnn/dataset.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTableView;

namespace vidrnn {
struct SweepGrid;  // vidrnn/sweep.h
}

namespace vidrnn::ui {

class LiveCurves;
class RunQueue;
class RunSetupWidget;
class TrainingJob;
struct JobSpec;

class TrainingView : public QWidget {
    Q_OBJECT
public:
    TrainingView(RunQueue* queue, QWidget* parent = nullptr);

    RunSetupWidget* setup() const { return mSetup; }
    LiveCurves* curves() const { return mCurves; }
    QTableView* queueTable() const { return mQueueTable; }
    QPushButton* startButton() const { return mStart; }
    QPushButton* cancelButton() const { return mCancel; }
    QPushButton* sweepButton() const { return mSweep; }
    QPushButton* reproduceButton() const { return mReproduce; }
    QSplitter* splitter() const { return mSplitter; }

    void setDataset(std::shared_ptr<const Dataset> dataset);
    // Queues a sweep (trained by the engine's worker loop, resumable by the CLI).
    void queueSweep(const SweepGrid& grid, const QString& label);

public Q_SLOTS:
    // Queues one run with the set-up's settings.
    void start();
    void cancel();
    void openSweepDialog();

Q_SIGNALS:
    void reproduceRequested();
    void runStored(qint64 runId);
    void errorOccurred(const QString& title, const QString& message);
    void statusMessage(const QString& message);

private:
    bool checkConfig(const TrainConfig& config);
    void enqueue(JobSpec spec, const QString& label);
    void attach(TrainingJob* job);
    void updateButtons();

    RunQueue* mQueue = nullptr;
    RunSetupWidget* mSetup = nullptr;
    LiveCurves* mCurves = nullptr;
    QLabel* mStage = nullptr;
    QProgressBar* mProgress = nullptr;
    QLabel* mEta = nullptr;
    QTableView* mQueueTable = nullptr;
    QPushButton* mStart = nullptr;
    QPushButton* mCancel = nullptr;
    QPushButton* mSweep = nullptr;
    QPushButton* mReproduce = nullptr;
    QSplitter* mSplitter = nullptr;
    qint64 mCurrentRun = 0;
};

}  // namespace vidrnn::ui
