#include "widgets/runchooser.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QRegularExpression>
#include <QStandardItemModel>

#include "models/storesession.h"
#include "support/qtsupport.h"

namespace vidrnn::ui {

namespace {

constexpr int IdRole = Qt::UserRole + 1;

QString label(const RunRecord& r) {
    QString text = QStringLiteral("#%1  %2").arg(r.id).arg(runTitle(r));
    if (r.accuracy) {
        text += QStringLiteral(" · acc %1").arg(*r.accuracy, 0, 'f', 3);
    }
    return text;
}

}  // namespace

RunChooser::RunChooser(StoreSession* session, QWidget* parent)
    : QLineEdit(parent), mSession(session) {
    mFilter.kind = RunKind::Trained;
    mFilter.status = RunStatus::Completed;
    setClearButtonEnabled(true);
    setPlaceholderText(tr("Search runs: id, architecture, hidden size, note…"));
    mMatches = new QStandardItemModel(this);
    mCompleter = new QCompleter(mMatches, this);
    // The store has filtered already: show what it found as it is.
    mCompleter->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    mCompleter->setMaxVisibleItems(15);
    setCompleter(mCompleter);
    connect(mCompleter, QOverload<const QModelIndex&>::of(&QCompleter::activated), this,
            [this](const QModelIndex& index) { choose(index.data(IdRole).toLongLong()); });
    connect(this, &QLineEdit::textEdited, this, &RunChooser::search);
    connect(this, &QLineEdit::returnPressed, this, &RunChooser::commitTyped);
    connect(this, &QLineEdit::editingFinished, this, [this] {
        if (text().isEmpty() && mAllowNone && mRunId != 0) {
            choose(0);
        }
    });
    connect(mSession, &StoreSession::runsChanged, this, &RunChooser::recheck);
}

void RunChooser::setAllowNone(bool allow) {
    mAllowNone = allow;
    setPlaceholderText(allow ? tr("— none — (search runs to compare)") : placeholderText());
}

void RunChooser::setRunId(qint64 id) {
    mRunId = id;
    const auto run = id != 0 ? mSession->run(id) : std::nullopt;
    if (!run) {
        mRunId = 0;
    }
    mSetting = true;
    setText(run ? label(*run) : QString());
    mSetting = false;
}

void RunChooser::choose(qint64 id) {
    setRunId(id);
    Q_EMIT runChosen(mRunId);
}

// "#12", "12" or "12 gru": the run with that id, when it is one on offer.
void RunChooser::commitTyped() {
    static const QRegularExpression leadingId(QStringLiteral("^#?(\\d+)\\b"));
    const auto match = leadingId.match(text().trimmed());
    if (match.hasMatch()) {
        const qint64 id = match.captured(1).toLongLong();
        const auto run = mSession->run(id);
        if (run && (!mFilter.status || run->status == *mFilter.status) &&
            (!mFilter.kind || run->kind == *mFilter.kind)) {
            choose(id);
            return;
        }
    }
    if (mMatches->rowCount() > 0) {
        choose(mMatches->item(0)->data(IdRole).toLongLong());
    }
}

void RunChooser::search(const QString& text) {
    if (mSetting || !mSession->isOpen()) {
        return;
    }
    RunQuery q;
    q.filter = mFilter;
    q.text = ss(text);
    q.sort = RunSort::Id;
    q.descending = true;
    q.limit = kMatches;
    const quint64 search = ++mSearch;
    mSession->read<std::vector<RunRecord>>(
        this, [q](const RunStore& store) { return store.queryRuns(q); },
        [this, search](std::vector<RunRecord> runs, QString error) {
            if (search != mSearch || !error.isEmpty()) {
                return;  // a newer search is out; a store error shows in the runs table
            }
            mMatches->clear();
            for (const RunRecord& r : runs) {
                auto* item = new QStandardItem(label(r));
                item->setData(QVariant::fromValue(static_cast<qlonglong>(r.id)), IdRole);
                mMatches->appendRow(item);
            }
            if (hasFocus() && !runs.empty()) {
                mCompleter->complete();
            }
            Q_EMIT matchesUpdated();
        });
}

void RunChooser::recheck() {
    if (mRunId != 0 && !mSession->run(mRunId)) {
        choose(0);  // deleted
    }
}

}  // namespace vidrnn::ui
