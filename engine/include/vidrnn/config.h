// Everything that defines one training run. Stored verbatim (as JSON) with every
// run so that any number in the store can be traced back to its settings.
#pragma once

#include <string>
#include <vector>

namespace vidrnn {

struct TrainConfig {
    // Data
    std::string dataset;  // data set root (folder or manifest file)
    int frames = 16;      // T: frames sampled uniformly per clip
    int imageSize = 224;  // backbone input side (square)
    // "mobilenet_v2" (bundled, ImageNet-pretrained; vectors or, for convlstm,
    // maps), "resnet18" (built-in, random weights) or a TorchScript file
    std::string backbone = "mobilenet_v2";
    std::string cacheDir;  // feature cache folder; empty = default
    // What the model reads per step: "appearance" (the backbone's features)
    // or "motion" (those followed by their change since the step before,
    // x_t - x_{t-1}, computed in the model from the cached features; the
    // order diagnostics' reversed and shuffled passes see the differences
    // of the reordered frames).
    std::string input = "appearance";

    // Split: "logo" | "groups" | "random"
    std::string split = "logo";
    int fold = 0;
    int seed = 0;

    // Model: a name of the architecture registry (vidrnn/archs.h)
    std::string arch = "lstm";
    int hidden = 128;
    int layers = 0;  // 0 = the architecture's default (its registry row)
    double dropout = 0.0;

    // Optimisation
    int epochs = 30;
    int batch = 32;
    double lr = 1e-3;
    double weightDecay = 0.0;
    double gradClip = 5.0;  // max gradient norm; 0 = off
    int patience = 8;       // early-stopping patience in epochs; 0 = off

    // Runtime
    std::string device = "auto";  // auto | cpu | cuda | cuda:N
    int threads = 0;              // intra-op threads; 0 = all cores
    // fp32 | bf16 | auto: see vidrnn/precision.h. The store's precision column
    // holds what the run really computed in (auto resolved).
    std::string precision = "auto";
};

// Throws ConfigError naming the first bad field and why.
void validate(const TrainConfig& config);

// Layers actually used for config.layers == 0.
int effectiveLayers(const TrainConfig& config);

std::string toJson(const TrainConfig& config);
// Unknown keys are ignored, missing keys keep their defaults; throws ConfigError
// on malformed JSON or wrongly typed fields.
TrainConfig trainConfigFromJson(const std::string& json);

}  // namespace vidrnn
