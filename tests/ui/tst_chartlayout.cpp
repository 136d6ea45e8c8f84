// The layout of every chart as exported, measured from QCustomPlot's own
// geometry (chartgeometry.h: every text QCustomPlot draws with its rotated
// box, the axis rects, the legend): at 8.5 x 6.5 cm / 8 pt (one column of a
// two-column paper), 12 x 7.5 cm / 9 pt (the default) and 17 x 10 cm / 9 pt
// (both columns), no two texts overlap, none leaves the figure or is
// smaller than the size minus 1 pt, the legend lies off the plot, and the
// plot keeps at least 55% of the figure's width and height. The charts are
// those of the demo's export report, on a store shaped like the demo's
// (its sweep's 6 architectures x 4 hidden sizes, 3 seeds, its 11 classes,
// the study's rows); confusion matrices also with generated class names
// (2, 11, 51, 101 classes of 40 characters).
#include <QtTest>

#include <random>

#include "charts/chartgeometry.h"
#include "charts/chartlayout.h"
#include "charts/exporter.h"
#include "charts/plotsupport.h"
#include "charts/qcp.h"
#include "models/storesession.h"
#include "uitest.h"
#include "vidrnn/archs.h"
#include "vidrnn/dataset.h"
#include "vidrnn/experiment.h"
#include "vidrnn/metrics.h"
#include "vidrnn/models.h"
#include "vidrnn/precision.h"
#include "views/compareview.h"
#include "views/confusionview.h"
#include "widgets/livecurves.h"

using namespace vidrnn;
using namespace vidrnn::ui;

namespace {

struct Size {
    const char* name;
    ChartSize size;
};

std::vector<Size> exportSizes() {
    auto cm = [](double w, double h, double pt) {
        ChartSize s;
        s.width = w;
        s.height = h;
        s.fontPt = pt;
        return s;
    };
    return {{"8.5x6.5cm@8pt", cm(8.5, 6.5, 8)},
            {"12x7.5cm@9pt", cm(12, 7.5, 9)},
            {"17x10cm@9pt", cm(17, 10, 9)}};
}

// A completed run with `classes` classes, epochs and an early curve.
std::int64_t addRun(RunStore& store, const std::string& arch, int hidden, int seed,
                    const std::vector<std::string>& classes, std::mt19937& rng,
                    const std::string& precision = {}) {
    TrainConfig c = withPreset("demo", TrainConfig{});
    c.dataset = "demo-data";
    c.arch = arch;
    c.hidden = hidden;
    c.seed = seed;
    c.epochs = 12;
    RunMeta meta;
    meta.classNames = classes;
    meta.precision = !precision.empty()              ? precision
                     : autoPrefersBf16(arch, hidden) ? "bf16"
                                                     : "fp32";
    const auto id = store.createRun(c, meta);
    std::uniform_real_distribution<double> u(0, 1);
    for (int e = 1; e <= 12; ++e) {
        const double acc = std::min(1.0, 0.1 + e * 0.07 + 0.05 * u(rng));
        store.addEpoch(id,
                       EpochRecord{e, 2.4 / e, acc, 2.6 / e, acc - 0.05, acc - 0.08, 0.4, 1e-3});
    }
    const int n = static_cast<int>(classes.size());
    std::vector<int> truth, predicted;
    for (int k = 0; k < n * 3; ++k) {
        truth.push_back(k % n);
        predicted.push_back(u(rng) < 0.8 ? k % n : static_cast<int>(rng() % unsigned(n)));
    }
    RunResult r;
    r.trainSeconds = 2.0 * hidden / 64;
    r.evaluation = evaluate(truth, predicted, n);
    if (arch != "bilstm") {
        for (int k = 1; k <= 8; ++k) {
            r.earlyCurve.push_back({k / 8.0, std::min(1.0, 0.2 + 0.1 * k * u(rng))});
        }
    }
    store.completeRun(id, r);
    return id;
}

std::vector<std::string> ucf11Names() {
    std::vector<std::string> names;
    for (const auto& [folder, token] : ucf11Classes()) {
        names.push_back(folder);
    }
    return names;
}

QString problems(const QString& what, const QStringList& list) {
    return what + ":\n  " + list.join("\n  ");
}

}  // namespace

class TestChartLayout : public QObject {
    Q_OBJECT
private:
    QTemporaryDir mDir;
    QString mStore;
    std::vector<std::int64_t> mRuns;

