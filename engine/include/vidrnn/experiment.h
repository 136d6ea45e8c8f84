// One experiment from settings to a stored result, shared by the CLI and the
// GUI: the run row is created, every epoch stored as it ends, the result
// written in one transaction; a failure or a cancel is recorded as such.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vidrnn/archs.h"
#include "vidrnn/config.h"
#include "vidrnn/dataset.h"
#include "vidrnn/features.h"
#include "vidrnn/outcome.h"
#include "vidrnn/store.h"
#include "vidrnn/trainer.h"

namespace vidrnn {

struct SweepGrid;  // vidrnn/sweep.h

struct ExperimentCallbacks {
    std::function<void(const ExtractProgress&)> onExtract;
    std::function<void(std::int64_t runId)> onRunStarted;
    std::function<void(const BatchProgress&)> onBatch;
    std::function<void(const EpochRecord&)> onEpoch;
};

// Folder for the checkpoints of a store: $VIDRNN_CHECKPOINTS (the CLI's
// --checkpoints) when set, else "<store dir>/checkpoints" for a file and
// "./checkpoints" for a server store. Every run records its checkpoint's
// path, so runs of one store may keep them in different places.
std::string checkpointDirFor(const std::string& storePath);

// A run's checkpoint as predictVideo may load it: the file and the sha256 it
// must have. The path recorded in the store is used only when it lies in
// this store's checkpoint folder (checkpointDirFor) and the store recorded
// its sha256; `named`, a file the user names, replaces it and is loaded as
// the user's own (no hash: the user vouches for it; its architecture is
// still checked against the run's). Throws ModelError naming the file and
// what to do otherwise: a store row is input that someone else may have
// written, and a checkpoint can run code when loaded.
struct CheckpointChoice {
    std::string path;
    std::string sha256;  // "" only for a file the user named
};
CheckpointChoice runCheckpoint(const std::string& storePath, const RunRecord& run,
                               const std::string& named = {});

// Where run `runId` of `store` keeps its weights: checkpointDirFor's folder,
// named by run and by the store's id (RunStore::storeId), so that stores
// sharing a folder never write each other's files.
std::string checkpointPathFor(const RunStore& store, std::int64_t runId);

// The extraction settings a config's runs read: its backbone, size, T,
// cache and device, in the form its architecture reads (mobilenet_v2: maps
// for convlstm, else vectors).
ExtractOptions extractOptionsFor(const TrainConfig& config);

// Extracts (or reuses) features for the config's backbone, size and T, in
// the form its architecture reads (extractOptionsFor).
ExtractSummary featuresFor(const Dataset& dataset, const TrainConfig& config,
                           const ExperimentCallbacks& callbacks, const std::atomic<bool>& stop);

// True when two configs read the same features (backbone, form, size, T, cache).
bool sameFeatures(const TrainConfig& a, const TrainConfig& b);

// The features of a grid's cells: each distinct set (see sameFeatures)
// extracted once, when a cell first needs it.
class FeatureSets {
public:
    FeatureSets(const Dataset& dataset, const ExperimentCallbacks& callbacks,
                const std::atomic<bool>& stop)
        : mDataset(dataset), mCallbacks(callbacks), mStop(stop) {}
    const ExtractSummary& forConfig(const TrainConfig& config);

private:
    const Dataset& mDataset;
    const ExperimentCallbacks& mCallbacks;
    const std::atomic<bool>& mStop;
    std::deque<std::pair<TrainConfig, ExtractSummary>> mSets;
};

// Trains one run and records it. With sweepId, the grid cell is claimed
// atomically (a completed cell is skipped, never duplicated), and any error
// of the cell (its split, training, checkpoint) ends the cell's attempt as
// failed and is returned, as is a lease lost to another attempt; only store
// errors are thrown. Without: training errors (non-finite loss, ...) end as a
// failed run and are returned; store and set-up errors are thrown.
ExperimentResult runExperiment(RunStore& store, const TrainConfig& config, const Dataset& dataset,
                               const ExtractSummary& features, const ExperimentCallbacks& callbacks,
                               const std::atomic<bool>& stop,
                               std::optional<std::int64_t> sweepId = std::nullopt);

// What a rerun may change on purpose (to find what changes a result); by
// default nothing: the run's own threads (as it really ran) and precision.
struct RerunOptions {
    int threads = 0;        // > 0: this many LibTorch threads instead
    std::string precision;  // fp32 | bf16: instead of the run's
};

// The settings to train `run` again: its stored config with the threads it
// really ran with (its provenance; the config's own where that is unknown)
// and the precision it computed in, unless options say otherwise.
TrainConfig rerunConfig(const RunRecord& run, const RerunOptions& options = {});

// Trains a completed run again from its stored record into a new run (noted
// "rerun of run N"). Refuses with ConfigError naming the reason before any
// training when the run is not a completed trained run, its precision cannot
// be computed here (bf16 on a CPU without native bf16), its data set cannot
// be scanned, its fingerprint was not stored (runs before schema 7) or no
// longer matches the data, or the backbone's weights are not the same.
// `vidrnn runs rerun` and the workbench's Rerun and check both call it, then
// requireCompletedRerun, then checkRerun (vidrnn/rerun.h).
ExperimentResult rerunExperiment(RunStore& store, std::int64_t runId, const RerunOptions& options,
                                 const ExperimentCallbacks& callbacks,
                                 const std::atomic<bool>& stop);

// Throws TrainingError naming both runs, the status and the message when
// the rerun did not complete (failed, or cancelled by the stop flag).
void requireCompletedRerun(std::int64_t original, const ExperimentResult& rerun);

// The default sweep's architectures (defaultSweepArchs) at these sizes: the
// study's grid (lstm, gru, deep_lstm, convlstm at 64/128/256/512) and the others.
std::vector<int> defaultSweepHidden();

// The study protocol on the demo data (vidrnn demo --study, the workbench's
// Run > Study protocol): demoStudyArchs() at hidden 64 and 128, over every
// group (logo) x 2 seeds; sized for two shared cores.
std::vector<int> demoStudyHidden();
constexpr int kDemoStudySeeds = 2;

// The grid `vidrnn demo` trains on the demo data set `demo` and the
// workbench's Reproduce the study queues, defined once so that either
// program resumes the other's sweep: `base` (the demo preset's settings as
// the user changed them, its data set the demo's) over the default grid at
// fold 0, or with protocol (demo --study, Run > Study protocol) the demo
// study's grid over every group (logo) x kDemoStudySeeds.
SweepGrid demoSweepGrid(TrainConfig base, const Dataset& demo, bool protocol);

}  // namespace vidrnn
