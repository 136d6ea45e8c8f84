// Can anyone get this number again? A run trained again from its stored
// record (rerunExperiment, vidrnn/experiment.h) is compared with the
// original here: every epoch's losses and accuracies, the test metrics, the
// confusion matrix, the per-clip probabilities and the order diagnostics,
// bit for bit (the same build, CPU, threads and precision give the same
// bits), and the provenance fields that differ, which say why when they are
// not the same.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vidrnn/store.h"

namespace vidrnn {

struct RerunCheck {
    std::int64_t original = 0, rerun = 0;
    // Every compared number equal to the last bit.
    bool identical() const { return differences.empty(); }
    // "epoch 3 train loss: 0.69314718055994529 vs 0.69314718055994540", in
    // order: epochs first, then the test results.
    std::vector<std::string> differences;
    // "threads: 1 vs 2" for every provenance field that differs (unknown
    // counts as a value); host and the like are listed too, though only
    // the build, CPU, threads, device and precision change results.
    std::vector<std::string> provenance;
};

// Compares two completed runs of the store. Throws ConfigError when either
// is missing or not completed.
RerunCheck checkRerun(const RunStore& store, std::int64_t original, std::int64_t rerun);

// The check as text for a terminal: "identical" and the provenance that
// agrees, or the differences (at most `maxLines` of them, then a count).
std::string formatRerunCheck(const RerunCheck& check, std::size_t maxLines = 40);

}  // namespace vidrnn
