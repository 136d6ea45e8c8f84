// The report: runs grouped into the study's rows with mean ± sample std over
// folds/seeds (checked against numbers worked out by hand), reference rows
// beside them, leaking splits and unpretrained backbones called out, and each
// output format well-formed.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "vidrnn/errors.h"
#include "vidrnn/report.h"
#include "vidrnn/store.h"

using namespace vidrnn;

namespace {

RunRecord completed(std::int64_t id, const std::string& arch, int hidden, double accuracy,
                    double f1, double seconds, const std::string& protocol = "logo",
                    bool pretrained = true) {
    RunRecord r;
    r.id = id;
    r.status = RunStatus::Completed;
    r.kind = RunKind::Trained;
    r.arch = arch;
    r.hidden = hidden;
    r.layers = arch == "deep_lstm" ? 2 : 1;
    r.params = 247947;
    r.protocol = protocol;
    r.leaking = protocol == "random";
    r.backbone = "/models/my_resnet18.pt";
    r.pretrained = pretrained;
    r.accuracy = accuracy;
    r.macroF1 = f1;
    r.trainSeconds = seconds;
    r.precision = "fp32";
    r.fold = static_cast<int>(id);  // each run its own fold, as a LOGO sweep
    r.seed = 0;
    r.createdAt = "2026-01-01T00:00:" + std::to_string(10 + id) + ".000Z";
    return r;
}

RunRecord reference(std::int64_t id, const std::string& arch, int hidden, double accuracy) {
    RunRecord r = completed(id, arch, hidden, accuracy, accuracy - 0.01, 88.28, "unstated");
    r.kind = RunKind::Reference;
    r.status = RunStatus::Reference;
    r.backbone = "imagenet-cnn";
    r.precision.clear();  // the study does not say
    return r;
}

// Three GRU-128 folds (by hand: accuracy 0.76 ± 0.06, F1 0.70 ± 0.10, time
// 20 ± 10 s), a failed run that must not count, a leaking random-split run,
// an unpretrained LSTM and the study's GRU-128 row.
std::vector<RunRecord> sampleRuns() {
    std::vector<RunRecord> runs{completed(1, "gru", 128, 0.70, 0.60, 10.0),
                                completed(2, "gru", 128, 0.76, 0.70, 20.0),
                                completed(3, "gru", 128, 0.82, 0.80, 30.0),
                                completed(4, "gru", 128, 0.99, 0.99, 5.0),
                                completed(5, "gru", 128, 0.95, 0.94, 9.0, "random"),
                                completed(6, "lstm", 64, 0.30, 0.25, 7.0, "logo", false),
                                reference(7, "gru", 128, 0.77)};
    runs[3].status = RunStatus::Failed;
    return runs;
}

const ReportRow* findRow(const Report& report, const std::string& arch, bool reference,
                         const std::string& protocol) {
    for (const ReportRow& row : report.rows) {
        if (row.arch == arch && row.reference == reference && row.protocol == protocol) {
            return &row;
        }
    }
    return nullptr;
}

// Splits one CSV line, honouring quotes.
QStringList csvFields(const QString& line) {
    QStringList fields{QString()};
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        QChar c = line[i];
        if (c == '"') {
            if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
                fields.last() += '"';
                ++i;
            } else {
                quoted = !quoted;
            }
        } else if (c == ',' && !quoted) {
            fields.append(QString());
        } else {
            fields.last() += c;
        }
    }
    return fields;
}

QString format(ReportFormat f) {
    return QString::fromStdString(formatReport(buildReport(sampleRuns()), f));
}

}  // namespace

