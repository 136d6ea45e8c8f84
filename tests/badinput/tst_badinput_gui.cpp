// The bad-input suite against the workbench, where a user can point it at an
// input: the clip preview (videos), opening a data set, adding a backbone
// file, opening a store. Usable inputs load; bad ones end in the widget's
// error signal with a message naming the input and the reason.
#include <unistd.h>

#include <QtTest>

#include <QApplication>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>

#include "badinputrows.h"
#include "models/storesession.h"
#include "shell/mainwindow.h"
#include "uitest.h"
#include "views/datasetview.h"
#include "widgets/runsetupwidget.h"
#include "work/datasetloader.h"
#include "work/framesource.h"

using namespace vidrnn;
using namespace vidrnn::ui;
using vidrnn::test::BadInput;

class TestBadInputGui : public vidrnn::test::BadInputSuite {
    Q_OBJECT

    // `errors` fired once with a message for `b`, or (usable) never.
    void expectMessage(const BadInput& b, const QSignalSpy& errors, int argument) {
        if (b.expect == BadInput::Expect::Usable) {
            QVERIFY2(
                errors.isEmpty(),
                qPrintable(errors.isEmpty() ? QString() : errors.at(0).at(argument).toString()));
            return;
        }
        QCOMPARE(errors.count(), 1);
        const std::string problem =
            test::checkMessage(b, errors.at(0).at(argument).toString().toStdString());
        QVERIFY2(problem.empty(), problem.c_str());
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(mDir.isValid());
        test::isolate(mDir);
        mInputs = test::writeBadInputs(mDir.filePath("inputs").toStdString());
    }

    // The clip preview decodes every frame in a worker.
    void videos_data() { rows("video", true); }
    void videos() {
        const BadInput& b = current();
        FrameSource source;
        QSignalSpy failed(&source, &FrameSource::failed);
        QSignalSpy completed(&source, &FrameSource::completed);
        source.open(QString::fromStdString(b.path));
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() + completed.count() == 1, 60000);
        expectMessage(b, failed, 0);
        if (b.expect == BadInput::Expect::Usable) {
            QVERIFY(source.frameCount() >= 1);
            QVERIFY(!source.frame(0).isNull());
        }
    }

    void datasets_data() { rows("dataset", true); }
    void datasets() {
        const BadInput& b = current();
        DatasetView view;
        QSignalSpy loaded(&view, &DatasetView::datasetLoaded);
        QSignalSpy failed(view.loader(), &DatasetLoader::failed);
        view.openPath(QString::fromStdString(b.path));
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() + failed.count() == 1, 60000);
        expectMessage(b, failed, 0);
        if (b.expect == BadInput::Expect::Usable && b.clips >= 0) {
            QCOMPARE(int(view.dataset()->clips.size()), b.clips);
            QCOMPARE(view.skippedTable()->rowCount(), int(view.dataset()->skipped.size()));
        }
    }

    // A backbone file is probed off the UI thread at the set-up's size.
    void backbones_data() { rows("backbone", true); }
    void backbones() {
        const BadInput& b = current();
        RunSetupWidget setup;
        TrainConfig config = setup.config();
        config.imageSize = 32;
        setup.setConfig(config);
        QSignalSpy error(&setup, &RunSetupWidget::errorOccurred);
        setup.addBackboneFile(QString::fromStdString(b.path));
        if (b.expect == BadInput::Expect::Usable) {
            QTRY_COMPARE_WITH_TIMEOUT(setup.config().backbone, b.path, 60000);
        } else {
            QTRY_COMPARE_WITH_TIMEOUT(error.count(), 1, 60000);
            QCOMPARE(setup.config().backbone, std::string(kPretrainedBackbone));
        }
        expectMessage(b, error, 1);
    }

    // The window opens on a store or reports it and works without one.
    void stores_data() { rows("store", true); }
    void stores() {
        const BadInput& b = current();
        if (b.unprivileged && geteuid() == 0) {
            QSKIP("root writes read-only files; the engine and CLI suites check this as nobody");
        }
        MainWindowOptions o;
        o.storePath = QString::fromStdString(b.path);
        o.restoreSettings = false;
        o.saveSettings = false;
        MainWindow window(o);
        if (b.expect == BadInput::Expect::Usable) {
            QVERIFY2(window.session()->isOpen(), qPrintable(window.lastError()));
        } else {
            QVERIFY(!window.session()->isOpen());
            const std::string problem = test::checkMessage(b, window.lastError().toStdString());
            QVERIFY2(problem.empty(), problem.c_str());
        }
    }

    void cleanupTestCase() {
        qInfo("bad inputs tried through the workbench: %d", mTried);
        test::removeBadInputs(mInputs);
    }
};

QTEST_MAIN(TestBadInputGui)
#include "tst_badinput_gui.moc"
