// Backbones and the feature cache on real video files: the generated demo
// data and, when ../shared is there, real footage with a real pretrained model.
#include <torch/torch.h>

#include <QtTest>

#include <QTemporaryDir>

#include <filesystem>
#include <fstream>

#include "ml/backbone.h"
#include "ml/featurecache.h"
#include "testutil.h"
#include "vidrnn/dataset.h"
#include "vidrnn/demo.h"
#include "vidrnn/errors.h"
#include "vidrnn/features.h"

using namespace vidrnn;
namespace fs = std::filesystem;

class TestFeatures : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    Dataset mDemo;

private Q_SLOTS:
    void initTestCase() {
        torch::set_num_threads(2);
        QVERIFY(mDir.isValid());
        DemoOptions o;
        o.outDir = mDir.filePath("demo").toStdString();
        o.preset = "tiny";
        generateDemo(o);
        mDemo = scanDataset(o.outDir);
        QCOMPARE(int(mDemo.classes.size()), 11);
    }

    void builtinBackboneShapes() {
        Backbone b("resnet18", 64, torch::kCPU);
        const auto& d = b.description();
        QVERIFY(d.spatial);
        QCOMPARE(d.channels, int64_t(512));
        QCOMPARE(d.mapHeight, int64_t(2));
        QVERIFY(!d.pretrained);
        QVERIFY(QString::fromStdString(pretrainedLabel(d)).contains("not pretrained"));
        auto frames = torch::randint(0, 255, {3, 64, 64, 3}, torch::kUInt8);
        auto maps = b.forward(frames);
        QCOMPARE(maps.sizes().vec(), (std::vector<int64_t>{3, 512, 2, 2}));
        // Deterministic weights: the same identity and output in a second instance.
        Backbone again("resnet18", 64, torch::kCPU);
        QCOMPARE(again.description().identity, d.identity);
        QVERIFY(torch::equal(again.forward(frames), maps));
        // At 224 the map is 7x7 as in torchvision.
        QCOMPARE(describeBackbone("resnet18", 224).mapHeight, int64_t(7));
    }

    void extractionIsCachedAndResumable() {
        ExtractOptions o;
        o.backbone = kRandomBackbone;
        o.frames = 6;
        o.imageSize = 64;
        o.cacheDir = mDir.filePath("cache").toStdString();
        int progressCalls = 0;
        o.progress = [&](const ExtractProgress&) { ++progressCalls; };
        auto first = extractFeatures(mDemo, o);
        QCOMPARE(first.computed, int(mDemo.clips.size()));
        QCOMPARE(first.cached, 0);
        QVERIFY(first.skipped.empty());
        QVERIFY(progressCalls > 1);
        QVERIFY(first.framesComputed > 0);

        auto second = extractFeatures(mDemo, o);
        QCOMPARE(second.computed, 0);  // nothing decoded the second time
        QCOMPARE(second.cached, int(mDemo.clips.size()));

        // A corrupted file is found and recomputed; nothing else is touched.
        const auto victim = cacheFileFor(second.cacheDir, mDemo.clips[3].path);
        {
            std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(100);
            f.write("garbage!", 8);
        }
        const auto third = extractFeatures(mDemo, o);
        QCOMPARE(third.recomputed, 1);
        QCOMPARE(third.computed, 1);
        QCOMPARE(third.cached, int(mDemo.clips.size()) - 1);
        fs::resize_file(victim, 50);  // truncated: the header check catches it
        const auto fourth = extractFeatures(mDemo, o);
        QCOMPARE(fourth.recomputed, 1);
        QCOMPARE(fourth.computed, 1);
        auto batch =
            FeatureReader(fourth.cacheDir, 6, true).load({&mDemo.clips[3], &mDemo.clips[0]});
        QCOMPARE(batch.x.sizes().vec(), (std::vector<int64_t>{2, 6, 512, 2, 2}));
        QVERIFY(batch.lengths[0].item<int64_t>() >= 1);

        // Another T is another key: computed afresh, the old key untouched.
        o.frames = 4;
        auto other = extractFeatures(mDemo, o);
        QVERIFY(other.cacheDir != first.cacheDir);
        QCOMPARE(other.computed, int(mDemo.clips.size()));
    }

    void badBackboneFiles_data() {
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing") << QString() << "no such file";
        QTest::newRow("text file") << "hello, not a model"
                                   << "not a TorchScript model";
        QTest::newRow("zip that is not torchscript") << "PK\x03\x04junk"
                                                     << "not a TorchScript model";
    }

    void badBackboneFiles() {
        QFETCH(QString, content);
        QFETCH(QString, reason);
        const auto path =
            mDir.filePath("bad-" + QString::number(qHash(reason)) + ".pt").toStdString();
        if (!content.isNull()) {
            std::ofstream(path) << content.toStdString();
        }
        try {
            describeBackbone(path, 64);
            QFAIL("no ModelError");
        } catch (const ModelError& e) {
            QVERIFY2(QString(e.what()).contains(reason), e.what());
            QVERIFY2(QString(e.what()).contains(QString::fromStdString(path)), e.what());
        }
    }

    void nonImageTorchScriptModule() {
        // A real TorchScript module whose output is not an image feature.
        torch::jit::Module m("m");
        m.define(R"(
            def forward(self, x):
                return x.sum()
        )");
        const auto path = mDir.filePath("scalar.pt").toStdString();
        m.save(path);
        try {
            describeBackbone(path, 64);
            QFAIL("no ModelError");
        } catch (const ModelError& e) {
            QVERIFY2(QString(e.what()).contains("neither [1,D] vectors nor [1,C,H,W] maps"),
                     e.what());
        }
    }

    void quantizedBackboneOnRealClips() {
        const auto shared = test::sharedDir();
        if (shared.empty()) {
            QSKIP("../shared is absent");
        }
        const auto model = shared / "models" / "mobilenet_v2_quantized.pt";
        if (!fs::exists(model)) {
            QSKIP("no pretrained model in ../shared/models");
        }
        Backbone b(model.string(), 224, torch::kCPU);
        const auto& d = b.description();
        QVERIFY(d.pretrained);
        QVERIFY(!d.spatial);
        QCOMPARE(d.channels, int64_t(1000));
        QVERIFY(!d.batched);  // traced at batch size 1
        // Real footage: a few clips of two classes through the real model.
        auto real = scanDataset((shared / "data" / "real-clips").string());
        Dataset few = real;
        few.clips.clear();
        for (const auto& c : real.clips) {
            if (few.clips.size() < 3)
                few.clips.push_back(c);
        }
        ExtractOptions o;
        o.backbone = model.string();
        o.frames = 4;
        o.imageSize = 224;
        o.cacheDir = mDir.filePath("qcache").toStdString();
        auto s = extractFeatures(few, o);
        QCOMPARE(s.computed, 3);
        QVERIFY(s.skipped.empty());
        auto batch = FeatureReader(s.cacheDir, 4, false).load({&few.clips[0]});
        QCOMPARE(batch.x.size(2), int64_t(1000));
        QVERIFY(batch.x.abs().sum().item<double>() > 0);
        qInfo("quantized backbone: %.1f frames/s end to end, %.1f frames/s backbone only",
              s.framesComputed / s.seconds, s.framesComputed / s.backboneSeconds);
    }
};

QTEST_GUILESS_MAIN(TestFeatures)
#include "tst_features.moc"
