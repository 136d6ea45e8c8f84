// LSTM, GRU, deep (stacked) LSTM and bidirectional LSTM heads over feature
// sequences, built on LibTorch's own cuDNN/oneDNN-backed recurrent modules;
// where fp32 products go to oneDNN (LibTorch 2.x on the CPU), the GRU runs
// as a loop around oneDNN products (detail::gruLoop) on the module's weights.
#pragma once

#include "nn/classifier.h"

namespace vidrnn::nn {

enum class RecurrentCell { Lstm, Gru };

class RecurrentClassifierImpl : public ClipClassifierImpl {
public:
    // options.num_layers() >= 1 (makeClassifier resolves 0); directions 1 or
    // 2 (LSTM only).
    RecurrentClassifierImpl(const ClassifierOptions& options, RecurrentCell cell,
                            int64_t directions);

    using ClipClassifierImpl::forward;
    ClipOutput forward(const torch::Tensor& x, const torch::Tensor& lengths) override;

    ClassifierOptions options;

private:
    // The recurrence with its products in compute_type (see recurrent.cpp):
    // the top layer's outputs [B,T,H*dirs] and final states [layers*dirs,B,H], fp32.
    std::pair<torch::Tensor, torch::Tensor> lowPrecision(const torch::Tensor& x,
                                                         const torch::Tensor& lengths, bool ragged);

    bool mGru = false;
    int64_t mDirections = 1;
    torch::nn::LSTM lstm{nullptr};
    torch::nn::GRU gru{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear head{nullptr};
};
TORCH_MODULE(RecurrentClassifier);

namespace detail {
// A GRU (torch::nn::GRU's recurrence, one direction) as a loop over steps
// with its products in oneDNN where oneDNN is present: the form the
// classifier runs where fp32 products go to oneDNN (detail::oneDnnLinear; see
// recurrent.cpp). weights: per layer w_ih, w_hh, b_ih, b_hh, as
// torch::nn::GRU::all_weights() lists them; dropout between layers when
// training; valid: [B,T,1] bool, or undefined when every step is valid. A
// clip keeps its state past its last valid step and outputs 0 there, as a
// packed sequence gives. Returns the top layer's outputs [B,T,H] and the
// final states [layers,B,H].
std::pair<torch::Tensor, torch::Tensor> gruLoop(const torch::Tensor& x,
                                                const std::vector<torch::Tensor>& weights,
                                                int64_t layers, double dropout, bool training,
                                                const torch::Tensor& valid);
}  // namespace detail

}  // namespace vidrnn::nn
