#include "widgets/rerundialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <limits>

#include "support/qtsupport.h"
#include "vidrnn/models.h"
#include "work/rerunjob.h"

namespace vidrnn::ui {

RerunDialog::RerunDialog(QString storePath, const RunRecord& run, QWidget* parent)
    : QDialog(parent), mStorePath(std::move(storePath)), mRunId(run.id) {
    setObjectName("rerunDialog");
    setWindowTitle(tr("Rerun and check run %1").arg(run.id));
    auto* intro = new QLabel(
        tr("Trains run %1 (%2 h%3, seed %4) again from its stored record into a new run: the "
           "same data (its fingerprint is checked), settings, seed, threads and precision. "
           "Then compares every epoch's losses and accuracies, the test metrics, the "
           "confusion matrix, the per-clip probabilities and the order diagnostics to the last "
           "bit. Change the threads or the precision to see what changes a result.")
            .arg(run.id)
            .arg(qs(archDisplayName(run.config.arch)))
            .arg(run.config.hidden)
            .arg(run.config.seed),
        this);
    intro->setWordWrap(true);

    const QString ranThreads =
        run.provenance.threads.empty() ? tr("unknown") : qs(run.provenance.threads);
    mThreads = new QSpinBox(this);
    mThreads->setObjectName("rerunThreads");
    mThreads->setRange(0, 1024);
    mThreads->setSpecialValueText(tr("as the run (%1)").arg(ranThreads));
    mThreads->setToolTip(tr("LibTorch threads; the run's own by default"));
    mPrecision = new QComboBox(this);
    mPrecision->setObjectName("rerunPrecision");
    mPrecision->addItem(
        tr("as the run (%1)").arg(run.precision.empty() ? tr("unknown") : qs(run.precision)),
        QString());
    mPrecision->addItem(QStringLiteral("fp32"), QStringLiteral("fp32"));
    mPrecision->addItem(QStringLiteral("bf16"), QStringLiteral("bf16"));
    auto* form = new QFormLayout;
    form->addRow(tr("Threads:"), mThreads);
    form->addRow(tr("Precision:"), mPrecision);

    mStage = new QLabel(this);
    mStage->setObjectName("rerunStage");
    mProgress = new QProgressBar(this);
    mProgress->setRange(0, 1);
    mProgress->setValue(0);
    mVerdict = new QLabel(this);
    mVerdict->setObjectName("rerunVerdict");
    mVerdict->setWordWrap(true);
    mVerdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mDetails = new QPlainTextEdit(this);
    mDetails->setObjectName("rerunDetails");
    mDetails->setReadOnly(true);
    mDetails->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    mDetails->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    mDetails->setPlaceholderText(tr("The comparison appears here."));

    auto* buttons = new QDialogButtonBox(this);
    mStart = buttons->addButton(tr("Rerun and check"), QDialogButtonBox::ActionRole);
    mStart->setObjectName("rerunStart");
    mStop = buttons->addButton(tr("Stop"), QDialogButtonBox::ActionRole);
    mClose = buttons->addButton(QDialogButtonBox::Close);
    connect(mStart, &QPushButton::clicked, this, &RerunDialog::start);
    connect(mStop, &QPushButton::clicked, this, [this] {
        if (mJob) {
            mJob->cancel();
            mStage->setText(tr("Stopping after the current batch…"));
        }
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(mStage);
    layout->addWidget(mProgress);
    layout->addWidget(mVerdict);
    layout->addWidget(mDetails, 1);
    layout->addWidget(buttons);
    resize(760, 520);
    setRunning(false);
}

// Closing while it runs stops the worker (the job's destructor waits for it).
RerunDialog::~RerunDialog() = default;

void RerunDialog::setRunning(bool running) {
    mStart->setEnabled(!running);
    mThreads->setEnabled(!running);
    mPrecision->setEnabled(!running);
    mStop->setEnabled(running);
}

void RerunDialog::showVerdict(const QString& verdict, const QString& colour,
                              const QString& details) {
    mVerdict->setText(
        QStringLiteral("<b style=\"color:%1\">%2</b>").arg(colour, verdict.toHtmlEscaped()));
    mDetails->setPlainText(details);
}

void RerunDialog::start() {
    if (mJob) {
        return;
    }
    RerunOptions options;
    options.threads = mThreads->value();
    options.precision = ss(mPrecision->currentData().toString());
    mCheck.reset();
    mVerdict->clear();
    mDetails->clear();
    mProgress->setRange(0, 0);  // busy until the first batch
    mJob = std::make_unique<RerunJob>(mStorePath, mRunId, options);
    auto* job = mJob.get();
    connect(job, &RerunJob::stageChanged, mStage, &QLabel::setText);
    connect(job, &RerunJob::extractProgress, this, [this](const ExtractProgress& p) {
        mProgress->setRange(0, std::max(1, p.total));
        mProgress->setValue(p.done);
    });
    connect(job, &RerunJob::progress, this, [this](const BatchProgress& p) {
        mProgress->setRange(0, std::max(1, p.batches));
        mProgress->setValue(p.batch);
        mProgress->setFormat(tr("epoch %1: batch %p%").arg(p.epoch));
    });
    connect(job, &RerunJob::succeeded, this, [this](const RerunCheck& check) {
        mCheck = check;
        const QString verdict =
            check.identical()
                ? tr("Identical: run %1 reproduces run %2 to the last bit")
                      .arg(check.rerun)
                      .arg(check.original)
                : (check.differences.size() == 1 ? tr("1 difference between run %1 and run %2")
                                                 : tr("%1 differences between run %2 and run %3")
                                                       .arg(check.differences.size()))
                      .arg(check.rerun)
                      .arg(check.original);
        showVerdict(verdict, check.identical() ? "#1a7f37" : "#b35900",
                    qs(formatRerunCheck(check, std::numeric_limits<std::size_t>::max())));
    });
    connect(job, &RerunJob::failed, this, [this](const QString& message) {
        showVerdict(tr("Cannot rerun and check run %1").arg(mRunId), "#c62828", message);
    });
    connect(job, &RerunJob::cancelled, this, [this] {
        showVerdict(tr("Cancelled: nothing was compared"), "#555555",
                    tr("The rerun stopped before it completed; its run stays in the store as "
                       "cancelled."));
    });
    connect(job, &RerunJob::finished, this, [this] {
        mProgress->setRange(0, 1);
        mProgress->setValue(1);
        mProgress->resetFormat();
        mStage->clear();
        // The job's thread has returned from work(); delete it after this slot.
        mJob.release()->deleteLater();
        setRunning(false);
        Q_EMIT done();
    });
    setRunning(true);
    job->start();
}

}  // namespace vidrnn::ui
