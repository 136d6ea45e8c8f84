#include "widgets/timelinestrip.h"

#include <QMouseEvent>
#include <QPainter>

#include "support/qtsupport.h"

namespace vidrnn::ui {

namespace {
constexpr int kTitleWidth = 150;
}

TimelineStrip::TimelineStrip(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMinimumHeight(46);
    setMouseTracking(false);
}

void TimelineStrip::setPrediction(const VideoPrediction& prediction, const QString& title) {
    mPrediction = prediction;
    mTitle = title;
    update();
}

void TimelineStrip::clear(const QString& title) {
    mPrediction = {};
    mTitle = title;
    update();
}

void TimelineStrip::setFrameCount(int frames) {
    mFrameCount = frames;
    update();
}

void TimelineStrip::setCurrentFrame(int frame) {
    mCurrent = frame;
    update();
}

int TimelineStrip::frames() const {
    const auto predicted = static_cast<int>(mPrediction.totalFrames);
    return std::max({mFrameCount, predicted, 1});
}

int TimelineStrip::sampleAt(int frame) const {
    int found = -1;
    for (int k = 0; k < sampleCount(); ++k) {
        if (mPrediction.frames[static_cast<std::size_t>(k)].frameIndex <= frame) {
            found = k;
        } else {
            break;
        }
    }
    return found;
}

QRect TimelineStrip::barRect() const {
    return rect().adjusted(kTitleWidth, 4, -4, -4);
}

int TimelineStrip::frameAtX(int x) const {
    const QRect bar = barRect();
    const double t = double(x - bar.left()) / std::max(1, bar.width());
    return std::clamp(static_cast<int>(t * frames()), 0, frames() - 1);
}

void TimelineStrip::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const QRect bar = barRect();
    p.setPen(palette().color(QPalette::WindowText));
    QString title = mTitle;
    if (hasPrediction()) {
        const auto k = static_cast<std::size_t>(mPrediction.predicted);
        const QString cls = k < mPrediction.classes.size() ? qs(mPrediction.classes[k]) : QString();
        title += QStringLiteral("\n%1 %2").arg(cls).arg(mPrediction.probability, 0, 'f', 2);
    }
    p.drawText(QRect(2, 0, kTitleWidth - 6, height()), Qt::AlignVCenter | Qt::AlignLeft,
               fontMetrics().elidedText(title, Qt::ElideRight, (kTitleWidth - 6) * 2));
    p.fillRect(bar, QColor(230, 230, 230));
    const int n = frames();
    auto xOf = [&](double frame) { return bar.left() + static_cast<int>(frame / n * bar.width()); };
    for (int k = 0; k < sampleCount(); ++k) {
        const auto& f = mPrediction.frames[static_cast<std::size_t>(k)];
        const int start = f.frameIndex;
        const int end = k + 1 < sampleCount()
                            ? mPrediction.frames[static_cast<std::size_t>(k + 1)].frameIndex
                            : n;
        // Colour: the class; height: the confidence (a pale band above it).
        const QColor c = classColor(f.predicted);
        QColor pale = c;
        pale.setAlphaF(0.25);
        const QRect seg(QPoint(xOf(start), bar.top()), QPoint(xOf(end) - 1, bar.bottom()));
        p.fillRect(seg, Qt::white);
        p.fillRect(seg, pale);
        const double conf = std::clamp(double(f.probability), 0.0, 1.0);
        const int h = std::max(2, static_cast<int>(conf * seg.height()));
        p.fillRect(QRect(seg.left(), seg.bottom() - h + 1, seg.width(), h), c);
        p.setPen(QPen(QColor(40, 40, 40), 1));
        p.drawLine(xOf(start), bar.top(), xOf(start), bar.top() + 5);
    }
    p.setPen(QColor(150, 150, 150));
    p.drawRect(bar.adjusted(0, 0, -1, -1));
    if (mCurrent >= 0) {
        const int x = xOf(mCurrent + 0.5);
        p.setPen(QPen(Qt::black, 3));
        p.drawLine(x, bar.top() - 3, x, bar.bottom() + 3);
        p.setPen(QPen(Qt::white, 1));
        p.drawLine(x, bar.top() - 3, x, bar.bottom() + 3);
    }
}

void TimelineStrip::mousePressEvent(QMouseEvent* event) {
    if (barRect().adjusted(0, -4, 0, 4).contains(event->pos())) {
        Q_EMIT frameRequested(frameAtX(event->pos().x()));
    }
}

void TimelineStrip::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton) {
        Q_EMIT frameRequested(frameAtX(event->pos().x()));
    }
}

}  // namespace vidrnn::ui