class TestReport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void summarizeByHand() {
        Stat s = summarize({0.70, 0.76, 0.82});
        QCOMPARE(s.n, 3);
        QVERIFY(std::abs(s.mean - 0.76) < 1e-12);
        QVERIFY(s.stddev && std::abs(*s.stddev - 0.06) < 1e-12);  // sqrt(0.0072 / 2)
        QVERIFY(!summarize({0.5}).stddev);
        QCOMPARE(summarize({}).n, 0);
    }

    void aggregation() {
        Report report = buildReport(sampleRuns());
        QCOMPARE(report.rows.size(), size_t(4));
        const ReportRow* gru = findRow(report, "gru", false, "logo");
        QVERIFY(gru);
        QCOMPARE(gru->runIds, (std::vector<std::int64_t>{1, 2, 3}));  // the failed run is out
        QCOMPARE(gru->type, std::string("GRU"));
        QVERIFY(std::abs(gru->accuracy.mean - 0.76) < 1e-12);
        QVERIFY(std::abs(*gru->accuracy.stddev - 0.06) < 1e-12);
        QVERIFY(std::abs(gru->macroF1.mean - 0.70) < 1e-12);
        QVERIFY(std::abs(*gru->macroF1.stddev - 0.10) < 1e-12);
        QCOMPARE(gru->trainSeconds.mean, 20.0);
        QCOMPARE(*gru->trainSeconds.stddev, 10.0);
        QCOMPARE(gru->params.mean, 247947.0);
        QCOMPARE(*gru->params.stddev, 0.0);
        QCOMPARE(gru->backbone, std::string("my_resnet18.pt"));

        // The study's row comes right before the measured rows it is compared with.
        QVERIFY(report.rows[0].arch == "lstm");
        QVERIFY(report.rows[1].reference && report.rows[1].arch == "gru");
        QCOMPARE(report.rows[1].sourceLabel(), std::string("reference (report)"));
        QCOMPARE(report.rows[2].protocol, std::string("logo"));

        const ReportRow* leaking = findRow(report, "gru", false, "random");
        QVERIFY(leaking && leaking->leaking);
        QCOMPARE(leaking->protocolLabel(), std::string("random (leaking)"));
        QVERIFY(!leaking->accuracy.stddev);

        const ReportRow* lstm = findRow(report, "lstm", false, "logo");
        QCOMPARE(lstm->backboneLabel(), std::string("my_resnet18.pt (not pretrained)"));

        ReportOptions noReference;
        noReference.includeReference = false;
        QCOMPARE(buildReport(sampleRuns(), noReference).rows.size(), size_t(3));
    }

    void table() {
        const QString text = format(ReportFormat::Table);
        const QStringList lines = text.split('\n');
        QVERIFY(lines[0].startsWith("row"));
        QVERIFY(lines[1].startsWith("---"));
        // Aligned: every row of the table is as wide as its rule.
        for (int i = 2; i < 6; ++i)
            QVERIFY(lines[i].size() <= lines[1].size());
        QVERIFY(text.contains("0.760 ± 0.060"));
        QVERIFY(text.contains("20.00 ± 10.00"));
        QVERIFY(text.contains("247,947"));
        QVERIFY(text.contains("random (leaking)"));
        QVERIFY(text.contains("not pretrained"));
        QVERIFY(text.contains("reference (report)"));
        QVERIFY(text.contains("inflates accuracy"));
    }

    // fp32 and bf16 runs of one configuration are separate rows, each showing
    // its precision in every format.
    void precisionSeparatesRows() {
        auto runs = sampleRuns();
        RunRecord low = completed(8, "gru", 128, 0.74, 0.70, 6.0);
        low.precision = "bf16";
        runs.push_back(low);
        const Report report = buildReport(runs);
        int bf16Rows = 0;
        for (const auto& row : report.rows) {
            if (row.precision == "bf16") {
                ++bf16Rows;
                QCOMPARE(row.runIds, (std::vector<std::int64_t>{8}));
            }
            if (row.reference) {
                QCOMPARE(row.precisionLabel(), std::string("-"));
            }
        }
        QCOMPARE(bf16Rows, 1);
        for (ReportFormat f : {ReportFormat::Table, ReportFormat::Markdown, ReportFormat::Csv,
                               ReportFormat::Latex, ReportFormat::Json}) {
            const QString text = QString::fromStdString(formatReport(report, f));
            QVERIFY2(text.contains("bf16") && text.contains("fp32"), toString(f));
            // A column of its own, but in LaTeX's compact "setting" column.
            if (f != ReportFormat::Latex) {
                QVERIFY2(text.contains("precision"), toString(f));
            }
        }
    }

    // Order reliance is a column with its interval in every format; a row
    // whose runs come from different builds (or one without provenance)
    // says so in a note marked on it.
    void orderRelianceAndProvenance() {
        std::vector<RunRecord> runs;
        const double reliance[] = {0.30, 0.40, 0.50};
        for (int i = 0; i < 3; ++i) {
            RunRecord r = completed(20 + i, "gru", 64, 0.8, 0.78, 5.0);
            r.orderReliance = reliance[i];
            r.provenance.version = "0.1.0";
            r.provenance.commit = i == 2 ? "bbbbbbbbbbbbbbbb" : "aaaaaaaaaaaaaaaa";
            r.provenance.cpu = "Some CPU";
            runs.push_back(r);
        }
        RunRecord pool = completed(30, "mean_pool", 64, 0.6, 0.55, 1.0);
        pool.orderReliance = 0.0;
        pool.provenance = runs[0].provenance;
        runs.push_back(pool);
        const Report report = buildReport(runs, ReportOptions{false});
        const ReportRow* gru = findRow(report, "gru", false, "logo");
        QVERIFY(gru);
        QCOMPARE(gru->orderReliance.n, 3);
        QCOMPARE(gru->orderReliance.mean, 0.4);
        QVERIFY(gru->orderReliance.ciLow && *gru->orderReliance.ciLow < 0.4);
        QCOMPARE(gru->builds.size(), size_t(2));
        const ReportRow* meanPool = findRow(report, "mean_pool", false, "logo");
        QCOMPARE(meanPool->orderReliance.mean, 0.0);
        QCOMPARE(meanPool->builds.size(), size_t(1));
        const QString table = QString::fromStdString(formatReport(report, ReportFormat::Table));
        QVERIFY(table.contains("order reliance"));
        QVERIFY(table.contains("0.400 ± 0.100"));
        QVERIFY2(table.contains("[0.152, 0.648]"), qPrintable(table));
        QVERIFY(table.contains("mixed provenance"));
        QCOMPARE(int(gru->notes.size()), 1);
        QVERIFY(meanPool->notes.empty());
        const QString json = QString::fromStdString(formatReport(report, ReportFormat::Json));
        QVERIFY(json.contains("\"order_reliance\""));
        QVERIFY(QString::fromStdString(formatReport(report, ReportFormat::Csv))
                    .contains("order_reliance_ci_low"));
    }

    // A row of one run: its reliance interval is over the run's test clips
    // (paired: +1 a clip right in order and wrong shuffled, -1 the other way),
    // checked against a hand calculation with t(0.975, 32) = 2.0369333; with
    // nothing changed (mean_pool) it is [0, 0]; with two runs it is over the
    // runs; without the counts (runs before schema 9) there is none.
    void singleRunRelianceIntervalOverClips() {
        RunRecord lstm = completed(40, "lstm", 64, 0.8, 0.78, 5.0);
        lstm.testCount = 33;
        lstm.orderReliance = 4.0 / 33.0;
        lstm.shuffledLost = 4;
        lstm.shuffledGained = 0;
        RunRecord pool = completed(41, "mean_pool", 64, 0.6, 0.55, 1.0);
        pool.testCount = 33;
        pool.orderReliance = 0.0;
        pool.shuffledLost = 0;
        pool.shuffledGained = 0;
        RunRecord old = completed(42, "gru", 128, 0.7, 0.7, 1.0);
        old.testCount = 33;
        old.orderReliance = 0.1;  // stored before schema 9: no counts
        RunRecord a = completed(43, "gru", 64, 0.7, 0.7, 1.0);
        RunRecord b = completed(44, "gru", 64, 0.7, 0.7, 1.0);
        a.testCount = b.testCount = 20;
        a.orderReliance = 0.1;
        b.orderReliance = 0.2;
        a.shuffledLost = 2;
        a.shuffledGained = 0;
        b.shuffledLost = 4;
        b.shuffledGained = 0;
        const Report report = buildReport({lstm, pool, old, a, b}, ReportOptions{false});
        const ReportRow* l = findRow(report, "lstm", false, "logo");
        QVERIFY(l && l->relianceOverClips);
        QCOMPARE(l->orderReliance.n, 1);
        QVERIFY(!l->orderReliance.stddev);
        QVERIFY(std::abs(*l->orderReliance.ciLow - 0.003690741094235686) < 1e-9);
        QVERIFY(std::abs(*l->orderReliance.ciHigh - 0.23873350133000676) < 1e-9);
        const ReportRow* p = findRow(report, "mean_pool", false, "logo");
        QVERIFY(p && p->relianceOverClips);
        QCOMPARE(*p->orderReliance.ciLow, 0.0);
        QCOMPARE(*p->orderReliance.ciHigh, 0.0);
        bool sawOld = false, sawPair = false;
        for (const ReportRow& r : report.rows) {
            if (r.arch == "gru" && r.hidden == 128) {
                sawOld = true;
                QVERIFY(!r.relianceOverClips && !r.orderReliance.ciLow);
            }
            if (r.arch == "gru" && r.hidden == 64) {
                sawPair = true;
                QCOMPARE(r.orderReliance.n, 2);
                QVERIFY(!r.relianceOverClips);
                QVERIFY(r.orderReliance.stddev);  // over the runs
            }
        }
        QVERIFY(sawOld && sawPair);
        const QString table = QString::fromStdString(formatReport(report, ReportFormat::Table));
        QVERIFY2(table.contains("[0.004, 0.239]"), qPrintable(table));
        QVERIFY2(table.contains("[0.000, 0.000]"), qPrintable(table));
        QVERIFY(table.contains("its 95% CI is over the run's test clips"));
        const QString csv = QString::fromStdString(formatReport(report, ReportFormat::Csv));
        QVERIFY(csv.contains("0.0036907"));
        // The engine's function, as `runs show` prints it.
        const auto ci = clipRelianceInterval(33, 4, 0);
        QVERIFY(ci && std::abs(ci->first - 0.003690741094235686) < 1e-9);
        QVERIFY(!clipRelianceInterval(std::nullopt, 4, 0));
        QVERIFY(!clipRelianceInterval(1, 1, 0));
        // Counts no run can have (a store another program wrote): no interval,
        // no overflow, no exception.
        QVERIFY(!clipRelianceInterval(33, -1, 0));
        QVERIFY(!clipRelianceInterval(33, 30, 4));
        QVERIFY(!clipRelianceInterval(std::int64_t(1) << 40, 1, 0));
        QVERIFY(!clipRelianceInterval(33, std::numeric_limits<std::int64_t>::max(),
                                      std::numeric_limits<std::int64_t>::max()));
    }

    // An interval never holds values the measure cannot take: accuracies of
    // 1.0 and 0.9 give a t interval past 1, cut at 1 (the mean and the lower
    // bound stay the t interval's).
    void intervalsStayInRange() {
        RunRecord a = completed(60, "gru", 64, 1.0, 1.0, 5.0);
        RunRecord b = completed(61, "gru", 64, 0.9, 0.9, 5.0);
        const Report report = buildReport({a, b}, ReportOptions{false});
        const ReportRow& row = report.rows.at(0);
        QCOMPARE(row.accuracy.n, 2);
        QCOMPARE(*row.accuracy.ciHigh, 1.0);
        QCOMPARE(*row.macroF1.ciHigh, 1.0);
        QVERIFY(*row.accuracy.ciLow < 0.9);
        QVERIFY(std::abs(row.accuracy.mean - 0.95) < 1e-12);
        const auto ci = clipRelianceInterval(2, 2, 0);  // both clips lost: 1.0
        QVERIFY(ci && ci->second <= 1.0);
    }

    // Runs that read another input (--input motion) never share a row with
    // appearance runs, and the row names the input.
    void inputKeepsRowsApart() {
        RunRecord a = completed(50, "lstm", 64, 0.8, 0.78, 5.0);
        RunRecord b = completed(51, "lstm", 64, 0.7, 0.68, 5.0);
        a.input = "appearance";
        b.input = "motion";
        const Report report = buildReport({a, b}, ReportOptions{false});
        QCOMPARE(report.rows.size(), size_t(2));
        QVERIFY(report.rows[0].differs.find("input") != std::string::npos);
        QVERIFY(report.rows[1].differs.find("input motion") != std::string::npos ||
                report.rows[0].differs.find("input motion") != std::string::npos);
    }

    void markdown() {
        const QStringList lines = format(ReportFormat::Markdown).split('\n');
        QVERIFY(lines[0].startsWith("| row | type |"));
        QVERIFY(QRegularExpression("^\\|(-{3,}:?\\|){17}$").match(lines[1]).hasMatch());
        const int pipes = int(lines[0].count('|'));
        for (int i = 2; i < 6; ++i) {
            QVERIFY2(lines[i].startsWith('|') && lines[i].count('|') == pipes,
                     qPrintable(lines[i]));
        }
        QVERIFY(lines[6].isEmpty());  // the table ends, the notes follow
    }

    void csv() {
        const QStringList lines = format(ReportFormat::Csv).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5);
        const QStringList header = csvFields(lines[0]);
        QCOMPARE(header.size(), 31);
        QCOMPARE(header[0], QString("row"));
        QCOMPARE(header.indexOf("precision"), 9);
        QCOMPARE(header.indexOf("accuracy_std"), 17);
        QCOMPARE(header.indexOf("run_ids"), 25);
        for (const QString& line : lines)
            QCOMPARE(csvFields(line).size(), 31);
        const QStringList gru = csvFields(lines[3]);
        QCOMPARE(gru[5], QString("logo"));
        QCOMPARE(gru[9], QString("fp32"));
        QVERIFY(std::abs(gru[16].toDouble() - 0.76) < 1e-9);
        QVERIFY(std::abs(gru[17].toDouble() - 0.06) < 1e-9);
        QCOMPARE(gru[25], QString("1 2 3"));          // the runs behind the row
        QCOMPARE(csvFields(lines[2])[9], QString());  // the study's row: not stated
        QCOMPARE(csvFields(lines[2])[10], QString("reference (report)"));
        QCOMPARE(csvFields(lines[4])[6], QString("true"));  // random: leaking
    }

    void latex() {
        const QString text = format(ReportFormat::Latex);
        // booktabs; each number column is its mean (right) and "± sd" (left).
        QVERIFY2(text.contains("\\begin{tabular}{@{}llrr@{}lr@{}lr@{}lr@{}lrrr@{}lrl@{}}"),
                 qPrintable(text));
        QVERIFY(text.contains("\\toprule") && text.contains("\\midrule") &&
                text.contains("\\bottomrule"));
        QVERIFY(text.endsWith("\\end{table}\n"));
        QVERIFY(text.contains("0.760 & \\,$\\pm$\\,0.060"));
        QVERIFY(text.contains("my\\_resnet18.pt"));
        QVERIFY(!text.contains("±"));
        QVERIFY(
            !QRegularExpression("[^\\\\]_").match(text.section("\\begin{tabular}", 1)).hasMatch());
        const QString body = text.section("\\midrule", 1).section("\\bottomrule", 0, 0);
        const QStringList lines = body.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        for (const QString& line : lines) {
            QCOMPARE(line.count(" & "), 16);
            QVERIFY(line.endsWith("\\\\"));
        }
        // Caveats are footnotes: marked on their rows, printed under the table
        // (not % comments that never reach the page).
        QVERIFY(!text.contains("\n% reference"));
        const QString notes = text.section("\\bottomrule", 1);
        for (const char* mark : {"a", "b", "c"}) {
            const QString m = QString("\\textsuperscript{%1}").arg(mark);
            QVERIFY2(body.contains(m) && notes.contains(m), mark);
        }
        QVERIFY(notes.contains("inflates accuracy"));
        QVERIFY(notes.contains("randomly initialised"));
    }

    void latexEscapes() {
        auto runs = sampleRuns();
        runs[0].backbone = "/models/a|b<c>_#%&~^$x{y}.pt";  // a backslash would be a folder
        const QString text =
            QString::fromStdString(formatReport(buildReport(runs), ReportFormat::Latex));
        QVERIFY2(text.contains("a\\textbar{}b\\textless{}c\\textgreater{}\\_\\#\\%\\&"
                               "\\textasciitilde{}\\textasciicircum{}\\$x\\{y\\}.pt"),
                 qPrintable(text));
    }

    // Undefined values: empty in CSV (the column stays numeric), null in JSON.
    void undefinedValues() {
        auto runs = sampleRuns();
        runs[5].trainSeconds.reset();  // the LSTM row's only run
        const Report report = buildReport(runs);
        const QStringList lines =
            QString::fromStdString(formatReport(report, ReportFormat::Csv)).split('\n');
        const QStringList header = csvFields(lines[0]);
        const QStringList lstm = csvFields(lines[1]);
        QCOMPARE(lstm[2], QString("lstm"));
        QCOMPARE(lstm[header.indexOf("train_seconds_mean")], QString());
        QCOMPARE(lstm[header.indexOf("train_seconds_std")], QString());
        QCOMPARE(lstm[header.indexOf("accuracy_std")], QString());
        for (const QString& line : lines) {
            QVERIFY2(!line.contains(",-,") && !line.contains("—"), qPrintable(line));
        }
        const auto doc = QJsonDocument::fromJson(
            QByteArray::fromStdString(formatReport(report, ReportFormat::Json)));
        const QJsonObject row = doc.object()["rows"].toArray()[0].toObject();
        QCOMPARE(row["arch"].toString(), QString("lstm"));
        QVERIFY(row["train_seconds"].toObject()["mean"].isNull());
        QVERIFY(row["train_seconds"].toObject()["std"].isNull());
        QCOMPARE(row["train_seconds"].toObject()["n"].toInt(), 0);
    }

    // The table compiles with pdflatex in a default A4 article and fits its
    // text width (no overfull box): the study's 16 rows with measured rows
    // of the longest kinds beside them.
    // Issue 15: a 15-epoch and a 10-epoch run of one fold and seed are two
    // experiments, never replicates of one row; the table says what differs.
    void epochsNeverShareARow() {
        RunRecord a = completed(1, "lstm", 64, 0.70, 0.60, 10.0);
        RunRecord b = completed(2, "lstm", 64, 0.90, 0.85, 10.0);
        a.fold = b.fold = 3;
        a.config.epochs = 15;
        b.config.epochs = 10;
        const Report report = buildReport({a, b}, ReportOptions{false});
        QCOMPARE(report.rows.size(), size_t(2));
        QCOMPARE(report.rows[0].runIds.size(), size_t(1));
        QCOMPARE(report.rows[1].runIds.size(), size_t(1));
        QVERIFY(report.rows[0].repeatIds.empty() && report.rows[1].repeatIds.empty());
        QStringList differs{QString::fromStdString(report.rows[0].differs),
                            QString::fromStdString(report.rows[1].differs)};
        differs.sort();
        QCOMPARE(differs, (QStringList{"epochs 10", "epochs 15"}));
        // Every other setting splits rows too.
        for (auto change : std::vector<std::function<void(RunRecord&)>>{
                 [](RunRecord& r) { r.config.lr = 0.01; }, [](RunRecord& r) { r.config.batch = 8; },
                 [](RunRecord& r) { r.config.patience = 0; },
                 [](RunRecord& r) { r.config.frames = 8; },
                 [](RunRecord& r) { r.config.imageSize = 112; },
                 [](RunRecord& r) { r.config.weightDecay = 1e-4; },
                 [](RunRecord& r) { r.config.dropout = 0.5; },
                 [](RunRecord& r) { r.config.dataset = "/data/other"; },
                 [](RunRecord& r) { r.datasetFingerprint = "0123456789abcdef"; },
                 [](RunRecord& r) { r.device = "cuda:0"; },
                 [](RunRecord& r) { r.precision = "bf16"; }}) {
            RunRecord c = a;
            c.id = 3;
            c.fold = 4;
            change(c);
            QCOMPARE(buildReport({a, c}, ReportOptions{false}).rows.size(), size_t(2));
        }
        // Fold and seed alone do not.
        RunRecord d = a;
        d.id = 4;
        d.fold = 5;
        d.seed = 2;
        QCOMPARE(buildReport({a, d}, ReportOptions{false}).rows.size(), size_t(1));
    }

    // A (fold, seed) run twice counts once, with its newest run; the older
    // one is listed as a repeat in every format.
    void duplicateFoldSeedCountedOnce() {
        RunRecord old = completed(1, "gru", 64, 0.50, 0.40, 10.0);
        RunRecord again = completed(2, "gru", 64, 0.80, 0.70, 10.0);
        RunRecord other = completed(3, "gru", 64, 0.90, 0.80, 10.0);
        old.fold = again.fold = 1;
        other.fold = 2;
        const Report report = buildReport({old, again, other}, ReportOptions{false});
        QCOMPARE(report.rows.size(), size_t(1));
        const ReportRow& row = report.rows[0];
        QCOMPARE(row.runIds, (std::vector<std::int64_t>{2, 3}));
        QCOMPARE(row.repeatIds, (std::vector<std::int64_t>{1}));
        QCOMPARE(row.accuracy.n, 2);
        QVERIFY(std::abs(row.accuracy.mean - 0.85) < 1e-12);
        QCOMPARE(row.runsLabel(), std::string("2, 3 (repeats: 1)"));
        // 95% t interval by hand: 0.85 ± 12.7062047364 · 0.0707106781 / √2,
        // its upper end cut at 1 (no accuracy lies beyond).
        QVERIFY(std::abs(*row.accuracy.ciLow - (0.85 - 12.706204736432095 * 0.05)) < 1e-9);
        QCOMPARE(*row.accuracy.ciHigh, 1.0);
        for (ReportFormat f : {ReportFormat::Table, ReportFormat::Markdown, ReportFormat::Csv,
                               ReportFormat::Latex, ReportFormat::Json}) {
            const QString text = QString::fromStdString(formatReport(report, f));
            const bool listed = text.contains("repeats: 1") || text.contains(",2 3,1") ||
                                text.contains("\"repeat_ids\": [\n        1");
            QVERIFY2(listed, qPrintable(QString(toString(f)) + "\n" + text));
        }
    }

    // Row ids count measured rows only: the same with or without the study's.
    void rowIdsSkipReferenceRows() {
        std::vector<std::string> with, without;
        for (const auto& row : buildReport(sampleRuns()).rows)
            with.push_back(row.id);
        for (const auto& row : buildReport(sampleRuns(), ReportOptions{false}).rows)
            without.push_back(row.id);
        QCOMPARE(with, (std::vector<std::string>{"r1", "ref", "r2", "r3"}));
        QCOMPARE(without, (std::vector<std::string>{"r1", "r2", "r3"}));
    }

    void latexCompiles() {
        const QString pdflatex = QStandardPaths::findExecutable("pdflatex");
        if (pdflatex.isEmpty()) {
            QSKIP("pdflatex is not installed (tools/setup.sh installs texlive-latex-base)");
        }
        QTemporaryDir dir;
        auto store = RunStore::open(dir.filePath("r.db").toStdString());
        auto runs = store.listRuns();
        std::int64_t id = 100;
        for (const auto& arch : {"lstm", "gru", "deep_lstm", "bilstm", "convlstm", "mean_pool"}) {
            for (int fold = 0; fold < 2; ++fold) {
                auto r = completed(id++, arch, 512, 0.7612 + 0.01 * fold, 0.7531 - 0.02 * fold,
                                   1778.58 + 300 * fold, "random", false);
                r.params = 18882059;
                r.layers = std::string(arch) == "deep_lstm" ? 3 : 1;
                runs.push_back(r);
            }
        }
        const std::string table = formatReport(buildReport(runs), ReportFormat::Latex);
        QFile t(dir.filePath("table.tex"));
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write(QByteArray::fromStdString(table));
        t.close();
        QFile doc(dir.filePath("doc.tex"));
        QVERIFY(doc.open(QIODevice::WriteOnly));
        doc.write(
            "\\documentclass[a4paper]{article}\n\\usepackage{booktabs}\n"
            "\\usepackage{graphicx}\n\\begin{document}\n\\input{table.tex}\n"
            "\\input{table.tex}\n\\end{document}\n");
        doc.close();
        QProcess latex;
        latex.setWorkingDirectory(dir.path());
        latex.start(pdflatex, {"-interaction=nonstopmode", "-halt-on-error", "doc.tex"});
        QVERIFY(latex.waitForFinished(120000));
        const QString log = QString::fromUtf8(latex.readAllStandardOutput());
        QVERIFY2(latex.exitCode() == 0, qPrintable(log.right(2000)));
        QVERIFY2(!log.contains("Overfull"), qPrintable(log.right(2000)));
        QVERIFY(QFileInfo(dir.filePath("doc.pdf")).size() > 1000);
    }

    void json() {
        QJsonParseError error;
        auto doc = QJsonDocument::fromJson(format(ReportFormat::Json).toUtf8(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonArray rows = doc.object()["rows"].toArray();
        QCOMPARE(rows.size(), 4);
        const QJsonObject gru = rows[2].toObject();
        QCOMPARE(gru["arch"].toString(), QString("gru"));
        QCOMPARE(gru["n"].toInt(), 3);
        QVERIFY(std::abs(gru["accuracy"].toObject()["std"].toDouble() - 0.06) < 1e-12);
        QVERIFY(rows[3].toObject()["leaking"].toBool());
        QVERIFY(rows[1].toObject()["reference"].toBool());
        QVERIFY(rows[3].toObject()["accuracy"].toObject()["std"].isNull());
        QVERIFY(doc.object()["notes"].toArray().size() >= 3);
    }

    void formatNames() {
        QCOMPARE(reportFormatFromString("latex"), ReportFormat::Latex);
        try {
            reportFormatFromString("pdf");
            QFAIL("pdf accepted");
        } catch (const ConfigError& e) {
            QVERIFY2(std::string(e.what()).find("markdown") != std::string::npos, e.what());
        }
    }

    // From a real store: the 16 study rows and a measured run side by side.
    void fromStore() {
        QTemporaryDir dir;
        auto store = RunStore::open(dir.filePath("r.db").toStdString());
        TrainConfig config;
        config.arch = "deep_lstm";
        config.hidden = 64;
        config.split = "random";
        RunMeta meta;
        meta.params = 181963;
        auto id = store.createRun(config, meta);
        RunResult result;
        result.trainSeconds = 3;
        result.evaluation = evaluate({0, 1}, {0, 1}, 2);
        store.completeRun(id, result);
        Report report = buildReport(store.listRuns());
        QCOMPARE(report.rows.size(), size_t(17));
        const ReportRow* measured = findRow(report, "deep_lstm", false, "random");
        QVERIFY(measured);
        QCOMPARE(measured->type, std::string("Deep LSTM (2 layers)"));
        QVERIFY(measured->leaking);
        QVERIFY(!measured->pretrained);
        QCOMPARE(measured->accuracy.mean, 1.0);
        QVERIFY(report.rows[8].reference && report.rows[8].arch == "deep_lstm");
        QCOMPARE(&report.rows[9], measured);
    }

    // Which classes need order: per class name over the rows' runs, the
    // order-reading models apart from the order-blind, highest first; in
    // every format but CSV (one table a file).
    void classOrderFromStore() {
        QTemporaryDir dir;
        auto store = RunStore::open(dir.filePath("c.db").toStdString());
        const std::vector<int> truth{0, 0, 1, 1, 2, 2};
        auto complete = [&](const std::string& arch, int seed, const std::vector<int>& reversed,
                            const std::vector<int>& shuffled) {
            TrainConfig config;
            config.arch = arch;
            config.hidden = 64;
            config.seed = seed;
            RunMeta meta;
            meta.classNames = {"opening", "closing", "other"};
            const auto id = store.createRun(config, meta);
            RunResult result;
            result.evaluation = evaluate(truth, truth, 3);
            result.order = orderDiagnostics(result.evaluation, evaluate(truth, reversed, 3),
                                            evaluate(truth, shuffled, 3));
            result.order->shuffledFlips = clipFlips(truth, truth, shuffled);
            result.order->reversedFlips = clipFlips(truth, truth, reversed);
            store.completeRun(id, result);
        };
        // Reversed, opening and closing swap; shuffled, half of each (seed 1)
        // or all of opening and half of closing (seed 2) go wrong.
        complete("gru", 1, {1, 1, 0, 0, 2, 2}, {0, 1, 1, 0, 2, 2});
        complete("gru", 2, {1, 1, 0, 0, 2, 2}, {1, 1, 1, 0, 2, 2});
        complete("mean_pool", 1, truth, truth);
        RunFilter trained;
        trained.kind = RunKind::Trained;
        Report report = buildReport(store.listRuns(trained), ReportOptions{false});
        addClassOrder(report, store);
        QCOMPARE(report.classOrder.size(), size_t(3));
        const ClassOrderRow& first = report.classOrder[0];
        QCOMPARE(first.name, std::string("opening"));
        QCOMPARE(first.support, std::int64_t(2));
        QCOMPARE(first.shuffled.n, 2);
        QCOMPARE(first.shuffled.mean, 0.75);
        // 0.5 and 1.0: t(0.975, 1) makes the interval far wider than a
        // recall difference can be; it is cut to [-1, 1].
        QCOMPARE(*first.shuffled.ciLow, -1.0);
        QCOMPARE(*first.shuffled.ciHigh, 1.0);
        QCOMPARE(first.reversed.mean, 1.0);
        QCOMPARE(first.blindShuffled.n, 1);
        QCOMPARE(first.blindShuffled.mean, 0.0);
        QCOMPARE(report.classOrder[1].name, std::string("closing"));
        QCOMPARE(report.classOrder[1].shuffled.mean, 0.5);
        QCOMPARE(report.classOrder[2].name, std::string("other"));
        QCOMPARE(report.classOrder[2].shuffled.mean, 0.0);
        QVERIFY(report.classOrderNotes.at(0).find("2 runs of the models that read order") !=
                std::string::npos);
        // Each single-run row's interval is over its clips now.
        for (const ReportRow& row : report.rows) {
            QVERIFY(row.orderReliance.ciLow.has_value());
        }
        const QString text = QString::fromStdString(formatReport(report, ReportFormat::Table));
        QVERIFY(text.contains("Order reliance by class"));
        QVERIFY2(text.indexOf("opening") < text.indexOf("closing"), qPrintable(text));
        QVERIFY(QString::fromStdString(formatReport(report, ReportFormat::Markdown))
                    .contains("Order reliance by class"));
        const QString latex = QString::fromStdString(formatReport(report, ReportFormat::Latex));
        QCOMPARE(latex.count("\\begin{table}"), 2);
        QVERIFY(
            !QString::fromStdString(formatReport(report, ReportFormat::Csv)).contains("opening"));
        const auto json = QJsonDocument::fromJson(
                              QByteArray::fromStdString(formatReport(report, ReportFormat::Json)))
                              .object();
        const QJsonArray classes = json["class_order"].toArray();
        QCOMPARE(classes.size(), 3);
        QCOMPARE(classes[0].toObject()["class"].toString(), QString("opening"));
        QCOMPARE(classes[0].toObject()["shuffled"].toObject()["mean"].toDouble(), 0.75);
    }

    // Classes of the same name on two data sets are two rows each, with a
    // data column; one data set has no such column.
    void classOrderKeepsDataSetsApart() {
        QTemporaryDir dir;
        auto store = RunStore::open(dir.filePath("d.db").toStdString());
        const std::vector<int> truth{0, 0, 1, 1};
        auto complete = [&](const std::string& dataset, const std::vector<int>& shuffled) {
            TrainConfig config;
            config.dataset = dataset;
            config.arch = "gru";
            config.hidden = 64;
            RunMeta meta;
            meta.classNames = {"opening", "closing"};
            const auto id = store.createRun(config, meta);
            RunResult result;
            result.evaluation = evaluate(truth, truth, 2);
            result.order = orderDiagnostics(result.evaluation, evaluate(truth, truth, 2),
                                            evaluate(truth, shuffled, 2));
            store.completeRun(id, result);
        };
        complete("/data/doors", {1, 1, 1, 1});  // opening needs order here
        complete("/data/boxes", {0, 0, 1, 1});  // nothing does here
        RunFilter trained;
        trained.kind = RunKind::Trained;
        Report report = buildReport(store.listRuns(trained), ReportOptions{false});
        addClassOrder(report, store);
        QCOMPARE(report.classOrder.size(), size_t(4));
        QCOMPARE(report.classOrder[0].name, std::string("opening"));
        QVERIFY2(QString::fromStdString(report.classOrder[0].data).contains("doors"),
                 report.classOrder[0].data.c_str());
        QCOMPARE(report.classOrder[0].shuffled.mean, 1.0);
        for (const ClassOrderRow& c : report.classOrder) {
            QCOMPARE(c.shuffled.n, 1);  // never pooled across the two
            if (QString::fromStdString(c.data).contains("boxes")) {
                QCOMPARE(c.shuffled.mean, 0.0);
            }
        }
        const QString text = QString::fromStdString(formatReport(report, ReportFormat::Table));
        const QString classes = text.mid(text.indexOf("Order reliance by class"));
        QVERIFY2(classes.contains(QRegularExpression("class\\s+data\\s+clips")),
                 qPrintable(classes));
        QVERIFY(classes.contains("2 data sets"));
        const auto json = QJsonDocument::fromJson(
                              QByteArray::fromStdString(formatReport(report, ReportFormat::Json)))
                              .object();
        QVERIFY(json["class_order"].toArray()[0].toObject()["data"].toString().contains("doors"));

        auto doors = store.listRuns(trained);
        doors.erase(
            std::remove_if(doors.begin(), doors.end(),
                           [](const RunRecord& r) { return r.config.dataset != "/data/doors"; }),
            doors.end());
        QCOMPARE(doors.size(), size_t(1));
        Report one = buildReport(doors, ReportOptions{false});
        addClassOrder(one, store);
        QCOMPARE(one.classOrder.size(), size_t(2));
        const QString oneText = QString::fromStdString(formatReport(one, ReportFormat::Table));
        QVERIFY2(!oneText.mid(oneText.indexOf("Order reliance by class"))
                      .contains(QRegularExpression("class\\s+data")),
                 qPrintable(oneText));
    }
};

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
