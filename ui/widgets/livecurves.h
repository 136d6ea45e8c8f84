// Live training curves: train and validation loss and accuracy per epoch and
// the smoothed per-batch training loss. Repaints are coalesced (at most about
// eight a second) so a fast trainer cannot flood the UI thread.
#pragma once

#include <QWidget>

#include "vidrnn/store.h"
#include "vidrnn/trainer.h"

class QCustomPlot;
class QCPGraph;
class QLabel;
class QTimer;

namespace vidrnn::ui {

class LiveCurves : public QWidget {
    Q_OBJECT
public:
    explicit LiveCurves(QWidget* parent = nullptr);

    void reset(const QString& title);
    void addBatch(const BatchProgress& p);
    void addEpoch(const EpochRecord& e);
    // Shows a stored run's curves (no batch points).
    void showEpochs(const QString& title, const std::vector<EpochRecord>& epochs);

    QCustomPlot* lossPlot() const { return mLoss; }
    QCustomPlot* accuracyPlot() const { return mAccuracy; }
    int epochPoints() const;
    int batchPoints() const;

private:
    void scheduleReplot();
    void replotNow();

    QLabel* mTitle = nullptr;
    QCustomPlot* mLoss = nullptr;
    QCustomPlot* mAccuracy = nullptr;
    QCPGraph* mBatchLoss = nullptr;
    QCPGraph* mTrainLoss = nullptr;
    QCPGraph* mValLoss = nullptr;
    QCPGraph* mTrainAcc = nullptr;
    QCPGraph* mValAcc = nullptr;
    QCPGraph* mValF1 = nullptr;
    QTimer* mReplot = nullptr;
};

}  // namespace vidrnn::ui
