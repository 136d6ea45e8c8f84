// What training a run gives (TrainOutcome, vidrnn/trainer.h) and what an
// experiment returns (ExperimentResult, vidrnn/experiment.h): value types
// only, so that the sweep's cell queue (vidrnn/sweep.h, vidrnn::core) reads
// them without the LibTorch side that produces them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vidrnn/earlycurve.h"
#include "vidrnn/metrics.h"
#include "vidrnn/orderdiag.h"
#include "vidrnn/store.h"

namespace vidrnn {

struct TrainOutcome {
    bool cancelled = false;
    int bestEpoch = 0;
    int epochsRun = 0;
    double trainSeconds = 0;  // the fit loop (training + validation), as the study
    std::int64_t params = 0;
    std::string device;
    std::string precision;  // what it computed in: fp32 | bf16
    std::string stepMode;   // how its steps ran: "eager (not on a CUDA device)", "cuda graph (...)"
    Evaluation test;        // on the test split, best weights
    std::vector<ClipPrediction> predictions;  // test clips
    // Test accuracy having seen the first k of T frames (k = 1..T); empty for
    // bilstm, whose every step has also read the frames after it.
    std::vector<EarlyPoint> earlyCurve;
    // The test clips again with their frames reversed and shuffled.
    OrderDiagnostics order;
    std::vector<EpochRecord> epochs;
    std::string checkpointSha256;  // of the checkpoint written; "" when none was
};

struct ExperimentResult {
    std::int64_t runId = 0;
    RunStatus status = RunStatus::Failed;
    std::string message;
    TrainOutcome outcome;
    bool skipped = false;  // sweep --resume: the cell was already completed or busy
    int attempt = 0;       // a sweep cell: the claim's number (CellClaim::attempt)
    // A sweep cell whose lease passed to another attempt while this one
    // trained: it stopped and wrote nothing more (status Interrupted).
    bool leaseLost = false;
};

}  // namespace vidrnn
