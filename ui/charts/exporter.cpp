#include "charts/exporter.h"

#include <QAbstractItemModel>
#include <QFontMetrics>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSettings>
#include <QSvgGenerator>

#include <cmath>
#include <functional>
#include <vector>

#include "charts/plotsupport.h"
#include "charts/qcp.h"
#include "support/qtsupport.h"
#include "vidrnn/report.h"

namespace vidrnn::ui {

namespace {

QString suffixOf(const QString& file) {
    return QFileInfo(file).suffix().toLower();
}

QString failure(const QString& file, const QString& reason) {
    return QStringLiteral("%1: %2").arg(file, reason);
}

// The engine's cell rules, as the CLI's exports use them (a formula is
// neutralised, HTML escaped).
QString csvField(const QString& s) {
    return qs(escapeCsv(ss(s)));
}

QString markdownField(const QString& s) {
    return qs(escapeMarkdown(ss(s)));
}

QString latexField(const QString& s) {
    return qs(escapeLatex(ss(s)));
}

}  // namespace

bool isChartFile(const QString& file) {
    const auto s = suffixOf(file);
    return s == "png" || s == "svg" || s == "pdf";
}

bool tableFormatForFile(const QString& file, TableFormat* format) {
    const auto s = suffixOf(file);
    if (s == "csv") {
        *format = TableFormat::Csv;
    } else if (s == "md" || s == "markdown") {
        *format = TableFormat::Markdown;
    } else if (s == "tex" || s == "latex") {
        *format = TableFormat::Latex;
    } else {
        return false;
    }
    return true;
}

ChartSize ChartSize::load() {
    QSettings s;
    ChartSize size;
    size.unit = s.value("export/unit", "cm").toString() == "px" ? Unit::Px : Unit::Cm;
    size.width = s.value("export/width", size.width).toDouble();
    size.height = s.value("export/height", size.height).toDouble();
    size.fontPt = s.value("export/font", size.fontPt).toDouble();
    if (size.unit == Unit::Px && (size.width < 50 || size.height < 50)) {
        size.width = 1000;
        size.height = 620;
    }
    return size;
}

void ChartSize::save() const {
    QSettings s;
    s.setValue("export/unit", unit == Unit::Px ? "px" : "cm");
    s.setValue("export/width", width);
    s.setValue("export/height", height);
    s.setValue("export/font", fontPt);
}

QString ChartSize::text() const {
    return unit == Unit::Px ? QStringLiteral("%1 x %2 px").arg(width).arg(height)
                            : QStringLiteral("%1 x %2 cm, %3 pt").arg(width).arg(height).arg(fontPt);
}

namespace {

// Fonts at the export's size, screen-only items hidden, legend columns fitted
// to the export's width; all put back when it ends.
class ExportScope {
public:
    ExportScope(QCustomPlot* plot, double fontPt, int width) : mPlot(plot) {
        if (fontPt > 0) {
            scaleFonts(fontPt);
        }
        for (int i = 0; i < plot->itemCount(); ++i) {
            auto* item = plot->item(i);
            if (item->visible() && item->property(kScreenOnlyProperty).toBool()) {
                item->setVisible(false);
                mUndo.push_back([item] { item->setVisible(true); });
            }
        }
        wrapTitles(width);
        fitLegendColumns(plot, width);
    }
    ~ExportScope() {
        for (auto it = mUndo.rbegin(); it != mUndo.rend(); ++it) {
            (*it)();
        }
        fitLegendColumns(mPlot);
        mPlot->replot(QCustomPlot::rpQueuedReplot);
    }

private:
    template <typename Get, typename Set>
    void setFont(Get get, Set set, double pt) {
        const QFont old = get();
        QFont f = old;
        f.setPointSizeF(pt);
        set(f);
        mUndo.push_back([set, old] { set(old); });
    }

    void scaleFonts(double pt) {
        const double base = std::max(1.0, mPlot->xAxis->tickLabelFont().pointSizeF());
        for (auto* rect : mPlot->axisRects()) {
            for (auto* axis : rect->axes()) {
                setFont([axis] { return axis->labelFont(); },
                        [axis](const QFont& f) { axis->setLabelFont(f); }, pt);
                setFont([axis] { return axis->tickLabelFont(); },
                        [axis](const QFont& f) { axis->setTickLabelFont(f); }, pt - 0.5);
            }
        }
        auto* legend = mPlot->legend;
        setFont([legend] { return legend->font(); },
                [legend](const QFont& f) { legend->setFont(f); }, pt - 0.5);
        for (int i = 0; i < legend->itemCount(); ++i) {
            auto* item = legend->item(i);
            if (!item) {
                continue;
            }
            setFont([item] { return item->font(); }, [item](const QFont& f) { item->setFont(f); },
                    pt - 0.5);
        }
        for (auto* element : mPlot->plotLayout()->elements(true)) {
            if (auto* text = qobject_cast<QCPTextElement*>(element)) {
                setFont([text] { return text->font(); },
                        [text](const QFont& f) { text->setFont(f); }, pt + 0.5);
            }
        }
        for (int i = 0; i < mPlot->itemCount(); ++i) {
            if (auto* text = qobject_cast<QCPItemText*>(mPlot->item(i))) {
                const double scaled = pt * text->font().pointSizeF() / base;
                setFont([text] { return text->font(); },
                        [text](const QFont& f) { text->setFont(f); }, scaled);
            }
        }
    }

