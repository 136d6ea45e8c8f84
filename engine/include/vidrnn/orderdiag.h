// Does a model read time? After training, the test clips are evaluated twice
// more with the same weights: frames reversed and frames shuffled (a fixed
// permutation per clip, drawn from the run's seed). A model that only pools
// appearance answers the same whatever the order (mean_pool: exactly the
// same); one that reads the order loses accuracy when it is destroyed.
//
// Order reliance = accuracy - shuffled accuracy: the share of the test clips
// a model gets right only because their frames came in order. Per class the
// same on recall (the class's accuracy), so the classes that need order
// stand out. Reversal keeps every transition but runs it backwards: it asks
// whether the direction of time matters (opening vs closing). For bilstm,
// which reads the clip both ways and concatenates the two, reversal swaps
// the halves' inputs rather than hiding the direction; a bilstm that is as
// good reversed has learnt the same thing both ways, not that order is
// irrelevant (shuffling answers that).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vidrnn/metrics.h"

namespace vidrnn {

struct ClassOrder {
    int index = 0;
    std::int64_t support = 0;  // test clips of the class
    // Recall (accuracy on the class's clips) in order, reversed, shuffled;
    // empty when the class has no test clips.
    std::optional<double> recall, reversedRecall, shuffledRecall;
    std::optional<double> reliance() const {
        if (!recall || !shuffledRecall)
            return std::nullopt;
        return *recall - *shuffledRecall;
    }
};

// How the answers of a reordered pass differ clip by clip from the pass in
// order: `lost` clips were right in order and wrong reordered, `gained` the
// other way round. With the number of clips n, the pass's loss of accuracy
// is (lost - gained) / n, and the paired differences (+1 lost, -1 gained,
// 0 unchanged) give a single run's interval over its test clips.
struct ClipFlips {
    std::int64_t lost = 0, gained = 0;
};

// Throws LogicError when the three vectors differ in length.
ClipFlips clipFlips(const std::vector<int>& truth, const std::vector<int>& inOrder,
                    const std::vector<int>& reordered);

struct OrderDiagnostics {
    double accuracy = 0.0;  // in order: the run's own test accuracy
    double reversedAccuracy = 0.0, reversedMacroF1 = 0.0;
    double shuffledAccuracy = 0.0, shuffledMacroF1 = 0.0;
    double reliance() const { return accuracy - shuffledAccuracy; }
    double seconds = 0.0;  // what the two extra passes took
    std::vector<ClassOrder> perClass;
    // Clip by clip against the pass in order; empty for runs stored before
    // schema 9 (only the accuracies were kept then).
    std::optional<ClipFlips> reversedFlips, shuffledFlips;
};

// From the three evaluations of the same test clips. Throws LogicError when
// they do not hold the same clips (totals or class counts differ).
OrderDiagnostics orderDiagnostics(const Evaluation& inOrder, const Evaluation& reversed,
                                  const Evaluation& shuffled);

// The frame order of a test clip of `length` valid frames under a fixed
// permutation drawn from the run's seed and the clip's path (so the same
// clip is shuffled the same way in every run of that seed, whatever the
// batch it falls in): a permutation of 0..length-1.
std::vector<int> shuffledFrameOrder(int length, std::int64_t seed, const std::string& clip);

}  // namespace vidrnn
