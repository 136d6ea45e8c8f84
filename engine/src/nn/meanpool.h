// The order-blind control: each frame's features through one Linear+ReLU,
// averaged over the clip's valid frames, then the head. Whatever a recurrent
// model gains over this comes from using the order of the frames.
#pragma once

#include "nn/classifier.h"

namespace vidrnn::nn {

class MeanPoolClassifierImpl : public ClipClassifierImpl {
public:
    explicit MeanPoolClassifierImpl(const ClassifierOptions& options);

    using ClipClassifierImpl::forward;
    // step_logits[t] is what the model says having seen frames 0..t.
    ClipOutput forward(const torch::Tensor& x, const torch::Tensor& lengths) override;

    ClassifierOptions options;
    torch::nn::Linear embed{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear head{nullptr};
};
TORCH_MODULE(MeanPoolClassifier);

}  // namespace vidrnn::nn
