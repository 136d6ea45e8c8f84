// The prediction scrubber: a video (any file or a data set clip) and one or
// two completed runs. vidrnn::predictVideo runs off the UI thread with each
// run's checkpoint; a timeline strip per run shows the class predicted at
// every sampled frame; the current frame shows each run's top-3 classes.
#pragma once

#include <QFutureWatcher>
#include <QWidget>

#include "vidrnn/trainer.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace vidrnn::ui {

class RunChooser;

class ClipPlayer;
class StoreSession;
class TimelineStrip;

struct ScrubResult {
    qint64 runId = 0;
    QString title;
    VideoPrediction prediction;
    QString error;  // names the file and the reason
};

class ScrubberView : public QWidget {
    Q_OBJECT
public:
    ScrubberView(StoreSession* session, QWidget* parent = nullptr);
    ~ScrubberView() override;

    void setVideo(const QString& path);
    QString video() const;
    // 0 = none (only for B).
    void setRuns(qint64 runA, qint64 runB = 0);
    qint64 runA() const;
    qint64 runB() const;

    ClipPlayer* player() const { return mPlayer; }
    TimelineStrip* stripA() const { return mStripA; }
    TimelineStrip* stripB() const { return mStripB; }
    QWidget* timelines() const { return mTimelines; }
    bool isPredicting() const { return mWatcher->isRunning(); }

public Q_SLOTS:
    // Runs the prediction for the video with run A (and B).
    void predict();
    void chooseVideo();
    void refreshRuns();

Q_SIGNALS:
    void predicted();
    void errorOccurred(const QString& title, const QString& message);

private:
    void onFinished();
    void showFrame(int frame);
    QString topLabels(const TimelineStrip* strip, int frame) const;
    void stepSample(int delta);

    StoreSession* mSession = nullptr;
    QLineEdit* mVideo = nullptr;
    RunChooser* mRunA = nullptr;
    RunChooser* mRunB = nullptr;
    QPushButton* mPredict = nullptr;
    QLabel* mStatus = nullptr;
    ClipPlayer* mPlayer = nullptr;
    QWidget* mTimelines = nullptr;
    TimelineStrip* mStripA = nullptr;
    TimelineStrip* mStripB = nullptr;
    QLabel* mTopA = nullptr;
    QLabel* mTopB = nullptr;
    QLabel* mLegend = nullptr;
    QFutureWatcher<QList<ScrubResult>>* mWatcher = nullptr;
};

}  // namespace vidrnn::ui
