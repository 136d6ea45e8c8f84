// Early classification: how accurate a model is having seen only the first
// part of each test clip. Recurrent models (and the running mean of
// mean_pool) give a prediction after every frame, so one test pass yields
// the whole curve.
#pragma once

#include <vector>

namespace vidrnn {

struct EarlyPoint {
    double fraction = 0.0;  // of the clip's sampled frames seen, in (0, 1]
    double accuracy = 0.0;  // over the test clips
};

// One test clip: its label and the logits after each of its valid steps
// (steps[t] = what the model says having seen frames 0..t).
struct StepLogits {
    int truth = 0;
    std::vector<std::vector<float>> steps;
};

// Accuracy at fractions k / points, k = 1..points (points = T, the frames
// sampled per clip). A clip with L valid steps answers at fraction f with its
// step ceil(f · L) (at least 1), so a short clip is judged on the same share
// of itself. The predicted class at a step is its largest logit (the first
// on ties). Clips without steps are left out; no clips gives no points.
std::vector<EarlyPoint> earlyClassificationCurve(const std::vector<StepLogits>& clips, int points);

}  // namespace vidrnn
