// Shared QCustomPlot set-up: fonts, legends, graphs, and the "Export chart…"
// context menu every chart gets.
#pragma once

#include <QColor>
#include <QString>

#include "charts/qcp.h"

namespace vidrnn::ui {

// A plot with readable fonts at 1280x800, a legend, and the export menu.
QCustomPlot* makePlot(QWidget* parent, const QString& title, const QString& xLabel,
                      const QString& yLabel);
QCPGraph* addLineGraph(QCustomPlot* plot, const QString& name, const QColor& color,
                       Qt::PenStyle style = Qt::SolidLine, bool markers = true);
// The plot's title element (first row of the layout), if any.
void setPlotTitle(QCustomPlot* plot, const QString& title);
// Whole-number ticks (epochs).
void setIntegerTicks(QCPAxis* axis);
// Rescales to the data with a little padding; y kept in [0, 1] when `unit`.
void rescale(QCustomPlot* plot, bool unit = false);
// Adds "Export chart…" to the plot's context menu (PNG, SVG, PDF).
void installExportMenu(QCustomPlot* plot);

}  // namespace vidrnn::ui
