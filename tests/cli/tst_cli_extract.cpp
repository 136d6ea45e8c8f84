// extract --shard I/N and one cache filled by several processes, then the
// extraction array sweep --slurm N writes (a dry run: the store is never
// opened, so no server is needed). Real videos, the built-in ResNet-18.
#include <QtTest>

#include <QDirIterator>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdlib>
#include <memory>
#include <vector>

#include "cliutil.h"

using vidrnn::test::parseJson;
using vidrnn::test::runCli;

class TestCliExtract : public QObject {
    Q_OBJECT
    QTemporaryDir mDir;
    QString mDemo;
    int mClips = 0;

    QStringList data(const QString& cache) const {
        return {"--data",  mDemo, "--size",   "32",  "--frames",   "4",
                "--cache", cache, "--device", "cpu", "--backbone", "resnet18"};
    }

    QJsonObject extract(const QString& cache, const QStringList& more = {}) {
        auto r = runCli(
            QStringList{"--quiet", "--threads", "1", "extract", "--json"} + data(cache) + more,
            mDir.path());
        if (r.exitCode != 0) {
            qWarning().noquote() << "extract" << more.join(' ') << "failed:" << r.err;
            return {};
        }
        return parseJson(r.out).object();
    }

    // Files in a key folder, by pattern.
    static int filesIn(const QString& keyDir, const QString& pattern) {
        return int(QDir(keyDir).entryList({pattern}, QDir::Files).size());
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        mDemo = mDir.filePath("demo");
        QCOMPARE(runCli({"-q", "data", "generate", "--out", mDemo, "--preset", "tiny"}).exitCode,
                 0);
        auto scan = runCli({"-q", "data", "scan", mDemo, "--json"});
        QCOMPARE(scan.exitCode, 0);
        mClips = parseJson(scan.out).object()["clips"].toInt();
        QVERIFY(mClips >= 22);
    }

    // Two shards one after the other: disjoint (the second finds nothing the
    // first made), together every clip once; a full extract then computes 0.
    void shardsCoverEveryClipOnce() {
        const QString cache = mDir.filePath("shards");
        const auto first = extract(cache, {"--shard", "0/2"});
        const auto second = extract(cache, {"--shard", "1/2"});
        QVERIFY(!first.isEmpty() && !second.isEmpty());
        QCOMPARE(first["shard"].toObject()["index"].toInt(), 0);
        QCOMPARE(second["shard"].toObject()["count"].toInt(), 2);
        const int a = first["computed"].toInt(), b = second["computed"].toInt();
        qInfo("%d clips: shard 0/2 computed %d, shard 1/2 computed %d", mClips, a, b);
        QVERIFY(a > 0 && b > 0);
        QCOMPARE(a + b, mClips);
        QCOMPARE(second["cached"].toInt(), 0);
        QCOMPARE(first["clips_in_other_shards"].toInt(), b);
        QCOMPARE(second["clips_in_other_shards"].toInt(), a);
        QVERIFY(std::abs(a - b) <= 1);  // every other clip

        const auto all = extract(cache);
        QCOMPARE(all["computed"].toInt(), 0);
        QCOMPARE(all["cached"].toInt(), mClips);
        const QString keyDir = all["cache_dir"].toString();
        QCOMPARE(filesIn(keyDir, "*.feat"), mClips);

        // The summary line says which shard.
        auto text = runCli(QStringList{"--quiet", "extract", "--shard", "1/2"} + data(cache));
        QCOMPARE(text.exitCode, 0);
        const QByteArray line = QString(
                                    "shard 1/2 (%1 of the data set's clips are in other "
                                    "shards): %2 clips with features (0 computed, %2 cached")
                                    .arg(a)
                                    .arg(b)
                                    .toUtf8();
        QVERIFY2(text.out.contains(line), text.out.constData());
    }

