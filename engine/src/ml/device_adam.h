// Adam whose whole state lives on the parameters' device, the step count
// included, so that a step is nothing but tensor operations and can be
// captured into a CUDA graph (ml/graph_step.h).
//
// LibTorch's own torch::optim::Adam keeps the step count on the host and
// passes the bias corrections to its kernels as host numbers: captured once,
// they would stay those of the step that was captured. Here the count is a
// 0-dim float64 tensor beside the parameter and the corrections are computed
// from it on the device; float64 because 1 - 0.999^t in float32 loses about
// 1e-5 of its value at t = 1, which would show against LibTorch's double.
// The arithmetic follows torch::optim::Adam (L2 weight decay added to the
// gradient, eps after the bias-corrected square root); tst_graphstep checks
// that both agree on the CPU. lr, betas, eps and weight decay are read at
// every step, but a captured graph holds those of its capture.
#pragma once

#include <torch/torch.h>

#include <array>
#include <unordered_map>
#include <utility>
#include <vector>

namespace vidrnn {

class DeviceAdam : public torch::optim::Optimizer {
public:
    // amsgrad is refused (TORCH_CHECK): the trainer does not use it.
    explicit DeviceAdam(std::vector<torch::Tensor> params,
                        const torch::optim::AdamOptions& defaults = {});

    torch::Tensor step(LossClosure closure = nullptr) override;
    void save(torch::serialize::OutputArchive& archive) const override;
    void load(torch::serialize::InputArchive& archive) override;

    // The step count of `param` (a 0-dim tensor on its device); undefined for
    // a tensor this optimiser does not hold.
    torch::Tensor stepCount(const torch::Tensor& param) const;

private:
    struct State {
        torch::Tensor step;  // 0-dim float64, on the parameter's device
        torch::Tensor expAvg;
        torch::Tensor expAvgSq;
    };
    // Created with the optimiser, not at the first step: a graph captured
    // later finds every state tensor allocated and keeps its storage.
    State& stateOf(const torch::Tensor& param);
    // The state's tensors under their names in a saved archive.
    static std::array<std::pair<const char*, torch::Tensor*>, 3> fields(State& s);

    std::unordered_map<const c10::TensorImpl*, State> mState;
};

}  // namespace vidrnn
