#include "widgets/livecurves.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

#include "charts/plotsupport.h"

namespace vidrnn::ui {

LiveCurves::LiveCurves(QWidget* parent) : QWidget(parent) {
    mTitle = new QLabel(this);
    mTitle->setObjectName("curvesTitle");
    mLoss = makePlot(this, tr("Loss"), tr("epoch"), tr("cross-entropy"));
    mLoss->setObjectName("lossPlot");
    mAccuracy = makePlot(this, tr("Accuracy"), tr("epoch"), tr("fraction correct"));
    mAccuracy->setObjectName("accuracyPlot");
    mBatchLoss = addLineGraph(mLoss, tr("train, per batch (smoothed)"), QColor(160, 160, 160),
                              Qt::SolidLine, false);
    mBatchLoss->setPen(QPen(QColor(150, 150, 150), 1.2));
    mTrainLoss = addLineGraph(mLoss, tr("train"), QColor(31, 119, 180));
    mValLoss = addLineGraph(mLoss, tr("validation"), QColor(255, 127, 14));
    mTrainAcc = addLineGraph(mAccuracy, tr("train"), QColor(31, 119, 180));
    mValAcc = addLineGraph(mAccuracy, tr("validation"), QColor(255, 127, 14));
    mValF1 = addLineGraph(mAccuracy, tr("validation macro F1"), QColor(44, 160, 44), Qt::DashLine);
    setIntegerTicks(mLoss->xAxis);
    setIntegerTicks(mAccuracy->xAxis);

    auto* plots = new QHBoxLayout;
    plots->addWidget(mLoss);
    plots->addWidget(mAccuracy);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(mTitle);
    layout->addLayout(plots, 1);

    mReplot = new QTimer(this);
    mReplot->setSingleShot(true);
    mReplot->setInterval(120);
    connect(mReplot, &QTimer::timeout, this, &LiveCurves::replotNow);
    reset(tr("No run yet."));
}

void LiveCurves::reset(const QString& title) {
    mTitle->setText(title);
    for (auto* g : {mBatchLoss, mTrainLoss, mValLoss, mTrainAcc, mValAcc, mValF1}) {
        g->data()->clear();
    }
    replotNow();
}

void LiveCurves::addBatch(const BatchProgress& p) {
    const double x = (p.epoch - 1) + double(p.batch) / std::max(1, p.batches);
    mBatchLoss->addData(x, p.smoothedLoss);
    scheduleReplot();
}

void LiveCurves::addEpoch(const EpochRecord& e) {
    mTrainLoss->addData(e.epoch, e.trainLoss);
    mTrainAcc->addData(e.epoch, e.trainAcc);
    if (e.valLoss) {
        mValLoss->addData(e.epoch, *e.valLoss);
    }
    if (e.valAcc) {
        mValAcc->addData(e.epoch, *e.valAcc);
    }
    if (e.valMacroF1) {
        mValF1->addData(e.epoch, *e.valMacroF1);
    }
    scheduleReplot();
}

void LiveCurves::showEpochs(const QString& title, const std::vector<EpochRecord>& epochs) {
    reset(title);
    for (const auto& e : epochs) {
        addEpoch(e);
    }
    replotNow();
}

int LiveCurves::epochPoints() const {
    return mTrainLoss->dataCount();
}
int LiveCurves::batchPoints() const {
    return mBatchLoss->dataCount();
}

void LiveCurves::scheduleReplot() {
    if (!mReplot->isActive()) {
        mReplot->start();
    }
}

void LiveCurves::replotNow() {
    rescale(mLoss);
    rescale(mAccuracy, true);
    mLoss->replot(QCustomPlot::rpQueuedReplot);
    mAccuracy->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace vidrnn::ui
