// Measures how responsive the UI thread is: a 10 ms timer notes the longest
// gap between its ticks (an event-loop stall shows up as a long gap).
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QVector>

class QTimer;

namespace vidrnn::ui {

class StallProbe : public QObject {
    Q_OBJECT
public:
    explicit StallProbe(QObject* parent = nullptr, int intervalMs = 10);

    void start();
    void stop();
    void reset();
    double maxGapMs() const { return mMaxGap; }
    // The most CPU time the UI thread itself spent within one gap: the part
    // of a stall that is this program's work rather than waiting for a core.
    double maxBusyMs() const { return mMaxBusy; }
    // The gap that 99% of ticks stay under.
    double percentileMs(double p) const;
    int ticks() const { return static_cast<int>(mGaps.size()); }
    QString summary() const;
    // Prints every gap longer than `ms` (with the time since start) to stderr; 0 = off.
    void setLogThreshold(double ms) { mLogThreshold = ms; }
    double elapsedMs() const { return double(mClock.nsecsElapsed()) / 1e6; }

private:
    void tick();

    QTimer* mTimer = nullptr;
    QElapsedTimer mClock;
    qint64 mLastNs = -1;
    double mLastCpuMs = 0;
    double mMaxBusy = 0;
    double mMaxGap = 0;
    double mLogThreshold = 0;
    QVector<double> mGaps;
};

}  // namespace vidrnn::ui
