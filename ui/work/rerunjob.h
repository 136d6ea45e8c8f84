// Rerun and check (Results): one run trained again from its stored record in
// a worker thread, then compared bit for bit with the original, through the
// engine's own calls in the order `vidrnn runs rerun --check` makes them
// (rerunExperiment, requireCompletedRerun, checkRerun). The callbacks become
// queued signals; a std::atomic<bool> stop flag goes to the engine. Signal
// order: started, then stage/progress/epoch signals, then exactly one of
// succeeded, failed or cancelled, and finished last, always.
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>

#include "support/qtsupport.h"
#include "vidrnn/experiment.h"
#include "vidrnn/rerun.h"

class QThread;

Q_DECLARE_METATYPE(vidrnn::RerunCheck)

namespace vidrnn::ui {

class RerunJob : public QObject {
    Q_OBJECT
public:
    RerunJob(QString storePath, qint64 runId, RerunOptions options, QObject* parent = nullptr);
    // Stops the worker and waits for it.
    ~RerunJob() override;

    void start();
    // Thread-safe; the current batch or extraction step ends first.
    void cancel() { mStop = true; }
    qint64 runId() const { return mRunId; }

Q_SIGNALS:
    void started();
    void stageChanged(const QString& text);
    void extractProgress(const vidrnn::ExtractProgress& progress);
    void rerunStarted(qint64 rerunId);
    void progress(const vidrnn::BatchProgress& progress);
    void epochFinished(const vidrnn::EpochRecord& epoch);
    void succeeded(const vidrnn::RerunCheck& check);
    // A refusal (the reason from the engine: fingerprint, precision, data
    // set, backbone) or a failed rerun.
    void failed(const QString& message);
    void cancelled();
    void finished();

private:
    void work();

    QString mStorePath;
    qint64 mRunId = 0;
    RerunOptions mOptions;
    std::atomic<bool> mStop{false};
    QThread* mThread = nullptr;
};

}  // namespace vidrnn::ui
