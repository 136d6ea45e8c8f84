// The architecture registry's rows (vidrnn/archs.h): one per architecture.
#include "vidrnn/archs.h"

#include <algorithm>

#include "vidrnn/errors.h"
#include "vidrnn/models.h"

namespace vidrnn {

namespace {

// torch::nn::LSTM / GRU and a Linear head: per layer and direction, input and
// hidden weights for every gate and two bias vectors.
std::int64_t recurrentParameters(const ModelSpec& spec, std::int64_t layers, std::int64_t gates,
                                 std::int64_t directions) {
    const std::int64_t d = spec.inputDim, h = spec.hidden, c = spec.classes;
    std::int64_t n = 0;
    for (std::int64_t l = 0; l < layers; ++l) {
        const std::int64_t in = l == 0 ? d : h * directions;
        n += directions * (gates * h * (in + h) + 2 * gates * h);
    }
    return n + h * directions * c + c;
}

std::int64_t lstmParameters(const ModelSpec& spec, std::int64_t layers) {
    return recurrentParameters(spec, layers, 4, 1);
}

std::int64_t gruParameters(const ModelSpec& spec, std::int64_t layers) {
    return recurrentParameters(spec, layers, 3, 1);
}

std::int64_t bilstmParameters(const ModelSpec& spec, std::int64_t layers) {
    return recurrentParameters(spec, layers, 4, 2);
}

// One Conv2d for all four gates per layer, then the head.
std::int64_t convlstmParameters(const ModelSpec& spec, std::int64_t layers) {
    constexpr std::int64_t kernel = 3;  // ClassifierOptions' default
    const std::int64_t d = spec.inputDim, h = spec.hidden, c = spec.classes;
    std::int64_t n = 0;
    for (std::int64_t l = 0; l < layers; ++l) {
        const std::int64_t in = l == 0 ? d : h;
        n += (in + h) * 4 * h * kernel * kernel + 4 * h;
    }
    return n + h * c + c;
}

// Embed D->h, head h->C.
std::int64_t meanPoolParameters(const ModelSpec& spec, std::int64_t) {
    const std::int64_t d = spec.inputDim, h = spec.hidden, c = spec.classes;
    return d * h + h + h * c + c;
}

// nn/transformer.h: input Linear D->h, a learned position per step (up to
// kTransformerFrames), per layer two LayerNorms, the attention's projections
// (queries, keys and values in one h->3h, output h->h) and the feed-forward
// h->2h->h; a final LayerNorm, then the head.
constexpr int kTransformerFrames = 64;

std::int64_t transformerParameters(const ModelSpec& spec, std::int64_t layers) {
    const std::int64_t d = spec.inputDim, h = spec.hidden, c = spec.classes, f = 2 * h;
    const std::int64_t layer =
        2 * h + (3 * h * h + 3 * h) + (h * h + h) + 2 * h + (h * f + f) + (f * h + h);
    return d * h + h + kTransformerFrames * h + layers * layer + 2 * h + h * c + c;
}

// The rule for --precision auto is one precision per architecture, at every
// hidden size, so a sweep's series never split into an fp32 and a bf16 part
// (GRU at 64 in fp32, from 128 in bf16 did, in every chart of the demo): bf16
// wherever the engine's training step was never measured slower in bf16 and
// the accuracy holds. Measured 2026-11-30 on this project's CPU (AVX512_BF16,
// 2 threads, bench_train --precisions=fp32,bf16, B=32, T=16, D=512 or
// 512x7x7; tools/bench.sh section bf16, docs/BENCHMARKS.md "bf16"),
// fp32/bf16 at hidden 64, 128, 256, 512:
//   convlstm   1.59x, 1.80x, 1.67x, 1.58x     mean_pool 1.38x, 1.80x, 2.11x, 2.39x
//   lstm       1.36x, 1.43x, 2.73x, 3.16x     bilstm    1.20x, 1.79x, 2.30x, 3.70x
//   gru        1.09x, 1.59x, 2.17x, 2.93x     deep_lstm 1.04x, 1.59x, 2.19x, 3.47x
// (LibTorch's bf16 LSTM/GRU run on oneDNN's fused recurrent kernels). The GRU
// and the deep LSTM at 64 gain little (1.09x, 1.04x) but lose nothing, and
// from 128 on they gain 1.6-3.5x: bf16 throughout for them too. The accuracy:
// the demo, 3 seeds of each at hidden 128 and ConvLSTM at 64-256, 8 at
// ConvLSTM 512: bf16 within one standard deviation of fp32 everywhere
// (BENCHMARKS, "Accuracy holds?").
std::vector<ArchInfo> rows() {
    std::vector<ArchInfo> r;
    {
        ArchInfo a;
        a.name = "lstm";
        a.displayName = a.shortName = "LSTM";
        a.parameters = lstmParameters;
        a.autoBf16FromHidden = 1;
        a.sweepRank = 1;
        a.cudaGraphs = true;
        a.inDemoStudy = true;
        r.push_back(a);
    }
    {
        ArchInfo a;
        a.name = "gru";
        a.displayName = a.shortName = "GRU";
        a.parameters = gruParameters;
        a.autoBf16FromHidden = 1;
        a.sweepRank = 2;
        a.cudaGraphs = true;
        a.inDemoStudy = true;
        r.push_back(a);
    }
    {
        ArchInfo a;
        a.name = "deep_lstm";
        a.displayName = "Deep LSTM (2 layers)";
        a.shortName = "Deep LSTM";
        a.layersInName = true;
        a.defaultLayers = 2;
        a.parameters = lstmParameters;
        a.autoBf16FromHidden = 1;
        a.sweepRank = 3;
        a.cudaGraphs = true;
        a.inDemoStudy = true;
        r.push_back(a);
    }
    {
        ArchInfo a;
        a.name = "bilstm";
        a.displayName = "Bidirectional LSTM";
        a.shortName = "BiLSTM";
        a.parameters = bilstmParameters;
        a.autoBf16FromHidden = 1;
        // Its per-step answers have also read the frames after the step.
        a.causal = false;
        a.sweepRank = 5;
        a.cudaGraphs = true;
        r.push_back(a);
    }
    {
        ArchInfo a;
        a.name = "convlstm";
        a.displayName = a.shortName = "ConvLSTM";
        a.input = ArchInput::Maps;
        a.parameters = convlstmParameters;
        a.autoBf16FromHidden = 1;
        a.sweepRank = 4;
        r.push_back(a);
    }
    {
        ArchInfo a;
        a.name = "mean_pool";
        a.displayName = "Mean pool (no recurrence)";
        a.shortName = "Mean pool";
        a.maxLayers = 1;
        a.parameters = meanPoolParameters;
        a.autoBf16FromHidden = 1;
        a.orderBlind = true;
        a.sweepRank = 6;
        a.inDemoStudy = true;
        r.push_back(a);
    }
    {
        ArchInfo a;
        a.name = "transformer";
        a.displayName = "Causal Transformer";
        a.shortName = "Transformer";
        a.maxFrames = kTransformerFrames;
        a.parameters = transformerParameters;
        // bf16 at every size: bench_train --archs=transformer
        // --precisions=fp32,bf16 --threads=1 (2026-12-07, on a machine loaded
        // to load average 16-18 by other jobs, so one thread and CPU time;
        // LSTM beside it 1.37x, 1.75x, 2.01x, 2.33x, as documented quietly),
        // fp32/bf16 at hidden 64, 128, 256, 512: 1.47x, 1.67x, 2.15x, 2.41x.
        // Accuracy: bf16 logits within 0.03 of fp32 (tst_models); not yet
        // measured on the demo's runs.
        a.autoBf16FromHidden = 1;
        a.causal = true;  // its attention mask: step t reads frames 0..t
        a.sweepRank = 7;
        r.push_back(a);
    }
    return r;
}

}  // namespace

const std::vector<ArchInfo>& archRegistry() {
    static const std::vector<ArchInfo> registry = rows();
    return registry;
}

const ArchInfo* findArch(const std::string& name) {
    for (const auto& a : archRegistry()) {
        if (a.name == name) {
            return &a;
        }
    }
    return nullptr;
}

const ArchInfo& archInfo(const std::string& name) {
    if (const auto* a = findArch(name)) {
        return *a;
    }
    throw ConfigError("unknown architecture '" + name +
                      "' (known: " + joinArchNames(architectures(), ", ") + ")");
}

std::vector<std::string> defaultSweepArchs() {
    std::vector<const ArchInfo*> swept;
    for (const auto& a : archRegistry()) {
        if (a.sweepRank > 0) {
            swept.push_back(&a);
        }
    }
    std::stable_sort(swept.begin(), swept.end(), [](const ArchInfo* a, const ArchInfo* b) {
        return a->sweepRank < b->sweepRank;
    });
    std::vector<std::string> names;
    for (const auto* a : swept) {
        names.push_back(a->name);
    }
    return names;
}

std::vector<std::string> demoStudyArchs() {
    std::vector<std::string> names;
    for (const auto& a : archRegistry()) {
        if (a.inDemoStudy) {
            names.push_back(a.name);
        }
    }
    return names;
}

}  // namespace vidrnn
