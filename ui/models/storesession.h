// The UI thread's connection to the run store: a SQLite file or a
// PostgreSQL database (postgresql://...). Other processes (the CLI, cluster
// workers, a second workbench) write the same store: every few seconds the
// session asks, on its reader thread, whether anyone committed (SQLite's
// PRAGMA data_version, PostgreSQL's change log, neither reading a table of
// runs) and only then announces runsChanged; this process's own writes call
// refresh(), which announces it too. The session holds no copy of the runs:
// views read what they show through read(), on a read-only connection in a
// thread of its own, so that a store of 50,000 runs or a slow server never
// stalls the window (docs/development.md, rule 7).
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QtConcurrent>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "vidrnn/errors.h"
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
    // vidrnn::StoreError naming the file or server and the reason.
    void open(const QString& path);
    // The same on a thread of its own (a server may take seconds to answer,
    // an old file to migrate), then switches to it here with opened(); or
    // openFailed(), the store open before staying open. A later call
    // supersedes one still connecting.
    void openInBackground(const QString& location);
    bool isOpening() const { return mOpening != 0; }
    bool isOpen() const { return mStore != nullptr; }
    QString path() const { return mPath; }
    // For writes, and reads that do not grow with the store (one run by id).
    RunStore* store() const { return mStore.get(); }

    // One run by its primary key (no scan), or nothing.
    std::optional<RunRecord> run(qint64 id) const;

    void setPollInterval(int ms);

    // Runs `work` on the reader thread with its read-only connection, then
    // `done` on the UI thread with the result or the error's message ("" when
    // none), unless `context` is gone by then. Reads run one after another in
    // the order asked.
    template <typename Result>
    void read(QObject* context, std::function<Result(const RunStore&)> work,
              std::function<void(Result, QString)> done);

    // How many reads were asked for since the session opened (for tests that
    // prove a view does not read the store once per row).
    quint64 readCount() const { return mReads; }

public Q_SLOTS:
    // Announces runsChanged now (after this process changed the store).
    void refresh();

Q_SIGNALS:
    // Another store (or the first) is open: views read it from the start.
    void opened();
    // The store may have changed: views ask for what they show again (for a
    // table, RunStore::changesSince).
    void runsChanged();
    void errorOccurred(const QString& message);
    // openInBackground could not open `location`; `message` names the file
    // or server and the reason.
    void openFailed(const QString& location, const QString& message);

private:
    // The background reader's connection, opened in its thread on first use.
    struct Reader {
        std::string path;
        std::unique_ptr<RunStore> store;
        const RunStore& get() {
            if (!store) {
                store =
                    std::make_unique<RunStore>(RunStore::open(path, RunStore::OpenMode::ReadOnly));
            }
            return *store;
        }
    };
    // Switches to an opened store.
    void adopt(std::unique_ptr<RunStore> store);
    // Asks the reader for the store's version; `announce` false takes it as
    // the baseline.
    void poll(bool announce = true);

    QString mPath;
    std::unique_ptr<RunStore> mStore;
    std::shared_ptr<Reader> mReader;
    QThreadPool* mPool = nullptr;  // one thread of its own: never queued behind training
    // The reader connection's version when last seen (its own counter: on
    // SQLite every connection has one).
    std::int64_t mVersion = -1;
    QTimer* mTimer = nullptr;
    bool mPolling = false;  // a poll is out: no second one before it comes back
    bool mReportedError = false;
    quint64 mOpening = 0;  // the background open under way (0 = none)
    quint64 mOpenCount = 0;
    quint64 mReads = 0;
};

template <typename Result>
void StoreSession::read(QObject* context, std::function<Result(const RunStore&)> work,
                        std::function<void(Result, QString)> done) {
    struct Outcome {
        Result result{};
        QString error;
    };
    ++mReads;
    auto* watcher = new QFutureWatcher<Outcome>(context);
    QObject::connect(watcher, &QFutureWatcher<Outcome>::finished, context,
                     [watcher, done = std::move(done)] {
                         Outcome outcome = watcher->result();
                         watcher->deleteLater();
                         done(std::move(outcome.result), outcome.error);
                     });
    watcher->setFuture(QtConcurrent::run(mPool, [reader = mReader, work = std::move(work)] {
        Outcome outcome;
        try {
            if (!reader) {
                throw StoreError("no store is open");
            }
            outcome.result = work(reader->get());
        } catch (const std::exception& e) {
            outcome.error = QString::fromUtf8(e.what());
        }
        return outcome;
    }));
}

}  // namespace vidrnn::ui
