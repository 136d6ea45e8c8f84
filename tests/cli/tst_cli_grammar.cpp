// One CLI grammar: global options (--db, --threads, --quiet) before or after
// the command, list options by spaces or commas alike, progress written as
// lines (no carriage returns) when stderr is not a terminal, and train,
// extract and sweep saying which settings they took from --preset.
#include <QtTest>

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include "cliutil.h"

using vidrnn::test::parseJson;
using vidrnn::test::runCli;

class TestCliGrammar : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    QString mDemo, mDb, mCache;
    QStringList mData;  // small and fast data settings

    vidrnn::test::CliResult cli(const QStringList& args) {
        auto r = runCli(args, mDir.path());
        if (r.exitCode != 0) {
            qWarning().noquote() << "vidrnn" << args.join(' ') << "failed:" << r.err;
        }
        return r;
    }

    int runsIn(const QString& db) {
        auto r = cli({"runs", "list", "--json", "--status", "completed", "--db", db});
        return r.exitCode == 0 ? int(parseJson(r.out).array().size()) : -1;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        mDemo = mDir.filePath("demo");
        mDb = mDir.filePath("runs.db");
        mCache = mDir.filePath("cache");
        mData = {"--data",   mDemo, "--size",  "32",     "--frames", "4", "--cache", mCache,
                 "--device", "cpu", "--split", "random", "--epochs", "1", "--batch", "8"};
        QCOMPARE(cli({"data", "generate", "--out", mDemo, "--preset", "tiny", "--quiet"}).exitCode,
                 0);
    }

    // Global options after the command, and after a nested command.
    void globalsAfterCommand() {
        auto r = cli(QStringList{"train", "--arch", "gru", "--hidden", "8"} + mData +
                     QStringList{"--db", mDb, "--threads", "2", "--quiet", "--json"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData());  // --quiet after the command counts
        QCOMPARE(parseJson(r.out).object()["status"].toString(), QString("completed"));
        QCOMPARE(runsIn(mDb), 1);  // written to --db given after the command

        auto before = cli({"--db", mDb, "runs", "list", "--json"});
        auto after = cli({"runs", "list", "--json", "--db", mDb});
        QCOMPARE(after.exitCode, 0);
        QCOMPARE(after.out, before.out);
        auto report = cli({"report", "--format", "csv", "--db", mDb});
        QCOMPARE(report.exitCode, 0);
        QVERIFY(report.out.contains("gru"));
        auto check = cli({"store", "check", "--db", mDb, "--quiet"});
        QCOMPARE(check.exitCode, 0);
        QVERIFY2(check.out.contains("ok"), check.out.constData());
        QCOMPARE(cli({"info", "--json", "--threads", "1"}).exitCode, 0);
        QCOMPARE(cli({"data", "scan", mDemo, "--json", "--quiet"}).exitCode, 0);
        QCOMPARE(cli({"extract", "--data", mDemo, "--size", "32", "--frames", "4", "--cache",
                      mCache, "--json", "--threads", "2", "--quiet"})
                     .exitCode,
                 0);
        // A misspelt option is still an error.
        auto bad = cli({"runs", "list", "--bogus", "--db", mDb});
        QVERIFY(bad.exitCode != 0);
        QVERIFY(bad.err.contains("bogus"));
    }

    // --archs gru,mean_pool --hidden 8,16 and the same by spaces.
    void listsByCommasOrSpaces() {
        const QString db = mDir.filePath("sweep.db");
        auto r = cli(QStringList{"sweep", "--archs", "gru,mean_pool", "--hidden", "8,16"} + mData +
                     QStringList{"--db", db, "--quiet"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(runsIn(db), 4);
        // The same grid by spaces: resumed, nothing new to train.
        auto again = cli(
            QStringList{"sweep", "--archs", "gru", "mean_pool", "--hidden", "8", "16", "--resume"} +
            mData + QStringList{"--db", db, "--quiet"});
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(runsIn(db), 4);
        // --folds split at commas: fold 99 is refused by number.
        auto folds =
            cli(QStringList{"sweep", "--archs", "gru", "--hidden", "8", "--folds", "0,99"} + mData +
                QStringList{"--db", db, "--quiet"});
        QVERIFY(folds.exitCode != 0);
        QVERIFY2(folds.err.contains("fold 99 does not exist"), folds.err.constData());

        auto commas = cli({"models", "--archs", "gru,lstm", "--hidden", "64,128", "--json"});
        auto spaces = cli({"models", "--archs", "gru", "lstm", "--hidden", "64", "128", "--json"});
        QCOMPARE(commas.exitCode, 0);
        QCOMPARE(parseJson(commas.out).array().size(), 4);
        QCOMPARE(commas.out, spaces.out);
    }

    // Not a terminal: progress as whole lines; the defaulted settings named.
    void progressAndDefaults() {
        auto r = cli(QStringList{"train", "--arch", "mean_pool", "--hidden", "8"} + mData +
                     QStringList{"--db", mDb});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.err.contains('\r'), r.err.left(300).constData());
        QVERIFY2(r.err.contains("scanning clips"), r.err.constData());
        QVERIFY2(r.err.contains("train: not given, from preset user"), r.err.constData());
        QVERIFY(r.err.contains("fold 0"));
        QVERIFY(r.err.contains("patience 8"));
        QVERIFY(!r.err.contains("frames 16"));  // given on the command line

        auto demo = cli({"extract", "--data", mDemo, "--size", "32", "--cache", mCache, "--preset",
                         "demo", "--json", "--db", mDb});
        QCOMPARE(demo.exitCode, 0);
        QVERIFY2(demo.err.contains("extract: not given, from preset demo: frames 12"),
                 demo.err.constData());
        QVERIFY(!demo.err.contains('\r'));
        auto unknown = cli({"extract", "--data", mDemo, "--preset", "paper"});
        QVERIFY(unknown.exitCode != 0);
    }
};

QTEST_GUILESS_MAIN(TestCliGrammar)
#include "tst_cli_grammar.moc"