    // A title wider than the chart is broken into lines at the separator
    // nearest its middle (": ", ", ", " "), so no word falls off the edge.
    void wrapTitles(int width) {
        for (auto* element : mPlot->plotLayout()->elements(true)) {
            auto* title = qobject_cast<QCPTextElement*>(element);
            if (!title) {
                continue;
            }
            const QString old = title->text();
            QString text = old;
            const QFontMetrics metrics(title->font());
            auto widest = [&metrics](const QString& t) {
                int w = 0;
                for (const auto& line : t.split('\n')) {
                    w = std::max(w, metrics.horizontalAdvance(line));
                }
                return w;
            };
            while (widest(text) > width - 16) {
                const QStringList lines = text.split('\n');
                QString last = lines.back();
                int best = -1;
                for (const QString& sep : {QStringLiteral(": "), QStringLiteral(", "),
                                           QStringLiteral(" (")}) {
                    for (int i = last.indexOf(sep); i > 0; i = last.indexOf(sep, i + 1)) {
                        const int cut = sep == QLatin1String(" (") ? i : i + 1;
                        if (best < 0 || std::abs(cut - int(last.size()) / 2) <
                                            std::abs(best - int(last.size()) / 2)) {
                            best = cut;
                        }
                    }
                }
                if (best < 0) {
                    best = last.lastIndexOf(' ', int(last.size()) / 2 + 8);
                }
                if (best <= 0 || lines.size() > 3) {
                    break;
                }
                last = last.left(best).trimmed() + '\n' + last.mid(best).trimmed();
                text = (lines.size() > 1 ? QStringList(lines.mid(0, lines.size() - 1)).join('\n') +
                                               '\n'
                                         : QString()) +
                       last;
            }
            if (text != old) {
                title->setText(text);
                mUndo.push_back([title, old] { title->setText(old); });
            }
        }
    }

