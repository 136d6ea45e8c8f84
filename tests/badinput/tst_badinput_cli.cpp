// The bad-input suite against the real vidrnn binary: every input of the
// catalogue through the command a user would point at it. A usable input
// works (exit 0); a bad one ends with exit status 1 and "error: <input>:
// <reason>" on stderr, or, for one bad clip in a data set, a skip naming the
// clip and the reason. A crash shows as exit status -1 and fails.
#include <sys/stat.h>
#include <unistd.h>

#include <QtTest>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include "badinputrows.h"
#include "cliutil.h"
#include "unprivileged.h"

using vidrnn::test::BadInput;
using vidrnn::test::parseJson;

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// `base` with each "--flag value" pair of `over` replacing the same flag's value.
QStringList merged(QStringList base, const std::vector<std::string>& over) {
    for (std::size_t i = 0; i + 1 < over.size(); i += 2) {
        const QString flag = qs(over[i]);
        const int at = int(base.indexOf(flag));
        if (at >= 0) {
            base[at + 1] = qs(over[i + 1]);
        } else {
            base << flag << qs(over[i + 1]);
        }
    }
    return base;
}

}  // namespace

class TestBadInputCli : public vidrnn::test::BadInputSuite {
    Q_OBJECT
    QString mDb, mCache;
    QString mCheckpoint;  // of the run trained on the clean data set
    qint64 mRun = 0;
    int mCommands = 0;

