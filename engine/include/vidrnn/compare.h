// Paired comparison of two report rows: on the (fold, seed) pairs both rows
// ran, the per-pair differences of accuracy and macro F1, their mean with a
// 95% t confidence interval, the Wilcoxon signed-rank test and the exact
// sign-flip permutation test (see vidrnn/stats.h). With fewer than
// kMinPairsForTest pairs no test is reported, only the reason. A table of
// comparisons gets Holm-adjusted Wilcoxon p-values over the whole table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vidrnn/report.h"
#include "vidrnn/stats.h"

namespace vidrnn {

struct PairedMetric {
    std::vector<double> differences;  // row A minus row B, one per pair
    MeanInterval mean;                // with its 95% t interval
    std::optional<TestResult> wilcoxon, signFlip;
    std::optional<double> holm;  // Wilcoxon p adjusted over the table (Holm)
};

struct PairedComparison {
    std::string rowA, rowB;                                   // row ids ("r3")
    std::string labelA, labelB;                               // "GRU 256 (r3)"
    std::vector<std::pair<int, int>> pairs;                   // matched (fold, seed)
    std::vector<std::pair<std::int64_t, std::int64_t>> runs;  // run ids (A, B) per pair
    PairedMetric accuracy, macroF1;
    // Order reliance (accuracy - shuffled accuracy) on the pairs where both
    // runs have it (none for runs stored before schema 8); not Holm-adjusted.
    PairedMetric orderReliance;
    // Why there is no test ("3 matched (fold, seed) pairs; a paired test needs
    // at least 5"); "" when there is one.
    std::string noTest;
};

// Throws ConfigError when a row is a reference row (no folds or seeds).
PairedComparison comparePaired(const ReportRow& a, const ReportRow& b);

// The row named by `spec`: its id ("r3") or the id of a run counted in it
// ("12"). Throws ConfigError naming the spec and the rows there are.
const ReportRow& findReportRow(const Report& report, const std::string& spec);

// Every pair of measured rows with at least one matched (fold, seed), Holm
// over all of them.
std::vector<PairedComparison> compareAllPairs(const Report& report);
// Each measured row against the best one (highest mean accuracy; rows sharing
// no (fold, seed) with it are left out), Holm over them.
std::vector<PairedComparison> compareAgainstBest(const Report& report);
// Holm-adjusts the Wilcoxon p-values of the tested comparisons, per metric.
void applyHolm(std::vector<PairedComparison>& comparisons);

// The same formats as the report; every one names the test, the interval and
// the run ids of each pair.
std::string formatComparisons(const std::vector<PairedComparison>& comparisons,
                              ReportFormat format);

}  // namespace vidrnn
