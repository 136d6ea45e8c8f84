#include "views/runsview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "charts/exporter.h"
#include "models/runsmodel.h"
#include "models/storesession.h"
#include "support/qtsupport.h"
#include "vidrnn/report.h"
#include "widgets/rerundialog.h"

namespace vidrnn::ui {

namespace {

// Ctrl+A (and Edit > Select All) selects every matching run, not only the
// rows loaded so far.
class RunsTable : public QTableView {
public:
    RunsTable(RunsView* view, QWidget* parent) : QTableView(parent), mView(view) {}
    void selectAll() override { mView->selectAll(); }

private:
    RunsView* mView;
};

}  // namespace

RunsView::RunsView(StoreSession* session, QWidget* parent) : QWidget(parent), mSession(session) {
    mModel = new RunsModel(session, this);

    mFilterEdit = new QLineEdit(this);
    mFilterEdit->setObjectName("runsFilter");
    mFilterEdit->setPlaceholderText(
        tr("Search: every word in some column (gru 256 groups), run id, note or message"));
    mFilterEdit->setClearButtonEnabled(true);
    mStatus = new QComboBox(this);
    mStatus->addItem(tr("Any status"), QString());
    for (const char* s :
         {"completed", "running", "failed", "cancelled", "interrupted", "queued", "reference"}) {
        mStatus->addItem(QString::fromLatin1(s), QString::fromLatin1(s));
    }
    mReference = new QCheckBox(tr("Study's rows"), this);
    mReference->setChecked(true);
    mReference->setToolTip(tr("Show the published rows of the study as reference runs"));
    mCount = new QLabel(this);

    auto* top = new QHBoxLayout;
    top->addWidget(mFilterEdit, 1);
    top->addWidget(mStatus);
    top->addWidget(mReference);
    top->addWidget(mCount);

    mTable = new RunsTable(this, this);
    mTable->setObjectName("runsTable");
    mTable->setModel(mModel);
    mTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    mTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    mTable->setAlternatingRowColors(true);
    mTable->verticalHeader()->setVisible(false);
    mTable->verticalHeader()->setDefaultSectionSize(mTable->fontMetrics().height() + 8);
    mTable->horizontalHeader()->setStretchLastSection(true);
    mTable->horizontalHeader()->setSectionsMovable(true);
    mTable->setWordWrap(false);

    mCompare = new QPushButton(tr("Compare"), this);
    mCompare->setToolTip(tr("Overlaid curves and charts of the selected runs"));
    mConfusion = new QPushButton(tr("Confusion matrix"), this);
    mScrub = new QPushButton(tr("Open in scrubber"), this);
    mRerun = new QPushButton(tr("Rerun and check…"), this);
    mRerun->setObjectName("rerunRun");
    mRerun->setToolTip(
        tr("Train the selected run again from its stored record and compare the two bit for "
           "bit"));
    mAnnotate = new QPushButton(tr("Annotate…"), this);
    mDelete = new QPushButton(tr("Delete"), this);
    mDelete->setObjectName("deleteRuns");
    auto* exportTableButton = new QPushButton(tr("Export table…"), this);
    exportTableButton->setToolTip(
        tr("The study's table for the selected runs (CSV, Markdown, LaTeX)"));
    auto* report = new QPushButton(tr("Export report…"), this);
    report->setToolTip(tr("Comparison charts and the table together, into a folder"));
    auto* buttons = new QHBoxLayout;
    for (auto* b : {mCompare, mConfusion, mScrub, mRerun, mAnnotate, mDelete}) {
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    buttons->addWidget(exportTableButton);
    buttons->addWidget(report);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(mTable, 1);
    layout->addLayout(buttons);

    connect(mFilterEdit, &QLineEdit::textChanged, mModel, &RunsModel::setText);
    connect(mStatus, &QComboBox::currentIndexChanged, this,
            [this] { mModel->setStatus(mStatus->currentData().toString()); });
    connect(mReference, &QCheckBox::toggled, mModel, &RunsModel::setShowReference);
    // Rows that arrive show whether they are selected; the buttons follow.
    connect(mModel, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { showSelection(first, last); });
    connect(mModel, &QAbstractItemModel::modelReset, this, [this] {
        showSelection(0, mModel->rowCount() - 1);
        fitColumns();
    });
    connect(mModel, &RunsModel::updated, this, &RunsView::updateButtons);
    // A run that leaves the table (a search no longer matches it) stays
    // selected; one deleted leaves the selection through runsRemoved.
    connect(mModel, &RunsModel::rowsLeaving, this, [this](bool leaving) { mSyncing = leaving; });
    connect(mModel, &RunsModel::runsRemoved, this, [this](const QList<qint64>& ids) {
        bool changed = false;
        for (qint64 id : ids)
            changed = mSelected.remove(id) || changed;
        if (changed) {
            updateButtons();
            Q_EMIT selectionChanged(selectedRunIds());
        }
    });
    connect(mModel, &RunsModel::readFailed, this, [this](const QString& message) {
        Q_EMIT errorOccurred(tr("Cannot read the run store"), message);
    });
    connect(mTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunsView::selectionDelta);
    connect(mTable, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const RunRecord* r = mModel->runAt(index.row());
        if (r && r->status == RunStatus::Completed) {
            Q_EMIT confusionRequested(r->id);
        }
    });
    connect(mCompare, &QPushButton::clicked, this,
            [this] { Q_EMIT compareRequested(selectedRunIds()); });
    connect(mConfusion, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRunIds();
        if (!ids.isEmpty()) {
            Q_EMIT confusionRequested(ids.front());
        }
    });
    connect(mScrub, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRunIds();
        if (!ids.isEmpty()) {
            Q_EMIT scrubRequested(ids.front());
        }
    });
    connect(mRerun, &QPushButton::clicked, this, &RunsView::rerunSelected);
    mTable->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(mTable, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QMenu menu(this);
        menu.addAction(tr("Rerun and check…"), this, &RunsView::rerunSelected)
            ->setEnabled(mRerun->isEnabled());
        menu.exec(mTable->viewport()->mapToGlobal(at));
    });
    connect(mAnnotate, &QPushButton::clicked, this, &RunsView::annotateSelected);
    connect(mDelete, &QPushButton::clicked, this, &RunsView::deleteSelected);
    connect(exportTableButton, &QPushButton::clicked, this, &RunsView::chooseTableExport);
    connect(report, &QPushButton::clicked, this, &RunsView::reportRequested);
    connect(mSession, &StoreSession::runsChanged, mModel, &RunsModel::storeChanged);
    connect(mSession, &StoreSession::opened, this, [this] {
        mSelected.clear();
        mModel->reload();
    });
    // The first query: the newest runs first.
    mTable->setSortingEnabled(true);
    mTable->sortByColumn(RunsModel::ColId, Qt::DescendingOrder);
    updateButtons();
}

