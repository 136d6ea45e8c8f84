// Feature extraction throughput on the same frames three ways:
//   extract/e2e/S       vidrnn::extractFeatures into an empty cache folder: decode
//                       and preprocess (one decoder thread beside inference, as
//                       the CLI runs it), backbone, cache files; frames/s over
//                       the summary's wall time
//   extract/backbone/S  Backbone::forward alone on the frames decoded beforehand,
//                       batched as extractFeatures batches them (whole clips,
//                       flushed at >= 64 frames)
//   extract/decode/S    data::decodeClip alone (decode + preprocess), one thread
//   extract/setup/S     building the Backbone, the fixed cost in every e2e run
//
//   bench_extract --data=DIR [--sizes=112,224] [--clips=N] [--frames=16]
//                 [--backbone=resnet18|mobilenet_v2|FILE] [--decoders=N]
//                 [--batch=64] [--threads=N] [--repetitions=R] [--benchmark_*]
//
// --clips=N takes N clips spread evenly over the data set (0 = all).
// --decoders=N: decoder threads beside inference in the e2e run (0 = the
// ExtractOptions default). bench/extract_peer.py runs the same TorchScript
// file from python3-torch on batches of the same shape, for comparison.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <torch/torch.h>

#include "common.h"
#include "data/decode.h"
#include "ml/backbone.h"
#include "vidrnn/dataset.h"
#include "vidrnn/features.h"

