#include "charts/exporter.h"

#include <QAbstractItemModel>
#include <QFileInfo>
#include <QFontMetrics>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QSvgGenerator>

#include <cmath>
#include <functional>
#include <vector>

#include "charts/chartlayout.h"
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

bool ChartSize::parse(const QString& text, ChartSize* size, QString* error) {
    static const QRegularExpression pattern(QStringLiteral(
        R"(^\s*(\d+(?:\.\d+)?)\s*x\s*(\d+(?:\.\d+)?)\s*(cm|px)?\s*(?:@\s*(\d+(?:\.\d+)?)\s*pt)?\s*$)"));
    const auto m = pattern.match(text);
    if (!m.hasMatch()) {
        *error = QObject::tr(
                     "chart size '%1' is not WIDTHxHEIGHT[cm|px][@POINTSpt], e.g. "
                     "8.5x6.5cm@8pt or 1000x620px")
                     .arg(text);
        return false;
    }
    ChartSize s;
    s.unit = m.captured(3) == QLatin1String("px") ? Unit::Px : Unit::Cm;
    s.width = m.captured(1).toDouble();
    s.height = m.captured(2).toDouble();
    s.fontPt =
        m.captured(4).isEmpty() ? (s.unit == Unit::Px ? 0.0 : 9.0) : m.captured(4).toDouble();
    const bool cm = s.unit == Unit::Cm;
    if ((cm && (s.width < 2 || s.width > 100 || s.height < 2 || s.height > 100)) ||
        (!cm && (s.width < 50 || s.width > 10000 || s.height < 50 || s.height > 10000)) ||
        (s.fontPt != 0 && (s.fontPt < 4 || s.fontPt > 30))) {
        *error = QObject::tr(
                     "chart size '%1' is out of range (2-100 cm or 50-10000 px, text "
                     "4-30 pt)")
                     .arg(text);
        return false;
    }
    *size = s;
    return true;
}

QString ChartSize::text() const {
    return unit == Unit::Px
               ? QStringLiteral("%1 x %2 px").arg(width).arg(height)
               : QStringLiteral("%1 x %2 cm, %3 pt").arg(width).arg(height).arg(fontPt);
}

namespace {

// Fonts at the export's size, screen-only items hidden, titles wrapped and
// the chart laid out for the export's size (chartlayout.h); all put back, and
// the chart fitted to its widget again, when it ends. A height of 0: as tall
// as the chart needs (a matrix: square cells), else 0.62 of the width.
class ExportScope {
public:
    ExportScope(QCustomPlot* plot, double fontPt, int width, int height)
        : mPlot(plot), mHeight(height) {
        // From the chart as its view drew it, not as the screen fitted it.
        undoScreenFit(plot);
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
        if (mHeight <= 0) {
            mHeight = isMatrix(plot) ? matrixHeightFor(plot, width)
                                     : static_cast<int>(std::lround(width * 0.62));
        }
        fitChart(plot, width, mHeight, &mUndo);
    }
    ~ExportScope() {
        for (auto it = mUndo.rbegin(); it != mUndo.rend(); ++it) {
            (*it)();
        }
        fitChartOnScreen(mPlot);
    }
    int height() const { return mHeight; }

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
        // The legend and its entries (the layout may replace the entries:
        // they take the legend's font, and get it back by the legend).
        auto* legend = mPlot->legend;
        auto setLegendFont = [legend](const QFont& f) {
            legend->setFont(f);
            for (int i = 0; i < legend->itemCount(); ++i) {
                if (auto* item = legend->item(i)) {
                    item->setFont(f);
                }
            }
        };
        setFont([legend] { return legend->font(); }, setLegendFont, pt - 0.5);
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

    // A title wider than the chart is broken into lines, greedily at spaces,
    // so no word falls off the edge (the layout measures the result).
    void wrapTitles(int width) {
        for (auto* element : mPlot->plotLayout()->elements(true)) {
            auto* title = qobject_cast<QCPTextElement*>(element);
            if (!title) {
                continue;
            }
            const QString old = title->text();
            const QFontMetrics metrics(title->font());
            const int available = width - 12;
            if (metrics.horizontalAdvance(old) <= available) {
                continue;
            }
            QStringList lines;
            QString line;
            for (const QString& word :
                 QString(old).replace('\n', ' ').split(' ', Qt::SkipEmptyParts)) {
                const QString longer = line.isEmpty() ? word : line + ' ' + word;
                if (!line.isEmpty() && metrics.horizontalAdvance(longer) > available) {
                    lines << line;
                    line = word;
                } else {
                    line = longer;
                }
            }
            lines << line;
            title->setText(lines.join('\n'));
            mUndo.push_back([title, old] { title->setText(old); });
        }
    }

