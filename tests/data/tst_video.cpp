// Decoding: frames counted while decoding (container counts are advisory),
// uniform sampling, preprocessing (RGB order, size, crop), short clips, and
// errors that name the file and the reason. Videos are written here with
// cv::VideoWriter; the real clips in shared/ are decoded when present.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "data/decode.h"
#include "testutil.h"
#include "vidrnn/dataset.h"
#include "vidrnn/errors.h"
#include "vidrnn/video.h"

namespace fs = std::filesystem;
using vidrnn::data::decodeClip;

namespace {

using FrameFn = std::function<cv::Mat(int)>;

// MJPG through OpenCV's own writer: needs no FFmpeg encoder.
void writeMjpg(const std::string& path, int frames, cv::Size size, const FrameFn& frameAt) {
    cv::VideoWriter w(path, cv::CAP_OPENCV_MJPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 25,
                      size);
    QVERIFY2(w.isOpened(), path.c_str());
    for (int i = 0; i < frames; ++i) {
        w.write(frameAt(i));
    }
}

cv::Mat flat(cv::Size size, const cv::Scalar& bgr) {
    return cv::Mat(size, CV_8UC3, bgr);
}

// Frame i is grey level 8 * i, so a decoded frame tells which index it was.
FrameFn greyRamp(cv::Size size) {
    return [size](int i) { return flat(size, cv::Scalar::all(8 * i)); };
}

std::string pathIn(const QTemporaryDir& dir, const char* name) {
    return dir.filePath(name).toStdString();
}

void truncateCopy(const std::string& from, const std::string& to, std::size_t bytes) {
    std::ifstream in(from, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(to, std::ios::binary)
        .write(data.data(), static_cast<std::streamsize>(std::min(bytes, data.size())));
}

}  // namespace

class TestVideo : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void uniformIndices_data() {
        QTest::addColumn<qint64>("n");
        QTest::addColumn<int>("T");
        QTest::addColumn<QList<qint64>>("expected");
        QTest::newRow("10 of 4") << qint64(10) << 4 << QList<qint64>{1, 3, 6, 8};
        QTest::newRow("exact") << qint64(4) << 4 << QList<qint64>{0, 1, 2, 3};
        QTest::newRow("short clip") << qint64(3) << 8 << QList<qint64>{0, 1, 2};
        QTest::newRow("one frame") << qint64(1) << 16 << QList<qint64>{0};
        QTest::newRow("none") << qint64(0) << 16 << QList<qint64>{};
        QTest::newRow("125 of 16")
            << qint64(125) << 16
            << QList<qint64>{3, 11, 19, 27, 35, 42, 50, 58, 66, 74, 82, 89, 97, 105, 113, 121};
    }

    void uniformIndices() {
        QFETCH(qint64, n);
        QFETCH(int, T);
        QFETCH(QList<qint64>, expected);
        const auto idx = vidrnn::uniformFrameIndices(n, T);
        QCOMPARE(QList<qint64>(idx.begin(), idx.end()), expected);
    }

    void uniformIndicesMatchFormula() {
        for (std::int64_t n : {17, 100, 301, 100000}) {
            for (int T : {1, 7, 16, 17}) {
                const auto idx = vidrnn::uniformFrameIndices(n, T);
                QCOMPARE(int(idx.size()), T);
                for (int i = 0; i < T; ++i) {
                    QCOMPARE(idx[std::size_t(i)],
                             std::int64_t(std::floor((i + 0.5) * double(n) / T)));
                }
            }
        }
    }

