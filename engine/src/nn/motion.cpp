#include "nn/motion.h"

namespace vidrnn::nn {

torch::Tensor appendMotion(const torch::Tensor& x) {
    TORCH_CHECK(x.dim() == 3 || x.dim() == 5, "motion input: expected [B,T,D] or [B,T,C,H,W], got ",
                x.sizes());
    // x_{t-1} with x_0 repeated at the first step: its change is 0 there.
    const auto previous = torch::cat({x.narrow(1, 0, 1), x.narrow(1, 0, x.size(1) - 1)}, 1);
    return torch::cat({x, x - previous}, 2);
}

MotionInputImpl::MotionInputImpl(ClipClassifier b) : body(register_module("body", std::move(b))) {}

ClipOutput MotionInputImpl::forward(const torch::Tensor& x, const torch::Tensor& lengths) {
    body->compute_type = compute_type;
    return body->forward(appendMotion(x), lengths);
}

}  // namespace vidrnn::nn
