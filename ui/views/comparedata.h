// What the Compare view draws, gathered in one go on the store session's
// reader thread: the runs, their report rows (one per configuration, see
// buildReport), the per-epoch curves of the first runs and the mean
// early-classification curve of each row. The UI thread only plots it, so a
// comparison of 50,000 runs never blocks the window while it is aggregated.
#pragma once

#include <QList>

#include <cstddef>
#include <vector>

#include "vidrnn/report.h"
#include "vidrnn/store.h"

namespace vidrnn::ui {

struct CompareData {
    std::vector<RunRecord> runs;  // the runs compared (every completed run, or those asked for)
    Report report;                // their rows, with the study's
    struct Curve {
        std::size_t run = 0;  // index into runs (the data is copied between threads)
        std::vector<EpochRecord> epochs;
    };
    std::vector<Curve> curves;  // the first kMaxCurves runs that have epochs
    struct Early {
        std::size_t row = 0;            // into report.rows
        std::vector<EarlyPoint> curve;  // mean over the row's runs that have one
        int runs = 0;
    };
    std::vector<Early> early;  // up to kMaxEarlyRows rows, mean_pool's always among them
    int measured = 0;          // trained runs among runs

    static constexpr std::size_t kMaxCurves = 48;
    static constexpr std::size_t kMaxEarlyRows = 12;
};

// Reads and aggregates (any thread, with its own connection). `wantedIds`
// empty: every completed run and the study's rows. Throws StoreError.
CompareData readCompareData(const RunStore& store, const QList<qint64>& wantedIds);

}  // namespace vidrnn::ui