void RunsView::reload() {
    mModel->reload();
}

void RunsView::fitColumns() {
    // Columns only ever widen to fit new rows, so the user's widths stay
    // otherwise; the type column is capped.
    {
        for (int c = 0; c < RunsModel::ColumnCount; ++c) {
            int want = std::max(static_cast<QAbstractItemView*>(mTable)->sizeHintForColumn(c),
                                mTable->horizontalHeader()->sectionSizeHint(c));
            if (c == RunsModel::ColType) {
                want = std::min(want, 220);
            }
            if (want > mTable->columnWidth(c)) {
                mTable->setColumnWidth(c, want);
            }
        }
    }
}

QList<qint64> RunsView::selectedRunIds() const {
    QList<qint64> ids(mSelected.begin(), mSelected.end());
    std::sort(ids.begin(), ids.end());
    return ids;
}

// The user's clicks change the id set by what they changed, never by a scan.
void RunsView::selectionDelta(const QItemSelection& selected, const QItemSelection& deselected) {
    if (mSyncing) {
        return;
    }
    for (const auto& range : deselected) {
        for (int row = range.top(); row <= range.bottom(); ++row) {
            if (const RunRecord* r = mModel->runAt(row))
                mSelected.remove(r->id);
        }
    }
    for (const auto& range : selected) {
        for (int row = range.top(); row <= range.bottom(); ++row) {
            if (const RunRecord* r = mModel->runAt(row))
                mSelected.insert(r->id);
        }
    }
    updateButtons();
    Q_EMIT selectionChanged(selectedRunIds());
}

