#include <QtTest>

#include "vidrnn/config.h"
#include "vidrnn/errors.h"
#include "vidrnn/models.h"

using vidrnn::TrainConfig;

class TestConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsAreValid() { vidrnn::validate(TrainConfig{}); }

    void badSettings_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("hidden 0") << "hidden" << "0" << "hidden size must be positive";
        QTest::newRow("frames 0") << "frames" << "0" << "frames per clip";
        QTest::newRow("negative lr") << "lr" << "-0.001" << "learning rate must be positive";
        QTest::newRow("unknown arch") << "arch" << "transformer" << "unknown architecture 'transformer'";
        QTest::newRow("unknown split") << "split" << "kfold" << "split protocol 'kfold'";
        QTest::newRow("negative fold") << "fold" << "-1" << "fold must not be negative";
        QTest::newRow("zero epochs") << "epochs" << "0" << "epochs must be at least 1";
        QTest::newRow("dropout 1") << "dropout" << "1" << "dropout must lie in [0, 1)";
    }

    void badSettings() {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        TrainConfig c;
        const auto v = value.toStdString();
        if (field == "hidden") c.hidden = std::stoi(v);
        if (field == "frames") c.frames = std::stoi(v);
        if (field == "lr") c.lr = std::stod(v);
        if (field == "arch") c.arch = v;
        if (field == "split") c.split = v;
        if (field == "fold") c.fold = std::stoi(v);
        if (field == "epochs") c.epochs = std::stoi(v);
        if (field == "dropout") c.dropout = std::stod(v);
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
        const auto back = vidrnn::trainConfigFromJson(vidrnn::toJson(c));
        QCOMPARE(back.arch, c.arch);
        QCOMPARE(back.hidden, c.hidden);
        QCOMPARE(back.lr, c.lr);
        QCOMPARE(back.dataset, c.dataset);
        QCOMPARE(back.split, c.split);
        QCOMPARE(back.fold, c.fold);
        QCOMPARE(vidrnn::toJson(back), vidrnn::toJson(c));
    }

    void badJson() {
        QVERIFY_THROWS_EXCEPTION(vidrnn::ConfigError, vidrnn::trainConfigFromJson("{nope"));
        QVERIFY_THROWS_EXCEPTION(vidrnn::ConfigError, vidrnn::trainConfigFromJson("[1,2]"));
        QVERIFY_THROWS_EXCEPTION(vidrnn::ConfigError,
                                 vidrnn::trainConfigFromJson(R"({"hidden":"big"})"));
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
