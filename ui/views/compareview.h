// Runs side by side: overlaid per-epoch curves (RunStore::epochs), and
// accuracy, macro F1, parameters and training time against hidden size, one
// series per architecture (the study's published rows dashed beside them).
#pragma once

#include <QList>
#include <QWidget>

#include <vector>

#include "vidrnn/store.h"

class QComboBox;
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
    // The runs the charts show now.
    const std::vector<RunRecord>& runs() const { return mRuns; }

    QCustomPlot* curvesPlot() const { return mCurves; }
    // accuracy, macro F1, parameters, training time (in that order).
    QList<QCustomPlot*> hiddenPlots() const { return mHiddenPlots; }
    // Every chart with a file-friendly name.
    QList<QPair<QString, QCustomPlot*>> charts() const;

    // Rebuilds now if the store changed while the view was hidden.
    void ensureCurrent();

public Q_SLOTS:
    void rebuild();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void rebuildCurves();
    void rebuildHiddenCharts();

    StoreSession* mSession = nullptr;
    QList<qint64> mIds;
    bool mDirty = true;
    std::vector<RunRecord> mRuns;
    QLabel* mTitle = nullptr;
    QComboBox* mMetric = nullptr;
    QCustomPlot* mCurves = nullptr;
    QList<QCustomPlot*> mHiddenPlots;
};

}  // namespace vidrnn::ui
