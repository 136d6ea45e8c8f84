// ConvLSTM (Shi et al., 2015) over per-frame feature maps: one Conv2d over
// [input, hidden] produces all four gates, as in the study.
#pragma once

#include <torch/torch.h>

#include <tuple>
#include <vector>

#include "nn/classifier.h"

namespace vidrnn::nn {

struct ConvLSTMCellOptions {
    ConvLSTMCellOptions(int64_t input_channels, int64_t hidden_channels)
        : input_channels_(input_channels), hidden_channels_(hidden_channels) {}
    TORCH_ARG(int64_t, input_channels);
    TORCH_ARG(int64_t, hidden_channels);
    TORCH_ARG(int64_t, kernel_size) = 3;
    TORCH_ARG(bool, bias) = true;
};

using ConvState = std::tuple<torch::Tensor, torch::Tensor>;  // (h, c)

class ConvLSTMCellImpl : public torch::nn::Module {
public:
    explicit ConvLSTMCellImpl(const ConvLSTMCellOptions& options);

    // One step in the straightforward form: gates = conv(cat(x, h)).
    // x: [B,C,H,W]; state: (h, c) each [B,hidden,H,W], or undefined for zeros.
    ConvState forward(const torch::Tensor& x, const ConvState& state = {});

    // The same computation split in two (conv is linear in its input): the
    // input part of the gates for a whole batch of frames at once, then per
    // step only the hidden part. x: [N,C,H,W] -> [N,4*hidden,H,W] (bias included).
    torch::Tensor input_gates(const torch::Tensor& x);
    // One step from precomputed input gates; h/c may be undefined at the start.
    ConvState step(const torch::Tensor& x_gates, const ConvState& state);
    // The same with the hidden part of the weights given ([4*hidden,hidden,k,k],
    // in the type to compute in: a bf16 copy is made once per sequence, not per
    // step); the gates come out in fp32 whatever that type.
    ConvState step(const torch::Tensor& x_gates, const ConvState& state, const torch::Tensor& w_h);
    // Input gates with the convolution in `type` (bias added in fp32): fp32 out.
    torch::Tensor input_gates(const torch::Tensor& x, torch::ScalarType type);

    ConvLSTMCellOptions options;
    torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(ConvLSTMCell);

// Stacked ConvLSTM cells. forward returns the top layer's hidden map for every
// step: [B,T,hidden,H,W].
class ConvLSTMImpl : public torch::nn::Module {
public:
    ConvLSTMImpl(int64_t input_channels, int64_t hidden_channels, int64_t num_layers,
                 int64_t kernel_size);

    torch::Tensor forward(const torch::Tensor& x);
    // The straightforward per-step form, kept as the reference the fast path is
    // tested and benchmarked against.
    torch::Tensor forward_reference(const torch::Tensor& x);

    torch::nn::ModuleList cells{nullptr};
    // kFloat or kBFloat16 for the convolutions (forward only; the reference
    // form stays fp32). See ClipClassifierImpl::compute_type.
    torch::ScalarType compute_type = torch::kFloat;
};
TORCH_MODULE(ConvLSTM);

class ConvLSTMClassifierImpl : public ClipClassifierImpl {
public:
    explicit ConvLSTMClassifierImpl(const ClassifierOptions& options);

    using ClipClassifierImpl::forward;
    ClipOutput forward(const torch::Tensor& x, const torch::Tensor& lengths) override;
    bool spatial() const override { return true; }

    // The classifier on top of given hidden maps [B,T,hidden,H,W].
    ClipOutput classify(const torch::Tensor& hidden_maps, const torch::Tensor& lengths);

    ClassifierOptions options;
    ConvLSTM convlstm{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear head{nullptr};
};
TORCH_MODULE(ConvLSTMClassifier);

}  // namespace vidrnn::nn
