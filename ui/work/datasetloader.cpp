#include "work/datasetloader.h"

#include <QDir>
#include <QtConcurrent/QtConcurrentRun>

#include <chrono>

#include "support/qtsupport.h"
#include "vidrnn/demo.h"
#include "vidrnn/errors.h"
#include "work/background.h"

namespace vidrnn::ui {

DatasetLoader::DatasetLoader(QObject* parent) : QObject(parent) {}

DatasetLoader::~DatasetLoader() {
    mStop = true;
    mFuture.waitForFinished();
}

bool DatasetLoader::scan(const QString& path) {
    return start(path, {});
}

bool DatasetLoader::generateDemo(const QString& dir, const QString& preset) {
    return start(dir, preset.isEmpty() ? QStringLiteral("small") : preset);
}

void DatasetLoader::cancel() {
    mStop = true;
}

bool DatasetLoader::start(const QString& path, const QString& demoPreset) {
    if (mBusy) {
        return false;
    }
    mFuture.waitForFinished();
    mStop = false;
    mBusy = true;
    Q_EMIT busyChanged(true);
    mFuture = QtConcurrent::run(backgroundPool(), [this, path, demoPreset] {
        lowerThreadPriority();
        work(path, demoPreset);
    });
    return true;
}

template <typename F>
void DatasetLoader::post(F fn) {
    QMetaObject::invokeMethod(this, fn, Qt::QueuedConnection);
}

// Pool thread: every result goes back through post(); progress is thinned to
// about ten updates a second so the event queue never floods.
void DatasetLoader::work(QString path, QString demoPreset) {
    auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    auto report = [this, &last](const QString& stage, int done, int total) {
        const auto now = std::chrono::steady_clock::now();
        if (done != total && now - last < std::chrono::milliseconds(100)) {
            return;
        }
        last = now;
        post([this, stage, done, total] { Q_EMIT progress(stage, done, total); });
    };
    auto finish = [this](auto fn) {
        post([this, fn] {
            mBusy = false;
            fn();
            Q_EMIT busyChanged(false);
        });
    };
    try {
        QString note;
        std::string root = ss(path);
        if (!demoPreset.isEmpty()) {
            DemoOptions demo;
            demo.outDir = ss(QDir(path).absolutePath());
            demo.preset = ss(demoPreset);
            demo.stop = &mStop;
            demo.progress = [&](int done, int total) {
                report(tr("Generating demo clips"), done, total);
            };
            const auto summary = vidrnn::generateDemo(demo);
            root = summary.outDir;
            note = tr("Demo data (%1): %2 clips%3; %4")
                       .arg(qs(summary.preset))
                       .arg(summary.clips)
                       .arg(summary.reused ? tr(", already generated") : QString())
                       .arg(qs(summary.reversedPair));
        }
        ScanOptions options;
        options.stop = &mStop;
        options.progress = [&](int done, int total) { report(tr("Probing clips"), done, total); };
        auto dataset = std::make_shared<const Dataset>(scanDataset(root, options));
        finish([this, dataset, note] { Q_EMIT loaded(dataset, note); });
    } catch (const Error& e) {
        if (mStop) {
            finish([this] { Q_EMIT cancelled(); });
        } else {
            const QString msg = qs(e.what());
            finish([this, msg] { Q_EMIT failed(msg); });
        }
    } catch (const std::exception& e) {
        const QString msg = QStringLiteral("%1: %2").arg(path, qs(e.what()));
        finish([this, msg] { Q_EMIT failed(msg); });
    }
}

}  // namespace vidrnn::ui
