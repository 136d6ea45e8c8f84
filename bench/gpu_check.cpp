// The trainer on a GPU, on real demo features, beside the same runs on the CPU.
//
// A GPU machine may lack OpenCV and the other libraries the whole engine links,
// so the work is split in two:
//
//   gpu_check --prepare --data=DIR --cache=DIR --out=BUNDLE [--frames=12] [--size=64]
//       (here, full engine) scans the data set, extracts or finds its features
//       and writes BUNDLE/bundle.json (the data set's clips and the backbone)
//       beside a copy of the features' cache folder, BUNDLE/features/;
//
//   gpu_check --bundle=BUNDLE [--devices=cpu,cuda] [--archs=...] [--hidden=128]
//             [--epochs=15] [--split=groups] [--threads=N] [--json=FILE]
//       (anywhere LibTorch runs; bench/gpu/ builds it with the trainer's
//       sources only) trains every architecture on every device with the
//       engine's trainer and prints accuracy, macro F1, epochs and time per
//       run. Exits 1 when a run on any device fails to learn (accuracy at most
//       twice chance), so a broken device path is not mistaken for a slow one.
//       First, the extraction side: the built-in ResNet-18 on every device
//       over the same random frames (--backbone-size=224, --backbone-frames=256):
//       frames/s and the largest feature difference from the first device.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common.h"
#include "ml/backbone.h"
#include "ml/checkpoint.h"
#include "vidrnn/errors.h"
#include "vidrnn/runtime.h"
#include "vidrnn/splits.h"
#include "vidrnn/trainer.h"
#ifdef VIDRNN_GPU_CHECK_PREPARE
#include "vidrnn/experiment.h"
#endif

namespace fs = std::filesystem;
using vidrnn::bench::Options;

