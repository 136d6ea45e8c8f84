// Checkpoints: best weights, optimiser state, feature normalisation, and the
// metadata needed to rebuild and check the model (config, classes, backbone
// identity, every parameter's shape). torch::load alone rejects missing keys
// but accepts wrong shapes, so shapes are compared before anything is copied.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "nn/classifier.h"
#include "vidrnn/config.h"
#include "vidrnn/features.h"

namespace vidrnn {

struct CheckpointMeta {
    TrainConfig config;
    std::vector<std::string> classes;
    BackboneDescription backbone;
    std::int64_t inputDim = 0;
    int bestEpoch = 0;
};

nn::ClipClassifier buildModel(const TrainConfig& config, std::int64_t inputDim, int numClasses);

// Writes through an exclusively created temporary file renamed into place;
// returns the sha256 of the bytes written (what the store records, so that
// loadCheckpoint can tell the run's own file from a replaced one).
std::string saveCheckpoint(const std::string& path, const nn::ClipClassifier& model,
                           torch::optim::Optimizer* optimizer, const torch::Tensor& featureMean,
                           const torch::Tensor& featureStd, const CheckpointMeta& meta);

struct LoadedCheckpoint {
    CheckpointMeta meta;
    nn::ClipClassifier model;
    torch::Tensor featureMean, featureStd;
};

// Throws ModelError naming the file: missing, not a checkpoint, other bytes
// than `sha256` (when given: nothing of the file is parsed then), or built
// for another architecture/size than `expected` (when given) or than its own
// parameter shapes say.
LoadedCheckpoint loadCheckpoint(const std::string& path, const TrainConfig* expected = nullptr,
                                const std::string& sha256 = {});

// A backbone's description as the checkpoint stores it (JSON text), and back;
// the second throws ModelError for text that is not such a description.
std::string backboneToJson(const BackboneDescription& backbone);
BackboneDescription backboneFromJsonText(const std::string& text);

}  // namespace vidrnn
