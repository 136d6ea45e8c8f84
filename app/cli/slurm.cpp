// sweep --slurm: the sweep as two Slurm job arrays, features first.
#include "slurm.h"

#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "vidrnn/errors.h"
#include "vidrnn/experiment.h"
#include "vidrnn/features.h"
#include "vidrnn/models.h"
#include "vidrnn/runtime.h"
#include "vidrnn/store.h"

namespace vidrnn::cli {

namespace fs = std::filesystem;

namespace {

// This command line as given (Linux: /proc/self/cmdline), for the workers.
std::vector<std::string> ownCommandLine() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::vector<std::string> args;
    std::string arg;
    while (std::getline(in, arg, '\0')) {
        args.push_back(arg);
    }
    return args;
}

std::string shellQuoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

// The first lines of a job array's sbatch script: its name, N tasks, one
// output file per task, the user's --slurm-opt options.
std::string sbatchHeader(const std::string& name, int tasks,
                         const std::vector<std::string>& options) {
    std::string script = "#!/bin/bash\n#SBATCH --job-name=" + name + "\n";
    script += "#SBATCH --array=0-" + std::to_string(tasks - 1) + "\n";
    script += "#SBATCH --output=" + name + "-%A_%a.out\n";
    for (const auto& option : options) {
        script += "#SBATCH " + option + "\n";
    }
    return script;
}

// What every task runs before vidrnn: stop at the first error, the
// checkpoint folder, the submitting directory (relative paths as given).
std::string scriptPrologue() {
    std::string prologue = "set -eu\n";
    if (const char* checkpoints = std::getenv("VIDRNN_CHECKPOINTS")) {
        prologue += "export VIDRNN_CHECKPOINTS=" + shellQuoted(checkpoints) + "\n";
    }
    return prologue + "cd " + shellQuoted(fs::current_path().string()) + "\n";
}

std::string ownExecutable() {
    return shellQuoted(fs::canonical("/proc/self/exe").string());
}

// The sbatch script of N identical workers: each runs this sweep with
// --worker and claims cells from the store until none is left, so the array
// index never maps to a cell and a task that dies leaves its cells to the others.
std::string slurmScript(const SlurmSweep& a, const Globals& g, const std::string& store) {
    const auto given = ownCommandLine();
    std::string command = ownExecutable();
    for (std::size_t i = 1; i < given.size(); ++i) {
        const std::string& arg = given[i];
        if (arg == "--slurm" || arg == "--slurm-opt") {
            ++i;  // and its value
            continue;
        }
        if (arg.rfind("--slurm=", 0) == 0 || arg.rfind("--slurm-opt=", 0) == 0 ||
            arg == "--dry-run" || arg == "--worker") {
            continue;
        }
        command += " " + shellQuoted(arg);
    }
    // Threads fit the task's allocation: the workers' own default reads it
    // too, but written out the script says what each task runs with.
    const std::string threads = g.threads > 0 ? "" : " --threads \"${SLURM_CPUS_PER_TASK:-1}\"";
    return sbatchHeader("vidrnn-sweep", a.tasks, a.options) + "# " + std::to_string(a.tasks) +
           (a.tasks == 1 ? " worker on " : " identical workers on ") + store + "\n" +
           scriptPrologue() + "exec " + command + threads + " --worker\n";
}

// The distinct feature sets the grid's cells read (FeatureSets' rule): one,
// or two when the backbone has a vector and a map form and the grid has
// both kinds of model.
std::vector<TrainConfig> featureSetsOf(const SlurmSweep& a) {
    std::vector<TrainConfig> sets;
    for (const auto& arch : a.archs.empty() ? defaultSweepArchs() : a.archs) {
        TrainConfig c = a.base;
        c.arch = arch;
        validate(c);  // a misspelt architecture is refused here, not on the nodes
        if (std::none_of(sets.begin(), sets.end(),
                         [&c](const TrainConfig& s) { return sameFeatures(s, c); })) {
            sets.push_back(c);
        }
    }
    return sets;
}

// The extraction job array: task I of N extracts shard I/N of the clips into
// the cache, with the very settings (data, cache, backbone, size, frames,
// form) the workers look features up by. The shard count is written out, not
// taken from SLURM_ARRAY_TASK_COUNT, so a task resubmitted alone
// (sbatch --array=I) still extracts shard I of N.
std::string extractionScript(const SlurmSweep& a, const Globals& g,
                             const std::vector<TrainConfig>& sets, const std::string& where) {
    std::string script = sbatchHeader("vidrnn-extract", a.tasks, a.options) + "# the features of " +
                         where + ", shard $SLURM_ARRAY_TASK_ID of " + std::to_string(a.tasks) +
                         " per task\n" + scriptPrologue();
    for (const auto& c : sets) {
        std::string command = ownExecutable();
        if (g.quiet) {
            command += " --quiet";
        }
        if (g.threads > 0) {
            command += " --threads " + std::to_string(g.threads);
        }
        command += " extract --data " + shellQuoted(c.dataset) + " --backbone " +
                   shellQuoted(c.backbone) + " --size " + std::to_string(c.imageSize) +
                   " --frames " + std::to_string(c.frames) + " --device " + shellQuoted(c.device);
        if (!c.cacheDir.empty()) {
            command += " --cache " + shellQuoted(c.cacheDir);
        }
        if (isSpatialArch(c.arch)) {
            command += " --maps";
        }
        script += command + " --shard \"$SLURM_ARRAY_TASK_ID/" + std::to_string(a.tasks) + "\"\n";
    }
    return script;
}

// The feature sets not yet complete in the cache (a header check per clip,
// no video decoded), each one said on stdout.
std::vector<TrainConfig> missingFeatureSets(const SlurmSweep& a, const Dataset& ds,
                                            const char* linePrefix) {
    std::vector<TrainConfig> missing;
    for (const auto& set : featureSetsOf(a)) {
        TrainConfig probe = set;
        // The key does not depend on the device, and a login node may have no GPU.
        probe.device = "cpu";
        const auto coverage = cacheCoverage(ds, extractOptionsFor(probe));
        std::printf("%sfeatures %s%s: %d of %d clips in the cache (%s)\n", linePrefix,
                    set.backbone.c_str(), isSpatialArch(set.arch) ? " (maps)" : "", coverage.cached,
                    coverage.clips, coverage.cacheDir.c_str());
        if (coverage.cached < coverage.clips) {
            missing.push_back(set);
        }
    }
    return missing;
}

// Submits a script with `sbatch --parsable OPTIONS FILE`; returns the job id.
std::string submitScript(const std::string& script, const std::string& name,
                         const std::string& options) {
    const fs::path file = fs::absolute(name);
    std::ofstream(file) << script;
    const std::string submit = "sbatch --parsable " + options + shellQuoted(file.string());
    FILE* pipe = ::popen(submit.c_str(), "r");
    if (!pipe) {
        throw Error("cannot run sbatch: " + std::string(std::strerror(errno)));
    }
    char buffer[256] = {};
    std::string out;
    while (std::fgets(buffer, sizeof buffer, pipe)) {
        out += buffer;
    }
    const int status = ::pclose(pipe);
    if (status != 0) {
        throw Error("sbatch refused " + file.string() + " (exit status " +
                    std::to_string(WEXITSTATUS(status)) + ")");
    }
    // "jobid" or "jobid;cluster"
    out = out.substr(0, out.find_first_of(";\n "));
    if (out.empty()) {
        throw Error("sbatch gave no job id for " + file.string());
    }
    return out;
}

}  // namespace