    // Every chart of a report at every size holds; returns the failures.
    static QStringList check(QCustomPlot* plot, const QString& name) {
        QStringList failures;
        const QString dump = qEnvironmentVariable("VIDRNN_LAYOUT_DUMP");  // to look at them
        for (const Size& s : exportSizes()) {
            if (!dump.isEmpty()) {
                exportChart(plot, QDir(dump).filePath(name + "-" + s.name + ".png"), s.size);
            }
            const ChartGeometry g = exportedGeometry(plot, s.size);
            const QStringList p = layoutProblems(g, s.size.fontPt - 1);
            if (!dump.isEmpty() && qEnvironmentVariableIsSet("VIDRNN_LAYOUT_VERBOSE")) {
                qInfo() << name << s.name << "axis" << g.axisRect << "legend" << g.legend;
                exportedGeometry(plot, s.size);
                for (auto* e : plot->plotLayout()->elements(true)) {
                    if (e) {
                        qInfo() << "  element" << e->metaObject()->className() << e->outerRect()
                                << e->margins() << e->minimumMargins();
                    }
                }
                for (const auto& t : g.texts) {
                    qInfo() << "  " << t.text << t.box.boundingRect() << t.pointSize;
                }
            }
            if (!p.isEmpty()) {
                failures << problems(name + " at " + s.name, p);
            }
        }
        return failures;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        test::isolate(mDir);
        mStore = QDir(mDir.path()).filePath("demo-shaped.db");
        auto store = RunStore::open(mStore.toStdString());
        std::mt19937 rng(7);
        for (const std::string& arch : defaultSweepArchs()) {
            for (int hidden : defaultSweepHidden()) {
                for (int seed = 0; seed < 3; ++seed) {
                    mRuns.push_back(addRun(store, arch, hidden, seed, ucf11Names(), rng));
                }
            }
        }
    }

    // A default sweep has one series per architecture: `auto` computes each
    // architecture in one precision at every size.
    void defaultSweepHasOneSeriesPerArchitecture() {
        StoreSession session;
        session.open(mStore);
        CompareView compare(&session);
        compare.setRunIds({});
        compare.ensureCurrent();
        std::set<std::string> types;
        for (const ReportRow& row : compare.report().rows) {
            if (!row.reference) {
                QVERIFY2(row.differs.empty(), row.differs.c_str());
                types.insert(row.type);
            }
        }
        QCOMPARE(types.size(), defaultSweepArchs().size());
        for (auto* plot : compare.hiddenPlots()) {
            int measured = 0;
            for (int i = 0; i < plot->graphCount(); ++i) {
                const QString name = plot->graph(i)->name();
                measured += !name.endsWith(" (study)") && !name.startsWith("the study");
                QVERIFY2(!name.contains("precision"), qPrintable(name));
            }
            QCOMPARE(measured, static_cast<int>(defaultSweepArchs().size()));
            QVERIFY2(!plotTitle(plot).contains("rows in"), qPrintable(plotTitle(plot)));
        }
    }

    // More rows than the early-classification chart takes (a default sweep's
    // 28): each causal architecture's most accurate row is on it, not the
    // first rows in table order (which left all but LSTM, GRU and mean_pool
    // out), and the title says which rows they are.
    void earlyChartHasEveryArchitecture() {
        StoreSession session;
        session.open(mStore);
        CompareView compare(&session);
        compare.setRunIds({});
        compare.ensureCurrent();
        std::set<QString> names;
        for (int i = 0; i < compare.earlyPlot()->graphCount(); ++i) {
            names.insert(compare.earlyPlot()->graph(i)->name().section(' ', 0, -3));
        }
        std::set<QString> expected;
        for (const std::string& arch : defaultSweepArchs()) {
            if (findArch(arch)->causal) {
                expected.insert(QString::fromStdString(archShortName(arch)));
            }
        }
        QVERIFY2(names == expected, qPrintable(QStringList(names.begin(), names.end()).join("|")));
        QVERIFY(plotTitle(compare.earlyPlot()).contains("best row"));
        // Each is its architecture's best row by mean accuracy.
        for (int i = 0; i < compare.earlyPlot()->graphCount(); ++i) {
            const QString rowId = compare.earlyPlot()->graph(i)->name().section('(', -1).chopped(1);
            const ReportRow* shown = nullptr;
            for (const ReportRow& r : compare.report().rows) {
                if (!r.reference && QString::fromStdString(r.id) == rowId)
                    shown = &r;
            }
            QVERIFY2(shown, qPrintable(rowId));
            for (const ReportRow& r : compare.report().rows) {
                if (!r.reference && r.arch == shown->arch) {
                    QVERIFY(r.accuracy.mean <= shown->accuracy.mean);
                }
            }
        }
    }

