// Data set readers: UCF11 layout (both releases, one level down), class
// folders (UCF101 names, sub-folder groups, own groups), CSV manifests, bad
// files skipped with reasons, errors naming the path, and the real clips.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <opencv2/videoio.hpp>

#include "testutil.h"
#include "vidrnn/dataset.h"
#include "vidrnn/errors.h"

namespace fs = std::filesystem;
using vidrnn::Dataset;
using vidrnn::scanDataset;

namespace {

// One tiny MJPG clip (OpenCV's own writer), copied wherever a video is needed.
fs::path makeTemplateClip(const fs::path& dir, int frames = 3) {
    const fs::path path = dir / ("template" + std::to_string(frames) + ".avi");
    cv::VideoWriter w(path.string(), cv::CAP_OPENCV_MJPEG,
                      cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 25, cv::Size(32, 24));
    for (int i = 0; i < frames; ++i) {
        w.write(cv::Mat(24, 32, CV_8UC3, cv::Scalar(20 * i, 100, 200)));
    }
    return path;
}

void place(const fs::path& from, const fs::path& to) {
    fs::create_directories(to.parent_path());
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

void writeText(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

std::string two(int n) {
    return n < 10 ? "0" + std::to_string(n) : std::to_string(n);
}

// <root>/<folder>/v_<token>_GG/v_<token>_GG_CC.<ext> for every UCF11 class,
// plus Annotation/ folders and stray files the reader must ignore.
void makeUcf11Tree(const fs::path& root, const fs::path& clip, const std::string& ext, int groups,
                   int clips) {
    for (const auto& [folder, token] : vidrnn::ucf11Classes()) {
        for (int g = 1; g <= groups; ++g) {
            const std::string stem = "v_" + token + "_" + two(g);
            for (int c = 1; c <= clips; ++c) {
                place(clip, root / folder / stem / (stem + "_" + two(c) + "." + ext));
            }
        }
        writeText(root / folder / "Annotation" / ("v_" + token + "_01_01.xgtf"), "<xml/>");
        place(clip, root / folder / "Annotation" / "not_a_clip.avi");
        writeText(root / folder / "readme.txt", "notes");
    }
}

QStringList names(const std::vector<std::string>& v) {
    QStringList out;
    for (const auto& s : v) {
        out << QString::fromStdString(s);
    }
    return out;
}

const vidrnn::SkippedClip* findSkipped(const Dataset& ds, const std::string& fileName) {
    for (const auto& s : ds.skipped) {
        if (fs::path(s.path).filename() == fileName) {
            return &s;
        }
    }
    return nullptr;
}

}  // namespace

class TestDataset : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        mClip = makeTemplateClip(mDir.path().toStdString());
        mOneFrame = makeTemplateClip(mDir.path().toStdString(), 1);
    }

    void ucf11Layout_data() {
        QTest::addColumn<QString>("ext");
        QTest::newRow("action_youtube_naudio (.avi)") << "avi";
        QTest::newRow("UCF11_updated_mpg (.mpg)") << "mpg";
    }

    void ucf11Layout() {
        QFETCH(QString, ext);
        QTemporaryDir dir;
        const fs::path root = fs::path(dir.path().toStdString()) / "ucf";
        makeUcf11Tree(root, mClip, ext.toStdString(), 3, 2);
        const Dataset ds = scanDataset(root.string());
        QCOMPARE(QString::fromStdString(ds.layout), QString("ucf11"));
        QCOMPARE(ds.root, root.string());
        QStringList expected;
        for (const auto& [folder, token] : vidrnn::ucf11Classes()) {
            expected << QString::fromStdString(folder);
        }
        QCOMPARE(names(ds.classes), expected);
        QCOMPARE(int(ds.clips.size()), 11 * 3 * 2);  // Annotation/ and .txt ignored
        QCOMPARE(names(ds.groups), (QStringList{"01", "02", "03"}));
        QVERIFY(ds.skipped.empty());
        for (const auto& c : ds.clips) {
            QCOMPARE(ds.classes[std::size_t(c.label)], c.className);
            QVERIFY(c.path.find("Annotation") == std::string::npos);
        }
        // walk_dog holds an underscore: group and clip still parse.
        const auto& last = ds.clips.back();
        QCOMPARE(QString::fromStdString(last.className), QString("walking"));
        QCOMPARE(QString::fromStdString(last.group), QString("03"));
        QCOMPARE(last.clipNumber, 2);
        QVERIFY(QString::fromStdString(last.path).endsWith(
            "walking/v_walk_dog_03/v_walk_dog_03_02." + ext));
    }