    void samplesTheRightFrames() {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "ramp.avi");
        writeMjpg(path, 10, {64, 48}, greyRamp({64, 48}));
        const auto clip = decodeClip(path, 4, 32);
        QCOMPARE(clip.totalFrames, std::int64_t(10));
        QCOMPARE(QList<qint64>(clip.indices.begin(), clip.indices.end()),
                 (QList<qint64>{1, 3, 6, 8}));
        for (std::size_t k = 0; k < clip.frames.size(); ++k) {
            const double level = cv::mean(clip.frames[k])[0];
            QVERIFY2(std::abs(level - 8.0 * double(clip.indices[k])) < 4.0,
                     qPrintable(QString("frame %1 level %2").arg(k).arg(level)));
        }
    }

    void shortClipYieldsItsFrames_data() {
        QTest::addColumn<int>("frames");
        QTest::newRow("three") << 3;
        QTest::newRow("one frame") << 1;  // used, with sequence length 1
    }

    void shortClipYieldsItsFrames() {
        QFETCH(int, frames);
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "short.avi");
        writeMjpg(path, frames, {64, 48}, greyRamp({64, 48}));
        const auto clip = decodeClip(path, 16, 32);
        QCOMPARE(int(clip.frames.size()), frames);
        QCOMPARE(clip.totalFrames, std::int64_t(frames));
        for (int i = 0; i < frames; ++i) {
            QCOMPARE(clip.indices[std::size_t(i)], std::int64_t(i));
        }
    }

    void outputIsRgbSquare() {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "red.avi");
        writeMjpg(path, 5, {80, 60}, [](int) { return flat({80, 60}, cv::Scalar(0, 0, 255)); });
        const auto clip = decodeClip(path, 2, 24);
        QCOMPARE(int(clip.frames.size()), 2);
        for (const cv::Mat& f : clip.frames) {
            QCOMPARE(f.type(), CV_8UC3);
            QCOMPARE(f.cols, 24);
            QCOMPARE(f.rows, 24);
            QVERIFY(f.isContinuous());
            const cv::Scalar m = cv::mean(f);
            QVERIFY2(m[0] > 200 && m[1] < 50 && m[2] < 50, "channel 0 must be red");
        }
        const auto pub = vidrnn::sampleFrames(path, 2, 24);
        QCOMPARE(int(pub.rgb.size()), 2);
        QCOMPARE(int(pub.rgb[0].size()), 24 * 24 * 3);
        QVERIFY(pub.rgb[0][0] > 200 && pub.rgb[0][1] < 50 && pub.rgb[0][2] < 50);
    }

    void preprocessShapes_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("type");
        QTest::newRow("landscape") << 320 << 240 << CV_8UC3;
        QTest::newRow("portrait odd") << 47 << 101 << CV_8UC3;
        QTest::newRow("grey odd") << 65 << 49 << CV_8UC1;
        QTest::newRow("bgra") << 40 << 30 << CV_8UC4;
        QTest::newRow("upscale") << 20 << 16 << CV_8UC3;
    }

    void preprocessShapes() {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(int, type);
        cv::Mat frame(height, width, type, cv::Scalar::all(90));
        // A bright centre band must survive the centre crop (and the
        // area-averaging of a large shrink).
        const int band = std::max(1, width / 8);
        frame.colRange(width / 2 - band / 2, width / 2 - band / 2 + band)
            .setTo(cv::Scalar::all(250));
        const cv::Mat out = vidrnn::data::preprocessFrame(frame, 32);
        QCOMPARE(out.type(), CV_8UC3);
        QCOMPARE(out.size(), cv::Size(32, 32));
        double maxVal = 0;
        cv::minMaxLoc(out.reshape(1), nullptr, &maxVal);
        QVERIFY(maxVal > 120);
    }

    void centreCropKeepsTheMiddle() {
        // Left third blue, middle red, right third green (BGR): after the
        // square centre crop of a 3:1 frame only red remains.
        cv::Mat frame(40, 120, CV_8UC3, cv::Scalar(255, 0, 0));
        frame(cv::Rect(40, 0, 40, 40)).setTo(cv::Scalar(0, 0, 255));
        frame(cv::Rect(80, 0, 40, 40)).setTo(cv::Scalar(0, 255, 0));
        const cv::Scalar m = cv::mean(vidrnn::data::preprocessFrame(frame, 16));
        QVERIFY(m[0] > 240 && m[1] < 15 && m[2] < 15);
    }

    void oddSizedVideo() {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "odd.avi");
        writeMjpg(path, 6, {65, 49}, [](int i) { return flat({65, 49}, cv::Scalar::all(30 * i)); });
        const auto info = vidrnn::probeVideo(path);
        QCOMPARE(info.frames, std::int64_t(6));
        const auto clip = decodeClip(path, 3, 32);
        QCOMPARE(int(clip.frames.size()), 3);
        QCOMPARE(clip.frames[0].size(), cv::Size(32, 32));
    }

    void probeReportsFacts() {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "facts.avi");
        writeMjpg(path, 12, {64, 48}, greyRamp({64, 48}));
        const auto info = vidrnn::probeVideo(path);
        QCOMPARE(info.path, path);
        QCOMPARE(info.width, 64);
        QCOMPARE(info.height, 48);
        QCOMPARE(info.frames, std::int64_t(12));
        QCOMPARE(info.containerFrames, std::int64_t(12));
        QCOMPARE(QString::fromStdString(info.codec), QString("MJPG"));
        QVERIFY(std::abs(info.fps - 25.0) < 0.01);
    }

    // MPEG-1 program streams carry no frame count: OpenCV reports a guess
    // (here 1) while the file holds 30. The count must come from decoding,
    // and sampling must use it (second pass).
    void countsFramesWhenTheContainerIsWrong() {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "clip.mpg");
        {
            cv::VideoWriter w(path, cv::CAP_FFMPEG, cv::VideoWriter::fourcc('P', 'I', 'M', '1'), 25,
                              cv::Size(64, 48));
            if (!w.isOpened()) {
                QSKIP("no FFmpeg MPEG-1 encoder in this OpenCV build");
            }
            for (int i = 0; i < 30; ++i) {
                w.write(greyRamp({64, 48})(i));
            }
        }
        const auto info = vidrnn::probeVideo(path);
        QCOMPARE(info.frames, std::int64_t(30));
        QVERIFY(info.containerFrames != 30);
        const auto clip = decodeClip(path, 5, 32);
        QCOMPARE(clip.totalFrames, std::int64_t(30));
        QCOMPARE(clip.passes, 2);
        QCOMPARE(QList<qint64>(clip.indices.begin(), clip.indices.end()),
                 (QList<qint64>{3, 9, 15, 21, 27}));
        QVERIFY(std::abs(cv::mean(clip.frames[4])[0] - 8.0 * 27) < 8.0);
    }

    // A file cut short after its header: the container still promises all
    // frames; decoding yields fewer, and sampling uses those.
    void truncatedFileDecodesWhatIsThere() {
        QTemporaryDir dir;
        const std::string full = pathIn(dir, "full.avi");
        const std::string cut = pathIn(dir, "cut.avi");
        writeMjpg(full, 40, {64, 48}, greyRamp({64, 48}));
        truncateCopy(full, cut, fs::file_size(full) / 2);
        const auto clip = decodeClip(cut, 8, 32);
        QVERIFY2(clip.totalFrames > 5 && clip.totalFrames < 40,
                 qPrintable(QString::number(clip.totalFrames)));
        QCOMPARE(int(clip.frames.size()), 8);
        QVERIFY(clip.indices.back() < clip.totalFrames);
    }

    void errorsNameFileAndReason_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing") << "missing"
                                 << "file not found";
        QTest::newRow("folder") << "folder"
                                << "is a folder";
        QTest::newRow("zero bytes") << "empty"
                                    << "empty file (0 bytes)";
        QTest::newRow("text named .avi") << "text"
                                         << "not a video file";
        QTest::newRow("first 100 bytes") << "truncated"
                                         << "truncated avi file (100 of";
        QTest::newRow("audio only") << "audio"
                                    << "no video stream";
    }

    void errorsNameFileAndReason() {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        std::string path = pathIn(dir, "bad.avi");
        if (kind == "folder") {
            fs::create_directory(path);
        } else if (kind == "empty") {
            std::ofstream(path).flush();
        } else if (kind == "text") {
            std::ofstream(path) << "this is not a video\n";
        } else if (kind == "truncated") {
            const std::string good = pathIn(dir, "good.avi");
            writeMjpg(good, 10, {64, 48}, greyRamp({64, 48}));
            truncateCopy(good, path, 100);
        } else if (kind == "audio") {
            path = std::string(VIDRNN_DATA_FIXTURES) + "/audio_only.avi";
        }
        const std::function<void()> calls[] = {
            [&] { vidrnn::probeVideo(path); },
            [&] { vidrnn::checkVideo(path); },
            [&] { decodeClip(path, 4, 32); },
        };
        for (const auto& call : calls) {
            try {
                call();
                QFAIL("expected VideoError");
            } catch (const vidrnn::VideoError& e) {
                const QString what = QString::fromStdString(e.what());
                QVERIFY2(what.startsWith(QString::fromStdString(path) + ": "), qPrintable(what));
                QVERIFY2(what.contains(reason), qPrintable(what));
                QCOMPARE(QString::fromStdString(e.path()), QString::fromStdString(path));
            }
        }
    }

    void badArgumentsAreBugs() {
        QVERIFY_THROWS_EXCEPTION(vidrnn::LogicError, decodeClip("x.avi", 0, 32));
        QVERIFY_THROWS_EXCEPTION(vidrnn::LogicError, decodeClip("x.avi", 4, 0));
    }

    // Every real clip in shared/ (AVI with MPEG-4/XviD, MP4 with H.264, MKV)
    // decodes, and the frames counted match MANIFEST.tsv.
    void realClipsDecode() {
        const fs::path shared = vidrnn::test::sharedDir();
        if (shared.empty()) {
            QSKIP("shared/ folder not present");
        }
        const fs::path root = shared / "data" / "real-clips";
        std::map<std::string, std::int64_t> manifestFrames;
        std::ifstream tsv(root / "MANIFEST.tsv");
        std::string line;
        std::getline(tsv, line);  // header: file class ... frames (9th column)
        while (std::getline(tsv, line)) {
            std::stringstream row(line);
            std::string cell;
            std::vector<std::string> cells;
            while (std::getline(row, cell, '\t')) {
                cells.push_back(cell);
            }
            if (cells.size() > 8) {
                manifestFrames[cells[0]] = std::stoll(cells[8]);
            }
        }
        int decoded = 0;
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
            if (!entry.is_regular_file() ||
                !vidrnn::isVideoFileName(entry.path().filename().string())) {
                continue;
            }
            const std::string rel = entry.path().lexically_relative(root).generic_string();
            const auto clip = decodeClip(entry.path().string(), 8, 112);
            QVERIFY2(clip.frames.size() == 8, rel.c_str());
            QCOMPARE(clip.frames[0].size(), cv::Size(112, 112));
            const auto it = manifestFrames.find(rel);
            QVERIFY2(it != manifestFrames.end(), rel.c_str());
            QVERIFY2(clip.totalFrames == it->second,
                     qPrintable(QString("%1: counted %2, manifest %3")
                                    .arg(rel.c_str())
                                    .arg(clip.totalFrames)
                                    .arg(it->second)));
            ++decoded;
        }
        QCOMPARE(decoded, int(manifestFrames.size()));
        qInfo("decoded %d real clips", decoded);
    }
};

QTEST_GUILESS_MAIN(TestVideo)
#include "tst_video.moc"
