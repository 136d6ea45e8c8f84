// The bad-input suite against the engine: every input of the catalogue goes
// through the calls a program makes with it (probe, check and decode a video;
// scan a data set; load a backbone or a checkpoint; open a store; validate
// settings). Each either works or throws the engine's error for its kind with
// a message naming the input and the reason; nothing crashes.
#include <sys/stat.h>
#include <torch/torch.h>

#include <QtTest>

#include <QTemporaryDir>

#include <functional>
#include <map>

#include "badinputrows.h"
#include "data/decode.h"
#include "ml/checkpoint.h"
#include "unprivileged.h"
#include "vidrnn/dataset.h"
#include "vidrnn/errors.h"
#include "vidrnn/features.h"
#include "vidrnn/splits.h"
#include "vidrnn/store.h"
#include "vidrnn/video.h"

using namespace vidrnn;
using vidrnn::test::BadInput;

namespace {

// Runs `call` and checks the outcome against the entry: no exception for a
// usable input, exactly an `E` naming the input otherwise.
template <typename E>
void expectOutcome(const BadInput& input, const std::function<void()>& call) {
    try {
        call();
    } catch (const E& e) {
        QVERIFY2(input.expect == BadInput::Expect::Error,
                 qPrintable(QString("usable input refused: ") + e.what()));
        const std::string problem = test::checkMessage(input, e.what());
        QVERIFY2(problem.empty(), problem.c_str());
        qInfo("%s", e.what());
        return;
    }
    QVERIFY2(input.expect == BadInput::Expect::Usable,
             qPrintable(QString::fromStdString("accepted, expected: " + input.reason)));
}

}  // namespace

