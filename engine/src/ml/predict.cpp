#include <torch/torch.h>

#include "data/decode.h"
#include "ml/backbone.h"
#include "ml/checkpoint.h"
#include "vidrnn/errors.h"
#include "vidrnn/models.h"
#include "vidrnn/precision.h"
#include "vidrnn/runtime.h"
#include "vidrnn/trainer.h"

namespace vidrnn {

namespace {

// The backbone a checkpoint names: a built-in one by name, a TorchScript file
// only when the user named that file: its path comes from the checkpoint (or
// the store row), which someone else may have written, and loading a
// TorchScript file runs its code.
std::string backboneSpec(const BackboneDescription& recorded, const std::string& named,
                         const std::string& checkpointPath) {
    if (recorded.source == "built-in") {
        return recorded.name;
    }
    if (named.empty()) {
        throw ModelError(recorded.source,
                         "the backbone of checkpoint " + checkpointPath +
                             " is this TorchScript file; a .pt file is a program, so vidrnn "
                             "loads it only when you name it (predict --backbone FILE)");
    }
    return named;
}

}  // namespace

VideoPrediction predictVideo(const std::string& checkpointPath, const std::string& video,
                             const std::string& deviceSpec, const TrainConfig* expected) {
    PredictOptions options;
    options.device = deviceSpec;
    options.expected = expected;
    return predictVideo(checkpointPath, video, options);
}

VideoPrediction predictVideo(const std::string& checkpointPath, const std::string& video,
                             const PredictOptions& options) {
    auto ckpt = loadCheckpoint(checkpointPath, options.expected, options.checkpointSha256);
    const auto& meta = ckpt.meta;
    const torch::Device device(resolveDevice(options.device));
    const std::string spec = backboneSpec(meta.backbone, options.backboneFile, checkpointPath);
    Backbone backbone(spec, meta.backbone.imageSize, device, meta.backbone.spatial);
    if (backbone.description().identity != meta.backbone.identity) {
        throw ModelError(spec, "backbone weights differ from the ones run " + checkpointPath +
                                   " was trained on (" + meta.backbone.identity + ")");
    }
    auto decoded = data::decodeClip(video, meta.config.frames, meta.backbone.imageSize);
    if (decoded.frames.empty()) {
        throw VideoError(video, "no decodable frame");
    }
    std::vector<torch::Tensor> frames;
    for (auto& m : decoded.frames) {
        frames.push_back(torch::from_blob(m.data, {m.rows, m.cols, 3}, torch::kUInt8));
    }
    torch::NoGradGuard guard;
    auto maps = backbone.forward(torch::stack(frames)).to(torch::kCPU, torch::kFloat);
    const bool spatial = isSpatialArch(meta.config.arch);
    auto x = spatial ? maps.unsqueeze(0) : maps.mean({2, 3}).unsqueeze(0);
    if (spatial) {
        x = (x - ckpt.featureMean.view({1, 1, -1, 1, 1})) / ckpt.featureStd.view({1, 1, -1, 1, 1});
    } else {
        x = (x - ckpt.featureMean.view({1, 1, -1})) / ckpt.featureStd.view({1, 1, -1});
    }
    ckpt.model->to(device);
    // The precision the run trained in where this machine computes it
    // natively; fp32 elsewhere (the weights are fp32 either way). Checkpoints
    // record it; older ones say "auto", which then meant bf16 for the
    // ConvLSTM only.
    std::string trained = meta.config.precision;
    if (trained == "auto") {
        trained = meta.config.arch == "convlstm" ? "bf16" : "fp32";
    }
    std::string precision = "fp32";
    try {
        precision = resolvePrecision(trained, meta.config.arch, meta.config.hidden, device.str());
    } catch (const ConfigError&) {
    }
    ckpt.model->compute_type = nn::computeTypeOf(precision);
    auto out = ckpt.model->forward(x.to(device));
    auto clipProbs = torch::softmax(out.clip_logits[0], 0).to(torch::kCPU).contiguous();
    auto stepProbs = torch::softmax(out.step_logits[0], 1).to(torch::kCPU).contiguous();

    VideoPrediction r;
    r.video = video;
    r.classes = meta.classes;
    r.backbone = backbone.description();
    r.totalFrames = decoded.totalFrames;
    r.predicted = static_cast<int>(clipProbs.argmax().item<int64_t>());
    r.probability = clipProbs[r.predicted].item<float>();
    r.probabilities.assign(clipProbs.data_ptr<float>(),
                           clipProbs.data_ptr<float>() + clipProbs.numel());
    for (int64_t t = 0; t < stepProbs.size(0); ++t) {
        FramePrediction f;
        f.frameIndex = static_cast<int>(decoded.indices[static_cast<std::size_t>(t)]);
        auto row = stepProbs[t];
        f.predicted = static_cast<int>(row.argmax().item<int64_t>());
        f.probability = row[f.predicted].item<float>();
        f.probabilities.assign(row.data_ptr<float>(), row.data_ptr<float>() + row.numel());
        r.frames.push_back(std::move(f));
    }
    return r;
}

}  // namespace vidrnn
