// One experiment from settings to a stored result, shared by the CLI and the
// GUI: the run row is created, every epoch stored as it ends, the result
// written in one transaction; a failure or a cancel is recorded as such.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "vidrnn/config.h"
#include "vidrnn/dataset.h"
#include "vidrnn/features.h"
#include "vidrnn/store.h"
#include "vidrnn/trainer.h"

namespace vidrnn {

struct ExperimentCallbacks {
    std::function<void(const ExtractProgress&)> onExtract;
    std::function<void(std::int64_t runId)> onRunStarted;
    std::function<void(const BatchProgress&)> onBatch;
    std::function<void(const EpochRecord&)> onEpoch;
};

struct ExperimentResult {
    std::int64_t runId = 0;
    RunStatus status = RunStatus::Failed;
    std::string message;
    TrainOutcome outcome;
    bool skipped = false;  // sweep --resume: the cell was already completed or busy
};

// Folder for the checkpoints of a store: "<store dir>/checkpoints".
std::string checkpointDirFor(const std::string& storePath);

// Extracts (or reuses) features for the config's backbone, size and T.
ExtractSummary featuresFor(const Dataset& dataset, const TrainConfig& config,
                           const ExperimentCallbacks& callbacks, const std::atomic<bool>& stop);

// Trains one run and records it. With sweepId, the grid cell is claimed
// atomically (a completed cell is skipped, never duplicated). Training errors
// (non-finite loss, ...) end as a failed run and are returned, not thrown;
// store and set-up errors are thrown.
ExperimentResult runExperiment(RunStore& store, const TrainConfig& config, const Dataset& dataset,
                               const ExtractSummary& features, const ExperimentCallbacks& callbacks,
                               const std::atomic<bool>& stop,
                               std::optional<std::int64_t> sweepId = std::nullopt);

// The study's grid (lstm, gru, deep_lstm, convlstm at 64/128/256/512) plus
// bilstm and mean_pool at the same sizes.
std::vector<std::string> defaultSweepArchs();
std::vector<int> defaultSweepHidden();

}  // namespace vidrnn
