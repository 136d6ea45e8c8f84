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
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "charts/exporter.h"
#include "support/qtsupport.h"
#include "models/runsmodel.h"
#include "models/storesession.h"
#include "vidrnn/report.h"

namespace vidrnn::ui {

RunsView::RunsView(StoreSession* session, QWidget* parent) : QWidget(parent), mSession(session) {
    mModel = new RunsModel(this);
    mFilter = new RunsFilter(this);
    mFilter->setSourceModel(mModel);

    mFilterEdit = new QLineEdit(this);
    mFilterEdit->setObjectName("runsFilter");
    mFilterEdit->setPlaceholderText(tr("Filter: words matched in any column (gru 256 groups)"));
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

    mTable = new QTableView(this);
    mTable->setObjectName("runsTable");
    mTable->setModel(mFilter);
    mTable->setSortingEnabled(true);
    mTable->sortByColumn(RunsModel::ColId, Qt::DescendingOrder);
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
    mAnnotate = new QPushButton(tr("Annotate…"), this);
    mDelete = new QPushButton(tr("Delete"), this);
    mDelete->setObjectName("deleteRuns");
    auto* exportTableButton = new QPushButton(tr("Export table…"), this);
    exportTableButton->setToolTip(
        tr("The study's table for the selected runs (CSV, Markdown, LaTeX)"));
    auto* report = new QPushButton(tr("Export report…"), this);
    report->setToolTip(tr("Comparison charts and the table together, into a folder"));
    auto* buttons = new QHBoxLayout;
    for (auto* b : {mCompare, mConfusion, mScrub, mAnnotate, mDelete}) {
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    buttons->addWidget(exportTableButton);
    buttons->addWidget(report);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(mTable, 1);
    layout->addLayout(buttons);

    connect(mFilterEdit, &QLineEdit::textChanged, mFilter, &RunsFilter::setText);
    connect(mStatus, &QComboBox::currentIndexChanged, this,
            [this] { mFilter->setStatus(mStatus->currentData().toString()); });
    connect(mReference, &QCheckBox::toggled, mFilter, &RunsFilter::setShowReference);
    connect(mFilter, &QAbstractItemModel::rowsInserted, this, &RunsView::updateButtons);
    connect(mFilter, &QAbstractItemModel::rowsRemoved, this, &RunsView::updateButtons);
    connect(mFilter, &QAbstractItemModel::modelReset, this, &RunsView::updateButtons);
    connect(mFilter, &QAbstractItemModel::layoutChanged, this, &RunsView::updateButtons);
    connect(mTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        Q_EMIT selectionChanged(selectedRunIds());
    });
    connect(mTable, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const qint64 id = index.data(RunsModel::IdRole).toLongLong();
        if (const auto* r = mSession->run(id); r && r->status == RunStatus::Completed) {
            Q_EMIT confusionRequested(id);
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
    connect(mAnnotate, &QPushButton::clicked, this, &RunsView::annotateSelected);
    connect(mDelete, &QPushButton::clicked, this, &RunsView::deleteSelected);
    connect(exportTableButton, &QPushButton::clicked, this, &RunsView::chooseTableExport);
    connect(report, &QPushButton::clicked, this, &RunsView::reportRequested);
    connect(mSession, &StoreSession::runsChanged, this, &RunsView::reload);
    reload();
}

void RunsView::reload() {
    const auto selected = selectedRunIds();
    const int before = mModel->rowCount();
    mModel->setRuns(mSession->runs());
    selectRuns(selected);
    // Columns only ever widen to fit new rows, so the user's widths stay
    // otherwise; the type column is capped.
    if (mModel->rowCount() != before) {
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
    updateButtons();
}

QList<qint64> RunsView::selectedRunIds() const {
    QList<qint64> ids;
    for (const auto& index : mTable->selectionModel()->selectedRows()) {
        ids << index.data(RunsModel::IdRole).toLongLong();
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

void RunsView::selectRuns(const QList<qint64>& ids) {
    QItemSelection selection;
    for (qint64 id : ids) {
        const int row = mModel->rowOfId(id);
        if (row < 0) {
            continue;
        }
        const auto proxy = mFilter->mapFromSource(mModel->index(row, 0));
        if (proxy.isValid()) {
            selection.select(proxy, proxy.siblingAtColumn(RunsModel::ColumnCount - 1));
        }
    }
    mTable->selectionModel()->select(
        selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void RunsView::updateButtons() {
    const auto ids = selectedRunIds();
    bool completed = false, deletable = !ids.isEmpty();
    for (qint64 id : ids) {
        const auto* r = mSession->run(id);
        completed = completed || (r && r->status == RunStatus::Completed);
        if (!r || r->kind == RunKind::Reference || r->status == RunStatus::Running) {
            deletable = false;
        }
    }
    const bool oneCompleted = ids.size() == 1 && completed;
    mCompare->setEnabled(!ids.isEmpty());
    mConfusion->setEnabled(oneCompleted);
    mScrub->setEnabled(oneCompleted);
    mAnnotate->setEnabled(!ids.isEmpty());
    mDelete->setEnabled(deletable);
    mCount->setText(tr("%1 of %2 runs").arg(mFilter->rowCount()).arg(mModel->rowCount()));
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
    const auto* first = mSession->run(ids.front());
    bool ok = false;
    const QString note = QInputDialog::getText(
        this, tr("Annotate runs"), tr("Note for %n run(s):", nullptr, static_cast<int>(ids.size())),
        QLineEdit::Normal, first ? qs(first->note) : QString(), &ok);
    if (ok) {
        annotateRuns(ids, note);
    }
}

std::vector<RunRecord> RunsView::runsForExport() const {
    std::vector<RunRecord> runs;
    auto ids = selectedRunIds();
    if (ids.isEmpty()) {
        for (int row = 0; row < mFilter->rowCount(); ++row) {
            ids << mFilter->index(row, 0).data(RunsModel::IdRole).toLongLong();
        }
    }
    for (qint64 id : ids) {
        if (const auto* r = mSession->run(id)) {
            runs.push_back(*r);
        }
    }
    return runs;
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
