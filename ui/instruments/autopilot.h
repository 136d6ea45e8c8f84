// Drives the main window through a small end-to-end session without a user:
// load (or generate) a data set, train one run, fill every view from it, save
// a screenshot of each view, and measure UI-thread stalls meanwhile. Used by
// `vidrnn-workbench --screenshot-views DIR` and `--stall-probe`.
#pragma once

#include <QObject>
#include <QString>

#include "vidrnn/config.h"

namespace vidrnn::ui {

class MainWindow;
class StallProbe;

struct AutopilotOptions {
    QString screenshotDir;  // "" = no screenshots
    QString dataPath;       // "" = generate the demo
    QString demoDir = QStringLiteral("demo-data");
    QString demoPreset = QStringLiteral("small");
    TrainConfig run;  // dataset is filled in
};

class Autopilot : public QObject {
    Q_OBJECT
public:
    Autopilot(MainWindow* window, AutopilotOptions options, QObject* parent = nullptr);

    void start();
    StallProbe* probe() const { return mProbe; }

Q_SIGNALS:
    // 0 on success; the message says what happened.
    void done(int exitCode, const QString& message);

private:
    void onDataset();
    void onTrained();
    void fillViews(qint64 runId, qint64 otherRun);
    void shoot();
    void fail(const QString& message);

    MainWindow* mWindow = nullptr;
    AutopilotOptions mOptions;
    StallProbe* mProbe = nullptr;
    bool mStarted = false;
    bool mFinished = false;
};

}  // namespace vidrnn::ui
