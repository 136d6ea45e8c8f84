#include "views/sweepview.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "models/storesession.h"
#include "support/qtsupport.h"

namespace vidrnn::ui {

struct SweepView::Snapshot {
    std::vector<SweepRecord> sweeps;  // newest first
    std::optional<SweepProgress> progress;
};

SweepView::SweepView(StoreSession* session, QWidget* parent) : QWidget(parent), mSession(session) {
    mSweeps = new QComboBox(this);
    mSweeps->setObjectName("sweepChooser");
    mSweeps->addItem(tr("Newest sweep"), qint64(0));
    mSummary = new QLabel(this);
    mSummary->setObjectName("sweepSummary");
    mSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mBar = new QProgressBar(this);
    mBar->setObjectName("sweepProgress");
    mBar->setFormat(tr("%v of %m cells done"));
    mBar->setRange(0, 1);
    mBar->setValue(0);
    // Wide enough for "1,800 of 1,800 cells done" on one line.
    mBar->setMinimumWidth(mBar->fontMetrics().horizontalAdvance(
                              tr("%1 of %1 cells done").arg(QStringLiteral("99,999"))) +
                          40);

    auto* top = new QHBoxLayout;
    top->addWidget(mSweeps);
    top->addWidget(mSummary, 1);
    top->addWidget(mBar);

    mCells = new QTableWidget(0, ColumnCount, this);
    mCells->setObjectName("sweepCells");
    mCells->setHorizontalHeaderLabels({tr("State"), tr("Run"), tr("Type"), tr("Hidden"), tr("Fold"),
                                       tr("Seed"), tr("Host"), tr("PID"), tr("Slurm job"),
                                       tr("Last heartbeat (UTC)"), tr("Reason")});
    mCells->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mCells->setSelectionBehavior(QAbstractItemView::SelectRows);
    mCells->setAlternatingRowColors(true);
    mCells->verticalHeader()->setVisible(false);
    mCells->horizontalHeader()->setStretchLastSection(true);
    // Columns as wide as their header and cells ("Last heartbeat (UTC)" was
    // cut), the reason taking the rest; the rows are the running and failed
    // cells, few.
    for (int c = 0; c + 1 < ColumnCount; ++c) {
        mCells->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    }
    mCells->setWordWrap(false);

    auto* note = new QLabel(tr("Cells being trained and cells given up; completed runs appear in "
                               "the Runs tab as workers finish them."),
                            this);
    note->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(mCells, 1);
    layout->addWidget(note);

    connect(mSweeps, &QComboBox::currentIndexChanged, this, &SweepView::refresh);
    connect(mSession, &StoreSession::runsChanged, this, &SweepView::refresh);
    connect(mSession, &StoreSession::opened, this, &SweepView::reset);
    reset();
}

QString SweepView::summary() const {
    return mSummary->text();
}

void SweepView::reset() {
    ++mGeneration;
    mBusy = false;
    mPending = false;
    mProgress.reset();
    showSweeps({});
    showCells();
    if (mSession->isOpen()) {
        mSummary->setText(tr("Reading the store…"));
    }
    refresh();
}

void SweepView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (mDirty) {
        refresh();
    }
}

void SweepView::refresh() {
    if (!mSession->isOpen()) {
        return;
    }
    if (!isVisible()) {
        mDirty = true;
        return;
    }
    mDirty = false;
    if (mBusy) {
        mPending = true;
        return;
    }
    mBusy = true;
    const quint64 generation = mGeneration;
    const std::int64_t chosen = mSweeps->currentData().toLongLong();
    mSession->read<Snapshot>(
        this,
        [chosen](const RunStore& store) {
            Snapshot s;
            s.sweeps = store.listSweeps();
            std::reverse(s.sweeps.begin(), s.sweeps.end());
            s.progress = sweepProgress(store, chosen);
            return s;
        },
        [this, generation](Snapshot snapshot, const QString& error) {
            if (generation != mGeneration) {
                return;  // another store opened meanwhile; reset() read it again
            }
            mBusy = false;
            if (error.isEmpty()) {
                apply(std::move(snapshot));
            } else {
                mSummary->setText(tr("Cannot read the sweep: %1").arg(error));
            }
            if (mPending) {
                mPending = false;
                refresh();
            }
        });
}