    // Three full extractions into one empty cache at once: each entry is
    // written to the writer's own temporary file and renamed, so none fails,
    // no temporary file is left, and every entry reads back valid.
    void concurrentWritersOfOneCache() {
        const QString cache = mDir.filePath("concurrent");
        std::vector<std::unique_ptr<QProcess>> writers;
        for (int i = 0; i < 3; ++i) {
            auto p = std::make_unique<QProcess>();
            p->start(QStringLiteral(VIDRNN_CLI),
                     QStringList{"--quiet", "--threads", "1", "extract"} + data(cache));
            writers.push_back(std::move(p));
        }
        for (auto& p : writers) {
            QVERIFY(p->waitForFinished(300000));
            QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0,
                     p->readAllStandardError().constData());
        }
        const auto after = extract(cache);
        QCOMPARE(after["computed"].toInt(), 0);
        QCOMPARE(after["recomputed"].toInt(), 0);  // no entry damaged
        QCOMPARE(after["cached"].toInt(), mClips);
        const QString keyDir = after["cache_dir"].toString();
        QCOMPARE(filesIn(keyDir, "*.feat"), mClips);
        QCOMPARE(filesIn(keyDir, "*.tmp*"), 0);
        QVERIFY(QFile::exists(keyDir + "/backbone.json"));
    }

    void badShardSpecs_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("reason");
        QTest::newRow("0/0") << "0/0"
                             << "does not exist";
        QTest::newRow("3/2") << "3/2"
                             << "does not exist";
        QTest::newRow("x") << "x"
                           << "not I/N";
        QTest::newRow("1/") << "1/"
                            << "not I/N";
        QTest::newRow("-1/2") << "-1/2"
                              << "not I/N";
        QTest::newRow("1.5/2") << "1.5/2"
                               << "not I/N";
    }

    // Refused before any data is read or any cache folder made.
    void badShardSpecs() {
        QFETCH(QString, spec);
        QFETCH(QString, reason);
        const QString cache = mDir.filePath("refused");
        auto r = runCli(QStringList{"--quiet", "extract", "--shard", spec} + data(cache));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.startsWith(("error: --shard '" + spec + "': ").toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains(reason.toUtf8()), r.err.constData());
        QVERIFY(!QFileInfo::exists(cache));
    }

    // sweep --slurm 3 --dry-run from an empty cache: the extraction array
    // (3 tasks, shard $SLURM_ARRAY_TASK_ID of 3, the workers' feature
    // settings), then the workers with afterok on it; --slurm-opt in both.
    void slurmExtractionArray() {
        const QString cache = mDir.filePath("empty");
        const QStringList sweep =
            QString(
                "-q --db postgresql://nobody@localhost/none sweep --archs gru --hidden 8 "
                "--slurm 3 --slurm-opt=--time=10 --dry-run")
                .split(' ');
        auto r = runCli(sweep + data(cache), mDir.path());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(
            out.contains(QString("# features resnet18: 0 of %1 clips in the cache").arg(mClips)),
            r.out.constData());
        const auto extractAt = out.indexOf("# ---- vidrnn-extract.sbatch");
        const auto workersAt = out.indexOf("# ---- vidrnn-sweep.sbatch");
        QVERIFY(extractAt >= 0 && workersAt > extractAt);
        const QString extraction = out.mid(extractAt, workersAt - extractAt);
        const QString workers = out.mid(workersAt);
        QVERIFY(extraction.contains("#SBATCH --job-name=vidrnn-extract\n#SBATCH --array=0-2\n"));
        QVERIFY2(extraction.contains(" extract --data '" + mDemo +
                                     "' --backbone 'resnet18' --size 32 --frames 4 --device "
                                     "'cpu' --cache '" +
                                     cache + "' --shard \"$SLURM_ARRAY_TASK_ID/3\"\n"),
                 qPrintable(extraction));
        QVERIFY(!extraction.contains("--maps"));
        QVERIFY(workers.contains("--dependency=afterok:<extraction job id> --kill-on-invalid-dep"));
        QVERIFY(workers.contains("#SBATCH --job-name=vidrnn-sweep\n#SBATCH --array=0-2\n"));
        QVERIFY(extraction.contains("#SBATCH --time=10\n") &&
                workers.contains("#SBATCH --time=10\n"));
        QVERIFY(workers.trimmed().endsWith("--worker"));
        // A dry run submits nothing and makes nothing.
        QVERIFY(!QFileInfo::exists(cache));
        QVERIFY(!QFileInfo::exists(mDir.filePath("vidrnn-extract.sbatch")));

        // With every clip's features in the cache: the workers only.
        const QString full = mDir.filePath("full");
        QCOMPARE(extract(full)["computed"].toInt(), mClips);
        auto cached = runCli(sweep + data(full), mDir.path());
        QVERIFY2(cached.exitCode == 0, cached.err.constData());
        QVERIFY2(
            cached.out.contains(
                QString("# features resnet18: %1 of %1 clips in the cache").arg(mClips).toUtf8()),
            cached.out.constData());
        QVERIFY(cached.out.contains("# no extraction job"));
        QVERIFY(!cached.out.contains("vidrnn-extract"));

        // One entry gone: not complete, so the extraction array again.
        QDirIterator it(full, {"*.feat"}, QDir::Files, QDirIterator::Subdirectories);
        QVERIFY(it.hasNext());
        QVERIFY(QFile::remove(it.next()));
        auto partial = runCli(sweep + data(full), mDir.path());
        QVERIFY(partial.out.contains(
            QString("# features resnet18: %1 of %2 clips").arg(mClips - 1).arg(mClips).toUtf8()));
        QVERIFY(partial.out.contains("vidrnn-extract.sbatch"));
    }

    // The bundled MobileNetV2 has a vector and a map form, each its own cache
    // entry: a grid with a GRU and a ConvLSTM extracts both, each sharded.
    void slurmBothFormsForConvLstm() {
        const QString cache = mDir.filePath("forms");
        auto r =
            runCli(QString("-q --db postgresql://nobody@localhost/none sweep --archs gru convlstm "
                           "--hidden 8 --size 64 --frames 4 --device cpu --backbone mobilenet_v2 "
                           "--slurm 2 --dry-run")
                           .split(' ') +
                       QStringList{"--data", mDemo, "--cache", cache},
                   mDir.path());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("# features mobilenet_v2: 0 of"));
        QVERIFY(r.out.contains("# features mobilenet_v2 (maps): 0 of"));
        QCOMPARE(r.out.count("--backbone 'mobilenet_v2' --size 64 --frames 4 --device 'cpu' "
                             "--cache '" +
                             cache.toUtf8() + "' --shard \"$SLURM_ARRAY_TASK_ID/2\"\n"),
                 qsizetype(1));
        QCOMPARE(r.out.count("--maps --shard \"$SLURM_ARRAY_TASK_ID/2\"\n"), qsizetype(1));
    }
};

QTEST_GUILESS_MAIN(TestCliExtract)
#include "tst_cli_extract.moc"
