#include "work/rerunjob.h"

#include <QThread>

#include "vidrnn/errors.h"
#include "vidrnn/provenance.h"
#include "work/background.h"

namespace vidrnn::ui {

RerunJob::RerunJob(QString storePath, qint64 runId, RerunOptions options, QObject* parent)
    : QObject(parent),
      mStorePath(std::move(storePath)),
      mRunId(runId),
      mOptions(std::move(options)) {
    qRegisterMetaType<vidrnn::RerunCheck>();
    qRegisterMetaType<vidrnn::BatchProgress>();
    qRegisterMetaType<vidrnn::EpochRecord>();
    qRegisterMetaType<vidrnn::ExtractProgress>();
}

RerunJob::~RerunJob() {
    mStop = true;
    if (mThread) {
        mThread->wait();
        delete mThread;
    }
}

void RerunJob::start() {
    if (mThread) {
        return;
    }
    mThread = QThread::create([this] { work(); });
    mThread->setObjectName("vidrnn-rerun");
    mThread->start(QThread::LowPriority);
}

// Worker thread: every signal reaches the UI thread through a queued connection.
void RerunJob::work() {
    lowerThreadPriority();
    Q_EMIT started();
    try {
        auto store = RunStore::open(ss(mStorePath));
        // The rerun records the Qt of the workbench in its provenance.
        setProvenanceQt(qVersion());
        ExperimentCallbacks cb;
        cb.onExtract = [this](const ExtractProgress& p) { Q_EMIT extractProgress(p); };
        cb.onRunStarted = [this](std::int64_t id) {
            Q_EMIT rerunStarted(id);
            Q_EMIT stageChanged(tr("Training run %1 again as run %2").arg(mRunId).arg(id));
        };
        cb.onBatch = [this](const BatchProgress& p) { Q_EMIT progress(p); };
        cb.onEpoch = [this](const EpochRecord& e) { Q_EMIT epochFinished(e); };
        Q_EMIT stageChanged(tr("Checking run %1's data set and features").arg(mRunId));
        const auto r = rerunExperiment(store, mRunId, mOptions, cb, mStop);
        if (mStop) {
            Q_EMIT cancelled();
        } else {
            requireCompletedRerun(mRunId, r);
            Q_EMIT stageChanged(tr("Comparing run %1 with run %2").arg(r.runId).arg(mRunId));
            Q_EMIT succeeded(checkRerun(store, mRunId, r.runId));
        }
    } catch (const std::exception& e) {
        if (mStop) {
            Q_EMIT cancelled();
        } else {
            Q_EMIT failed(QString::fromUtf8(e.what()));
        }
    }
    Q_EMIT finished();
}

}  // namespace vidrnn::ui
