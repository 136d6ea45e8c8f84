#include "views/scrubberview.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "charts/exportdialog.h"
#include "models/storesession.h"
#include "support/qtsupport.h"
#include "vidrnn/errors.h"
#include "vidrnn/experiment.h"
#include "vidrnn/features.h"
#include "widgets/clipplayer.h"
#include "widgets/runchooser.h"
#include "widgets/timelinestrip.h"
#include "work/background.h"

namespace vidrnn::ui {

ScrubberView::ScrubberView(StoreSession* session, QWidget* parent)
    : QWidget(parent), mSession(session) {
    mVideo = new QLineEdit(this);
    mVideo->setObjectName("scrubVideo");
    mVideo->setPlaceholderText(
        tr("A video file, or a clip from the data set or the confusion matrix"));
    auto* browse = new QPushButton(tr("Open video…"), this);
    mRunA = new RunChooser(session, this);
    mRunA->setObjectName("scrubRunA");
    mRunA->setMinimumWidth(mRunA->fontMetrics().averageCharWidth() * 34);
    mRunB = new RunChooser(session, this);
    mRunB->setObjectName("scrubRunB");
    mRunB->setAllowNone(true);
    mRunB->setMinimumWidth(mRunB->fontMetrics().averageCharWidth() * 34);
    mPredict = new QPushButton(tr("Predict"), this);
    mPredict->setObjectName("predictButton");
    mPredict->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    mPredict->setToolTip(tr("Classify the video with the chosen runs (Ctrl+P)"));
    mStatus = new QLabel(this);
    mStatus->setWordWrap(true);

    auto* form = new QGridLayout;
    form->addWidget(new QLabel(tr("Video"), this), 0, 0);
    form->addWidget(mVideo, 0, 1, 1, 3);
    form->addWidget(browse, 0, 4);
    form->addWidget(new QLabel(tr("Run A"), this), 1, 0);
    form->addWidget(mRunA, 1, 1);
    form->addWidget(new QLabel(tr("Run B"), this), 1, 2);
    form->addWidget(mRunB, 1, 3);
    form->addWidget(mPredict, 1, 4);
    form->setColumnStretch(1, 1);
    form->setColumnStretch(3, 1);

    mPlayer = new ClipPlayer(this);
    mPlayer->setObjectName("scrubPlayer");
    mStripA = new TimelineStrip(this);
    mStripA->setObjectName("timelineA");
    mStripB = new TimelineStrip(this);
    mStripB->setObjectName("timelineB");
    mTimelines = new QWidget(this);
    mTimelines->setObjectName("scrub-timelines");
    auto* stripLayout = new QVBoxLayout(mTimelines);
    stripLayout->setContentsMargins(0, 0, 0, 0);
    stripLayout->setSpacing(2);
    stripLayout->addWidget(mStripA);
    stripLayout->addWidget(mStripB);
    mTimelines->setContextMenuPolicy(Qt::CustomContextMenu);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(mPlayer, 1);
    leftLayout->addWidget(mTimelines);

    mTopA = new QLabel(this);
    mTopA->setObjectName("topA");
    mTopA->setTextFormat(Qt::RichText);
    mTopA->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    mTopA->setWordWrap(true);
    mTopB = new QLabel(this);
    mTopB->setObjectName("topB");
    mTopB->setTextFormat(Qt::RichText);
    mTopB->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    mTopB->setWordWrap(true);
    mLegend = new QLabel(this);
    mLegend->setTextFormat(Qt::RichText);
    mLegend->setWordWrap(true);
    auto* keys = new QLabel(tr("Keys: Space play/pause · ←/→ one frame · ,/. previous/next "
                               "sampled frame · Home/End"),
                            this);
    keys->setWordWrap(true);
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->addWidget(mTopA);
    rightLayout->addWidget(mTopB);
    rightLayout->addWidget(mLegend);
    rightLayout->addStretch(1);
    rightLayout->addWidget(keys);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName("scrubSplitter");
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({900, 340});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(mStatus);
    layout->addWidget(splitter, 1);

    mWatcher = new QFutureWatcher<QList<ScrubResult>>(this);
    connect(mWatcher, &QFutureWatcher<QList<ScrubResult>>::finished, this,
            &ScrubberView::onFinished);
    connect(browse, &QPushButton::clicked, this, &ScrubberView::chooseVideo);
    connect(mVideo, &QLineEdit::editingFinished, this, [this] {
        if (mVideo->text() != mPlayer->path()) {
            setVideo(mVideo->text());
        }
    });
    connect(mPredict, &QPushButton::clicked, this, &ScrubberView::predict);
    connect(mPlayer, &ClipPlayer::currentFrameChanged, this, &ScrubberView::showFrame);
    connect(mPlayer, &ClipPlayer::loaded, this, [this](int frames) {
        mStripA->setFrameCount(frames);
        mStripB->setFrameCount(frames);
    });
    for (auto* strip : {mStripA, mStripB}) {
        connect(strip, &TimelineStrip::frameRequested, mPlayer, [this](int f) {
            mPlayer->pause();
            mPlayer->setCurrentFrame(f);
        });
    }
    connect(mTimelines, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        menu.addAction(tr("Export timeline…"), this,
                       [this] { ExportDialog::exportWidgetChart(mTimelines, "timeline"); });
        menu.exec(mTimelines->mapToGlobal(pos));
    });
    auto* prev = new QShortcut(QKeySequence(Qt::Key_Comma), this);
    prev->setContext(Qt::WidgetWithChildrenShortcut);
    connect(prev, &QShortcut::activated, this, [this] { stepSample(-1); });
    auto* next = new QShortcut(QKeySequence(Qt::Key_Period), this);
    next->setContext(Qt::WidgetWithChildrenShortcut);
    connect(next, &QShortcut::activated, this, [this] { stepSample(1); });
    connect(mSession, &StoreSession::runsChanged, this, &ScrubberView::refreshRuns);
    refreshRuns();
    mStripA->clear(tr("Run A"));
    mStripB->clear(tr("Run B"));
}

