// ConvLSTM: the engine's fast path (ConvLSTMImpl::forward: the input-to-gates
// convolution for all frames in one batched call, only the hidden-to-gates
// convolution per step) against the straightforward per-step form
// (forward_reference: one convolution over cat(x, h) per step), forward plus
// backward, on the same module and input. Before timing, both forms are run on
// the same input and the largest absolute difference of their outputs and
// parameter gradients is printed and recorded; an output difference above
// --tolerance fails the run.
//
//   bench_convlstm [--hidden=64,256] [--threads=N] [--batch=32] [--steps=16]
//                  [--channels=512] [--map=7] [--repetitions=R] [--min-time=S]
//                  [--tolerance=1e-4] [--experiments] [--device=cpu|cuda]
//                  [--bf16] [--bf16-tolerance=0.05] [--benchmark_*]
//
// --bf16 adds fast_bf16: the engine's fast path with compute_type bf16 (what
// --precision bf16/auto trains ConvLSTMs with), compared with the fp32
// reference form against --bf16-tolerance.
//
// --experiments adds variants written here, to size possible engine changes
// (see fastExperiment): fast_unbind (what the engine's fast path now does, a
// check on this harness), fast_unbind_hoist, fast_unbind_hoist_cl.
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <torch/torch.h>

#include "common.h"
#include "device.h"
#include "nn/convlstm.h"