    // Rows that differ by precision: one series per architecture where no
    // hidden size has both, the precision said once (title, report note),
    // never in each legend entry or row.
    void precisionIsSaidOnce() {
        const QString path = QDir(mDir.path()).filePath("mixed-precision.db");
        {
            auto store = RunStore::open(path.toStdString());
            std::mt19937 rng(3);
            addRun(store, "gru", 64, 0, ucf11Names(), rng, "fp32");
            addRun(store, "gru", 128, 0, ucf11Names(), rng, "bf16");
        }
        StoreSession session;
        session.open(path);
        CompareView compare(&session);
        compare.setRunIds({});
        compare.ensureCurrent();
        for (const ReportRow& row : compare.report().rows) {
            QVERIFY2(row.differs.empty(), row.differs.c_str());
        }
        const auto& notes = compare.report().notes;
        QVERIFY(std::any_of(notes.begin(), notes.end(), [](const std::string& n) {
            return n.find("Rows differ in precision") != std::string::npos;
        }));
        QCustomPlot* plot = compare.hiddenPlots().front();
        QStringList measured;
        for (int i = 0; i < plot->graphCount(); ++i) {
            const QString name = plot->graph(i)->name();
            if (!name.contains("study")) {
                measured << name;
            }
        }
        QCOMPARE(measured, QStringList{"GRU"});
        QVERIFY2(plotTitle(plot).contains("rows in bf16, fp32"), qPrintable(plotTitle(plot)));
    }