    // Issue 15: runs on a changed copy of a folder never pool with the old
    // ones; a moved copy does.
    void fingerprintFollowsContent() {
        QTemporaryDir dir;
        const fs::path top(dir.path().toStdString());
        makeUcf11Tree(top / "a", mClip, "avi", 2, 1);
        const std::string original = vidrnn::datasetFingerprint(scanDataset((top / "a").string()));
        QCOMPARE(original.size(), size_t(16));
        fs::copy(top / "a", top / "moved", fs::copy_options::recursive);
        QCOMPARE(vidrnn::datasetFingerprint(scanDataset((top / "moved").string())), original);
        // Another encoding of one clip (another size), a clip more, a clip less.
        place(mOneFrame, top / "moved" / "biking" / "v_biking_01" / "v_biking_01_01.avi");
        const std::string reencoded =
            vidrnn::datasetFingerprint(scanDataset((top / "moved").string()));
        QVERIFY(reencoded != original);
        place(mClip, top / "a" / "biking" / "v_biking_02" / "v_biking_02_02.avi");
        const std::string added = vidrnn::datasetFingerprint(scanDataset((top / "a").string()));
        QVERIFY(added != original && added != reencoded);
    }

    void ucf11OneLevelUp() {
        QTemporaryDir dir;
        const fs::path top(dir.path().toStdString());
        makeUcf11Tree(top / "action_youtube_naudio", mClip, "avi", 2, 1);
        const Dataset ds = scanDataset(top.string());
        QCOMPARE(QString::fromStdString(ds.layout), QString("ucf11"));
        QCOMPARE(ds.root, (top / "action_youtube_naudio").string());
        QCOMPARE(int(ds.clips.size()), 22);
    }

