// Runs side by side: overlaid per-epoch curves (RunStore::epochs), and
// accuracy, macro F1, parameters, training time and order reliance (accuracy
// lost with the frames shuffled) against hidden size, one
// series per configuration row (the study's published rows dashed beside
// them; accuracy and F1 with 95% t intervals as error bars), each row's
// early-classification curve, the rows with the runs behind them, and a
// paired comparison of any two rows. Everything is read and aggregated on the
// store session's reader thread (CompareData); the UI thread only plots.
#pragma once

#include <QList>
#include <QWidget>

#include <memory>
#include <vector>

#include "vidrnn/store.h"
#include "views/comparedata.h"

class QComboBox;
class QTableWidget;
class QCustomPlot;
class QLabel;

namespace vidrnn::ui {

class StoreSession;

class CompareView : public QWidget {
    Q_OBJECT
public:
    CompareView(StoreSession* session, QWidget* parent = nullptr);

    // Empty = every completed run plus the study's rows.
    void setRunIds(const QList<qint64>& ids);
    QList<qint64> runIds() const { return mIds; }
    // Trained runs among those compared now.
    int measuredRuns() const { return mData->measured; }
    // The best completed run (test accuracy) of each architecture compared,
    // the model zoo's order first.
    QList<qint64> bestRunPerArchitecture() const {
        return QList<qint64>(mData->bestPerArch.begin(), mData->bestPerArch.end());
    }
    // Their rows, one per configuration (with the study's).
    const Report& report() const { return mData->report; }

    QCustomPlot* curvesPlot() const { return mCurves; }
    // accuracy, macro F1, parameters, training time, order reliance (in that order).
    QList<QCustomPlot*> hiddenPlots() const { return mHiddenPlots; }
    // Accuracy against the fraction of each test clip seen, one curve per row.
    QCustomPlot* earlyPlot() const { return mEarly; }
    // Row id, type, hidden, n, accuracy with its interval, differs, runs.
    QTableWidget* rowsTable() const { return mRows; }
    // Compares two rows (ids "r3") on their matched (fold, seed) pairs and
    // shows the result; returns its text.
    QString comparePair(const QString& rowA, const QString& rowB);
    // Every chart with a file-friendly name.
    QList<QPair<QString, QCustomPlot*>> charts() const;

    // Rebuilds now (reading on this thread) if the store or the runs asked
    // for changed since the charts were drawn: for exports.
    void ensureCurrent();

public Q_SLOTS:
    // Reads the runs and redraws now, on this thread.
    void rebuild();

Q_SIGNALS:
    // The charts show the runs asked for.
    void rebuilt();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void rebuildLater();
    void apply(std::shared_ptr<const CompareData> data, const QString& error);
    void rebuildCurves();
    void rebuildHiddenCharts();
    void rebuildEarlyChart();
    void fillRows();
    void showPair();

    StoreSession* mSession = nullptr;
    QList<qint64> mIds;
    bool mDirty = true;
    bool mReading = false;
    quint64 mGeneration = 0;
    // Shared, not copied: the reader thread's result reaches the UI thread as
    // a pointer, however many runs it holds.
    std::shared_ptr<const CompareData> mData = std::make_shared<CompareData>();
    QLabel* mTitle = nullptr;
    QComboBox* mMetric = nullptr;
    QCustomPlot* mCurves = nullptr;
    QList<QCustomPlot*> mHiddenPlots;
    QCustomPlot* mEarly = nullptr;
    QTableWidget* mRows = nullptr;
    QComboBox* mPairA = nullptr;
    QComboBox* mPairB = nullptr;
    QLabel* mPairText = nullptr;
};

}  // namespace vidrnn::ui
