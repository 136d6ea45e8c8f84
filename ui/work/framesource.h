// Frames of one video file as QImages for the preview and the scrubber. The
// whole clip (up to a memory budget) is decoded sequentially in a worker
// thread, because seeking is unreliable in the containers UCF11 uses (MPEG-1
// and AVI report frame counts that are only hints); frames arrive in chunks so
// the first one shows at once. Decoding uses OpenCV privately: the engine's
// public API only offers square sampled crops (vidrnn::sampleFrames).
#pragma once

#include <QFuture>
#include <QImage>
#include <QObject>
#include <QString>
#include <QVector>

#include <atomic>
#include <memory>

namespace vidrnn::ui {

class FrameSource : public QObject {
    Q_OBJECT
public:
    // Frames are scaled down to at most this width (aspect kept).
    static constexpr int kMaxWidth = 480;
    // Decoded frames kept per clip, in bytes; later frames are not decoded.
    static constexpr qint64 kByteBudget = 256LL * 1024 * 1024;

    explicit FrameSource(QObject* parent = nullptr);
    ~FrameSource() override;

    // Starts decoding `path`, abandoning any earlier load.
    void open(const QString& path);
    void close();

    QString path() const { return mPath; }
    int frameCount() const { return static_cast<int>(mFrames.size()); }
    bool isComplete() const { return mComplete; }
    bool isTruncated() const { return mTruncated; }
    bool isLoading() const { return !mPath.isEmpty() && !mComplete && mError.isEmpty(); }
    QString errorString() const { return mError; }
    double fps() const { return mFps; }
    QSize sourceSize() const { return mSourceSize; }
    QImage frame(int index) const;

Q_SIGNALS:
    void framesAdded(int total);
    // Every frame is decoded (or the budget was reached: isTruncated()).
    void completed(int total);
    // The message names the file and the reason.
    void failed(const QString& message);

private:
    void decode(const QString& path, quint64 generation, std::shared_ptr<std::atomic<bool>> stop);
    void stopWorker();

    QString mPath;
    QVector<QImage> mFrames;
    bool mComplete = false;
    bool mTruncated = false;
    QString mError;
    double mFps = 0;
    QSize mSourceSize;
    quint64 mGeneration = 0;
    std::shared_ptr<std::atomic<bool>> mStop;
    QFuture<void> mFuture;
};

}  // namespace vidrnn::ui
