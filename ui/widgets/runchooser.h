// A run chooser for stores of any size: a search field whose completions the
// store finds (the newest 30 runs matching the words typed, read off the UI
// thread), instead of a drop-down of every run (docs/development.md, rule 7). A run is
// chosen from the list, or by typing its id.
#pragma once

#include <QLineEdit>

#include "vidrnn/store.h"

class QCompleter;
class QStandardItemModel;

namespace vidrnn::ui {

class StoreSession;

class RunChooser : public QLineEdit {
    Q_OBJECT
public:
    static constexpr int kMatches = 30;

    // Offers the completed trained runs unless setFilter says otherwise.
    RunChooser(StoreSession* session, QWidget* parent = nullptr);

    void setFilter(const RunFilter& filter) { mFilter = filter; }
    // Whether an empty field (no run) is a choice (Run B of the scrubber).
    void setAllowNone(bool allow);

    qint64 runId() const { return mRunId; }
    // Shows run `id` (0 = none) without emitting runChosen.
    void setRunId(qint64 id);
    // The completions offered now (for tests).
    QStandardItemModel* matches() const { return mMatches; }

Q_SIGNALS:
    void runChosen(qint64 id);
    // A search's completions have arrived.
    void matchesUpdated();

private:
    void search(const QString& text);
    void choose(qint64 id);
    void commitTyped();
    // Checks the chosen run still exists (after a change to the store).
    void recheck();

    StoreSession* mSession = nullptr;
    QCompleter* mCompleter = nullptr;
    QStandardItemModel* mMatches = nullptr;
    RunFilter mFilter;
    qint64 mRunId = 0;
    quint64 mSearch = 0;  // answers to older searches are dropped
    bool mAllowNone = false;
    bool mSetting = false;  // setText() by the chooser itself: not a search
};

}  // namespace vidrnn::ui
