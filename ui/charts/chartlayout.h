// Fits a chart to a size the way a journal figure needs it (matplotlib's
// constrained layout is the model): the plot keeps most of the figure, the
// legend goes where it fits or is summarised, tick labels are thinned before
// they collide, and a confusion matrix stays square with labels that fit.
// Candidate layouts are tried in order of preference and measured
// (chartgeometry.h); the first that holds is kept. The same code runs for an
// export (inside its scope, undone afterwards) and on screen (on resize).
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>
#include <utility>
#include <vector>

#include "charts/qcp.h"

namespace vidrnn::ui {

using UndoList = std::vector<std::function<void()>>;

// Ticks at given positions with given labels (a hidden-size axis, a
// matrix's classes) that can be thinned to every k-th, or labelled 1..n
// instead of their names (a key elsewhere names them).
class CategoryTicker : public QCPAxisTicker {
public:
    void setTicks(const QVector<std::pair<double, QString>>& ticks);
    const QVector<std::pair<double, QString>>& ticks() const { return mTicks; }
    void setStride(int stride) { mStride = std::max(1, stride); }
    int stride() const { return mStride; }
    void setNumbered(bool numbered) { mNumbered = numbered; }
    bool numbered() const { return mNumbered; }

protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar,
                         int precision) override;
    int getSubTickCount(double) override { return 0; }

private:
    QVector<std::pair<double, QString>> mTicks;
    int mStride = 1;
    bool mNumbered = false;
};

// The legend entry a plottable collapses into when the legend is summarised
// (its architecture's name); none = always its own entry.
void setLegendGroup(QCPAbstractPlottable* plottable, const QString& group);

// A confusion matrix: the plot's first axis rect holds the cells (its x and
// y axes carry CategoryTickers), kept square; cell texts are QCPItemTexts.
void markMatrix(QCustomPlot* plot);
bool isMatrix(const QCustomPlot* plot);

// Lays the plot out for w x h pixels; every change is pushed onto `undo`
// (run in reverse to put the plot back).
void fitChart(QCustomPlot* plot, int w, int h, UndoList* undo);
// On screen: undoes the last screen fit and fits to the widget's size.
void fitChartOnScreen(QCustomPlot* plot);
// Puts back what the last screen fit changed (an export starts from there).
void undoScreenFit(QCustomPlot* plot);

// For a matrix: the height at width w in which it is square with its labels,
// title and colour bar (call with the export's fonts set).
int matrixHeightFor(QCustomPlot* plot, int w);

}  // namespace vidrnn::ui
