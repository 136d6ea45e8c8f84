// The trainer on real features of generated videos: determinism, early
// stopping bookkeeping, cancellation, non-finite loss, checkpoints.
#include <torch/torch.h>

#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <filesystem>
#include <thread>

#include "ml/checkpoint.h"
#include "vidrnn/demo.h"
#include "vidrnn/errors.h"
#include "vidrnn/experiment.h"
#include "vidrnn/precision.h"
#include "vidrnn/report.h"
#include "vidrnn/rerun.h"
#include "vidrnn/runtime.h"
#include "vidrnn/splits.h"
#include "vidrnn/trainer.h"

using namespace vidrnn;

class TestTrainer : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    Dataset mDemo;
    ExtractSummary mFeatures;
    TrainConfig mBase;

    TrainInputs inputs(const TrainConfig& c) {
        TrainInputs in;
        in.dataset = &mDemo;
        SplitSpec s;
        s.protocol = c.split;
        s.fold = c.fold;
        s.seed = c.seed;
        in.split = makeSplit(mDemo, s);
        in.features = mFeatures;
        return in;
    }

    // The base settings with a small model of this architecture.
    TrainConfig small(const QString& arch) const {
        TrainConfig c = mBase;
        c.arch = arch.toStdString();
        c.hidden = 16;
        return c;
    }

