// Clip classifiers: a recurrent (or pooling) body over per-frame features and
// one Linear head. Every model returns logits for the clip and for every step.
//
// Why an abstract base with a virtual forward, unlike LibTorch's own modules:
// the trainer picks the architecture at run time from a string and must call
// forward through one type; AnyModule would erase the output struct.
#pragma once

#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>

namespace vidrnn::nn {

struct ClipOutput {
    torch::Tensor clip_logits;  // [B, classes]: from the last valid step
    torch::Tensor step_logits;  // [B, T, classes]: steps past a clip's length are 0
};

struct ClassifierOptions {
    ClassifierOptions(std::string arch, int64_t input_size, int64_t hidden_size,
                      int64_t num_classes)
        : arch_(std::move(arch)),
          input_size_(input_size),
          hidden_size_(hidden_size),
          num_classes_(num_classes) {}

    TORCH_ARG(std::string, arch);
    TORCH_ARG(int64_t, input_size);
    TORCH_ARG(int64_t, hidden_size);
    TORCH_ARG(int64_t, num_classes);
    // 0 = the architecture's default (deep_lstm 2, else 1).
    TORCH_ARG(int64_t, num_layers) = 0;
    // Before the head (and between stacked layers).
    TORCH_ARG(double, dropout) = 0.0;
    TORCH_ARG(int64_t, kernel_size) = 3;
};

class ClipClassifierImpl : public torch::nn::Module {
public:
    // x: [B,T,D] feature sequences or [B,T,C,H,W] feature maps (non-spatial
    // models average maps over space first). lengths: optional [B] int64 with
    // 1 <= length <= T; undefined means every clip has T valid steps.
    virtual ClipOutput forward(const torch::Tensor& x, const torch::Tensor& lengths) = 0;
    ClipOutput forward(const torch::Tensor& x) { return forward(x, torch::Tensor()); }

    // Whether the model wants [B,T,C,H,W] maps rather than vectors.
    virtual bool spatial() const { return false; }

    // The type the convolutions and matrix products compute in: kFloat, or
    // kBFloat16 for mixed precision. Parameters stay fp32 (the optimiser's
    // master weights, cast per forward, so their gradients arrive in fp32);
    // inputs, outputs, gate nonlinearities, the ConvLSTM's cell state and
    // the loss stay fp32 (the recurrent models' torch::lstm/gru kernels keep
    // their state in the compute type: see recurrent.cpp).
    torch::ScalarType compute_type = torch::kFloat;
};

using ClipClassifier = std::shared_ptr<ClipClassifierImpl>;

// Builds the architecture named by options.arch() (its layers resolved to the
// registry's default where 0); throws ConfigError for an unknown name or a
// bad size.
ClipClassifier makeClassifier(const ClassifierOptions& options);

// The factory table: one entry per architecture of the registry
// (vidrnn/archs.h), keyed by its name (classifier.cpp).
using ClassifierFactory = ClipClassifier (*)(const ClassifierOptions& options);
const std::map<std::string, ClassifierFactory>& classifierFactories();

int64_t countParameters(const torch::nn::Module& module);

// kBFloat16 for "bf16", kFloat for "fp32" (a resolved precision, see
// vidrnn/precision.h).
torch::ScalarType computeTypeOf(const std::string& precision);

// Helpers shared by the models.
namespace detail {
// Checks x and lengths, returns lengths as int64 on x's device ([B], all T when
// undefined).
torch::Tensor checkedLengths(const torch::Tensor& x, const torch::Tensor& lengths);
// Whether any clip is shorter than `steps` (false for undefined lengths);
// looked at on the host, so CPU lengths cost no wait for the device.
bool anyShorter(const torch::Tensor& lengths, int64_t steps);
// Picks steps[b, lengths[b]-1] from [B,T,F] -> [B,F].
torch::Tensor lastValidStep(const torch::Tensor& steps, const torch::Tensor& lengths);
// [B,T] bool: step t of clip b is valid.
torch::Tensor validMask(const torch::Tensor& lengths, int64_t steps);
// t in `type` (no copy when it is already).
torch::Tensor cast(const torch::Tensor& t, torch::ScalarType type);
// layer(x) with its product in `type` and the bias added in fp32; fp32 out.
// fp32 on the CPU: oneDNN's inner product where compat::kOneDnnCpuLinear.
torch::Tensor linear(torch::nn::Linear layer, const torch::Tensor& x, torch::ScalarType type);
// Whether fp32 products on x go to oneDNN's inner product (compat::
// kOneDnnCpuLinear, fp32 on the CPU, oneDNN present and not switched off).
bool oneDnnLinear(const torch::Tensor& x);
// x W^T + b as oneDNN's inner product, for x where oneDnnLinear(x); any
// leading dimensions.
torch::Tensor linearOneDnn(const torch::Tensor& x, const torch::Tensor& weight,
                           const torch::Tensor& bias);
}  // namespace detail

}  // namespace vidrnn::nn
