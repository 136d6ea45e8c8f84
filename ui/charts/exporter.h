// Writing charts (PNG, SVG, PDF) and tables (CSV, Markdown, LaTeX) to files.
// Every function returns an empty string on success, else a message naming
// the file and the reason.
#pragma once

#include <QString>

#include "charts/chartgeometry.h"
#include "vidrnn/table.h"

class QAbstractItemModel;
class QCustomPlot;
class QWidget;

namespace vidrnn::ui {

// Tables are written by the engine (vidrnn::TableFormat, renderTable): the
// workbench exports Csv, Markdown and Latex.

// From the file's suffix: png|svg|pdf for charts; csv|md|markdown|tex for tables.
bool isChartFile(const QString& file);
bool tableFormatForFile(const QString& file, TableFormat* format);

// A chart's size: on paper (cm: PDF and SVG at that size with text at
// fontPt, PNG at 300 dpi) or in pixels (PNG at that size; PDF and SVG one
// point per pixel). Remembered between sessions (QSettings "export/...").
struct ChartSize {
    enum class Unit { Cm, Px };
    Unit unit = Unit::Cm;
    // The text width of a default A4 article (12.2 cm), so report.tex shows
    // charts at their own size; 8.5 and 17 cm fit a two-column paper.
    double width = 12.0;
    double height = 7.5;
    double fontPt = 9.0;  // 0 = the fonts as on screen
    static ChartSize load();
    void save() const;
    QString text() const;  // "17 x 10.5 cm, 9 pt"
    // "8.5x6.5cm@8pt", "12x7.5" (cm, 9 pt), "1000x620px"; false with a
    // reason in `error` for anything else.
    static bool parse(const QString& text, ChartSize* size, QString* error);
};

// width/height 0 = the widget's current size; fonts as on screen.
QString exportChart(QCustomPlot* plot, const QString& file, int width = 0, int height = 0);
// At a size in cm (or px) with the text at size.fontPt. Items marked screen
// only (plotsupport.h: the selected cell's box) are left out.
QString exportChart(QCustomPlot* plot, const QString& file, const ChartSize& size);
// The chart as exportChart lays it out at `size` (fonts, layout), measured
// (chartgeometry.h) and put back: what every export of it shows.
ChartGeometry exportedGeometry(QCustomPlot* plot, const ChartSize& size);
// Any widget (the scrubber's timeline): rendered into the file.
QString exportWidget(QWidget* widget, const QString& file, int width = 0, int height = 0);

// The model's columns and rows as shown (display role, header labels), copied
// into the engine's Table and written by renderTable: columns whose first
// cell is right-aligned stay right-aligned (Markdown, LaTeX), "—" (undefined)
// is written empty in CSV; LaTeX is a booktabs table.
QString tableText(const QAbstractItemModel* model, TableFormat format, const QString& caption = {});
QString writeTextFile(const QString& file, const QString& text);
// Text with every LaTeX special character escaped (also |, <, >, ±, ×, —).
QString latexText(const QString& text);

}  // namespace vidrnn::ui
