#include "vidrnn/models.h"

#include "vidrnn/archs.h"
#include "vidrnn/errors.h"

namespace vidrnn {

const std::vector<std::string>& architectures() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& a : archRegistry()) {
            n.push_back(a.name);
        }
        return n;
    }();
    return names;
}

std::string joinArchNames(const std::vector<std::string>& names, const std::string& separator) {
    std::string list;
    for (const auto& n : names) {
        list += (list.empty() ? "" : separator) + n;
    }
    return list;
}

std::string archDisplayName(const std::string& arch) {
    const auto* a = findArch(arch);
    return a ? a->displayName : arch;
}

std::string archShortName(const std::string& arch) {
    const auto* a = findArch(arch);
    return a ? a->shortName : arch;
}

bool isSpatialArch(const std::string& arch) {
    const auto* a = findArch(arch);
    return a && a->input == ArchInput::Maps;
}

bool isOrderBlindArch(const std::string& arch) {
    const auto* a = findArch(arch);
    return a && a->orderBlind;
}

std::string orderBlindControl() {
    for (const auto& a : archRegistry()) {
        if (a.orderBlind) {
            return a.name;
        }
    }
    return {};
}

int defaultLayers(const std::string& arch) {
    const auto* a = findArch(arch);
    return a ? a->defaultLayers : 1;
}

std::string archTypeName(const std::string& arch, int layers) {
    const auto* a = findArch(arch);
    if (!a || layers <= 0 || layers == a->defaultLayers) {
        return archDisplayName(arch);
    }
    const std::string count = " (" + std::to_string(layers) + " layers)";
    return (a->layersInName ? a->shortName : a->displayName) + count;
}

void validate(const ModelSpec& spec) {
    const ArchInfo& arch = archInfo(spec.arch);  // throws for an unknown name
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
    if (arch.maxLayers == 1 && spec.layers > 1) {
        throw ConfigError(spec.arch + " has no layers to stack (layers " +
                          std::to_string(spec.layers) + ")");
    }
    if (spec.layers > arch.maxLayers) {
        throw ConfigError(spec.arch + " takes at most " + std::to_string(arch.maxLayers) +
                          " layers, got " + std::to_string(spec.layers));
    }
    if (!(spec.dropout >= 0.0 && spec.dropout < 1.0)) {
        throw ConfigError("dropout must lie in [0, 1), got " + std::to_string(spec.dropout));
    }
}

// In closed form (each row's formula), so that listing models loads no
// LibTorch; tst_models holds it equal to the real modules' count for every
// architecture and size.
std::int64_t parameterCount(const ModelSpec& spec) {
    validate(spec);
    const ArchInfo& arch = archInfo(spec.arch);
    return arch.parameters(spec, spec.layers > 0 ? spec.layers : arch.defaultLayers);
}

}  // namespace vidrnn
