// What a chart looks like at a size, measured rather than assumed: the plot
// is painted into a recording device that keeps every text QCustomPlot draws
// (its string, font size and box after rotation), and the layout's own
// rectangles (axis rects, legend). The chart layout (chartlayout.h) chooses
// between candidate layouts with it, and the tests check exported charts
// with it: no two texts overlap, none leaves the figure, the legend stays off
// the data, the plot keeps its room.
#pragma once

#include <QList>
#include <QPolygonF>
#include <QRect>
#include <QSize>
#include <QString>
#include <QStringList>

class QCustomPlot;

namespace vidrnn::ui {

struct DrawnText {
    QString text;
    QPolygonF box;  // in figure pixels, rotated with the text
    double pointSize = 0;
};

struct ChartGeometry {
    QSize figure;
    QRect axisRect;               // the main plot area (the first axis rect)
    QList<QRect> otherAxisRects;  // a colour bar's, ...
    QRect legend;                 // empty when no legend is drawn
    QList<DrawnText> texts;
};

// Lays the plot out at w x h (pixels at the screen's logical dpi, as the
// exports do), paints it into the recorder and puts its viewport back. The
// plot's state (fonts, legend, ticks) is taken as it is: measure inside an
// export's scope to see the exported chart.
ChartGeometry measureChart(QCustomPlot* plot, int w, int h);

// What breaks the layout rules of a figure at `minPointSize` and up: texts
// that overlap (each pair named), texts outside the figure, text smaller than
// minPointSize, a legend over a plot area, axis rects overlapping, and a
// plot area under `minAreaFraction` of the figure's width or height. Empty
// when the figure holds.
QStringList layoutProblems(const ChartGeometry& g, double minPointSize,
                           double minAreaFraction = 0.55);

// Only the overlapping and clipped texts (what tick thinning and legend
// placement must avoid).
QStringList textProblems(const ChartGeometry& g);

}  // namespace vidrnn::ui
