// Exports: every chart as PNG (at the chosen size), SVG and PDF; the runs
// table (through the engine's report formatter) and any table as CSV,
// Markdown and LaTeX; the report folder with charts and table together.
// Each file is read back and checked to parse.
#include <QtTest>

#include <QImage>
#include <QImageReader>
#include <QProcess>
#include <QSettings>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableWidget>
#include <QXmlStreamReader>

#include "charts/exporter.h"
#include "charts/plotsupport.h"
#include "charts/qcp.h"
#include "models/storesession.h"
#include "shell/reportexport.h"
#include "uitest.h"
#include "views/compareview.h"
#include "views/confusionview.h"
#include "views/runsview.h"
#include "widgets/livecurves.h"
#include "widgets/timelinestrip.h"

using namespace vidrnn;
using namespace vidrnn::ui;

namespace {

QByteArray readAll(const QString& file) {
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// PNG: the magic and a decodable image of the requested size.
void checkPng(const QString& file, QSize size) {
    QVERIFY2(readAll(file).startsWith("\x89PNG\r\n\x1a\n"), qPrintable(file));
    QImage image(file);
    QVERIFY2(!image.isNull(), qPrintable(file));
    if (size.isValid()) {
        QCOMPARE(image.size(), size);
    }
}

// SVG: well-formed XML whose root element is <svg>.
void checkSvg(const QString& file) {
    const QByteArray svg = readAll(file);
    QVERIFY2(svg.contains("<svg"), qPrintable(file));
    QXmlStreamReader xml(svg);
    QString root;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && root.isEmpty()) {
            root = xml.name().toString();
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(file + ": " + xml.errorString()));
    QCOMPARE(root, QString("svg"));
}

void checkPdf(const QString& file) {
    const QByteArray pdf = readAll(file);
    QVERIFY2(pdf.startsWith("%PDF"), qPrintable(file));
    QVERIFY2(pdf.trimmed().endsWith("%%EOF"), qPrintable(file));
}

}  // namespace

class TestExports : public QObject {
    Q_OBJECT
private:
    QTemporaryDir mDir;
    QString mStore;
    qint64 mRun = 0;

    QString out(const QString& name) const { return QDir(mDir.path()).filePath("out/" + name); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        test::isolate(mDir);
        QVERIFY(QDir(mDir.path()).mkpath("out"));
        const QString demo = test::tinyDemo(mDir);
        mStore = QDir(mDir.path()).filePath("exports.db");
        mRun = test::trainDirect(mStore, test::tinyConfig(demo));
        QVERIFY(mRun > 0);
    }

    void chartsAsPngSvgPdf() {
        StoreSession session;
        session.open(mStore);
        CompareView compare(&session);
        compare.resize(1000, 700);
        compare.show();
        compare.setRunIds({});
        compare.ensureCurrent();  // the view reads off the UI thread; an export waits
        const auto charts = compare.charts();
        // The curves, five against hidden size (order reliance the fifth), early classification.
        QCOMPARE(charts.size(), 7);
        QVERIFY(compare.curvesPlot()->graphCount() >= 1);
        QVERIFY(compare.hiddenPlots().front()->graphCount() >= 2);  // measured + the study's
        // The study's rows are drawn hollow: a marker filled by the brush
        // (white), never ssDisc, which QCustomPlot fills with the pen's colour.
        int studyGraphs = 0;
        for (auto* plot : compare.hiddenPlots()) {
            for (int i = 0; i < plot->graphCount(); ++i) {
                const QCPGraph* g = plot->graph(i);
                if (!g->name().endsWith(QStringLiteral(" (study)")))
                    continue;
                ++studyGraphs;
                QVERIFY2(g->scatterStyle().shape() != QCPScatterStyle::ssDisc,
                         qPrintable(g->name()));
                QCOMPARE(g->scatterStyle().brush().color(), QColor(Qt::white));
            }
        }
        QCOMPARE(studyGraphs, 4 * 4);  // the study table's four types on each of the four charts
        for (const auto& [name, plot] : charts) {
            QCOMPARE(exportChart(plot, out(name + ".png"), 640, 400), QString());
            checkPng(out(name + ".png"), QSize(640, 400));
            QCOMPARE(exportChart(plot, out(name + ".svg"), 640, 400), QString());
            checkSvg(out(name + ".svg"));
            QCOMPARE(exportChart(plot, out(name + ".pdf"), 640, 400), QString());
            checkPdf(out(name + ".pdf"));
        }
        // The live curves too, and a size other than the widget's.
        LiveCurves curves;
        curves.showEpochs("run", RunStore::open(mStore.toStdString()).epochs(mRun));
        QCOMPARE(exportChart(curves.lossPlot(), out("loss.png"), 1200, 300), QString());
        checkPng(out("loss.png"), QSize(1200, 300));
        QCOMPARE(exportChart(curves.lossPlot(), out("loss.svg")), QString());
        checkSvg(out("loss.svg"));
    }