// Features first: an extraction array of N tasks, one shard each, then the
// N workers once every extraction task has succeeded (afterok); no
// extraction array when the cache already holds every clip's features.
void submitToSlurm(const SlurmSweep& a, const Globals& g) {
    const std::string store = resolveStorePath(g.db);
    if (store.find("://") == std::string::npos) {
        throw ConfigError(store +
                          ": --slurm needs a postgresql:// store that every node reaches "
                          "(an SQLite file must not be shared over a network file system)");
    }
    // Before anything is submitted: every task would fail on a store that
    // cannot be reached (a wrong host or port, a missing database or role)
    // or written (a read-only role). A dry run submits nothing and may be
    // made where the server is not reachable.
    if (!a.dryRun) {
        RunStore::open(store).checkWritable();
    }
    ScanOptions so;
    const auto ds = scanDataset(a.base.dataset, so);
    if (ds.clips.empty()) {
        throw DatasetError(a.base.dataset, "no usable clips");
    }
    const auto missing = missingFeatureSets(a, ds, a.dryRun ? "# " : "");
    const std::string where = std::to_string(ds.clips.size()) + " clips of " + ds.root;
    const std::string workers = slurmScript(a, g, store);
    // Without it a failed extraction task would leave the workers pending forever.
    const std::string afterOptions = " --kill-on-invalid-dep=yes ";
    if (a.dryRun) {
        if (missing.empty()) {
            std::printf(
                "# no extraction job: every clip's features are in the cache\n"
                "# ---- vidrnn-sweep.sbatch: the workers ----\n%s",
                workers.c_str());
            return;
        }
        std::printf("# ---- vidrnn-extract.sbatch: the features, submitted first ----\n%s",
                    extractionScript(a, g, missing, where).c_str());
        std::printf(
            "# ---- vidrnn-sweep.sbatch: the workers, submitted with\n"
            "#   sbatch --dependency=afterok:<extraction job id>%svidrnn-sweep.sbatch "
            "----\n%s",
            afterOptions.c_str(), workers.c_str());
        return;
    }
    std::string dependency;
    if (!missing.empty()) {
        const auto job =
            submitScript(extractionScript(a, g, missing, where), "vidrnn-extract.sbatch", "");
        std::printf(
            "submitted extraction job array %s: %d tasks, one shard each of the %s "
            "(logs vidrnn-extract-%s_*.out)\n",
            job.c_str(), a.tasks, where.c_str(), job.c_str());
        dependency = "--dependency=afterok:" + job + afterOptions;
    } else {
        std::printf("no extraction job: every clip's features are in the cache\n");
    }
    const auto job = submitScript(workers, "vidrnn-sweep.sbatch", dependency);
    std::printf(
        "submitted job array %s: %d worker%s on %s%s; watch it with vidrnn --db URL sweep "
        "status\n",
        job.c_str(), a.tasks, a.tasks == 1 ? "" : "s", store.c_str(),
        dependency.empty() ? ""
                           : ", starting once every extraction task has succeeded "
                             "(Slurm cancels it if one fails)");
}

}  // namespace vidrnn::cli
