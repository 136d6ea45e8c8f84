// The architecture registry: one row per architecture, and everything that
// needs to know about one (the CLI, the store's reports, the workbench's
// lists and charts, the precision rule, training, the default sweeps) reads
// it rather than comparing names. No LibTorch here: the rows are metadata; the
// modules are built by a factory table keyed by the same names, in the engine
// (nn/classifier.cpp). Adding an architecture means its module source, its row
// in engine/src/core/archs.cpp, its entry in the factory table, and its tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vidrnn {

struct ModelSpec;

// What a model reads per step.
enum class ArchInput {
    Vectors,  // [B,T,D] feature vectors (feature maps are averaged over space first)
    Maps,     // [B,T,C,H,W] feature maps
};

struct ArchInfo {
    std::string name;         // "deep_lstm": configs, stores, checkpoints, the CLI
    std::string displayName;  // "Deep LSTM (2 layers)"
    std::string shortName;    // a chart legend's, where room is short: "Deep LSTM"
    // The display name states the default layer count, so another count is
    // written after the short name ("Deep LSTM (3 layers)").
    bool layersInName = false;
    ArchInput input = ArchInput::Vectors;
    int defaultLayers = 1;  // used when ModelSpec::layers is 0
    int maxLayers = 8;
    // The longest clip, in steps, the module takes (0: any the config allows).
    int maxFrames = 0;
    // Parameters of the module training builds for `spec` with `layers`
    // layers (resolved, >= 1), in closed form; tst_models holds it equal to
    // the module's count.
    std::int64_t (*parameters)(const ModelSpec& spec, std::int64_t layers) = nullptr;
    // The precision rule of --precision auto: the smallest hidden size from
    // which it trains in bf16 where bf16 is native (1: every size); 0: never
    // (not measured). The measurements are beside the rows.
    int autoBf16FromHidden = 0;
    // Step t's logits read frames 0..t only, so its per-step answers are
    // early classification (a bidirectional model's are not).
    bool causal = true;
    // Reads the clip as a bag of frames: the order-blind control that sweeps
    // and charts set beside the others.
    bool orderBlind = false;
    // Position in the default sweep (the study's and the demo's grid), 1
    // first; 0: not in it.
    int sweepRank = 0;
    // In the demo's --study grid (sized for two shared cores).
    bool inDemoStudy = false;
    // Its training step on CUDA can be captured as a CUDA graph (a cuDNN
    // recurrent layer over fixed shapes; ml/graph_step.h).
    bool cudaGraphs = false;
};

// Every architecture, in the order lists, reports and chart colours use.
const std::vector<ArchInfo>& archRegistry();
// The row named `name`, or nullptr.
const ArchInfo* findArch(const std::string& name);
// The row named `name`; throws ConfigError naming it and the known ones.
const ArchInfo& archInfo(const std::string& name);

// The default sweep (the study's and the demo's grid, vidrnn sweep without
// --archs): the rows with a sweepRank, in its order.
std::vector<std::string> defaultSweepArchs();
// The demo's --study grid: the rows inDemoStudy, in registry order.
std::vector<std::string> demoStudyArchs();

}  // namespace vidrnn
