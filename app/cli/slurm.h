// sweep --slurm: a sweep on a Slurm cluster as two job arrays of N tasks. The
// first extracts the features, one shard of the clips per task (vidrnn
// extract --shard I/N), into the shared cache; the second, started once every
// extraction task has succeeded, runs N identical workers that claim cells
// from the store until none is left (the array index never maps to a cell).
// The extraction array is left out when the cache already holds every clip.
#pragma once

#include <string>
#include <vector>

#include "commands.h"
#include "vidrnn/config.h"

namespace vidrnn::cli {

struct SlurmSweep {
    TrainConfig base;                  // the grid's data settings, presets applied
    std::vector<std::string> archs;    // the grid's architectures (empty: the default grid's)
    int tasks = 1;                     // N: workers, and extraction tasks
    std::vector<std::string> options;  // --slurm-opt: #SBATCH lines of both arrays
    bool dryRun = false;               // print both scripts, submit nothing
};

// Hands the scripts (vidrnn-extract.sbatch, vidrnn-sweep.sbatch) to sbatch on
// its standard input (no file in the working folder, no shell), or prints
// them. Needs a postgresql:// store without a password (checkStoreUrl), and
// refuses a value with a control character (ConfigError naming it); the
// workers' command is this process's own command line less the Slurm
// options, every word shell-quoted.
void submitToSlurm(const SlurmSweep& sweep, const Globals& g);

}  // namespace vidrnn::cli
