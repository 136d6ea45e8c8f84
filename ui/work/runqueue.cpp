#include "work/runqueue.h"

#include <QBrush>
#include <QColor>

#include "vidrnn/models.h"

namespace vidrnn::ui {

RunQueue::RunQueue(QObject* parent) : QAbstractTableModel(parent) {}

RunQueue::~RunQueue() {
    if (mJob) {
        mJob->disconnect(this);
        delete mJob;  // stops and joins its thread
    }
}

int RunQueue::enqueue(JobSpec spec, const QString& label) {
    if (spec.storePath.isEmpty()) {
        spec.storePath = mStorePath;
    }
    const int id = mNextBatch++;
    beginInsertRows({}, static_cast<int>(mItems.size()),
                    static_cast<int>(mItems.size() + spec.cells.size()) - 1);
    for (std::size_t i = 0; i < spec.cells.size(); ++i) {
        const auto& c = spec.cells[i];
        Item item;
        item.batch = id;
        item.cell = static_cast<int>(i);
        item.label = label;
        item.title = QStringLiteral("%1 h%2 · %3 fold %4 · seed %5")
                         .arg(qs(archDisplayName(c.arch)))
                         .arg(c.hidden)
                         .arg(qs(c.split))
                         .arg(c.fold)
                         .arg(c.seed);
        mItems.push_back(item);
    }
    endInsertRows();
    mPending.push_back({id, std::move(spec)});
    Q_EMIT countsChanged();
    if (!mJob) {
        startNext();
    }
    return id;
}

void RunQueue::startNext() {
    if (mJob || mPending.isEmpty()) {
        return;
    }
    Batch batch = mPending.takeFirst();
    mRunningBatch = batch.id;
    auto* job = new TrainingJob(std::move(batch.spec), this);
    mJob = job;
    const int id = batch.id;
    connect(job, &TrainingJob::runStarted, this, [this, id](int cell, qint64 runId) {
        setState(id, cell, QStringLiteral("running"), runId, {});
    });
    connect(job, &TrainingJob::runFinished, this,
            [this, id](int cell, qint64 runId, const QString& status, const QString& message) {
                setState(id, cell, status, runId, message);
            });
    connect(job, &TrainingJob::failed, this, [this, id](const QString& message) {
        endBatch(id, QStringLiteral("failed"), message);
    });
    connect(job, &TrainingJob::cancelled, this,
            [this, id] { endBatch(id, QStringLiteral("cancelled"), tr("cancelled by the user")); });
    connect(job, &TrainingJob::finished, this, [this, job] {
        job->deleteLater();
        mJob = nullptr;
        mRunningBatch = 0;
        Q_EMIT jobFinished();
        Q_EMIT countsChanged();
        if (mPending.isEmpty()) {
            Q_EMIT idle();
        } else {
            startNext();
        }
    });
    Q_EMIT jobStarted(job);
    Q_EMIT countsChanged();
    job->start();
}

void RunQueue::cancelCurrent() {
    if (mJob) {
        mJob->cancel();
    }
}

void RunQueue::clearPending() {
    for (const auto& b : mPending) {
        endBatch(b.id, QStringLiteral("removed"), {});
    }
    mPending.clear();
    Q_EMIT countsChanged();
}

void RunQueue::clearFinished() {
    for (int row = static_cast<int>(mItems.size()) - 1; row >= 0; --row) {
        const auto& s = mItems[row].state;
        if (s != QLatin1String("queued") && s != QLatin1String("running")) {
            beginRemoveRows({}, row, row);
            mItems.removeAt(row);
            endRemoveRows();
        }
    }
}

int RunQueue::pendingRuns() const {
    int n = 0;
    for (const auto& item : mItems) {
        n += item.state == QLatin1String("queued") || item.state == QLatin1String("running");
    }
    return n;
}

int RunQueue::rowOf(int batch, int cell) const {
    for (int row = 0; row < mItems.size(); ++row) {
        if (mItems[row].batch == batch && mItems[row].cell == cell) {
            return row;
        }
    }
    return -1;
}

void RunQueue::setState(int batch, int cell, const QString& state, qint64 runId,
                        const QString& message) {
    const int row = rowOf(batch, cell);
    if (row < 0) {
        return;
    }
    auto& item = mItems[row];
    item.state = state;
    if (runId) {
        item.runId = runId;
    }
    item.message = message;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    Q_EMIT countsChanged();
}

// Cells of the batch still queued or running take the batch's end state.
void RunQueue::endBatch(int batch, const QString& state, const QString& message) {
    QList<int> open;
    for (const auto& item : std::as_const(mItems)) {
        if (item.batch == batch &&
            (item.state == QLatin1String("queued") || item.state == QLatin1String("running"))) {
            open << item.cell;
        }
    }
    for (int cell : open) {
        setState(batch, cell, state, 0, message);
    }
}

int RunQueue::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(mItems.size());
}

int RunQueue::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunQueue::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= mItems.size()) {
        return {};
    }
    const auto& item = mItems[index.row()];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
            case ColBatch:
                return item.label;
            case ColRun:
                return item.title;
            case ColState:
                return item.state;
            case ColRunId:
                return item.runId ? QVariant(item.runId) : QVariant();
            case ColMessage:
                return item.message;
            default:
                return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == ColState) {
        if (item.state == QLatin1String("running")) {
            return QBrush(QColor(20, 110, 200));
        }
        if (item.state == QLatin1String("completed")) {
            return QBrush(QColor(30, 130, 50));
        }
        if (item.state == QLatin1String("failed")) {
            return QBrush(QColor(190, 30, 30));
        }
    }
    return {};
}

QVariant RunQueue::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case ColBatch:
            return tr("Batch");
        case ColRun:
            return tr("Run");
        case ColState:
            return tr("State");
        case ColRunId:
            return tr("Run id");
        case ColMessage:
            return tr("Message");
        default:
            return {};
    }
}

}  // namespace vidrnn::ui
