#include "vidrnn/trainer.h"

#include <chrono>
#include <cmath>
#include <filesystem>

#include "ml/checkpoint.h"
#include "ml/featurecache.h"
#include "ml/graph_step.h"
#include "util/rng.h"
#include "util/util.h"
#include "vidrnn/archs.h"
#include "vidrnn/errors.h"
#include "vidrnn/models.h"
#include "vidrnn/orderdiag.h"
#include "vidrnn/precision.h"
#include "vidrnn/runtime.h"

namespace vidrnn {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// Preload a split's features when they fit in this much memory; stream them
// from the cache a batch at a time otherwise.
constexpr double kPreloadBytes = 768.0 * 1024 * 1024;

// The clips of one split, as feature tensors on demand.
class SplitFeatures {
public:
    SplitFeatures(const Dataset& ds, const std::vector<int>& indices, const FeatureReader& reader,
                  bool spatialModel, bool spatialFeatures, std::int64_t bytesPerClip)
        : mReader(reader), mSpatialModel(spatialModel), mSpatialFeatures(spatialFeatures) {
        for (int i : indices) {
            mClips.push_back(&ds.clips[static_cast<std::size_t>(i)]);
        }
        if (!mClips.empty() && double(bytesPerClip) * double(mClips.size()) <= kPreloadBytes) {
            mAll = readClips(mClips);
        }
    }

    std::size_t size() const { return mClips.size(); }
    const Clip& clip(std::size_t i) const { return *mClips[i]; }

    FeatureBatch batch(const std::vector<int>& positions) const {
        if (mAll.x.defined()) {
            auto idx = torch::tensor(positions, torch::kLong);
            return {mAll.x.index_select(0, idx), mAll.lengths.index_select(0, idx),
                    mAll.labels.index_select(0, idx)};
        }
        std::vector<const Clip*> clips;
        for (int p : positions) {
            clips.push_back(mClips[static_cast<std::size_t>(p)]);
        }
        return readClips(clips);
    }

private:
    FeatureBatch readClips(const std::vector<const Clip*>& clips) const {
        auto b = mReader.load(clips);
        if (mSpatialModel && !mSpatialFeatures) {
            // A vector backbone under ConvLSTM: 1x1 maps.
            b.x = b.x.unsqueeze(3).unsqueeze(4);
        }
        return b;
    }

