// The UI thread's connection to the run store and the runs it lists. Other
// processes (the CLI, a second workbench) write the same file: the session
// polls the database and its -wal file every few seconds and re-reads the
// runs only when either changed, announcing runsChanged only when the list
// itself differs.
#pragma once

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

#include "vidrnn/store.h"

class QTimer;

namespace vidrnn::ui {

class StoreSession : public QObject {
    Q_OBJECT
public:
    explicit StoreSession(QObject* parent = nullptr);
    ~StoreSession() override;

    // Opens (creating it and importing the study's rows when new). Throws
    // vidrnn::StoreError naming the file and the reason.
    void open(const QString& path);
    bool isOpen() const { return mStore != nullptr; }
    QString path() const { return mPath; }
    RunStore* store() const { return mStore.get(); }

    const std::vector<RunRecord>& runs() const { return mRuns; }
    const RunRecord* run(qint64 id) const;

    void setPollInterval(int ms);

public Q_SLOTS:
    // Re-reads the runs now (after this process changed the store).
    void refresh();

Q_SIGNALS:
    void runsChanged();
    void errorOccurred(const QString& message);

private:
    void poll();
    QString fileStamp() const;

    QString mPath;
    std::unique_ptr<RunStore> mStore;
    std::vector<RunRecord> mRuns;
    QString mStamp;
    QByteArray mDigest;
    QTimer* mTimer = nullptr;
    bool mReportedError = false;
};

}  // namespace vidrnn::ui
