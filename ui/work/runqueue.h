// The visible run queue: batches of runs (one Start, one sweep) wait here and
// run one batch at a time, each in its own TrainingJob. The model lists every
// run of every batch with its state; finished rows stay until cleared.
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QPointer>

#include "work/trainingjob.h"

namespace vidrnn::ui {

class RunQueue : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ColBatch, ColRun, ColState, ColRunId, ColMessage, ColumnCount };

    explicit RunQueue(QObject* parent = nullptr);
    ~RunQueue() override;

    void setStorePath(const QString& path) { mStorePath = path; }
    QString storePath() const { return mStorePath; }

    // Titles label each cell ("GRU h16"); the batch starts at once when idle.
    int enqueue(JobSpec spec, const QString& label);
    // Stops the running batch (its remaining cells end cancelled).
    void cancelCurrent();
    // Drops the batches that have not started and the finished rows.
    void clearPending();
    void clearFinished();

    bool isBusy() const { return mJob != nullptr; }
    TrainingJob* currentJob() const { return mJob; }
    int pendingRuns() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

Q_SIGNALS:
    // Connect to the job's signals here (they are queued from its thread).
    void jobStarted(vidrnn::ui::TrainingJob* job);
    void jobFinished();
    void idle();
    void countsChanged();

private:
    struct Item {
        int batch = 0;
        int cell = 0;
        QString label;
        QString title;
        QString state = QStringLiteral("queued");
        qint64 runId = 0;
        QString message;
    };
    struct Batch {
        int id = 0;
        JobSpec spec;
    };

    void startNext();
    void setState(int batch, int cell, const QString& state, qint64 runId, const QString& message);
    void endBatch(int batch, const QString& state, const QString& message);
    int rowOf(int batch, int cell) const;

    QString mStorePath;
    QList<Item> mItems;
    QList<Batch> mPending;
    QPointer<TrainingJob> mJob;
    int mRunningBatch = 0;
    int mNextBatch = 1;
};

}  // namespace vidrnn::ui
