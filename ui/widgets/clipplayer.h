// A clip preview that plays, pauses, scrubs and steps frames. Frames come
// from a FrameSource (decoded off the UI thread); playback only shows frames
// already decoded. Keys: Space play/pause, Left/Right one frame, Page Up/Down
// ten frames, Home/End.
#pragma once

#include <QWidget>

class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace vidrnn::ui {

class FrameSource;
class FrameView;

class ClipPlayer : public QWidget {
    Q_OBJECT
public:
    explicit ClipPlayer(QWidget* parent = nullptr);

    void open(const QString& path);
    void close();
    QString path() const;
    FrameSource* source() const { return mSource; }
    FrameView* view() const { return mView; }

    int currentFrame() const { return mCurrent; }
    int frameCount() const;
    bool isPlaying() const;

public Q_SLOTS:
    void setCurrentFrame(int index);
    void play();
    void pause();
    void togglePlay();
    void step(int delta);

Q_SIGNALS:
    void currentFrameChanged(int index);
    void loaded(int frames);
    void failed(const QString& message);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void onFramesAdded(int total);
    void updateLabel();
    void advance();

    FrameSource* mSource = nullptr;
    FrameView* mView = nullptr;
    QSlider* mSlider = nullptr;
    QLabel* mLabel = nullptr;
    QToolButton* mPlay = nullptr;
    QTimer* mTimer = nullptr;
    int mCurrent = -1;
};

}  // namespace vidrnn::ui
