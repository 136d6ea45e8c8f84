#include "vidrnn/models.h"

#include <algorithm>

#include "vidrnn/errors.h"

namespace vidrnn {

const std::vector<std::string>& architectures() {
    static const std::vector<std::string> names = {"lstm",   "gru",      "deep_lstm",
                                                   "bilstm", "convlstm", "mean_pool"};
    return names;
}

std::string archDisplayName(const std::string& arch) {
    if (arch == "lstm") return "LSTM";
    if (arch == "gru") return "GRU";
    if (arch == "deep_lstm") return "Deep LSTM (2 layers)";
    if (arch == "bilstm") return "Bidirectional LSTM";
    if (arch == "convlstm") return "ConvLSTM";
    if (arch == "mean_pool") return "Mean pool (no recurrence)";
    return arch;
}

std::string archShortName(const std::string& arch) {
    if (arch == "deep_lstm") return "Deep LSTM";
    if (arch == "bilstm") return "BiLSTM";
    if (arch == "mean_pool") return "Mean pool";
    return archDisplayName(arch);
}

bool isSpatialArch(const std::string& arch) { return arch == "convlstm"; }

int defaultLayers(const std::string& arch) { return arch == "deep_lstm" ? 2 : 1; }

void validate(const ModelSpec& spec) {
    const auto& names = architectures();
    if (std::find(names.begin(), names.end(), spec.arch) == names.end()) {
        std::string list;
        for (const auto& n : names) {
            list += (list.empty() ? "" : ", ") + n;
        }
        throw ConfigError("unknown architecture '" + spec.arch + "' (known: " + list + ")");
    }
    if (spec.hidden <= 0) {
        throw ConfigError("hidden size must be positive, got " + std::to_string(spec.hidden));
    }
    // 64x the study's largest: beyond it a model only exhausts memory.
    if (spec.hidden > 32768) {
        throw ConfigError("hidden size " + std::to_string(spec.hidden) +
                          " is too large (at most 32768)");
    }
    if (spec.inputDim <= 0) {
        throw ConfigError("input size must be positive, got " + std::to_string(spec.inputDim));
    }
    if (spec.classes < 2) {
        throw ConfigError("need at least 2 classes, got " + std::to_string(spec.classes));
    }
    if (spec.layers < 0 || spec.layers > 8) {
        throw ConfigError("layers must be 0 (default) to 8, got " + std::to_string(spec.layers));
    }
    if (spec.arch == "mean_pool" && spec.layers > 1) {
        throw ConfigError("mean_pool has no layers to stack (layers " +
                          std::to_string(spec.layers) + ")");
    }
    if (!(spec.dropout >= 0.0 && spec.dropout < 1.0)) {
        throw ConfigError("dropout must lie in [0, 1), got " + std::to_string(spec.dropout));
    }
}

// In closed form, so that listing models loads no LibTorch; tst_models holds
// it equal to the real modules' count for every architecture and size.
std::int64_t parameterCount(const ModelSpec& spec) {
    validate(spec);
    const std::int64_t d = spec.inputDim, h = spec.hidden, c = spec.classes;
    const std::int64_t layers = spec.layers > 0 ? spec.layers : defaultLayers(spec.arch);
    if (spec.arch == "mean_pool") {
        return d * h + h + h * c + c;  // embed, head
    }
    if (spec.arch == "convlstm") {
        constexpr std::int64_t kernel = 3;  // ClassifierOptions' default
        std::int64_t n = 0;
        for (std::int64_t l = 0; l < layers; ++l) {
            const std::int64_t in = l == 0 ? d : h;
            n += (in + h) * 4 * h * kernel * kernel + 4 * h;  // one Conv2d for all gates
        }
        return n + h * c + c;
    }
    // torch::nn::LSTM / GRU: per layer and direction, input and hidden weights
    // for every gate and two bias vectors.
    const std::int64_t gates = spec.arch == "gru" ? 3 : 4;
    const std::int64_t directions = spec.arch == "bilstm" ? 2 : 1;
    std::int64_t n = 0;
    for (std::int64_t l = 0; l < layers; ++l) {
        const std::int64_t in = l == 0 ? d : h * directions;
        n += directions * (gates * h * (in + h) + 2 * gates * h);
    }
    return n + h * directions * c + c;
}

}  // namespace vidrnn
