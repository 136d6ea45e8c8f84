// The report export: every chart and table of the current comparison written
// together into one folder, with a LaTeX document (report.tex, compiles with
// pdflatex) and a Markdown one (index.md) that include them all:
// - the study's table for the compared runs (table.md, table.csv, table.tex);
// - the comparison's charts (per-epoch curves; accuracy, macro F1,
//   parameters and training time against hidden size) as PDF, SVG and PNG;
// - for each chosen run: its confusion matrix (confusion-run<ID>.pdf|svg|png)
//   and per-class table (per-class-run<ID>.csv|md|tex).
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

#include "charts/exporter.h"
#include "vidrnn/store.h"

namespace vidrnn::ui {

class CompareView;
class ConfusionView;

struct ReportContent {
    CompareView* compare = nullptr;
    // Draws the per-run matrices and tables (its run is put back after);
    // none = no per-run section.
    ConfusionView* confusion = nullptr;
    // Runs with a confusion matrix and per-class table; empty = the best
    // completed run (test accuracy) of each architecture compared.
    QList<qint64> runIds;
    ChartSize size;
};

// Returns "" on success, else the first error (naming the file). `written`
// receives the files written.
QString exportReport(const QString& folder, const ReportContent& content,
                     QStringList* written = nullptr);
// The comparison only, at the last chart size used.
QString exportReport(const QString& folder, CompareView* compare, QStringList* written = nullptr);

}  // namespace vidrnn::ui
