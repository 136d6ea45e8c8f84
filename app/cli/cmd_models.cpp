#include <iomanip>
#include <iostream>

#include "commands.h"
#include "vidrnn/models.h"
#include "vidrnn/runtime.h"

namespace vidrnn::cli {

namespace {

struct ModelsOptions {
    std::int64_t inputDim = 512;
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
    std::cout << "input " << o.inputDim << ", " << o.classes
              << " classes; convlstm reads " << o.inputDim << "-channel maps\n";
}

void runInfo(bool json) {
    const auto i = runtimeInfo();
    nlohmann::json doc = {
        {"vidrnn", i.vidrnnVersion},     {"libtorch", i.torchVersion},
        {"opencv", i.opencvVersion},     {"sqlite", i.sqliteVersion},
        {"cores", i.cores},              {"threads", i.threads},
        {"interop_threads", i.interopThreads}, {"blas", i.blasLibrary},
        {"blas_threads", i.blasThreads >= 0 ? nlohmann::json(i.blasThreads) : nlohmann::json()},
        {"parallel_backend", i.parallelBackend}, {"mkldnn", i.mkldnn},
        {"native_bf16", i.nativeBf16},
        {"cuda_available", i.cudaAvailable},   {"cuda_devices", i.cudaDevices},
    };
    if (json) {
        printJson(doc);
        return;
    }
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        std::cout << std::left << std::setw(18) << it.key() << ' '
                  << (it->is_string() ? it->get<std::string>() : it->dump()) << '\n';
    }
}

}  // namespace

void addModelCommands(CLI::App& app, Globals& globals) {
    auto opts = std::make_shared<ModelsOptions>();
    auto* models = app.add_subcommand("models", "list architectures with their parameter counts");
    models->add_option("--input-dim", opts->inputDim, "feature size D (channels for convlstm)")
        ->check(CLI::PositiveNumber);
    models->add_option("--classes", opts->classes, "number of classes")->check(CLI::Range(2, 100000));
    models->add_option("--hidden", opts->hidden, "hidden sizes")->check(CLI::PositiveNumber);
    models->add_option("--archs", opts->archs, "architectures (default: all)");
    models->add_flag("--json", opts->json, "print a JSON array of {arch, hidden, layers, params}");
    models->callback([opts] { runModels(*opts); });

    auto infoJson = std::make_shared<bool>(false);
    auto* info = app.add_subcommand("info", "LibTorch version, threads, BLAS, CUDA devices");
    info->add_flag("--json", *infoJson, "print JSON");
    info->callback([infoJson, &globals] {
        configureThreads(globals.threads);
        runInfo(*infoJson);
    });
}

}  // namespace vidrnn::cli