void RunsView::showSelection(int first, int last) {
    if (mSelected.isEmpty() || last < first) {
        return;
    }
    QItemSelection selection;
    for (int row = first; row <= last; ++row) {
        const RunRecord* r = mModel->runAt(row);
        if (!r || !mSelected.contains(r->id))
            continue;
        int end = row;
        while (end + 1 <= last) {
            const RunRecord* next = mModel->runAt(end + 1);
            if (!next || !mSelected.contains(next->id))
                break;
            ++end;
        }
        selection.select(mModel->index(row, 0), mModel->index(end, RunsModel::ColumnCount - 1));
        row = end;
    }
    mSyncing = true;
    mTable->selectionModel()->select(selection, QItemSelectionModel::Select);
    mSyncing = false;
}

void RunsView::selectRuns(const QList<qint64>& ids) {
    mSelected = QSet<qint64>(ids.begin(), ids.end());
    mSyncing = true;
    mTable->selectionModel()->clearSelection();
    mSyncing = false;
    showSelection(0, mModel->rowCount() - 1);
    updateButtons();
    Q_EMIT selectionChanged(selectedRunIds());
}

void RunsView::selectAll() {
    const auto& ids = mModel->matchingIds();
    mSelected.unite(QSet<qint64>(ids.begin(), ids.end()));
    if (mModel->rowCount() > 0) {
        mSyncing = true;
        mTable->selectionModel()->select(
            QItemSelection(mModel->index(0, 0),
                           mModel->index(mModel->rowCount() - 1, RunsModel::ColumnCount - 1)),
            QItemSelectionModel::Select);
        mSyncing = false;
    }
    updateButtons();
    Q_EMIT selectionChanged(selectedRunIds());
}

void RunsView::updateButtons() {
    // Linear in the selection, never in the selection times the runs; runs
    // not loaded yet are judged when an action meets them (deleteRun refuses
    // a reference or running run with a message).
    bool completed = false, trained = false, deletable = !mSelected.isEmpty();
    for (qint64 id : mSelected) {
        const RunRecord* r = mModel->runById(id);
        if (!r)
            continue;
        completed = completed || r->status == RunStatus::Completed;
        trained = trained || r->kind == RunKind::Trained;
        if (r->kind == RunKind::Reference || r->status == RunStatus::Running) {
            deletable = false;
        }
    }
    const int count = int(mSelected.size());
    const bool oneCompleted = count == 1 && completed;
    mCompare->setEnabled(count > 0);
    mConfusion->setEnabled(oneCompleted);
    mScrub->setEnabled(oneCompleted);
    mRerun->setEnabled(oneCompleted && trained);
    mAnnotate->setEnabled(count > 0);
    mDelete->setEnabled(deletable);
    mCount->setText(count > 0
                        ? tr("%1 runs, %2 selected").arg(mModel->matchingIds().size()).arg(count)
                        : tr("%1 runs").arg(mModel->matchingIds().size()));
}

void RunsView::rerunSelected() {
    const auto ids = selectedRunIds();
    if (ids.size() == 1) {
        if (auto* dialog = openRerunDialog(ids.front())) {
            dialog->show();
        }
    }
}

