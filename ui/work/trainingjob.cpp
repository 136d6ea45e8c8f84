#include "work/trainingjob.h"

#include <QThread>

#include "vidrnn/errors.h"
#include "vidrnn/experiment.h"
#include "vidrnn/models.h"
#include "vidrnn/provenance.h"
#include "work/background.h"

namespace vidrnn::ui {

JobSpec sweepJob(const SweepGrid& grid) {
    JobSpec spec;
    spec.sweep = grid;
    spec.cells = sweepCells(grid);
    return spec;
}

TrainingJob::TrainingJob(JobSpec spec, QObject* parent) : QObject(parent), mSpec(std::move(spec)) {}

TrainingJob::~TrainingJob() {
    mStop = true;
    if (mThread) {
        mThread->wait();
        delete mThread;
    }
}

void TrainingJob::start() {
    if (mThread) {
        return;
    }
    mThread = QThread::create([this] { work(); });
    mThread->setObjectName("vidrnn-training");
    mThread->start(QThread::LowPriority);
}

ExperimentResult TrainingJob::trainCell(int cell, RunStore& store, const Dataset& dataset,
                                        FeatureSets& features, const ExperimentCallbacks& callbacks,
                                        std::optional<std::int64_t> sweepId) {
    mCell = cell;
    mRun = 0;
    const TrainConfig& c = mSpec.cells[static_cast<std::size_t>(cell)];
    Q_EMIT stageChanged(tr("Training %1 h%2 (%3 of %4)")
                            .arg(qs(archDisplayName(c.arch)))
                            .arg(c.hidden)
                            .arg(cell + 1)
                            .arg(mSpec.cells.size()));
    const auto& cellFeatures = features.forConfig(c);
    if (cellFeatures.cancelled) {
        ExperimentResult stopped;  // not claimed: the stop flag ends the job
        stopped.status = RunStatus::Cancelled;
        stopped.skipped = true;
        return stopped;
    }
    return runExperiment(store, c, dataset, cellFeatures, callbacks, mStop, sweepId);
}

void TrainingJob::reportCell(int cell, const ExperimentResult& r) {
    QString status = qs(toString(r.status));
    QString message = qs(r.message);
    if (r.skipped) {
        status = QStringLiteral("skipped");
        message = r.status == RunStatus::Completed ? tr("done before (run %1)").arg(r.runId)
                  : r.status == RunStatus::Failed  ? tr("given up: %1").arg(qs(r.message))
                                                   : tr("busy in another process");
    } else if (r.status == RunStatus::Completed) {
        ++mCompleted;
        message = tr("test accuracy %1, macro F1 %2, %3 epochs, %4 s")
                      .arg(r.outcome.test.accuracy, 0, 'f', 3)
                      .arg(r.outcome.test.macroF1, 0, 'f', 3)
                      .arg(r.outcome.epochsRun)
                      .arg(r.outcome.trainSeconds, 0, 'f', 1);
    } else if (r.status == RunStatus::Failed) {
        ++mFailed;
    }
    Q_EMIT runFinished(cell, r.runId, status, message);
}

// Worker thread. Every signal below is emitted here and reaches receivers in
// the UI thread through queued connections.
void TrainingJob::work() {
    lowerThreadPriority();
    Q_EMIT started();
    std::unique_ptr<RunStore> store;
    std::optional<std::int64_t> sweepId;
    try {
        if (mSpec.cells.empty()) {
            throw LogicError("a training job without runs");
        }
        const TrainConfig& first = mSpec.cells.front();
        std::shared_ptr<const Dataset> dataset = mSpec.dataset;
        if (!dataset || dataset->root.empty()) {
            Q_EMIT stageChanged(tr("Scanning %1").arg(qs(first.dataset)));
            ScanOptions so;
            so.stop = &mStop;
            dataset = std::make_shared<const Dataset>(scanDataset(first.dataset, so));
        }
        if (dataset->clips.empty()) {
            throw DatasetError(dataset->root, "no usable clips");
        }
        store = std::make_unique<RunStore>(RunStore::open(ss(mSpec.storePath)));
        // Runs trained here record the Qt of the workbench in their provenance.
        setProvenanceQt(qVersion());
        if (mSpec.sweep) {
            // The newest sweep of this grid on this data, whichever front
            // end started it, else a new one.
            sweepId =
                openSweep(*store, sweepSpecJson(*mSpec.sweep), dataset->root, SweepOpen::Resume);
        }

        ExperimentCallbacks cb;
        cb.onExtract = [this](const ExtractProgress& p) { Q_EMIT extractProgress(p); };
        cb.onRunStarted = [this](std::int64_t id) {
            mRun = id;
            Q_EMIT runStarted(mCell, id);
        };
        cb.onBatch = [this](const BatchProgress& p) { Q_EMIT progress(p); };
        cb.onEpoch = [this](const EpochRecord& e) { Q_EMIT epochFinished(mRun, e); };

        // The first cell's features before any cell is claimed (the others
        // share them but for a sweep over feature settings).
        Q_EMIT stageChanged(tr("Extracting features (%1, %2 frames, %3 px)")
                                .arg(qs(first.backbone == kPretrainedBackbone
                                            ? vidrnn::backboneLabel(first.backbone, true)
                                            : first.backbone))
                                .arg(first.frames)
                                .arg(first.imageSize));
        FeatureSets features(*dataset, cb, mStop);
        features.forConfig(first);  // cancelled only with mStop set
        bool stopped = false;
        if (sweepId) {
            // The engine's worker loop, as the CLI's sweep runs it: what is
            // left of the sweep is trained, cells another process holds are
            // left to it; stopped (here or during extraction), the sweep
            // ends cancelled.
            std::vector<char> reported(mSpec.cells.size(), 0);
            SweepWork work;
            work.attempt = [&](int index, const TrainConfig&) {
                return trainCell(index - 1, *store, *dataset, features, cb, sweepId);
            };
            work.onCell = work.onSettled = [&](const SweepCellReport& cell) {
                reported[static_cast<std::size_t>(cell.index - 1)] = 1;
                reportCell(cell.index - 1, cell.result);
            };
            const SweepEnd end = workSweep(*store, *sweepId, mSpec.cells, work, mStop);
            stopped = end.cancelled;
            for (std::size_t i = 0; i < reported.size() && !stopped; ++i) {
                if (!reported[i]) {  // held by another process when the loop ended
                    ExperimentResult busy;
                    busy.skipped = true;
                    busy.status = RunStatus::Running;
                    reportCell(static_cast<int>(i), busy);
                }
            }
        } else {
            for (std::size_t i = 0; i < mSpec.cells.size() && !mStop; ++i) {
                const auto r = trainCell(static_cast<int>(i), *store, *dataset, features, cb, {});
                if (!r.skipped) {
                    reportCell(static_cast<int>(i), r);
                }
            }
            stopped = mStop;
        }
        if (stopped) {
            Q_EMIT cancelled();
        } else {
            Q_EMIT succeeded(mCompleted, mFailed);
        }
    } catch (const std::exception& e) {
        // A scan or extraction stopped by the flag ends in an exception too.
        // The sweep is not left "running" with nobody running it.
        if (sweepId && store) {
            abandonSweep(*store, *sweepId, mStop);  // done already if it came out of workSweep
        }
        if (mStop) {
            Q_EMIT cancelled();
        } else {
            Q_EMIT failed(qs(e.what()));
        }
    }
    store.reset();
    Q_EMIT finished();
}

}  // namespace vidrnn::ui
