// The CLI end to end: the real binary, its exit codes and its JSON.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <fstream>

#include "cliutil.h"
#include "vidrnn/models.h"

using vidrnn::test::parseJson;
using vidrnn::test::runCli;

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void modelsJsonMatchesStudy() {
        auto r = runCli({"models", "--input-dim", "512", "--classes", "11", "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto rows = parseJson(r.out).array();
        QCOMPARE(rows.size(), static_cast<qsizetype>(vidrnn::architectures().size() * 4));
        QHash<QString, qint64> got;
        for (const auto& v : rows) {
            const auto o = v.toObject();
            QVERIFY(o.contains("arch") && o.contains("hidden") && o.contains("params"));
            got.insert(o["arch"].toString() + "/" + QString::number(o["hidden"].toInt()),
                       o["params"].toInteger());
        }
        const QHash<QString, qint64> study = {
            {"lstm/64", 148683},        {"lstm/128", 330123},       {"lstm/256", 791307},
            {"lstm/512", 2106891},      {"gru/64", 111691},         {"gru/128", 247947},
            {"gru/256", 594187},        {"gru/512", 1581579},       {"deep_lstm/64", 181963},
            {"deep_lstm/128", 462219},  {"deep_lstm/256", 1317643}, {"deep_lstm/512", 4208139},
            {"convlstm/64", 1328075},   {"convlstm/128", 2951051},  {"convlstm/256", 7081739},
            {"convlstm/512", 18882059},
        };
        for (auto it = study.begin(); it != study.end(); ++it) {
            QVERIFY2(got.contains(it.key()), qPrintable(it.key()));
            QCOMPARE(got[it.key()], it.value());
        }
        QVERIFY(got.contains("bilstm/128") && got.contains("mean_pool/512"));
    }

    void modelsTable() {
        auto r = runCli({"models", "--archs", "gru", "--hidden", "64", "--input-dim", "512"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("GRU"));
        QVERIFY(r.out.contains("111691"));
    }

    void info() {
        auto r = runCli({"--threads", "2", "info", "--json"});
        QCOMPARE(r.exitCode, 0);
        const auto o = parseJson(r.out).object();
        for (const char* key : {"libtorch", "threads", "blas", "cuda_compiled", "cuda_available",
                                "cuda_devices", "opencv", "sqlite", "cores", "native_bf16"}) {
            QVERIFY2(o.contains(key), key);
        }
        QCOMPARE(o["threads"].toInt(), 2);
        // auto's bf16 rule, one entry per architecture of the model zoo.
        const auto rule = o["auto_bf16_from_hidden"].toObject();
        QCOMPARE(rule.size(), static_cast<qsizetype>(vidrnn::architectures().size()));
        QCOMPARE(rule["convlstm"].toInt(), 1);
        QCOMPARE(rule["gru"].toInt(), 1);  // one precision at every size
        QCOMPARE(rule["deep_lstm"].toInt(), 1);
        QVERIFY2(o["libtorch"].toString().startsWith(QStringLiteral(VIDRNN_BUILT_TORCH)),
                 qPrintable(o["libtorch"].toString() + " vs " + VIDRNN_BUILT_TORCH));
        // The very library built against, not another LibTorch of the same
        // name found first (Debian's and PyPI's are both libtorch_cpu.so).
        QCOMPARE(QFileInfo(o["libtorch_library"].toString()).canonicalFilePath(),
                 QFileInfo(QStringLiteral(VIDRNN_BUILT_TORCH_CPU)).canonicalFilePath());
        // Compiled in is not available: no machine here has a GPU, and a
        // CUDA build must still say that it is one.
        QCOMPARE(o["cuda_compiled"].toBool(), VIDRNN_BUILT_TORCH_CUDA != 0);
        QCOMPARE(o["cuda_version"].isNull(), !o["cuda_compiled"].toBool());
        QVERIFY(o["cuda_compiled"].toBool() || !o["cuda_available"].toBool());
        // The graphed training step's capture code is compiled in exactly
        // where CUDA is (engine/src/ml/cuda/).
        QCOMPARE(o["cuda_graphs"].toString().startsWith("not compiled in"),
                 !o["cuda_compiled"].toBool());
        // Some BLAS is mapped into every LibTorch process here.
        QVERIFY2(o["blas"].toString().contains("blas"), qPrintable(o["blas"].toString()));
    }

    // OpenBLAS's own pool is held to one thread (LibTorch's threads do the
    // parallel work) unless the user set its thread count.
    void blasThreads() {
        auto env = QProcessEnvironment::systemEnvironment();
        for (const char* v : {"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"}) {
            env.remove(v);
        }
        auto r = runCli({"--threads", "2", "info", "--json"}, {}, 120000, env);
        QCOMPARE(r.exitCode, 0);
        const auto o = parseJson(r.out).object();
        QVERIFY(o.contains("blas_threads"));
        if (!o["blas"].toString().contains("openblas")) {
            QVERIFY(o["blas_threads"].isNull());
            QSKIP("the BLAS here is not OpenBLAS");
        }
        QCOMPARE(o["blas_threads"].toInt(), 1);
        env.insert("OPENBLAS_NUM_THREADS", "2");
        r = runCli({"--threads", "2", "info", "--json"}, {}, 120000, env);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(parseJson(r.out).object()["blas_threads"].toInt(), 2);
    }

    void helpOnEveryCommand_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("top") << QStringList{"--help"};
        QTest::newRow("models") << QStringList{"models", "--help"};
        QTest::newRow("info") << QStringList{"info", "--help"};
        QTest::newRow("data (a plugin)") << QStringList{"data", "scan", "--help"};
        QTest::newRow("train (a plugin)") << QStringList{"train", "--help"};
        QTest::newRow("store check") << QStringList{"store", "check", "--help"};
    }

    void helpOnEveryCommand() {
        QFETCH(QStringList, args);
        auto r = runCli(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Usage") || r.out.contains("Options"));
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown arch") << QStringList{"models", "--archs", "no_such_arch"}
                                      << "unknown architecture 'no_such_arch'";
        QTest::newRow("no command") << QStringList{} << "subcommand";
        QTest::newRow("bad option") << QStringList{"models", "--classes", "x"} << "classes";
        QTest::newRow("bad precision")
            << QStringList{"train", "--data",      "/nonexistent", "--arch",
                           "gru",   "--precision", "fp16"}
            << "precision 'fp16' is not one of fp32, bf16, auto";
    }

    void errors() {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        auto r = runCli(args);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(QString::fromUtf8(r.err).contains(expected), r.err.constData());
    }

    // SQL NULL is JSON null: the study states no fold, seed or owner for its rows.
    void referenceRowsHaveNullFoldSeedOwner() {
        QTemporaryDir dir;
        const QString db = dir.filePath("runs.db");
        auto r = runCli({"--db", db, "runs", "list", "--all", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray rows = parseJson(r.out).array();
        QCOMPARE(rows.size(), 16);
        for (const auto& row : rows) {
            const QJsonObject o = row.toObject();
            QCOMPARE(o["kind"].toString(), QString("reference"));
            for (const char* key : {"fold", "seed", "owner_pid", "started_at", "sweep_id"}) {
                QVERIFY2(o[key].isNull(), key);
            }
            QVERIFY(o["accuracy"].isDouble());
        }
        r = runCli({"--db", db, "runs", "list", "--json"});  // no runs of one's own
        QCOMPARE(r.out, QByteArray("[]\n"));
    }

    void storeCheck() {
        QTemporaryDir dir;
        const QString db = dir.filePath("runs.db");
        QCOMPARE(runCli({"--db", db, "runs", "list"}).exitCode, 0);  // creates it
        auto r = runCli({"--db", db, "store", "check"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("ok (integrity check passed, 16 runs)"), r.out.constData());
        {
            // Garbage over the middle of the file: a damaged b-tree page.
            std::fstream f(db.toStdString(), std::ios::in | std::ios::out | std::ios::binary);
            f.seekg(0, std::ios::end);
            const auto size = static_cast<long long>(f.tellg());
            f.seekp(size / 2 / 4096 * 4096);
            f << std::string(4096, '\xA5');
        }
        r = runCli({"--db", db, "store", "check"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.startsWith("error: " + db.toUtf8() + ": "), r.err.constData());
        QVERIFY2(r.err.contains("the store is damaged"), r.err.constData());
    }

    // Progress to a pipe or a file is a line per update, never a carriage
    // return (data generate and data scan had their own printer until issue
    // 24 that rewrote the line whatever stderr was); the last one is always
    // written, and --quiet writes none.
    void dataProgressWhenPiped() {
        QTemporaryDir dir;
        const QString demo = dir.filePath("demo");
        // Lines only, the last one "what N/N".
        auto linesEndingAtTotal = [](const QByteArray& err, const QString& what) {
            return !err.contains('\r') && QRegularExpression("(^|\n)" + what + " (\\d+)/\\2\n")
                                              .match(QString::fromUtf8(err))
                                              .hasMatch();
        };
        auto r = runCli({"data", "generate", "--out", demo, "--preset", "tiny"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(linesEndingAtTotal(r.err, "writing demo clips"), r.err.constData());
        r = runCli({"data", "scan", demo, "--json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(linesEndingAtTotal(r.err, "probing clips"), r.err.constData());
        r = runCli({"-q", "data", "scan", demo, "--json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.err.contains("probing clips"), r.err.constData());
    }

    // Commands that do not compute never map LibTorch (it costs them 0.4 s);
    // those that do load it from the plugin.
    void libTorchOnlyForComputing_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("torch");
        QTest::newRow("--version") << QStringList{"--version"} << false;
        QTest::newRow("runs list") << QStringList{"runs", "list", "--limit", "20"} << false;
        QTest::newRow("report") << QStringList{"report"} << false;
        QTest::newRow("models") << QStringList{"models"} << false;
        QTest::newRow("store check") << QStringList{"store", "check"} << false;
        QTest::newRow("info") << QStringList{"info"} << true;
        QTest::newRow("train --help") << QStringList{"train", "--help"} << true;
    }

    void libTorchOnlyForComputing() {
        QFETCH(QStringList, args);
        QFETCH(bool, torch);
        QTemporaryDir dir;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("LD_DEBUG", "files");
        auto r = runCli(QStringList{"--db", dir.filePath("runs.db")} + args, {}, 300000, env);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.err.contains("libtorch"), torch);
        if (!torch) {
            // Nor OpenCV's video I/O and what it drags in (FFmpeg, GDAL, GUI);
            // Debian's LibTorch itself needs highgui, so only here.
            QCOMPARE(r.err.contains("libopencv_videoio"), false);
            QCOMPARE(r.err.contains("libopencv_highgui"), false);
        }
    }

    // bf16 on a CPU without native bf16 (simulated) is refused before any
    // data is read, saying why and what to use instead; info says "none".
    void bf16RefusedWithoutNativeSupport() {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("VIDRNN_NATIVE_BF16", "0");
        auto r =
            runCli({"train", "--data", "/nonexistent", "--arch", "convlstm", "--precision", "bf16"},
                   {}, 120000, env);
        QVERIFY(r.exitCode != 0);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains("\nerror: precision bf16 needs a CPU with native bf16") ||
                     err.startsWith("error: precision bf16 needs a CPU with native bf16"),
                 r.err.constData());
        QVERIFY2(err.contains("--precision fp32 or auto"), r.err.constData());
        auto info = runCli({"info", "--json"}, {}, 120000, env);
        QCOMPARE(info.exitCode, 0);
        QVERIFY(parseJson(info.out).object()["native_bf16"].toString().startsWith("none"));
    }

    // One "name version" line for vidrnn and each library, vidrnn first.
    void version() {
        auto r = runCli({"--version"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("vidrnn "));
        const QStringList lines = QString::fromUtf8(r.out).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5);
        const QStringList names{"vidrnn", "Qt", "LibTorch", "OpenCV", "SQLite"};
        for (int i = 0; i < names.size(); ++i) {
#ifndef VIDRNN_HAS_GUI
            if (names[i] == "Qt") {  // a build without the workbench says so
                QCOMPARE(lines[i], QString("Qt none (built without vidrnn-workbench)"));
                continue;
            }
#endif
            QVERIFY2(QRegularExpression("^" + names[i] + " \\d+\\.\\d+").match(lines[i]).hasMatch(),
                     qPrintable(lines[i]));
        }
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
