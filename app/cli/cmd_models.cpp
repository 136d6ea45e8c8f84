#include <iomanip>
#include <iostream>

#include "commands.h"
#include "vidrnn/models.h"

namespace vidrnn::cli {

namespace {

struct ModelsOptions {
    std::int64_t inputDim = 1280;  // the default backbone's (MobileNetV2); the study's: 512
    std::int64_t classes = 11;
    std::vector<std::int64_t> hidden = {64, 128, 256, 512};
    std::vector<std::string> archs;
    bool json = false;
};

void runModels(const ModelsOptions& o) {
    const auto& archs = o.archs.empty() ? architectures() : o.archs;
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& arch : archs) {
        for (auto h : o.hidden) {
            ModelSpec spec;
            spec.arch = arch;
            spec.inputDim = o.inputDim;
            spec.hidden = h;
            spec.classes = o.classes;
            rows.push_back({{"arch", arch},
                            {"hidden", h},
                            {"layers", defaultLayers(arch)},
                            {"params", parameterCount(spec)}});
        }
    }
    if (o.json) {
        printJson(rows);
        return;
    }
    std::cout << std::left << std::setw(28) << "architecture" << std::right << std::setw(8)
              << "hidden" << std::setw(14) << "parameters" << '\n';
    for (const auto& r : rows) {
        std::cout << std::left << std::setw(28) << archDisplayName(r["arch"]) << std::right
                  << std::setw(8) << r["hidden"].get<int64_t>() << std::setw(14)
                  << r["params"].get<int64_t>() << '\n';
    }
    std::cout << "input " << o.inputDim << ", " << o.classes << " classes; convlstm reads "
              << o.inputDim << "-channel maps"
              << (o.inputDim == 512 ? " (the study's 512-d ImageNet features)\n"
                                    : "; the study's counts: --input-dim 512\n");
}

}  // namespace

void addModelCommands(CLI::App& app, Globals&) {
    auto opts = std::make_shared<ModelsOptions>();
    auto* models = app.add_subcommand("models", "list architectures with their parameter counts");
    models
        ->add_option(
            "--input-dim", opts->inputDim,
            "feature size D (channels for convlstm); default 1280 (MobileNetV2), the study's 512")
        ->check(CLI::PositiveNumber);
    models->add_option("--classes", opts->classes, "number of classes")
        ->check(CLI::Range(2, 100000));
    addListOption(models, "--hidden", opts->hidden, "hidden sizes, by spaces or commas")
        ->check(CLI::PositiveNumber);
    addListOption(models, "--archs", opts->archs, "architectures (default: all)");
    models->add_flag("--json", opts->json, "print a JSON array of {arch, hidden, layers, params}");
    models->callback([opts] { runModels(*opts); });
}

}  // namespace vidrnn::cli
