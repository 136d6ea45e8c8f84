// What the Compare view draws, gathered in one go on the store session's
// reader thread: the runs' report rows (one per configuration, see
// buildReport), the per-epoch curves of the first runs and the mean
// early-classification curve of each row. The UI thread only plots it, so a
// comparison of 50,000 runs never blocks the window while it is aggregated.
// The runs are streamed through the report, never held: what the UI thread
// later frees is the rows, not 50,000 records (freeing those took 0.3 s).
#pragma once

#include <QList>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "vidrnn/report.h"
#include "vidrnn/store.h"

namespace vidrnn::ui {

struct CompareData {
    Report report;  // the compared runs' rows, with the study's
    struct Curve {
        RunRecord run;  // copied: the data moves between threads
        std::vector<EpochRecord> epochs;
    };
    std::vector<Curve> curves;  // the first kMaxCurves runs (by id) that have epochs
    struct Early {
        std::size_t row = 0;            // into report.rows
        std::vector<EarlyPoint> curve;  // mean over the row's runs that have one
        int runs = 0;
    };
    std::vector<Early> early;  // up to kMaxEarlyRows rows, mean_pool's always among them
    int measured = 0;          // trained runs among those compared
    // The best completed run (test accuracy) of each architecture compared,
    // the model zoo's order first: the runs a report export shows matrices
    // for when none are chosen.
    std::vector<std::int64_t> bestPerArch;

    static constexpr std::size_t kMaxCurves = 48;
    static constexpr std::size_t kMaxEarlyRows = 12;
    // More rows than the chart takes: `early` holds each architecture's most
    // accurate row.
    bool earlyBestOfArch = false;
};

// Reads and aggregates (any thread, with its own connection). `wantedIds`
// empty: every completed run and the study's rows. Throws StoreError.
CompareData readCompareData(const RunStore& store, const QList<qint64>& wantedIds);

}  // namespace vidrnn::ui
