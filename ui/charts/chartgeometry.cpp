#include "charts/chartgeometry.h"

#include <QPaintDevice>
#include <QPaintEngine>
#include <QTextItem>

#include <algorithm>
#include <climits>
#include <cmath>

#include "charts/qcp.h"

namespace vidrnn::ui {

namespace {

// Declares every feature, so QPainter hands it text and transforms as they
// are instead of emulating them (text turned into paths).
class RecordingEngine : public QPaintEngine {
public:
    RecordingEngine() : QPaintEngine(QPaintEngine::AllFeatures) {}
    bool begin(QPaintDevice*) override { return true; }
    bool end() override { return true; }
    Type type() const override { return QPaintEngine::User; }
    void updateState(const QPaintEngineState& state) override {
        if (state.state() & QPaintEngine::DirtyTransform) {
            mTransform = state.transform();
        }
    }
    void drawPixmap(const QRectF&, const QPixmap&, const QRectF&) override {}
    void drawPolygon(const QPointF*, int, PolygonDrawMode) override {}
    void drawPath(const QPainterPath&) override {}
    void drawRects(const QRectF*, int) override {}
    void drawLines(const QLineF*, int) override {}
    void drawEllipse(const QRectF&) override {}
    void drawPoints(const QPointF*, int) override {}
    void drawImage(const QRectF&, const QImage&, const QRectF&, Qt::ImageConversionFlags) override {
    }
    void drawTiledPixmap(const QRectF&, const QPixmap&, const QPointF&) override {}
    void drawTextItem(const QPointF& p, const QTextItem& item) override {
        const QString text = item.text();
        if (text.trimmed().isEmpty()) {
            return;
        }
        const QRectF box(p.x(), p.y() - item.ascent(), item.width(),
                         item.ascent() + item.descent());
        texts.append({text, mTransform.map(QPolygonF(box)), item.font().pointSizeF()});
    }

