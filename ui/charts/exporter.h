// Writing charts (PNG, SVG, PDF) and tables (CSV, Markdown, LaTeX) to files.
// Every function returns an empty string on success, else a message naming
// the file and the reason.
#pragma once

#include <QString>

class QAbstractItemModel;
class QCustomPlot;
class QWidget;

namespace vidrnn::ui {

enum class TableFormat { Csv, Markdown, Latex };

// From the file's suffix: png|svg|pdf for charts; csv|md|markdown|tex for tables.
bool isChartFile(const QString& file);
bool tableFormatForFile(const QString& file, TableFormat* format);

// width/height 0 = the widget's current size.
QString exportChart(QCustomPlot* plot, const QString& file, int width = 0, int height = 0);
// Any widget (the scrubber's timeline): rendered into the file.
QString exportWidget(QWidget* widget, const QString& file, int width = 0, int height = 0);

// The model's columns and rows as shown (display role, header labels).
QString tableText(const QAbstractItemModel* model, TableFormat format, const QString& caption = {});
QString writeTextFile(const QString& file, const QString& text);

}  // namespace vidrnn::ui