    QCustomPlot* mPlot;
    int mHeight;
    UndoList mUndo;
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

namespace {

// Layout is measured with the screen's font metrics, so vector files are
// drawn at the screen's logical dpi and given their physical size by it.
double chartDpi(const QCustomPlot* plot) {
    return plot->logicalDpiX() > 0 ? plot->logicalDpiX() : 96.0;
}

// The size in the chart's pixels; a height of 0 stays 0 (as tall as needed).
QSize pixels(const QCustomPlot* plot, const ChartSize& size) {
    const double dpi = chartDpi(plot);
    const bool cm = size.unit == ChartSize::Unit::Cm;
    return QSize(static_cast<int>(std::lround(cm ? size.width / 2.54 * dpi : size.width)),
                 size.height > 0
                     ? static_cast<int>(std::lround(cm ? size.height / 2.54 * dpi : size.height))
                     : 0);
}

}  // namespace

ChartGeometry exportedGeometry(QCustomPlot* plot, const ChartSize& size) {
    const QSize px = pixels(plot, size);
    ExportScope scope(plot, size.fontPt, px.width(), px.height());
    return measureChart(plot, px.width(), scope.height());
}

QString exportChart(QCustomPlot* plot, const QString& file, const ChartSize& size) {
    const double dpi = chartDpi(plot);
    const bool cm = size.unit == ChartSize::Unit::Cm;
    const QSize px = pixels(plot, size);  // height 0: as tall as the chart needs
    const int w = px.width();
    int h = px.height();
    const double pointsPerPixel = cm ? 72.0 / dpi : 1.0;
    const auto suffix = suffixOf(file);
    if (suffix != "png" && suffix != "svg" && suffix != "pdf") {
        return failure(file,
                       QObject::tr("unknown chart format '%1' (use png, svg or pdf)").arg(suffix));
    }
    if (w < 10 || (h < 10 && size.height > 0)) {
        return failure(file, QObject::tr("the size %1 is too small").arg(size.text()));
    }
    bool ok = false;
    {
        ExportScope scope(plot, size.fontPt, w, h);
        h = scope.height();
        const QString title =
            plotTitle(plot).isEmpty() ? QFileInfo(file).completeBaseName() : plotTitle(plot);
        if (suffix == "png") {
            ok = cm ? plot->savePng(file, w, h, 300.0 / dpi, -1, 300, QCP::ruDotsPerInch)
                    : plot->savePng(file, w, h);
        } else if (suffix == "pdf") {
            QPdfWriter pdf(file);
            pdf.setCreator(QStringLiteral("vidrnn workbench"));
            pdf.setTitle(title);
            pdf.setResolution(static_cast<int>(std::lround(cm ? dpi : 72.0)));
            pdf.setPageLayout(
                QPageLayout(QPageSize(QSizeF(w * pointsPerPixel, h * pointsPerPixel),
                                      QPageSize::Point, QString(), QPageSize::ExactMatch),
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
    Table table;
    table.caption = ss(caption);
    for (int c = 0; c < cols; ++c) {
        table.header.push_back(
            ss(model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString()));
        const auto align = rows == 0 ? QVariant() : model->index(0, c).data(Qt::TextAlignmentRole);
        table.align.push_back(align.isValid() && (Qt::Alignment(align.toInt()) & Qt::AlignRight)
                                  ? Table::Align::Right
                                  : Table::Align::Left);
    }
    const QString undefined = QStringLiteral("—");
    std::vector<std::string> cells(static_cast<std::size_t>(cols));
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const QString text = model->index(r, c).data(Qt::DisplayRole).toString();
            cells[static_cast<std::size_t>(c)] =
                format == TableFormat::Csv && text == undefined ? std::string() : ss(text);
        }
        table.addRow(cells);
    }
    return qs(renderTable(table, format));
}

QString latexText(const QString& text) {
    return qs(escapeLatex(ss(text)));
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
