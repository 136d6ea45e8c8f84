// The trainer's optimisation step, taken eagerly or replayed from a CUDA graph.
//
// A small recurrent model's CUDA training step is mostly kernel launches: a
// graph captures forward, backward, gradient clipping and the optimiser once
// and replays them with one launch per batch. Capture needs fixed shapes and
// tensors that keep their storage, so a graphed step copies each batch into
// static input and label buffers, keeps its optimiser state on the device
// (DeviceAdam) and takes the batches the graph cannot (the ragged last batch,
// clips shorter than the frame count, the warm-up before capture, any failed
// capture) eagerly on the same tensors.
//
// The capture code (cuda/graph_step_cuda.cpp) is compiled only where LibTorch
// has CUDA; elsewhere cuda/graph_step_nocuda.cpp says why there is none, and
// the run trains eagerly as it always did.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>

#include "ml/device_adam.h"
#include "nn/classifier.h"
#include "vidrnn/config.h"

namespace vidrnn {

// What a step returns: the batch's loss on the host and its clip logits.
struct StepOutput {
    double loss = 0;
    torch::Tensor logits;
};

// Given the batch's loss; throws to stop training. An eager step calls it
// before the gradients are applied, a replayed graph after.
using LossCheck = std::function<void(double)>;

class TrainStep {
public:
    virtual ~TrainStep() = default;
    // x and labels on the model's device, lengths on the host.
    virtual StepOutput run(const torch::Tensor& x, const torch::Tensor& lengths,
                           const torch::Tensor& labels, const LossCheck& check) = 0;
    // What the checkpoint saves.
    virtual torch::optim::Optimizer& optimizer() = 0;
    // How this run's steps are taken, and why: "eager (not on a CUDA device)".
    const std::string& mode() const { return mMode; }

protected:
    std::string mMode;
};

// The step the trainer has always taken: LibTorch's Adam, zero_grad,
// clip_grad_norm_. Every run that is not graphed takes it, so their results
// (and reruns checked bit for bit) stay what they were.
class EagerStep final : public TrainStep {
public:
    EagerStep(nn::ClipClassifier model, const TrainConfig& config, std::string why);
    StepOutput run(const torch::Tensor& x, const torch::Tensor& lengths,
                   const torch::Tensor& labels, const LossCheck& check) override;
    torch::optim::Optimizer& optimizer() override { return mOptimizer; }

private:
    nn::ClipClassifier mModel;
    double mGradClip;
    torch::optim::Adam mOptimizer;
};

// An eager step whose every tensor keeps its storage from step to step:
// gradients zeroed in place (never set to none), clipped without reading the
// norm back to the host, applied by DeviceAdam. The graphed step is this plus
// capture and replay; its eager batches run here. Device-neutral, so the CPU
// tests exercise it.
class DeviceStateStep : public TrainStep {
public:
    DeviceStateStep(nn::ClipClassifier model, const TrainConfig& config);
    StepOutput run(const torch::Tensor& x, const torch::Tensor& lengths,
                   const torch::Tensor& labels, const LossCheck& check) override;
    torch::optim::Optimizer& optimizer() override { return mOptimizer; }

protected:
    // zero, forward, loss: what a graph captures first. Undefined lengths
    // mean every clip has all its frames.
    torch::Tensor forwardLoss(const torch::Tensor& x, const torch::Tensor& lengths,
                              const torch::Tensor& labels, torch::Tensor& logits);
    // backward, clip, DeviceAdam: what it captures next.
    void apply(const torch::Tensor& loss);

    nn::ClipClassifier mModel;
    double mGradClip;
    DeviceAdam mOptimizer;
};

// clip_grad_norm_ (L2) without its closing .item(): the same tensor
// operations, so it can be captured.
void clipGradNormOnDevice(const std::vector<torch::Tensor>& params, double maxNorm);

// --- When to capture: pure functions of the facts, tested as such. ---

// Whether this build can capture at all.
enum class GraphBuild { NotCompiled, NoDevice, Available };
// "not compiled in", "compiled, no device", "available" (vidrnn info's cuda_graphs).
std::string describe(GraphBuild build);
// This process: cudaGraphsCompiled() and whether a CUDA device is there.
GraphBuild graphBuild();
std::string cudaGraphsStatus();

// The environment's switch: VIDRNN_CUDA_GRAPHS=0 (or off, false, no) turns
// graphs off; unset or anything else leaves them on where they apply.
constexpr const char* kGraphsEnv = "VIDRNN_CUDA_GRAPHS";
bool graphsSwitchedOff(const char* value);

// The architectures whose step is many small kernels: lstm, deep_lstm,
// bilstm, gru (not the ConvLSTM, whose convolutions dominate, nor mean_pool).
bool isGraphedArch(const std::string& arch);

struct GraphFacts {
    GraphBuild build = GraphBuild::NotCompiled;
    bool cudaDevice = false;  // the run trains on a CUDA device
    std::string arch;
    bool switchedOff = false;
};
struct GraphDecision {
    bool capture = false;
    std::string reason;  // why not, or how
};
GraphDecision decideGraphs(const GraphFacts& facts);

// Whether a batch has the captured shape: `batch` clips, each with all its
// frames (x is [B,T,...], lengths on the host). The graph is captured without
// lengths, so a clip shorter than T (packed sequences, host-side) goes eager.
bool fitsGraph(const torch::Tensor& x, const torch::Tensor& lengths, std::int64_t batch);

// The trainer's step for this run: graphed where decideGraphs says so and the
// build has the capture code, eager otherwise; mode() says which and why.
std::unique_ptr<TrainStep> makeTrainStep(const nn::ClipClassifier& model, const TrainConfig& config,
                                         const torch::Device& device);

// Defined by cuda/graph_step_cuda.cpp where LibTorch has CUDA, by
// cuda/graph_step_nocuda.cpp otherwise (CMake picks one).
bool cudaGraphsCompiled();
// nullptr, with `reason`, where this build cannot capture.
std::unique_ptr<TrainStep> makeGraphedStep(const nn::ClipClassifier& model,
                                           const TrainConfig& config, std::string& reason);

}  // namespace vidrnn
