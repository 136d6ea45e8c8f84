// Helpers shared by the workbench tests: an isolated environment (feature
// cache, settings and store in a temporary folder), the tiny demo data set,
// a tiny run trained through the engine, and what a runs table shows.
#pragma once

#include <QCoreApplication>
#include <QDir>
#include <QTemporaryDir>

#include <atomic>
#include <set>
#include <string>

#include "models/runsmodel.h"
#include "vidrnn/demo.h"
#include "vidrnn/experiment.h"
#include "vidrnn/store.h"

namespace vidrnn::test {

// Points the feature cache, the default store's data folder and QSettings
// into `dir` (call before any QSettings use).
inline void isolate(const QTemporaryDir& dir) {
    qputenv("VIDRNN_CACHE", QDir(dir.path()).filePath("cache").toUtf8());
    qputenv("XDG_CONFIG_HOME", QDir(dir.path()).filePath("config").toUtf8());
    qputenv("XDG_DATA_HOME", QDir(dir.path()).filePath("data").toUtf8());
    QCoreApplication::setOrganizationName("vidrnn-tests");
    QCoreApplication::setApplicationName("workbench-tests");
}

// The tiny demo (11 classes x 2 groups x 2 clips) in dir/demo.
inline QString tinyDemo(const QTemporaryDir& dir) {
    DemoOptions o;
    o.outDir = QDir(dir.path()).filePath("demo").toStdString();
    o.preset = "tiny";
    return QString::fromStdString(generateDemo(o).outDir);
}

// A run that trains in about a second on two cores.
inline TrainConfig tinyConfig(const QString& dataset) {
    TrainConfig c;
    c.dataset = dataset.toStdString();
    c.arch = "gru";
    c.backbone = kRandomBackbone;  // the demo's backbone
    c.hidden = 16;
    c.imageSize = 32;
    c.frames = 4;
    c.epochs = 2;
    c.batch = 8;
    c.split = "random";
    c.patience = 0;
    c.device = "cpu";
    return c;
}

// Trains `config` into the store at `storePath` through the engine (no window).
inline std::int64_t trainDirect(const QString& storePath, const TrainConfig& config) {
    const auto ds = scanDataset(config.dataset);
    std::atomic<bool> stop{false};
    auto store = RunStore::open(storePath.toStdString());
    const auto features = featuresFor(ds, config, {}, stop);
    const auto r = runExperiment(store, config, ds, features, {}, stop);
    return r.status == RunStatus::Completed ? r.runId : 0;
}

// The completed trained runs a runs table shows (its loaded rows).
inline std::set<qint64> completedRuns(const ui::RunsModel& model) {
    std::set<qint64> ids;
    for (const RunRecord& r : model.runs()) {
        if (r.kind == RunKind::Trained && r.status == RunStatus::Completed) {
            ids.insert(r.id);
        }
    }
    return ids;
}

}  // namespace vidrnn::test
