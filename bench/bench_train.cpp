// One training step (forward, cross-entropy on the clip logits, backward, Adam
// step) of every architecture, the way the trainer does it, on random features
// of the study's shapes: batch 32, T = 16, D = 512 (ConvLSTM: 512x7x7 maps).
// bench/train_step.py times the same step in PyTorch.
//
//   bench_train [--archs=lstm,gru,...] [--hidden=64,128,256,512] [--threads=N]
//               [--batch=32] [--steps=16] [--map=7] [--repetitions=R]
//               [--min-time=S] [--heavy-repetitions=R] [--device=cpu|cuda]
//               [--precisions=fp32,bf16] [--benchmark_*]
//
// --precisions: the step in each (fp32: train_step/ARCH/H; bf16:
// train_step_bf16/ARCH/H, the model's compute_type as the trainer sets it for
// --precision bf16), the precisions of one case one after the other.
//
// A "heavy" case (ConvLSTM with hidden >= 256, seconds per step) runs one
// iteration per repetition and --heavy-repetitions repetitions.
#include <memory>
#include <string>

#include <torch/torch.h>

#include "common.h"
#include "device.h"
#include "nn/classifier.h"
#include "vidrnn/models.h"

namespace {

using vidrnn::bench::Options;

struct Shape {
    int64_t batch = 32;
    int64_t steps = 16;
    int64_t dim = 512;
    int64_t map = 7;
};

// Model, optimiser and data of one case, kept across repetitions so that the
// warm-up runs once per case.
struct TrainCase {
    std::string name;
    torch::Device device{torch::kCPU};
    vidrnn::nn::ClipClassifier model;
    std::unique_ptr<torch::optim::Adam> optimizer;
    torch::Tensor x, lengths, labels;

    void step() {
        optimizer->zero_grad();
        auto logits = model->forward(x, lengths).clip_logits;
        auto loss = torch::nn::functional::cross_entropy(logits, labels);
        loss.backward();
        optimizer->step();
        vidrnn::bench::finish(device);
    }
};

std::unique_ptr<TrainCase> gCase;

TrainCase& caseFor(const std::string& name, const std::string& arch, int64_t hidden, const Shape& s,
                   int warmup, const torch::Device& device, torch::ScalarType computeType) {
    if (gCase && gCase->name == name) {
        return *gCase;
    }
    gCase.reset();  // free the previous case's memory first
    auto c = std::make_unique<TrainCase>();
    c->name = name;
    c->device = device;
    torch::manual_seed(1);
    c->model = vidrnn::nn::makeClassifier(vidrnn::nn::ClassifierOptions(arch, s.dim, hidden, 11));
    c->model->to(device);
    c->model->compute_type = computeType;
    c->model->train();
    c->optimizer = std::make_unique<torch::optim::Adam>(c->model->parameters(),
                                                        torch::optim::AdamOptions(1e-3));
    const auto on = torch::TensorOptions().device(device);
    c->x = c->model->spatial() ? torch::randn({s.batch, s.steps, s.dim, s.map, s.map}, on)
                               : torch::randn({s.batch, s.steps, s.dim}, on);
    // The trainer always passes lengths, on the host; full clips take the
    // unpacked path.
    c->lengths = torch::full({s.batch}, s.steps, torch::kLong);
    c->labels = torch::randint(0, 11, {s.batch}, on.dtype(torch::kLong));
    for (int i = 0; i < warmup; ++i) {
        c->step();
    }
    gCase = std::move(c);
    return *gCase;
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    Options opt(argc, argv);
    const auto archs = opt.list("archs", vidrnn::joinArchNames(vidrnn::architectures(), ","));
    const auto hidden = opt.integers("hidden", "64,128,256,512");
    const int threads = opt.integer("threads", 0);
    Shape shape;
    shape.batch = opt.integer("batch", 32);
    shape.steps = opt.integer("steps", 16);
    shape.dim = opt.integer("dim", 512);
    shape.map = opt.integer("map", 7);
    const int repetitions = opt.integer("repetitions", 5);
    const int heavyRepetitions = opt.integer("heavy-repetitions", 2);
    const double minTime = opt.real("min-time", 0.5);
    const int warmup = opt.integer("warmup", 2);
    const auto device = vidrnn::bench::benchDevice(opt.str("device", "cpu"));
    const auto precisions = opt.list("precisions", "fp32");
    for (const auto& p : precisions) {
        if (p != "fp32" && p != "bf16") {
            Options::fail("--precisions: '" + p + "' is neither fp32 nor bf16");
        }
    }
    opt.checkAllUsed();

    vidrnn::bench::configureAndRecord(threads);
    benchmark::AddCustomContext(
        "shape", "batch=" + std::to_string(shape.batch) + " T=" + std::to_string(shape.steps) +
                     " D=" + std::to_string(shape.dim) + " map=" + std::to_string(shape.map));
    benchmark::AddCustomContext("device", device.str());

    for (const auto& arch : archs) {
        for (const int h : hidden) {
            for (const auto& precision : precisions) {
                const std::string name =
                    (precision == "bf16" ? "train_step_bf16/" : "train_step/") + arch + "/" +
                    std::to_string(h);
                const auto type = vidrnn::nn::computeTypeOf(precision);
                const bool heavy = vidrnn::isSpatialArch(arch) && h >= 256 && !device.is_cuda();
                auto* b = benchmark::RegisterBenchmark(
                    name.c_str(),
                    [name, arch, h, shape, warmup, heavy, device, type](benchmark::State& state) {
                        auto& c = caseFor(name, arch, h, shape, heavy ? 1 : warmup, device, type);
                        for (auto _ : state) {
                            c.step();
                        }
                        state.counters["params"] =
                            static_cast<double>(vidrnn::nn::countParameters(*c.model));
                    });
                // CPU time of all the process's threads (LibTorch's and the BLAS's),
                // comparable with time.process_time() on the Python side.
                b->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
                b->DisplayAggregatesOnly(true);
                if (heavy) {
                    b->Iterations(1)->Repetitions(heavyRepetitions);
                } else {
                    b->MinTime(minTime)->Repetitions(repetitions);
                }
            }
        }
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    gCase.reset();
    return 0;
}
