#include "vidrnn/earlycurve.h"

#include <algorithm>
#include <cmath>

namespace vidrnn {

std::vector<EarlyPoint> earlyClassificationCurve(const std::vector<StepLogits>& clips, int points) {
    std::vector<EarlyPoint> curve;
    int used = 0;
    for (const StepLogits& clip : clips)
        used += !clip.steps.empty();
    if (used == 0 || points < 1)
        return curve;
    for (int k = 1; k <= points; ++k) {
        const double fraction = double(k) / points;
        int correct = 0;
        for (const StepLogits& clip : clips) {
            const auto length = static_cast<long>(clip.steps.size());
            if (length == 0)
                continue;
            // k · L / points exactly in integers, so 16/16 of 16 steps is step 16.
            const long step = std::clamp((k * length + points - 1) / points, 1L, length);
            const auto& logits = clip.steps[static_cast<std::size_t>(step - 1)];
            const auto best = std::max_element(logits.begin(), logits.end()) - logits.begin();
            correct += !logits.empty() && best == clip.truth;
        }
        curve.push_back({fraction, double(correct) / used});
    }
    return curve;
}

}  // namespace vidrnn
