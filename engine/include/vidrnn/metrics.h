// Classification metrics as the study reports them: accuracy, per-class
// precision/recall/F1, macro F1 ("avg. F1") and the confusion matrix.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace vidrnn {

struct ClassMetrics {
    std::int64_t support = 0;    // clips whose truth is this class
    std::int64_t predicted = 0;  // clips predicted as this class
    std::int64_t truePositives = 0;
    // Undefined values are empty rather than 0 or NaN: precision when the class
    // is never predicted, recall when it never occurs.
    std::optional<double> precision;
    std::optional<double> recall;
    std::optional<double> f1;
    // Neither in the truth nor in the predictions: no evidence either way. Such
    // a class is left out of the macro average (and said to be left out).
    bool absent() const noexcept { return support == 0 && predicted == 0; }
};

struct Evaluation {
    std::int64_t total = 0;
    std::int64_t correct = 0;
    double accuracy = 0.0;
    // Unweighted mean of per-class F1 over the classes that are not absent. A
    // class that is predicted but never true counts with F1 = 0 (its false
    // positives are real errors); a class that is true but never predicted
    // likewise.
    double macroF1 = 0.0;
    int classesAveraged = 0;
    std::vector<ClassMetrics> perClass;
    // confusion[truth][predicted]
    std::vector<std::vector<std::int64_t>> confusion;
};

// Throws LogicError when the vectors differ in length or a label lies outside
// [0, numClasses).
Evaluation evaluate(const std::vector<int>& truth, const std::vector<int>& predicted,
                    int numClasses);

}  // namespace vidrnn
