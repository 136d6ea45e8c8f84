// LSTM, GRU, deep (stacked) LSTM and bidirectional LSTM heads over feature
// sequences, built on LibTorch's own cuDNN/oneDNN-backed recurrent modules.
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

}  // namespace vidrnn::nn
