#include "views/trainingview.h"

#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "support/qtsupport.h"
#include "vidrnn/models.h"
#include "vidrnn/splits.h"
#include "widgets/livecurves.h"
#include "widgets/runsetupwidget.h"
#include "widgets/sweepdialog.h"
#include "work/runqueue.h"
#include "work/trainingjob.h"

namespace vidrnn::ui {

TrainingView::TrainingView(RunQueue* queue, QWidget* parent) : QWidget(parent), mQueue(queue) {
    mSetup = new RunSetupWidget(this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(mSetup);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    mStart = new QPushButton(tr("Start"), this);
    mStart->setObjectName("startButton");
    mStart->setToolTip(tr("Queue one run with these settings (Ctrl+R)"));
    mCancel = new QPushButton(tr("Cancel"), this);
    mCancel->setObjectName("cancelButton");
    mCancel->setToolTip(tr("Stop the running batch after the current training step"));
    mSweep = new QPushButton(tr("Sweep…"), this);
    mSweep->setObjectName("sweepButton");
    mSweep->setToolTip(tr("Queue a grid of architectures and hidden sizes (Ctrl+Shift+R)"));
    mReproduce = new QPushButton(tr("Reproduce the study"), this);
    mReproduce->setObjectName("reproduceButton");
    mReproduce->setToolTip(
        tr("Generate the demo data if needed and queue the default sweep "
           "with the CLI demo's settings"));
    auto* buttons = new QGridLayout;
    buttons->addWidget(mStart, 0, 0);
    buttons->addWidget(mCancel, 0, 1);
    buttons->addWidget(mSweep, 1, 0);
    buttons->addWidget(mReproduce, 1, 1);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(scroll, 1);
    leftLayout->addLayout(buttons);

    mStage = new QLabel(tr("Idle."), this);
    mStage->setObjectName("stageLabel");
    mProgress = new QProgressBar(this);
    mProgress->setObjectName("trainProgress");
    mProgress->setRange(0, 100);
    mProgress->setValue(0);
    mEta = new QLabel(this);
    mEta->setObjectName("etaLabel");
    mEta->setMinimumWidth(260);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(mProgress, 1);
    progressRow->addWidget(mEta);

    mCurves = new LiveCurves(this);
    mCurves->setObjectName("liveCurves");

    mQueueTable = new QTableView(this);
    mQueueTable->setObjectName("queueTable");
    mQueueTable->setModel(mQueue);
    mQueueTable->verticalHeader()->setVisible(false);
    mQueueTable->verticalHeader()->setDefaultSectionSize(mQueueTable->fontMetrics().height() + 6);
    mQueueTable->horizontalHeader()->setStretchLastSection(true);
    mQueueTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    mQueueTable->setColumnWidth(RunQueue::ColBatch, 110);
    mQueueTable->setColumnWidth(RunQueue::ColRun, 300);
    mQueueTable->setColumnWidth(RunQueue::ColState, 90);
    mQueueTable->setColumnWidth(RunQueue::ColRunId, 60);
    auto* queueTitle = new QLabel(tr("<b>Queue</b>"), this);
    auto* removeQueued = new QPushButton(tr("Remove queued"), this);
    auto* clearFinished = new QPushButton(tr("Clear finished"), this);
    auto* queueBar = new QHBoxLayout;
    queueBar->addWidget(queueTitle);
    queueBar->addStretch(1);
    queueBar->addWidget(removeQueued);
    queueBar->addWidget(clearFinished);
    auto* queueBox = new QWidget(this);
    auto* queueLayout = new QVBoxLayout(queueBox);
    queueLayout->setContentsMargins(0, 0, 0, 0);
    queueLayout->addLayout(queueBar);
    queueLayout->addWidget(mQueueTable, 1);

    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(mStage);
    topLayout->addLayout(progressRow);
    topLayout->addWidget(mCurves, 1);
    auto* right = new QSplitter(Qt::Vertical, this);
    right->setObjectName("trainRightSplitter");
    right->addWidget(top);
    right->addWidget(queueBox);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);

    mSplitter = new QSplitter(Qt::Horizontal, this);
    mSplitter->setObjectName("trainSplitter");
    mSplitter->addWidget(left);
    mSplitter->addWidget(right);
    mSplitter->setStretchFactor(1, 1);
    mSplitter->setSizes({380, 900});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(mSplitter);

    connect(mStart, &QPushButton::clicked, this, &TrainingView::start);
    connect(mCancel, &QPushButton::clicked, this, &TrainingView::cancel);
    connect(mSweep, &QPushButton::clicked, this, &TrainingView::openSweepDialog);
    connect(mReproduce, &QPushButton::clicked, this, &TrainingView::reproduceRequested);
    connect(removeQueued, &QPushButton::clicked, mQueue, &RunQueue::clearPending);
    connect(clearFinished, &QPushButton::clicked, mQueue, &RunQueue::clearFinished);
    connect(mQueue, &RunQueue::jobStarted, this, &TrainingView::attach);
    connect(mQueue, &RunQueue::countsChanged, this, &TrainingView::updateButtons);
    connect(mSetup, &RunSetupWidget::errorOccurred, this, &TrainingView::errorOccurred);
    updateButtons();
}

void TrainingView::setDataset(std::shared_ptr<const Dataset> dataset) {
    mSetup->setDataset(std::move(dataset));
}

void TrainingView::updateButtons() {
    mCancel->setEnabled(mQueue->isBusy() && !mQueue->currentJob()->isCancelling());
    mStart->setText(mQueue->isBusy() ? tr("Queue run") : tr("Start"));
}

bool TrainingView::checkConfig(const TrainConfig& config) {
    const QString path = qs(config.dataset);
    if (path.isEmpty()) {
        Q_EMIT errorOccurred(tr("Cannot start"), tr("No data set: open one in the Data set view."));
        return false;
    }
    if (!QFileInfo::exists(path)) {
        Q_EMIT errorOccurred(tr("Cannot start"), tr("%1: no such file or folder").arg(path));
        return false;
    }
    try {
        validate(config);
    } catch (const std::exception& e) {
        Q_EMIT errorOccurred(tr("Cannot start"), qs(e.what()));
        return false;
    }
    return true;
}

void TrainingView::enqueue(JobSpec spec, const QString& label) {
    const auto ds = mSetup->dataset();
    if (ds && !spec.cells.empty() && ds->root == spec.cells.front().dataset) {
        spec.dataset = ds;
    }
    mQueue->enqueue(std::move(spec), label);
}

void TrainingView::start() {
    const TrainConfig c = mSetup->config();
    if (!checkConfig(c)) {
        return;
    }
    JobSpec spec;
    spec.cells.push_back(c);
    enqueue(std::move(spec), tr("single run"));
}

void TrainingView::queueSweep(const SweepGrid& grid, const QString& label) {
    if (!checkConfig(grid.base)) {
        return;
    }
    JobSpec spec = sweepJob(grid);
    if (spec.cells.empty()) {
        Q_EMIT errorOccurred(tr("Cannot queue the sweep"), tr("The grid is empty."));
        return;
    }
    enqueue(std::move(spec), label);
}

void TrainingView::openSweepDialog() {
    const TrainConfig base = mSetup->config();
    int folds = base.split == "logo" ? 25 : 1;
    if (const auto ds = mSetup->dataset()) {
        try {
            folds = foldCount(*ds, base.split);
        } catch (const std::exception&) {
        }
    }
    SweepDialog dialog(base.fold, folds, this);
    if (dialog.exec() == QDialog::Accepted) {
        queueSweep(SweepGrid{base, dialog.archs(), dialog.hidden(), dialog.folds(), dialog.seeds()},
                   tr("sweep"));
    }
}

void TrainingView::cancel() {
    mQueue->cancelCurrent();
    mStage->setText(tr("Cancelling…"));
    updateButtons();
}

void TrainingView::attach(TrainingJob* job) {
    mCurrentRun = 0;
    mProgress->setRange(0, 0);
    mEta->clear();
    connect(job, &TrainingJob::stageChanged, mStage, &QLabel::setText);
    connect(job, &TrainingJob::extractProgress, this, [this](const ExtractProgress& p) {
        mProgress->setRange(0, std::max(1, p.total));
        mProgress->setValue(p.done);
        mProgress->setFormat(tr("features %v / %m"));
        mEta->setText(tr("%1 clips/s · ETA %2")
                          .arg(p.clipsPerSecond, 0, 'f', 1)
                          .arg(formatDuration(p.etaSeconds)));
    });
    connect(job, &TrainingJob::runStarted, this, [this, job](int cell, qint64 runId) {
        mCurrentRun = runId;
        const auto& c = job->spec().cells[static_cast<std::size_t>(cell)];
        mCurves->reset(tr("Run %1: %2 h%3, %4 split, fold %5, seed %6")
                           .arg(runId)
                           .arg(qs(archDisplayName(c.arch)))
                           .arg(c.hidden)
                           .arg(qs(c.split))
                           .arg(c.fold)
                           .arg(c.seed));
        mProgress->setRange(0, 100);
        mProgress->setValue(0);
    });
    connect(job, &TrainingJob::progress, this, [this, job](const BatchProgress& p) {
        mCurves->addBatch(p);
        int epochs = 1;
        for (const auto& c : job->spec().cells) {
            epochs = std::max(epochs, c.epochs);
        }
        const double done = (p.epoch - 1 + double(p.batch) / std::max(1, p.batches)) / epochs;
        mProgress->setRange(0, 1000);
        mProgress->setValue(static_cast<int>(done * 1000));
        mProgress->setFormat(tr("epoch %1 · batch %2/%3").arg(p.epoch).arg(p.batch).arg(p.batches));
        mEta->setText(tr("loss %1 · ETA %2 (at most)")
                          .arg(p.smoothedLoss, 0, 'f', 3)
                          .arg(formatDuration(p.etaSeconds)));
    });
    connect(job, &TrainingJob::epochFinished, this, [this](qint64 runId, const EpochRecord& e) {
        mCurves->addEpoch(e);
        Q_EMIT runStored(runId);
    });
    connect(job, &TrainingJob::runFinished, this,
            [this](int, qint64 runId, const QString& status, const QString& message) {
                Q_EMIT statusMessage(
                    tr("Run %1 %2%3")
                        .arg(runId)
                        .arg(status)
                        .arg(message.isEmpty() ? QString() : QStringLiteral(": ") + message));
                Q_EMIT runStored(runId);
            });
    connect(job, &TrainingJob::succeeded, this, [this](int completed, int failedRuns) {
        mStage->setText(tr("Done: %1 completed, %2 failed.").arg(completed).arg(failedRuns));
        mProgress->setRange(0, 100);
        mProgress->setValue(100);
        mProgress->setFormat(tr("done"));
        mEta->clear();
    });
    connect(job, &TrainingJob::cancelled, this, [this] {
        mStage->setText(tr("Cancelled."));
        mProgress->setRange(0, 100);
        mProgress->setFormat(tr("cancelled"));
    });
    connect(job, &TrainingJob::failed, this, [this](const QString& message) {
        mStage->setText(tr("Failed: %1").arg(message));
        mProgress->setRange(0, 100);
        mProgress->setFormat(tr("failed"));
        Q_EMIT errorOccurred(tr("Training failed"), message);
    });
    connect(job, &TrainingJob::finished, this, [this] {
        Q_EMIT runStored(mCurrentRun);
        updateButtons();
    });
    updateButtons();
}

}  // namespace vidrnn::ui
