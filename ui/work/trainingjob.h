// A batch of training runs in a worker thread (STYLE §3): the engine's
// callbacks become queued signals; a std::atomic<bool> stop flag goes to
// featuresFor and runExperiment, and for a sweep to workSweep, the engine's
// worker loop that the CLI's sweep runs too. The worker opens its own
// RunStore (one per thread). Signal order: started, then stage/extract/run/progress/epoch
// signals, then exactly one of succeeded, failed or cancelled, and finished
// last, always.
#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/qtsupport.h"
#include "vidrnn/config.h"
#include "vidrnn/dataset.h"
#include "vidrnn/experiment.h"
#include "vidrnn/store.h"
#include "vidrnn/sweep.h"

class QThread;

namespace vidrnn::ui {

struct JobSpec {
    QString storePath;
    // Every cell shares the data set and the feature settings (backbone,
    // frames, image size, device) of the first one. A sweep's cells are
    // sweepCells(*sweep).
    std::vector<TrainConfig> cells;
    // Scanned already (must be cells[0].dataset); scanned in the worker if empty.
    std::shared_ptr<const Dataset> dataset;
    // Recorded as a sweep and trained by the engine's worker loop
    // (workSweep), as the CLI's sweep is: the newest sweep of the same grid
    // on the same data, whichever program started it, is resumed (completed
    // cells are skipped, never repeated; cells another process holds are
    // left to it).
    std::optional<SweepGrid> sweep;
};

// A sweep job over `grid`, its cells in the engine's order.
JobSpec sweepJob(const SweepGrid& grid);

class TrainingJob : public QObject {
    Q_OBJECT
public:
    explicit TrainingJob(JobSpec spec, QObject* parent = nullptr);
    // Stops the worker and waits for it.
    ~TrainingJob() override;

    void start();
    // Thread-safe; the current batch or extraction step ends first.
    void cancel() { mStop = true; }
    bool isCancelling() const { return mStop; }
    const JobSpec& spec() const { return mSpec; }

Q_SIGNALS:
    void started();
    void stageChanged(const QString& text);
    void extractProgress(const vidrnn::ExtractProgress& progress);
    void runStarted(int cell, qint64 runId);
    void progress(const vidrnn::BatchProgress& progress);
    void epochFinished(qint64 runId, const vidrnn::EpochRecord& epoch);
    // status: completed | failed | cancelled | skipped
    void runFinished(int cell, qint64 runId, const QString& status, const QString& message);
    void succeeded(int completed, int failedRuns);
    void failed(const QString& message);
    void cancelled();
    void finished();

private:
    void work();
    // One cell: its features, then runExperiment (with the sweep's id for a sweep).
    ExperimentResult trainCell(int cell, RunStore& store, const Dataset& dataset,
                               FeatureSets& features, const ExperimentCallbacks& callbacks,
                               std::optional<std::int64_t> sweepId);
    // runFinished for a cell this job attempted or found settled.
    void reportCell(int cell, const ExperimentResult& result);

    JobSpec mSpec;
    std::atomic<bool> mStop{false};
    // Worker thread only: the cell being trained and its run, for the
    // signals the engine's callbacks become; this job's counts.
    int mCell = -1;
    std::int64_t mRun = 0;
    int mCompleted = 0, mFailed = 0;
    QThread* mThread = nullptr;
};

}  // namespace vidrnn::ui