    const FeatureReader& mReader;
    bool mSpatialModel, mSpatialFeatures;
    std::vector<const Clip*> mClips;
    FeatureBatch mAll;
};

// Per-channel statistics over the valid frames of the training clips.
std::pair<torch::Tensor, torch::Tensor> featureStats(const SplitFeatures& train, int batch) {
    torch::Tensor sum, sumSq;
    double count = 0;
    for (std::size_t start = 0; start < train.size(); start += static_cast<std::size_t>(batch)) {
        std::vector<int> pos;
        for (std::size_t i = start; i < std::min(train.size(), start + batch); ++i) {
            pos.push_back(static_cast<int>(i));
        }
        auto b = train.batch(pos);
        auto mask = torch::arange(b.x.size(1)).unsqueeze(0) < b.lengths.unsqueeze(1);  // [B,T]
        auto frames = b.x.index({mask});  // [N, C(,H,W)]
        auto perChannel = frames.dim() == 4 ? frames.transpose(0, 1).flatten(1) : frames.t();
        auto s = perChannel.to(torch::kDouble).sum(1);
        auto sq = perChannel.to(torch::kDouble).pow(2).sum(1);
        sum = sum.defined() ? sum + s : s;
        sumSq = sumSq.defined() ? sumSq + sq : sq;
        count += double(perChannel.size(1));
    }
    auto mean = sum / count;
    auto var = (sumSq / count - mean * mean).clamp_min(0);
    auto std = var.sqrt().clamp_min(1e-3);
    return {mean.to(torch::kFloat), std.to(torch::kFloat)};
}

torch::Tensor normalise(const torch::Tensor& x, const torch::Tensor& mean,
                        const torch::Tensor& std) {
    if (x.dim() == 5) {
        return (x - mean.view({1, 1, -1, 1, 1})) / std.view({1, 1, -1, 1, 1});
    }
    return (x - mean.view({1, 1, -1})) / std.view({1, 1, -1});
}

// The frame order a test pass sees (order diagnostics, vidrnn/orderdiag.h).
enum class FrameOrder { InOrder, Reversed, Shuffled };

// The clips of a batch with their valid frames reversed or shuffled; the
// padding after a clip's length stays where the model ignores it.
torch::Tensor reorderFrames(const torch::Tensor& x, const torch::Tensor& lengths, FrameOrder order,
                            std::int64_t seed, const std::vector<std::string>& clips) {
    if (order == FrameOrder::InOrder) {
        return x;
    }
    const auto steps = x.size(1);
    std::vector<torch::Tensor> reordered;
    for (std::int64_t k = 0; k < x.size(0); ++k) {
        const int length = static_cast<int>(lengths[k].item<int64_t>());
        std::vector<int> frames =
            order == FrameOrder::Reversed
                ? std::vector<int>()
                : shuffledFrameOrder(length, seed, clips[static_cast<std::size_t>(k)]);
        if (order == FrameOrder::Reversed) {
            for (int t = length - 1; t >= 0; --t) {
                frames.push_back(t);
            }
        }
        for (auto t = static_cast<int>(frames.size()); t < steps; ++t) {
            frames.push_back(t);
        }
        reordered.push_back(x[k].index_select(0, torch::tensor(frames, torch::kLong)));
    }
    return torch::stack(reordered);
}

struct EvalResult {
    double loss = 0;
    Evaluation eval;
    std::vector<int> truth, predicted;  // clip by clip, in the split's order
    std::vector<ClipPrediction> predictions;
    std::vector<StepLogits> steps;  // with keepPredictions: per-step logits of each clip
};

EvalResult evaluateSplit(const nn::ClipClassifier& model, const SplitFeatures& data, int batch,
                         const torch::Tensor& mean, const torch::Tensor& std,
                         const torch::Device& device, int numClasses, bool keepPredictions,
                         FrameOrder order = FrameOrder::InOrder, std::int64_t seed = 0) {
    EvalResult r;
    torch::NoGradGuard guard;
    model->eval();
    std::vector<int> truth, predicted;
    double lossSum = 0;
    for (std::size_t start = 0; start < data.size(); start += static_cast<std::size_t>(batch)) {
        std::vector<int> pos;
        for (std::size_t i = start; i < std::min(data.size(), start + batch); ++i) {
            pos.push_back(static_cast<int>(i));
        }
        auto b = data.batch(pos);
        if (order != FrameOrder::InOrder) {
            std::vector<std::string> clips;
            for (int p : pos) {
                clips.push_back(data.clip(static_cast<std::size_t>(p)).path);
            }
            b.x = reorderFrames(b.x, b.lengths, order, seed, clips);
        }
        // mean and std live on the device: normalise there, after one copy.
        auto x = normalise(b.x.to(device), mean, std);
        auto output = model->forward(x, b.lengths);
        auto logits = output.clip_logits.to(torch::kCPU);
        const auto stepLogits = keepPredictions
                                    ? output.step_logits.to(torch::kCPU, torch::kFloat).contiguous()
                                    : torch::Tensor();
        lossSum += torch::nn::functional::cross_entropy(
                       logits, b.labels,
                       torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                       .item<double>();
        auto probs = torch::softmax(logits, 1).contiguous();
        auto argmax = probs.argmax(1);
        for (std::size_t k = 0; k < pos.size(); ++k) {
            const auto kk = static_cast<int64_t>(k);
            truth.push_back(static_cast<int>(b.labels[kk].item<int64_t>()));
            predicted.push_back(static_cast<int>(argmax[kk].item<int64_t>()));
            if (keepPredictions) {
                ClipPrediction p;
                p.clip = data.clip(static_cast<std::size_t>(pos[k])).path;
                p.truth = truth.back();
                p.predicted = predicted.back();
                auto row = probs[kk];
                p.probabilities.assign(row.data_ptr<float>(), row.data_ptr<float>() + numClasses);
                r.predictions.push_back(std::move(p));
                StepLogits s;
                s.truth = truth.back();
                const auto length = b.lengths[kk].item<int64_t>();
                const auto clipSteps = stepLogits[kk];
                for (int64_t t = 0; t < length; ++t) {
                    const float* first = clipSteps[t].data_ptr<float>();
                    s.steps.emplace_back(first, first + numClasses);
                }
                r.steps.push_back(std::move(s));
            }
        }
    }
    r.eval = evaluate(truth, predicted, numClasses);
    r.loss = data.size() > 0 ? lossSum / double(data.size()) : 0.0;
    r.truth = std::move(truth);
    r.predicted = std::move(predicted);
    return r;
}

std::vector<torch::Tensor> cloneState(const nn::ClipClassifier& model) {
    std::vector<torch::Tensor> out;
    for (const auto& p : model->parameters()) {
        out.push_back(p.detach().clone());
    }
    for (const auto& b : model->buffers()) {
        out.push_back(b.detach().clone());
    }
    return out;
}

void restoreState(const nn::ClipClassifier& model, const std::vector<torch::Tensor>& state) {
    torch::NoGradGuard guard;
    std::size_t i = 0;
    for (auto& p : model->parameters()) {
        p.copy_(state[i++]);
    }
    for (auto& b : model->buffers()) {
        b.copy_(state[i++]);
    }
}

}  // namespace

std::int64_t modelParameters(const TrainConfig& config, const BackboneDescription& backbone,
                             int numClasses) {
    return nn::countParameters(*buildModel(config, backbone.channels, numClasses));
}

TrainOutcome train(const TrainConfig& config, const TrainInputs& inputs,
                   const TrainCallbacks& callbacks, const std::atomic<bool>& stop,
                   const std::string& checkpointPath) {
    validate(config);
    if (!inputs.dataset) {
        throw LogicError("train: no data set");
    }
    const Dataset& ds = *inputs.dataset;
    const int numClasses = static_cast<int>(ds.classes.size());
    if (inputs.split.train.empty()) {
        throw ConfigError(ds.root, "the split leaves no training clips");
    }
    if (inputs.split.test.empty()) {
        throw ConfigError(ds.root, "the split leaves no test clips");
    }
    configureThreads(config.threads);
    const torch::Device device(resolveDevice(config.device));
    // Refuses bf16 where the CPU has no native bf16 before any work is done.
    const std::string precision =
        resolvePrecision(config.precision, config.arch, config.hidden, device.str());
    torch::manual_seed(static_cast<std::uint64_t>(config.seed));

    const auto& bb = inputs.features.backbone;
    const bool spatialModel = isSpatialArch(config.arch);
    const bool spatialFeatures = spatialModel && bb.spatial;
    const std::int64_t perFrame =
        spatialFeatures ? bb.channels * bb.mapHeight * bb.mapWidth : bb.channels;
    const std::int64_t bytesPerClip = perFrame * config.frames * 4;
    FeatureReader reader(inputs.features.cacheDir, config.frames, spatialFeatures);
    SplitFeatures train(ds, inputs.split.train, reader, spatialModel, spatialFeatures,
                        bytesPerClip);
    SplitFeatures val(ds, inputs.split.val, reader, spatialModel, spatialFeatures, bytesPerClip);
    SplitFeatures test(ds, inputs.split.test, reader, spatialModel, spatialFeatures, bytesPerClip);

    auto [mean, std] = featureStats(train, config.batch);
    auto model = buildModel(config, bb.channels, numClasses);
    model->to(device);
    // Training, validation and the test split all compute in the run's precision.
    model->compute_type = nn::computeTypeOf(precision);
    const auto meanDev = mean.to(device);
    const auto stdDev = std.to(device);

    // LibTorch's Adam as ever, or a CUDA graph of the whole step (graph_step.h).
    const auto step = makeTrainStep(model, config, device);

    TrainOutcome out;
    out.params = nn::countParameters(*model);
    out.device = device.str();
    out.precision = precision;
    data::Rng rng = data::trainingRng(config.seed);
    std::vector<int> order(train.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = static_cast<int>(i);
    }
    const int batches = static_cast<int>((train.size() + config.batch - 1) / config.batch);
    double bestVal = std::numeric_limits<double>::infinity();
    std::vector<torch::Tensor> bestState = cloneState(model);
    int sinceBest = 0;
    double smoothed = 0;
    bool smoothInit = false;
    const auto fitStart = Clock::now();
    int batchesDone = 0;

    for (int epoch = 1; epoch <= config.epochs && !out.cancelled; ++epoch) {
        const auto epochStart = Clock::now();
        model->train();
        data::shuffleEpoch(rng, order);
        double lossSum = 0;
        std::int64_t correct = 0, seen = 0;
        for (int b = 0; b < batches; ++b) {
            if (stop.load()) {
                out.cancelled = true;
                break;
            }
            const auto first = order.begin() + static_cast<std::ptrdiff_t>(b) * config.batch;
            const auto last =
                order.begin() +
                std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(order.size()),
                                         static_cast<std::ptrdiff_t>(b + 1) * config.batch);
            auto fb = train.batch(std::vector<int>(first, last));
            auto x = normalise(fb.x.to(device), meanDev, stdDev);
            auto labels = fb.labels.to(device);
            const auto [lossValue, logits] =
                step->run(x, fb.lengths, labels, [&](double value) {  // lengths stay on the host
                    if (!std::isfinite(value)) {
                        throw TrainingError(
                            "non-finite loss (" + std::to_string(value) + ") at epoch " +
                            std::to_string(epoch) + ", batch " + std::to_string(b + 1) +
                            ": lower the learning rate (now " + std::to_string(config.lr) + ")");
                    }
                });
            const auto n = labels.size(0);
            lossSum += lossValue * double(n);
            correct += logits.argmax(1).eq(labels).sum().item<int64_t>();
            seen += n;
            smoothed = smoothInit ? 0.9 * smoothed + 0.1 * lossValue : lossValue;
            smoothInit = true;
            ++batchesDone;
            if (callbacks.onBatch) {
                BatchProgress p;
                p.epoch = epoch;
                p.batch = b + 1;
                p.batches = batches;
                p.loss = lossValue;
                p.smoothedLoss = smoothed;
                const double perBatch = util::secondsSince(fitStart) / batchesDone;
                p.etaSeconds = perBatch * double(config.epochs * batches - batchesDone);
                callbacks.onBatch(p);
            }
        }
        if (out.cancelled || seen == 0) {
            break;
        }
        EpochRecord rec;
        rec.epoch = epoch;
        rec.trainLoss = lossSum / double(seen);
        rec.trainAcc = double(correct) / double(seen);
        rec.lr = config.lr;
        double monitored = rec.trainLoss;
        if (val.size() > 0) {
            auto v =
                evaluateSplit(model, val, config.batch, meanDev, stdDev, device, numClasses, false);
            rec.valLoss = v.loss;
            rec.valAcc = v.eval.accuracy;
            rec.valMacroF1 = v.eval.macroF1;
            monitored = v.loss;
        }
        rec.seconds = util::secondsSince(epochStart);
        out.epochs.push_back(rec);
        out.epochsRun = epoch;
        if (monitored < bestVal) {
            bestVal = monitored;
            bestState = cloneState(model);
            out.bestEpoch = epoch;
            sinceBest = 0;
        } else {
            ++sinceBest;
        }
        if (callbacks.onEpoch) {
            callbacks.onEpoch(rec);
        }
        if (config.patience > 0 && sinceBest >= config.patience) {
            break;
        }
    }
    out.trainSeconds = util::secondsSince(fitStart);
    out.stepMode = step->mode();  // after: a graph is captured (or fails) mid-run
    if (out.bestEpoch > 0) {
        restoreState(model, bestState);
    }
    if (out.cancelled) {
        return out;
    }
    auto t = evaluateSplit(model, test, config.batch, meanDev, stdDev, device, numClasses, true);
    out.test = std::move(t.eval);
    out.predictions = std::move(t.predictions);
    // Only a causal model's step t has read frames up to t alone (a
    // bidirectional one's backward half reads after t): only its per-step
    // answers are early classification.
    if (archInfo(config.arch).causal) {
        out.earlyCurve = earlyClassificationCurve(t.steps, config.frames);
    }
    // Does it read time? The same weights on the same (already loaded) test
    // clips with their frames reversed, then shuffled.
    const auto orderStart = Clock::now();
    const auto reversed = evaluateSplit(model, test, config.batch, meanDev, stdDev, device,
                                        numClasses, false, FrameOrder::Reversed, config.seed);
    const auto shuffled = evaluateSplit(model, test, config.batch, meanDev, stdDev, device,
                                        numClasses, false, FrameOrder::Shuffled, config.seed);
    out.order = orderDiagnostics(out.test, reversed.eval, shuffled.eval);
    out.order.reversedFlips = clipFlips(t.truth, t.predicted, reversed.predicted);
    out.order.shuffledFlips = clipFlips(t.truth, t.predicted, shuffled.predicted);
    out.order.seconds = util::secondsSince(orderStart);
    if (!checkpointPath.empty()) {
        CheckpointMeta meta;
        meta.config = config;
        // What it computed in, not "auto": predictions then use the run's
        // precision even after auto's rule changes.
        meta.config.precision = precision;
        meta.classes = ds.classes;
        meta.backbone = bb;
        meta.inputDim = bb.channels;
        meta.bestEpoch = out.bestEpoch;
        out.checkpointSha256 =
            saveCheckpoint(checkpointPath, model, &step->optimizer(), mean, std, meta);
    }
    return out;
}

}  // namespace vidrnn
