// A completed run's test results: the confusion matrix as a heatmap (counts
// or row-normalised), its early-classification curve (beside the order-blind
// mean_pool run of the same sweep, fold and seed when there is one),
// per-class precision/recall/F1, and the clips of a cell (click it); a clip
// opens in the scrubber with the run.
#pragma once

#include <QSharedPointer>
#include <QWidget>

#include <vector>

#include "vidrnn/store.h"

class QComboBox;
class QCustomPlot;
class QCPAxisRect;
class QCPItemRect;
class QLabel;
class QTableWidget;

namespace vidrnn::ui {

class CategoryTicker;
class RunChooser;

class StoreSession;

class ConfusionView : public QWidget {
    Q_OBJECT
public:
    ConfusionView(StoreSession* session, QWidget* parent = nullptr);

    void setRunId(qint64 id);
    qint64 runId() const { return mRunId; }
    void setNormalised(bool rowNormalised);

    // Drawn as vector rectangles (one per cell, and a stepped colour bar), so
    // SVG and PDF exports stay sharp; the selected cell's box is screen only.
    QCustomPlot* heatmap() const { return mPlot; }
    // Test accuracy against the fraction of each clip seen.
    QCustomPlot* earlyPlot() const { return mEarly; }
    // Whether the run has that curve (bilstm and runs stored before it: no).
    bool hasEarlyCurve() const { return mHasEarlyCurve; }
    // "Per-class precision, recall and F1 of run 12 (GRU h128 · groups)".
    QString classTableCaption() const;
    // "Classes: 1 basketball, 2 biking, ...": the key to a matrix whose
    // labels are numbers (where the names do not fit an export's size).
    QString classKey() const;
    QTableWidget* classTable() const { return mClassTable; }
    QTableWidget* clipsTable() const { return mClips; }
    // Widget coordinates of a cell's centre in the heatmap.
    QPoint cellCenter(int truth, int predicted) const;
    QPair<int, int> selectedCell() const { return {mTruth, mPredicted}; }
    // The value a cell shows: a count, or its row's fraction when normalised.
    double cellValue(int truth, int predicted) const;

public Q_SLOTS:
    void selectCell(int truth, int predicted);

Q_SIGNALS:
    void openClip(const QString& path, qint64 runId);

private:
    void load();
    void drawMatrix();
    void drawEarly(const std::optional<RunRecord>& run);
    void fillClassTable();
    void onPlotClick(QMouseEvent* event);

    StoreSession* mSession = nullptr;
    qint64 mRunId = 0;
    std::vector<std::string> mClasses;
    std::vector<std::vector<std::int64_t>> mConfusion;
    std::vector<std::vector<double>> mValues;  // as drawn [truth][predicted]
    std::vector<ClassMetricsRecord> mMetrics;
    std::optional<OrderDiagnostics> mOrder;  // empty for runs stored without it
    std::vector<ClipPrediction> mPredictions;
    int mTruth = -1;
    int mPredicted = -1;

    RunChooser* mRunChooser = nullptr;
    QComboBox* mMode = nullptr;
    QLabel* mSummary = nullptr;
    QCustomPlot* mPlot = nullptr;
    QCPAxisRect* mBar = nullptr;  // the colour scale
    QSharedPointer<CategoryTicker> mXTicks, mYTicks;
    QCPItemRect* mSelection = nullptr;
    QCustomPlot* mEarly = nullptr;
    bool mHasEarlyCurve = false;
    QTableWidget* mClassTable = nullptr;
    QTableWidget* mClips = nullptr;
    QLabel* mClipsTitle = nullptr;
};

}  // namespace vidrnn::ui
