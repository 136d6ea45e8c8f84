// The Sweep tab: a sweep's cells by state while workers run it, on this
// machine or a cluster (several `vidrnn sweep ... --worker` processes, a
// Slurm job array). Counts of cells done, running, queued and failed, and a
// row per cell being trained (host, pid, Slurm job, last heartbeat) or given
// up (the last reason). It follows the store: each change the session
// announces is one read of the sweep on the session's reader thread, while
// the tab is shown (the runs themselves appear in the Runs tab as workers
// finish them).
#pragma once

#include <QWidget>

#include <optional>
#include <vector>

#include "vidrnn/sweepprogress.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QTableWidget;

namespace vidrnn::ui {

class StoreSession;

class SweepView : public QWidget {
    Q_OBJECT
public:
    enum Column {
        ColState,
        ColRun,
        ColType,
        ColHidden,
        ColFold,
        ColSeed,
        ColHost,
        ColPid,
        ColJob,
        ColHeartbeat,
        ColReason,
        ColumnCount
    };

    explicit SweepView(StoreSession* session, QWidget* parent = nullptr);

    // The sweep shown (the newest unless one was chosen), as last read.
    const std::optional<SweepProgress>& progress() const { return mProgress; }
    QString summary() const;
    QTableWidget* cellsTable() const { return mCells; }
    QComboBox* sweepChooser() const { return mSweeps; }
    // How many reads have been applied (tests wait for the next one).
    int updates() const { return mUpdates; }

public Q_SLOTS:
    // Reads the chosen sweep again (connected to the session's changes);
    // while the tab is hidden, once it is shown.
    void refresh();

Q_SIGNALS:
    void updated();

public:
    // What one read brings back (sweepview.cpp).
    struct Snapshot;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void reset();
    void apply(Snapshot snapshot);
    void showSweeps(const std::vector<SweepRecord>& sweeps);
    void showCells();

    StoreSession* mSession = nullptr;
    QComboBox* mSweeps = nullptr;
    QLabel* mSummary = nullptr;
    QProgressBar* mBar = nullptr;
    QTableWidget* mCells = nullptr;
    std::optional<SweepProgress> mProgress;
    std::vector<std::int64_t> mSweepIds;  // the chooser's entries after "Newest sweep"
    quint64 mGeneration = 0;  // bumped when another store opens: older answers are dropped
    bool mBusy = false;       // a read is out: no second one before it is applied
    bool mPending = false;    // the store changed meanwhile: read again after it
    bool mDirty = false;      // the store changed while the tab was hidden
    int mUpdates = 0;
};

}  // namespace vidrnn::ui
