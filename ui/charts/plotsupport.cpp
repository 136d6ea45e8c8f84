#include "charts/plotsupport.h"

#include <QMenu>

#include <algorithm>
#include <iterator>

#include "charts/chartlayout.h"
#include "charts/exportdialog.h"
#include "support/qtsupport.h"
#include "vidrnn/models.h"

namespace vidrnn::ui {

namespace {
// Refits the chart (legend, ticks, a matrix's cells) whenever it is resized.
class ChartFitter : public QObject {
public:
    using QObject::QObject;
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Resize) {
            fitChartOnScreen(static_cast<QCustomPlot*>(watched));
        }
        return false;
    }
};
}  // namespace

QCustomPlot* makePlot(QWidget* parent, const QString& title, const QString& xLabel,
                      const QString& yLabel) {
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumSize(240, 180);
    plot->setNoAntialiasingOnDrag(true);
    QFont font = plot->font();
    font.setPointSizeF(std::max(9.0, font.pointSizeF()));
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->xAxis->setLabelFont(font);
    plot->yAxis->setLabelFont(font);
    plot->xAxis->setTickLabelFont(font);
    plot->yAxis->setTickLabelFont(font);
    plot->legend->setVisible(true);
    QFont legendFont = font;
    legendFont.setPointSizeF(font.pointSizeF() - 0.5);
    plot->legend->setFont(legendFont);
    plot->legend->setBrush(QColor(255, 255, 255, 210));
    plot->legend->setRowSpacing(0);
    plot->legend->setColumnSpacing(8);
    plot->legend->setBorderPen(Qt::NoPen);
    // A short line sample: the legend is a key, not a second plot.
    plot->legend->setIconSize(22, 12);
    plot->legend->setIconTextPadding(4);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    // Below the axes: a legend inside would hide data somewhere.
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->addElement(plot->plotLayout()->rowCount(), 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(plot->plotLayout()->rowCount() - 1, 0.001);
    plot->legend->setMargins(QMargins(4, 0, 4, 2));
    // Room for the tick labels that stand out over the plot's corners (half a
    // label above the top, half the last one right of the axis), no more:
    // QCustomPlot's default of 15 px each side is a band of nothing in a
    // figure 6 cm tall.
    plot->axisRect()->setMinimumMargins(QMargins(4, 8, 12, 4));
    plot->installEventFilter(new ChartFitter(plot));
    if (!title.isEmpty()) {
        plot->plotLayout()->insertRow(0);
        QFont tf = font;
        tf.setBold(true);
        auto* t = new QCPTextElement(plot, title, tf);
        t->setObjectName("title");
        plot->plotLayout()->addElement(0, 0, t);
    }
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    installExportMenu(plot);
    return plot;
}

namespace {
QCPTextElement* titleElement(const QCustomPlot* plot) {
    if (plot->plotLayout()->rowCount() > 1) {
        return qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0));
    }
    return nullptr;
}
}  // namespace

void setPlotTitle(QCustomPlot* plot, const QString& title) {
    if (auto* t = titleElement(plot)) {
        t->setText(title);
    }
}

QString plotTitle(const QCustomPlot* plot) {
    const auto* t = titleElement(plot);
    return t ? t->text() : QString();
}

void markScreenOnly(QCPAbstractItem* item) {
    item->setProperty(kScreenOnlyProperty, true);
}

ArchStyle archStyle(const std::string& arch) {
    static const Qt::PenStyle lines[] = {Qt::SolidLine, Qt::DashLine,       Qt::DashDotLine,
                                         Qt::DotLine,   Qt::DashDotDotLine, Qt::SolidLine};
    static const QCPScatterStyle::ScatterShape markers[] = {QCPScatterStyle::ssDisc,
                                                            QCPScatterStyle::ssSquare,
                                                            QCPScatterStyle::ssTriangle,
                                                            QCPScatterStyle::ssDiamond,
                                                            QCPScatterStyle::ssTriangleInverted,
                                                            QCPScatterStyle::ssCrossSquare};
    ArchStyle style;
    style.color = archColor(arch);
    const auto& archs = architectures();
    const auto it = std::find(archs.begin(), archs.end(), arch);
    const auto i = static_cast<std::size_t>(it - archs.begin());
    if (i < std::size(lines)) {
        style.line = lines[i];
        style.marker = markers[i];
    } else {
        style.marker = QCPScatterStyle::ssStar;
    }
    return style;
}

QCPGraph* addArchGraph(QCustomPlot* plot, const QString& name, const std::string& arch,
                       bool hollow) {
    const ArchStyle style = archStyle(arch);
    auto* g = plot->addGraph();
    g->setName(name);
    setLegendGroup(g, qs(archShortName(arch)));
    QPen pen(style.color, hollow ? 1.2 : 2.0);
    pen.setStyle(style.line);
    g->setPen(pen);
    // ssDisc is filled with the pen's colour whatever the brush; its hollow
    // form is ssCircle (the study's LSTM row was drawn filled).
    const auto marker = hollow && style.marker == QCPScatterStyle::ssDisc
                            ? QCPScatterStyle::ssCircle
                            : style.marker;
    g->setScatterStyle(QCPScatterStyle(marker, QPen(style.color, 1.5),
                                       hollow ? QBrush(Qt::white) : QBrush(style.color),
                                       hollow ? 8 : 7));
    return g;
}

QCPGraph* addLineGraph(QCustomPlot* plot, const QString& name, const QColor& color,
                       Qt::PenStyle style, bool markers) {
    auto* g = plot->addGraph();
    g->setName(name);
    QPen pen(color, 2);
    pen.setStyle(style);
    g->setPen(pen);
    if (markers) {
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, Qt::white, 5));
    }
    return g;
}

void setIntegerTicks(QCPAxis* axis) {
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    axis->setTicker(ticker);
}

void rescale(QCustomPlot* plot, bool unit) {
    plot->rescaleAxes(true);
    auto x = plot->xAxis->range();
    if (x.size() < 1e-9) {
        x = QCPRange(x.lower - 1, x.upper + 1);
    }
    const double pad = x.size() * 0.03;
    plot->xAxis->setRange(x.lower - pad, x.upper + pad);
    if (unit) {
        plot->yAxis->setRange(0, 1.02);
    } else {
        auto y = plot->yAxis->range();
        if (y.size() < 1e-9) {
            y = QCPRange(y.lower - 0.5, y.upper + 0.5);
        }
        plot->yAxis->setRange(std::min(0.0, y.lower), y.upper + y.size() * 0.08);
    }
}

void installExportMenu(QCustomPlot* plot) {
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [plot](const QPoint& pos) {
        QMenu menu(plot);
        menu.addAction(QObject::tr("Export chart…"), plot,
                       [plot] { ExportDialog::exportChart(plot); });
        menu.addAction(QObject::tr("Reset zoom"), plot, [plot] {
            rescale(plot);
            plot->replot();
        });
        menu.exec(plot->mapToGlobal(pos));
    });
}

}  // namespace vidrnn::ui