void SweepView::apply(Snapshot snapshot) {
    showSweeps(snapshot.sweeps);
    mProgress = std::move(snapshot.progress);
    showCells();
    ++mUpdates;
    Q_EMIT updated();
}

void SweepView::showSweeps(const std::vector<SweepRecord>& sweeps) {
    std::vector<std::int64_t> ids;
    for (const auto& s : sweeps) {
        ids.push_back(s.id);
    }
    if (ids == mSweepIds) {
        return;
    }
    // Rebuilt only when the sweeps changed, keeping the choice.
    const qint64 chosen = mSweeps->currentData().toLongLong();
    const QSignalBlocker block(mSweeps);
    while (mSweeps->count() > 1) {
        mSweeps->removeItem(1);
    }
    for (const auto& s : sweeps) {
        mSweeps->addItem(tr("Sweep %1 · %2 · %3").arg(s.id).arg(qs(s.status), qs(s.createdAt)),
                         qint64(s.id));
    }
    mSweeps->setCurrentIndex(std::max(0, mSweeps->findData(chosen)));
    mSweepIds = std::move(ids);
}

void SweepView::showCells() {
    if (!mProgress) {
        mSummary->setText(mSession->isOpen()
                              ? tr("No sweep in this store yet: start workers on it "
                                   "(vidrnn --db STORE sweep … --worker) or queue one with "
                                   "Run > Sweep…")
                              : tr("No run store is open."));
        mBar->setRange(0, 1);
        mBar->setValue(0);
        mCells->setRowCount(0);
        return;
    }
    const SweepProgress& p = *mProgress;
    // The words and order of `vidrnn sweep status`.
    mSummary->setText(tr("Sweep %1 (%2): %3 cells: %4 done, %5 running, %6 queued, %7 failed")
                          .arg(p.sweep.id)
                          .arg(qs(p.sweep.status))
                          .arg(p.cells)
                          .arg(p.done)
                          .arg(p.running)
                          .arg(p.queued)
                          .arg(p.failed) +
                      (p.stale ? tr(", %1 stale (lease ran out)").arg(p.stale) : QString()));
    mSummary->setToolTip(qs(p.sweep.dataset));
    mBar->setRange(0, std::max(1, p.cells));
    mBar->setValue(p.done);

    mCells->setRowCount(
        static_cast<int>(p.runningRuns.size() + p.staleRuns.size() + p.failedRuns.size()));
    int row = 0;
    auto put = [this, &row](int column, const QString& text, bool number = false) {
        auto* item = new QTableWidgetItem(text);
        if (number) {
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        }
        mCells->setItem(row, column, item);
    };
    auto addRow = [&](const RunRecord& r, const QString& state) {
        put(ColState, state);
        put(ColRun, QString::number(r.id), true);
        put(ColType, runTypeLabel(r));
        put(ColHidden, QString::number(r.hidden), true);
        put(ColFold, r.fold ? QString::number(*r.fold) : QString(), true);
        put(ColSeed, r.seed ? QString::number(*r.seed) : QString(), true);
        put(ColHost, qs(r.ownerHost));
        put(ColPid, r.ownerPid ? QString::number(*r.ownerPid) : QString(), true);
        put(ColJob, r.ownerJob.empty() ? QStringLiteral("-") : qs(r.ownerJob));
        put(ColHeartbeat, qs(r.heartbeatAt));
        put(ColReason, r.status == RunStatus::Failed ? qs(r.message) : QString());
        ++row;
    };
    for (const auto& r : p.runningRuns) {
        addRow(r, tr("running"));
    }
    // Running by its row, but its holder's lease ran out: the next worker takes it.
    for (const auto& r : p.staleRuns) {
        addRow(r, tr("stale (lease ran out)"));
    }
    for (const auto& r : p.failedRuns) {
        addRow(r, tr("failed"));
    }
}

}  // namespace vidrnn::ui
