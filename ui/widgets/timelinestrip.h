// A strip along the video's frames coloured by the class predicted at each
// sampled frame (the prediction having seen the frames up to it), filled to
// a height that shows the confidence, with a cursor at the current frame.
// Click or drag to seek.
#pragma once

#include <QWidget>

#include "vidrnn/trainer.h"

namespace vidrnn::ui {

class TimelineStrip : public QWidget {
    Q_OBJECT
public:
    explicit TimelineStrip(QWidget* parent = nullptr);

    void setPrediction(const VideoPrediction& prediction, const QString& title);
    void clear(const QString& title = {});
    const VideoPrediction& prediction() const { return mPrediction; }
    bool hasPrediction() const { return !mPrediction.frames.empty(); }
    int sampleCount() const { return static_cast<int>(mPrediction.frames.size()); }
    // The sampled frame in effect at video frame `frame` (the last one at or
    // before it), or -1 before the first.
    int sampleAt(int frame) const;
    // Frames on the strip: the decoded count when known, else the prediction's.
    void setFrameCount(int frames);
    void setCurrentFrame(int frame);

    QSize sizeHint() const override { return {600, 46}; }
    QSize minimumSizeHint() const override { return {200, 46}; }

Q_SIGNALS:
    void frameRequested(int frame);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    QRect barRect() const;
    int frameAtX(int x) const;
    int frames() const;

    VideoPrediction mPrediction;
    QString mTitle;
    int mFrameCount = 0;
    int mCurrent = -1;
};

}  // namespace vidrnn::ui
