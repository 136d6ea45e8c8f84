// The runs table: every run in the store (reference rows included), sorted
// and searched by the store, rows fetched as the table scrolls; multi-select
// to compare; delete, annotate, export. The selection is a set of run ids:
// "select all" takes every run the search matches, loaded or not, and stays
// through a new search, a sort or a change by another program.
#pragma once

#include <QSet>
#include <QWidget>

#include <vector>

#include "vidrnn/store.h"

class QCheckBox;
class QItemSelection;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace vidrnn::ui {

class RerunDialog;
class RunsModel;
class StoreSession;

class RunsView : public QWidget {
    Q_OBJECT
public:
    RunsView(StoreSession* session, QWidget* parent = nullptr);

    QTableView* table() const { return mTable; }
    RunsModel* model() const { return mModel; }
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
    // Results > Rerun and check: a dialog (deleted on close) for a completed
    // trained run; nullptr, with errorOccurred, for any other run.
    RerunDialog* openRerunDialog(qint64 id);

public Q_SLOTS:
    void reload();
    // Every run the current search matches.
    void selectAll();
    void deleteSelected();
    void annotateSelected();
    void chooseTableExport();
    // The one selected run in the rerun dialog.
    void rerunSelected();

Q_SIGNALS:
    void compareRequested(const QList<qint64>& ids);
    void confusionRequested(qint64 id);
    void scrubRequested(qint64 id);
    void reportRequested();
    void selectionChanged(const QList<qint64>& ids);
    void errorOccurred(const QString& title, const QString& message);

private:
    void updateButtons();
    void selectionDelta(const QItemSelection& selected, const QItemSelection& deselected);
    // Selects the shown rows in rows [first, last] whose ids are selected.
    void showSelection(int first, int last);
    void fitColumns();

    StoreSession* mSession = nullptr;
    RunsModel* mModel = nullptr;
    QSet<qint64> mSelected;
    bool mSyncing = false;  // the selection model follows mSelected, not the reverse
    QTableView* mTable = nullptr;
    QLineEdit* mFilterEdit = nullptr;
    QComboBox* mStatus = nullptr;
    QCheckBox* mReference = nullptr;
    QLabel* mCount = nullptr;
    QPushButton* mCompare = nullptr;
    QPushButton* mConfusion = nullptr;
    QPushButton* mScrub = nullptr;
    QPushButton* mRerun = nullptr;
    QPushButton* mAnnotate = nullptr;
    QPushButton* mDelete = nullptr;
};

}  // namespace vidrnn::ui