ScrubberView::~ScrubberView() {
    mWatcher->waitForFinished();
}

QString ScrubberView::video() const {
    return mVideo->text();
}
qint64 ScrubberView::runA() const {
    return mRunA->runId();
}
qint64 ScrubberView::runB() const {
    return mRunB->runId();
}

// Run A starts as the newest completed run, found by the store.
void ScrubberView::refreshRuns() {
    if (runA() != 0 || !mSession->isOpen()) {
        return;
    }
    RunQuery newest;
    newest.filter.kind = RunKind::Trained;
    newest.filter.status = RunStatus::Completed;
    newest.descending = true;
    newest.limit = 1;
    mSession->read<std::vector<std::int64_t>>(
        this, [newest](const RunStore& store) { return store.runIds(newest); },
        [this](std::vector<std::int64_t> ids, QString) {
            if (runA() == 0 && !ids.empty()) {
                mRunA->setRunId(ids.front());
            }
        });
}

void ScrubberView::setRuns(qint64 runA, qint64 runB) {
    if (runA != 0) {
        mRunA->setRunId(runA);
    }
    mRunB->setRunId(runB);
}

void ScrubberView::chooseVideo() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open a video"), QFileInfo(mVideo->text()).path(),
        tr("Videos (*.avi *.mpg *.mpeg *.mp4 *.mkv *.mov *.webm *.m4v);;All files (*)"));
    if (!file.isEmpty()) {
        setVideo(file);
    }
}

void ScrubberView::setVideo(const QString& path) {
    mVideo->setText(path);
    mStripA->clear(tr("Run A"));
    mStripB->clear(tr("Run B"));
    mTopA->clear();
    mTopB->clear();
    mStatus->setText(tr("Choose runs and press Predict."));
    mPlayer->open(path);
    mPlayer->setFocus();
}

