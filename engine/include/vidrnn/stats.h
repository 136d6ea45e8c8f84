// Statistics for comparing configurations run over the same folds and seeds:
// t confidence intervals, the Wilcoxon signed-rank test and the exact
// sign-flip permutation test on paired differences, and Holm's correction for
// a family of tests. No dependency beyond the standard library; checked in
// tst_stats against scipy's values for the same inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace vidrnn {

// The p-quantile of Student's t distribution with df degrees of freedom
// (df >= 1, 0 < p < 1). Throws LogicError outside that domain.
double studentTQuantile(double p, int df);

// A mean with its two-sided confidence interval from the t distribution:
// mean ± t(1 - (1 - level) / 2, n - 1) · sd / sqrt(n). The interval is empty
// for n < 2.
struct MeanInterval {
    double mean = 0.0;
    std::optional<double> low, high;
    int n = 0;
    std::optional<double> halfWidth() const {
        if (!low || !high)
            return std::nullopt;
        return (*high - *low) / 2.0;
    }
};
MeanInterval meanInterval(const std::vector<double>& values, double level = 0.95);

struct TestResult {
    double statistic = 0.0;
    double p = 1.0;  // two-sided
    int n = 0;       // observations the test used
};

// Wilcoxon signed-rank test of "the differences are symmetric about 0",
// two-sided. Zero differences are dropped (scipy's zero_method='wilcox');
// tied absolute values share their mean rank. The p-value is exact: the
// distribution of the positive rank sum over all 2^n sign patterns given the
// ranks (for ties this is the exact conditional test, where scipy falls back
// to the normal approximation). statistic = min(R+, R-), as scipy reports it.
TestResult wilcoxonSignedRank(const std::vector<double>& differences);

// Sign-flip permutation test of "mean difference = 0", two-sided: the share
// of the 2^n sign patterns whose mean is at least as extreme as the observed
// one (p = 2 · min(P(mean <= observed), P(mean >= observed)), capped at 1, as
// scipy.stats.permutation_test computes it). Exact up to n = kExactFlipLimit;
// above it, `samples` random patterns from a fixed seed (reproducible).
constexpr int kExactFlipLimit = 20;
TestResult signFlipTest(const std::vector<double>& differences, int samples = 200000);

// Holm's step-down adjusted p-values, in the order given.
std::vector<double> holmAdjust(const std::vector<double>& p);

// The fewest pairs a paired test is run on: below it no test is reported
// (with 4 pairs the smallest two-sided Wilcoxon p-value is 0.125).
constexpr int kMinPairsForTest = 5;

}  // namespace vidrnn
