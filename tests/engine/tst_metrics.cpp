#include <QtTest>

#include "vidrnn/errors.h"
#include "vidrnn/metrics.h"

using vidrnn::evaluate;

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void perfectPrediction() {
        auto ev = evaluate({0, 1, 2, 2}, {0, 1, 2, 2}, 3);
        QCOMPARE(ev.accuracy, 1.0);
        QCOMPARE(ev.macroF1, 1.0);
        QCOMPARE(ev.classesAveraged, 3);
        QCOMPARE(ev.confusion[2][2], std::int64_t(2));
    }

    void handComputedCase() {
        // truth:     0 0 0 1 1 2
        // predicted: 0 0 1 1 2 2
        auto ev = evaluate({0, 0, 0, 1, 1, 2}, {0, 0, 1, 1, 2, 2}, 3);
        QCOMPARE(ev.correct, std::int64_t(4));
        QCOMPARE(ev.accuracy, 4.0 / 6.0);
        // class 0: P = 2/2, R = 2/3, F1 = 0.8
        QCOMPARE(*ev.perClass[0].precision, 1.0);
        QCOMPARE(*ev.perClass[0].recall, 2.0 / 3.0);
        QVERIFY(qFuzzyCompare(*ev.perClass[0].f1, 0.8));
        // class 1: P = 1/2, R = 1/2, F1 = 0.5
        QVERIFY(qFuzzyCompare(*ev.perClass[1].f1, 0.5));
        // class 2: P = 1/2, R = 1/1, F1 = 2/3
        QVERIFY(qFuzzyCompare(*ev.perClass[2].f1, 2.0 / 3.0));
        QVERIFY(qFuzzyCompare(ev.macroF1, (0.8 + 0.5 + 2.0 / 3.0) / 3.0));
        QCOMPARE(ev.confusion[0][1], std::int64_t(1));
        QCOMPARE(ev.confusion[1][2], std::int64_t(1));
    }

    void absentClassIsReportedNotAveraged() {
        // Class 3 appears in neither truth nor prediction.
        auto ev = evaluate({0, 1, 2}, {0, 1, 1}, 4);
        QVERIFY(ev.perClass[3].absent());
        QVERIFY(!ev.perClass[3].precision.has_value());
        QVERIFY(!ev.perClass[3].recall.has_value());
        QVERIFY(!ev.perClass[3].f1.has_value());
        QCOMPARE(ev.classesAveraged, 3);
        // class 0: 1, class 1: P 1/2 R 1 -> 2/3, class 2: never predicted -> 0
        QVERIFY(qFuzzyCompare(ev.macroF1, (1.0 + 2.0 / 3.0 + 0.0) / 3.0));
        QVERIFY(!ev.perClass[2].precision.has_value());
        QCOMPARE(*ev.perClass[2].recall, 0.0);
        QCOMPARE(*ev.perClass[2].f1, 0.0);
    }

    void predictedButNeverTrue() {
        auto ev = evaluate({0, 0}, {0, 1}, 2);
        QCOMPARE(*ev.perClass[1].precision, 0.0);
        QVERIFY(!ev.perClass[1].recall.has_value());
        QCOMPARE(*ev.perClass[1].f1, 0.0);
        QVERIFY(!ev.perClass[1].absent());
    }

    void emptyInput() {
        auto ev = evaluate({}, {}, 3);
        QCOMPARE(ev.total, std::int64_t(0));
        QCOMPARE(ev.classesAveraged, 0);
        QCOMPARE(ev.accuracy, 0.0);
    }

    void badInputThrows() {
        QVERIFY_THROWS_EXCEPTION(vidrnn::LogicError, evaluate({0, 1}, {0}, 2));
        QVERIFY_THROWS_EXCEPTION(vidrnn::LogicError, evaluate({0, 5}, {0, 1}, 2));
        QVERIFY_THROWS_EXCEPTION(vidrnn::LogicError, evaluate({0}, {0}, 0));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
