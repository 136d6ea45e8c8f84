// The CLI end to end on tiny generated data: data, extract, train, runs,
// predict, sweep (and resume), report. Real videos, real training, a real
// SQLite file; every JSON output parsed and checked.
#include <QtTest>

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include "cliutil.h"
#include "vidrnn/archs.h"

using vidrnn::test::parseJson;
using vidrnn::test::runCli;

class TestCliPipeline : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    QString mDemo, mDb, mCache;
    QStringList mCommon;  // data options shared by extract/train/sweep

    vidrnn::test::CliResult cli(const QStringList& args) {
        auto r = runCli(QStringList{"--quiet", "--threads", "2", "--db", mDb} + args, mDir.path());
        if (r.exitCode != 0) {
            qWarning().noquote() << "vidrnn" << args.join(' ') << "failed:" << r.err;
        }
        return r;
    }

    int countRuns(const QString& status) {
        auto r = cli({"runs", "list", "--json", "--status", status});
        return r.exitCode == 0 ? int(parseJson(r.out).array().size()) : -1;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        mDemo = mDir.filePath("demo");
        mDb = mDir.filePath("runs.db");
        mCache = mDir.filePath("cache");
        mCommon = {"--data",  mDemo,  "--size",   "32",  "--frames",   "4",
                   "--cache", mCache, "--device", "cpu", "--backbone", "resnet18"};
        auto r = cli({"data", "generate", "--out", mDemo, "--preset", "tiny", "--json"});
        QCOMPARE(r.exitCode, 0);
    }

    void scan() {
        auto r = cli({"data", "scan", mDemo, "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto o = parseJson(r.out).object();
        QCOMPARE(o["layout"].toString(), QString("ucf11"));
        QCOMPARE(o["classes"].toArray().size(), 11);
        QVERIFY(o["clips"].toInt() >= 22);
        QCOMPARE(o["skipped"].toArray().size(), 0);
    }

    void extractTwice() {
        auto first = cli(QStringList{"extract", "--json"} + mCommon);
        QCOMPARE(first.exitCode, 0);
        const auto a = parseJson(first.out).object();
        QVERIFY(a["computed"].toInt() > 0);
        QCOMPARE(a["cached"].toInt(), 0);
        QVERIFY(a["frames_per_second"].toDouble() > 0);
        QCOMPARE(a["backbone"].toObject()["pretrained"].toBool(), false);
        auto second = cli(QStringList{"extract", "--json"} + mCommon);
        QCOMPARE(second.exitCode, 0);
        const auto b = parseJson(second.out).object();
        QCOMPARE(b["computed"].toInt(), 0);
        QCOMPARE(b["cached"].toInt(), a["computed"].toInt());
    }

    void trainShowPredict() {
        auto r = cli(QStringList{"train", "--arch", "gru", "--hidden", "8", "--split", "random",
                                 "--epochs", "2", "--batch", "8", "--json"} +
                     mCommon);
        QCOMPARE(r.exitCode, 0);
        const auto o = parseJson(r.out).object();
        for (const char* key : {"run_id", "params", "train_seconds", "accuracy", "macro_f1"}) {
            QVERIFY2(o.contains(key), key);
        }
        QCOMPARE(o["status"].toString(), QString("completed"));
        // auto: one precision per architecture, bf16 wherever the CPU has it natively.
        const auto info = parseJson(cli({"info", "--json"}).out).object();
        const QString expected = info["native_bf16"].toString().startsWith("none")
                                     ? QStringLiteral("fp32")
                                     : QStringLiteral("bf16");
        QCOMPARE(o["precision"].toString(), expected);
        const auto id = o["run_id"].toInteger();
        QVERIFY(id > 16);  // after the 16 reference rows
        // gru hidden 8 over 512-d features, 11 classes: 3*8*(512+8+2) + 8*11+11
        QCOMPARE(o["params"].toInteger(), qint64(3 * 8 * (512 + 8 + 2) + 8 * 11 + 11));
        QVERIFY(o["accuracy"].toDouble() >= 0.0 && o["accuracy"].toDouble() <= 1.0);

        auto show = cli({"runs", "show", QString::number(id), "--json"});
        QCOMPARE(show.exitCode, 0);
        QVERIFY(show.out.contains("completed"));
        QVERIFY(show.out.contains("confusion"));
        QVERIFY(show.out.contains(QStringLiteral("\"precision\": \"%1\"").arg(expected).toUtf8()));
        auto list = cli({"runs", "list"});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains("precision"));

        const auto video =
            QDir(mDemo + "/diving").entryList(QDir::Dirs | QDir::NoDotAndDotDot).first();
        const auto clipDir = QDir(mDemo + "/diving/" + video);
        const auto clip = clipDir.filePath(clipDir.entryList({"*.avi"}).first());
        auto p = cli({"predict", clip, "--run", QString::number(id), "--json"});
        QCOMPARE(p.exitCode, 0);
        const auto po = parseJson(p.out).object();
        const auto frames = po["frames"].toArray();
        QVERIFY(frames.size() >= 1 && frames.size() <= 4);
        for (const auto& f : frames) {
            QVERIFY(f.toObject().contains("class"));
            const double prob = f.toObject()["probability"].toDouble();
            QVERIFY(prob > 0.0 && prob <= 1.0);
        }
        QCOMPARE(po["probabilities"].toArray().size(), 11);
    }

    // Trained again from the stored record: the same bits on the same
    // machine; in another precision (where this CPU has bf16) the check
    // lists the numbers that moved and the provenance that differs.
    void rerunCheck() {
        auto t = cli(QStringList{"train", "--arch", "gru", "--hidden", "8", "--split", "random",
                                 "--epochs", "2", "--batch", "8", "--precision", "fp32", "--json"} +
                     mCommon);
        QCOMPARE(t.exitCode, 0);
        const QString id = QString::number(parseJson(t.out).object()["run_id"].toInteger());
        // Order diagnostics and provenance, in the JSON and the text.
        auto show = cli({"runs", "show", id, "--json"});
        QCOMPARE(show.exitCode, 0);
        const auto shown = parseJson(show.out).object();
        QVERIFY(shown["order_reliance"].isDouble());
        QVERIFY(shown["shuffled_accuracy"].isDouble());
        QCOMPARE(shown["order_classes"].toArray().size(), 11);
        const auto provenance = shown["provenance"].toObject();
        QCOMPARE(provenance["threads"].toString(), QString("2"));
        QCOMPARE(provenance["device"].toString(), QString("cpu"));
        QCOMPARE(provenance["precision"].toString(), QString("fp32"));
        QCOMPARE(provenance["qt"].toString(), QString("none"));  // the CLI links no Qt
        QVERIFY(!provenance["libtorch"].toString().isEmpty());
        auto text = cli({"runs", "show", id});
        QVERIFY(text.out.contains("order reliance"));
        QVERIFY(text.out.contains("provenance"));

        auto r = cli({"runs", "rerun", id, "--check"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(": identical"), r.out.constData());
        auto info = cli({"info", "--json"});
        if (parseJson(info.out).object()["native_bf16"].toString().startsWith("none")) {
            QSKIP("no native bf16 on this CPU: the precision half needs it");
        }
        r = cli({"runs", "rerun", id, "--check", "--precision", "bf16"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("epoch 1 train loss"), r.out.constData());
        QVERIFY2(r.out.contains("precision: fp32 vs bf16"), r.out.constData());
        QVERIFY(!r.out.contains(": identical"));
    }

    void sweepResumeReport() {
        const QStringList grid = {"sweep", "--archs", "gru",     "mean_pool", "--hidden",
                                  "8",     "16",      "--split", "random",    "--epochs",
                                  "1",     "--batch", "8"};
        const int before = countRuns("completed");
        auto r = cli(grid + mCommon + QStringList{"--json"});
        QCOMPARE(r.exitCode, 0);
        const auto rows = parseJson(r.out).object()["rows"].toArray();
        QVERIFY(rows.size() >= 4);
        QCOMPARE(countRuns("completed"), before + 4);
        // Resuming a finished grid trains nothing new.
        auto again = cli(grid + mCommon + QStringList{"--resume"});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(countRuns("completed"), before + 4);

        for (const char* format : {"table", "markdown", "csv", "latex", "json"}) {
            auto rep = cli({"report", "--format", format});
            QCOMPARE(rep.exitCode, 0);
            QVERIFY2(!rep.out.isEmpty(), format);
        }
        auto md = cli({"report", "--format", "markdown"});
        QVERIFY(md.out.contains("|---") || md.out.contains("| ---") || md.out.contains("|:--"));
        QVERIFY(md.out.contains("leaking"));  // random splits are marked
        QVERIFY(md.out.contains("not pretrained"));
    }

    // The main job on the tiny preset: the default grid (4 runs per
    // architecture of the default sweep), the report with the reference rows,
    // and the temporal-order pair per architecture.
    void demoTiny() {
        auto r = cli({"demo", "--out", mDir.filePath("demo-tiny"), "--preset", "tiny", "--epochs",
                      "1", "--size", "32", "--cache", mCache, "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto o = parseJson(r.out).object();
        const auto pair = o["temporal_pair"].toArray();
        const auto swept = static_cast<qsizetype>(vidrnn::defaultSweepArchs().size());
        QCOMPARE(pair.size(), swept);
        for (const auto& row : pair) {
            QCOMPARE(row.toObject()["runs"].toInt(), 4);
            QVERIFY(row.toObject().contains("trampoline_jumping_f1"));
        }
        int measured = 0, reference = 0;
        for (const auto& row : o["rows"].toArray()) {
            (row.toObject()["reference"].toBool() ? reference : measured) += 1;
        }
        QCOMPARE(measured, 4 * swept);
        QCOMPARE(reference, 16);
        // Again: the finished grid is reused, nothing retrained.
        const int before = countRuns("completed");
        QCOMPARE(cli({"demo", "--out", mDir.filePath("demo-tiny"), "--preset", "tiny", "--epochs",
                      "1", "--size", "32", "--cache", mCache})
                     .exitCode,
                 0);
        QCOMPARE(countRuns("completed"), before);
    }

    // Issue 15: the study protocol on the tiny demo (2 groups: 2 folds x 3
    // seeds = 6 matched pairs), then `compare` and `report --pairs` on it;
    // every run keeps its early-classification curve.
    void studyCompareAndPairs() {
        const QString data = mDemo;  // the tiny preset: 2 groups
        auto r = cli({"study",   "--preset",      "demo",     "--data", data,
                      "--archs", "gru,mean_pool", "--hidden", "8",      "--seeds",
                      "3",       "--epochs",      "1",        "--size", "32",
                      "--split", "logo",          "--cache",  mCache,   "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto o = parseJson(r.out).object();
        QCOMPARE(o["rows"].toArray().size(), 2);
        for (const auto& row : o["rows"].toArray()) {
            QCOMPARE(row.toObject()["n"].toInt(), 6);
            QCOMPARE(row.toObject()["run_ids"].toArray().size(), 6);
        }
        const auto cmp = o["comparisons"].toArray();
        QCOMPARE(cmp.size(), 1);
        QCOMPARE(cmp[0].toObject()["pairs"].toArray().size(), 6);
        QVERIFY(cmp[0].toObject()["accuracy"].toObject()["wilcoxon"].isObject());
        const QString sweep = QString::number(o["sweep_id"].toInt());

        auto c = cli({"compare", "r1", "r2", "--sweep", sweep});
        QCOMPARE(c.exitCode, 0);
        QVERIFY2(c.out.contains("p Wilcoxon") && c.out.contains("95% t confidence"), c.out + c.err);
        auto bad = cli({"compare", "r1", "r9", "--sweep", sweep});
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.contains("error: no report row 'r9'"), bad.err);
        auto pairs = cli({"report", "--pairs", "all", "--format", "csv", "--sweep", sweep});
        QCOMPARE(pairs.exitCode, 0);
        QVERIFY(pairs.out.contains("accuracy_p_wilcoxon"));

        const qint64 run = o["rows"].toArray()[0].toObject()["run_ids"].toArray()[0].toInteger();
        auto show = cli({"runs", "show", QString::number(run), "--json"});
        QCOMPARE(show.exitCode, 0);
        const auto curve = parseJson(show.out).object()["early_curve"].toArray();
        QCOMPARE(curve.size(), 12);  // the demo preset's T
        QCOMPARE(curve.last().toObject()["fraction"].toDouble(), 1.0);
        QVERIFY(!parseJson(show.out).object()["dataset_fingerprint"].isNull());
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("hidden 0") << QStringList{"train", "--arch", "gru", "--hidden", "0"}
                                  << "hidden size must be positive";
        QTest::newRow("frames 0") << QStringList{"train", "--arch", "gru", "--frames", "0"}
                                  << "frames per clip";
        QTest::newRow("negative lr") << QStringList{"train", "--arch", "gru", "--lr", "-1"}
                                     << "learning rate must be positive";
        QTest::newRow("unknown arch")
            << QStringList{"train", "--arch", "rnnx"} << "unknown architecture 'rnnx'";
        QTest::newRow("missing fold")
            << QStringList{"train", "--arch", "gru", "--split", "logo", "--fold", "99"}
            << "fold 99 does not exist";
    }

    void errors() {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        auto r = runCli(QStringList{"--quiet", "--db", mDb} + args + QStringList{"--data", mDemo},
                        mDir.path());
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.startsWith("error: "), r.err.constData());
        QVERIFY2(QString::fromUtf8(r.err).contains(expected), r.err.constData());
    }

    // Class names come from folders or a manifest's labels, in any script:
    // the text tables of `runs show` stay aligned in display columns ("é" is
    // one column, two bytes), so every line of a table has the same width.
    void nonAsciiClassNamesAlign() {
        const QString label = QString::fromUtf8("plong\u00e9e \u00b1 \u00fc");
        const QString manifest = mDir.filePath("accents.csv");
        {
            QFile f(manifest);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("path,label,group\n");
            QDirIterator it(mDemo, {"*.avi"}, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QFileInfo clip(it.next());
                const QString group = clip.dir().dirName();
                QDir classDir = clip.dir();
                classDir.cdUp();
                const QString name = classDir.dirName() == "diving" ? label : classDir.dirName();
                f.write((clip.absoluteFilePath() + ',' + name + ',' + group + '\n').toUtf8());
            }
        }
        QStringList common = mCommon;
        common[common.indexOf("--data") + 1] = manifest;
        auto r = cli(QStringList{"train", "--arch", "mean_pool", "--hidden", "8", "--split",
                                 "random", "--epochs", "1", "--batch", "8", "--json"} +
                     common);
        QCOMPARE(r.exitCode, 0);
        const auto id = parseJson(r.out).object()["run_id"].toInteger();
        auto show = cli({"runs", "show", QString::number(id)});
        QCOMPARE(show.exitCode, 0);
        const QString text = QString::fromUtf8(show.out);
        QVERIFY(text.contains(label));
        for (const QString& heading :
             {QStringLiteral("per class\n"),
              QStringLiteral("confusion (rows: truth, columns: predicted)\n")}) {
            const int from = text.indexOf(heading);
            QVERIFY2(from >= 0, qPrintable(heading));
            const int end = text.indexOf("\n\n", from);
            const QStringList lines =
                text.mid(from + heading.size(), end < 0 ? -1 : end - from - heading.size())
                    .split('\n', Qt::SkipEmptyParts);
            QCOMPARE(lines.size(), 12);  // the header and 11 classes
            for (const QString& line : lines) {
                // Every character here is one UTF-16 unit: size() = columns.
                QVERIFY2(line.size() == lines.front().size(),
                         qPrintable(heading + lines.join('\n')));
            }
        }
    }

    void missingDataFolder() {
        auto r = runCli({"--quiet", "--db", mDb, "train", "--arch", "gru", "--data",
                         mDir.filePath("no-such-folder")},
                        mDir.path());
        QVERIFY(r.exitCode != 0);
        QVERIFY2(QString::fromUtf8(r.err).contains(mDir.filePath("no-such-folder")),
                 r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliPipeline)
#include "tst_cli_pipeline.moc"
