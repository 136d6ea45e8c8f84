#include "charts/plotsupport.h"

#include <QMenu>

#include "widgets/exportdialog.h"

namespace vidrnn::ui {

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
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    if (!title.isEmpty()) {
        plot->plotLayout()->insertRow(0);
        QFont tf = font;
        tf.setBold(true);
        plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, tf));
    }
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    installExportMenu(plot);
    return plot;
}

void setPlotTitle(QCustomPlot* plot, const QString& title) {
    if (plot->plotLayout()->rowCount() > 1) {
        if (auto* t = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0))) {
            t->setText(title);
        }
    }
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
