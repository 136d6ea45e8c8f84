// The motion input (TrainConfig::input == "motion"): each step's features
// followed by their change since the step before, [x_t, x_t - x_{t-1}]
// (zero change at the first step), then any classifier. Computed inside the
// model from the sequence it is given, so a reversed or shuffled test pass
// (order diagnostics) sees the differences of the reordered frames, never
// those of the original order.
#pragma once

#include "nn/classifier.h"

namespace vidrnn::nn {

// [B,T,D] or [B,T,C,H,W] -> the same with twice the features (dim 2).
torch::Tensor appendMotion(const torch::Tensor& x);

class MotionInputImpl : public ClipClassifierImpl {
public:
    // body: built for twice the feature size.
    explicit MotionInputImpl(ClipClassifier body);

    using ClipClassifierImpl::forward;
    ClipOutput forward(const torch::Tensor& x, const torch::Tensor& lengths) override;
    bool spatial() const override { return body->spatial(); }

    ClipClassifier body;
};

}  // namespace vidrnn::nn
