#include "nn/meanpool.h"

namespace vidrnn::nn {

MeanPoolClassifierImpl::MeanPoolClassifierImpl(const ClassifierOptions& options_)
    : options(options_) {
    options.num_layers(1);
    embed =
        register_module("embed", torch::nn::Linear(options.input_size(), options.hidden_size()));
    dropout = register_module("dropout", torch::nn::Dropout(options.dropout()));
    head = register_module("head", torch::nn::Linear(options.hidden_size(), options.num_classes()));
}

ClipOutput MeanPoolClassifierImpl::forward(const torch::Tensor& input,
                                           const torch::Tensor& lengths_in) {
    const torch::Tensor x = input.dim() == 5 ? input.mean({3, 4}) : input;
    TORCH_CHECK(x.dim() == 3, "mean_pool: expected [B,T,D] or [B,T,C,H,W], got ", input.sizes());
    TORCH_CHECK(x.size(2) == options.input_size(), "mean_pool: feature size ", x.size(2),
                " but the model was built for ", options.input_size());
    const auto lengths = detail::checkedLengths(x, lengths_in);
    const int64_t steps = x.size(1);
    auto mask = detail::validMask(lengths, steps).unsqueeze(2).to(x.dtype());  // [B,T,1]
    auto frames = torch::relu(detail::linear(embed, x, compute_type)) * mask;
    // Running means: step t averages the valid frames 0..t.
    auto counts = torch::arange(1, steps + 1, x.options()).view({1, steps, 1});
    auto running = frames.cumsum(1) / torch::min(counts, lengths.to(x.dtype()).view({-1, 1, 1}));
    ClipOutput result;
    result.clip_logits = head(dropout(detail::lastValidStep(running, lengths)));
    result.step_logits = head(dropout(running)) * mask;
    return result;
}

}  // namespace vidrnn::nn
