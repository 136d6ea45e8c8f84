#include "nn/transformer.h"

#include <cmath>
#include <limits>

#include "vidrnn/archs.h"

namespace vidrnn::nn {

CausalEncoderLayerImpl::CausalEncoderLayerImpl(int64_t width, int64_t heads_, int64_t feedForward,
                                               double p)
    : heads(heads_) {
    TORCH_CHECK(heads >= 1 && width % heads == 0, "transformer: ", heads,
                " heads do not divide the width ", width);
    const std::vector<int64_t> shape{width};
    norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions(shape)));
    qkv = register_module("qkv", torch::nn::Linear(width, 3 * width));
    out = register_module("out", torch::nn::Linear(width, width));
    norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions(shape)));
    ff1 = register_module("ff1", torch::nn::Linear(width, feedForward));
    ff2 = register_module("ff2", torch::nn::Linear(feedForward, width));
    dropout = register_module("dropout", torch::nn::Dropout(p));
}

torch::Tensor CausalEncoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& blocked,
                                              torch::ScalarType type) {
    const int64_t batch = x.size(0), steps = x.size(1), width = x.size(2);
    const int64_t dim = width / heads;
    // [B,T,3W] -> three [B,heads,T,dim]
    auto parts = detail::linear(qkv, norm1(x), type)
                     .view({batch, steps, 3, heads, dim})
                     .permute({2, 0, 3, 1, 4});
    auto q = detail::cast(parts[0], type), k = detail::cast(parts[1], type),
         v = detail::cast(parts[2], type);
    auto scores = torch::matmul(q, k.transpose(-2, -1)).to(torch::kFloat) /
                  std::sqrt(static_cast<double>(dim));
    scores = scores.masked_fill(blocked, -std::numeric_limits<float>::infinity());
    auto attention = dropout(torch::softmax(scores, -1));
    auto context = torch::matmul(detail::cast(attention, type), v)
                       .to(torch::kFloat)
                       .transpose(1, 2)
                       .reshape({batch, steps, width});
    auto h = x + dropout(detail::linear(out, context, type));
    auto ff = detail::linear(ff2, torch::gelu(detail::linear(ff1, norm2(h), type)), type);
    return h + dropout(ff);
}

int64_t TransformerClassifierImpl::headsFor(int64_t width) {
    return width % 4 == 0 ? 4 : width % 2 == 0 ? 2 : 1;
}

TransformerClassifierImpl::TransformerClassifierImpl(const ClassifierOptions& options_)
    : options(options_) {
    TORCH_CHECK(options.num_layers() >= 1, "transformer: layers must be resolved, got ",
                options.num_layers());
    const int64_t width = options.hidden_size();
    const int64_t maxFrames = archInfo(options.arch()).maxFrames;
    input = register_module("input", torch::nn::Linear(options.input_size(), width));
    position = register_parameter("position", torch::randn({maxFrames, width}) * 0.02);
    layers = register_module("layers", torch::nn::ModuleList());
    for (int64_t l = 0; l < options.num_layers(); ++l) {
        layers->push_back(
            CausalEncoderLayer(width, headsFor(width), feedForwardFor(width), options.dropout()));
    }
    norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({width})));
    dropout = register_module("dropout", torch::nn::Dropout(options.dropout()));
    head = register_module("head", torch::nn::Linear(width, options.num_classes()));
}

ClipOutput TransformerClassifierImpl::forward(const torch::Tensor& input_,
                                              const torch::Tensor& lengths_in) {
    // Maps are pooled over space: the global average pool of the backbone.
    const torch::Tensor x = input_.dim() == 5 ? input_.mean({3, 4}) : input_;
    TORCH_CHECK(x.dim() == 3, "transformer: expected [B,T,D] or [B,T,C,H,W], got ", input_.sizes());
    TORCH_CHECK(x.size(2) == options.input_size(), "transformer: feature size ", x.size(2),
                " but the model was built for ", options.input_size());
    const auto lengths = detail::checkedLengths(x, lengths_in);
    const int64_t steps = x.size(1);
    TORCH_CHECK(steps <= position.size(0), "transformer: a clip of ", steps,
                " steps, but the position table holds ", position.size(0));
    auto h = detail::linear(input, x, compute_type) + position.slice(0, 0, steps).unsqueeze(0);
    // Step i reads steps 0..i: padding after a clip's end is never read by
    // its valid steps.
    const auto blocked =
        torch::ones({steps, steps}, torch::dtype(torch::kBool).device(x.device())).triu(1);
    for (const auto& layer : *layers) {
        h = layer->as<CausalEncoderLayerImpl>()->forward(h, blocked, compute_type);
    }
    auto stepLogits = head(dropout(norm(h)));  // [B,T,C]
    ClipOutput result;
    result.clip_logits = detail::lastValidStep(stepLogits, lengths);
    if (detail::anyShorter(lengths_in, steps)) {
        stepLogits = stepLogits * detail::validMask(lengths, steps).unsqueeze(2);
    }
    result.step_logits = stepLogits;
    return result;
}

}  // namespace vidrnn::nn