    QList<DrawnText> texts;

private:
    QTransform mTransform;
};

class RecordingDevice : public QPaintDevice {
public:
    RecordingDevice(QSize size, int dpi) : mSize(size), mDpi(dpi) {}
    QPaintEngine* paintEngine() const override { return &mEngine; }
    RecordingEngine& engine() { return mEngine; }

protected:
    int metric(PaintDeviceMetric m) const override {
        switch (m) {
            case PdmWidth:
                return mSize.width();
            case PdmHeight:
                return mSize.height();
            case PdmWidthMM:
                return mSize.width() * 254 / (10 * mDpi);
            case PdmHeightMM:
                return mSize.height() * 254 / (10 * mDpi);
            case PdmDpiX:
            case PdmDpiY:
            case PdmPhysicalDpiX:
            case PdmPhysicalDpiY:
                return mDpi;
            case PdmNumColors:
                return INT_MAX;
            case PdmDepth:
                return 32;
            case PdmDevicePixelRatio:
                return 1;
            case PdmDevicePixelRatioScaled:
                return static_cast<int>(QPaintDevice::devicePixelRatioFScale());
            default:
                return 0;
        }
    }

private:
    QSize mSize;
    int mDpi;
    mutable RecordingEngine mEngine;
};

QString quoted(const DrawnText& t) {
    return QStringLiteral("'%1' (%2)")
        .arg(t.text.left(40))
        .arg(QStringLiteral("%1,%2")
                 .arg(t.box.boundingRect().x(), 0, 'f', 0)
                 .arg(t.box.boundingRect().y(), 0, 'f', 0));
}

// A text's box moved in by half a pixel on every side: boxes that only touch
// (a power's base and its exponent) do not overlap.
QPolygonF inset(const QPolygonF& box) {
    if (box.size() < 4) {
        return box;
    }
    auto unit = [](QPointF d) {
        const double len = std::hypot(d.x(), d.y());
        return len > 1e-9 ? d / len * 0.5 : QPointF();
    };
    const QPointF u = unit(box[1] - box[0]);
    const QPointF v = unit(box[3] - box[0]);
    return QPolygonF({box[0] + u + v, box[1] - u + v, box[2] - u - v, box[3] + u - v});
}

// Exact for rotated boxes: their bounding rects may meet where they do not.
bool overlap(const QPolygonF& a, const QPolygonF& b) {
    if (!a.boundingRect().intersects(b.boundingRect())) {
        return false;
    }
    return inset(a).intersects(inset(b));
}

}  // namespace

ChartGeometry measureChart(QCustomPlot* plot, int w, int h) {
    ChartGeometry g;
    g.figure = QSize(w, h);
    const int dpi = plot->logicalDpiX() > 0 ? plot->logicalDpiX() : 96;
    RecordingDevice device(g.figure, dpi);
    {
        QCPPainter painter;
        if (painter.begin(&device)) {
            painter.setMode(QCPPainter::pmVectorized);
            plot->toPainter(&painter, w, h);
            painter.end();
        }
    }
    // toPainter puts the viewport back but leaves the export's layout in the
    // elements until the next replot: read it now.
    g.texts = device.engine().texts;
    const auto rects = plot->axisRects();
    for (int i = 0; i < rects.size(); ++i) {
        if (!rects[i]->visible() || !rects[i]->layout()) {
            continue;
        }
        if (g.axisRect.isNull()) {
            g.axisRect = rects[i]->rect();
        } else {
            g.otherAxisRects.append(rects[i]->rect());
        }
    }
    if (plot->legend && plot->legend->visible() && plot->legend->layout() &&
        plot->legend->itemCount() > 0) {
        g.legend = plot->legend->rect();
    }
    return g;
}

QStringList textProblems(const ChartGeometry& g) {
    QStringList problems;
    const QRectF figure(QPointF(0, 0), QSizeF(g.figure));
    for (int i = 0; i < g.texts.size(); ++i) {
        const QRectF box = g.texts[i].box.boundingRect();
        if (!figure.adjusted(-0.5, -0.5, 0.5, 0.5).contains(box)) {
            problems << QStringLiteral("text %1 leaves the %2x%3 figure")
                            .arg(quoted(g.texts[i]))
                            .arg(g.figure.width())
                            .arg(g.figure.height());
        }
        for (int j = i + 1; j < g.texts.size(); ++j) {
            if (overlap(g.texts[i].box, g.texts[j].box)) {
                problems << QStringLiteral("texts %1 and %2 overlap")
                                .arg(quoted(g.texts[i]), quoted(g.texts[j]));
            }
        }
    }
    return problems;
}

QStringList layoutProblems(const ChartGeometry& g, double minPointSize, double minAreaFraction) {
    QStringList problems = textProblems(g);
    for (const DrawnText& t : g.texts) {
        if (t.pointSize > 0 && t.pointSize < minPointSize - 1e-6) {
            problems << QStringLiteral("text %1 is %2 pt, under %3 pt")
                            .arg(quoted(t))
                            .arg(t.pointSize)
                            .arg(minPointSize);
        }
    }
    if (g.axisRect.isNull()) {
        problems << QStringLiteral("no plot area");
        return problems;
    }
    const double wf = double(g.axisRect.width()) / g.figure.width();
    const double hf = double(g.axisRect.height()) / g.figure.height();
    if (wf < minAreaFraction || hf < minAreaFraction) {
        problems << QStringLiteral(
                        "the plot area is %1% of the width and %2% of the height "
                        "(at least %3% each)")
                        .arg(std::lround(wf * 100))
                        .arg(std::lround(hf * 100))
                        .arg(std::lround(minAreaFraction * 100));
    }
    if (!g.legend.isNull()) {
        if (g.legend.intersects(g.axisRect)) {
            problems << QStringLiteral("the legend lies over the plot area");
        }
        for (const QRect& r : g.otherAxisRects) {
            if (g.legend.intersects(r)) {
                problems << QStringLiteral("the legend lies over a second plot area");
            }
        }
        if (!QRect(QPoint(0, 0), g.figure).contains(g.legend)) {
            problems << QStringLiteral("the legend leaves the figure");
        }
    }
    for (const QRect& r : g.otherAxisRects) {
        if (r.intersects(g.axisRect)) {
            problems << QStringLiteral("a second plot area (colour bar) lies over the plot");
        }
        if (!QRect(QPoint(0, 0), g.figure).contains(r)) {
            problems << QStringLiteral("a second plot area (colour bar) leaves the figure");
        }
    }
    if (!QRect(QPoint(0, 0), g.figure).contains(g.axisRect)) {
        problems << QStringLiteral("the plot area leaves the figure");
    }
    return problems;
}

}  // namespace vidrnn::ui
