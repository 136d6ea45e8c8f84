// The statistics behind paired comparisons and early classification, on
// cases small enough to check: reference values were computed independently
// with scipy 1.10.1 (Debian's python3-scipy) by the calls quoted beside them,
// and written here so that the test needs no scipy.
#include <QtTest>
#include <cmath>

#include "vidrnn/compare.h"
#include "vidrnn/earlycurve.h"
#include "vidrnn/errors.h"
#include "vidrnn/stats.h"

using namespace vidrnn;

namespace {

bool near(double a, double b, double tol = 1e-9) {
    return std::abs(a - b) <= tol;
}

// A measured row whose (fold, seed) members have these accuracies (macro F1
// = accuracy - 0.1).
ReportRow rowOf(const std::string& id, const std::vector<std::pair<int, double>>& foldAccuracy) {
    ReportRow row;
    row.id = id;
    row.type = "GRU";
    row.hidden = 64;
    std::int64_t runId = id == "r1" ? 100 : 200;
    for (const auto& [fold, accuracy] : foldAccuracy) {
        ReportMember m;
        m.runId = runId++;
        m.fold = fold;
        m.seed = 0;
        m.accuracy = accuracy;
        m.macroF1 = accuracy - 0.1;
        row.members.push_back(m);
        row.runIds.push_back(m.runId);
    }
    return row;
}

}  // namespace

