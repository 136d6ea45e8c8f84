#include "work/trainingjob.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include "vidrnn/errors.h"
#include "vidrnn/experiment.h"
#include "vidrnn/models.h"
#include "vidrnn/provenance.h"
#include "work/background.h"

namespace vidrnn::ui {

namespace {

QJsonObject specObject(const JobSpec& spec) {
    QJsonArray archs, hidden, folds;
    for (const auto& a : spec.sweepArchs) {
        archs.append(qs(a));
    }
    for (int h : spec.sweepHidden) {
        hidden.append(h);
    }
    for (int f : spec.sweepFolds) {
        folds.append(f);
    }
    TrainConfig base = spec.cells.empty() ? TrainConfig{} : spec.cells.front();
    base.arch = spec.sweepArchs.empty() ? base.arch : spec.sweepArchs.front();
    base.hidden = spec.sweepHidden.empty() ? base.hidden : spec.sweepHidden.front();
    base.fold = spec.sweepFolds.empty() ? base.fold : spec.sweepFolds.front();
    const auto baseDoc = QJsonDocument::fromJson(QByteArray::fromStdString(toJson(base)));
    return {{"archs", archs},
            {"hidden", hidden},
            {"folds", folds},
            {"seeds", spec.sweepSeeds},
            {"base", baseDoc.object()}};
}

// The CLI writes the spec with nlohmann::json ("5.0"), Qt writes "5": compare
// parsed documents, not text. Arch, hidden and fold of the base are those of
// the first cell in both programs; they do not define the grid.
bool sameGrid(const std::string& stored, const QJsonObject& ours) {
    auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(stored));
    if (!doc.isObject()) {
        return false;
    }
    auto strip = [](QJsonObject o) {
        auto base = o.value("base").toObject();
        for (const char* key : {"arch", "hidden", "fold"}) {
            base.remove(key);
        }
        o.insert("base", base);
        return o;
    };
    return strip(doc.object()) == strip(ours);
}

}  // namespace

std::string sweepSpecJson(const JobSpec& spec) {
    return QJsonDocument(specObject(spec)).toJson(QJsonDocument::Compact).toStdString();
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
    const auto ours = specObject(mSpec);
    std::int64_t found = 0;
    for (const auto& s : store.listSweeps()) {
        if (s.dataset == dataset.root && s.id > found && sameGrid(s.spec, ours)) {
            found = s.id;
        }
    }
    if (found == 0) {
        return store.createSweep(sweepSpecJson(mSpec), dataset.root);
    }
    store.setSweepStatus(found, "running");
    return found;
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
