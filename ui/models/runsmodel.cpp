#include "models/runsmodel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QSet>

#include "models/storesession.h"
#include "support/qtsupport.h"

namespace vidrnn::ui {

// What one read brings back: a query's ids and first page, or the changes
// since the marker with the ids in their new order and the runs to show.
struct RunsModel::Update {
    bool complete = true;  // false: the change log could not say; start again
    bool changes = false;  // an answer to changesSince with something in it
    QVector<qint64> ids;
    int target = 0;  // rows to show after the update (a prefix of ids)
    std::vector<RunRecord> records;
    std::vector<std::int64_t> changed, removed;
    std::int64_t marker = 0;
};

namespace {

std::vector<std::int64_t> toStd(const QVector<qint64>& ids, int from, int count) {
    std::vector<std::int64_t> out;
    for (int i = from; i < std::min<int>(ids.size(), from + count); ++i)
        out.push_back(ids[i]);
    return out;
}

// A query's ids and its first page, read at one marker.
RunsModel::Update readQuery(const RunStore& store, const RunQuery& q) {
    RunsModel::Update u;
    u.marker = store.changeMarker();
    for (std::int64_t id : store.runIds(q))
        u.ids.push_back(id);
    u.target = std::min<int>(u.ids.size(), RunsModel::kPageSize);
    u.records = store.getRuns(toStd(u.ids, 0, u.target));
    return u;
}

}  // namespace

RunsModel::RunsModel(StoreSession* session, QObject* parent)
    : QAbstractTableModel(parent), mSession(session) {}

void RunsModel::setText(const QString& text) {
    if (text.trimmed() != mText) {
        mText = text.trimmed();
        startQuery();
    }
}

void RunsModel::setStatus(const QString& status) {
    if (status != mStatus) {
        mStatus = status;
        startQuery();
    }
}

void RunsModel::setShowReference(bool show) {
    if (show != mShowReference) {
        mShowReference = show;
        startQuery();
    }
}

void RunsModel::sort(int column, Qt::SortOrder order) {
    static const QHash<int, RunSort> byColumn{
        {ColId, RunSort::Id},
        {ColType, RunSort::Arch},
        {ColHidden, RunSort::Hidden},
        {ColParams, RunSort::Params},
        {ColTrainTime, RunSort::TrainSeconds},
        {ColAccuracy, RunSort::Accuracy},
        {ColMacroF1, RunSort::MacroF1},
        {ColStatus, RunSort::Status},
        {ColProtocol, RunSort::Protocol},
        {ColBackbone, RunSort::Backbone},
        {ColEpochs, RunSort::BestEpoch},
        {ColSeed, RunSort::Seed},
        {ColCreated, RunSort::Created},
        {ColNote, RunSort::Note},
    };
    mSort = byColumn.value(column, RunSort::Id);
    mDescending = order == Qt::DescendingOrder;
    startQuery();
}

RunQuery RunsModel::query() const {
    RunQuery q;
    q.text = ss(mText);
    if (mStatus == QLatin1String("reference")) {
        q.filter.kind = RunKind::Reference;
    } else {
        if (!mStatus.isEmpty())
            q.filter.status = runStatusFromString(ss(mStatus));
        if (!mShowReference)
            q.filter.kind = RunKind::Trained;
    }
    q.sort = mSort;
    q.descending = mDescending;
    return q;
}

void RunsModel::reload() {
    startQuery();
}

void RunsModel::startQuery() {
    ++mGeneration;
    if (!mSession->isOpen()) {
        beginResetModel();
        mIds.clear();
        mRows.clear();
        mRecords.clear();
        mRowOf.clear();
        endResetModel();
        ++mResets;
        return;
    }
    if (mBusy) {
        mQueryPending = true;  // after the read that is out
        return;
    }
    mBusy = true;
    const quint64 generation = mGeneration;
    mSession->read<Update>(
        this, [q = query()](const RunStore& store) { return readQuery(store, q); },
        [this, generation](Update u, QString error) {
            if (!error.isEmpty()) {
                Q_EMIT readFailed(error);
            } else if (generation == mGeneration) {
                applyQuery(generation, std::move(u));
            }
            finishRead();
        });
}

void RunsModel::applyQuery(quint64, Update u) {
    beginResetModel();
    mIds = std::move(u.ids);
    mRows.clear();
    mRecords.clear();
    for (auto& r : u.records) {
        mRows.push_back(r.id);
        mRecords.insert(r.id, std::move(r));
    }
    mMarker = u.marker;
    reindex();
    endResetModel();
    ++mResets;
    Q_EMIT updated();
}

void RunsModel::finishRead() {
    mBusy = false;
    if (mQueryPending) {
        mQueryPending = false;
        mChangePending = false;
        mFetchPending = false;
        startQuery();
    } else if (mChangePending) {
        mChangePending = false;
        storeChanged();
    } else if (mFetchPending) {
        mFetchPending = false;
        fetchMore({});
    }
}

void RunsModel::storeChanged() {
    if (!mSession->isOpen()) {
        return;
    }
    if (mBusy) {
        mChangePending = true;
        return;
    }
    mBusy = true;
    const quint64 generation = mGeneration;
    auto work = [q = query(), marker = mMarker, loaded = mRows](const RunStore& store) {
        const RunChanges changes = store.changesSince(marker);
        if (!changes.complete) {
            Update u = readQuery(store, q);
            u.complete = false;
            return u;
        }
        Update u;
        u.marker = changes.marker;
        if (changes.changed.empty() && changes.removed.empty()) {
            return u;
        }
        u.changes = true;
        u.changed = changes.changed;
        u.removed = changes.removed;
        QHash<qint64, int> position;
        for (std::int64_t id : store.runIds(q)) {
            position.insert(id, u.ids.size());
            u.ids.push_back(id);
        }
        // Show as far down as the rows shown before reach in the new order.
        int target = 0;
        for (qint64 id : loaded) {
            target = std::max(target, position.value(id, -1) + 1);
        }
        u.target = target;
        if (target > loaded.size() + 2000) {  // a different table: start again
            Update fresh = readQuery(store, q);
            fresh.complete = false;
            return fresh;
        }
        const QSet<qint64> shown(loaded.begin(), loaded.end());
        const QSet<qint64> changed(u.changed.begin(), u.changed.end());
        std::vector<std::int64_t> wanted;
        for (int i = 0; i < target; ++i) {
            if (!shown.contains(u.ids[i]) || changed.contains(u.ids[i]))
                wanted.push_back(u.ids[i]);
        }
        u.records = store.getRuns(wanted);
        return u;
    };
    mSession->read<Update>(this, std::move(work), [this, generation](Update u, QString error) {
        if (!error.isEmpty()) {
            Q_EMIT readFailed(error);
        } else if (generation == mGeneration) {
            if (!u.complete) {
                applyQuery(generation, std::move(u));
            } else {
                applyChanges(generation, std::move(u));
            }
        }
        finishRead();
    });
}

void RunsModel::applyChanges(quint64, Update u) {
    mMarker = u.marker;
    if (!u.changes) {
        return;
    }
    QHash<qint64, RunRecord> records;
    for (auto& r : u.records)
        records.insert(r.id, std::move(r));
    removeRows(QSet<qint64>(u.ids.begin(), u.ids.end()));
    const QVector<qint64> target = u.ids.mid(0, u.target);
    QSet<qint64> inserted;
    for (qint64 id : target) {
        if (!mRowOf.contains(id))
            inserted.insert(id);
    }
    insertMissing(target, records);
    if (mRows != target) {
        reorder(target);
    }
    for (std::int64_t id : u.changed) {
        const int row = mRowOf.value(id, -1);
        if (row < 0 || inserted.contains(id) || !records.contains(id))
            continue;
        mRecords[id] = records.value(id);
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    mIds = std::move(u.ids);
    if (!u.removed.empty()) {
        QList<qint64> removed;
        for (std::int64_t id : u.removed)
            removed << id;
        Q_EMIT runsRemoved(removed);
    }
    Q_EMIT updated();
}

// Rows whose run no longer matches (deleted, or changed out of the filter).
void RunsModel::removeRows(const QSet<qint64>& keep) {
    for (int row = int(mRows.size()) - 1; row >= 0; --row) {
        if (keep.contains(mRows[row]))
            continue;
        int first = row;
        while (first > 0 && !keep.contains(mRows[first - 1]))
            --first;
        Q_EMIT rowsLeaving(true);
        beginRemoveRows({}, first, row);
        for (int i = first; i <= row; ++i)
            mRecords.remove(mRows[i]);
        mRows.remove(first, row - first + 1);
        reindex();
        endRemoveRows();
        Q_EMIT rowsLeaving(false);
        row = first;
    }
}

// New rows where the new order puts them when the rows shown kept their
// order; else at the end, for reorder() to move.
void RunsModel::insertMissing(const QVector<qint64>& target, QHash<qint64, RunRecord>& records) {
    QVector<qint64> kept;
    for (qint64 id : target) {
        if (mRowOf.contains(id))
            kept.push_back(id);
    }
    const bool inOrder = kept == mRows;
    auto insertAt = [&](int row, const QVector<qint64>& ids) {
        beginInsertRows({}, row, row + int(ids.size()) - 1);
        for (int i = 0; i < ids.size(); ++i) {
            RunRecord r = records.value(ids[i]);
            r.id = ids[i];
            mRecords.insert(ids[i], std::move(r));
            mRows.insert(row + i, ids[i]);
        }
        reindex();
        endInsertRows();
    };
    if (!inOrder) {
        QVector<qint64> missing;
        for (qint64 id : target) {
            if (!mRowOf.contains(id))
                missing.push_back(id);
        }
        if (!missing.isEmpty())
            insertAt(int(mRows.size()), missing);
        return;
    }
    for (int i = 0; i < target.size();) {
        if (i < mRows.size() && mRows[i] == target[i]) {
            ++i;
            continue;
        }
        QVector<qint64> run;
        int j = i;
        while (j < target.size() && !mRowOf.contains(target[j]) && !run.contains(target[j])) {
            run.push_back(target[j]);
            ++j;
        }
        if (run.isEmpty()) {
            ++i;  // cannot happen when in order; keeps the loop finite
            continue;
        }
        insertAt(i, run);
        i = j;
    }
}

// The same rows in a new order (a sorted column changed): persistent indexes
// (the selection, the current row) follow their runs.
void RunsModel::reorder(const QVector<qint64>& target) {
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    QHash<qint64, int> newRow;
    for (int i = 0; i < target.size(); ++i)
        newRow.insert(target[i], i);
    const QModelIndexList from = persistentIndexList();
    QModelIndexList to;
    for (const QModelIndex& index : from) {
        const int row = newRow.value(mRows.value(index.row()), -1);
        to << (row < 0 ? QModelIndex() : this->index(row, index.column()));
    }
    mRows = target;
    reindex();
    changePersistentIndexList(from, to);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void RunsModel::reindex() {
    mRowOf.clear();
    mRowOf.reserve(mRows.size());
    for (int i = 0; i < mRows.size(); ++i)
        mRowOf.insert(mRows[i], i);
}

bool RunsModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && mRows.size() < mIds.size();
}

void RunsModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent) || !mSession->isOpen()) {
        return;
    }
    if (mBusy) {
        mFetchPending = true;  // once the read that is out is applied
        return;
    }
    mBusy = true;
    const quint64 generation = mGeneration;
    const auto ids = toStd(mIds, int(mRows.size()), kPageSize);
    mSession->read<std::vector<RunRecord>>(
        this, [ids](const RunStore& store) { return store.getRuns(ids); },
        [this, generation, ids](std::vector<RunRecord> records, QString error) {
            if (!error.isEmpty()) {
                Q_EMIT readFailed(error);
            } else if (generation == mGeneration && !records.empty() &&
                       mRows.size() < mIds.size() && mIds[mRows.size()] == ids.front()) {
                // Runs deleted meanwhile are dropped here; the change log
                // reports them to the rows already shown.
                const int first = int(mRows.size());
                beginInsertRows({}, first, first + int(records.size()) - 1);
                for (auto& r : records) {
                    mRowOf.insert(r.id, int(mRows.size()));
                    mRows.push_back(r.id);
                    mRecords.insert(r.id, std::move(r));
                }
                if (records.size() != ids.size()) {
                    // Ids that vanished meanwhile leave the order too.
                    const QSet<qint64> shown(mRows.begin(), mRows.end());
                    QVector<qint64> ordered = mRows;
                    for (qint64 id : mIds.mid(first)) {
                        if (!shown.contains(id) &&
                            std::find(ids.begin(), ids.end(), id) == ids.end())
                            ordered.push_back(id);
                    }
                    mIds = ordered;
                }
                endInsertRows();
                Q_EMIT updated();
            }
            finishRead();
        });
}

