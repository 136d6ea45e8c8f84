#include "stallprobe.h"

#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace vidrnn::ui {

StallProbe::StallProbe(QObject* parent, int intervalMs) : QObject(parent) {
    mTimer = new QTimer(this);
    mTimer->setTimerType(Qt::PreciseTimer);
    mTimer->setInterval(intervalMs);
    connect(mTimer, &QTimer::timeout, this, &StallProbe::tick);
}

void StallProbe::start() {
    reset();
    mClock.start();
    mTimer->start();
}

void StallProbe::stop() {
    mTimer->stop();
}

void StallProbe::reset() {
    mLastNs = -1;
    mMaxGap = 0;
    mGaps.clear();
}

void StallProbe::tick() {
    const qint64 now = mClock.nsecsElapsed();
    if (mLastNs >= 0) {
        const double gap = double(now - mLastNs) / 1e6;
        mGaps.push_back(gap);
        mMaxGap = std::max(mMaxGap, gap);
        if (mLogThreshold > 0 && gap > mLogThreshold) {
            std::fprintf(stderr, "stall: %.1f ms at %.2f s\n", gap, double(now) / 1e9);
        }
    }
    mLastNs = now;
}

double StallProbe::percentileMs(double p) const {
    if (mGaps.isEmpty()) {
        return 0;
    }
    QVector<double> sorted = mGaps;
    std::sort(sorted.begin(), sorted.end());
    const auto i = static_cast<qsizetype>(std::clamp(p, 0.0, 1.0) * double(sorted.size() - 1));
    return sorted[i];
}

QString StallProbe::summary() const {
    return QStringLiteral(
               "UI stall probe (%1 ms timer): %2 ticks, longest gap %3 ms, p99 %4 ms, "
               "median %5 ms")
        .arg(mTimer->interval())
        .arg(ticks())
        .arg(mMaxGap, 0, 'f', 1)
        .arg(percentileMs(0.99), 0, 'f', 1)
        .arg(percentileMs(0.5), 0, 'f', 1);
}

}  // namespace vidrnn::ui