namespace {

using vidrnn::bench::Options;
namespace F = torch::nn::functional;

struct Shape {
    int64_t batch = 32;
    int64_t steps = 16;
    int64_t channels = 512;
    int64_t map = 7;
};

using Forward = std::function<torch::Tensor(vidrnn::nn::ConvLSTMImpl&, const torch::Tensor&)>;

// Experiments: the engine's fast path with changes that a profile suggests.
//  unbind: the per-step input gates from one x_gates.unbind(1) instead of
//          x_gates.select(1, t) per step. The backward of every select
//          allocates a zero-filled gradient of the whole [B,T,4h,H,W] tensor
//          and autograd sums the T of them: O(T^2) memory traffic; unbind's
//          backward stacks the T step gradients once.
//  hoist:  each cell's weight halves narrowed once per forward, not once per
//          step (the same effect on a [4h,C+h,k,k] weight gradient).
//  cl:     channels-last memory format (oneDNN's native layout).
struct Experiment {
    bool unbind = true;
    bool hoist = false;
    bool channelsLast = false;
};

torch::Tensor fastExperiment(vidrnn::nn::ConvLSTMImpl& m, const torch::Tensor& x,
                             const Experiment& e) {
    const auto format =
        e.channelsLast ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    const int64_t batch = x.size(0);
    const int64_t steps = x.size(1);
    torch::Tensor seq = x;
    for (const auto& module : *m.cells) {
        auto cell = module->as<vidrnn::nn::ConvLSTMCellImpl>();
        const int64_t cin = cell->options.input_channels();
        const int64_t hid = cell->options.hidden_channels();
        const int64_t pad = cell->options.kernel_size() / 2;
        const auto& weight = cell->conv->weight;
        auto w_x = weight.narrow(1, 0, cin).contiguous(format);
        torch::Tensor w_h_once;
        if (e.hoist) {
            w_h_once = weight.narrow(1, cin, hid).contiguous(format);
        }
        auto x_gates = F::conv2d(seq.flatten(0, 1).contiguous(format), w_x,
                                 F::Conv2dFuncOptions().bias(cell->conv->bias).padding(pad));
        x_gates = x_gates.view({batch, steps, 4 * hid, x.size(3), x.size(4)});
        std::vector<torch::Tensor> stepGates;
        if (e.unbind) {
            stepGates = x_gates.unbind(1);
        }
        torch::Tensor h, c;
        std::vector<torch::Tensor> outputs;
        for (int64_t t = 0; t < steps; ++t) {
            auto gates = e.unbind ? stepGates[static_cast<std::size_t>(t)] : x_gates.select(1, t);
            if (h.defined()) {
                auto w_h = e.hoist ? w_h_once : weight.narrow(1, cin, hid).contiguous(format);
                gates = gates + F::conv2d(h, w_h, F::Conv2dFuncOptions().padding(pad));
            }
            auto chunks = gates.chunk(4, 1);
            auto i = torch::sigmoid(chunks[0]);
            auto f = torch::sigmoid(chunks[1]);
            auto o = torch::sigmoid(chunks[2]);
            auto g = torch::tanh(chunks[3]);
            c = c.defined() ? f * c + i * g : i * g;
            h = (o * torch::tanh(c)).contiguous(format);
            outputs.push_back(h);
        }
        seq = torch::stack(outputs, 1);
    }
    return seq;
}

struct Case {
    std::string name;
    vidrnn::nn::ConvLSTM module{nullptr};
    torch::Tensor x, grad;
};

// Every case stays alive: repetitions of the variants are interleaved.
std::map<int64_t, std::unique_ptr<Case>> gCases;
torch::Device gDevice(torch::kCPU);

Case& caseFor(int64_t hidden, const Shape& s) {
    auto& slot = gCases[hidden];
    if (!slot) {
        slot = std::make_unique<Case>();
        slot->name = std::to_string(hidden);
        torch::manual_seed(7);
        slot->module = vidrnn::nn::ConvLSTM(s.channels, hidden, 1, 3);
        slot->module->to(gDevice);
        const auto on = torch::TensorOptions().device(gDevice);
        slot->x = torch::randn({s.batch, s.steps, s.channels, s.map, s.map}, on);
        slot->grad = torch::randn({s.batch, s.steps, hidden, s.map, s.map}, on);
    }
    return *slot;
}

void forwardBackward(Case& c, const Forward& f) {
    c.module->zero_grad();
    auto y = f(*c.module, c.x);
    y.backward(c.grad);
    vidrnn::bench::finish(gDevice);
}

struct Diff {
    double output = 0, gradient = 0, gradientScale = 0;
};

Diff compare(Case& c, const Forward& fast) {
    auto run = [&](const Forward& f) {
        c.module->zero_grad();
        auto y = f(*c.module, c.x);
        y.backward(c.grad);
        std::vector<torch::Tensor> grads;
        for (const auto& p : c.module->parameters()) {
            grads.push_back(p.grad().clone());
        }
        return std::make_pair(y.detach(), grads);
    };
    const auto [yf, gf] = run(fast);
    const auto [yr, gr] = run(
        [](vidrnn::nn::ConvLSTMImpl& m, const torch::Tensor& x) { return m.forward_reference(x); });
    Diff d;
    d.output = (yf - yr).abs().max().item<double>();
    for (std::size_t i = 0; i < gf.size(); ++i) {
        d.gradient = std::max(d.gradient, (gf[i] - gr[i]).abs().max().item<double>());
        d.gradientScale = std::max(d.gradientScale, gr[i].abs().max().item<double>());
    }
    return d;
}

std::string number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    Options opt(argc, argv);
    const auto hidden = opt.integers("hidden", "64,256");
    const int threads = opt.integer("threads", 0);
    Shape shape;
    shape.batch = opt.integer("batch", 32);
    shape.steps = opt.integer("steps", 16);
    shape.channels = opt.integer("channels", 512);
    shape.map = opt.integer("map", 7);
    const int repetitions = opt.integer("repetitions", 5);
    const double minTime = opt.real("min-time", 0.5);
    const double tolerance = opt.real("tolerance", 1e-4);
    const bool experiments = opt.integer("experiments", 0) != 0;
    const bool bf16 = opt.integer("bf16", 0) != 0;
    const double bf16Tolerance = opt.real("bf16-tolerance", 0.05);
    gDevice = vidrnn::bench::benchDevice(opt.str("device", "cpu"));
    opt.checkAllUsed();

