// The runs of the store as a table, with the study's columns (type, hidden,
// parameters, training time, accuracy, macro F1) plus status, protocol and
// backbone. The store searches, filters and sorts (SQL with indexes); the
// model knows the ids of every matching run (8 bytes each) and holds the rows
// a view has asked for, fetched a page at a time (canFetchMore/fetchMore).
// Every read runs on the session's reader thread. When the store changes the
// model asks for the runs changed since its marker and updates the rows
// concerned (dataChanged, row inserts and removals, a layout change when a
// sort order moved a row), never resetting for it.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QVector>

#include <vector>

#include "vidrnn/store.h"

namespace vidrnn::ui {

class StoreSession;

class RunsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        ColId,
        ColType,
        ColHidden,
        ColParams,
        ColTrainTime,
        ColAccuracy,
        ColMacroF1,
        ColStatus,
        ColProtocol,
        ColBackbone,
        ColPrecision,
        ColEpochs,
        ColSeed,
        ColCreated,
        ColNote,
        ColumnCount
    };
    static constexpr int IdRole = Qt::UserRole + 2;
    static constexpr int kPageSize = 200;

    explicit RunsModel(StoreSession* session, QObject* parent = nullptr);

    // What the table shows, asked of the store (each starts a new query).
    void setText(const QString& text);
    void setStatus(const QString& status);  // "" = any; "reference" = the study's rows
    void setShowReference(bool show);
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // The runs loaded so far, in row order.
    std::vector<RunRecord> runs() const;
    const RunRecord* runAt(int row) const;
    // A loaded run by id, or nullptr (no scan).
    const RunRecord* runById(qint64 id) const;
    int rowOfId(qint64 id) const;  // -1 when not loaded
    // Every run the query matches, in table order (loaded or not).
    const QVector<qint64>& matchingIds() const { return mIds; }
    bool busy() const { return mBusy; }
    int resetCount() const { return mResets; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

public Q_SLOTS:
    // Asks the store what changed (connected to StoreSession::runsChanged).
    void storeChanged();
    // Reads the query again from the start (after opening another store).
    void reload();

Q_SIGNALS:
    // A query, a page or an update has been applied.
    void updated();
    // Runs that left the table because they were deleted.
    void runsRemoved(const QList<qint64>& ids);
    // True just before rows are removed, false once they are (a view keeps
    // its selection of ids through the selection model's reaction).
    void rowsLeaving(bool leaving);
    void readFailed(const QString& message);

public:
    // What one read brings back (runsmodel.cpp).
    struct Update;

private:
    RunQuery query() const;
    void startQuery();
    void applyQuery(quint64 generation, Update update);
    void applyChanges(quint64 generation, Update update);
    void removeRows(const QSet<qint64>& keep);
    void insertMissing(const QVector<qint64>& target, QHash<qint64, RunRecord>& records);
    void reorder(const QVector<qint64>& target);
    void reindex();
    void finishRead();

    StoreSession* mSession = nullptr;
    QString mText;
    QString mStatus;
    bool mShowReference = true;
    RunSort mSort = RunSort::Id;
    bool mDescending = true;

    QVector<qint64> mIds;               // every matching id, in order
    QVector<qint64> mRows;              // the loaded prefix as shown (mRows[i] == row i)
    QHash<qint64, RunRecord> mRecords;  // loaded runs by id
    QHash<qint64, int> mRowOf;          // loaded id -> row
    std::int64_t mMarker = 0;
    quint64 mGeneration = 0;  // bumped by every new query: older answers are dropped
    bool mBusy = false;       // a read is out: no second one before it is applied
    bool mChangePending = false;
    bool mQueryPending = false;
    bool mFetchPending = false;
    int mResets = 0;
};

}  // namespace vidrnn::ui
