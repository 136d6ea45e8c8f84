// The data set view: the demo generated on request with progress, classes /
// groups / clips with counts, skipped clips with their reasons, and a clip
// preview that plays, pauses, scrubs and steps frames (decoded off the UI
// thread).
#include <QtTest>

#include <QLabel>
#include <QSlider>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTreeView>

#include "testutil.h"
#include "uitest.h"
#include "vidrnn/video.h"
#include "views/datasetview.h"
#include "widgets/clipplayer.h"
#include "work/datasetloader.h"
#include "work/framesource.h"

using namespace vidrnn;
using namespace vidrnn::ui;

class TestDatasetView : public QObject {
    Q_OBJECT
private:
    QTemporaryDir mDir;
    QString mDemo;

    std::shared_ptr<const Dataset> load(DatasetView& view, const QString& path) {
        QSignalSpy loaded(&view, &DatasetView::datasetLoaded);
        view.openPath(path);
        [&] { QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000); }();
        return view.dataset();
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        test::isolate(mDir);
        mDemo = test::tinyDemo(mDir);
    }

    void generatesTheDemoWithProgress() {
        DatasetView view;
        QSignalSpy progress(view.loader(), &DatasetLoader::progress);
        QSignalSpy loaded(&view, &DatasetView::datasetLoaded);
        const QString dir = QDir(mDir.path()).filePath("generated");
        view.generateDemo(dir, "tiny");
        QVERIFY(view.loader()->isBusy());
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 120000);
        QVERIFY(progress.count() >= 1);
        bool sawGeneration = false;
        for (const auto& args : progress) {
            sawGeneration = sawGeneration || args.at(0).toString().contains("demo");
        }
        QVERIFY(sawGeneration);
        QCOMPARE(QString::fromStdString(view.dataset()->root), QDir(dir).absolutePath());
        QCOMPARE(view.dataset()->clips.size(), std::size_t(44));
    }

    void listsClassesGroupsAndClips() {
        DatasetView view;
        const auto ds = load(view, mDemo);
        QVERIFY(ds);
        auto* model = view.tree()->model();
        QCOMPARE(model->rowCount(), 11);
        for (int c = 0; c < 11; ++c) {
            const auto cls = model->index(c, 0);
            QCOMPARE(cls.data().toString(), QString::fromStdString(ds->classes[std::size_t(c)]));
            QCOMPARE(model->index(c, 1).data(Qt::UserRole).toInt(), 4);  // clips
            QCOMPARE(model->index(c, 2).data(Qt::UserRole).toInt(), 2);  // groups
            QCOMPARE(model->rowCount(cls), 2);
            QCOMPARE(model->rowCount(model->index(0, 0, cls)), 2);
        }
        QCOMPARE(view.skippedTable()->rowCount(), 0);
        auto* summary = view.findChild<QLabel*>("datasetSummary");
        QVERIFY(summary->text().contains("44 clips"));
        QVERIFY(summary->text().contains("11 classes"));
    }

    // A class-folder tree with one empty and one garbage "video".
    void showsSkippedClipsWithReasons() {
        const QDir root(QDir(mDir.path()).filePath("folders"));
        QVERIFY(root.mkpath("jumping") && root.mkpath("running"));
        const auto clips = scanDataset(mDemo.toStdString()).clips;
        QVERIFY(
            QFile::copy(QString::fromStdString(clips[0].path), root.filePath("jumping/a1.avi")));
        QVERIFY(
            QFile::copy(QString::fromStdString(clips[1].path), root.filePath("jumping/a2.avi")));
        QVERIFY(
            QFile::copy(QString::fromStdString(clips[4].path), root.filePath("running/b1.avi")));
        QVERIFY(
            QFile::copy(QString::fromStdString(clips[5].path), root.filePath("running/b2.avi")));
        QFile empty(root.filePath("jumping/empty.avi"));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
        QFile garbage(root.filePath("running/garbage.avi"));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(4096, 'x'));
        garbage.close();

        DatasetView view;
        const auto ds = load(view, root.path());
        QCOMPARE(ds->layout, std::string("folders"));
        QCOMPARE(view.tree()->model()->rowCount(), 2);
        QCOMPARE(view.skippedTable()->rowCount(), 2);
        QStringList names;
        for (int row = 0; row < 2; ++row) {
            names << view.skippedTable()->item(row, 0)->text();
            QVERIFY(!view.skippedTable()->item(row, 1)->text().isEmpty());
            QCOMPARE(view.skippedTable()->item(row, 1)->text(),
                     QString::fromStdString(ds->skipped[std::size_t(row)].reason));
        }
        names.sort();
        QCOMPARE(names, QStringList({"empty.avi", "garbage.avi"}));
    }

    void previewPlaysPausesScrubsAndSteps() {
        DatasetView view;
        view.resize(1000, 700);
        view.show();
        const auto ds = load(view, mDemo);
        const QString clip = QString::fromStdString(ds->clips.front().path);
        const auto frames = static_cast<int>(probeVideo(clip.toStdString()).frames);
        QVERIFY(frames >= 12);

        // Activating the clip in the tree previews it.
        auto* model = view.tree()->model();
        const auto first = model->index(0, 0, model->index(0, 0, model->index(0, 0)));
        QCOMPARE(first.data(Qt::UserRole + 1).toString(), clip);
        Q_EMIT view.tree()->activated(first);
        auto* player = view.player();
        QCOMPARE(player->path(), clip);
        QTRY_VERIFY_WITH_TIMEOUT(player->source()->isComplete(), 30000);
        QCOMPARE(player->frameCount(), frames);
        QCOMPARE(player->currentFrame(), 0);
        QVERIFY(!player->source()->frame(0).isNull());

        player->setFocus();
        QTest::keyClick(player, Qt::Key_Right);
        QCOMPARE(player->currentFrame(), 1);
        QTest::keyClick(player, Qt::Key_Left);
        QCOMPARE(player->currentFrame(), 0);
        QTest::keyClick(player, Qt::Key_End);
        QCOMPARE(player->currentFrame(), frames - 1);

        auto* slider = player->findChild<QSlider*>("frameSlider");
        slider->setValue(5);
        QCOMPARE(player->currentFrame(), 5);

        QSignalSpy moved(player, &ClipPlayer::currentFrameChanged);
        QTest::keyClick(player, Qt::Key_Space);
        QVERIFY(player->isPlaying());
        QTRY_VERIFY_WITH_TIMEOUT(moved.count() >= 3, 5000);
        QTest::keyClick(player, Qt::Key_Space);
        QVERIFY(!player->isPlaying());
        const int paused = player->currentFrame();
        QTest::qWait(150);
        QCOMPARE(player->currentFrame(), paused);
    }

    // Real footage (XviD AVI, H.264 MP4) from shared/ when it is there.
    void previewDecodesRealClips_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("xvid avi") << "basketball/v_Basketball_g01_c01.avi";
        QTest::newRow("h264 mp4") << "basketball/pexels_basketball_pavel_danilyuk.mp4";
    }
    void previewDecodesRealClips() {
        QFETCH(QString, file);
        const auto shared = test::sharedDir();
        const QString path =
            QString::fromStdString((shared / "data" / "real-clips").string()) + '/' + file;
        if (shared.empty() || !QFileInfo::exists(path)) {
            QSKIP("shared/data/real-clips is not here");
        }
        FrameSource source;
        QSignalSpy completed(&source, &FrameSource::completed);
        source.open(path);
        QTRY_COMPARE_WITH_TIMEOUT(completed.count(), 1, 120000);
        const auto info = probeVideo(path.toStdString());
        if (!source.isTruncated()) {
            QCOMPARE(static_cast<std::int64_t>(source.frameCount()), info.frames);
        }
        QCOMPARE(source.sourceSize(), QSize(info.width, info.height));
        QVERIFY(source.frame(0).width() <= FrameSource::kMaxWidth);
        QVERIFY(!source.frame(source.frameCount() - 1).isNull());
    }

    void previewReportsUnreadableFiles() {
        FrameSource source;
        QSignalSpy failed(&source, &FrameSource::failed);
        const QString garbage = QDir(mDir.path()).filePath("folders/running/garbage.avi");
        source.open(garbage);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QVERIFY(failed.at(0).at(0).toString().startsWith(garbage + ": "));
        source.open(QDir(mDir.path()).filePath("missing.avi"));
        QCOMPARE(failed.count(), 2);
        QVERIFY(failed.at(1).at(0).toString().contains("missing.avi: no such file"));
    }
};

QTEST_MAIN(TestDatasetView)
#include "tst_datasetview.moc"
