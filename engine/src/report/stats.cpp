#include "vidrnn/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>

#include "vidrnn/errors.h"

namespace vidrnn {

namespace {

// Continued fraction of the regularised incomplete beta function (modified
// Lentz), converging for x < (a + 1) / (a + b + 2).
double betaFraction(double a, double b, double x) {
    constexpr double tiny = 1e-300;
    constexpr double eps = 1e-15;
    double c = 1.0;
    double d = 1.0 - (a + b) * x / (a + 1.0);
    d = 1.0 / (std::fabs(d) < tiny ? tiny : d);
    double h = d;
    for (int m = 1; m <= 500; ++m) {
        const double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        for (int step = 0; step < 2; ++step) {
            d = 1.0 + num * d;
            d = 1.0 / (std::fabs(d) < tiny ? tiny : d);
            c = 1.0 + num / c;
            c = std::fabs(c) < tiny ? tiny : c;
            h *= d * c;
            num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        }
        if (std::fabs(d * c - 1.0) < eps)
            break;
    }
    return h;
}

// I_x(a, b).
double incompleteBeta(double a, double b, double x) {
    if (x <= 0.0)
        return 0.0;
    if (x >= 1.0)
        return 1.0;
    const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                  a * std::log(x) + b * std::log1p(-x));
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * betaFraction(a, b, x) / a;
    return 1.0 - front * betaFraction(b, a, 1.0 - x) / b;
}

double studentTCdf(double t, int df) {
    const double v = df;
    const double tail = 0.5 * incompleteBeta(v / 2.0, 0.5, v / (v + t * t));
    return t >= 0 ? 1.0 - tail : tail;
}

std::vector<double> nonZero(const std::vector<double>& values) {
    std::vector<double> out;
    for (double v : values) {
        if (v != 0.0)
            out.push_back(v);
    }
    return out;
}

}  // namespace

double studentTQuantile(double p, int df) {
    if (!(p > 0.0 && p < 1.0) || df < 1) {
        throw LogicError("studentTQuantile needs 0 < p < 1 and df >= 1");
    }
    if (p < 0.5)
        return -studentTQuantile(1.0 - p, df);
    // The CDF is monotone: bisection to double precision is ample here.
    double lo = 0.0, hi = 1.0;
    while (studentTCdf(hi, df) < p)
        hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-13 * std::max(1.0, hi); ++i) {
        const double mid = 0.5 * (lo + hi);
        (studentTCdf(mid, df) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

MeanInterval meanInterval(const std::vector<double>& values, double level) {
    MeanInterval r;
    r.n = static_cast<int>(values.size());
    if (values.empty())
        return r;
    r.mean = std::accumulate(values.begin(), values.end(), 0.0) / r.n;
    if (r.n < 2)
        return r;
    double squares = 0.0;
    for (double v : values)
        squares += (v - r.mean) * (v - r.mean);
    const double se = std::sqrt(squares / (r.n - 1)) / std::sqrt(double(r.n));
    const double t = studentTQuantile(1.0 - (1.0 - level) / 2.0, r.n - 1);
    r.low = r.mean - t * se;
    r.high = r.mean + t * se;
    return r;
}

TestResult wilcoxonSignedRank(const std::vector<double>& differences) {
    const std::vector<double> d = nonZero(differences);
    TestResult r;
    r.n = static_cast<int>(d.size());
    if (d.empty())
        return r;
    // Doubled mid-ranks of |d| are integers, so the rank-sum distribution is
    // a table over integers.
    std::vector<std::size_t> order(d.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return std::fabs(d[a]) < std::fabs(d[b]); });
    std::vector<int> rank2(d.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && std::fabs(d[order[j + 1]]) == std::fabs(d[order[i]]))
            ++j;
        const int twiceMean = static_cast<int>(i + 1 + j + 1);  // 2 · mean of ranks i+1..j+1
        for (std::size_t k = i; k <= j; ++k)
            rank2[order[k]] = twiceMean;
        i = j + 1;
    }
    int total2 = 0, plus2 = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        total2 += rank2[i];
        if (d[i] > 0)
            plus2 += rank2[i];
    }
    // P(R+ = s) under random signs, built one rank at a time.
    std::vector<double> dist(static_cast<std::size_t>(total2) + 1, 0.0);
    dist[0] = 1.0;
    for (int w : rank2) {
        for (int s = total2; s >= 0; --s) {
            const double keep = dist[static_cast<std::size_t>(s)] * 0.5;
            const double add = s >= w ? dist[static_cast<std::size_t>(s - w)] * 0.5 : 0.0;
            dist[static_cast<std::size_t>(s)] = keep + add;
        }
    }
    double below = 0.0, above = 0.0;
    for (int s = 0; s <= total2; ++s) {
        if (s <= plus2)
            below += dist[static_cast<std::size_t>(s)];
        if (s >= plus2)
            above += dist[static_cast<std::size_t>(s)];
    }
    r.statistic = std::min(plus2, total2 - plus2) / 2.0;
    r.p = std::min(1.0, 2.0 * std::min(below, above));
    return r;
}

TestResult signFlipTest(const std::vector<double>& differences, int samples) {
    TestResult r;
    r.n = static_cast<int>(differences.size());
    if (differences.empty())
        return r;
    const double n = r.n;
    const double observed = std::accumulate(differences.begin(), differences.end(), 0.0) / n;
    r.statistic = observed;
    // Means equal up to rounding count as equal (scipy uses a relative 1e-14).
    const double tol = 1e-12 * std::max(1.0, std::fabs(observed));
    std::int64_t below = 0, above = 0, count = 0;
    auto tally = [&](double mean) {
        below += mean <= observed + tol;
        above += mean >= observed - tol;
        ++count;
    };
    if (r.n <= kExactFlipLimit) {
        const std::uint32_t patterns = 1u << r.n;
        for (std::uint32_t mask = 0; mask < patterns; ++mask) {
            double sum = 0.0;
            for (int i = 0; i < r.n; ++i)
                sum += (mask >> i & 1u) ? -differences[static_cast<std::size_t>(i)]
                                        : differences[static_cast<std::size_t>(i)];
            tally(sum / n);
        }
    } else {
        std::mt19937_64 rng(20240615);
        tally(observed);  // the observed pattern is one of them
        for (int s = 1; s < samples; ++s) {
            double sum = 0.0;
            for (double v : differences)
                sum += (rng() & 1u) ? -v : v;
            tally(sum / n);
        }
    }
    r.p = std::min(1.0, 2.0 * std::min(below, above) / double(count));
    return r;
}

std::vector<double> holmAdjust(const std::vector<double>& p) {
    const std::size_t m = p.size();
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
    std::vector<double> adjusted(m);
    double running = 0.0;
    for (std::size_t k = 0; k < m; ++k) {
        running = std::max(running, std::min(1.0, double(m - k) * p[order[k]]));
        adjusted[order[k]] = running;
    }
    return adjusted;
}

}  // namespace vidrnn