class TestBadInputEngine : public vidrnn::test::BadInputSuite {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        torch::set_num_threads(2);
        QVERIFY(mDir.isValid());
        // The store entries that need an ordinary user reach their files.
        QCOMPARE(chmod(mDir.path().toLocal8Bit().constData(), 0755), 0);
        mInputs = test::writeBadInputs(mDir.filePath("inputs").toStdString());
        qInfo(
            "catalogue: %zu inputs (%d videos, %d data sets, %d backbones, %d checkpoints, "
            "%d stores, %d settings)",
            mInputs.inputs.size(), mInputs.count("video"), mInputs.count("dataset"),
            mInputs.count("backbone"), mInputs.count("checkpoint"), mInputs.count("store"),
            mInputs.count("setting"));
    }

    void videos_data() { rows("video", false); }
    void videos() {
        const BadInput& b = current();
        expectOutcome<VideoError>(b, [&] { checkVideo(b.path); });
        expectOutcome<VideoError>(b, [&] {
            const VideoInfo info = probeVideo(b.path);
            QVERIFY(info.frames >= 1 && info.width >= 16 && info.height >= 16);
        });
        expectOutcome<VideoError>(b, [&] {
            const auto clip = data::decodeClip(b.path, 4, 32);
            QVERIFY(!clip.frames.empty() && clip.frames.size() <= 4);
            QCOMPARE(clip.frames[0].cols, 32);
            QVERIFY(clip.indices.back() < clip.totalFrames);
        });
    }

    void datasets_data() { rows("dataset", false); }
    void datasets() {
        const BadInput& b = current();
        ScanOptions options;
        options.threads = 2;
        expectOutcome<DatasetError>(b, [&] {
            const Dataset ds = scanDataset(b.path, options);
            if (b.clips >= 0) {
                QCOMPARE(int(ds.clips.size()), b.clips);
            }
            if (!b.note.empty()) {
                std::string said;
                for (const auto& n : ds.notes)
                    said += n + "\n";
                for (const auto& s : ds.skipped)
                    said += s.reason + "\n";
                QVERIFY2(said.find(b.note) != std::string::npos, said.c_str());
            }
            // Whatever was skipped says which file and why.
            for (const auto& s : ds.skipped) {
                QVERIFY(!s.path.empty() && !s.reason.empty());
            }
        });
    }

    // The videos folder as one data set: every bad video skipped with the
    // reason its own check gives, every usable one kept.
    void videosAsOneDataset() {
        const Dataset ds = scanDataset(mInputs.videoDataset);
        std::map<std::string, std::string> skipped;
        for (const auto& s : ds.skipped)
            skipped[s.path] = s.reason;
        int usable = 0;
        for (const BadInput* b : mInputs.of("video")) {
            ++mTried;
            if (b->expect == BadInput::Expect::Usable) {
                ++usable;
                QVERIFY2(!skipped.count(b->path), b->id.c_str());
            } else {
                QVERIFY2(skipped.count(b->path), b->id.c_str());
                QVERIFY2(skipped[b->path].find(b->reason) != std::string::npos,
                         skipped[b->path].c_str());
            }
        }
        QCOMPARE(int(ds.clips.size()), usable);
        QCOMPARE(ds.skipped.size(), mInputs.of("video").size() - std::size_t(usable));
    }

    void backbones_data() { rows("backbone", false); }
    void backbones() {
        const BadInput& b = current();
        expectOutcome<ModelError>(b, [&] {
            const auto d = describeBackbone(b.path, 32);
            QVERIFY(d.channels >= 1);
        });
    }

    void checkpoints_data() { rows("checkpoint", false); }
    void checkpoints() {
        const BadInput& b = current();
        TrainConfig expected;
        expected.arch = mInputs.checkpointArch;
        expected.hidden = mInputs.checkpointHidden;
        expectOutcome<ModelError>(b, [&] {
            const auto loaded = loadCheckpoint(b.path, &expected);
            QCOMPARE(loaded.meta.classes.size(), std::size_t(2));
        });
    }

    void stores_data() { rows("store", false); }
    void stores() {
        const BadInput& b = current();
        const std::string outcome = test::inChild(
            [&]() -> std::string {
                try {
                    return "opened " + std::to_string(RunStore::open(b.path).listRuns().size());
                } catch (const StoreError& e) {
                    return e.what();
                }
            },
            b.unprivileged);
        if (b.expect == BadInput::Expect::Usable) {
            QCOMPARE(QString::fromStdString(outcome), QString("opened 16"));
        } else {
            const std::string problem = test::checkMessage(b, outcome);
            QVERIFY2(problem.empty(), problem.c_str());
        }
    }

    // A store locked by another writer: readers carry on at once, a writer
    // waits for the lock and then gives up naming the store.
    void lockedStore() {
        ++mTried;
        const std::string path = mDir.filePath("locked.db").toStdString();
        RunStore::open(path);
        const test::StoreLock lock(path);
        auto reader = RunStore::open(path, RunStore::OpenMode::ReadOnly);
        QCOMPARE(reader.listRuns().size(), std::size_t(16));
        RunStore::Options options;
        options.busyTimeout = std::chrono::milliseconds(300);
        BadInput b;
        b.path = path;
        b.expect = BadInput::Expect::Error;
        b.reason = "locked by another program";
        expectOutcome<StoreError>(b, [&] { RunStore::open(path, options).createRun({}, {}); });
    }

    void settings_data() { rows("setting", false); }
    void settings() {
        const BadInput& b = current();
        TrainConfig base;
        base.dataset = mInputs.cleanDataset;
        const TrainConfig c = test::applySettings(base, b.args);
        expectOutcome<ConfigError>(b, [&] {
            validate(c);
            // What is only known with the data: the fold.
            makeSplit(scanDataset(c.dataset), SplitSpec{c.split, c.fold, c.seed, 0.15, 0.2});
        });
    }

    void cleanupTestCase() {
        qInfo("bad inputs tried through the engine: %d", mTried);
        test::removeBadInputs(mInputs);
    }
};

QTEST_GUILESS_MAIN(TestBadInputEngine)
#include "tst_badinput_engine.moc"
