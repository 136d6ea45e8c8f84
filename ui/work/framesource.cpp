#include "work/framesource.h"

#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <chrono>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <opencv2/videoio/registry.hpp>

#include "vidrnn/video.h"

namespace vidrnn::ui {

FrameSource::FrameSource(QObject* parent) : QObject(parent) {}

FrameSource::~FrameSource() {
    stopWorker();
}

void FrameSource::stopWorker() {
    if (mStop) {
        mStop->store(true);
    }
    // Waits only for the frame being decoded: the loop checks the flag per frame.
    mFuture.waitForFinished();
}

void FrameSource::close() {
    stopWorker();
    ++mGeneration;
    mPath.clear();
    mFrames.clear();
    mComplete = false;
    mTruncated = false;
    mError.clear();
    mFps = 0;
    mSourceSize = {};
}

void FrameSource::open(const QString& path) {
    close();
    mPath = path;
    const QFileInfo info(path);
    // A link that leads nowhere goes on to the engine's check, which tells a
    // loop from a broken link.
    if (!info.isSymLink() && (!info.exists() || !info.isFile())) {
        mError = QStringLiteral("%1: %2").arg(
            path, info.exists() ? tr("not a file") : tr("no such file"));
        Q_EMIT failed(mError);
        return;
    }
    mStop = std::make_shared<std::atomic<bool>>(false);
    const quint64 generation = mGeneration;
    auto stop = mStop;
    mFuture = QtConcurrent::run([this, path, generation, stop] { decode(path, generation, stop); });
}

QImage FrameSource::frame(int index) const {
    if (index < 0 || index >= mFrames.size()) {
        return {};
    }
    return mFrames[index];
}

// Runs in a pool thread; results are handed to the object's thread with
// queued calls tagged with the generation, so late chunks of an abandoned
// clip are dropped.
void FrameSource::decode(const QString& path, quint64 generation,
                         std::shared_ptr<std::atomic<bool>> stop) {
    auto post = [this, generation](auto fn) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, fn] {
                if (generation == mGeneration) {
                    fn();
                }
            },
            Qt::QueuedConnection);
    };
    auto fail = [&](const QString& msg) {
        post([this, msg] {
            mError = msg;
            Q_EMIT failed(msg);
        });
    };
    // The engine's check gives the same reasons as data set scans (empty,
    // truncated, not a video, ...).
    try {
        checkVideo(path.toStdString());
    } catch (const std::exception& e) {
        fail(QString::fromStdString(e.what()));
        return;
    }
    // FFmpeg alone when present, as the engine does: other backends retry
    // noisily and can count frames differently.
    cv::VideoCapture cap;
    try {
        if (cv::videoio_registry::hasBackend(cv::CAP_FFMPEG)) {
            cap.open(path.toStdString(), cv::CAP_FFMPEG);
        } else {
            cap.open(path.toStdString(), cv::CAP_ANY);
        }
    } catch (const cv::Exception&) {
    }
    if (!cap.isOpened()) {
        fail(QStringLiteral("%1: %2").arg(path, tr("cannot be opened as a video")));
        return;
    }
    const double fps = cap.get(cv::CAP_PROP_FPS);
    QVector<QImage> chunk;
    qint64 bytes = 0;
    int count = 0;
    bool truncated = false;
    auto lastFlush = std::chrono::steady_clock::now();
    cv::Mat bgr, rgb, scaled;
    QSize sourceSize;
    auto flush = [&](bool final) {
        QVector<QImage> frames;
        frames.swap(chunk);
        post([this, frames, final, truncated, fps, sourceSize, count] {
            mFrames += frames;
            mFps = fps;
            mSourceSize = sourceSize;
            if (!frames.isEmpty()) {
                Q_EMIT framesAdded(static_cast<int>(mFrames.size()));
            }
            if (final) {
                if (count == 0) {
                    mError = QStringLiteral("%1: %2").arg(mPath, tr("no decodable frame"));
                    Q_EMIT failed(mError);
                    return;
                }
                mComplete = true;
                mTruncated = truncated;
                Q_EMIT completed(static_cast<int>(mFrames.size()));
            }
        });
        lastFlush = std::chrono::steady_clock::now();
    };
    while (!stop->load()) {
        // An exception here is a damaged stream: end the clip where it breaks.
        try {
            if (!cap.read(bgr) || bgr.empty()) {
                break;
            }
        } catch (const cv::Exception&) {
            break;
        }
        sourceSize = QSize(bgr.cols, bgr.rows);
        if (bgr.cols > kMaxWidth) {
            const int h = std::max(1, bgr.rows * kMaxWidth / bgr.cols);
            cv::resize(bgr, scaled, cv::Size(kMaxWidth, h), 0, 0, cv::INTER_AREA);
        } else {
            scaled = bgr;
        }
        if (scaled.channels() == 1) {
            cv::cvtColor(scaled, rgb, cv::COLOR_GRAY2RGB);
        } else {
            cv::cvtColor(scaled, rgb, cv::COLOR_BGR2RGB);
        }
        QImage img(rgb.data, rgb.cols, rgb.rows, static_cast<qsizetype>(rgb.step),
                   QImage::Format_RGB888);
        chunk.push_back(img.copy());
        bytes += img.sizeInBytes();
        ++count;
        if (bytes >= kByteBudget) {
            truncated = true;
            break;
        }
        const bool first = count == 1;
        if (first || chunk.size() >= 32 ||
            std::chrono::steady_clock::now() - lastFlush > std::chrono::milliseconds(150)) {
            flush(false);
        }
    }
    if (!stop->load()) {
        flush(true);
    }
}

}  // namespace vidrnn::ui
