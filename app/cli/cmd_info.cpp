// info: where and how LibTorch computes. In the compute plugin (it loads
// LibTorch to ask it), registered by compute.cpp.
#include <iomanip>
#include <iostream>

#include "commands.h"
#include "vidrnn/models.h"
#include "vidrnn/precision.h"
#include "vidrnn/runtime.h"

namespace vidrnn::cli {

namespace {

void runInfo(bool json) {
    const auto i = runtimeInfo();
    // --precision auto's rule: the smallest hidden size from which each
    // architecture trains in bf16 where bf16 is native (null: never).
    nlohmann::json autoBf16 = nlohmann::json::object();
    for (const auto& arch : architectures()) {
        const auto from = autoBf16FromHidden(arch);
        autoBf16[arch] = from ? nlohmann::json(*from) : nlohmann::json();
    }
    nlohmann::json doc = {
        {"vidrnn", i.vidrnnVersion},
        {"libtorch", i.torchVersion},
        {"libtorch_library", i.torchLibrary},
        {"opencv", i.opencvVersion},
        {"sqlite", i.sqliteVersion},
        {"cores", i.cores},
        {"allotted_cores", i.allottedCores},
        {"threads", i.threads},
        {"interop_threads", i.interopThreads},
        {"blas", i.blasLibrary},
        {"blas_threads", i.blasThreads >= 0 ? nlohmann::json(i.blasThreads) : nlohmann::json()},
        {"parallel_backend", i.parallelBackend},
        {"mkldnn", i.mkldnn},
        {"native_bf16", i.nativeBf16},
        {"auto_bf16_from_hidden", autoBf16},
        {"cuda_compiled", i.cudaCompiled},
        {"cuda_version", i.cudaVersion.empty() ? nlohmann::json() : nlohmann::json(i.cudaVersion)},
        {"cuda_available", i.cudaAvailable},
        {"cuda_devices", i.cudaDevices},
        {"cuda_graphs", i.cudaGraphs},
    };
    if (json) {
        printJson(doc);
        return;
    }
    for (auto it = doc.begin(); it != doc.end(); ++it) {
        std::cout << std::left << std::setw(22) << it.key() << ' '
                  << (it->is_string() ? it->get<std::string>() : it->dump()) << '\n';
    }
}

}  // namespace

void addInfoCommand(CLI::App& app, Globals& globals) {
    auto infoJson = std::make_shared<bool>(false);
    auto* info = app.add_subcommand("info", "LibTorch version, threads, BLAS, CUDA devices");
    info->add_flag("--json", *infoJson, "print JSON");
    info->callback([infoJson, &globals] {
        configureThreads(globals.threads);
        runInfo(*infoJson);
    });
}

}  // namespace vidrnn::cli
