// Scans a data set (folder, class-folder tree or manifest) or generates the
// demo data and then scans it, in a pool thread with progress and cancel.
// Results arrive in the object's thread.
#pragma once

#include <QFuture>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

#include "vidrnn/dataset.h"

namespace vidrnn::ui {

class DatasetLoader : public QObject {
    Q_OBJECT
public:
    explicit DatasetLoader(QObject* parent = nullptr);
    ~DatasetLoader() override;

    // Both refuse (return false) while a job is running.
    bool scan(const QString& path);
    // Generates (or reuses) the demo in `dir` with `preset` (tiny|small|full),
    // then scans it.
    bool generateDemo(const QString& dir, const QString& preset);
    void cancel();
    bool isBusy() const { return mBusy; }

Q_SIGNALS:
    void busyChanged(bool busy);
    // stage: "Generating demo clips", "Probing clips"; total 0 = unknown.
    void progress(const QString& stage, int done, int total);
    void loaded(std::shared_ptr<const vidrnn::Dataset> dataset, const QString& note);
    void failed(const QString& message);
    void cancelled();

private:
    bool start(const QString& path, const QString& demoPreset);
    void work(QString path, QString demoPreset);
    template <typename F>
    void post(F fn);

    std::atomic<bool> mStop{false};
    bool mBusy = false;
    QFuture<void> mFuture;
};

}  // namespace vidrnn::ui
