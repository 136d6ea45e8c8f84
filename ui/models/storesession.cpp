#include "models/storesession.h"

#include <QCryptographicHash>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent>

#include "support/qtsupport.h"

namespace vidrnn::ui {

StoreSession::StoreSession(QObject* parent) : QObject(parent) {
    mTimer = new QTimer(this);
    mTimer->setInterval(2000);
    connect(mTimer, &QTimer::timeout, this, &StoreSession::poll);
    mPool = new QThreadPool(this);
    mPool->setMaxThreadCount(1);
    mWatcher = new QFutureWatcher<Read>(this);
    connect(mWatcher, &QFutureWatcher<Read>::finished, this, &StoreSession::readFinished);
}

StoreSession::~StoreSession() {
    mWatcher->waitForFinished();
}

void StoreSession::open(const QString& path) {
    auto store = std::make_unique<RunStore>(RunStore::open(ss(path)));
    mWatcher->waitForFinished();
    mStore = std::move(store);
    mPath = qs(mStore->path());
    mReader = std::make_shared<Reader>();
    mReader->path = mStore->path();
    mVersion = -1;
    mDigest.clear();
    refresh();
    mTimer->start();
}

void StoreSession::setPollInterval(int ms) {
    mTimer->setInterval(ms);
}

const RunRecord* StoreSession::run(qint64 id) const {
    for (const auto& r : mRuns) {
        if (r.id == id) {
            return &r;
        }
    }
    return nullptr;
}

void StoreSession::poll() {
    if (!mStore || mWatcher->isRunning()) {
        return;
    }
    std::int64_t version = -1;
    try {
        version = mStore->dataVersion();
    } catch (const std::exception&) {
        refresh();  // says what is wrong with the store
        return;
    }
    if (version == mVersion) {
        return;
    }
    // Commits after this point change the version again: read once more then.
    mVersion = version;
    mWatcher->setFuture(QtConcurrent::run(mPool, [reader = mReader, g = mGeneration] {
        Read read;
        read.generation = g;
        try {
            if (!reader->store) {
                reader->store = std::make_unique<RunStore>(
                    RunStore::open(reader->path, RunStore::OpenMode::ReadOnly));
            }
            read.runs = reader->store->listRuns();
        } catch (const std::exception& e) {
            read.error = qs(e.what());
        }
        return read;
    }));
}

void StoreSession::readFinished() {
    if (mWatcher->future().resultCount() > 0 && mWatcher->result().generation == mGeneration) {
        apply(mWatcher->result());
    }
}

void StoreSession::refresh() {
    if (!mStore) {
        return;
    }
    Read read;
    read.generation = ++mGeneration;
    try {
        mVersion = mStore->dataVersion();
        read.runs = mStore->listRuns();
    } catch (const std::exception& e) {
        read.error = qs(e.what());
    }
    apply(std::move(read));
}

void StoreSession::apply(Read read) {
    if (!read.error.isEmpty()) {
        // A locked or damaged store: say so once, keep the last list.
        if (!mReportedError) {
            mReportedError = true;
            Q_EMIT errorOccurred(read.error);
        }
        mVersion = -1;  // try again at the next poll
        return;
    }
    mReportedError = false;
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const auto& r : read.runs) {
        hash.addData(QByteArray::number(static_cast<qlonglong>(r.id)));
        hash.addData(toString(r.status));
        hash.addData(QByteArray::fromStdString(r.finishedAt + "|" + r.note + "|" + r.message));
        hash.addData(QByteArray::number(r.bestEpoch.value_or(-1)));
        hash.addData(QByteArray::number(r.accuracy.value_or(-1)));
    }
    const QByteArray digest = hash.result();
    mRuns = std::move(read.runs);
    if (digest != mDigest) {
        mDigest = digest;
        Q_EMIT runsChanged();
    }
}

}  // namespace vidrnn::ui
