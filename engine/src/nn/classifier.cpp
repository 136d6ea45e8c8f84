#include "nn/classifier.h"

#include "nn/convlstm.h"
#include "nn/meanpool.h"
#include "nn/recurrent.h"
#include "nn/transformer.h"
#include "torch_compat.h"
#include "vidrnn/errors.h"
#include "vidrnn/models.h"

namespace vidrnn::nn {

namespace {

template <class Impl>
ClipClassifier make(const ClassifierOptions& options) {
    return std::make_shared<Impl>(options);
}

template <RecurrentCell cell, int64_t directions>
ClipClassifier makeRecurrent(const ClassifierOptions& options) {
    return std::make_shared<RecurrentClassifierImpl>(options, cell, directions);
}

}  // namespace

const std::map<std::string, ClassifierFactory>& classifierFactories() {
    static const std::map<std::string, ClassifierFactory> table = {
        {"lstm", makeRecurrent<RecurrentCell::Lstm, 1>},
        {"gru", makeRecurrent<RecurrentCell::Gru, 1>},
        {"deep_lstm", makeRecurrent<RecurrentCell::Lstm, 1>},
        {"bilstm", makeRecurrent<RecurrentCell::Lstm, 2>},
        {"convlstm", make<ConvLSTMClassifierImpl>},
        {"mean_pool", make<MeanPoolClassifierImpl>},
        {"transformer", make<TransformerClassifierImpl>},
    };
    return table;
}

ClipClassifier makeClassifier(const ClassifierOptions& options_in) {
    ModelSpec spec;
    spec.arch = options_in.arch();
    spec.inputDim = options_in.input_size();
    spec.hidden = options_in.hidden_size();
    spec.layers = static_cast<int>(options_in.num_layers());
    spec.classes = options_in.num_classes();
    spec.dropout = options_in.dropout();
    validate(spec);
    const auto factory = classifierFactories().find(spec.arch);
    if (factory == classifierFactories().end()) {
        throw ConfigError("architecture '" + spec.arch + "' has no module in this build");
    }
    ClassifierOptions options = options_in;
    if (options.num_layers() == 0) {
        options.num_layers(defaultLayers(spec.arch));
    }
    return factory->second(options);
}

int64_t countParameters(const torch::nn::Module& module) {
    int64_t n = 0;
    for (const auto& p : module.parameters()) {
        n += p.numel();
    }
    return n;
}

torch::ScalarType computeTypeOf(const std::string& precision) {
    if (precision == "bf16") {
        return torch::kBFloat16;
    }
    TORCH_CHECK(precision == "fp32", "precision '", precision, "' is neither fp32 nor bf16");
    return torch::kFloat;
}

namespace detail {

torch::Tensor checkedLengths(const torch::Tensor& x, const torch::Tensor& lengths) {
    TORCH_CHECK(x.dim() >= 3, "expected a batch of sequences, got ", x.sizes());
    const int64_t batch = x.size(0);
    const int64_t steps = x.size(1);
    TORCH_CHECK(steps >= 1, "a clip needs at least one step");
    if (!lengths.defined()) {
        return torch::full({batch}, steps, torch::dtype(torch::kLong).device(x.device()));
    }
    TORCH_CHECK(lengths.dim() == 1 && lengths.size(0) == batch, "lengths must be [", batch,
                "], got ", lengths.sizes());
    // Checked on the host: lengths given on the CPU (as the trainer gives them)
    // then cost no wait for the GPU's queue, which .item() on a device tensor
    // would (three such waits per step measured 10-25% of a small model's
    // CUDA training step).
    const auto host = lengths.to(torch::kCPU, torch::kLong);
    const auto [low, high] = torch::aminmax(host);
    TORCH_CHECK(low.item<int64_t>() >= 1 && high.item<int64_t>() <= steps,
                "lengths must lie in [1, ", steps, "]");
    return host.to(x.device());
}

bool anyShorter(const torch::Tensor& lengths, int64_t steps) {
    return lengths.defined() && lengths.to(torch::kCPU).lt(steps).any().item<bool>();
}

torch::Tensor lastValidStep(const torch::Tensor& steps, const torch::Tensor& lengths) {
    auto index = (lengths - 1).view({-1, 1, 1}).expand({steps.size(0), 1, steps.size(2)});
    return steps.gather(1, index).squeeze(1);
}

torch::Tensor validMask(const torch::Tensor& lengths, int64_t steps) {
    auto t = torch::arange(steps, lengths.options()).unsqueeze(0);
    return t < lengths.unsqueeze(1);
}

torch::Tensor cast(const torch::Tensor& t, torch::ScalarType type) {
    return !t.defined() || t.scalar_type() == type ? t : t.to(type);
}

// Where compat::kOneDnnCpuLinear asks for it and this LibTorch has oneDNN (and
// the user has not switched it off): fp32 on the CPU.
bool oneDnnLinear(const torch::Tensor& x) {
    return compat::kOneDnnCpuLinear && x.is_cpu() && x.scalar_type() == torch::kFloat &&
           x.numel() > 0 && at::hasMKLDNN() && at::globalContext().userEnabledMkldnn();
}

// The product runs on an mkldnn-layout copy of x as rows; autograd takes the
// gradients back to x, the weight and the bias in the ordinary layout.
torch::Tensor linearOneDnn(const torch::Tensor& x, const torch::Tensor& weight,
                           const torch::Tensor& bias) {
    const auto rows = x.reshape({-1, x.size(-1)}).contiguous().to_mkldnn();
    auto sizes = x.sizes().vec();
    sizes.back() = weight.size(0);
    return torch::mkldnn_linear(rows, weight, bias).to_dense().view(sizes);
}

torch::Tensor linear(torch::nn::Linear layer, const torch::Tensor& x, torch::ScalarType type) {
    if (type == x.scalar_type()) {
        return oneDnnLinear(x) ? linearOneDnn(x, layer->weight, layer->bias) : layer(x);
    }
    auto y = torch::matmul(cast(x, type), cast(layer->weight, type).t()).to(x.scalar_type());
    return layer->bias.defined() ? y + layer->bias : y;
}

}  // namespace detail

}  // namespace vidrnn::nn
