#include "work/trainingjob.h"

#include <QThread>

#include "vidrnn/errors.h"
#include "vidrnn/experiment.h"
#include "vidrnn/models.h"
#include "vidrnn/sweep.h"
#include "vidrnn/provenance.h"
#include "work/background.h"

namespace vidrnn::ui {

namespace {

// The job's grid as the engine's sweep has it. Arch, hidden and fold of the
// base are those of the first cell; the axes define the grid.
SweepGrid gridOf(const JobSpec& spec) {
    SweepGrid grid;
    grid.base = spec.cells.empty() ? TrainConfig{} : spec.cells.front();
    grid.base.arch = spec.sweepArchs.empty() ? grid.base.arch : spec.sweepArchs.front();
    grid.base.hidden = spec.sweepHidden.empty() ? grid.base.hidden : spec.sweepHidden.front();
    grid.base.fold = spec.sweepFolds.empty() ? grid.base.fold : spec.sweepFolds.front();
    grid.archs = spec.sweepArchs;
    grid.hidden = spec.sweepHidden;
    grid.folds = spec.sweepFolds;
    grid.seeds = spec.sweepSeeds;
    return grid;
}

}  // namespace

std::string sweepSpecJson(const JobSpec& spec) {
    return vidrnn::sweepSpecJson(gridOf(spec));
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

std::optional<std::int64_t> TrainingJob::openSweep(RunStore& store, const Dataset& dataset) {
    if (!mSpec.sweep) {
        return std::nullopt;
    }
    // The newest sweep of this grid on this data, whichever front end
    // started it, else a new one.
    return vidrnn::openSweep(store, sweepSpecJson(mSpec), dataset.root, SweepOpen::Resume);
}

// Worker thread. Every signal below is emitted here and reaches receivers in
// the UI thread through queued connections.
void TrainingJob::work() {
    lowerThreadPriority();
    Q_EMIT started();
    std::optional<std::int64_t> sweepId;
    std::unique_ptr<RunStore> store;
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
        sweepId = openSweep(*store, *dataset);

        int currentCell = -1;
        std::int64_t currentRun = 0;
        ExperimentCallbacks cb;
        cb.onExtract = [this](const ExtractProgress& p) { Q_EMIT extractProgress(p); };
        cb.onRunStarted = [&](std::int64_t id) {
            currentRun = id;
            Q_EMIT runStarted(currentCell, id);
        };
        cb.onBatch = [this](const BatchProgress& p) { Q_EMIT progress(p); };
        cb.onEpoch = [&](const EpochRecord& e) { Q_EMIT epochFinished(currentRun, e); };

        Q_EMIT stageChanged(tr("Extracting features (%1, %2 frames, %3 px)")
                                .arg(qs(first.backbone == kPretrainedBackbone
                                            ? vidrnn::backboneLabel(first.backbone, true)
                                            : first.backbone))
                                .arg(first.frames)
                                .arg(first.imageSize));
        FeatureSets features(*dataset, cb, mStop);
        bool extractCancelled = features.forConfig(first).cancelled;
        int completed = 0, failedRuns = 0;
        for (std::size_t i = 0; i < mSpec.cells.size() && !mStop && !extractCancelled; ++i) {
            currentCell = static_cast<int>(i);
            currentRun = 0;
            const auto& c = mSpec.cells[i];
            Q_EMIT stageChanged(tr("Training %1 h%2 (%3 of %4)")
                                    .arg(qs(archDisplayName(c.arch)))
                                    .arg(c.hidden)
                                    .arg(i + 1)
                                    .arg(mSpec.cells.size()));
            const auto& cellFeatures = features.forConfig(c);
            if (cellFeatures.cancelled) {
                extractCancelled = true;
                break;
            }
            const auto r = runExperiment(*store, c, *dataset, cellFeatures, cb, mStop, sweepId);
            QString status = qs(toString(r.status));
            if (r.skipped) {
                status = QStringLiteral("skipped");
            } else if (r.status == RunStatus::Completed) {
                ++completed;
            } else if (r.status == RunStatus::Failed) {
                ++failedRuns;
            }
            QString message = qs(r.message);
            if (r.status == RunStatus::Completed && !r.skipped) {
                message = tr("test accuracy %1, macro F1 %2, %3 epochs, %4 s")
                              .arg(r.outcome.test.accuracy, 0, 'f', 3)
                              .arg(r.outcome.test.macroF1, 0, 'f', 3)
                              .arg(r.outcome.epochsRun)
                              .arg(r.outcome.trainSeconds, 0, 'f', 1);
            }
            if (r.skipped) {
                message = r.status == RunStatus::Completed ? tr("done before (run %1)").arg(r.runId)
                                                           : tr("busy in another process");
            }
            Q_EMIT runFinished(currentCell, r.runId, status, message);
        }
        if (mStop || extractCancelled) {
            if (sweepId) {
                store->setSweepStatus(*sweepId, "cancelled");
            }
            Q_EMIT cancelled();
        } else {
            if (sweepId) {
                store->setSweepStatus(*sweepId, failedRuns ? "failed" : "completed");
            }
            Q_EMIT succeeded(completed, failedRuns);
        }
    } catch (const std::exception& e) {
        // A scan or extraction stopped by the flag ends in an exception too.
        if (sweepId && store) {
            try {
                store->setSweepStatus(*sweepId, mStop ? "cancelled" : "failed");
            } catch (const std::exception&) {
            }
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
