#include "vidrnn/metrics.h"

#include <string>

#include "vidrnn/errors.h"

namespace vidrnn {

Evaluation evaluate(const std::vector<int>& truth, const std::vector<int>& predicted,
                    int numClasses) {
    if (numClasses <= 0) {
        throw LogicError("evaluate: numClasses must be positive, got " +
                         std::to_string(numClasses));
    }
    if (truth.size() != predicted.size()) {
        throw LogicError("evaluate: " + std::to_string(truth.size()) + " labels but " +
                         std::to_string(predicted.size()) + " predictions");
    }
    Evaluation ev;
    const auto n = static_cast<std::size_t>(numClasses);
    ev.confusion.assign(n, std::vector<std::int64_t>(n, 0));
    ev.perClass.assign(n, ClassMetrics{});
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const int t = truth[i];
        const int p = predicted[i];
        if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) {
            throw LogicError("evaluate: label out of range at index " + std::to_string(i));
        }
        ++ev.confusion[t][p];
        ++ev.perClass[t].support;
        ++ev.perClass[p].predicted;
        if (t == p) {
            ++ev.perClass[t].truePositives;
            ++ev.correct;
        }
    }
    ev.total = static_cast<std::int64_t>(truth.size());
    ev.accuracy = ev.total > 0 ? static_cast<double>(ev.correct) / ev.total : 0.0;

    double f1Sum = 0.0;
    for (auto& c : ev.perClass) {
        if (c.predicted > 0) {
            c.precision = static_cast<double>(c.truePositives) / c.predicted;
        }
        if (c.support > 0) {
            c.recall = static_cast<double>(c.truePositives) / c.support;
        }
        if (c.absent()) {
            continue;
        }
        // 2TP / (2TP + FP + FN) equals the harmonic mean where both are defined
        // and gives 0 where the class is only predicted or only true.
        const auto denom = c.support + c.predicted;
        c.f1 = denom > 0 ? 2.0 * c.truePositives / static_cast<double>(denom) : 0.0;
        f1Sum += *c.f1;
        ++ev.classesAveraged;
    }
    ev.macroF1 = ev.classesAveraged > 0 ? f1Sum / ev.classesAveraged : 0.0;
    return ev;
}

}  // namespace vidrnn
