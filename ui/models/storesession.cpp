#include "models/storesession.h"

#include <QThreadPool>
#include <QTimer>

#include "support/qtsupport.h"
#include "vidrnn/errors.h"

namespace vidrnn::ui {

StoreSession::StoreSession(QObject* parent) : QObject(parent) {
    mTimer = new QTimer(this);
    mTimer->setInterval(2000);
    connect(mTimer, &QTimer::timeout, this, &StoreSession::poll);
    mPool = new QThreadPool(this);
    mPool->setMaxThreadCount(1);
}

StoreSession::~StoreSession() {
    mPool->waitForDone();
}

void StoreSession::open(const QString& path) {
    auto store = std::make_unique<RunStore>(RunStore::open(ss(path)));
    mPool->waitForDone();
    mStore = std::move(store);
    mPath = qs(mStore->path());
    mReader = std::make_shared<Reader>();
    mReader->path = mStore->path();
    mReportedError = false;
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

void StoreSession::poll() {
    if (!mStore) {
        return;
    }
    std::int64_t version = -1;
    try {
        version = mStore->dataVersion();
    } catch (const std::exception& e) {
        // A locked or damaged store: say so once.
        if (!mReportedError) {
            mReportedError = true;
            Q_EMIT errorOccurred(qs(e.what()));
        }
        return;
    }
    mReportedError = false;
    if (version != mVersion) {
        mVersion = version;
        Q_EMIT runsChanged();
    }
}

void StoreSession::refresh() {
    if (!mStore) {
        return;
    }
    try {
        mVersion = mStore->dataVersion();
    } catch (const std::exception&) {
        mVersion = -1;  // the next poll reports it
    }
    Q_EMIT runsChanged();
}

}  // namespace vidrnn::ui
