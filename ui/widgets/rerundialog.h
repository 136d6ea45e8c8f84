// Results > Rerun and check: trains the chosen run again from its stored
// record (a RerunJob, off the UI thread, with progress and Stop), then shows
// whether the two are identical to the last bit, or the differences epoch by
// epoch and the provenance fields that differ (vidrnn::formatRerunCheck, the
// CLI's text). Threads and precision can be changed on purpose to see what
// changes a result. A refusal (fingerprint, precision this build cannot
// compute here, data set, backbone) is shown with the engine's reason.
#pragma once

#include <QDialog>

#include <memory>
#include <optional>

#include "vidrnn/rerun.h"
#include "vidrnn/store.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace vidrnn::ui {

class RerunJob;

class RerunDialog : public QDialog {
    Q_OBJECT
public:
    RerunDialog(QString storePath, const RunRecord& run, QWidget* parent = nullptr);
    ~RerunDialog() override;

    // Starts the rerun with the chosen threads and precision (the Rerun button).
    void start();
    bool isRunning() const { return mJob != nullptr; }
    // The last check, once a rerun has been compared.
    const std::optional<RerunCheck>& check() const { return mCheck; }

    QSpinBox* threadsSpin() const { return mThreads; }
    QComboBox* precisionCombo() const { return mPrecision; }
    QPushButton* startButton() const { return mStart; }
    // "Identical", "N differences", "Cannot rerun", "Cancelled".
    QLabel* verdictLabel() const { return mVerdict; }
    QPlainTextEdit* details() const { return mDetails; }

Q_SIGNALS:
    // After succeeded, failed or cancelled: the dialog is idle again.
    void done();

private:
    void showVerdict(const QString& verdict, const QString& colour, const QString& details);
    void setRunning(bool running);

    QString mStorePath;
    qint64 mRunId = 0;
    std::unique_ptr<RerunJob> mJob;
    std::optional<RerunCheck> mCheck;
    QSpinBox* mThreads = nullptr;
    QComboBox* mPrecision = nullptr;
    QLabel* mStage = nullptr;
    QProgressBar* mProgress = nullptr;
    QLabel* mVerdict = nullptr;
    QPlainTextEdit* mDetails = nullptr;
    QPushButton* mStart = nullptr;
    QPushButton* mStop = nullptr;
    QPushButton* mClose = nullptr;
};

}  // namespace vidrnn::ui
