#include "vidrnn/experiment.h"

#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <numeric>

#include "store/lease.h"
#include "vidrnn/errors.h"
#include "vidrnn/models.h"
#include "vidrnn/precision.h"
#include "vidrnn/provenance.h"
#include "vidrnn/runtime.h"
#include "vidrnn/splits.h"
#include "vidrnn/sweep.h"

namespace vidrnn {

namespace fs = std::filesystem;

std::string checkpointDirFor(const std::string& storePath) {
    if (const char* chosen = std::getenv("VIDRNN_CHECKPOINTS"); chosen && *chosen) {
        return fs::absolute(chosen).string();
    }
    if (isStoreUrl(storePath)) {
        // A server store has no folder: the working directory's, unless
        // --checkpoints names shared storage. Each run records its own path.
        return fs::absolute("checkpoints").string();
    }
    auto dir = fs::absolute(storePath).parent_path();
    return (dir / "checkpoints").string();
}

CheckpointChoice runCheckpoint(const std::string& storePath, const RunRecord& run,
                               const std::string& named) {
    const std::string id = std::to_string(run.id);
    if (!named.empty()) {
        return {named, ""};  // the user's own choice: vouched for, not hashed
    }
    if (run.checkpoint.empty()) {
        throw ModelError(storePath,
                         "run " + id + " has no checkpoint (" + toString(run.status) + ")");
    }
    const std::string folder = checkpointDirFor(storePath);
    std::error_code ec;
    // Links resolved: a link in the folder that leads elsewhere is elsewhere.
    const fs::path where = fs::weakly_canonical(run.checkpoint, ec).parent_path();
    if (ec || where != fs::weakly_canonical(folder, ec) || ec) {
        throw ModelError(run.checkpoint,
                         "the checkpoint of run " + id + " lies outside this store's " +
                             "checkpoint folder " + folder +
                             "; a checkpoint file can run code, so vidrnn loads it from there "
                             "only: name it yourself (predict --checkpoint FILE) or choose its "
                             "folder (--checkpoints DIR) if you trust it");
    }
    if (run.checkpointSha256.empty()) {
        throw ModelError(run.checkpoint,
                         "the store recorded no sha256 for the checkpoint of run " + id +
                             " (a run from before store schema 8); a checkpoint file can run "
                             "code, so name it yourself (predict --checkpoint FILE) if you "
                             "trust it");
    }
    return {run.checkpoint, run.checkpointSha256};
}

std::vector<int> defaultSweepHidden() {
    return {64, 128, 256, 512};
}

std::vector<int> demoStudyHidden() {
    return {64, 128};
}

SweepGrid demoSweepGrid(TrainConfig base, const Dataset& demo, bool protocol) {
    if (!protocol) {
        return {std::move(base), defaultSweepArchs(), defaultSweepHidden(), {0}, 1};
    }
    base.split = "logo";
    std::vector<int> folds(static_cast<std::size_t>(foldCount(demo, base.split)));
    std::iota(folds.begin(), folds.end(), 0);
    return {std::move(base), demoStudyArchs(), demoStudyHidden(), std::move(folds),
            kDemoStudySeeds};
}

ExtractOptions extractOptionsFor(const TrainConfig& config) {
    ExtractOptions opt;
    opt.backbone = config.backbone;
    opt.maps = isSpatialArch(config.arch);
    opt.frames = config.frames;
    opt.imageSize = config.imageSize;
    opt.cacheDir = config.cacheDir;
    opt.device = resolveDevice(config.device);
    return opt;
}

ExtractSummary featuresFor(const Dataset& dataset, const TrainConfig& config,
                           const ExperimentCallbacks& callbacks, const std::atomic<bool>& stop) {
    configureThreads(config.threads);
    ExtractOptions opt = extractOptionsFor(config);
    opt.progress = callbacks.onExtract;
    opt.stop = &stop;
    return extractFeatures(dataset, opt);
}

bool sameFeatures(const TrainConfig& a, const TrainConfig& b) {
    // Only the bundled backbone has two forms; the others store maps and
    // their means in one entry.
    const bool formsDiffer =
        a.backbone == kPretrainedBackbone && isSpatialArch(a.arch) != isSpatialArch(b.arch);
    return a.dataset == b.dataset && a.backbone == b.backbone && a.imageSize == b.imageSize &&
           a.frames == b.frames && a.cacheDir == b.cacheDir && a.device == b.device && !formsDiffer;
}

const ExtractSummary& FeatureSets::forConfig(const TrainConfig& config) {
    for (const auto& [c, summary] : mSets) {
        if (sameFeatures(c, config)) {
            return summary;
        }
    }
    auto summary = featuresFor(mDataset, config, mCallbacks, mStop);
    mSets.emplace_back(config, std::move(summary));
    return mSets.back().second;
}

std::string checkpointPathFor(const RunStore& store, std::int64_t runId) {
    // The store's id in the name: stores that share a folder (every
    // PostgreSQL store defaults to ./checkpoints) number their runs alike.
    const std::string id = store.storeId();
    return (fs::path(checkpointDirFor(store.path())) /
            ("run-" + std::to_string(runId) + (id.empty() ? "" : "-" + id) + ".pt"))
        .string();
}

namespace {

// Clips the extractor had to skip have no features: left out of the split.
TrainInputs trainInputs(const TrainConfig& config, const Dataset& dataset,
                        const ExtractSummary& features) {
    SplitSpec spec;
    spec.protocol = config.split;
    spec.fold = config.fold;
    spec.seed = config.seed;
    TrainInputs inputs;
    inputs.dataset = &dataset;
    inputs.split = makeSplit(dataset, spec);
    if (!features.skipped.empty()) {
        std::vector<bool> bad(dataset.clips.size(), false);
        for (const auto& s : features.skipped) {
            for (std::size_t i = 0; i < dataset.clips.size(); ++i) {
                if (dataset.clips[i].path == s.path) {
                    bad[i] = true;
                }
            }
        }
        for (auto* part : {&inputs.split.train, &inputs.split.val, &inputs.split.test}) {
            std::vector<int> kept;
            for (int i : *part) {
                if (!bad[static_cast<std::size_t>(i)]) {
                    kept.push_back(i);
                }
            }
            *part = std::move(kept);
        }
    }
    inputs.features = features;
    return inputs;
}

RunResult resultOf(const TrainOutcome& outcome, const ExtractSummary& features,
                   const std::string& checkpoint) {
    RunResult rr;
    rr.trainSeconds = outcome.trainSeconds;
    rr.extractSeconds = features.seconds;
    rr.bestEpoch = outcome.bestEpoch;
    rr.params = outcome.params;
    rr.evaluation = outcome.test;
    rr.predictions = outcome.predictions;
    rr.earlyCurve = outcome.earlyCurve;
    rr.checkpoint = checkpoint;
    rr.checkpointSha256 = outcome.checkpointSha256;
    rr.order = outcome.order;
    return rr;
}

constexpr const char* kCancelledByUser = "cancelled by the user";

// A claimed sweep cell's training: the lease is renewed and the epochs kept
// from the training loop, on this connection (CellAttempt); attemptCell
// turns any error of the cell into its failure.
void trainCell(RunStore& store, const TrainConfig& config, const Dataset& dataset,
               const ExtractSummary& features, const ExperimentCallbacks& callbacks,
               const std::atomic<bool>& stop, CellAttempt& cell, ExperimentResult& result) {
    const std::string checkpoint = checkpointPathFor(store, result.runId);
    if (callbacks.onRunStarted) {
        callbacks.onRunStarted(result.runId);
    }
    TrainCallbacks tc;
    tc.onBatch = [&](const BatchProgress& p) {
        cell.keepAlive();
        if (callbacks.onBatch) {
            callbacks.onBatch(p);
        }
    };
    tc.onEpoch = [&](const EpochRecord& e) {
        cell.epoch(e);
        if (callbacks.onEpoch) {
            callbacks.onEpoch(e);
        }
    };
    result.outcome = train(config, trainInputs(config, dataset, features), tc, stop, checkpoint);
    if (result.outcome.cancelled) {
        result.status = RunStatus::Cancelled;
        result.message = kCancelledByUser;
        cell.cancel(result.message);
        return;
    }
    cell.complete(resultOf(result.outcome, features, checkpoint));
    result.status = RunStatus::Completed;
}

}  // namespace

ExperimentResult runExperiment(RunStore& store, const TrainConfig& config, const Dataset& dataset,
                               const ExtractSummary& features, const ExperimentCallbacks& callbacks,
                               const std::atomic<bool>& stop, std::optional<std::int64_t> sweepId) {
    validate(config);
    RunMeta meta;
    meta.device = resolveDevice(config.device);
    meta.precision = resolvePrecision(config.precision, config.arch, config.hidden, meta.device);
    meta.backboneId = features.backbone.identity;
    meta.datasetFingerprint = datasetFingerprint(dataset);
    meta.pretrained = features.backbone.pretrained;
    meta.classNames = dataset.classes;
    meta.params =
        modelParameters(config, features.backbone, static_cast<int>(dataset.classes.size()));
    meta.sweepId = sweepId;
    // Threads as train() will set them (configureThreads is idempotent).
    configureThreads(config.threads);
    meta.provenance = currentProvenance(meta.device, meta.precision);

    if (sweepId) {
        return attemptCell(
            store, *sweepId, config, meta, [&](CellAttempt& cell, ExperimentResult& result) {
                trainCell(store, config, dataset, features, callbacks, stop, cell, result);
            });
    }
    ExperimentResult result;
    const TrainInputs inputs = trainInputs(config, dataset, features);
    result.runId = store.createRun(config, meta);
    const std::string checkpoint = checkpointPathFor(store, result.runId);
    if (callbacks.onRunStarted) {
        callbacks.onRunStarted(result.runId);
    }

    // The lease is renewed from its own thread and connection, so a long
    // batch never lets it run out.
    store::LeaseKeeper lease(store.path(), store.options(), result.runId);
    TrainCallbacks tc;
    tc.onBatch = [&](const BatchProgress& p) {
        if (callbacks.onBatch) {
            callbacks.onBatch(p);
        }
    };
    tc.onEpoch = [&](const EpochRecord& e) {
        store.addEpoch(result.runId, e);
        if (callbacks.onEpoch) {
            callbacks.onEpoch(e);
        }
    };
    try {
        result.outcome = train(config, inputs, tc, stop, checkpoint);
    } catch (const TrainingError& e) {
        result.status = RunStatus::Failed;
        result.message = e.what();
        store.setStatus(result.runId, RunStatus::Failed, result.message);
        return result;
    } catch (const std::exception& e) {
        store.setStatus(result.runId, RunStatus::Failed, e.what());
        throw;
    }
    if (result.outcome.cancelled) {
        result.status = RunStatus::Cancelled;
        result.message = kCancelledByUser;
        store.setStatus(result.runId, RunStatus::Cancelled, result.message);
        return result;
    }
    store.completeRun(result.runId, resultOf(result.outcome, features, checkpoint));
    result.status = RunStatus::Completed;
    return result;
}

TrainConfig rerunConfig(const RunRecord& run, const RerunOptions& options) {
    TrainConfig config = run.configJson.empty() ? run.config : trainConfigFromJson(run.configJson);
    // The threads it ran with, not "all cores" of whatever machine reruns it.
    if (options.threads > 0) {
        config.threads = options.threads;
    } else if (!run.provenance.threads.empty()) {
        config.threads = std::stoi(run.provenance.threads);
    }
    if (!options.precision.empty()) {
        config.precision = options.precision;
    } else if (!run.precision.empty()) {
        config.precision = run.precision;
    }
    return config;
}

ExperimentResult rerunExperiment(RunStore& store, std::int64_t runId, const RerunOptions& options,
                                 const ExperimentCallbacks& callbacks,
                                 const std::atomic<bool>& stop) {
    const std::string which = "cannot rerun run " + std::to_string(runId) + ": ";
    const auto run = store.getRun(runId);
    if (!run) {
        throw ConfigError(which + "there is no such run in " + store.path());
    }
    if (run->kind != RunKind::Trained || run->status != RunStatus::Completed) {
        throw ConfigError(which + "it is " + toString(run->status) +
                          "; only a completed trained run has results to compare");
    }
    if (run->datasetFingerprint.empty()) {
        throw ConfigError(which +
                          "it was stored without its data set's fingerprint (before "
                          "schema 7), so nothing can tell whether " +
                          run->config.dataset + " still holds the same clips");
    }
    const TrainConfig config = rerunConfig(*run, options);
    validate(config);
    // bf16 on a CPU without native bf16 is refused before any data is read.
    try {
        resolvePrecision(config.precision, config.arch, config.hidden,
                         resolveDevice(config.device));
    } catch (const ConfigError& e) {
        throw ConfigError(which + "this build cannot compute it here: " + e.what());
    }
    Dataset dataset;
    try {
        ScanOptions scan;
        scan.probe = true;
        scan.stop = &stop;
        dataset = scanDataset(config.dataset, scan);
    } catch (const Error& e) {
        throw ConfigError(which + "its data set cannot be read: " + e.what());
    }
    const std::string now = datasetFingerprint(dataset);
    if (now != run->datasetFingerprint) {
        throw ConfigError(which + "the data set " + config.dataset +
                          " no longer holds the clips it trained on (fingerprint " + now +
                          ", the run's " + run->datasetFingerprint + ")");
    }
    auto features = featuresFor(dataset, config, callbacks, stop);
    if (features.cancelled) {
        throw Error("feature extraction cancelled");
    }
    if (features.backbone.identity != run->backboneId) {
        throw ConfigError(which + "the backbone " + config.backbone + " has other weights now (" +
                          features.backbone.identity + ", the run's " + run->backboneId + ")");
    }
    auto result = runExperiment(store, config, dataset, features, callbacks, stop);
    store.annotate(result.runId, "rerun of run " + std::to_string(runId));
    return result;
}

void requireCompletedRerun(std::int64_t original, const ExperimentResult& rerun) {
    if (rerun.status != RunStatus::Completed) {
        throw TrainingError("rerun of run " + std::to_string(original) + " (run " +
                            std::to_string(rerun.runId) + ") " + toString(rerun.status) +
                            (rerun.message.empty() ? "" : ": " + rerun.message));
    }
}

}  // namespace vidrnn