void ScrubberView::predict() {
    if (mWatcher->isRunning()) {
        return;
    }
    const QString video = mVideo->text();
    // Cheap checks first, naming the file.
    const QFileInfo info(video);
    if (video.isEmpty() || !info.isFile()) {
        Q_EMIT errorOccurred(
            tr("Cannot predict"),
            video.isEmpty()
                ? tr("no video chosen")
                : tr("%1: %2").arg(video, info.exists() ? tr("not a file") : tr("no such file")));
        return;
    }
    struct Job {
        qint64 id;
        QString title;
        CheckpointChoice checkpoint;
        std::string backboneFile;  // named by the user, who said yes to loading it
        TrainConfig config;        // a checkpoint of another model is refused
    };
    QList<Job> jobs;
    for (qint64 id : {runA(), runB()}) {
        const auto r = mSession->run(id);
        if (!r) {
            continue;
        }
        if (r->checkpoint.empty() || !QFileInfo::exists(qs(r->checkpoint))) {
            Q_EMIT errorOccurred(
                tr("Cannot predict"),
                tr("%1: the checkpoint of run %2 is missing")
                    .arg(r->checkpoint.empty() ? QStringLiteral("(none)") : qs(r->checkpoint))
                    .arg(id));
            return;
        }
        CheckpointChoice checkpoint;
        try {
            checkpoint = runCheckpoint(ss(mSession->path()), *r);
        } catch (const Error& e) {
            Q_EMIT errorOccurred(tr("Cannot predict"), qs(e.what()));
            return;
        }
        // The store row names the backbone file; a .pt file is a program, so
        // it is loaded only once the user has seen its name and agreed.
        std::string backboneFile;
        if (isBackboneFile(r->config.backbone)) {
            const auto answer = QMessageBox::question(
                this, tr("Load a TorchScript backbone?"),
                tr("Run %1 extracts its features with the TorchScript file\n\n%2\n\nA .pt "
                   "file is a program: loading it runs its code. Load it only if you trust "
                   "whoever could write it.")
                    .arg(id)
                    .arg(qs(r->config.backbone)));
            if (answer != QMessageBox::Yes) {
                return;
            }
            backboneFile = r->config.backbone;
        }
        jobs << Job{id, runTitle(*r), checkpoint, backboneFile, r->config};
    }
    if (jobs.isEmpty()) {
        Q_EMIT errorOccurred(tr("Cannot predict"), tr("choose a completed run"));
        return;
    }
    mPredict->setEnabled(false);
    mStatus->setText(tr("Predicting %1…").arg(info.fileName()));
    mWatcher->setFuture(QtConcurrent::run(backgroundPool(), [jobs, video] {
        lowerThreadPriority();
        QList<ScrubResult> out;
        for (const auto& j : jobs) {
            ScrubResult r;
            r.runId = j.id;
            r.title = j.title;
            try {
                PredictOptions options;
                options.expected = &j.config;
                options.checkpointSha256 = j.checkpoint.sha256;
                options.backboneFile = j.backboneFile;
                r.prediction = predictVideo(j.checkpoint.path, ss(video), options);
            } catch (const std::exception& e) {
                r.error = qs(e.what());
            }
            out << r;
        }
        return out;
    }));
}

