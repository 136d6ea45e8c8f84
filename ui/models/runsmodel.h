// Every run of the store as a table, with the study's columns (type, hidden,
// parameters, training time, accuracy, macro F1) plus status, protocol and
// backbone. Sorting uses raw numbers (SortRole); the filter proxy adds a
// free-text filter, a status filter and a switch for the reference rows.
#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <vector>

#include "vidrnn/store.h"

namespace vidrnn::ui {

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
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int IdRole = Qt::UserRole + 2;

    explicit RunsModel(QObject* parent = nullptr);

    void setRuns(std::vector<RunRecord> runs);
    const std::vector<RunRecord>& runs() const { return mRuns; }
    const RunRecord* runAt(int row) const;
    int rowOfId(qint64 id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation o, int role) const override;

private:
    std::vector<RunRecord> mRuns;
};

class RunsFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RunsFilter(QObject* parent = nullptr);

    void setText(const QString& text);
    // "" = any status.
    void setStatus(const QString& status);
    void setShowReference(bool show);

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    QString mText;
    QString mStatus;
    bool mShowReference = true;
};

}  // namespace vidrnn::ui
