// A causal Transformer encoder over per-frame features: each frame projected
// to the model width (the hidden size), a learned position embedding added,
// pre-norm encoder layers whose attention is masked so that step t reads
// frames 0..t only, a final LayerNorm and the head on every step. The clip's
// logits are its last valid step's, so the per-step logits are early
// classification as for the recurrent heads.
//
// Attention is written with plain tensor ops (not torch::nn::
// TransformerEncoderLayer): the products then run in compute_type with the
// fp32 weights cast per forward, as in the other models, and the layer is
// pre-norm, which LibTorch 1.13's C++ layer cannot be.
#pragma once

#include "nn/classifier.h"

namespace vidrnn::nn {

// One pre-norm encoder layer: x + attention(norm1(x)), then
// x + ff2(gelu(ff1(norm2(x)))).
class CausalEncoderLayerImpl : public torch::nn::Module {
public:
    CausalEncoderLayerImpl(int64_t width, int64_t heads, int64_t feedForward, double dropout);

    // x: [B,T,width] fp32; blocked: [T,T] bool, true where step i must not
    // read step j. Products in `type`, normalisation and softmax in fp32.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& blocked,
                          torch::ScalarType type);

    int64_t heads = 1;
    torch::nn::LayerNorm norm1{nullptr};
    torch::nn::Linear qkv{nullptr};  // the queries', keys' and values' projections in one
    torch::nn::Linear out{nullptr};
    torch::nn::LayerNorm norm2{nullptr};
    torch::nn::Linear ff1{nullptr};
    torch::nn::Linear ff2{nullptr};
    torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(CausalEncoderLayer);

class TransformerClassifierImpl : public ClipClassifierImpl {
public:
    // options.num_layers() >= 1; the position table holds the registry row's
    // maxFrames steps.
    explicit TransformerClassifierImpl(const ClassifierOptions& options);

    using ClipClassifierImpl::forward;
    // Clips longer than the position table are refused (TORCH_CHECK):
    // TrainConfig's validation refuses such a frame count first.
    ClipOutput forward(const torch::Tensor& x, const torch::Tensor& lengths) override;

    // Attention heads for a model width: 4 where they divide it, else 2, else 1.
    static int64_t headsFor(int64_t width);
    // The feed-forward width: twice the model's.
    static int64_t feedForwardFor(int64_t width) { return 2 * width; }

    ClassifierOptions options;
    torch::nn::Linear input{nullptr};
    torch::Tensor position;  // [maxFrames, width]
    torch::nn::ModuleList layers{nullptr};
    torch::nn::LayerNorm norm{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear head{nullptr};
};
TORCH_MODULE(TransformerClassifier);

}  // namespace vidrnn::nn