    vidrnn::bench::configureAndRecord(threads);
    benchmark::AddCustomContext(
        "shape", "batch=" + std::to_string(shape.batch) + " T=" + std::to_string(shape.steps) +
                     " C=" + std::to_string(shape.channels) + " map=" + std::to_string(shape.map) +
                     "x" + std::to_string(shape.map));
    benchmark::AddCustomContext("device", gDevice.str());

    std::vector<std::pair<std::string, Forward>> variants = {
        {"fast", [](vidrnn::nn::ConvLSTMImpl& m, const torch::Tensor& x) { return m.forward(x); }},
        {"reference", [](vidrnn::nn::ConvLSTMImpl& m,
                         const torch::Tensor& x) { return m.forward_reference(x); }},
    };
    if (bf16) {
        variants.push_back({"fast_bf16", [](vidrnn::nn::ConvLSTMImpl& m, const torch::Tensor& x) {
                                m.compute_type = torch::kBFloat16;
                                auto y = m.forward(x);
                                m.compute_type = torch::kFloat;
                                return y;
                            }});
    }
    if (experiments) {
        const std::vector<std::pair<std::string, Experiment>> exps = {
            {"fast_unbind", {true, false, false}},
            {"fast_unbind_hoist", {true, true, false}},
            {"fast_unbind_hoist_cl", {true, true, true}},
        };
        for (const auto& [label, e] : exps) {
            variants.push_back(
                {label, [e = e](vidrnn::nn::ConvLSTMImpl& m, const torch::Tensor& x) {
                     return fastExperiment(m, x, e);
                 }});
        }
    }

    bool ok = true;
    for (const int h : hidden) {
        auto& c = caseFor(h, shape);
        for (const auto& [variant, f] : variants) {
            if (variant == "reference") {
                continue;
            }
            const auto d = compare(c, f);
            const double allowed = variant == "fast_bf16" ? bf16Tolerance : tolerance;
            const bool pass = d.output <= allowed;
            ok = ok && pass;
            std::printf(
                "convlstm hidden %d: %s vs reference: max abs difference output %.3g (%s, "
                "tolerance %.1g), parameter gradients %.3g (largest gradient %.3g)\n",
                h, variant.c_str(), d.output, pass ? "ok" : "FAILED", allowed, d.gradient,
                d.gradientScale);
            const std::string prefix = "diff/" + variant + "/" + std::to_string(h);
            benchmark::AddCustomContext(prefix + "/output", number(d.output));
            benchmark::AddCustomContext(prefix + "/gradient", number(d.gradient));
            benchmark::AddCustomContext(prefix + "/gradient_scale", number(d.gradientScale));
        }
        // Repetitions registered one by one, variants alternating, so that a
        // change in machine load falls on both forms alike; the report takes
        // the median over the entries of one name.
        for (int r = 0; r < repetitions; ++r) {
            for (const auto& [variant, f] : variants) {
                const std::string name = "convlstm/" + variant + "/" + std::to_string(h);
                auto* b = benchmark::RegisterBenchmark(
                    name.c_str(), [h, shape, name, f = f](benchmark::State& state) {
                        static std::set<std::string> warm;
                        auto& cc = caseFor(h, shape);
                        if (warm.insert(name).second) {
                            forwardBackward(cc, f);
                        }
                        for (auto _ : state) {
                            forwardBackward(cc, f);
                        }
                    });
                b->Unit(benchmark::kMillisecond)
                    ->UseRealTime()
                    ->MeasureProcessCPUTime()
                    ->MinTime(minTime);
            }
        }
    }
    benchmark::AddCustomContext("diff_tolerance", number(tolerance));
    benchmark::AddCustomContext("diff_ok", ok ? "true" : "false");
    std::fflush(stdout);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    gCases.clear();
    return ok ? 0 : 1;
}