    QCustomPlot* mPlot;
    std::vector<std::function<void()>> mUndo;
};

}  // namespace

QString exportChart(QCustomPlot* plot, const QString& file, int width, int height) {
    ChartSize size;
    size.unit = ChartSize::Unit::Px;
    size.width = width > 0 ? width : plot->width();
    size.height = height > 0 ? height : plot->height();
    size.fontPt = 0;
    return exportChart(plot, file, size);
}

QString exportChart(QCustomPlot* plot, const QString& file, const ChartSize& size) {
    // Layout is measured with the screen's font metrics, so vector files are
    // drawn at the screen's logical dpi and given their physical size by it.
    const double dpi = plot->logicalDpiX() > 0 ? plot->logicalDpiX() : 96.0;
    const bool cm = size.unit == ChartSize::Unit::Cm;
    const int w = static_cast<int>(std::lround(cm ? size.width / 2.54 * dpi : size.width));
    const int h = static_cast<int>(std::lround(cm ? size.height / 2.54 * dpi : size.height));
    const double pointsPerPixel = cm ? 72.0 / dpi : 1.0;
    const auto suffix = suffixOf(file);
    if (suffix != "png" && suffix != "svg" && suffix != "pdf") {
        return failure(file,
                       QObject::tr("unknown chart format '%1' (use png, svg or pdf)").arg(suffix));
    }
    if (w < 10 || h < 10) {
        return failure(file, QObject::tr("the size %1 is too small").arg(size.text()));
    }
    bool ok = false;
    {
        ExportScope scope(plot, size.fontPt, w);
        const QString title = plotTitle(plot).isEmpty() ? QFileInfo(file).completeBaseName()
                                                        : plotTitle(plot);
        if (suffix == "png") {
            ok = cm ? plot->savePng(file, w, h, 300.0 / dpi, -1, 300, QCP::ruDotsPerInch)
                    : plot->savePng(file, w, h);
        } else if (suffix == "pdf") {
            QPdfWriter pdf(file);
            pdf.setCreator(QStringLiteral("vidrnn workbench"));
            pdf.setTitle(title);
            pdf.setResolution(static_cast<int>(std::lround(cm ? dpi : 72.0)));
            pdf.setPageLayout(QPageLayout(
                QPageSize(QSizeF(w * pointsPerPixel, h * pointsPerPixel), QPageSize::Point,
                          QString(), QPageSize::ExactMatch),
                QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
            QCPPainter painter;
            if (painter.begin(&pdf)) {
                painter.setMode(QCPPainter::pmVectorized);
                plot->toPainter(&painter, w, h);
                ok = painter.end();
            }
        } else {
            QSvgGenerator svg;
            svg.setFileName(file);
            svg.setResolution(static_cast<int>(std::lround(cm ? dpi : 72.0)));
            svg.setSize(QSize(w, h));
            svg.setViewBox(QRect(0, 0, w, h));
            svg.setTitle(title);
            svg.setDescription(QStringLiteral("vidrnn workbench chart"));
            QCPPainter painter;
            if (painter.begin(&svg)) {
                painter.setMode(QCPPainter::pmVectorized);
                plot->toPainter(&painter, w, h);
                ok = painter.end();
            }
        }
    }
    if (!ok || !QFileInfo(file).exists() || QFileInfo(file).size() == 0) {
        return failure(file, QObject::tr("cannot be written"));
    }
    return {};
}

QString exportWidget(QWidget* widget, const QString& file, int width, int height) {
    const QSize size(width > 0 ? width : widget->width(), height > 0 ? height : widget->height());
    const QSize old = widget->size();
    const auto suffix = suffixOf(file);
    bool ok = false;
    widget->resize(size);
    if (suffix == "png") {
        QImage image(size, QImage::Format_ARGB32);
        image.fill(Qt::white);
        widget->render(&image);
        ok = image.save(file, "PNG");
    } else if (suffix == "svg") {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        QPainter painter;
        if (painter.begin(&svg)) {
            widget->render(&painter);
            ok = painter.end();
        }
    } else if (suffix == "pdf") {
        QPdfWriter pdf(file);
        pdf.setPageSize(QPageSize(QSizeF(size), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(72);
        QPainter painter;
        if (painter.begin(&pdf)) {
            widget->render(&painter);
            ok = painter.end();
        }
    } else {
        widget->resize(old);
        return failure(file,
                       QObject::tr("unknown chart format '%1' (use png, svg or pdf)").arg(suffix));
    }
    widget->resize(old);
    if (!ok || QFileInfo(file).size() == 0) {
        return failure(file, QObject::tr("cannot be written"));
    }
    return {};
}

QString tableText(const QAbstractItemModel* model, TableFormat format, const QString& caption) {
    const int cols = model->columnCount();
    const int rows = model->rowCount();
    auto header = [&](int c) {
        return model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
    };
    auto cell = [&](int r, int c) { return model->index(r, c).data(Qt::DisplayRole).toString(); };
    auto right = [&](int c) {
        if (rows == 0) {
            return false;
        }
        const auto align = model->index(0, c).data(Qt::TextAlignmentRole);
        return align.isValid() && (Qt::Alignment(align.toInt()) & Qt::AlignRight);
    };
    const QString undefined = QStringLiteral("—");
    QString out;
    if (format == TableFormat::Csv) {
        QStringList fields;
        for (int c = 0; c < cols; ++c) {
            fields << csvField(header(c));
        }
        out += fields.join(',') + '\n';
        for (int r = 0; r < rows; ++r) {
            fields.clear();
            for (int c = 0; c < cols; ++c) {
                const QString text = cell(r, c);
                fields << (text == undefined ? QString() : csvField(text));
            }
            out += fields.join(',') + '\n';
        }
    } else if (format == TableFormat::Markdown) {
        if (!caption.isEmpty()) {
            out += caption + "\n\n";
        }
        QStringList fields, rule;
        for (int c = 0; c < cols; ++c) {
            fields << markdownField(header(c));
            rule << (right(c) ? QStringLiteral("---:") : QStringLiteral("---"));
        }
        out += "| " + fields.join(" | ") + " |\n|" + rule.join('|') + "|\n";
        for (int r = 0; r < rows; ++r) {
            fields.clear();
            for (int c = 0; c < cols; ++c) {
                fields << markdownField(cell(r, c));
            }
            out += "| " + fields.join(" | ") + " |\n";
        }
    } else {
        QString spec;
        for (int c = 0; c < cols; ++c) {
            spec += right(c) ? 'r' : 'l';
        }
        out += QStringLiteral("% needs \\usepackage{booktabs}\n\\begin{table}[htbp]\n\\centering\n");
        if (!caption.isEmpty()) {
            out += "\\caption{" + latexField(caption) + "}\n";
        }
        out += QStringLiteral("\\small\n\\begin{tabular}{@{}%1@{}}\n\\toprule\n").arg(spec);
        QStringList fields;
        for (int c = 0; c < cols; ++c) {
            fields << latexField(header(c));
        }
        out += fields.join(" & ") + " \\\\\n\\midrule\n";
        for (int r = 0; r < rows; ++r) {
            fields.clear();
            for (int c = 0; c < cols; ++c) {
                fields << latexField(cell(r, c));
            }
            out += fields.join(" & ") + " \\\\\n";
        }
        out += "\\bottomrule\n\\end{tabular}\n\\end{table}\n";
    }
    return out;
}

QString latexText(const QString& text) {
    return latexField(text);
}

QString writeTextFile(const QString& file, const QString& text) {
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Text)) {
        return failure(file, out.errorString());
    }
    out.write(text.toUtf8());
    if (!out.commit()) {
        return failure(file, out.errorString());
    }
    return {};
}

}  // namespace vidrnn::ui