    void widgetsAsPngSvgPdf() {
        TimelineStrip strip;
        VideoPrediction p;
        p.classes = {"a", "b"};
        p.totalFrames = 20;
        for (int k = 0; k < 4; ++k) {
            FramePrediction f;
            f.frameIndex = k * 5 + 2;
            f.predicted = k % 2;
            f.probability = 0.6f;
            f.probabilities = {0.6f, 0.4f};
            p.frames.push_back(f);
        }
        strip.setPrediction(p, "run");
        QCOMPARE(exportWidget(&strip, out("strip.png"), 500, 40), QString());
        checkPng(out("strip.png"), QSize(500, 40));
        QCOMPARE(exportWidget(&strip, out("strip.svg"), 500, 40), QString());
        checkSvg(out("strip.svg"));
        QCOMPARE(exportWidget(&strip, out("strip.pdf"), 500, 40), QString());
        checkPdf(out("strip.pdf"));
    }

    void unknownFormatsAndUnwritableFilesAreNamed() {
        LiveCurves curves;
        const QString bmp = out("chart.bmp");
        QVERIFY(exportChart(curves.lossPlot(), bmp).startsWith(bmp + ": unknown chart format"));
        const QString nowhere = QDir(mDir.path()).filePath("no/such/folder/t.csv");
        QVERIFY(writeTextFile(nowhere, "x").startsWith(nowhere + ": "));
    }

    void runsTableAsCsvMarkdownLatex() {
        StoreSession session;
        session.open(mStore);
        RunsView view(&session);
        QTRY_COMPARE(view.table()->model()->rowCount(), 17);  // read off the UI thread
        QCOMPARE(view.exportTable(out("runs.csv")), QString());
        const auto csv = QString::fromUtf8(readAll(out("runs.csv"))).split('\n');
        QVERIFY(csv.front().startsWith("row,type,arch,hidden,layers,protocol"));
        QVERIFY(csv.front().contains(",run_ids,repeat_ids"));  // the runs behind each row
        QVERIFY(csv.size() >= 18);                             // 16 study rows and the run
        QCOMPARE(view.exportTable(out("runs.md")), QString());
        const QString md = QString::fromUtf8(readAll(out("runs.md")));
        QVERIFY(md.contains("|---"));
        QVERIFY(md.contains("GRU"));
        QCOMPARE(view.exportTable(out("runs.tex")), QString());
        const QString tex = QString::fromUtf8(readAll(out("runs.tex")));
        QVERIFY(tex.contains("\\begin{tabular}"));
        QVERIFY(tex.contains("\\end{tabular}"));
        QVERIFY(view.exportTable(out("runs.xls")).contains("unknown table format"));

        // Only the selection when there is one.
        view.selectRuns({mRun});
        QCOMPARE(view.exportTable(out("one.csv")), QString());
        QCOMPARE(QString::fromUtf8(readAll(out("one.csv"))).trimmed().split('\n').size(), 2);
    }

    void anyTableAsCsvMarkdownLatex() {
        QStandardItemModel model(2, 2);
        model.setHorizontalHeaderLabels({"class", "F1"});
        model.setItem(0, 0, new QStandardItem("golf_swing, 50% & more"));
        model.setItem(0, 1, new QStandardItem("0.5"));
        model.setItem(1, 0, new QStandardItem("a|b \"q\""));
        model.setItem(1, 1, new QStandardItem("—"));
        const QString csv = tableText(&model, TableFormat::Csv);
        QCOMPARE(csv.split('\n').front(), QString("class,F1"));
        QVERIFY(csv.contains("\"golf_swing, 50% & more\""));
        QVERIFY(csv.contains("\"a|b \"\"q\"\"\""));
        const QString md = tableText(&model, TableFormat::Markdown);
        QVERIFY(md.contains("| class | F1 |\n|---|---|"));
        QVERIFY(md.contains("a\\|b"));
        const QString tex = tableText(&model, TableFormat::Latex);
        QVERIFY(tex.contains("\\begin{tabular}{@{}ll@{}}"));
        QVERIFY(tex.contains("\\toprule"));
        QVERIFY(tex.contains("a\\textbar{}b"));
        QVERIFY(csv.contains("\"a|b \"\"q\"\"\",\n"));  // undefined: empty
        QVERIFY(tex.contains("golf\\_swing, 50\\% \\& more"));
    }

