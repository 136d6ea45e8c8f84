#include "storesession.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFileInfo>
#include <QTimer>

#include "qtsupport.h"

namespace vidrnn::ui {

StoreSession::StoreSession(QObject* parent) : QObject(parent) {
    mTimer = new QTimer(this);
    mTimer->setInterval(2000);
    connect(mTimer, &QTimer::timeout, this, &StoreSession::poll);
}

StoreSession::~StoreSession() = default;

void StoreSession::open(const QString& path) {
    auto store = std::make_unique<RunStore>(RunStore::open(ss(path)));
    mStore = std::move(store);
    mPath = qs(mStore->path());
    mStamp.clear();
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

QString StoreSession::fileStamp() const {
    QString stamp;
    for (const QString& f : {mPath, mPath + QStringLiteral("-wal")}) {
        const QFileInfo info(f);
        stamp += QStringLiteral("%1:%2;")
                     .arg(info.exists() ? info.size() : -1)
                     .arg(info.exists() ? info.lastModified().toMSecsSinceEpoch() : 0);
    }
    return stamp;
}

void StoreSession::poll() {
    if (!mStore) {
        return;
    }
    const QString stamp = fileStamp();
    if (stamp != mStamp) {
        refresh();
    }
}

void StoreSession::refresh() {
    if (!mStore) {
        return;
    }
    mStamp = fileStamp();
    std::vector<RunRecord> runs;
    try {
        runs = mStore->listRuns();
        mReportedError = false;
    } catch (const std::exception& e) {
        // A locked or damaged store: say so once, keep the last list.
        if (!mReportedError) {
            mReportedError = true;
            Q_EMIT errorOccurred(qs(e.what()));
        }
        return;
    }
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const auto& r : runs) {
        hash.addData(QByteArray::number(static_cast<qlonglong>(r.id)));
        hash.addData(toString(r.status));
        hash.addData(QByteArray::fromStdString(r.finishedAt + "|" + r.note + "|" + r.message));
        hash.addData(QByteArray::number(r.bestEpoch.value_or(-1)));
        hash.addData(QByteArray::number(r.accuracy.value_or(-1)));
    }
    const QByteArray digest = hash.result();
    mRuns = std::move(runs);
    if (digest != mDigest) {
        mDigest = digest;
        Q_EMIT runsChanged();
    }
}

}  // namespace vidrnn::ui
