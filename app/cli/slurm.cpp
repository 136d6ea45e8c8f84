// sweep --slurm: the sweep as two Slurm job arrays, features first.
#include "slurm.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

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
#include "vidrnn/textwidth.h"

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

// A value about to be written into a batch script: a line break would end a
// `#SBATCH` or `#` line and make the rest a command, and no quoting protects
// a comment, so any control character is refused, naming the value.
const std::string& scriptValue(const std::string& what, const std::string& value) {
    if (hasControl(value)) {
        throw ConfigError(what + " '" + escapeControl(value) +
                          "' holds a control character (a line break, tab or escape), which "
                          "cannot be written into a batch script");
    }
    return value;
}

std::string shellQuoted(const std::string& text) {
    scriptValue("the argument", text);
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
        // sbatch reads these words itself (no shell): kept as given, one line.
        script += "#SBATCH " + scriptValue("--slurm-opt", option) + "\n";
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
           (a.tasks == 1 ? " worker on " : " identical workers on ") +
           scriptValue("the store", store) + "\n" + scriptPrologue() + "exec " + command + threads +
           " --worker\n";
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
                         scriptValue("the data set", where) + ", shard $SLURM_ARRAY_TASK_ID of " +
                         std::to_string(a.tasks) + " per task\n" + scriptPrologue();
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

// Runs `sbatch --parsable OPTIONS` with the script on its standard input and
// returns the job id. No file (a fixed name in a shared working folder is
// one another user can plant a link at) and no shell (nothing in the
// arguments is read as a command).
std::string submitScript(const std::string& script, const std::string& name,
                         const std::vector<std::string>& options) {
    std::vector<std::string> args{"sbatch", "--parsable"};
    args.insert(args.end(), options.begin(), options.end());
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    int input[2], output[2];
    if (::pipe2(input, O_CLOEXEC) != 0) {
        throw Error("cannot run sbatch: " + std::string(std::strerror(errno)));
    }
    if (::pipe2(output, O_CLOEXEC) != 0) {
        const std::string reason = std::strerror(errno);
        ::close(input[0]);
        ::close(input[1]);
        throw Error("cannot run sbatch: " + reason);
    }
    std::fflush(nullptr);
    const pid_t child = ::fork();
    if (child == 0) {
        ::dup2(input[0], STDIN_FILENO);
        ::dup2(output[1], STDOUT_FILENO);
        ::execvp("sbatch", argv.data());
        ::_exit(127);
    }
    ::close(input[0]);
    ::close(output[1]);
    if (child < 0) {
        ::close(input[1]);
        ::close(output[0]);
        throw Error("cannot run sbatch: " + std::string(std::strerror(errno)));
    }
    // A script is far below a pipe's buffer, and sbatch reads all of it
    // before it answers. An sbatch that exits first must not end us by SIGPIPE.
    struct sigaction ignore = {};
    struct sigaction previous = {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &previous);
    std::size_t at = 0;
    while (at < script.size()) {
        const ssize_t n = ::write(input[1], script.data() + at, script.size() - at);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;  // sbatch exited early: its status says why
        }
        at += static_cast<std::size_t>(n);
    }
    ::close(input[1]);
    ::sigaction(SIGPIPE, &previous, nullptr);
    std::string out;
    char buffer[256];
    for (ssize_t n; (n = ::read(output[0], buffer, sizeof buffer)) != 0;) {
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            break;
        }
        out.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(output[0]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw Error("sbatch refused " + name + " (exit status " +
                    std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                    (WIFEXITED(status) && WEXITSTATUS(status) == 127 ? ": sbatch not found" : "") +
                    ")");
    }
    // "jobid" or "jobid;cluster"
    out = out.substr(0, out.find_first_of(";\n "));
    if (out.empty() || out.find_first_not_of("0123456789") != std::string::npos) {
        throw Error("sbatch gave no job id for " + name);
    }
    return out;
}

}  // namespace

// Features first: an extraction array of N tasks, one shard each, then the
// N workers once every extraction task has succeeded (afterok); no
// extraction array when the cache already holds every clip's features.
void submitToSlurm(const SlurmSweep& a, const Globals& g) {
    const std::string store = resolveStorePath(g.db);
    // The URL goes into the scripts and the workers' command lines: never
    // one with a password (--db checked it already; this is the rule's home).
    checkStoreUrl(store);
    scriptValue("the store", store);
    if (!isStoreUrl(store)) {
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
    const std::string killOnFailure = "--kill-on-invalid-dep=yes";
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
            "#   sbatch --dependency=afterok:<extraction job id> %s vidrnn-sweep.sbatch "
            "----\n%s",
            killOnFailure.c_str(), workers.c_str());
        return;
    }
    std::vector<std::string> dependency;
    if (!missing.empty()) {
        const auto job =
            submitScript(extractionScript(a, g, missing, where), "vidrnn-extract.sbatch", {});
        std::printf(
            "submitted extraction job array %s: %d tasks, one shard each of the %s "
            "(logs vidrnn-extract-%s_*.out)\n",
            job.c_str(), a.tasks, where.c_str(), job.c_str());
        dependency = {"--dependency=afterok:" + job, killOnFailure};
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