class TestStats : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tQuantile() {
        // scipy.stats.t.ppf(0.975, df) for df = 1, 4, 29
        QVERIFY(near(studentTQuantile(0.975, 1), 12.706204736432095, 1e-8));
        QVERIFY(near(studentTQuantile(0.975, 4), 2.7764451051977987, 1e-9));
        QVERIFY(near(studentTQuantile(0.975, 29), 2.045229642132703, 1e-9));
        QVERIFY(near(studentTQuantile(0.025, 4), -2.7764451051977987, 1e-9));
        QVERIFY_THROWS_EXCEPTION(LogicError, studentTQuantile(0.975, 0));
    }

    // d: the paired differences; the rest from scipy:
    //   scipy.stats.wilcoxon(d, method='exact')            -> statistic, p
    //   scipy.stats.permutation_test((d,), np.mean, permutation_type='samples',
    //       alternative='two-sided', n_resamples=np.inf)   -> p
    //   scipy.stats.t.interval(0.95, len(d) - 1, loc=d.mean(),
    //       scale=scipy.stats.sem(d))                      -> low, high
    void pairedAgainstScipy_data() {
        QTest::addColumn<QVector<double>>("d");
        QTest::addColumn<double>("mean");
        QTest::addColumn<double>("w");
        QTest::addColumn<double>("pWilcoxon");
        QTest::addColumn<double>("pFlip");
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        QTest::newRow("n=6") << QVector<double>{0.02, 0.05, -0.01, 0.04, 0.03, 0.06}
                             << 0.03166666666666667 << 1.0 << 0.0625 << 0.0625
                             << 0.0056062685386244725 << 0.05772706479470886;
        QTest::newRow("n=8") << QVector<double>{0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8} << 0.25
                             << 8.0 << 0.1953125 << 0.1953125 << -0.1421285705388164
                             << 0.6421285705388164;
        QTest::newRow("n=7") << QVector<double>{0.011, -0.023, 0.034, 0.042, -0.005, 0.061, 0.027}
                             << 0.020999999999999998 << 4.0 << 0.109375 << 0.109375
                             << -0.005585629003621223 << 0.04758562900362122;
        // The two tests disagree here: the check is not a coincidence.
        QTest::newRow("n=9, tests differ")
            << QVector<double>{0.3, -0.05, 0.1, 0.12, 0.2, -0.15, 0.25, 0.02, -0.01}
            << 0.08666666666666667 << 10.0 << 0.1640625 << 0.125 << -0.02695588747974262
            << 0.20028922081307596;
    }

    void pairedAgainstScipy() {
        QFETCH(QVector<double>, d);
        QFETCH(double, mean);
        QFETCH(double, w);
        QFETCH(double, pWilcoxon);
        QFETCH(double, pFlip);
        QFETCH(double, low);
        QFETCH(double, high);
        const std::vector<double> values(d.begin(), d.end());
        const MeanInterval ci = meanInterval(values);
        QVERIFY(near(ci.mean, mean, 1e-12));
        QVERIFY(near(*ci.low, low) && near(*ci.high, high));
        const TestResult wil = wilcoxonSignedRank(values);
        QCOMPARE(wil.statistic, w);
        QVERIFY2(near(wil.p, pWilcoxon, 1e-12), qPrintable(QString::number(wil.p, 'g', 17)));
        const TestResult flip = signFlipTest(values);
        QVERIFY2(near(flip.p, pFlip, 1e-12), qPrintable(QString::number(flip.p, 'g', 17)));
    }

    // By hand: zeros are dropped; all-positive n=5 gives 2 · 1/32.
    void wilcoxonByHand() {
        const TestResult r = wilcoxonSignedRank({0.0, 0.1, 0.2, 0.3, 0.4, 0.5});
        QCOMPARE(r.n, 5);
        QCOMPARE(r.statistic, 0.0);
        QVERIFY(near(r.p, 2.0 / 32.0, 1e-15));
        // Ties at mid-ranks: |d| = 1, 1, 2 -> ranks 1.5, 1.5, 3; R+ = 4.5 of 6.
        // Subset sums of {1.5, 1.5, 3}: 0, 1.5, 1.5, 3, 3, 4.5, 4.5, 6, so
        // P(R+ >= 4.5) = 3/8 and p = 2 · 3/8.
        const TestResult t = wilcoxonSignedRank({1.0, -1.0, 2.0});
        QCOMPARE(t.statistic, 1.5);
        QVERIFY(near(t.p, 2.0 * 3.0 / 8.0, 1e-15));
    }

    void holmByHand() {
        // Sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04·1).
        const auto adjusted = holmAdjust({0.01, 0.04, 0.03, 0.005});
        const std::vector<double> expected{0.03, 0.06, 0.06, 0.02};
        for (std::size_t i = 0; i < expected.size(); ++i)
            QVERIFY(near(adjusted[i], expected[i], 1e-15));
        QVERIFY(holmAdjust({}).empty());
        QVERIFY(near(holmAdjust({0.6, 0.5})[0], 1.0, 0.0));
    }

    // Pairs are matched on (fold, seed); an unmatched fold drops out.
    void comparePairs() {
        const ReportRow a = rowOf(
            "r1", {{1, 0.92}, {2, 0.95}, {3, 0.89}, {4, 0.94}, {5, 0.93}, {6, 0.96}, {9, 0.5}});
        const ReportRow b = rowOf(
            "r2", {{1, 0.90}, {2, 0.90}, {3, 0.90}, {4, 0.90}, {5, 0.90}, {6, 0.90}, {7, 0.1}});
        const PairedComparison c = comparePaired(a, b);
        QCOMPARE(c.pairs.size(), size_t(6));
        QCOMPARE(c.runs.front(), (std::pair<std::int64_t, std::int64_t>{100, 200}));
        QVERIFY(c.noTest.empty());
        // d = 0.02, 0.05, -0.01, 0.04, 0.03, 0.06: the "n=6" case above.
        QVERIFY(near(c.accuracy.mean.mean, 0.03166666666666667, 1e-12));
        QVERIFY(near(c.accuracy.wilcoxon->p, 0.0625, 1e-12));
        QVERIFY(near(c.macroF1.signFlip->p, 0.0625, 1e-12));
        const QString text = QString::fromStdString(formatComparisons({c}, ReportFormat::Table));
        QVERIFY2(text.contains("+0.032 [+0.006, +0.058]"), qPrintable(text));
        QVERIFY(text.contains("100/200"));
    }

    // Order reliance is a paired metric of its own in every format: its
    // difference with the interval and both p-values (not Holm-adjusted),
    // and how many pairs have it.
    void orderRelianceInEveryFormat() {
        ReportRow a = rowOf("r1", {{1, 0.9}, {2, 0.9}, {3, 0.9}, {4, 0.9}, {5, 0.9}, {6, 0.9}});
        ReportRow b = rowOf("r2", {{1, 0.8}, {2, 0.8}, {3, 0.8}, {4, 0.8}, {5, 0.8}, {6, 0.8}});
        // d = 0.02, 0.05, -0.01, 0.04, 0.03 (the sixth pair has none in b):
        // mean +0.026, p Wilcoxon 2 * 2/32 = 0.125.
        const double relianceA[] = {0.32, 0.35, 0.29, 0.34, 0.33, 0.5};
        for (std::size_t i = 0; i < a.members.size(); ++i) {
            a.members[i].orderReliance = relianceA[i];
            if (i < 5)
                b.members[i].orderReliance = 0.3;
        }
        std::vector<PairedComparison> all{comparePaired(a, b)};
        applyHolm(all);
        const PairedComparison& c = all.front();
        QCOMPARE(c.orderReliance.mean.n, 5);
        QVERIFY(near(c.orderReliance.mean.mean, 0.026, 1e-12));
        QVERIFY(near(c.orderReliance.wilcoxon->p, 0.125, 1e-12));
        QVERIFY(!c.orderReliance.holm);

        const QString text = QString::fromStdString(formatComparisons(all, ReportFormat::Table));
        QVERIFY2(text.contains("r1 vs r2: Δ order reliance +0.026 ["), qPrintable(text));
        QVERIFY2(text.contains("p Wilcoxon 0.125"), qPrintable(text));
        QVERIFY2(text.contains("5 of 6 pairs have it"), qPrintable(text));

        const QStringList csv =
            QString::fromStdString(formatComparisons(all, ReportFormat::Csv)).split('\n');
        const QStringList header = csv[0].split(',');
        const QStringList row = csv[1].split(',');
        QCOMPARE(row.size(), header.size());
        const auto column = [&](const char* name) {
            const int i = int(header.indexOf(QString::fromLatin1(name)));
            return i < 0 ? QString("(no column %1)").arg(name) : row[i];
        };
        QVERIFY(near(column("order_reliance_diff_mean").toDouble(), 0.026, 1e-12));
        QVERIFY(near(column("order_reliance_ci_low").toDouble(), *c.orderReliance.mean.low, 1e-12));
        QVERIFY(
            near(column("order_reliance_ci_high").toDouble(), *c.orderReliance.mean.high, 1e-12));
        QVERIFY(near(column("order_reliance_p_wilcoxon").toDouble(), 0.125, 1e-12));
        QVERIFY(
            near(column("order_reliance_p_flip").toDouble(), c.orderReliance.signFlip->p, 1e-12));
        QCOMPARE(column("order_reliance_pairs"), QString("5"));
        QVERIFY(!header.contains("order_reliance_p_holm"));
        QVERIFY(near(column("accuracy_diff_mean").toDouble(), 0.1, 1e-12));  // unchanged

        const QString latex = QString::fromStdString(formatComparisons(all, ReportFormat::Latex));
        QVERIFY(latex.contains("$\\Delta$ order reliance [95\\% CI]"));
        const QString latexRow = latex.split('\n').filter("GRU 64 (r1) & GRU 64 (r2)").value(0);
        // 3 + 4 + 4 + 3 cells: the reliance cell and its two p-values last.
        QCOMPARE(latexRow.count(" & "), 13);
        QVERIFY2(latexRow.contains("+0.026 ["), qPrintable(latexRow));
        const QString flip = QString::number(c.orderReliance.signFlip->p, 'f', 3);
        QVERIFY2(latexRow.endsWith("0.125 & " + flip + " \\\\"), qPrintable(latexRow));
    }

    void fewerThanFivePairsGiveNoTest() {
        const ReportRow a = rowOf("r1", {{1, 0.9}, {2, 0.8}, {3, 0.7}, {4, 0.6}});
        const ReportRow b = rowOf("r2", {{1, 0.5}, {2, 0.5}, {3, 0.5}, {4, 0.5}});
        const PairedComparison c = comparePaired(a, b);
        QCOMPARE(c.pairs.size(), size_t(4));
        QVERIFY(!c.accuracy.wilcoxon && !c.accuracy.signFlip && !c.macroF1.wilcoxon);
        QCOMPARE(c.noTest, std::string("4 matched (fold, seed) pairs; no test possible below 5"));
        QVERIFY(c.accuracy.mean.low);  // the interval is still there
        for (ReportFormat f : {ReportFormat::Table, ReportFormat::Markdown, ReportFormat::Csv,
                               ReportFormat::Latex, ReportFormat::Json}) {
            const QString text = QString::fromStdString(formatComparisons({c}, f));
            QVERIFY2(text.contains("no test possible"), toString(f));
        }
        // Holm leaves untested comparisons alone.
        std::vector<PairedComparison> all{c};
        applyHolm(all);
        QVERIFY(!all[0].accuracy.holm);
    }

    void findRowBySpec() {
        Report report;
        report.rows = {rowOf("r1", {{1, 0.9}}), rowOf("r2", {{1, 0.8}})};
        report.rows[1].repeatIds = {7};
        QCOMPARE(findReportRow(report, "r2").id, std::string("r2"));
        QCOMPARE(findReportRow(report, "100").id, std::string("r1"));
        QVERIFY_THROWS_EXCEPTION(ConfigError, findReportRow(report, "r9"));
        QVERIFY_THROWS_EXCEPTION(ConfigError, findReportRow(report, "7"));
    }

    // Hand-made per-step logits of three clips (T = 4; clip 3 has 2 steps):
    //   clip 1, truth 0: wrong, wrong, right, right
    //   clip 2, truth 1: right all along
    //   clip 3, truth 2 (2 steps): wrong, right -> steps 1,1,2,2 at k = 1..4
    void earlyCurveByHand() {
        std::vector<StepLogits> clips(3);
        clips[0] = {0,
                    {{0.1f, 0.9f, 0.0f}, {0.2f, 0.3f, 0.5f}, {2.0f, 1.0f, 0.0f}, {3.0f, 0.f, 0.f}}};
        clips[1] = {1, {{0.f, 1.f, 0.f}, {0.f, 1.f, 0.f}, {0.f, 1.f, 0.f}, {0.f, 1.f, 0.f}}};
        clips[2] = {2, {{1.f, 0.f, 0.f}, {0.f, 0.f, 1.f}}};
        const auto curve = earlyClassificationCurve(clips, 4);
        QCOMPARE(curve.size(), size_t(4));
        const double expected[] = {1.0 / 3, 1.0 / 3, 1.0, 1.0};  // k=2: clip 3 at step 1
        for (int k = 0; k < 4; ++k) {
            QVERIFY(near(curve[size_t(k)].fraction, (k + 1) / 4.0, 1e-15));
            QVERIFY2(near(curve[size_t(k)].accuracy, expected[k], 1e-15),
                     qPrintable(QString::number(curve[size_t(k)].accuracy)));
        }
        // Mean pooling of these clips would be another model; order-blind
        // logits (the same at every step) give a flat curve.
        std::vector<StepLogits> flat{{0, {{1.f, 0.f}, {1.f, 0.f}}}, {1, {{1.f, 0.f}, {1.f, 0.f}}}};
        for (const EarlyPoint& p : earlyClassificationCurve(flat, 2))
            QVERIFY(near(p.accuracy, 0.5, 1e-15));
        QVERIFY(earlyClassificationCurve({}, 4).empty());
    }
};

QTEST_GUILESS_MAIN(TestStats)
#include "tst_stats.moc"
