// The graphed training step: compiled only where LibTorch has CUDA (CMake
// picks this file or graph_step_nocuda.cpp). See ml/graph_step.h.
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <torch/cuda.h>

#include "ml/graph_step.h"

namespace vidrnn {

namespace {

// Eager steps on a side stream before capture, as PyTorch's whole-network
// capture recipe does: they allocate the gradients and the cuDNN/cuBLAS
// workspaces the graph then reuses. They are real training steps.
constexpr int kWarmupSteps = 3;

class GraphedStep final : public DeviceStateStep {
public:
    GraphedStep(nn::ClipClassifier model, const TrainConfig& config)
        : DeviceStateStep(std::move(model), config), mBatch(config.batch) {
        mMode = "eager, device-state Adam (no batch of " + std::to_string(mBatch) +
                " full-length clips to capture a CUDA graph from)";
    }

    StepOutput run(const torch::Tensor& x, const torch::Tensor& lengths,
                   const torch::Tensor& labels, const LossCheck& check) override {
        if (!mFailure.empty() || !fitsGraph(x, lengths, mBatch) ||
            (mGraph && x.sizes() != mStaticX.sizes())) {
            return DeviceStateStep::run(x, lengths, labels, check);
        }
        if (mWarmups < kWarmupSteps) {
            ++mWarmups;
            return onSideStream([&] { return DeviceStateStep::run(x, lengths, labels, check); });
        }
        if (!mGraph && !capture(x, labels)) {
            return DeviceStateStep::run(x, lengths, labels, check);
        }
        mStaticX.copy_(x);
        mStaticLabels.copy_(labels);
        mGraph->replay();
        const double lossValue = mStaticLoss.item<double>();
        check(lossValue);  // after the update: a graph cannot stop half way
        return {lossValue, mStaticLogits};
    }

private:
    template <typename F>
    StepOutput onSideStream(F&& step) {
        const auto current = c10::cuda::getCurrentCUDAStream();
        const auto side = c10::cuda::getStreamFromPool();
        c10::cuda::CUDAEvent ready;
        ready.record(current);
        ready.block(side);
        StepOutput out;
        {
            c10::cuda::CUDAStreamGuard guard(side);
            out = step();
        }
        c10::cuda::CUDAEvent done;
        done.record(side);
        done.block(current);
        return out;
    }

    // Records zero, forward, loss, backward, clip and DeviceAdam on the
    // static buffers. Nothing runs during capture: the caller replays once
    // to train on this batch. false (and eager from then on) if it fails.
    bool capture(const torch::Tensor& x, const torch::Tensor& labels) {
        mStaticX = x.clone();
        mStaticLabels = labels.clone();
        torch::cuda::synchronize();
        mGraph = std::make_unique<at::cuda::CUDAGraph>();
        const auto stream = c10::cuda::getStreamFromPool();
        try {
            c10::cuda::CUDAStreamGuard guard(stream);
            mGraph->capture_begin();
            try {
                // No lengths: every clip of a fitting batch has all its frames.
                mStaticLoss = forwardLoss(mStaticX, torch::Tensor(), mStaticLabels, mStaticLogits);
                apply(mStaticLoss);
            } catch (...) {
                try {
                    mGraph->capture_end();
                } catch (const c10::Error&) {
                    // the capture is invalid already; the first error is the one to report
                }
                throw;
            }
            mGraph->capture_end();
            mMode = "cuda graph (captured after " + std::to_string(kWarmupSteps) +
                    " warm-up steps; batches of another shape eager)";
        } catch (const c10::Error& e) {
            mFailure = e.what_without_backtrace();
            mMode = "eager (CUDA graph capture failed: " + mFailure + ")";
            mGraph.reset();
            mStaticLoss = mStaticLogits = torch::Tensor();
            return false;
        }
        return true;
    }

    std::int64_t mBatch;
    int mWarmups = 0;
    std::string mFailure;
    std::unique_ptr<at::cuda::CUDAGraph> mGraph;
    torch::Tensor mStaticX, mStaticLabels, mStaticLoss, mStaticLogits;
};

}  // namespace

bool cudaGraphsCompiled() {
    return true;
}

std::unique_ptr<TrainStep> makeGraphedStep(const nn::ClipClassifier& model,
                                           const TrainConfig& config, std::string& reason) {
    if (!torch::cuda::is_available()) {
        reason = "CUDA graphs compiled, no device";
        return nullptr;
    }
    return std::make_unique<GraphedStep>(model, config);
}

}  // namespace vidrnn
