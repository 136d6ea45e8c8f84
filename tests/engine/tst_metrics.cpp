#include <QtTest>

#include "vidrnn/errors.h"
#include "vidrnn/metrics.h"
#include "vidrnn/orderdiag.h"
#include "vidrnn/provenance.h"

#include <algorithm>
#include <numeric>

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

    // Reliance is accuracy minus shuffled accuracy, per class on recall: class
    // 1 is right only in order here, class 0 either way.
    void orderDiagnosticsPerClass() {
        const auto inOrder = evaluate({0, 0, 1, 1}, {0, 0, 1, 1}, 3);
        const auto reversed = evaluate({0, 0, 1, 1}, {0, 0, 0, 1}, 3);
        const auto shuffled = evaluate({0, 0, 1, 1}, {0, 0, 0, 0}, 3);
        const auto d = vidrnn::orderDiagnostics(inOrder, reversed, shuffled);
        QCOMPARE(d.reliance(), 0.5);
        QCOMPARE(d.reversedAccuracy, 0.75);
        QCOMPARE(d.perClass.size(), std::size_t(3));
        QCOMPARE(*d.perClass[0].reliance(), 0.0);
        QCOMPARE(*d.perClass[1].reliance(), 1.0);
        QCOMPARE(*d.perClass[1].reversedRecall, 0.5);
        QVERIFY(!d.perClass[2].reliance());  // no test clips of class 2
        QVERIFY_THROWS_EXCEPTION(
            vidrnn::LogicError, vidrnn::orderDiagnostics(inOrder, reversed, evaluate({0}, {0}, 3)));
    }

    // A permutation of the clip's frames, the same for the same seed and
    // clip, another for another seed or clip.
    void shuffledFrameOrderIsAFixedPermutation() {
        const auto a = vidrnn::shuffledFrameOrder(12, 3, "walk/v_walk_01_01.avi");
        auto sorted = a;
        std::sort(sorted.begin(), sorted.end());
        std::vector<int> expected(12);
        std::iota(expected.begin(), expected.end(), 0);
        QCOMPARE(sorted, expected);
        QCOMPARE(vidrnn::shuffledFrameOrder(12, 3, "walk/v_walk_01_01.avi"), a);
        QVERIFY(vidrnn::shuffledFrameOrder(12, 4, "walk/v_walk_01_01.avi") != a);
        QVERIFY(vidrnn::shuffledFrameOrder(12, 3, "walk/v_walk_01_02.avi") != a);
        QVERIFY(a != expected);
        QCOMPARE(vidrnn::shuffledFrameOrder(0, 3, "x").size(), std::size_t(0));
    }

    // Stored as JSON of the known fields; an old run (NULL) or text that is
    // not such an object reads as unknown fields, shown "unknown".
    void provenanceRoundTripAndUnknown() {
        vidrnn::Provenance p;
        p.version = "0.9.0";
        p.commit = "0123456789abcdef";
        p.threads = "2";
        p.precision = "fp32";
        const auto back = vidrnn::provenanceFromJson(vidrnn::provenanceToJson(p));
        QVERIFY(vidrnn::provenanceDifferences(p, back).empty());
        QCOMPARE(vidrnn::provenanceToJson(vidrnn::Provenance{}), std::string());
        for (const char* stored : {"", "not json", "[1, 2]", "{\"threads\": 4}"}) {
            const auto fields = vidrnn::provenanceFields(vidrnn::provenanceFromJson(stored));
            QCOMPARE(fields.front(),
                     std::make_pair(std::string("version"), std::string("unknown")));
            QVERIFY(std::all_of(fields.begin(), fields.end(),
                                [](const auto& f) { return f.second == "unknown"; }));
        }
        auto q = back;
        q.threads = "4";
        QCOMPARE(vidrnn::provenanceDifferences(p, q), std::vector<std::string>{"threads"});
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