    void reportFolderHoldsChartsAndTable() {
        StoreSession session;
        session.open(mStore);
        CompareView compare(&session);
        compare.resize(1000, 700);
        compare.setRunIds({});
        QStringList files;
        const QString folder = out("report");
        QCOMPARE(exportReport(folder, &compare, &files), QString());
        // The table and the paired comparisons (3 formats each), seven charts (3 each),
        // report.tex and index.md.
        QCOMPARE(files.size(), 3 + 3 + 7 * 3 + 2);
        for (const auto& f : files) {
            QVERIFY2(QFileInfo(f).size() > 0, qPrintable(f));
            if (f.endsWith(".png")) {
                checkPng(f, QSize());
            } else if (f.endsWith(".svg")) {
                checkSvg(f);
            } else if (f.endsWith(".pdf")) {
                checkPdf(f);
            }
        }
        const QString index = QString::fromUtf8(readAll(QDir(folder).filePath("index.md")));
        QVERIFY(index.contains("](accuracy-vs-hidden.png)"));
        QVERIFY(index.contains("|---"));
        QVERIFY(QString::fromUtf8(readAll(QDir(folder).filePath("table.tex")))
                    .contains("\\begin{tabular}"));
    }

    // File > Export report: every chart with a title and a legend (read from
    // the SVG text), the confusion matrix as vector rectangles with its run
    // id, no selection box in any file, the per-class tables, and a LaTeX
    // document that compiles in a default A4 article without overfull boxes.
    void reportHasEveryChartAndRun() {
        QSettings().remove("export");
        StoreSession session;
        session.open(mStore);
        CompareView compare(&session);
        compare.resize(1000, 700);
        compare.setRunIds({});
        ConfusionView confusion(&session);
        confusion.resize(1000, 700);
        confusion.show();
        confusion.setRunId(mRun);
        confusion.selectCell(0, 0);  // the red box is on screen...
        ReportContent content;
        content.compare = &compare;
        content.confusion = &confusion;
        content.size.width = 8.5;
        content.size.height = 6.5;
        content.size.fontPt = 8;
        const QString folder = out("full-report");
        QStringList files;
        QCOMPARE(exportReport(folder, content, &files), QString());
        QCOMPARE(confusion.runId(), mRun);  // put back
        const QDir dir(folder);
        const QString matrix = QString("confusion-run%1").arg(mRun);
        const QString perClass = QString("per-class-run%1").arg(mRun);
        for (const QString& name :
             {matrix + ".pdf", matrix + ".svg", matrix + ".png", perClass + ".csv",
              perClass + ".md", perClass + ".tex", QString("report.tex"), QString("index.md")}) {
            QVERIFY2(files.contains(dir.filePath(name)), qPrintable(name));
        }

        // Titles and legends in every comparison chart.
        for (const auto& [name, plot] : compare.charts()) {
            const QString svg = QString::fromUtf8(readAll(dir.filePath(name + ".svg")));
            checkSvg(dir.filePath(name + ".svg"));
            // The title, maybe broken into lines to fit 8.5 cm: every word of it.
            QVERIFY2(!plotTitle(plot).isEmpty(), qPrintable(name));
            for (const QString& word : plotTitle(plot).split(' ', Qt::SkipEmptyParts)) {
                QVERIFY2(svg.contains(word.toHtmlEscaped()), qPrintable(name + ": " + word));
            }
            QVERIFY2(plot->legend->visible() && plot->legend->itemCount() > 0, qPrintable(name));
            for (int i = 0; i < plot->legend->itemCount(); ++i) {
                auto* item = qobject_cast<QCPPlottableLegendItem*>(plot->legend->item(i));
                if (!item) {
                    continue;  // an empty cell of the wrapped grid
                }
                QVERIFY2(svg.contains(item->plottable()->name().toHtmlEscaped()),
                         qPrintable(name + ": " + item->plottable()->name()));
            }
            // On paper: 8.5 cm wide (QSvgGenerator writes millimetres).
            QVERIFY2(svg.contains("width=\"85mm\"") || svg.contains("width=\"84."),
                     qPrintable(svg.left(400)));
        }
        // The heat map: title with the run id, colour bar label, rectangles only.
        const QString heat = QString::fromUtf8(readAll(dir.filePath(matrix + ".svg")));
        QVERIFY(heat.contains(QString("Confusion matrix of run %1").arg(mRun)));
        QVERIFY(heat.contains(">clips<") || heat.contains("clips"));
        QVERIFY(!heat.contains("<image"));
        const int classes = confusion.classTable()->rowCount();
        QVERIFY(classes >= 2);
        QVERIFY2(heat.count("<rect") >= classes * classes,
                 qPrintable(QString::number(heat.count("<rect"))));

        // ...but in no export: SVG colours, PNG pixels, PDF rendered.
        const QColor box(230, 60, 20);
        auto nearBox = [&box](const QImage& image) {
            for (int y = 0; y < image.height(); ++y) {
                for (int x = 0; x < image.width(); ++x) {
                    const QColor c = image.pixelColor(x, y);
                    if (std::abs(c.red() - box.red()) + std::abs(c.green() - box.green()) +
                            std::abs(c.blue() - box.blue()) <
                        30) {
                        return true;
                    }
                }
            }
            return false;
        };
        const QString pdftoppm = QStandardPaths::findExecutable("pdftoppm");
        for (const QString& f : files) {
            if (f.endsWith(".svg")) {
                QVERIFY2(!readAll(f).toLower().contains(box.name().toLatin1()), qPrintable(f));
            } else if (f.endsWith(".png")) {
                QVERIFY2(!nearBox(QImage(f)), qPrintable(f));
            } else if (f.endsWith(".pdf") && !pdftoppm.isEmpty() && f.contains("confusion")) {
                QProcess p;
                p.start(pdftoppm, {"-png", "-r", "100", "-singlefile", f, f + "-page"});
                QVERIFY(p.waitForFinished(60000) && p.exitCode() == 0);
                QVERIFY2(!nearBox(QImage(f + "-page.png")), qPrintable(f));
            }
        }
        // Back on screen afterwards.
        QVERIFY(nearBox(confusion.heatmap()->toPixmap(800, 600).toImage()));

        // The per-class table: caption with the run id, numbers right-aligned,
        // undefined values empty in CSV.
        const QString tex = QString::fromUtf8(readAll(dir.filePath(perClass + ".tex")));
        // Class, support, predicted, precision, recall, F1, shuffled recall, reliance.
        QVERIFY2(tex.contains("\\begin{tabular}{@{}lrrrrrrr@{}}"), qPrintable(tex));
        QVERIFY(tex.contains(QString("run %1").arg(mRun)));
        const QString csv = QString::fromUtf8(readAll(dir.filePath(perClass + ".csv")));
        QVERIFY(!csv.contains("—"));
        QCOMPARE(csv.split('\n', Qt::SkipEmptyParts).size(), classes + 1);
        QVERIFY(QString::fromUtf8(readAll(dir.filePath(perClass + ".md"))).contains("|---:|"));

        // The document.
        const QString doc = QString::fromUtf8(readAll(dir.filePath("report.tex")));
        QVERIFY(doc.contains("\\input{table.tex}"));
        QVERIFY(doc.contains("\\vidrnnchart{" + matrix + ".pdf}"));
        QVERIFY(doc.contains("\\input{" + perClass + ".tex}"));
        const QString index = QString::fromUtf8(readAll(dir.filePath("index.md")));
        QVERIFY(index.contains(matrix + ".png"));
        const QString pdflatex = QStandardPaths::findExecutable("pdflatex");
        if (pdflatex.isEmpty()) {
            QSKIP("pdflatex is not installed (tools/setup.sh installs texlive-latex-base)");
        }
        QProcess latex;
        latex.setWorkingDirectory(folder);
        latex.start(pdflatex, {"-interaction=nonstopmode", "-halt-on-error", "report.tex"});
        QVERIFY(latex.waitForFinished(120000));
        const QString log = QString::fromUtf8(latex.readAllStandardOutput());
        QVERIFY2(latex.exitCode() == 0, qPrintable(log.right(3000)));
        QVERIFY2(!log.contains("Overfull"), qPrintable(log.right(3000)));
        checkPdf(dir.filePath("report.pdf"));
    }
};

QTEST_MAIN(TestExports)
#include "tst_exports.moc"
