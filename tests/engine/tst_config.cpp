#include <QtTest>

#include "vidrnn/config.h"
#include "vidrnn/errors.h"
#include "vidrnn/models.h"
#include "vidrnn/precision.h"

using vidrnn::TrainConfig;

class TestConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsAreValid() { vidrnn::validate(TrainConfig{}); }

    void badSettings_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("hidden 0") << "hidden"
                                  << "0"
                                  << "hidden size must be positive";
        QTest::newRow("frames 0") << "frames"
                                  << "0"
                                  << "frames per clip";
        QTest::newRow("negative lr") << "lr"
                                     << "-0.001"
                                     << "learning rate must be positive";
        QTest::newRow("unknown arch") << "arch"
                                      << "no_such_arch"
                                      << "unknown architecture 'no_such_arch'";
        QTest::newRow("unknown split") << "split"
                                       << "kfold"
                                       << "split protocol 'kfold'";
        QTest::newRow("negative fold") << "fold"
                                       << "-1"
                                       << "fold must not be negative";
        QTest::newRow("zero epochs") << "epochs"
                                     << "0"
                                     << "epochs must be at least 1";
        QTest::newRow("dropout 1") << "dropout"
                                   << "1"
                                   << "dropout must lie in [0, 1)";
        QTest::newRow("precision fp16") << "precision"
                                        << "fp16"
                                        << "precision 'fp16' is not one of fp32, bf16, auto";
        QTest::newRow("input flow") << "input"
                                    << "flow"
                                    << "input 'flow' is not one of appearance, motion";
    }

    void badSettings() {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        TrainConfig c;
        const auto v = value.toStdString();
        if (field == "hidden")
            c.hidden = std::stoi(v);
        if (field == "frames")
            c.frames = std::stoi(v);
        if (field == "lr")
            c.lr = std::stod(v);
        if (field == "arch")
            c.arch = v;
        if (field == "split")
            c.split = v;
        if (field == "fold")
            c.fold = std::stoi(v);
        if (field == "epochs")
            c.epochs = std::stoi(v);
        if (field == "dropout")
            c.dropout = std::stod(v);
        if (field == "precision")
            c.precision = v;
        if (field == "input")
            c.input = v;
        try {
            vidrnn::validate(c);
            QFAIL("no ConfigError");
        } catch (const vidrnn::ConfigError& e) {
            QVERIFY2(QString(e.what()).contains(expected), e.what());
        }
    }

    void jsonRoundTrip() {
        TrainConfig c;
        c.arch = "convlstm";
        c.hidden = 64;
        c.lr = 3e-4;
        c.dataset = "/data/UCF11 with spaces/é";
        c.split = "groups";
        c.fold = 3;
        c.precision = "bf16";
        const auto back = vidrnn::trainConfigFromJson(vidrnn::toJson(c));
        QCOMPARE(back.arch, c.arch);
        QCOMPARE(back.hidden, c.hidden);
        QCOMPARE(back.lr, c.lr);
        QCOMPARE(back.dataset, c.dataset);
        QCOMPARE(back.split, c.split);
        QCOMPARE(back.fold, c.fold);
        QCOMPARE(back.precision, c.precision);
        QCOMPARE(vidrnn::trainConfigFromJson("{}").precision, std::string("auto"));
        QCOMPARE(vidrnn::toJson(back), vidrnn::toJson(c));
    }

    // The motion input is stored and read back; the default writes no key,
    // so configurations stored before it keep their text.
    void inputInJson() {
        TrainConfig c;
        QVERIFY(!QString::fromStdString(vidrnn::toJson(c)).contains("\"input\""));
        QCOMPARE(vidrnn::trainConfigFromJson(vidrnn::toJson(c)).input, std::string("appearance"));
        c.input = "motion";
        QVERIFY(QString::fromStdString(vidrnn::toJson(c)).contains("\"input\":\"motion\""));
        QCOMPARE(vidrnn::trainConfigFromJson(vidrnn::toJson(c)).input, std::string("motion"));
    }

    void badJson() {
        QVERIFY_THROWS_EXCEPTION(vidrnn::ConfigError, vidrnn::trainConfigFromJson("{nope"));
        QVERIFY_THROWS_EXCEPTION(vidrnn::ConfigError, vidrnn::trainConfigFromJson("[1,2]"));
        QVERIFY_THROWS_EXCEPTION(vidrnn::ConfigError,
                                 vidrnn::trainConfigFromJson(R"({"hidden":"big"})"));
    }

    // What a run computes in, for each setting, architecture and device; a
    // CPU without native bf16 simulated with VIDRNN_NATIVE_BF16=0.
    void precisionResolution() {
        using vidrnn::resolvePrecision;
        QCOMPARE(resolvePrecision("fp32", "convlstm", 128, "cpu"), std::string("fp32"));
        QCOMPARE(resolvePrecision("fp32", "lstm", 512, "cpu"), std::string("fp32"));
        QCOMPARE(resolvePrecision("bf16", "lstm", 64, "cuda:0"), std::string("bf16"));
        QCOMPARE(resolvePrecision("auto", "convlstm", 128, "cuda:0"), std::string("fp32"));
        QVERIFY_THROWS_EXCEPTION(vidrnn::ConfigError, resolvePrecision("half", "lstm", 64, "cpu"));
        // auto: one precision per architecture at every hidden size
        // (precision.cpp), so a sweep's series never split in two.
        const bool native = vidrnn::nativeBf16().available();
        const std::string bf16OrFp32 = native ? "bf16" : "fp32";
        for (const char* arch : {"convlstm", "lstm", "bilstm", "mean_pool", "gru", "deep_lstm"}) {
            for (int hidden : {16, 64, 127, 128, 512}) {
                QCOMPARE(resolvePrecision("auto", arch, hidden, "cpu"), bf16OrFp32);
            }
        }
        if (native) {
            QCOMPARE(resolvePrecision("bf16", "gru", 64, "cpu"), std::string("bf16"));
        }
        qputenv("VIDRNN_NATIVE_BF16", "0");
        QVERIFY(!vidrnn::nativeBf16().available());
        QVERIFY(QString::fromStdString(vidrnn::nativeBf16().describe()).startsWith("none"));
        QCOMPARE(resolvePrecision("auto", "convlstm", 128, "cpu"), std::string("fp32"));
        QCOMPARE(resolvePrecision("auto", "lstm", 512, "cpu"), std::string("fp32"));
        try {
            resolvePrecision("bf16", "convlstm", 128, "cpu");
            qunsetenv("VIDRNN_NATIVE_BF16");
            QFAIL("no ConfigError");
        } catch (const vidrnn::ConfigError& e) {
            QVERIFY2(QString(e.what()).contains("precision bf16 needs a CPU with native bf16"),
                     e.what());
        }
        qunsetenv("VIDRNN_NATIVE_BF16");
    }

    void layersDefault() {
        TrainConfig c;
        c.arch = "deep_lstm";
        QCOMPARE(vidrnn::effectiveLayers(c), 2);
        c.arch = "gru";
        QCOMPARE(vidrnn::effectiveLayers(c), 1);
        c.layers = 3;
        QCOMPARE(vidrnn::effectiveLayers(c), 3);
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
