// Training and evaluation of one run over cached per-frame features. No Qt: the
// GUI wraps this in a worker; the CLI calls it directly.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "vidrnn/config.h"
#include "vidrnn/dataset.h"
#include "vidrnn/earlycurve.h"
#include "vidrnn/features.h"
#include "vidrnn/metrics.h"
#include "vidrnn/outcome.h"
#include "vidrnn/splits.h"
#include "vidrnn/store.h"

namespace vidrnn {

struct BatchProgress {
    int epoch = 0;  // 1-based
    int batch = 0;  // 1-based within the epoch
    int batches = 0;
    double loss = 0;
    double smoothedLoss = 0;  // exponential moving average over batches
    double etaSeconds = 0;    // for the whole run at the current pace
};

struct TrainCallbacks {
    std::function<void(const BatchProgress&)> onBatch;
    std::function<void(const EpochRecord&)> onEpoch;
};

// What the trainer reads: a data set, its split and the feature cache folder
// produced by extractFeatures for this backbone, size and T.
struct TrainInputs {
    const Dataset* dataset = nullptr;
    Split split;
    ExtractSummary features;
};

// Number of trainable parameters for the config on these features.
std::int64_t modelParameters(const TrainConfig& config, const BackboneDescription& backbone,
                             int numClasses);

// Trains with Adam and cross-entropy, early-stops on validation loss (best
// epoch restored), evaluates on the test split and saves the checkpoint (best
// weights, optimiser state, config, classes, backbone identity) to
// checkpointPath when it is not empty. The stop flag is checked between
// batches. Throws TrainingError on a non-finite loss, ConfigError on bad
// settings.
TrainOutcome train(const TrainConfig& config, const TrainInputs& inputs,
                   const TrainCallbacks& callbacks, const std::atomic<bool>& stop,
                   const std::string& checkpointPath);

struct FramePrediction {
    int frameIndex = 0;  // index in the video
    int predicted = 0;
    float probability = 0;
    std::vector<float> probabilities;
};

struct VideoPrediction {
    std::string video;
    std::vector<std::string> classes;
    int predicted = 0;
    float probability = 0;
    std::vector<float> probabilities;
    std::vector<FramePrediction> frames;  // one per sampled frame
    std::int64_t totalFrames = 0;
    BackboneDescription backbone;
};

// What predictVideo trusts beyond the checkpoint's path (see SECURITY.md: a
// checkpoint and a TorchScript backbone are programs).
struct PredictOptions {
    std::string device = "cpu";
    // The run's settings: a checkpoint of another architecture or size is refused.
    const TrainConfig* expected = nullptr;
    // The sha256 the store recorded for the run's checkpoint (runCheckpoint):
    // other bytes are refused before any is parsed. "" only for a file the
    // user named.
    std::string checkpointSha256;
    // A TorchScript backbone file the user named (--backbone; the workbench
    // asks first). A checkpoint whose backbone is a file is refused without
    // it: the path inside a checkpoint is never loaded on its own say-so.
    std::string backboneFile;
};

// Classifies a video file with a saved checkpoint: the clip's class and, for
// every sampled frame, the prediction having seen the frames up to it.
// Throws ModelError for a missing, replaced or mismatched checkpoint or a
// backbone file not named, VideoError for the video.
VideoPrediction predictVideo(const std::string& checkpointPath, const std::string& video,
                             const PredictOptions& options);
// The same with a checkpoint file the caller names itself and a built-in backbone.
VideoPrediction predictVideo(const std::string& checkpointPath, const std::string& video,
                             const std::string& device = "cpu",
                             const TrainConfig* expected = nullptr);

}  // namespace vidrnn
