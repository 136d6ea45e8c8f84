#include "shell/reportexport.h"

#include <QDateTime>
#include <QDir>
#include <QTableWidget>

#include <functional>

#include "charts/exporter.h"
#include "charts/plotsupport.h"
#include "support/qtsupport.h"
#include "vidrnn/compare.h"
#include "vidrnn/report.h"
#include "views/compareview.h"
#include "views/confusionview.h"

namespace vidrnn::ui {

namespace {

// Collects the files written and stops at the first error.
class Writer {
public:
    explicit Writer(const QString& folder) : mDir(folder) {}

    QString path(const QString& name) const { return mDir.filePath(name); }

    bool text(const QString& name, const QString& content) {
        return record(path(name), writeTextFile(path(name), content));
    }
    bool chart(QCustomPlot* plot, const QString& base, const ChartSize& size) {
        for (const char* suffix : {"pdf", "svg", "png"}) {
            const QString file = path(base + '.' + QString::fromLatin1(suffix));
            if (!record(file, exportChart(plot, file, size))) {
                return false;
            }
        }
        return true;
    }

    QString error;
    QStringList files;

private:
    bool record(const QString& file, const QString& failure) {
        if (!failure.isEmpty()) {
            error = failure;
            return false;
        }
        files << file;
        return true;
    }