void ScrubberView::onFinished() {
    mPredict->setEnabled(true);
    const auto results = mWatcher->result();
    QStringList status, errors;
    mStripA->clear(tr("Run A"));
    mStripB->clear(tr("Run B"));
    int slot = 0;
    for (const auto& r : results) {
        auto* strip = slot++ == 0 ? mStripA : mStripB;
        if (!r.error.isEmpty()) {
            errors << r.error;
            continue;
        }
        strip->setPrediction(r.prediction, tr("run %1").arg(r.runId));
        strip->setFrameCount(mPlayer->frameCount());
        const auto k = static_cast<std::size_t>(r.prediction.predicted);
        status << tr("%1: <b>%2</b> (%3), %4 sampled frames of %5")
                      .arg(r.title.toHtmlEscaped(), k < r.prediction.classes.size()
                                                        ? qs(r.prediction.classes[k])
                                                        : QString())
                      .arg(r.prediction.probability, 0, 'f', 2)
                      .arg(r.prediction.frames.size())
                      .arg(r.prediction.totalFrames);
    }
    mStatus->setText(status.join(QStringLiteral("<br>")));
    if (!results.isEmpty() && !results.front().prediction.classes.empty()) {
        QStringList legend;
        const auto& classes = results.front().prediction.classes;
        for (std::size_t c = 0; c < classes.size(); ++c) {
            legend << QStringLiteral("<span style='background:%1'>&nbsp;&nbsp;&nbsp;</span> %2")
                          .arg(classColor(static_cast<int>(c)).name(),
                               qs(classes[c]).toHtmlEscaped());
        }
        mLegend->setText(legend.join(QStringLiteral("<br>")));
    }
    showFrame(std::max(0, mPlayer->currentFrame()));
    if (!errors.isEmpty()) {
        Q_EMIT errorOccurred(tr("Prediction failed"), errors.join('\n'));
    }
    Q_EMIT predicted();
}

QString ScrubberView::topLabels(const TimelineStrip* strip, int frame) const {
    if (!strip->hasPrediction()) {
        return {};
    }
    const auto& pred = strip->prediction();
    const int k = strip->sampleAt(frame);
    QString html =
        QStringLiteral("<b>%1</b><br>").arg(strip == mStripA ? tr("Run A") : tr("Run B"));
    if (k < 0) {
        return html +
               tr("before the first sampled frame (%1)").arg(pred.frames.front().frameIndex + 1);
    }
    const auto& f = pred.frames[static_cast<std::size_t>(k)];
    std::vector<int> order(f.probabilities.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = static_cast<int>(i);
    }
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        return f.probabilities[static_cast<std::size_t>(a)] >
               f.probabilities[static_cast<std::size_t>(b)];
    });
    html += tr("sampled frame %1 of %2 (video frame %3)<br>")
                .arg(k + 1)
                .arg(pred.frames.size())
                .arg(f.frameIndex + 1);
    for (std::size_t i = 0; i < std::min<std::size_t>(3, order.size()); ++i) {
        const int c = order[i];
        const double p = f.probabilities[static_cast<std::size_t>(c)];
        html += QStringLiteral(
                    "<span style='background:%1'>&nbsp;&nbsp;&nbsp;</span> %2 "
                    "<b>%3</b><br>")
                    .arg(classColor(c).name(),
                         static_cast<std::size_t>(c) < pred.classes.size()
                             ? qs(pred.classes[static_cast<std::size_t>(c)]).toHtmlEscaped()
                             : QString::number(c))
                    .arg(p, 0, 'f', 3);
    }
    return html;
}

void ScrubberView::showFrame(int frame) {
    mStripA->setCurrentFrame(frame);
    mStripB->setCurrentFrame(frame);
    mTopA->setText(topLabels(mStripA, frame));
    mTopB->setText(topLabels(mStripB, frame));
}

void ScrubberView::stepSample(int delta) {
    const auto* strip = mStripA->hasPrediction() ? mStripA : mStripB;
    if (!strip->hasPrediction()) {
        mPlayer->step(delta);
        return;
    }
    const int current = strip->sampleAt(std::max(0, mPlayer->currentFrame()));
    const int target = std::clamp(current + delta, 0, strip->sampleCount() - 1);
    mPlayer->pause();
    mPlayer->setCurrentFrame(
        strip->prediction().frames[static_cast<std::size_t>(target)].frameIndex);
}

}  // namespace vidrnn::ui