private Q_SLOTS:
    void initTestCase() {
        DemoOptions o;
        o.outDir = mDir.filePath("demo").toStdString();
        o.preset = "tiny";
        generateDemo(o);
        mDemo = scanDataset(o.outDir);
        mBase.dataset = o.outDir;
        mBase.backbone = kRandomBackbone;
        mBase.frames = 6;
        mBase.imageSize = 64;
        mBase.cacheDir = mDir.filePath("cache").toStdString();
        mBase.split = "random";
        mBase.epochs = 4;
        mBase.batch = 8;
        mBase.patience = 0;
        mBase.threads = 2;
        mBase.device = "cpu";
        std::atomic<bool> stop{false};
        mFeatures = featuresFor(mDemo, mBase, {}, stop);
        QCOMPARE(mFeatures.computed + mFeatures.cached, int(mDemo.clips.size()));
    }

    void sameSeedSameRun_data() {
        QTest::addColumn<QString>("arch");
        QTest::newRow("gru") << "gru";
        QTest::newRow("convlstm") << "convlstm";
        QTest::newRow("mean_pool") << "mean_pool";
    }

    void sameSeedSameRun() {
        QFETCH(QString, arch);
        TrainConfig c = small(arch);
        std::atomic<bool> stop{false};
        auto a = train(c, inputs(c), {}, stop, "");
        auto b = train(c, inputs(c), {}, stop, "");
        QCOMPARE(a.epochs.size(), std::size_t(4));
        for (std::size_t i = 0; i < a.epochs.size(); ++i) {
            QCOMPARE(a.epochs[i].trainLoss, b.epochs[i].trainLoss);
            QCOMPARE(a.epochs[i].valLoss, b.epochs[i].valLoss);
        }
        QCOMPARE(a.test.accuracy, b.test.accuracy);
        QCOMPARE(a.test.total, std::int64_t(inputs(c).split.test.size()));
        QCOMPARE(a.predictions.size(), std::size_t(a.test.total));
        QVERIFY(a.bestEpoch >= 1 && a.bestEpoch <= 4);
        c.seed = 1;
        auto d = train(c, inputs(c), {}, stop, "");
        QVERIFY(d.epochs[0].trainLoss != a.epochs[0].trainLoss);
    }

    // The test clips again, reversed and shuffled: mean_pool averages the
    // frames, so its answers and its reliance are exactly those in order;
    // a recurrent model's are computed on the same clips (and the same again
    // for the same seed).
    void orderDiagnostics_data() {
        QTest::addColumn<QString>("arch");
        QTest::newRow("mean_pool") << "mean_pool";
        QTest::newRow("gru") << "gru";
    }

    void orderDiagnostics() {
        QFETCH(QString, arch);
        TrainConfig c = small(arch);
        std::atomic<bool> stop{false};
        const auto a = train(c, inputs(c), {}, stop, "");
        QCOMPARE(a.order.accuracy, a.test.accuracy);
        QCOMPARE(a.order.perClass.size(), mDemo.classes.size());
        QVERIFY(a.order.shuffledAccuracy >= 0.0 && a.order.shuffledAccuracy <= 1.0);
        // Clip by clip, the flips add up to the accuracies' difference.
        QVERIFY(a.order.shuffledFlips && a.order.reversedFlips);
        const auto clips = static_cast<double>(a.test.total);
        QVERIFY(
            std::abs(double(a.order.shuffledFlips->lost - a.order.shuffledFlips->gained) / clips -
                     a.order.reliance()) < 1e-12);
        QVERIFY(
            std::abs(double(a.order.reversedFlips->lost - a.order.reversedFlips->gained) / clips -
                     (a.order.accuracy - a.order.reversedAccuracy)) < 1e-12);
        if (arch == "mean_pool") {
            // Not one clip changes its answer.
            QCOMPARE(a.order.shuffledFlips->lost + a.order.shuffledFlips->gained, std::int64_t(0));
            QCOMPARE(a.order.reversedFlips->lost + a.order.reversedFlips->gained, std::int64_t(0));
            QCOMPARE(a.order.reliance(), 0.0);
            QCOMPARE(a.order.shuffledAccuracy, a.test.accuracy);
            QCOMPARE(a.order.reversedAccuracy, a.test.accuracy);
            QCOMPARE(a.order.shuffledMacroF1, a.test.macroF1);
            for (const auto& k : a.order.perClass) {
                QVERIFY(!k.reliance() || *k.reliance() == 0.0);
            }
        } else {
            const auto b = train(c, inputs(c), {}, stop, "");
            QCOMPARE(b.order.shuffledAccuracy, a.order.shuffledAccuracy);
            QCOMPARE(b.order.reversedAccuracy, a.order.reversedAccuracy);
        }
    }

    // A run trained again from its stored record on the same build, CPU,
    // threads and precision is the same to the last bit; with another thread
    // count the check names the threads (and any number that moved).
    void rerunIsIdenticalAndNamesThreads() {
        auto store = RunStore::open(mDir.filePath("rerun.db").toStdString());
        TrainConfig c = small("gru");
        c.threads = 1;
        c.epochs = 2;
        std::atomic<bool> stop{false};
        const auto original = runExperiment(store, c, mDemo, mFeatures, {}, stop);
        QCOMPARE(original.status, RunStatus::Completed);
        const auto run = store.getRun(original.runId);
        QCOMPARE(QString::fromStdString(run->provenance.threads), QString("1"));
        QVERIFY(run->orderReliance.has_value());
        QVERIFY(!run->provenance.cpu.empty() && !run->provenance.libtorch.empty());
        // Stored clip by clip: a single run's reliance has its interval over
        // its test clips, around its reliance.
        QVERIFY(run->shuffledLost && run->shuffledGained && run->testCount);
        const Report report = buildReport({*run}, ReportOptions{false});
        QCOMPARE(report.rows.size(), size_t(1));
        QVERIFY(report.rows[0].relianceOverClips);
        QVERIFY(*report.rows[0].orderReliance.ciLow <= *run->orderReliance + 1e-12);
        QVERIFY(*report.rows[0].orderReliance.ciHigh >= *run->orderReliance - 1e-12);

        const auto again = rerunExperiment(store, original.runId, {}, {}, stop);
        const auto same = checkRerun(store, original.runId, again.runId);
        QVERIFY2(same.identical(), formatRerunCheck(same).c_str());
        QVERIFY2(same.provenance.empty(), formatRerunCheck(same).c_str());
        QCOMPARE(QString::fromStdString(store.getRun(again.runId)->note),
                 QString("rerun of run %1").arg(original.runId));

        RerunOptions two;
        two.threads = 2;
        const auto other = rerunExperiment(store, original.runId, two, {}, stop);
        const auto differs = checkRerun(store, original.runId, other.runId);
        QCOMPARE(differs.provenance, std::vector<std::string>{"threads: 1 vs 2"});
        QVERIFY(formatRerunCheck(differs).find("threads: 1 vs 2") != std::string::npos);
        // The reconfigured thread count would otherwise leak into later tests.
        configureThreads(mBase.threads);
    }

    // Refused, with the reason, before anything trains.
    void rerunRefusesChangedData() {
        auto store = RunStore::open(mDir.filePath("refuse.db").toStdString());
        TrainConfig c = small("mean_pool");
        c.epochs = 1;
        std::atomic<bool> stop{false};
        auto result = runExperiment(store, c, mDemo, mFeatures, {}, stop);
        // A clip added since: the fingerprint no longer matches.
        // Named as the clips of its group are (v_<token>_<GG>_<CC>), clip 99.
        const std::filesystem::path clip = mDemo.clips.front().path;
        const std::string stem = clip.stem().string();
        const auto copy = clip.parent_path() /
                          (stem.substr(0, stem.rfind('_')) + "_99" + clip.extension().string());
        std::filesystem::copy_file(clip, copy);
        try {
            rerunExperiment(store, result.runId, {}, {}, stop);
            QFAIL("no ConfigError");
        } catch (const ConfigError& e) {
            QVERIFY2(QString(e.what()).contains("no longer holds the clips"), e.what());
        }
        std::filesystem::remove(copy);
        QVERIFY_THROWS_EXCEPTION(ConfigError, rerunExperiment(store, 999, {}, {}, stop));
    }

    void cancelStopsBetweenBatches() {
        TrainConfig c = mBase;
        c.arch = "lstm";
        c.hidden = 32;
        c.epochs = 1000;
        c.batch = 2;
        std::atomic<bool> stop{false};
        int batches = 0;
        TrainCallbacks cb;
        cb.onBatch = [&](const BatchProgress&) {
            if (++batches == 5) {
                stop = true;
            }
        };
        auto out = train(c, inputs(c), cb, stop, "");
        QVERIFY(out.cancelled);
        QCOMPARE(batches, 5);
    }

    void cudaMatchesCpu_data() {
        QTest::addColumn<QString>("arch");
        QTest::newRow("bilstm") << "bilstm";
        QTest::newRow("convlstm") << "convlstm";
    }

    void cudaMatchesCpu() {
        // Where LibTorch has a GPU (a CUDA build on a GPU machine): the same run
        // on CUDA trains (every tensor on the right device) and ends close to
        // the CPU run. bench/gpu/run.sh does the same on real demo features.
        if (!torch::cuda::is_available()) {
            QSKIP("no CUDA device for this LibTorch");
        }
        QFETCH(QString, arch);
        TrainConfig c = small(arch);
        std::atomic<bool> stop{false};
        auto cpu = train(c, inputs(c), {}, stop, "");
        c.device = "cuda";
        auto gpu = train(c, inputs(c), {}, stop, "");
        QCOMPARE(QString::fromStdString(gpu.device), QString("cuda:0"));
        QCOMPARE(gpu.epochs.size(), cpu.epochs.size());
        QVERIFY(std::isfinite(gpu.epochs.back().trainLoss));
        QVERIFY2(std::abs(gpu.epochs[0].trainLoss - cpu.epochs[0].trainLoss) < 1e-2,
                 qPrintable(QString("first-epoch loss %1 on CUDA, %2 on the CPU")
                                .arg(gpu.epochs[0].trainLoss)
                                .arg(cpu.epochs[0].trainLoss)));
    }

    void nonFiniteLossFails() {
        TrainConfig c = mBase;
        // Unbounded activations (ReLU, no clipping) and an absurd step size.
        c.arch = "mean_pool";
        c.hidden = 16;
        c.lr = 1e30;
        c.gradClip = 0;
        c.epochs = 20;
        std::atomic<bool> stop{false};
        try {
            train(c, inputs(c), {}, stop, "");
            QFAIL("no TrainingError");
        } catch (const TrainingError& e) {
            QVERIFY2(QString(e.what()).contains("non-finite loss"), e.what());
        }
    }

    void checkpointRoundTripAndMismatch() {
        TrainConfig c = mBase;
        c.arch = "lstm";
        c.hidden = 16;
        const auto path = mDir.filePath("ckpt/run.pt").toStdString();
        std::atomic<bool> stop{false};
        auto out = train(c, inputs(c), {}, stop, path);
        auto loaded = loadCheckpoint(path, &c);
        QCOMPARE(loaded.meta.classes, mDemo.classes);
        QCOMPARE(loaded.meta.backbone.identity, mFeatures.backbone.identity);
        QCOMPARE(loaded.meta.config.hidden, 16);
        // Another architecture or size is refused before anything is loaded.
        TrainConfig other = c;
        other.hidden = 32;
        QVERIFY_THROWS_EXCEPTION(ModelError, loadCheckpoint(path, &other));
        other = c;
        other.arch = "gru";
        try {
            loadCheckpoint(path, &other);
            QFAIL("no ModelError");
        } catch (const ModelError& e) {
            QVERIFY2(QString(e.what()).contains("not the requested gru"), e.what());
        }
        QVERIFY_THROWS_EXCEPTION(ModelError,
                                 loadCheckpoint(mDir.filePath("nope.pt").toStdString()));
        // Per-frame predictions: one per sampled frame of a real video.
        auto p = predictVideo(path, mDemo.clips[0].path, "cpu");
        QVERIFY(!p.frames.empty() && p.frames.size() <= 6);
        QCOMPARE(p.probabilities.size(), mDemo.classes.size());
    }

    // The motion input trains, tests in and out of order, saves its
    // checkpoint with the input and predicts from it; a checkpoint of the
    // other input is refused.
    void motionInputTrainsAndPredicts() {
        TrainConfig c = small("gru");
        c.input = "motion";
        const auto path = mDir.filePath("ckpt/motion.pt").toStdString();
        std::atomic<bool> stop{false};
        const auto out = train(c, inputs(c), {}, stop, path);
        QCOMPARE(out.epochs.size(), std::size_t(4));
        QCOMPARE(out.params, modelParameters(c, mFeatures.backbone, int(mDemo.classes.size())));
        TrainConfig plain = c;
        plain.input = "appearance";
        // Three GRU gates read as many inputs again.
        QCOMPARE(out.params - modelParameters(plain, mFeatures.backbone, int(mDemo.classes.size())),
                 std::int64_t(3 * 16 * mFeatures.backbone.channels));
        QVERIFY(out.order.shuffledAccuracy >= 0.0 && out.order.shuffledAccuracy <= 1.0);
        QCOMPARE(train(c, inputs(c), {}, stop, "").order.shuffledAccuracy,
                 out.order.shuffledAccuracy);
        QCOMPARE(loadCheckpoint(path, &c).meta.config.input, std::string("motion"));
        QVERIFY_THROWS_EXCEPTION(ModelError, loadCheckpoint(path, &plain));
        const auto p = predictVideo(path, mDemo.clips[0].path, "cpu");
        QCOMPARE(p.probabilities.size(), mDemo.classes.size());
    }

    // A CPU without native bf16 (simulated with VIDRNN_NATIVE_BF16=0): bf16
    // is refused before training, naming the reason; auto trains in fp32.
    void bf16RefusedWithoutNativeSupport() {
        qputenv("VIDRNN_NATIVE_BF16", "0");
        TrainConfig c = small("convlstm");
        c.epochs = 1;
        c.precision = "bf16";
        std::atomic<bool> stop{false};
        try {
            train(c, inputs(c), {}, stop, "");
            qunsetenv("VIDRNN_NATIVE_BF16");
            QFAIL("no ConfigError");
        } catch (const ConfigError& e) {
            QVERIFY2(QString(e.what()).contains("needs a CPU with native bf16"), e.what());
            QVERIFY2(QString(e.what()).contains("--precision fp32 or auto"), e.what());
        }
        c.precision = "auto";
        auto out = train(c, inputs(c), {}, stop, "");
        qunsetenv("VIDRNN_NATIVE_BF16");
        QCOMPARE(out.precision, std::string("fp32"));
    }

    // A run trained in bf16 (ConvLSTM, and an LSTM forced to it) records
    // it, saves fp32 weights, loads from its checkpoint and predicts.
    void bf16RunLoadsAndPredicts_data() {
        QTest::addColumn<QString>("arch");
        QTest::addColumn<QString>("precision");
        QTest::newRow("convlstm-auto") << "convlstm"
                                       << "auto";
        QTest::newRow("lstm-bf16") << "lstm"
                                   << "bf16";
    }

    void bf16RunLoadsAndPredicts() {
        if (!nativeBf16().available()) {
            QSKIP("this CPU has no native bf16");
        }
        QFETCH(QString, arch);
        QFETCH(QString, precision);
        TrainConfig c = small(arch);
        c.precision = precision.toStdString();
        const auto path = mDir.filePath("ckpt/bf16-" + arch + ".pt").toStdString();
        std::atomic<bool> stop{false};
        auto out = train(c, inputs(c), {}, stop, path);
        QCOMPARE(out.precision, std::string("bf16"));
        QCOMPARE(out.epochs.size(), std::size_t(4));
        QVERIFY(std::isfinite(out.epochs.back().trainLoss));
        QVERIFY(out.epochs.back().trainLoss < out.epochs.front().trainLoss);
        auto loaded = loadCheckpoint(path, &c);
        // The checkpoint records what the run computed in, not "auto".
        QCOMPARE(loaded.meta.config.precision, std::string("bf16"));
        for (const auto& p : loaded.model->parameters()) {
            QCOMPARE(p.scalar_type(), torch::kFloat);
        }
        auto p = predictVideo(path, mDemo.clips[0].path, "cpu");
        QVERIFY(!p.frames.empty());
        QCOMPARE(p.probabilities.size(), mDemo.classes.size());
        double sum = 0;
        for (float v : p.probabilities) {
            sum += v;
        }
        QVERIFY(std::abs(sum - 1.0) < 1e-3);
    }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