    QDir mDir;
};

// A chart in the document: at its own size, scaled down only if it is wider
// than the text.
QString latexFigure(const QString& file, const QString& caption) {
    return QStringLiteral(
               "\\begin{figure}[htbp]\n\\centering\n\\vidrnnchart{%1}\n"
               "\\caption{%2}\n\\end{figure}\n\n")
        .arg(file, latexText(caption));
}

const char* kLatexPreamble =
    "\\documentclass[a4paper]{article}\n"
    "\\usepackage{graphicx}\n"
    "\\usepackage{booktabs}\n"
    "% A chart at its exported size, or the text width if it is wider.\n"
    "\\newcommand{\\vidrnnchart}[1]{\\sbox0{\\includegraphics{#1}}%\n"
    "  \\ifdim\\wd0>\\linewidth\\resizebox{\\linewidth}{!}{\\usebox0}\\else\\usebox0\\fi}\n"
    "\\begin{document}\n";

}  // namespace

QString exportReport(const QString& folder, CompareView* compare, QStringList* written) {
    ReportContent content;
    content.compare = compare;
    content.size = ChartSize::load();
    return exportReport(folder, content, written);
}

QString exportReport(const QString& folder, const ReportContent& content, QStringList* written) {
    if (!QDir(folder).exists() && !QDir().mkpath(folder)) {
        return QObject::tr("%1: cannot create the folder").arg(folder);
    }
    CompareView* compare = content.compare;
    compare->ensureCurrent();
    Writer out(folder);
    const QString when = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    const int measured = compare->measuredRuns();
    const QString intro =
        QObject::tr(
            "Written %1 by the vidrnn workbench from %2 measured runs and the study's "
            "published rows; charts at %3.")
            .arg(when)
            .arg(measured)
            .arg(content.size.text());
    QString md = QStringLiteral("# vidrnn report\n\n") + intro + "\n\n";
    QString tex = QString::fromLatin1(kLatexPreamble) +
                  QStringLiteral("\\section*{vidrnn report}\n%1\n\n").arg(latexText(intro));

    // The study's table.
    const Report& report = compare->report();
    // A table as Markdown, CSV and LaTeX: <base>.md, .csv, .tex.
    auto writeTable = [&out](const QString& base,
                             const std::function<std::string(ReportFormat)>& text) {
        for (const auto& [ext, format] :
             {std::pair{"md", ReportFormat::Markdown}, std::pair{"csv", ReportFormat::Csv},
              std::pair{"tex", ReportFormat::Latex}}) {
            if (!out.text(base + "." + ext, qs(text(format)))) {
                return false;
            }
        }
        return true;
    };
    if (!writeTable("table", [&report](ReportFormat f) { return formatReport(report, f); })) {
        return out.error;
    }
    md += QObject::tr("## Results\n\n") + qs(formatReport(report, ReportFormat::Markdown)) +
          QObject::tr("\nAlso as [CSV](table.csv) and [LaTeX](table.tex).\n\n");
    tex += QStringLiteral("\\input{table.tex}\n\n");

    // Every row paired against the best one, Holm over the table.
    const auto pairs = compareAgainstBest(report);
    if (!writeTable("pairs", [&pairs](ReportFormat f) { return formatComparisons(pairs, f); })) {
        return out.error;
    }
    md += QObject::tr("## Paired comparisons against the best row\n\n") +
          qs(formatComparisons(pairs, ReportFormat::Markdown)) +
          QObject::tr("\nAlso as [CSV](pairs.csv) and [LaTeX](pairs.tex).\n\n## Charts\n\n");
    tex += QStringLiteral("\\input{pairs.tex}\n\n");

    // The comparison's charts.
    for (const auto& [name, plot] : compare->charts()) {
        if (!out.chart(plot, name, content.size)) {
            return out.error;
        }
        const QString title = plotTitle(plot);
        md += QStringLiteral("![%1](%2.png)\n\n[PDF](%2.pdf) · [SVG](%2.svg)\n\n").arg(title, name);
        tex += latexFigure(name + ".pdf", title);
    }
    tex += QStringLiteral("\\clearpage\n\n");

    // Each chosen run's confusion matrix and per-class table.
    ConfusionView* confusion = content.confusion;
    if (confusion) {
        const qint64 previous = confusion->runId();
        const auto cell = confusion->selectedCell();
        auto restore = [confusion, previous, cell] {
            confusion->setRunId(previous);
            if (cell.first >= 0) {
                confusion->selectCell(cell.first, cell.second);
            }
        };
        const QList<qint64> ids =
            content.runIds.isEmpty() ? compare->bestRunPerArchitecture() : content.runIds;
        if (!ids.isEmpty()) {
            md += content.runIds.isEmpty()
                      ? QObject::tr("## Runs (the best of each architecture)\n\n")
                      : QObject::tr("## Runs\n\n");
        }
        // The matrix as tall as its square cells, labels and title need.
        ChartSize square = content.size;
        square.height = 0;
        for (qint64 id : ids) {
            confusion->setRunId(id);
            if (confusion->classTable()->rowCount() == 0) {
                continue;  // not a completed run (or deleted meanwhile)
            }
            const QString base = QStringLiteral("confusion-run%1").arg(id);
            const QString table = QStringLiteral("per-class-run%1").arg(id);
            if (!out.chart(confusion->heatmap(), base, square)) {
                restore();
                return out.error;
            }
            // No empty chart for a run without the curve (bilstm, older runs).
            const bool hasEarly = confusion->hasEarlyCurve();
            const QString early = QStringLiteral("early-run%1").arg(id);
            if (hasEarly && !out.chart(confusion->earlyPlot(), early, content.size)) {
                restore();
                return out.error;
            }
            const QString caption = confusion->classTableCaption();
            const auto* model = confusion->classTable()->model();
            if (!out.text(table + ".csv", tableText(model, TableFormat::Csv, caption)) ||
                !out.text(table + ".md", tableText(model, TableFormat::Markdown, caption)) ||
                !out.text(table + ".tex", tableText(model, TableFormat::Latex, caption))) {
                restore();
                return out.error;
            }
            const QString title = plotTitle(confusion->heatmap());
            // Where the names do not fit, the matrix is labelled 1..n: the key.
            const QString key = confusion->classKey();
            md += QStringLiteral("### %1\n\n![%1](%2.png)\n\n%3\n\n").arg(title, base, key) +
                  tableText(model, TableFormat::Markdown, caption) +
                  QStringLiteral("\n[CSV](%1.csv) · [LaTeX](%1.tex)\n\n").arg(table);
            if (hasEarly) {
                md += QStringLiteral("![%1](%2.png)\n\n")
                          .arg(plotTitle(confusion->earlyPlot()), early);
            }
            tex += latexFigure(base + ".pdf", title + ". " + key) +
                   (hasEarly ? latexFigure(early + ".pdf", plotTitle(confusion->earlyPlot()))
                             : QString()) +
                   QStringLiteral("\\input{%1.tex}\n\\clearpage\n\n").arg(table);
        }
        restore();
    }
    tex += QStringLiteral("\\end{document}\n");
    if (!out.text("report.tex", tex) || !out.text("index.md", md)) {
        return out.error;
    }
    if (written) {
        *written = out.files;
    }
    return {};
}

}  // namespace vidrnn::ui
