#include "instruments/autopilot.h"

#include <QApplication>
#include <QDir>
#include <QPushButton>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>
#include <cstdio>

#include "instruments/stallprobe.h"
#include "models/storesession.h"
#include "shell/mainwindow.h"
#include "support/qtsupport.h"
#include "views/compareview.h"
#include "views/confusionview.h"
#include "views/datasetview.h"
#include "views/runsview.h"
#include "views/scrubberview.h"
#include "views/trainingview.h"
#include "widgets/clipplayer.h"
#include "widgets/runsetupwidget.h"
#include "work/datasetloader.h"
#include "work/runqueue.h"
#include "work/trainingjob.h"

namespace vidrnn::ui {

Autopilot::Autopilot(MainWindow* window, AutopilotOptions options, QObject* parent)
    : QObject(parent), mWindow(window), mOptions(std::move(options)) {
    mProbe = new StallProbe(this);
}

void Autopilot::fail(const QString& message) {
    if (mFinished) {
        return;
    }
    mFinished = true;
    mProbe->stop();
    Q_EMIT done(1, message);
}

void Autopilot::start() {
    auto* data = mWindow->datasetView();
    connect(data, &DatasetView::datasetLoaded, this, &Autopilot::onDataset);
    connect(mWindow->datasetView()->loader(), &DatasetLoader::failed, this, &Autopilot::fail);
    mProbe->start();
    if (qEnvironmentVariableIsSet("VIDRNN_STALL_LOG")) {
        mProbe->setLogThreshold(qEnvironmentVariable("VIDRNN_STALL_LOG").toDouble());
        connect(mWindow->queue(), &RunQueue::jobStarted, this, [this](TrainingJob* job) {
            connect(job, &TrainingJob::stageChanged, this, [this](const QString& s) {
                std::fprintf(stderr, "stage at %.2f s: %s\n", mProbe->elapsedMs() / 1000,
                             qPrintable(s));
            });
            connect(job, &TrainingJob::epochFinished, this, [this](qint64, const EpochRecord& e) {
                std::fprintf(stderr, "epoch %d at %.2f s\n", e.epoch, mProbe->elapsedMs() / 1000);
            });
        });
    }
    if (!mOptions.dataPath.isEmpty()) {
        data->openPath(mOptions.dataPath);
    } else {
        data->generateDemo(QDir::current().absoluteFilePath(mOptions.demoDir), mOptions.demoPreset);
    }
}

void Autopilot::onDataset() {
    if (mStarted) {
        return;
    }
    mStarted = true;
    auto* training = mWindow->trainingView();
    TrainConfig c = mOptions.run;
    c.dataset = mWindow->datasetView()->dataset()->root;
    training->setup()->setConfig(c);
    mWindow->showView(MainWindow::TrainView);
    connect(mWindow->queue(), &RunQueue::jobStarted, this, [this](TrainingJob* job) {
        connect(job, &TrainingJob::failed, this, &Autopilot::fail);
    });
    connect(mWindow->queue(), &RunQueue::idle, this, &Autopilot::onTrained);
    // Two runs, so the comparison and the scrubber have something to compare.
    training->queueSweep(SweepGrid{c, {"gru", "lstm"}, {c.hidden}, {c.fold}, 1},
                         QStringLiteral("autopilot"));
}

void Autopilot::onTrained() {
    mProbe->stop();
    std::fprintf(stderr, "%s\n", qPrintable(mProbe->summary()));
    mWindow->session()->refresh();
    QList<qint64> runs;  // newest first
    RunQuery completed;
    completed.filter.kind = RunKind::Trained;
    completed.filter.status = RunStatus::Completed;
    completed.descending = true;
    completed.limit = 2;
    for (std::int64_t id : mWindow->session()->store()->runIds(completed)) {
        runs << id;
    }
    if (runs.isEmpty()) {
        fail(QStringLiteral("no run completed"));
        return;
    }
    if (mOptions.screenshotDir.isEmpty()) {
        mFinished = true;
        Q_EMIT done(0, mProbe->summary());
        return;
    }
    // The sweep ran gru then lstm: the older of the two newest is the GRU.
    fillViews(runs.size() > 1 ? runs[1] : runs[0], runs.size() > 1 ? runs[0] : 0);
}

void Autopilot::fillViews(qint64 runId, qint64 otherRun) {
    auto* data = mWindow->datasetView();
    // A clip in the data set preview: the first clip of the second class.
    auto* tree = data->tree();
    const auto cls = tree->model()->index(std::min(1, tree->model()->rowCount() - 1), 0);
    tree->expand(cls);
    const auto group = tree->model()->index(0, 0, cls);
    tree->expand(group);
    const auto clip = tree->model()->index(0, 0, group);
    tree->setCurrentIndex(clip);
    Q_EMIT tree->activated(clip);

    QList<qint64> compare{runId};
    if (otherRun) {
        compare << otherRun;
    }
    mWindow->runsView()->selectRuns(compare);
    RunQuery reference;
    reference.filter.kind = RunKind::Reference;
    for (const char* arch : {"gru", "lstm"}) {
        reference.filter.arch = arch;
        for (std::int64_t id : mWindow->session()->store()->runIds(reference)) {
            compare << id;
        }
    }
    mWindow->compareView()->setRunIds(compare);
    mWindow->compareView()->ensureCurrent();  // its screenshot comes next

    auto* confusion = mWindow->confusionView();
    confusion->setRunId(runId);
    const auto predictions = mWindow->session()->store()->predictions(runId);
    // The cell of the first misclassified clip if any, else the first clip's.
    QString video;
    int truth = 0, predicted = 0;
    for (const auto& p : predictions) {
        if (video.isEmpty() || (p.truth != p.predicted && truth == predicted)) {
            video = qs(p.clip);
            truth = p.truth;
            predicted = p.predicted;
        }
    }
    confusion->selectCell(truth, predicted);

    auto* scrubber = mWindow->scrubberView();
    scrubber->setVideo(video);
    scrubber->setRuns(runId, otherRun);
    connect(scrubber, &ScrubberView::predicted, this, [this] {
        // Let the preview decode and settle on a frame past the first sample.
        QTimer::singleShot(1500, this, [this] {
            auto* s = mWindow->scrubberView();
            const int n = s->player()->frameCount();
            s->player()->setCurrentFrame(n * 2 / 3);
            QTimer::singleShot(300, this, &Autopilot::shoot);
        });
    });
    scrubber->predict();
}

void Autopilot::shoot() {
    QDir dir(mOptions.screenshotDir);
    if (!dir.exists() && !QDir().mkpath(mOptions.screenshotDir)) {
        fail(QStringLiteral("%1: cannot create the folder").arg(mOptions.screenshotDir));
        return;
    }
    QStringList written;
    for (int v = MainWindow::DataView; v <= MainWindow::ModelsView; ++v) {
        mWindow->showView(static_cast<MainWindow::View>(v));
        for (int i = 0; i < 5; ++i) {
            QApplication::processEvents();
        }
        const QString file =
            dir.filePath(QStringLiteral("%1-%2.png")
                             .arg(v + 1)
                             .arg(MainWindow::viewName(static_cast<MainWindow::View>(v))));
        if (!mWindow->grab().save(file)) {
            fail(QStringLiteral("%1: cannot write the screenshot").arg(file));
            return;
        }
        written << file;
    }
    mFinished = true;
    Q_EMIT done(0,
                QStringLiteral("%1\nscreenshots: %2").arg(mProbe->summary(), written.join(", ")));
}

}  // namespace vidrnn::ui