    // The comparison's charts and the per-run charts of the report.
    void demoReportChartsHoldAtEverySize() {
        StoreSession session;
        session.open(mStore);
        CompareView compare(&session);  // never shown: exports need no window
        compare.setRunIds({});
        compare.ensureCurrent();
        QStringList failures;
        for (const auto& [name, plot] : compare.charts()) {
            failures << check(plot, name);
        }
        ConfusionView confusion(&session);
        LiveCurves curves;
        for (qint64 id : compare.bestRunPerArchitecture()) {
            confusion.setRunId(id);
            if (confusion.hasEarlyCurve()) {  // the report leaves an empty one out
                failures << check(confusion.earlyPlot(), QStringLiteral("early-run%1").arg(id));
            }
            for (const Size& s : exportSizes()) {
                ChartSize square = s.size;
                square.height = 0;  // as the report exports it
                if (!qEnvironmentVariableIsEmpty("VIDRNN_LAYOUT_DUMP")) {
                    exportChart(
                        confusion.heatmap(),
                        QDir(qEnvironmentVariable("VIDRNN_LAYOUT_DUMP"))
                            .filePath(QStringLiteral("confusion-run%1-%2.png").arg(id).arg(s.name)),
                        square);
                }
                const ChartGeometry g = exportedGeometry(confusion.heatmap(), square);
                const QStringList p = layoutProblems(g, s.size.fontPt - 1);
                if (!p.isEmpty()) {
                    failures << problems(
                        QStringLiteral("confusion-run%1 at %2").arg(id).arg(s.name), p);
                }
                QVERIFY2(std::abs(g.axisRect.width() - g.axisRect.height()) <= 2,
                         qPrintable(QStringLiteral("cells not square: %1x%2")
                                        .arg(g.axisRect.width())
                                        .arg(g.axisRect.height())));
            }
            curves.showEpochs("run", RunStore::open(mStore.toStdString()).epochs(id));
        }
        failures << check(curves.lossPlot(), "loss") << check(curves.accuracyPlot(), "accuracy");
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join('\n')));
    }

    // Shown or not, whatever the window's size: the same exported layout.
    void exportDoesNotDependOnTheWindow() {
        StoreSession session;
        session.open(mStore);
        CompareView hidden(&session);
        hidden.setRunIds({});
        hidden.ensureCurrent();
        CompareView shown(&session);
        shown.resize(700, 500);
        shown.show();
        shown.setRunIds({});
        shown.ensureCurrent();
        QVERIFY(QTest::qWaitForWindowExposed(&shown));
        const ChartSize size = exportSizes()[1].size;
        const auto a = hidden.charts();
        const auto b = shown.charts();
        for (int i = 0; i < a.size(); ++i) {
            const ChartGeometry ga = exportedGeometry(a[i].second, size);
            const ChartGeometry gb = exportedGeometry(b[i].second, size);
            QCOMPARE(ga.axisRect, gb.axisRect);
            QCOMPARE(ga.legend, gb.legend);
            QCOMPARE(ga.texts.size(), gb.texts.size());
            // and the export left the shown chart as the screen had it
            QVERIFY(b[i].second->legend->rect().isValid());
        }
    }

    void matrixLabelsHold_data() {
        QTest::addColumn<int>("classes");
        QTest::addColumn<int>("nameLength");
        for (int n : {2, 11, 51, 101}) {
            QTest::addRow("%d classes, 40 characters", n) << n << 40;
        }
        QTest::addRow("11 classes, short names") << 11 << 6;
    }

    // Square cells, the colour bar beside the matrix, labels that never
    // overlap: the names where they fit, else numbers with a key.
    void matrixLabelsHold() {
        QFETCH(int, classes);
        QFETCH(int, nameLength);
        std::vector<std::string> names;
        for (int k = 0; k < classes; ++k) {
            std::string name = "class " + std::to_string(k) + " ";
            while (static_cast<int>(name.size()) < nameLength) {
                name += static_cast<char>('a' + (name.size() + k) % 26);
            }
            names.push_back(name.substr(0, std::size_t(nameLength)));
        }
        const QString path =
            QDir(mDir.path())
                .filePath(QStringLiteral("matrix%1-%2.db").arg(classes).arg(nameLength));
        std::int64_t id = 0;
        {
            auto store = RunStore::open(path.toStdString());
            std::mt19937 rng(static_cast<unsigned>(classes));
            id = addRun(store, "gru", 64, 0, names, rng);
        }
        StoreSession session;
        session.open(path);
        ConfusionView confusion(&session);
        confusion.setRunId(id);
        QCOMPARE(confusion.classTable()->rowCount(), classes);
        QVERIFY(confusion.classKey().contains(QString::fromStdString(names.back())));
        QStringList failures;
        for (const Size& s : exportSizes()) {
            ChartSize square = s.size;
            square.height = 0;
            const ChartGeometry g = exportedGeometry(confusion.heatmap(), square);
            const QStringList p = layoutProblems(g, s.size.fontPt - 1);
            if (!p.isEmpty()) {
                failures << problems(s.name, p);
            }
            if (std::abs(g.axisRect.width() - g.axisRect.height()) > 2) {
                failures << QStringLiteral("%1: cells not square (%2x%3)")
                                .arg(s.name)
                                .arg(g.axisRect.width())
                                .arg(g.axisRect.height());
            }
            QCOMPARE(g.otherAxisRects.size(), 1);  // the colour bar, beside
            QVERIFY(g.otherAxisRects[0].left() >= g.axisRect.right());
            // Many classes: numbered (thinned), the key names them.
            int numbers = 0;
            for (const DrawnText& t : g.texts) {
                bool isNumber = false;
                t.text.toInt(&isNumber);
                numbers += isNumber;
            }
            QVERIFY2(numbers > 0 || classes <= 11, s.name);
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join('\n')));
    }

    // The check is not vacuous: the hidden-size chart with its legend
    // forced back into one column below the plot (as before) fails it.
    void oneColumnLegendIsCaught() {
        StoreSession session;
        session.open(mStore);
        CompareView compare(&session);
        compare.setRunIds({});
        compare.ensureCurrent();
        QCustomPlot* plot = compare.hiddenPlots().front();
        const ChartSize size = exportSizes()[1].size;
        QVERIFY(layoutProblems(exportedGeometry(plot, size), size.fontPt - 1).isEmpty());
        undoScreenFit(plot);
        plot->legend->setWrap(1);
        plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
        const int w = static_cast<int>(std::lround(size.width / 2.54 * plot->logicalDpiX()));
        const int h = static_cast<int>(std::lround(size.height / 2.54 * plot->logicalDpiX()));
        const QStringList p = layoutProblems(measureChart(plot, w, h), size.fontPt - 1);
        QVERIFY2(!p.isEmpty(), "a one-column legend passed the check");
        QVERIFY2(p.join(' ').contains("plot area is"), qPrintable(p.join('\n')));
    }
};

QTEST_MAIN(TestChartLayout)
#include "tst_chartlayout.moc"
