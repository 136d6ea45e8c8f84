#include "models/storesession.h"

#include <QThreadPool>
#include <QTimer>

#include "support/qtsupport.h"
#include "vidrnn/errors.h"

namespace vidrnn::ui {

StoreSession::StoreSession(QObject* parent) : QObject(parent) {
    mTimer = new QTimer(this);
    mTimer->setInterval(2000);
    connect(mTimer, &QTimer::timeout, this, [this] { poll(); });
    mPool = new QThreadPool(this);
    mPool->setMaxThreadCount(1);
}

StoreSession::~StoreSession() {
    mPool->waitForDone();
}

void StoreSession::open(const QString& path) {
    adopt(std::make_unique<RunStore>(RunStore::open(ss(path))));
}

void StoreSession::openInBackground(const QString& location) {
    struct Outcome {
        std::shared_ptr<RunStore> store;
        QString error;
    };
    const quint64 attempt = ++mOpenCount;
    mOpening = attempt;
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, attempt, location] {
        Outcome outcome = watcher->result();
        watcher->deleteLater();
        if (attempt != mOpening) {
            return;  // superseded by a later open: this store closes unused
        }
        mOpening = 0;
        if (!outcome.store) {
            Q_EMIT openFailed(location, outcome.error);
            return;
        }
        adopt(std::make_unique<RunStore>(std::move(*outcome.store)));
    });
    // Not the reader's thread: the open store stays readable meanwhile.
    watcher->setFuture(QtConcurrent::run([path = ss(location)] {
        Outcome outcome;
        try {
            outcome.store = std::make_shared<RunStore>(RunStore::open(path));
        } catch (const std::exception& e) {
            outcome.error = QString::fromUtf8(e.what());
        }
        return outcome;
    }));
}

void StoreSession::adopt(std::unique_ptr<RunStore> store) {
    mPool->waitForDone();
    mStore = std::move(store);
    mPath = qs(mStore->path());
    mReader = std::make_shared<Reader>();
    mReader->path = mStore->path();
    mReportedError = false;
    mPolling = false;
    // The baseline is read before any view's first read (one reader thread,
    // reads in the order asked): a change after it is announced by a poll.
    mVersion = -1;
    poll(false);
    Q_EMIT opened();
    refresh();
    mTimer->start();
}

void StoreSession::setPollInterval(int ms) {
    mTimer->setInterval(ms);
}

std::optional<RunRecord> StoreSession::run(qint64 id) const {
    if (!mStore) {
        return std::nullopt;
    }
    try {
        return mStore->getRun(id);
    } catch (const std::exception&) {
        return std::nullopt;  // a damaged store says so through the views' reads
    }
}

void StoreSession::poll(bool announce) {
    if (!mStore || mPolling) {
        return;
    }
    struct Outcome {
        std::int64_t version = -1;
        QString error;
    };
    mPolling = true;
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this,
            [this, watcher, announce, reader = mReader] {
                const Outcome outcome = watcher->result();
                watcher->deleteLater();
                if (reader != mReader) {
                    return;  // another store was opened meanwhile
                }
                mPolling = false;
                if (!outcome.error.isEmpty()) {
                    // A locked or damaged store, a server gone: say so once.
                    if (!mReportedError) {
                        mReportedError = true;
                        Q_EMIT errorOccurred(outcome.error);
                    }
                    return;
                }
                mReportedError = false;
                if (outcome.version != mVersion) {
                    const bool first = mVersion == -1;
                    mVersion = outcome.version;
                    if (announce || !first) {
                        Q_EMIT runsChanged();
                    }
                }
            });
    // On the reader's thread and connection: a server that is slow or away
    // (the read-only reader does not wait for it to come back) never stalls
    // the window.
    watcher->setFuture(QtConcurrent::run(mPool, [reader = mReader] {
        Outcome outcome;
        try {
            outcome.version = reader->get().dataVersion();
        } catch (const std::exception& e) {
            outcome.error = QString::fromUtf8(e.what());
        }
        return outcome;
    }));
}

void StoreSession::refresh() {
    if (!mStore) {
        return;
    }
    // The reader's version moves with this process's writes as well (another
    // connection), so the next poll may announce them once more: one cheap
    // read of the changes, which finds them applied.
    Q_EMIT runsChanged();
}

}  // namespace vidrnn::ui