std::vector<RunRecord> RunsModel::runs() const {
    std::vector<RunRecord> out;
    out.reserve(mRows.size());
    for (qint64 id : mRows)
        out.push_back(mRecords.value(id));
    return out;
}

const RunRecord* RunsModel::runAt(int row) const {
    if (row < 0 || row >= mRows.size())
        return nullptr;
    auto it = mRecords.constFind(mRows[row]);
    return it == mRecords.constEnd() ? nullptr : &it.value();
}

const RunRecord* RunsModel::runById(qint64 id) const {
    auto it = mRecords.constFind(id);
    return it == mRecords.constEnd() ? nullptr : &it.value();
}

int RunsModel::rowOfId(qint64 id) const {
    return mRowOf.value(id, -1);
}

int RunsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(mRows.size());
}

int RunsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

namespace {

QString statusText(const RunRecord& r) {
    return r.kind == RunKind::Reference ? QStringLiteral("reference") : qs(toString(r.status));
}

}  // namespace

QVariant RunsModel::data(const QModelIndex& index, int role) const {
    const RunRecord* r = runAt(index.row());
    if (!r) {
        return {};
    }
    const bool reference = r->kind == RunKind::Reference;
    switch (role) {
        case IdRole:
            return QVariant::fromValue(static_cast<qlonglong>(r->id));
        case Qt::DisplayRole:
            switch (index.column()) {
                case ColId:
                    return QVariant::fromValue(static_cast<qlonglong>(r->id));
                case ColType:
                    return runTypeLabel(*r);
                case ColHidden:
                    return r->hidden;
                case ColParams:
                    return r->params ? formatCount(r->params) : QString();
                case ColTrainTime:
                    return r->trainSeconds ? QString::number(*r->trainSeconds, 'f', 2) : QString();
                case ColAccuracy:
                    return r->accuracy ? QString::number(*r->accuracy, 'f', 3) : QString();
                case ColMacroF1:
                    return r->macroF1 ? QString::number(*r->macroF1, 'f', 3) : QString();
                case ColStatus:
                    return statusText(*r);
                case ColProtocol:
                    return protocolLabel(*r);
                case ColBackbone:
                    return backboneLabel(*r);
                case ColPrecision:
                    return qs(r->precision);
                case ColEpochs:
                    return r->bestEpoch ? QStringLiteral("%1").arg(*r->bestEpoch) : QString();
                case ColSeed:
                    return r->seed ? QVariant(*r->seed) : QVariant();
                case ColCreated:
                    return qs(r->createdAt).replace('T', ' ').remove('Z');
                case ColNote:
                    return qs(r->note);
                default:
                    return {};
            }
        case Qt::ToolTipRole:
            if (index.column() == ColStatus && !r->message.empty()) {
                return qs(r->message);
            }
            if (index.column() == ColProtocol && r->leaking) {
                return tr(
                    "Random clip-level split: clips of one group are on both sides, so "
                    "accuracy is inflated.");
            }
            if (index.column() == ColEpochs) {
                return tr("Best epoch (weights restored)");
            }
            if (index.column() == ColPrecision && !reference) {
                return tr("What the run computed in (fp32, or bf16 mixed precision)");
            }
            if (reference) {
                return tr("Published row of the study (single run, split not stated)");
            }
            return {};
        case Qt::TextAlignmentRole:
            switch (index.column()) {
                case ColId:
                case ColHidden:
                case ColParams:
                case ColTrainTime:
                case ColAccuracy:
                case ColMacroF1:
                case ColEpochs:
                case ColSeed:
                    return int(Qt::AlignRight | Qt::AlignVCenter);
                default:
                    return {};
            }
        case Qt::FontRole:
            if (reference) {
                QFont f;
                f.setItalic(true);
                return f;
            }
            return {};
        case Qt::ForegroundRole:
            if (index.column() == ColStatus) {
                switch (r->status) {
                    case RunStatus::Completed:
                        return QBrush(QColor(30, 130, 50));
                    case RunStatus::Failed:
                        return QBrush(QColor(190, 30, 30));
                    case RunStatus::Running:
                        return QBrush(QColor(20, 110, 200));
                    case RunStatus::Cancelled:
                    case RunStatus::Interrupted:
                        return QBrush(QColor(170, 110, 0));
                    default:
                        return {};
                }
            }
            if (index.column() == ColProtocol && r->leaking) {
                return QBrush(QColor(190, 30, 30));
            }
            return {};
        case Qt::BackgroundRole:
            return reference ? QBrush(QColor(245, 242, 230)) : QVariant();
        default:
            return {};
    }
}

QVariant RunsModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal) {
        return {};
    }
    if (role == Qt::ToolTipRole && section == ColMacroF1) {
        return tr("Unweighted mean of per-class F1 (the study's \"avg. F1\")");
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
        case ColId:
            return tr("Run");
        case ColType:
            return tr("Type");
        case ColHidden:
            return tr("Hidden");
        case ColParams:
            return tr("Parameters");
        case ColTrainTime:
            return tr("Training time (s)");
        case ColAccuracy:
            return tr("Accuracy");
        case ColMacroF1:
            return tr("Macro F1");
        case ColStatus:
            return tr("Status");
        case ColProtocol:
            return tr("Protocol");
        case ColBackbone:
            return tr("Backbone");
        case ColPrecision:
            return tr("Precision");
        case ColEpochs:
            return tr("Best epoch");
        case ColSeed:
            return tr("Seed");
        case ColCreated:
            return tr("Created (UTC)");
        case ColNote:
            return tr("Note");
        default:
            return {};
    }
}

}  // namespace vidrnn::ui
