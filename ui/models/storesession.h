// The UI thread's connection to the run store and the runs it lists. Other
// processes (the CLI, a second workbench) write the same file: every few
// seconds the session asks SQLite whether another connection committed
// (PRAGMA data_version, which reads no table) and only then re-reads the runs,
// in a background thread on a read-only connection of its own, so that a
// store of thousands of runs never stalls the window. runsChanged is
// announced only when the list itself differs. This process's own writes call
// refresh(), which reads at once.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

#include "vidrnn/store.h"

class QThreadPool;
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
    struct Read {
        std::vector<RunRecord> runs;
        QString error;
        quint64 generation = 0;  // a read older than the last refresh() is dropped
    };
    // The background reader's connection, opened in its thread on first use.
    struct Reader {
        std::string path;
        std::unique_ptr<RunStore> store;
    };

    void poll();
    void readFinished();
    void apply(Read read);

    QString mPath;
    std::unique_ptr<RunStore> mStore;
    std::shared_ptr<Reader> mReader;
    QFutureWatcher<Read>* mWatcher = nullptr;
    QThreadPool* mPool = nullptr;  // one thread of its own: never queued behind training
    std::vector<RunRecord> mRuns;
    std::int64_t mVersion = -1;  // data_version when the runs were last read
    quint64 mGeneration = 0;     // counts synchronous refreshes
    QByteArray mDigest;
    QTimer* mTimer = nullptr;
    bool mReportedError = false;
};

}  // namespace vidrnn::ui
