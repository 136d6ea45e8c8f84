#include "vidrnn/orderdiag.h"

#include <algorithm>
#include <numeric>

#include "util/rng.h"
#include "vidrnn/errors.h"

namespace vidrnn {

namespace {

std::optional<double> recallOf(const Evaluation& ev, std::size_t c) {
    const ClassMetrics& m = ev.perClass[c];
    if (m.support == 0)
        return std::nullopt;
    return double(m.truePositives) / double(m.support);
}

}  // namespace

OrderDiagnostics orderDiagnostics(const Evaluation& inOrder, const Evaluation& reversed,
                                  const Evaluation& shuffled) {
    if (inOrder.total != reversed.total || inOrder.total != shuffled.total ||
        inOrder.perClass.size() != reversed.perClass.size() ||
        inOrder.perClass.size() != shuffled.perClass.size()) {
        throw LogicError("orderDiagnostics: the three evaluations hold different clips");
    }
    OrderDiagnostics d;
    d.accuracy = inOrder.accuracy;
    d.reversedAccuracy = reversed.accuracy;
    d.reversedMacroF1 = reversed.macroF1;
    d.shuffledAccuracy = shuffled.accuracy;
    d.shuffledMacroF1 = shuffled.macroF1;
    for (std::size_t c = 0; c < inOrder.perClass.size(); ++c) {
        ClassOrder o;
        o.index = static_cast<int>(c);
        o.support = inOrder.perClass[c].support;
        o.recall = recallOf(inOrder, c);
        o.reversedRecall = recallOf(reversed, c);
        o.shuffledRecall = recallOf(shuffled, c);
        d.perClass.push_back(o);
    }
    return d;
}

ClipFlips clipFlips(const std::vector<int>& truth, const std::vector<int>& inOrder,
                    const std::vector<int>& reordered) {
    if (truth.size() != inOrder.size() || truth.size() != reordered.size()) {
        throw LogicError("clipFlips: the passes hold different numbers of clips");
    }
    ClipFlips f;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const bool right = inOrder[i] == truth[i];
        const bool rightReordered = reordered[i] == truth[i];
        f.lost += right && !rightReordered ? 1 : 0;
        f.gained += !right && rightReordered ? 1 : 0;
    }
    return f;
}

std::vector<int> shuffledFrameOrder(int length, std::int64_t seed, const std::string& clip) {
    // The project's portable stream (std::shuffle's use of its generator is
    // implementation-defined), seeded from the run's seed and the clip's path.
    data::Rng rng(data::mixSeed(static_cast<std::uint64_t>(seed), data::stableHash(clip),
                                0x6f72646572ull));  // "order": a stream of its own
    std::vector<int> order(static_cast<std::size_t>(std::max(length, 0)));
    std::iota(order.begin(), order.end(), 0);
    rng.shuffle(order);
    return order;
}

}  // namespace vidrnn
