// The bundled pretrained backbone through the CLI on real footage
// (../shared/data/real-clips; skipped when absent): extract with no
// --backbone uses MobileNetV2's vectors, a ConvLSTM run uses its maps, both
// are labelled "MobileNetV2 (ImageNet, pretrained)" in the run store, the
// report and `runs show`, and `vidrnn predict` classifies real clips with
// either run, frame by frame.
#include <QtTest>

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include "cliutil.h"
#include "testutil.h"

using vidrnn::test::parseJson;
using vidrnn::test::runCli;

namespace {
const QString kLabel = QStringLiteral("MobileNetV2 (ImageNet, pretrained)");
}

class TestCliPretrained : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    QString mClips, mDb, mCache;

    vidrnn::test::CliResult cli(const QStringList& args) {
        auto r = runCli(QStringList{"--quiet", "--threads", "2", "--db", mDb} + args, mDir.path(),
                        600000);
        if (r.exitCode != 0) {
            qWarning().noquote() << "vidrnn" << args.join(' ') << "failed:" << r.err;
        }
        return r;
    }

    QStringList data() const {
        return {"--data", mClips, "--frames", "4", "--cache", mCache, "--device", "cpu"};
    }

    qint64 trainRun(const QString& arch) {
        auto r = cli(QStringList{"train", "--arch", arch, "--hidden", "8", "--split", "random",
                                 "--epochs", "2", "--batch", "4", "--patience", "0", "--json"} +
                     data());
        if (r.exitCode != 0) {
            return -1;
        }
        const auto o = parseJson(r.out).object();
        if (o["backbone"].toString() != kLabel || o["status"].toString() != "completed") {
            qWarning() << "train:" << r.out;
            return -1;
        }
        return o["run_id"].toInteger();
    }

private Q_SLOTS:
    void initTestCase() {
        const auto shared = vidrnn::test::sharedDir();
        if (shared.empty() ||
            !QFileInfo::exists(QString::fromStdString((shared / "data" / "real-clips").string()))) {
            QSKIP("../shared/data/real-clips is absent");
        }
        QVERIFY(mDir.isValid());
        mClips = QString::fromStdString((shared / "data" / "real-clips").string());
        mDb = mDir.filePath("runs.db");
        mCache = mDir.filePath("cache");
    }

    void extractUsesThePretrainedVectors() {
        auto r = cli(QStringList{"extract", "--json"} + data());
        QCOMPARE(r.exitCode, 0);
        const auto o = parseJson(r.out).object();
        const auto b = o["backbone"].toObject();
        QCOMPARE(b["name"].toString(), QString("mobilenet_v2"));
        QCOMPARE(b["label"].toString(), kLabel);
        QVERIFY(b["pretrained"].toBool());
        QCOMPARE(b["kind"].toString(), QString("vector"));
        QCOMPARE(b["channels"].toInt(), 1280);
        QVERIFY(o["clips"].toInt() >= 10);
        qInfo("extract on real clips: %.1f frames/s end to end, %.1f in the backbone",
              o["frames_per_second"].toDouble(), o["backbone_frames_per_second"].toDouble());
    }

    void convlstmReadsMapsAndPredictWorks() {
        const qint64 convlstm = trainRun("convlstm");
        QVERIFY(convlstm > 0);
        const qint64 gru = trainRun("gru");
        QVERIFY(gru > 0);

        // The store, `runs show` and the report name the backbone.
        auto show = cli({"runs", "show", QString::number(convlstm), "--json"});
        QCOMPARE(show.exitCode, 0);
        const auto run = parseJson(show.out).object();
        QCOMPARE(run["backbone"].toString(), QString("mobilenet_v2"));
        QVERIFY(run["pretrained"].toBool());
        auto text = cli({"runs", "show", QString::number(convlstm)});
        QVERIFY2(text.out.contains(kLabel.toUtf8()), text.out.constData());
        auto report = cli({"report", "--format", "markdown"});
        QCOMPARE(report.exitCode, 0);
        QVERIFY2(report.out.contains(kLabel.toUtf8()), report.out.constData());
        QVERIFY(report.out.contains("1280"));

        // Any real clip, including ones no run was trained on (_other).
        QStringList videos;
        QDirIterator it(mClips + "/_other", {"*.mp4", "*.avi", "*.mkv"}, QDir::Files);
        while (it.hasNext() && videos.size() < 3) {
            videos << it.next();
        }
        videos << mClips + "/basketball/pexels_basketball_pavel_danilyuk.mp4";
        for (const qint64 id : {convlstm, gru}) {
            for (const auto& video : videos) {
                auto p = cli({"predict", video, "--run", QString::number(id), "--json"});
                QCOMPARE(p.exitCode, 0);
                const auto po = parseJson(p.out).object();
                QCOMPARE(po["backbone"].toString(), kLabel);
                QCOMPARE(po["frames"].toArray().size(), 4);
                const double prob = po["probability"].toDouble();
                QVERIFY(prob > 0.0 && prob <= 1.0);
            }
        }
        // The ConvLSTM run's checkpoint names the map form: predicting with it
        // needs the maps file, which the vector form does not share.
        QVERIFY(QDir(mCache).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size() >= 2);
    }
};

QTEST_GUILESS_MAIN(TestCliPretrained)
#include "tst_cli_pretrained.moc"