    // Runs vidrnn quietly on the suite's store, as user nobody when asked
    // and we are root (root writes read-only files).
    vidrnn::test::CliResult cli(const QStringList& args, bool unprivileged = false) {
        ++mCommands;
        QProcess p;
        p.setWorkingDirectory(mDir.path());
        if (unprivileged && geteuid() == 0) {
            p.setChildProcessModifier([] {
                if (!vidrnn::test::becomeNobody()) {
                    _exit(99);
                }
            });
        }
        p.start(QStringLiteral(VIDRNN_CLI), QStringList{"--quiet", "--threads", "2"} + args);
        if (!p.waitForFinished(300000)) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                p.readAllStandardOutput(), p.readAllStandardError()};
    }

    // The built-in ResNet-18 unless a test brings its own backbone: tiny
    // frames, fast, and the same for every bad input.
    QStringList dataOptions(const QString& data,
                            const QString& backbone = QStringLiteral("resnet18")) const {
        return {"--data",  data,   "--size",   "32",  "--frames",   "4",
                "--cache", mCache, "--device", "cpu", "--backbone", backbone};
    }

    // Exit 0 for a usable input; exit 1 and "error: <path>: ...<reason>" for a bad one.
    void expect(const BadInput& b, const vidrnn::test::CliResult& r, const QString& what) {
        QVERIFY2(r.exitCode != -1, qPrintable(what + " crashed: " + r.err));
        if (b.expect == BadInput::Expect::Usable) {
            QVERIFY2(r.exitCode == 0, qPrintable(what + " refused a usable input: " + r.err));
            return;
        }
        QVERIFY2(r.exitCode == 1, qPrintable(what + QString(" exit %1: ").arg(r.exitCode) + r.err));
        QVERIFY2(r.err.startsWith("error: "), r.err.constData());
        const std::string message = r.err.mid(7).trimmed().toStdString();
        const std::string problem = vidrnn::test::checkMessage(b, message);
        QVERIFY2(problem.empty(), qPrintable(what + ": " + qs(problem)));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        QCOMPARE(chmod(mDir.path().toLocal8Bit().constData(), 0755), 0);
        mInputs = vidrnn::test::writeBadInputs(mDir.filePath("inputs").toStdString());
        mDb = mDir.filePath("runs.db");
        mCache = mDir.filePath("cache");
        // One run on the clean data set: predict and the checkpoint entries use it.
        auto r = cli(QStringList{"--db", mDb, "train", "--arch", "gru", "--hidden", "8", "--split",
                                 "random", "--epochs", "1", "--batch", "4", "--json"} +
                     dataOptions(qs(mInputs.cleanDataset)));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        mRun = parseJson(r.out).object()["run_id"].toInteger();
        auto show = cli({"--db", mDb, "runs", "show", QString::number(mRun), "--json"});
        QCOMPARE(show.exitCode, 0);
        mCheckpoint = parseJson(show.out).object()["checkpoint"].toString();
        QVERIFY(QFile::exists(mCheckpoint));
    }

    // predict on each bad video (the error for one clip given by name) and
    // on a few usable ones end to end; videosAsOneDataset extracts them all.
    void videos_data() {
        QTest::addColumn<int>("index");
        for (std::size_t i = 0; i < mInputs.inputs.size(); ++i) {
            const BadInput& b = mInputs.inputs[i];
            if (b.category == "video" &&
                (b.expect == BadInput::Expect::Error || b.id == "video/4k" ||
                 b.id == "video/variable-frame-rate" || b.id == "video/spaces-and-unicode")) {
                QTest::newRow(b.id.c_str()) << int(i);
            }
        }
    }
    void videos() {
        const BadInput& b = current();
        auto r =
            cli({"--db", mDb, "predict", qs(b.path), "--run", QString::number(mRun), "--json"});
        expect(b, r, "predict");
        if (b.expect == BadInput::Expect::Usable) {
            const auto o = parseJson(r.out).object();
            QVERIFY(o["total_frames"].toInteger() >= 1);
            QVERIFY(!o["frames"].toArray().isEmpty());
        }
    }

    // The videos as one data set: scanned (each bad clip skipped with its
    // reason, Latin-1 names included), then extracted.
    void videosAsOneDataset() {
        const QString root = qs(mInputs.videoDataset);
        auto scan = cli({"data", "scan", root, "--json"});
        QCOMPARE(scan.exitCode, 0);
        const auto o = parseJson(scan.out).object();
        QMap<QByteArray, QString> skipped;
        for (const auto& v : o["skipped"].toArray()) {
            skipped.insert(v.toObject()["path"].toString().toUtf8(),
                           v.toObject()["reason"].toString());
        }
        int usable = 0;
        for (const BadInput* b : mInputs.of("video")) {
            ++mTried;
            // JSON carries a Latin-1 name with U+FFFD in place of its bytes.
            const QByteArray key = QString::fromUtf8(QByteArray::fromStdString(b->path)).toUtf8();
            if (b->expect == BadInput::Expect::Usable) {
                ++usable;
                QVERIFY2(!skipped.contains(key), b->id.c_str());
            } else {
                QVERIFY2(skipped.contains(key), b->id.c_str());
                QVERIFY2(skipped[key].contains(qs(b->reason)), qPrintable(skipped[key]));
            }
        }
        QCOMPARE(o["clips"].toInt(), usable);
        auto extract = cli(QStringList{"extract", "--json"} + dataOptions(root));
        QVERIFY2(extract.exitCode == 0, extract.err.constData());
        QCOMPARE(parseJson(extract.out).object()["clips"].toInt(), usable);
    }

    // data scan, then train on what scans (train scans the same way: a data
    // set it refuses is refused with the message above).
    void datasets_data() { rows("dataset", true); }
    void datasets() {
        const BadInput& b = current();
        auto scan = cli({"data", "scan", qs(b.path), "--json"});
        expect(b, scan, "data scan");
        if (b.expect == BadInput::Expect::Error) {
            return;
        }
        const auto o = parseJson(scan.out).object();
        if (b.clips >= 0) {
            QCOMPARE(o["clips"].toInt(), b.clips);
        }
        QString said;
        for (const auto& n : o["notes"].toArray())
            said += n.toString() + "\n";
        for (const auto& s : o["skipped"].toArray())
            said += s.toObject()["reason"].toString() + "\n";
        QVERIFY2(said.contains(qs(b.note)), qPrintable(said));
        if (b.clips == 0) {
            BadInput none = b;
            none.expect = BadInput::Expect::Error;
            none.reason = "no usable clips";
            expect(
                none,
                cli(QStringList{"--db", mDb, "train", "--epochs", "1"} + dataOptions(qs(b.path))),
                "train");
            return;
        }
        auto train =
            cli(QStringList{"--db", mDb, "train", "--arch", "gru", "--hidden", "8", "--split",
                            "random", "--epochs", "1", "--batch", "4", "--json"} +
                dataOptions(qs(b.path)));
        QVERIFY2(train.exitCode == 0, train.err.constData());
        QCOMPARE(parseJson(train.out).object()["status"].toString(), QString("completed"));
    }

    // The same data set through a Latin-1 class and clip names: report and
    // runs list survive names that are not UTF-8.
    void latin1NamesReachTheStore() {
        auto list = cli({"--db", mDb, "runs", "list", "--json"});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(parseJson(list.out).isArray());
        QVERIFY(list.out.contains("\xef\xbf\xbd"));  // U+FFFD for each Latin-1 byte
        auto report = cli({"--db", mDb, "report", "--format", "json"});
        QCOMPARE(report.exitCode, 0);
        QVERIFY(parseJson(report.out).isObject());
    }

    void backbones_data() { rows("backbone", true); }
    void backbones() {
        const BadInput& b = current();
        auto r = cli(QStringList{"extract"} + dataOptions(qs(mInputs.cleanDataset), qs(b.path)));
        expect(b, r, "extract --backbone");
    }

    // Each checkpoint file named as the trained run's (--checkpoint, the
    // user's own choice): predict refuses what is not that run's model,
    // naming the checkpoint. (In place of the run's own file, any of them is
    // refused first for its sha256: tst_security.)
    void checkpoints_data() { rows("checkpoint", true); }
    void checkpoints() {
        const BadInput& b = current();
        const QString clip = qs(mInputs.cleanDataset) + "/run/alice/1.avi";
        auto r = cli({"--db", mDb, "predict", clip, "--run", QString::number(mRun), "--checkpoint",
                      qs(b.path)});
        expect(b, r, "predict with " + qs(b.id));
    }

    void stores_data() { rows("store", true); }
    void stores() {
        const BadInput& b = current();
        // Reading falls back to read-only where it may not write: a writing
        // command shows the refusal.
        auto r = b.unprivileged ? cli({"--db", qs(b.path), "runs", "annotate", "1", "x"}, true)
                                : cli({"--db", qs(b.path), "runs", "list", "--json"});
        expect(b, r, "runs");
        if (b.unprivileged) {
            BadInput browse = b;
            browse.expect = BadInput::Expect::Usable;
            expect(browse, cli({"--db", qs(b.path), "runs", "list"}, true),
                   "runs list (read-only)");
        }
    }

    // A store another program holds the write lock of: listing carries on at
    // once; training waits for the lock (10 s) and then says who holds it.
    void lockedStore() {
        ++mTried;
        const QString path = mDir.filePath("locked.db");
        QCOMPARE(cli({"--db", path, "runs", "list"}).exitCode, 0);
        const vidrnn::test::StoreLock lock(path.toStdString());
        BadInput b;
        b.path = path.toStdString();
        QElapsedTimer timer;
        timer.start();
        expect(b, cli({"--db", path, "runs", "list", "--json"}), "runs list on a locked store");
        QVERIFY2(timer.elapsed() < 8000, "listing waited for the writer");
        b.expect = BadInput::Expect::Error;
        b.reason = "locked by another program";
        expect(b,
               cli(QStringList{"--db", path, "train", "--arch", "gru", "--hidden", "8", "--split",
                               "random", "--epochs", "1"} +
                   dataOptions(qs(mInputs.cleanDataset))),
               "train on a locked store");
    }

    // Each bad setting through train and through sweep (one small cell, so
    // that a setting let through would not start the study's grid).
    void settings_data() { rows("setting", true); }
    void settings() {
        const BadInput& b = current();
        const QStringList data = dataOptions(qs(mInputs.cleanDataset));
        const QStringList cell = {"--split", "random", "--epochs", "1"};
        expect(b,
               cli(QStringList{"--db", mDb, "train"} +
                   merged(QStringList{"--arch", "gru", "--hidden", "8"} + cell + data, b.args)),
               "train");
        std::vector<std::string> sweepArgs;
        for (std::size_t i = 0; i < b.args.size(); i += 2) {
            const std::string& flag = b.args[i];
            if (flag == "--dropout") {
                return;  // not a sweep option
            }
            sweepArgs.push_back(flag == "--arch" ? "--archs" : flag == "--fold" ? "--folds" : flag);
            sweepArgs.push_back(b.args[i + 1]);
        }
        expect(b,
               cli(QStringList{"--db", mDb, "sweep"} +
                   merged(QStringList{"--archs", "gru", "--hidden", "8"} + cell + data, sweepArgs)),
               "sweep");
    }

    void cleanupTestCase() {
        qInfo("bad inputs tried through the CLI: %d, in %d vidrnn commands", mTried, mCommands);
        vidrnn::test::removeBadInputs(mInputs);
    }
};

QTEST_GUILESS_MAIN(TestBadInputCli)
#include "tst_badinput_cli.moc"
