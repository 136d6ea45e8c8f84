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
    void apply(std::vector<RunRecord> runs, const QString& error);
    void rebuildCurves();
    void rebuildHiddenCharts();

    StoreSession* mSession = nullptr;
    QList<qint64> mIds;
    bool mDirty = true;
    bool mReading = false;
    quint64 mGeneration = 0;
    std::vector<RunRecord> mRuns;
    QLabel* mTitle = nullptr;
    QComboBox* mMetric = nullptr;
    QCustomPlot* mCurves = nullptr;
    QList<QCustomPlot*> mHiddenPlots;
};

}  // namespace vidrnn::ui
