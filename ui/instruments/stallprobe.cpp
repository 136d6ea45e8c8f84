#include "instruments/stallprobe.h"

#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace vidrnn::ui {

namespace {

// CPU time of the calling thread: tells a stall the UI thread spent working
// from one where it was not scheduled (other processes, the trainer's threads).
double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

}  // namespace

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
    mMaxBusy = 0;
    mLastCpuMs = threadCpuMs();
    mGaps.clear();
}

void StallProbe::tick() {
    const qint64 now = mClock.nsecsElapsed();
    const double cpu = threadCpuMs();
    const double cpuInGap = cpu - mLastCpuMs;
    mLastCpuMs = cpu;
    if (mLastNs >= 0) {
        const double gap = double(now - mLastNs) / 1e6;
        mGaps.push_back(gap);
        mMaxGap = std::max(mMaxGap, gap);
        mMaxBusy = std::max(mMaxBusy, cpuInGap);
        if (mLogThreshold > 0 && gap > mLogThreshold) {
            std::fprintf(stderr, "stall: %.1f ms at %.2f s (UI thread busy %.1f ms of it)\n", gap,
                         double(now) / 1e9, cpuInGap);
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
               "median %5 ms; the UI thread itself busy at most %6 ms within one gap")
        .arg(mTimer->interval())
        .arg(ticks())
        .arg(mMaxGap, 0, 'f', 1)
        .arg(percentileMs(0.99), 0, 'f', 1)
        .arg(percentileMs(0.5), 0, 'f', 1)
        .arg(mMaxBusy, 0, 'f', 1);
}

}  // namespace vidrnn::ui
