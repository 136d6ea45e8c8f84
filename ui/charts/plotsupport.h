// Shared QCustomPlot set-up: fonts, legends, graphs, each architecture's
// style, and the "Export chart…" context menu every chart gets.
#pragma once

#include <QColor>
#include <QString>

#include <string>

#include "charts/qcp.h"

namespace vidrnn::ui {

// A plot with readable fonts at 1280x800, a title (when given), a legend
// below the axes (where it hides no data), and the export menu.
QCustomPlot* makePlot(QWidget* parent, const QString& title, const QString& xLabel,
                      const QString& yLabel);
QCPGraph* addLineGraph(QCustomPlot* plot, const QString& name, const QColor& color,
                       Qt::PenStyle style = Qt::SolidLine, bool markers = true);

// An architecture's look in every chart: Okabe-Ito colour, line style and
// marker, so series stay apart in greyscale and for colour-blind readers.
struct ArchStyle {
    QColor color;
    Qt::PenStyle line = Qt::SolidLine;
    QCPScatterStyle::ScatterShape marker = QCPScatterStyle::ssDisc;
};
ArchStyle archStyle(const std::string& arch);
// A graph in the architecture's style: filled markers and a 2 px line, or
// (hollow) hollow markers and a thin line (the study's rows).
QCPGraph* addArchGraph(QCustomPlot* plot, const QString& name, const std::string& arch,
                       bool hollow = false);

// The plot's title element (first row of the layout), if any.
void setPlotTitle(QCustomPlot* plot, const QString& title);
QString plotTitle(const QCustomPlot* plot);
// Whole-number ticks (epochs).
void setIntegerTicks(QCPAxis* axis);
// Rescales to the data with a little padding; y kept in [0, 1] when `unit`.
void rescale(QCustomPlot* plot, bool unit = false);
// Adds "Export chart…" to the plot's context menu (PNG, SVG, PDF).
void installExportMenu(QCustomPlot* plot);

// Items that only mean something on screen (the selected cell's box, hover
// marks) carry this property; exports hide them.
inline constexpr const char* kScreenOnlyProperty = "vidrnnScreenOnly";
void markScreenOnly(QCPAbstractItem* item);

}  // namespace vidrnn::ui