    void ucf11MisnamedClipIsSkipped() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        place(mClip, root / "diving" / "v_diving_01" / "v_diving_01_01.avi");
        place(mClip, root / "diving" / "v_diving_01" / "diving_take2.avi");
        const Dataset ds = scanDataset(root.string());
        QCOMPARE(QString::fromStdString(ds.layout), QString("ucf11"));
        QCOMPARE(int(ds.clips.size()), 1);
        const auto* s = findSkipped(ds, "diving_take2.avi");
        QVERIFY(s != nullptr);
        QVERIFY2(QString::fromStdString(s->reason).contains("v_diving_GG_CC"), s->reason.c_str());
    }

    void classFoldersUcf101Names() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        for (const char* cls : {"Archery", "Bowling"}) {
            for (int g = 1; g <= 3; ++g) {
                for (int c = 1; c <= 2; ++c) {
                    place(mClip,
                          root / cls /
                              ("v_" + std::string(cls) + "_g" + two(g) + "_c" + two(c) + ".avi"));
                }
            }
        }
        const Dataset ds = scanDataset(root.string());
        QCOMPARE(QString::fromStdString(ds.layout), QString("folders"));
        QCOMPARE(names(ds.classes), (QStringList{"Archery", "Bowling"}));
        QCOMPARE(names(ds.groups), (QStringList{"g01", "g02", "g03"}));
        QCOMPARE(int(ds.clips.size()), 12);
        QCOMPARE(ds.clips[1].clipNumber, 2);
    }

    void classFoldersGroupsFromSubfoldersAndFiles() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        place(mClip, root / "cats" / "alice" / "a.mp4");
        place(mClip, root / "cats" / "alice" / "deeper" / "b.MKV");
        place(mClip, root / "cats" / "bob" / "c.mov");
        place(mClip, root / "dogs" / "alice" / "d.webm");
        place(mClip, root / "dogs" / "loose.m4v");
        place(mClip, root / "_other" / "unlabelled.avi");
        place(mClip, root / ".cache" / "x.avi");
        writeText(root / "notes" / "a.txt", "no videos here");
        const Dataset ds = scanDataset(root.string());
        QCOMPARE(QString::fromStdString(ds.layout), QString("folders"));
        QCOMPARE(names(ds.classes), (QStringList{"cats", "dogs"}));
        QCOMPARE(int(ds.clips.size()), 5);
        // Same-named sub-folders are one group across classes, like UCF's GG.
        QCOMPARE(names(ds.groups), (QStringList{"alice", "bob", "dogs/loose"}));
        const QString notes = names(ds.notes).join('\n');
        QVERIFY2(notes.contains("_other"), qPrintable(notes));
        QVERIFY2(notes.contains("notes (no video files)"), qPrintable(notes));
    }

    void manifest() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        place(mClip, root / "clips" / "a.avi");
        place(mClip, root / "clips" / "b, with comma.avi");
        place(mClip, root / "clips" / "v_Jump_g04_c02.avi");
        place(mClip, root / "clips" / "e.avi");
        const fs::path csv = root / "list.csv";
        writeText(csv,
                  "path,label,group\n"               // 1 header
                  "# a comment\n"                    // 2
                  "clips/a.avi,10,actorA\n"          // 3
                  "\n"                               // 4
                  "\"clips/b, with comma.avi\",2\n"  // 5 own group
                  "clips/v_Jump_g04_c02.avi, 2 ,\n"  // 6 group from name
                  "clips/missing.avi,2\n"            // 7 not found
                  "clips/e.avi,\n"                   // 8 empty label
                  "clips/e.avi\n"                    // 9 one column
                  "clips/e.avi,2,x,extra\n"          // 10 four columns
                  "\"clips/e.avi,2\n"                // 11 unterminated quote
                  "clips/a.avi,2\n");                // 12 duplicate
        const Dataset ds = scanDataset(csv.string());
        QCOMPARE(QString::fromStdString(ds.layout), QString("manifest"));
        QCOMPARE(names(ds.classes), (QStringList{"2", "10"}));  // numeric labels sort by value
        QCOMPARE(int(ds.clips.size()), 3);
        QCOMPARE(names(ds.groups), (QStringList{"actorA", "clips/b, with comma", "g04"}));
        std::set<std::string> reasons;
        for (const auto& s : ds.skipped) {
            reasons.insert(s.reason);
        }
        for (const char* expected :
             {"row 7: file not found", "row 8: empty label",
              "row 9: expected 2 or 3 columns (path,label[,group]), found 1",
              "row 10: expected 2 or 3 columns (path,label[,group]), found 4",
              "row 11: unterminated quoted field", "row 12: duplicate of row 3"}) {
            QVERIFY2(reasons.count(expected) == 1, expected);
        }
        QCOMPARE(int(ds.skipped.size()), 6);
    }

    void folderWithOneManifest() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        place(mClip, root / "x.avi");
        writeText(root / "set.csv", "x.avi,walk\n");
        const Dataset ds = scanDataset(root.string());
        QCOMPARE(QString::fromStdString(ds.layout), QString("manifest"));
        QCOMPARE(int(ds.clips.size()), 1);
    }

    void badFilesAreSkippedWithReasons_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("zero bytes") << "empty"
                                    << "empty file (0 bytes)";
        QTest::newRow("text named .avi") << "text"
                                         << "not a video file";
        QTest::newRow("first 100 bytes of a video") << "truncated"
                                                    << "truncated avi file (100 of";
        QTest::newRow("audio only") << "audio"
                                    << "no video stream (audio only)";
    }

    void badFilesAreSkippedWithReasons() {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        place(mClip, root / "run" / "good.avi");
        place(mOneFrame, root / "run" / "one_frame.avi");
        const fs::path bad = root / "run" / "bad.avi";
        if (kind == "empty") {
            writeText(bad, "");
        } else if (kind == "text") {
            writeText(bad, "hello, I am text\n");
        } else if (kind == "truncated") {
            place(mClip, bad);
            fs::resize_file(bad, 100);
        } else {
            place(fs::path(VIDRNN_DATA_FIXTURES) / "audio_only.avi", bad);
        }
        place(mClip, root / "sit" / "good.avi");
        const Dataset ds = scanDataset(root.string());
        QCOMPARE(int(ds.clips.size()), 3);  // the one-frame clip is used
        QCOMPARE(int(ds.skipped.size()), 1);
        QCOMPARE(ds.skipped[0].path, bad.string());
        QVERIFY2(QString::fromStdString(ds.skipped[0].reason).contains(reason),
                 ds.skipped[0].reason.c_str());

        vidrnn::ScanOptions noProbe;
        noProbe.probe = false;
        QCOMPARE(int(scanDataset(root.string(), noProbe).clips.size()), 4);
    }

    void countFramesAndThreadsDoNotChangeResults() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        makeUcf11Tree(root, mClip, "avi", 2, 2);
        place(mOneFrame, root / "diving" / "v_diving_03" / "v_diving_03_01.avi");
        vidrnn::ScanOptions one;
        one.threads = 1;
        one.countFrames = true;
        int calls = 0;
        int last = 0;
        one.progress = [&](int done, int total) {
            ++calls;
            last = done;
            QCOMPARE(total, 45);
        };
        const Dataset a = scanDataset(root.string(), one);
        QCOMPARE(calls, 45);
        QCOMPARE(last, 45);
        vidrnn::ScanOptions two;
        two.threads = 2;
        two.countFrames = true;
        const Dataset b = scanDataset(root.string(), two);
        QCOMPARE(a.clips.size(), b.clips.size());
        for (std::size_t i = 0; i < a.clips.size(); ++i) {
            QCOMPARE(a.clips[i].path, b.clips[i].path);
            QCOMPARE(a.clips[i].frames, b.clips[i].frames);
        }
        const auto it = std::find_if(a.clips.begin(), a.clips.end(),
                                     [](const auto& c) { return c.group == "03"; });
        QVERIFY(it != a.clips.end());
        QCOMPARE(it->frames, std::int64_t(1));
        QCOMPARE(a.clips.front().frames, std::int64_t(3));
    }

    void symlinkLoopsEnd() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        place(mClip, root / "jump" / "g1" / "a.avi");
        place(mClip, root / "elsewhere" / "b.avi");
        std::error_code ec;
        fs::create_directory_symlink(root / "jump", root / "jump" / "g1" / "loop", ec);
        if (ec) {
            QSKIP("cannot create symbolic links here");
        }
        fs::create_directory_symlink(root / "elsewhere", root / "jump" / "linked", ec);
        const Dataset ds = scanDataset(root.string());
        QCOMPARE(names(ds.classes), (QStringList{"elsewhere", "jump"}));
        QCOMPARE(int(ds.clips.size()), 3);  // a once, b via the link, b in its own class
    }

    void cancelled() {
        QTemporaryDir dir;
        const fs::path root(dir.path().toStdString());
        makeUcf11Tree(root, mClip, "avi", 1, 1);
        std::atomic<bool> stop{true};
        vidrnn::ScanOptions options;
        options.stop = &stop;
        try {
            scanDataset(root.string(), options);
            QFAIL("expected DatasetError");
        } catch (const vidrnn::DatasetError& e) {
            QVERIFY2(QString(e.what()).contains("cancelled"), e.what());
        }
    }

    void errorsNamePathAndReason_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing") << "missing"
                                 << "does not exist";
        QTest::newRow("empty folder") << "emptydir"
                                      << "no classes found";
        QTest::newRow("only _other") << "other"
                                     << "no classes found";
        QTest::newRow("text file") << "text"
                                   << "not a data set folder or a CSV manifest";
        QTest::newRow("single video") << "video"
                                      << "is a single video file";
        QTest::newRow("manifest without good rows")
            << "badcsv"
            << "no usable clips (1 skipped; first: row 1: file not found)";
    }

    void errorsNamePathAndReason() {
        QFETCH(QString, kind);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const fs::path base(dir.path().toStdString());
        fs::path path = base / "target";
        if (kind == "emptydir") {
            fs::create_directory(path);
        } else if (kind == "other") {
            place(mClip, path / "_other" / "x.avi");
        } else if (kind == "text") {
            path = base / "target.txt";
            writeText(path, "x");
        } else if (kind == "video") {
            path = base / "target.avi";
            place(mClip, path);
        } else if (kind == "badcsv") {
            path = base / "target.csv";
            writeText(path, "nope.avi,a\n");
        }
        try {
            scanDataset(path.string());
            QFAIL("expected DatasetError");
        } catch (const vidrnn::DatasetError& e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY2(what.startsWith(QString::fromStdString(path.string()) + ": "),
                     qPrintable(what));
            QVERIFY2(what.contains(reason), qPrintable(what));
        }
    }

    void realClips() {
        const fs::path shared = vidrnn::test::sharedDir();
        if (shared.empty()) {
            QSKIP("shared/ folder not present");
        }
        const fs::path root = shared / "data" / "real-clips";
        int expected = 0;
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
            const std::string top = entry.path().lexically_relative(root).begin()->string();
            expected += entry.is_regular_file() && top[0] != '_' &&
                        vidrnn::isVideoFileName(entry.path().filename().string());
        }
        const Dataset ds = scanDataset(root.string());
        QCOMPARE(QString::fromStdString(ds.layout), QString("folders"));
        QCOMPARE(names(ds.classes), (QStringList{"basketball", "biking", "diving", "horse_riding",
                                                 "soccer_juggling", "walking"}));
        QVERIFY(ds.skipped.empty());
        QCOMPARE(int(ds.clips.size()), expected);
        QVERIFY(names(ds.groups).contains("g01"));
        QVERIFY(names(ds.groups).contains("basketball/pexels_basketball_pavel_danilyuk"));
        QVERIFY(names(ds.notes).join('\n').contains("_other"));
    }

private:
    QTemporaryDir mDir;
    fs::path mClip;
    fs::path mOneFrame;
};

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
