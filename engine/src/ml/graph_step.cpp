#include "ml/graph_step.h"

#include <torch/cuda.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "vidrnn/archs.h"

namespace vidrnn {

namespace {

torch::optim::AdamOptions adamOptions(const TrainConfig& config) {
    return torch::optim::AdamOptions(config.lr).weight_decay(config.weightDecay);
}

}  // namespace

EagerStep::EagerStep(nn::ClipClassifier model, const TrainConfig& config, std::string why)
    : mModel(std::move(model)),
      mGradClip(config.gradClip),
      mOptimizer(mModel->parameters(), adamOptions(config)) {
    mMode = "eager (" + why + ")";
}

StepOutput EagerStep::run(const torch::Tensor& x, const torch::Tensor& lengths,
                          const torch::Tensor& labels, const LossCheck& check) {
    mOptimizer.zero_grad();
    auto logits = mModel->forward(x, lengths).clip_logits;  // lengths stay on the host
    auto loss = torch::nn::functional::cross_entropy(logits, labels);
    const double lossValue = loss.item<double>();
    check(lossValue);
    loss.backward();
    if (mGradClip > 0) {
        torch::nn::utils::clip_grad_norm_(mModel->parameters(), mGradClip);
    }
    mOptimizer.step();
    return {lossValue, logits};
}

DeviceStateStep::DeviceStateStep(nn::ClipClassifier model, const TrainConfig& config)
    : mModel(std::move(model)),
      mGradClip(config.gradClip),
      mOptimizer(mModel->parameters(), adamOptions(config)) {
    mMode = "eager, device-state Adam";
}

torch::Tensor DeviceStateStep::forwardLoss(const torch::Tensor& x, const torch::Tensor& lengths,
                                           const torch::Tensor& labels, torch::Tensor& logits) {
    {
        torch::NoGradGuard noGrad;
        for (auto& p : mModel->parameters()) {
            if (p.grad().defined()) {
                p.grad().zero_();
            }
        }
    }
    logits = mModel->forward(x, lengths).clip_logits;
    return torch::nn::functional::cross_entropy(logits, labels);
}

void DeviceStateStep::apply(const torch::Tensor& loss) {
    loss.backward();
    if (mGradClip > 0) {
        clipGradNormOnDevice(mModel->parameters(), mGradClip);
    }
    mOptimizer.step();
}

StepOutput DeviceStateStep::run(const torch::Tensor& x, const torch::Tensor& lengths,
                                const torch::Tensor& labels, const LossCheck& check) {
    torch::Tensor logits;
    const auto loss = forwardLoss(x, lengths, labels, logits);
    const double lossValue = loss.item<double>();
    check(lossValue);
    apply(loss);
    return {lossValue, logits};
}

void clipGradNormOnDevice(const std::vector<torch::Tensor>& params, double maxNorm) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> grads;
    for (const auto& p : params) {
        if (p.grad().defined()) {
            grads.push_back(p.grad());
        }
    }
    if (grads.empty()) {
        return;
    }
    std::vector<torch::Tensor> norms;
    for (const auto& g : grads) {
        norms.push_back(g.norm(2));
    }
    const auto total = norms.size() == 1 ? norms[0] : torch::stack(norms).norm(2);
    const auto coefficient = (maxNorm / (total + 1e-6)).clamp_max(1.0);
    for (auto& g : grads) {
        g.mul_(coefficient);
    }
}

std::string describe(GraphBuild build) {
    switch (build) {
        case GraphBuild::NotCompiled:
            return "not compiled in";
        case GraphBuild::NoDevice:
            return "compiled, no device";
        case GraphBuild::Available:
            return "available";
    }
    return "unknown";
}

GraphBuild graphBuild() {
    if (!cudaGraphsCompiled()) {
        return GraphBuild::NotCompiled;
    }
    return torch::cuda::is_available() ? GraphBuild::Available : GraphBuild::NoDevice;
}

std::string cudaGraphsStatus() {
    std::string status = describe(graphBuild());
    if (graphsSwitchedOff(std::getenv(kGraphsEnv))) {
        status += std::string(", switched off (") + kGraphsEnv + ")";
    }
    return status;
}

bool graphsSwitchedOff(const char* value) {
    if (!value) {
        return false;
    }
    std::string v(value);
    std::transform(v.begin(), v.end(), v.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return v == "0" || v == "off" || v == "false" || v == "no";
}

bool isGraphedArch(const std::string& arch) {
    const ArchInfo* info = findArch(arch);
    return info && info->cudaGraphs;
}

GraphDecision decideGraphs(const GraphFacts& facts) {
    if (facts.switchedOff) {
        return {false, std::string("CUDA graphs switched off by ") + kGraphsEnv};
    }
    if (!facts.cudaDevice) {
        return {false, "not on a CUDA device"};
    }
    if (facts.build == GraphBuild::NotCompiled) {
        return {false, "CUDA graphs not compiled in"};
    }
    if (facts.build == GraphBuild::NoDevice) {
        return {false, "CUDA graphs compiled, no device"};
    }
    if (!isGraphedArch(facts.arch)) {
        return {false, facts.arch + " is not a recurrent architecture that graphs apply to"};
    }
    return {true, "captured after warm-up; batches of another shape eager"};
}

bool fitsGraph(const torch::Tensor& x, const torch::Tensor& lengths, std::int64_t batch) {
    if (x.dim() < 3 || x.size(0) != batch) {
        return false;
    }
    return !lengths.defined() || lengths.to(torch::kCPU).eq(x.size(1)).all().item<bool>();
}

std::unique_ptr<TrainStep> makeTrainStep(const nn::ClipClassifier& model, const TrainConfig& config,
                                         const torch::Device& device) {
    GraphFacts facts;
    facts.build = graphBuild();
    facts.cudaDevice = device.is_cuda();
    facts.arch = config.arch;
    facts.switchedOff = graphsSwitchedOff(std::getenv(kGraphsEnv));
    const auto decision = decideGraphs(facts);
    if (!decision.capture) {
        return std::make_unique<EagerStep>(model, config, decision.reason);
    }
    std::string reason;
    if (auto graphed = makeGraphedStep(model, config, reason)) {
        return graphed;
    }
    return std::make_unique<EagerStep>(model, config, reason);
}

}  // namespace vidrnn
