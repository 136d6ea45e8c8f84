#include "widgets/clipplayer.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "widgets/frameview.h"
#include "work/framesource.h"

namespace vidrnn::ui {

ClipPlayer::ClipPlayer(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    mSource = new FrameSource(this);
    mView = new FrameView(this);
    mView->setPlaceholder(tr("No clip. Double-click a clip to preview it."));
    mSlider = new QSlider(Qt::Horizontal, this);
    mSlider->setObjectName("frameSlider");
    mSlider->setEnabled(false);
    mLabel = new QLabel(this);
    mLabel->setObjectName("frameLabel");
    mLabel->setMinimumWidth(170);
    mTimer = new QTimer(this);

    auto button = [this](QStyle::StandardPixmap icon, const QString& tip, const char* name) {
        auto* b = new QToolButton(this);
        b->setIcon(style()->standardIcon(icon));
        b->setToolTip(tip);
        b->setObjectName(name);
        b->setAutoRaise(true);
        return b;
    };
    auto* back = button(QStyle::SP_MediaSeekBackward, tr("Previous frame (Left)"), "stepBack");
    mPlay = button(QStyle::SP_MediaPlay, tr("Play / pause (Space)"), "playButton");
    auto* fwd = button(QStyle::SP_MediaSeekForward, tr("Next frame (Right)"), "stepForward");

    auto* controls = new QHBoxLayout;
    controls->addWidget(back);
    controls->addWidget(mPlay);
    controls->addWidget(fwd);
    controls->addWidget(mSlider, 1);
    controls->addWidget(mLabel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(mView, 1);
    layout->addLayout(controls);

    connect(back, &QToolButton::clicked, this, [this] { step(-1); });
    connect(fwd, &QToolButton::clicked, this, [this] { step(1); });
    connect(mPlay, &QToolButton::clicked, this, &ClipPlayer::togglePlay);
    connect(mSlider, &QSlider::valueChanged, this, &ClipPlayer::setCurrentFrame);
    connect(mTimer, &QTimer::timeout, this, &ClipPlayer::advance);
    connect(mSource, &FrameSource::framesAdded, this, &ClipPlayer::onFramesAdded);
    connect(mSource, &FrameSource::completed, this, [this](int total) {
        updateLabel();
        Q_EMIT loaded(total);
    });
    connect(mSource, &FrameSource::failed, this, [this](const QString& msg) {
        mView->setImage({});
        mView->setPlaceholder(msg);
        updateLabel();
        Q_EMIT failed(msg);
    });
    updateLabel();
}

QString ClipPlayer::path() const {
    return mSource->path();
}
int ClipPlayer::frameCount() const {
    return mSource->frameCount();
}
bool ClipPlayer::isPlaying() const {
    return mTimer->isActive();
}

void ClipPlayer::open(const QString& path) {
    pause();
    mCurrent = -1;
    mSlider->blockSignals(true);
    mSlider->setRange(0, 0);
    mSlider->blockSignals(false);
    mSlider->setEnabled(false);
    mView->setImage({});
    mView->setPlaceholder(tr("Decoding %1…").arg(QFileInfo(path).fileName()));
    mSource->open(path);
    updateLabel();
}

void ClipPlayer::close() {
    pause();
    mSource->close();
    mCurrent = -1;
    mView->setImage({});
    mView->setPlaceholder(tr("No clip."));
    mSlider->setEnabled(false);
    updateLabel();
}

void ClipPlayer::onFramesAdded(int total) {
    mSlider->blockSignals(true);
    mSlider->setRange(0, total - 1);
    mSlider->blockSignals(false);
    mSlider->setEnabled(true);
    if (mCurrent < 0) {
        setCurrentFrame(0);
    } else {
        updateLabel();
    }
}

void ClipPlayer::setCurrentFrame(int index) {
    const int n = frameCount();
    if (n == 0) {
        return;
    }
    index = std::clamp(index, 0, n - 1);
    if (index == mCurrent) {
        return;
    }
    mCurrent = index;
    mView->setImage(mSource->frame(index));
    mSlider->blockSignals(true);
    mSlider->setValue(index);
    mSlider->blockSignals(false);
    updateLabel();
    Q_EMIT currentFrameChanged(index);
}

void ClipPlayer::step(int delta) {
    pause();
    setCurrentFrame(std::max(0, mCurrent) + delta);
}

void ClipPlayer::play() {
    if (frameCount() == 0) {
        return;
    }
    if (mCurrent >= frameCount() - 1 && mSource->isComplete()) {
        setCurrentFrame(0);
    }
    const double fps = mSource->fps() > 1 && mSource->fps() < 240 ? mSource->fps() : 25.0;
    mTimer->start(static_cast<int>(1000.0 / fps));
    mPlay->setIcon(style()->standardIcon(QStyle::SP_MediaPause));
}

void ClipPlayer::pause() {
    mTimer->stop();
    mPlay->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
}

void ClipPlayer::togglePlay() {
    isPlaying() ? pause() : play();
}

void ClipPlayer::advance() {
    if (mCurrent + 1 < frameCount()) {
        setCurrentFrame(mCurrent + 1);
    } else if (mSource->isComplete()) {
        pause();
    }
}

void ClipPlayer::updateLabel() {
    const int n = frameCount();
    if (n == 0) {
        mLabel->setText(mSource->isLoading() ? tr("decoding…") : tr("no frames"));
        return;
    }
    QString text = tr("frame %1 / %2").arg(mCurrent + 1).arg(n);
    if (!mSource->isComplete()) {
        text += QStringLiteral("…");
    } else if (mSource->isTruncated()) {
        text += tr(" (preview limit)");
    }
    if (mSource->fps() > 0) {
        text += tr(" · %1 fps").arg(mSource->fps(), 0, 'f', mSource->fps() < 10 ? 1 : 0);
    }
    mLabel->setText(text);
}

void ClipPlayer::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Space:
            togglePlay();
            break;
        case Qt::Key_Left:
            step(-1);
            break;
        case Qt::Key_Right:
            step(1);
            break;
        case Qt::Key_PageUp:
            step(-10);
            break;
        case Qt::Key_PageDown:
            step(10);
            break;
        case Qt::Key_Home:
            pause();
            setCurrentFrame(0);
            break;
        case Qt::Key_End:
            pause();
            setCurrentFrame(frameCount() - 1);
            break;
        default:
            QWidget::keyPressEvent(event);
            return;
    }
    event->accept();
}

}  // namespace vidrnn::ui
