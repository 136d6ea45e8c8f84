// Results of stored runs: a click on a confusion-matrix cell lists exactly
// the clips with that truth and prediction; the scrubber fills one
// prediction per sampled frame for each of two runs and steps through them.
#include <QtTest>

#include <QComboBox>
#include <QLabel>
#include <QTableWidget>

#include <cmath>
#include <set>

#include "charts/plotsupport.h"
#include "charts/qcp.h"
#include "models/storesession.h"
#include "testutil.h"
#include "uitest.h"
#include "vidrnn/video.h"
#include "views/compareview.h"
#include "views/confusionview.h"
#include "views/scrubberview.h"
#include "widgets/clipplayer.h"
#include "widgets/timelinestrip.h"
#include "work/framesource.h"

using namespace vidrnn;
using namespace vidrnn::ui;

class TestResults : public QObject {
    Q_OBJECT
private:
    QTemporaryDir mDir;
    QString mDemo;
    QString mStore;
    qint64 mRunA = 0;
    qint64 mRunB = 0;
    qint64 mRunA2 = 0;  // run A's configuration with another seed

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        test::isolate(mDir);
        mDemo = test::tinyDemo(mDir);
        mStore = QDir(mDir.path()).filePath("results.db");
        auto config = test::tinyConfig(mDemo);
        mRunA = test::trainDirect(mStore, config);
        config.arch = "lstm";
        config.epochs = 3;
        mRunB = test::trainDirect(mStore, config);
        auto again = test::tinyConfig(mDemo);
        again.seed = 1;
        mRunA2 = test::trainDirect(mStore, again);
        QVERIFY(mRunA > 0 && mRunB > 0 && mRunA2 > 0);
    }

    void confusionClickListsTheRightClips() {
        StoreSession session;
        session.open(mStore);
        ConfusionView view(&session);
        view.resize(1200, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setRunId(mRunA);
        view.heatmap()->replot();
        auto store = RunStore::open(mStore.toStdString(), RunStore::OpenMode::ReadOnly);
        const auto predictions = store.predictions(mRunA);
        const auto confusion = store.confusion(mRunA);
        const int n = static_cast<int>(confusion.size());
        QCOMPARE(n, 11);
        QCOMPARE(view.classTable()->rowCount(), 11);
        // Which classes need order: shuffled recall and reliance per class,
        // recall minus shuffled recall, from the run's order diagnostics.
        QCOMPARE(view.classTable()->columnCount(), 8);
        const auto order = store.orderDiagnostics(mRunA);
        QVERIFY(order);
        const auto classes = store.classMetrics(mRunA);
        for (int i = 0; i < 11; ++i) {
            const auto& c = order->perClass[std::size_t(classes[std::size_t(i)].index)];
            const QString shown = view.classTable()->item(i, 7)->text();
            QCOMPARE(shown, c.reliance() ? QString::number(*c.reliance(), 'f', 3) : QString("—"));
        }

        int listed = 0;
        for (int t = 0; t < n; ++t) {
            for (int p = 0; p < n; ++p) {
                const auto count = confusion[std::size_t(t)][std::size_t(p)];
                if (count == 0 && !(t == 0 && p == n - 1)) {
                    continue;  // every filled cell, and one empty one
                }
                QTest::mouseClick(view.heatmap(), Qt::LeftButton, {}, view.cellCenter(t, p));
                QCOMPARE(view.selectedCell(), qMakePair(t, p));
                std::multiset<QString> expected, shown;
                for (const auto& pr : predictions) {
                    if (pr.truth == t && pr.predicted == p) {
                        expected.insert(QString::fromStdString(pr.clip));
                    }
                }
                auto* clips = view.clipsTable();
                for (int row = 0; row < clips->rowCount(); ++row) {
                    shown.insert(clips->item(row, 0)->data(Qt::UserRole).toString());
                }
                QCOMPARE(static_cast<qint64>(shown.size()), count);
                QVERIFY(shown == expected);
                listed += clips->rowCount();
            }
        }
        QCOMPARE(listed, static_cast<int>(predictions.size()));

        // Double-clicking a listed clip asks for the scrubber with this run.
        QSignalSpy open(&view, &ConfusionView::openClip);
        const auto& first = predictions.front();
        view.selectCell(first.truth, first.predicted);
        view.clipsTable()->setCurrentCell(0, 0);
        Q_EMIT view.clipsTable()->cellDoubleClicked(0, 0);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.last().at(1).toLongLong(), mRunA);
        QVERIFY(QFileInfo::exists(open.last().at(0).toString()));

        // Row-normalised mode: each non-empty row of the map sums to 1.
        view.setNormalised(true);
        for (int t = 0; t < n; ++t) {
            double sum = 0;
            for (int p = 0; p < n; ++p) {
                sum += view.cellValue(t, p);
            }
            QVERIFY(qFuzzyCompare(sum, 1.0) || sum == 0.0);
        }
    }

    // Issue 15: Results draws the run's early-classification curve; seen
    // whole, the clip is classified as the run's accuracy says (a one-layer
    // GRU's last step is its clip answer).
    void resultsDrawEarlyClassification() {
        StoreSession session;
        session.open(mStore);
        ConfusionView view(&session);
        view.resize(1200, 700);
        view.setRunId(mRunA);
        auto store = RunStore::open(mStore.toStdString(), RunStore::OpenMode::ReadOnly);
        const auto curve = store.earlyCurve(mRunA);
        QCOMPARE(curve.size(), size_t(4));  // T = 4
        QCOMPARE(curve.back().fraction, 1.0);
        QVERIFY(std::abs(curve.back().accuracy - *store.getRun(mRunA)->accuracy) < 1e-12);
        QVERIFY(view.earlyPlot()->graphCount() >= 1);
        auto* g = view.earlyPlot()->graph(0);
        QCOMPARE(g->data()->size(), 4);
        QCOMPARE(g->data()->at(3)->value, curve.back().accuracy);
        QVERIFY(plotTitle(view.earlyPlot()).contains(QString::number(mRunA)));
    }

    // Compare: one row per configuration (GRU's two seeds pooled, the LSTM
    // with more epochs apart and saying so), 95% t intervals as error bars,
    // each row's early curve, and a paired test that refuses below 5 pairs.
    void compareRowsErrorBarsAndPairs() {
        StoreSession session;
        session.open(mStore);
        CompareView compare(&session);
        compare.resize(1200, 900);
        compare.setRunIds({mRunA, mRunB, mRunA2});
        compare.ensureCurrent();
        const Report& report = compare.report();
        QCOMPARE(report.rows.size(), size_t(2));
        const ReportRow* gru = nullptr;
        const ReportRow* lstm = nullptr;
        for (const auto& row : report.rows)
            (row.arch == "gru" ? gru : lstm) = &row;
        QVERIFY(gru && lstm);
        QCOMPARE(gru->runIds, (std::vector<std::int64_t>{mRunA, mRunA2}));
        QVERIFY(QString::fromStdString(lstm->differs).contains("epochs 3"));
        QCOMPARE(compare.rowsTable()->rowCount(), 2);
        bool listed = false;
        for (int r = 0; r < 2; ++r) {
            listed = listed || compare.rowsTable()->item(r, 6)->text() ==
                                   QStringLiteral("%1, %2").arg(mRunA).arg(mRunA2);
        }
        QVERIFY(listed);

        // The accuracy chart's error bar on the GRU point: t(0.975, 1) · sd / √2.
        const double a = *gru->accuracy.ciHigh - gru->accuracy.mean;
        bool found = false;
        auto* plot = compare.hiddenPlots().front();
        for (int i = 0; i < plot->plottableCount(); ++i) {
            if (auto* bars = qobject_cast<QCPErrorBars*>(plot->plottable(i))) {
                found = found || std::abs(bars->data()->at(0).errorPlus - a) < 1e-12;
            }
        }
        QVERIFY2(found || gru->accuracy.stddev.value_or(0) == 0.0, "no 95% CI error bar");
        // One measured series per type: the legend names just the type (the
        // rows table says "epochs 3"), so it stays short in an export.
        QStringList legend;
        for (int i = 0; i < plot->graphCount(); ++i) {
            if (plot->legend->hasItemWithPlottable(plot->graph(i)) &&
                !plot->graph(i)->name().endsWith(QStringLiteral(" (study)"))) {
                legend << plot->graph(i)->name();
            }
        }
        QVERIFY2(legend.contains(QString::fromStdString(lstm->type)) &&
                     legend.contains(QString::fromStdString(gru->type)),
                 qPrintable(legend.join(" | ")));
        QVERIFY2(!legend.join(" | ").contains("epochs"), qPrintable(legend.join(" | ")));
        QCOMPARE(compare.earlyPlot()->graphCount(), 2);
        QVERIFY(compare.charts().size() == 7);
        // Order reliance against hidden size: the GRU point is its two runs' mean.
        auto* reliance = compare.hiddenPlots().back();
        QCOMPARE(reliance->objectName(), QString("order-reliance-vs-hidden"));
        QVERIFY(gru->orderReliance.n == 2);
        bool point = false;
        for (int i = 0; i < reliance->graphCount(); ++i) {
            const auto* data = reliance->graph(i)->data().data();
            point = point || (data->size() == 1 && data->at(0)->value == gru->orderReliance.mean);
        }
        QVERIFY(point);

        const QString text =
            compare.comparePair(QString::fromStdString(gru->id), QString::fromStdString(lstm->id));
        QVERIFY2(text.contains("1 matched (fold, seed) pair; no test possible below 5"),
                 qPrintable(text));
    }

    void scrubberFillsOnePredictionPerSampledFrame() {
        StoreSession session;
        session.open(mStore);
        ScrubberView view(&session);
        view.resize(1200, 700);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const auto clip = scanDataset(mDemo.toStdString()).clips.at(5).path;
        const auto total = probeVideo(clip).frames;
        view.setVideo(QString::fromStdString(clip));
        QVERIFY(QTest::qWaitForWindowActive(&view));
        view.setRuns(mRunA, mRunB);
        QCOMPARE(view.runA(), mRunA);
        QCOMPARE(view.runB(), mRunB);
        QSignalSpy predicted(&view, &ScrubberView::predicted);
        view.predict();
        QVERIFY(view.isPredicting());
        QTRY_COMPARE_WITH_TIMEOUT(predicted.count(), 1, 120000);

        const auto indices = uniformFrameIndices(total, 4);  // the runs' T
        for (auto* strip : {view.stripA(), view.stripB()}) {
            QVERIFY(strip->hasPrediction());
            QCOMPARE(strip->sampleCount(), static_cast<int>(indices.size()));
            const auto& pred = strip->prediction();
            QCOMPARE(pred.totalFrames, total);
            for (std::size_t k = 0; k < indices.size(); ++k) {
                QCOMPARE(static_cast<std::int64_t>(pred.frames[k].frameIndex), indices[k]);
                QCOMPARE(pred.frames[k].probabilities.size(), std::size_t(11));
            }
        }
        // The same answer as the engine gives directly.
        const auto direct =
            predictVideo(RunStore::open(mStore.toStdString(), RunStore::OpenMode::ReadOnly)
                             .getRun(mRunA)
                             ->checkpoint,
                         clip);
        QCOMPARE(view.stripA()->prediction().predicted, direct.predicted);

        // Stepping: "." jumps to the next sampled frame, the top-3 follow.
        QTRY_VERIFY_WITH_TIMEOUT(view.player()->source()->isComplete(), 30000);
        view.player()->setCurrentFrame(0);
        view.player()->setFocus();
        QTest::keyClick(view.player(), Qt::Key_Period);
        QCOMPARE(view.player()->currentFrame(), static_cast<int>(indices[0]));
        QTest::keyClick(view.player(), Qt::Key_Period);
        QCOMPARE(view.player()->currentFrame(), static_cast<int>(indices[1]));
        QCOMPARE(view.stripA()->sampleAt(view.player()->currentFrame()), 1);
        auto* top = view.findChild<QLabel*>("topA");
        QVERIFY(top->text().contains("sampled frame 2 of 4"));
        QCOMPARE(top->text().count("<span"), 3);
        QTest::keyClick(view.player(), Qt::Key_Right);
        QCOMPARE(view.player()->currentFrame(), static_cast<int>(indices[1]) + 1);
    }

    // Any video file works, real footage included (from shared/ when there).
    void scrubberPredictsRealFootage() {
        const auto shared = test::sharedDir();
        const auto clip = shared / "data" / "real-clips" / "biking" / "v_Biking_g01_c01.avi";
        if (shared.empty() || !std::filesystem::exists(clip)) {
            QSKIP("shared/data/real-clips is not here");
        }
        StoreSession session;
        session.open(mStore);
        ScrubberView view(&session);
        view.setVideo(QString::fromStdString(clip.string()));
        view.setRuns(mRunA);
        QSignalSpy predicted(&view, &ScrubberView::predicted);
        view.predict();
        QTRY_COMPARE_WITH_TIMEOUT(predicted.count(), 1, 120000);
        QCOMPARE(view.stripA()->sampleCount(), 4);
        QVERIFY(!view.stripB()->hasPrediction());
    }

    // Runs on the bundled pretrained backbone predict real footage in the
    // scrubber too: a GRU on its 1280-d vectors beside a ConvLSTM on its
    // 1280-channel maps (issue 13, item 5), each decoded the way it was trained.
    void scrubberPredictsRealFootageWithPretrainedRuns() {
        const auto shared = test::sharedDir();
        const auto clip = shared / "data" / "real-clips" / "biking" / "v_Biking_g01_c01.avi";
        if (shared.empty() || !std::filesystem::exists(clip)) {
            QSKIP("shared/data/real-clips is not here");
        }
        auto config = test::tinyConfig(mDemo);
        config.backbone = kPretrainedBackbone;
        config.imageSize = 64;  // 2x2 maps for the ConvLSTM
        const qint64 vectors = test::trainDirect(mStore, config);
        config.arch = "convlstm";
        config.hidden = 8;
        const qint64 maps = test::trainDirect(mStore, config);
        QVERIFY(vectors > 0 && maps > 0);

        StoreSession session;
        session.open(mStore);
        for (const qint64 id : {vectors, maps}) {
            const auto run = session.run(id);
            QVERIFY(run.has_value());
            QCOMPARE(run->backbone, std::string(kPretrainedBackbone));
            QVERIFY(run->pretrained);
        }
        ScrubberView view(&session);
        view.setVideo(QString::fromStdString(clip.string()));
        view.setRuns(vectors, maps);
        QSignalSpy predicted(&view, &ScrubberView::predicted);
        QSignalSpy error(&view, &ScrubberView::errorOccurred);
        view.predict();
        QTRY_COMPARE_WITH_TIMEOUT(predicted.count(), 1, 120000);
        QCOMPARE(error.count(), 0);
        QCOMPARE(view.stripA()->sampleCount(), config.frames);
        QVERIFY(view.stripA()->hasPrediction());
        QCOMPARE(view.stripB()->sampleCount(), config.frames);
        QVERIFY(view.stripB()->hasPrediction());
    }

    void scrubberNamesAMissingVideo() {
        StoreSession session;
        session.open(mStore);
        ScrubberView view(&session);
        QSignalSpy error(&view, &ScrubberView::errorOccurred);
        const QString missing = QDir(mDir.path()).filePath("missing.avi");
        view.setVideo(missing);
        view.setRuns(mRunA);
        view.predict();
        QCOMPARE(error.count(), 1);
        QVERIFY(error.at(0).at(1).toString().contains(missing + ": no such file"));
        QVERIFY(!view.isPredicting());
    }
};

QTEST_MAIN(TestResults)
#include "tst_results.moc"