RerunDialog* RunsView::openRerunDialog(qint64 id) {
    const RunRecord* r = mModel->runById(id);
    if (!r || r->kind != RunKind::Trained || r->status != RunStatus::Completed) {
        Q_EMIT errorOccurred(tr("Rerun and check"),
                             tr("Run %1 is not a completed trained run: nothing to rerun and "
                                "compare.")
                                 .arg(id));
        return nullptr;
    }
    auto* dialog = new RerunDialog(mSession->path(), *r, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    return dialog;
}

void RunsView::deleteSelected() {
    const auto ids = selectedRunIds();
    if (ids.isEmpty()) {
        return;
    }
    const auto answer =
        QMessageBox::question(this, tr("Delete runs"),
                              tr("Delete %n run(s) with their curves, metrics and predictions? "
                                 "Checkpoint files stay on disk.",
                                 nullptr, static_cast<int>(ids.size())));
    if (answer == QMessageBox::Yes) {
        deleteRuns(ids);
    }
}

int RunsView::deleteRuns(const QList<qint64>& ids) {
    if (!mSession->store()) {
        return 0;
    }
    int done = 0;
    for (qint64 id : ids) {
        try {
            mSession->store()->deleteRun(id);
            ++done;
        } catch (const std::exception& e) {
            Q_EMIT errorOccurred(tr("Cannot delete run %1").arg(id), qs(e.what()));
            break;
        }
    }
    mSession->refresh();
    return done;
}

int RunsView::annotateRuns(const QList<qint64>& ids, const QString& note) {
    if (!mSession->store()) {
        return 0;
    }
    int done = 0;
    for (qint64 id : ids) {
        try {
            mSession->store()->annotate(id, ss(note));
            ++done;
        } catch (const std::exception& e) {
            Q_EMIT errorOccurred(tr("Cannot annotate run %1").arg(id), qs(e.what()));
            break;
        }
    }
    mSession->refresh();
    return done;
}

void RunsView::annotateSelected() {
    const auto ids = selectedRunIds();
    if (ids.isEmpty()) {
        return;
    }
    const auto first = mSession->run(ids.front());
    bool ok = false;
    const QString note = QInputDialog::getText(
        this, tr("Annotate runs"), tr("Note for %n run(s):", nullptr, static_cast<int>(ids.size())),
        QLineEdit::Normal, first ? qs(first->note) : QString(), &ok);
    if (ok) {
        annotateRuns(ids, note);
    }
}

std::vector<RunRecord> RunsView::runsForExport() const {
    std::vector<std::int64_t> ids;
    for (qint64 id : mSelected.isEmpty() ? mModel->matchingIds() : selectedRunIds()) {
        ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
    try {
        return mSession->store() ? mSession->store()->getRuns(ids) : std::vector<RunRecord>{};
    } catch (const std::exception&) {
        return {};
    }
}

QString RunsView::exportTable(const QString& file) const {
    TableFormat format;
    if (!tableFormatForFile(file, &format)) {
        return tr("%1: unknown table format (use .csv, .md or .tex)").arg(file);
    }
    const ReportFormat rf = format == TableFormat::Csv        ? ReportFormat::Csv
                            : format == TableFormat::Markdown ? ReportFormat::Markdown
                                                              : ReportFormat::Latex;
    ReportOptions options;
    options.includeReference = true;
    const auto report = buildReport(runsForExport(), options);
    return writeTextFile(file, qs(formatReport(report, rf)));
}

void RunsView::chooseTableExport() {
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export the runs table"), QDir::current().absoluteFilePath("runs.md"),
        tr("Markdown (*.md);;CSV (*.csv);;LaTeX (*.tex)"));
    if (file.isEmpty()) {
        return;
    }
    const QString error = exportTable(file);
    if (!error.isEmpty()) {
        Q_EMIT errorOccurred(tr("Export failed"), error);
    }
}

}  // namespace vidrnn::ui