namespace {

using vidrnn::bench::Options;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Settings {
    int frames = 16;
    int batchFrames = 64;  // ExtractOptions' default
    std::string backbone = "resnet18";
    int decoders = 0;     // 0 = ExtractOptions' default
    std::string scratch;  // parent of the throw-away cache folders
};

vidrnn::Dataset gData;
Settings gSettings;

// The frames of every clip, decoded once per size, in extractFeatures' batches.
struct Decoded {
    std::vector<torch::Tensor> batches;  // [N,S,S,3] uint8
    std::int64_t frames = 0;
};

std::map<int, std::unique_ptr<Decoded>> gDecoded;
std::map<int, std::unique_ptr<vidrnn::Backbone>> gBackbones;

Decoded& decodedFor(int size) {
    auto& slot = gDecoded[size];
    if (slot) {
        return *slot;
    }
    slot = std::make_unique<Decoded>();
    std::vector<vidrnn::data::DecodedClip> pending;
    std::int64_t pendingFrames = 0;
    auto flush = [&] {
        std::vector<torch::Tensor> frames;
        for (auto& d : pending) {
            for (auto& m : d.frames) {
                frames.push_back(torch::from_blob(m.data, {m.rows, m.cols, 3}, torch::kUInt8));
            }
        }
        if (!frames.empty()) {
            slot->batches.push_back(torch::stack(frames));  // copies out of the cv::Mats
            slot->frames += static_cast<std::int64_t>(frames.size());
        }
        pending.clear();
        pendingFrames = 0;
    };
    for (const auto& clip : gData.clips) {
        auto d = vidrnn::data::decodeClip(clip.path, gSettings.frames, size);
        if (d.frames.empty()) {
            continue;
        }
        pendingFrames += static_cast<std::int64_t>(d.frames.size());
        pending.push_back(std::move(d));
        if (pendingFrames >= gSettings.batchFrames) {
            flush();
        }
    }
    flush();
    return *slot;
}

vidrnn::Backbone& backboneFor(int size) {
    auto& slot = gBackbones[size];
    if (!slot) {
        slot = std::make_unique<vidrnn::Backbone>(gSettings.backbone, size, torch::kCPU);
    }
    return *slot;
}

void endToEnd(benchmark::State& state, int size) {
    std::int64_t frames = 0;
    double seconds = 0, decodeSeconds = 0, backboneSeconds = 0;
    int run = 0;
    for (auto _ : state) {
        const auto dir = fs::path(gSettings.scratch) /
                         ("e2e-" + std::to_string(size) + "-" + std::to_string(run++));
        fs::remove_all(dir);
        vidrnn::ExtractOptions o;
        o.backbone = gSettings.backbone;
        o.frames = gSettings.frames;
        if (gSettings.decoders > 0) {
            o.decodeThreads = gSettings.decoders;
        }
        o.imageSize = size;
        o.cacheDir = dir.string();
        o.batchFrames = gSettings.batchFrames;
        const auto s = vidrnn::extractFeatures(gData, o);
        state.SetIterationTime(s.seconds);
        frames += s.framesComputed;
        seconds += s.seconds;
        decodeSeconds += s.decodeSeconds;
        backboneSeconds += s.backboneSeconds;
        if (s.computed != static_cast<int>(gData.clips.size())) {
            state.SkipWithError("not every clip was computed (cache not empty?)");
        }
        fs::remove_all(dir);
    }
    state.counters["frames"] = static_cast<double>(frames) / state.iterations();
    state.counters["fps"] = static_cast<double>(frames) / seconds;
    state.counters["decode_s"] = decodeSeconds / state.iterations();
    state.counters["backbone_s"] = backboneSeconds / state.iterations();
}

void backboneOnly(benchmark::State& state, int size) {
    auto& d = decodedFor(size);
    auto& bb = backboneFor(size);
    double seconds = 0;
    for (auto _ : state) {
        const auto t0 = Clock::now();
        for (const auto& batch : d.batches) {
            auto maps = bb.forward(batch).to(torch::kCPU, torch::kFloat);
            benchmark::DoNotOptimize(maps.data_ptr());
        }
        const double s = since(t0);
        state.SetIterationTime(s);
        seconds += s;
    }
    state.counters["frames"] = static_cast<double>(d.frames);
    state.counters["fps"] = static_cast<double>(d.frames) * state.iterations() / seconds;
}

// The fixed cost inside every extractFeatures call: building the backbone
// (ResNet-18: deterministic initialisation, weight hash; MobileNetV2: sha256,
// loading; both: a probe forward).
void setup(benchmark::State& state, int size) {
    for (auto _ : state) {
        const auto t0 = Clock::now();
        vidrnn::Backbone bb(gSettings.backbone, size, torch::kCPU);
        state.SetIterationTime(since(t0));
        benchmark::DoNotOptimize(bb.description().channels);
    }
}

void decodeOnly(benchmark::State& state, int size) {
    std::int64_t frames = 0;
    double seconds = 0;
    for (auto _ : state) {
        const auto t0 = Clock::now();
        for (const auto& clip : gData.clips) {
            auto dc = vidrnn::data::decodeClip(clip.path, gSettings.frames, size);
            frames += static_cast<std::int64_t>(dc.frames.size());
        }
        const double s = since(t0);
        state.SetIterationTime(s);
        seconds += s;
    }
    state.counters["frames"] = static_cast<double>(frames) / state.iterations();
    state.counters["fps"] = static_cast<double>(frames) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    Options opt(argc, argv);
    const auto data = opt.str("data", "");
    const auto sizes = opt.integers("sizes", "112,224");
    const int clips = opt.integer("clips", 0);
    const int threads = opt.integer("threads", 0);
    const int repetitions = opt.integer("repetitions", 3);
    gSettings.frames = opt.integer("frames", 16);
    gSettings.backbone = opt.str("backbone", "resnet18");
    gSettings.decoders = opt.integer("decoders", 0);
    gSettings.batchFrames = opt.integer("batch", 64);
    gSettings.scratch = opt.str("scratch", "");
    opt.checkAllUsed();
    if (data.empty()) {
        Options::fail("--data=DIR is required (e.g. vidrnn data generate --preset small)");
    }

    vidrnn::bench::configureAndRecord(threads);
    auto all = vidrnn::scanDataset(data);
    gData = all;
    if (clips > 0 && clips < static_cast<int>(all.clips.size())) {
        gData.clips.clear();
        const double stride = double(all.clips.size()) / clips;
        for (int i = 0; i < clips; ++i) {
            gData.clips.push_back(all.clips[static_cast<std::size_t>(i * stride)]);
        }
    }
    if (gSettings.scratch.empty()) {
        gSettings.scratch = (fs::temp_directory_path() / "vidrnn-bench-extract").string();
    }
    fs::create_directories(gSettings.scratch);
    benchmark::AddCustomContext("extract_clips", std::to_string(gData.clips.size()));
    benchmark::AddCustomContext("extract_data", all.root);
    benchmark::AddCustomContext("extract_backbone", gSettings.backbone);
    std::printf("extraction on %zu of %zu clips of %s, T=%d, backbone %s\n", gData.clips.size(),
                all.clips.size(), all.root.c_str(), gSettings.frames, gSettings.backbone.c_str());
    std::fflush(stdout);

    for (const int size : sizes) {
        // Warm-up outside any timing: the files into the page cache, oneDNN's
        // primitives for these shapes created.
        auto& d = decodedFor(size);
        if (!d.batches.empty()) {
            backboneFor(size).forward(d.batches.front());
        }
        // Registered one repetition at a time, alternating, so that load changes
        // fall on every variant alike; the report takes medians per name.
        for (int r = 0; r < repetitions; ++r) {
            for (const std::string kind : {"e2e", "backbone", "decode", "setup"}) {
                const std::string name = "extract/" + kind + "/" + std::to_string(size);
                auto* b = benchmark::RegisterBenchmark(name.c_str(),
                                                       [kind, size](benchmark::State& state) {
                                                           if (kind == "e2e") {
                                                               endToEnd(state, size);
                                                           } else if (kind == "backbone") {
                                                               backboneOnly(state, size);
                                                           } else if (kind == "setup") {
                                                               setup(state, size);
                                                           } else {
                                                               decodeOnly(state, size);
                                                           }
                                                       });
                b->Unit(benchmark::kMillisecond)
                    ->UseManualTime()
                    ->MeasureProcessCPUTime()
                    ->Iterations(1);
            }
        }
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    gBackbones.clear();
    gDecoded.clear();
    fs::remove_all(gSettings.scratch);
    return 0;
}