namespace {

vidrnn::Dataset datasetFromJson(const nlohmann::json& j) {
    vidrnn::Dataset d;
    d.root = j.at("root");
    d.layout = j.at("layout");
    d.classes = j.at("classes").get<std::vector<std::string>>();
    d.groups = j.at("groups").get<std::vector<std::string>>();
    for (const auto& c : j.at("clips")) {
        vidrnn::Clip clip;
        clip.path = c.at("path");
        clip.label = c.at("label");
        clip.className = c.at("class");
        clip.group = c.at("group");
        clip.clipNumber = c.at("clip");
        d.clips.push_back(clip);
    }
    return d;
}

#ifdef VIDRNN_GPU_CHECK_PREPARE
nlohmann::json datasetJson(const vidrnn::Dataset& d) {
    nlohmann::json clips = nlohmann::json::array();
    for (const auto& c : d.clips) {
        clips.push_back({{"path", c.path},
                         {"label", c.label},
                         {"class", c.className},
                         {"group", c.group},
                         {"clip", c.clipNumber}});
    }
    return {{"root", d.root},
            {"layout", d.layout},
            {"classes", d.classes},
            {"groups", d.groups},
            {"clips", clips}};
}

int prepare(Options& opt) {
    vidrnn::TrainConfig c;
    c.dataset = opt.str("data", "");
    c.cacheDir = opt.str("cache", "");
    c.backbone = vidrnn::kRandomBackbone;  // the demo's backbone
    c.frames = opt.integer("frames", 12);
    c.imageSize = opt.integer("size", 64);
    c.threads = opt.integer("threads", 0);
    c.device = "cpu";
    const fs::path out = opt.str("out", "");
    opt.checkAllUsed();
    if (c.dataset.empty() || out.empty()) {
        Options::fail("--prepare needs --data and --out");
    }
    const auto dataset = vidrnn::scanDataset(c.dataset);
    std::atomic<bool> stop{false};
    const auto features = vidrnn::featuresFor(dataset, c, {}, stop);
    fs::create_directories(out);
    fs::remove_all(out / "features");
    fs::copy(features.cacheDir, out / "features", fs::copy_options::recursive);
    nlohmann::json bundle = {
        {"dataset", datasetJson(dataset)},
        {"backbone", nlohmann::json::parse(vidrnn::backboneToJson(features.backbone))},
        {"frames", c.frames},
        {"image_size", c.imageSize}};
    std::ofstream(out / "bundle.json") << bundle.dump(1) << "\n";
    std::printf("bundle %s: %zu clips, %zu classes, features of %s\n", out.c_str(),
                dataset.clips.size(), dataset.classes.size(), features.backbone.identity.c_str());
    return 0;
}
#endif

nlohmann::json checkBackbones(const std::vector<std::string>& devices, int size, int frames) {
    nlohmann::json rows = nlohmann::json::array();
    torch::manual_seed(3);
    const auto input = torch::randint(0, 256, {frames, 3, size, size}, torch::kUInt8);
    torch::Tensor first;
    std::printf("%-8s %6s %8s %12s %16s\n", "device", "size", "frames", "frames/s",
                "max |diff| vs 1st");
    for (const auto& spec : devices) {
        const torch::Device device(vidrnn::resolveDevice(spec));
        vidrnn::Backbone backbone("resnet18", size, device);
        torch::NoGradGuard noGrad;
        const int64_t batch = 64;
        auto runAll = [&] {
            std::vector<torch::Tensor> out;
            for (int64_t i = 0; i < frames; i += batch) {
                out.push_back(backbone.forward(input.narrow(0, i, std::min(batch, frames - i)))
                                  .to(torch::kCPU, torch::kFloat));
            }
            return torch::cat(out);
        };
        runAll();  // warm-up (cuDNN algorithm choice, allocator)
        const auto t0 = std::chrono::steady_clock::now();
        const auto maps = runAll();
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        double diff = 0;
        if (first.defined()) {
            diff = (maps - first).abs().max().item<double>();
        } else {
            first = maps;
        }
        std::printf("%-8s %6d %8d %12.1f %16.3g\n", device.str().c_str(), size, frames,
                    frames / seconds, diff);
        rows.push_back({{"device", device.str()},
                        {"size", size},
                        {"frames", frames},
                        {"frames_per_second", frames / seconds},
                        {"max_abs_diff_vs_first", diff},
                        {"feature_scale", first.abs().max().item<double>()}});
    }
    std::fflush(stdout);
    return rows;
}

int trainAll(Options& opt) {
    const fs::path bundleDir = opt.str("bundle", "");
    const auto devices = opt.list("devices", "cpu,cuda");
    const auto archs = opt.list("archs", "lstm,gru,deep_lstm,bilstm,convlstm,mean_pool");
    const auto hidden = opt.integers("hidden", "128");
    const int epochs = opt.integer("epochs", 15);
    const std::string split = opt.str("split", "groups");
    const int threads = opt.integer("threads", 0);
    const std::string jsonOut = opt.str("json", "");
    const int backboneSize = opt.integer("backbone-size", 224);
    const int backboneFrames = opt.integer("backbone-frames", 256);
    opt.checkAllUsed();
    vidrnn::configureThreads(threads);
    const auto backbones = checkBackbones(devices, backboneSize, backboneFrames);

    nlohmann::json bundle;
    std::ifstream(bundleDir / "bundle.json") >> bundle;
    const auto dataset = datasetFromJson(bundle.at("dataset"));
    vidrnn::TrainInputs inputs;
    inputs.dataset = &dataset;
    vidrnn::SplitSpec spec;
    spec.protocol = split;
    inputs.split = vidrnn::makeSplit(dataset, spec);
    inputs.features.backbone = vidrnn::backboneFromJsonText(bundle.at("backbone").dump());
    inputs.features.cacheDir = (bundleDir / "features").string();
    inputs.features.clips = static_cast<int>(dataset.clips.size());

    const double chance = 1.0 / static_cast<double>(dataset.classes.size());
    bool ok = true;
    nlohmann::json runs = nlohmann::json::array();
    std::printf("%-10s %6s %-8s %9s %9s %7s %9s\n", "arch", "hidden", "device", "accuracy",
                "macro F1", "epochs", "seconds");
    for (const auto& arch : archs) {
        for (const int h : hidden) {
            for (const auto& device : devices) {
                vidrnn::TrainConfig c;
                c.dataset = dataset.root;
                c.frames = bundle.at("frames");
                c.imageSize = bundle.at("image_size");
                c.split = split;
                c.arch = arch;
                c.hidden = h;
                c.epochs = epochs;
                c.batch = 16;
                c.patience = 5;
                c.device = device;
                c.threads = threads;
                std::atomic<bool> stop{false};
                const auto r = vidrnn::train(c, inputs, {}, stop, "");
                const bool learned = r.test.accuracy > 2 * chance;
                ok = ok && learned;
                std::printf("%-10s %6d %-8s %9.3f %9.3f %7d %9.2f%s\n", arch.c_str(), h,
                            r.device.c_str(), r.test.accuracy, r.test.macroF1, r.epochsRun,
                            r.trainSeconds, learned ? "" : "  did not learn");
                std::fflush(stdout);
                runs.push_back({{"arch", arch},
                                {"hidden", h},
                                {"device", r.device},
                                {"accuracy", r.test.accuracy},
                                {"macro_f1", r.test.macroF1},
                                {"epochs", r.epochsRun},
                                {"train_seconds", r.trainSeconds},
                                {"params", r.params}});
            }
        }
    }
    if (!jsonOut.empty()) {
        std::ofstream(jsonOut) << nlohmann::json({{"runs", runs}, {"backbones", backbones}}).dump(1)
                               << "\n";
    }
    return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt(argc, argv);
    try {
        if (opt.integer("prepare", 0) != 0) {
#ifdef VIDRNN_GPU_CHECK_PREPARE
            return prepare(opt);
#else
            Options::fail("--prepare needs the whole engine (build bench/, not bench/gpu/)");
#endif
        }
        return trainAll(opt);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gpu_check: %s\n", e.what());
        return 2;
    }
}
