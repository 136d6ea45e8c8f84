// The runs table: every run in the store (reference rows included), sortable
// and filterable; multi-select to compare; delete, annotate, export.
#pragma once

#include <QWidget>

#include <vector>

#include "vidrnn/store.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace vidrnn::ui {

class RunsFilter;
class RunsModel;
class StoreSession;

class RunsView : public QWidget {
    Q_OBJECT
public:
    RunsView(StoreSession* session, QWidget* parent = nullptr);

    QTableView* table() const { return mTable; }
    RunsModel* model() const { return mModel; }
    RunsFilter* filter() const { return mFilter; }
    QLineEdit* filterEdit() const { return mFilterEdit; }

    QList<qint64> selectedRunIds() const;
    void selectRuns(const QList<qint64>& ids);
    // The selected runs, or every row shown when none is selected.
    std::vector<RunRecord> runsForExport() const;
    // The runs as the study's table (vidrnn::buildReport + formatReport),
    // format from the suffix (.csv, .md, .tex); returns an error or "".
    QString exportTable(const QString& file) const;
    // Without asking; errors are reported through errorOccurred. Return how
    // many runs changed.
    int deleteRuns(const QList<qint64>& ids);
    int annotateRuns(const QList<qint64>& ids, const QString& note);

public Q_SLOTS:
    void reload();
    void deleteSelected();
    void annotateSelected();
    void chooseTableExport();

Q_SIGNALS:
    void compareRequested(const QList<qint64>& ids);
    void confusionRequested(qint64 id);
    void scrubRequested(qint64 id);
    void reportRequested();
    void selectionChanged(const QList<qint64>& ids);
    void errorOccurred(const QString& title, const QString& message);

private:
    void updateButtons();

    StoreSession* mSession = nullptr;
    RunsModel* mModel = nullptr;
    RunsFilter* mFilter = nullptr;
    QTableView* mTable = nullptr;
    QLineEdit* mFilterEdit = nullptr;
    QComboBox* mStatus = nullptr;
    QCheckBox* mReference = nullptr;
    QLabel* mCount = nullptr;
    QPushButton* mCompare = nullptr;
    QPushButton* mConfusion = nullptr;
    QPushButton* mScrub = nullptr;
    QPushButton* mAnnotate = nullptr;
    QPushButton* mDelete = nullptr;
};

}  // namespace vidrnn::ui
