// sweep: a grid of runs over one data set, resumable, by one process or many
// workers (--worker, --slurm); demo: the main job.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>

#include "commands.h"
#include "progress.h"
#include "slurm.h"
#include "vidrnn/compare.h"
#include "vidrnn/demo.h"
#include "vidrnn/errors.h"
#include "vidrnn/experiment.h"
#include "vidrnn/models.h"
#include "vidrnn/report.h"
#include "vidrnn/runtime.h"
#include "vidrnn/splits.h"
#include "vidrnn/sweep.h"
#include "vidrnn/sweepprogress.h"
#include "vidrnn/textwidth.h"

namespace vidrnn::cli {

namespace {

struct SweepArgs {
    TrainConfig base;
    std::vector<std::string> archs;
    std::vector<int> hidden;
    std::vector<std::string> folds{"0"};
    int seeds = 1;
    bool resume = false;
    std::int64_t sweepId = 0;
    // A worker joins the grid's sweep (or starts it) and claims cells until
    // none is left, waiting for cells others train (a dead worker's cell
    // comes back when its lease runs out).
    bool worker = false;
    int leaseSeconds = 0;  // 0 = the store's default
    int maxAttempts = 3;
    // --slurm N: an sbatch job array of N identical workers instead.
    int slurm = 0;
    std::vector<std::string> slurmOptions;
    bool dryRun = false;
    bool json = false;
    // The grid from the scanned data and the base instead of archs,
    // hidden, folds and seeds (the demo's: demoSweepGrid).
    std::function<SweepGrid(const TrainConfig& base, const Dataset& dataset)> grid;
};

// "all", or fold numbers (split at commas or given as separate values).
std::vector<int> parseFolds(const std::vector<std::string>& items, int available) {
    std::vector<int> folds;
    if (items.size() == 1 && items[0] == "all") {
        for (int k = 0; k < available; ++k) {
            folds.push_back(k);
        }
        return folds;
    }
    for (const auto& item : items) {
        int k = -1;
        try {
            k = std::stoi(item);
        } catch (const std::exception&) {
            throw ConfigError("--folds: '" + item + "' is not a fold number (use all or K,K,...)");
        }
        if (k < 0 || k >= available) {
            throw ConfigError("fold " + std::to_string(k) + " does not exist (folds 0.." +
                              std::to_string(available - 1) + ")");
        }
        folds.push_back(k);
    }
    return folds;
}

// One line per cell this process attempted, and for a lone process per
// cell found done or given up before (a worker prints only its own cells:
// the others' would come in as they finish them).
void printCell(const SweepCellReport& cell, int cells) {
    const TrainConfig& c = *cell.config;
    const ExperimentResult& r = cell.result;
    std::fprintf(stderr, "[%d/%d] %s h%d fold %d seed %d: run %lld ", cell.index, cells,
                 c.arch.c_str(), c.hidden, c.fold, c.seed, (long long)r.runId);
    if (r.skipped) {
        std::fprintf(stderr, "%s\n",
                     r.status == RunStatus::Completed ? "done before"
                                                      : ("given up before: " + r.message).c_str());
    } else if (r.status == RunStatus::Completed) {
        std::fprintf(stderr, "accuracy %.3f macro F1 %.3f, %s, %.1f s\n", r.outcome.test.accuracy,
                     r.outcome.test.macroF1, r.outcome.precision.c_str(), r.outcome.trainSeconds);
    } else if (r.leaseLost) {
        std::fprintf(stderr, "left to another worker: %s\n", r.message.c_str());
    } else if (r.status == RunStatus::Failed) {
        std::fprintf(stderr, "failed (attempt %d): %s\n", r.attempt, r.message.c_str());
    } else {
        std::fprintf(stderr, "%s\n", r.message.c_str());
    }
}

struct SweepOutcome {
    std::int64_t id = 0;
    // This process ended the sweep, or ran it alone: it prints the report.
    bool reports = true;
};

// Runs (or resumes, or joins as a worker) a sweep.
SweepOutcome runSweep(SweepArgs a, const Globals& g) {
    configureThreads(g.threads);
    // Provenance only: each run records the threads it trained with; the
    // sweep's identity leaves them out (sweepSpecJson).
    a.base.threads = g.threads > 0 ? g.threads : allottedCores();
    if (a.archs.empty()) {
        a.archs = defaultSweepArchs();
    }
    if (a.hidden.empty()) {
        a.hidden = defaultSweepHidden();
    }
    validate(a.base);
    for (const auto& arch : a.archs) {
        TrainConfig c = a.base;
        c.arch = arch;
        validate(c);
        checkPrecision(c);
    }
    installStopHandler();

    ScanOptions so;
    so.stop = &stopFlag();
    auto ds = scanDataset(a.base.dataset, so);
    if (ds.clips.empty()) {
        throw DatasetError(a.base.dataset, "no usable clips");
    }
    const SweepGrid grid =
        a.grid ? a.grid(a.base, ds)
               : SweepGrid{a.base, a.archs, a.hidden,
                           parseFolds(a.folds, foldCount(ds, a.base.split)), a.seeds};
    // Before the sweep is opened: nothing after it may throw outside
    // workSweep, which ends a lone process's sweep when it does.
    const auto cells = sweepCells(grid);
    RunStore::Options storeOptions;
    if (a.leaseSeconds > 0) {
        storeOptions.heartbeatTimeout = std::chrono::seconds(a.leaseSeconds);
    }
    storeOptions.maxAttempts = a.maxAttempts;
    auto store = RunStore::open(resolveStorePath(g.db), storeOptions);
    const std::int64_t sweepId = openSweep(store, sweepSpecJson(grid), ds.root,
                                           a.worker   ? SweepOpen::Join
                                           : a.resume ? SweepOpen::Resume
                                                      : SweepOpen::New,
                                           a.sweepId);

    ProgressPrinter printer(g.quiet);
    ExperimentCallbacks cb;
    if (!g.quiet) {
        cb.onExtract = [&printer](const ExtractProgress& p) { printer.extract(p); };
        cb.onBatch = [&printer](const BatchProgress& p) { printer.batch(p); };
    }
    FeatureSets features(ds, cb, stopFlag());
    SweepWork work;
    work.wait = a.worker;
    work.attempt = [&](int, const TrainConfig& c) {
        auto r = runExperiment(store, c, ds, features.forConfig(c), cb, stopFlag(), sweepId);
        printer.finish();
        return r;
    };
    if (!g.quiet) {
        const int n = static_cast<int>(cells.size());
        work.onCell = [n](const SweepCellReport& cell) { printCell(cell, n); };
        if (!a.worker) {
            work.onSettled = work.onCell;
        }
        work.onWait = [sweepId](int held, double nextExpiry) {
            std::fprintf(stderr,
                         "sweep %lld: nothing to claim; %d cell%s held by other workers (the "
                         "first lease runs out in %.0f s unless renewed)\n",
                         (long long)sweepId, held, held == 1 ? "" : "s", nextExpiry);
        };
    }
    const SweepEnd end = workSweep(store, sweepId, cells, work, stopFlag());
    if (stopFlag()) {
        throw Error("sweep " + std::to_string(sweepId) +
                    (a.worker ? ": worker stopped; its cell is left to the other workers"
                              : " cancelled; resume with --resume"));
    }
    if (!g.quiet) {
        if (end.finished) {
            std::fprintf(
                stderr, "sweep %lld completed%s: %d cells, %d done, %d failed\n",
                (long long)sweepId,
                end.failed ? (" with " + std::to_string(end.failed) + " failed").c_str() : "",
                end.cells, end.done, end.failed);
        } else {
            std::fprintf(stderr, "sweep %lld: %d of %d cells done; the rest are held elsewhere\n",
                         (long long)sweepId, end.done, end.cells);
        }
    }
    // Of workers, only the one that ended the sweep prints its report.
    return {sweepId, !a.worker || end.ended};
}

// The sweep's runs and the study's reference rows, for the report (the 16
// reference rows by their kind, not by reading every run).
std::vector<RunRecord> sweepRunsWithReference(const RunStore& store, std::int64_t sweepId) {
    auto runs = store.sweepRuns(sweepId);
    RunQuery reference;
    reference.filter.kind = RunKind::Reference;
    reference.withoutConfigJson = true;
    for (auto& r : store.queryRuns(reference)) {
        runs.push_back(std::move(r));
    }
    return runs;
}

RunStore openForReport(const Globals& g) {
    return RunStore::open(resolveStorePath(g.db), RunStore::OpenMode::ReadOnly);
}

void printSweepReport(const RunStore& store, std::int64_t sweepId, const std::string& format) {
    const auto runs = sweepRunsWithReference(store, sweepId);
    Report report = buildReport(runs);
    noteFailedRuns(report, runs);
    addClassOrder(report, store);
    std::cout << formatReport(report, reportFormatFromString(format));
}

// Per-class F1 of the demo's temporal-order pair, per architecture (mean over
// the sweep's runs): what recurrence adds over the order-blind mean_pool.
nlohmann::json pairTable(const RunStore& store, std::int64_t sweepId) {
    struct Acc {
        double forward = 0, reversed = 0;
        int n = 0;
    };
    std::map<std::string, Acc> byArch;
    for (const auto& run : store.sweepRuns(sweepId)) {
        if (run.status != RunStatus::Completed) {
            continue;
        }
        std::optional<double> fwd, rev;
        for (const auto& c : store.classMetrics(run.id)) {
            if (c.name == kDemoForwardClass)
                fwd = c.metrics.f1;
            if (c.name == kDemoReversedClass)
                rev = c.metrics.f1;
        }
        auto& a = byArch[run.arch];
        a.forward += fwd.value_or(0.0);
        a.reversed += rev.value_or(0.0);
        ++a.n;
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& arch : defaultSweepArchs()) {
        auto it = byArch.find(arch);
        if (it == byArch.end() || it->second.n == 0) {
            continue;
        }
        const auto& a = it->second;
        rows.push_back({{"arch", arch},
                        {"runs", a.n},
                        {std::string(kDemoForwardClass) + "_f1", a.forward / a.n},
                        {std::string(kDemoReversedClass) + "_f1", a.reversed / a.n},
                        {"pair_f1", (a.forward + a.reversed) / (2.0 * a.n)}});
    }
    return rows;
}

void printPairTable(const nlohmann::json& rows) {
    std::printf(
        "\ntemporal-order pair: %s is %s played backwards (per-class F1, mean over hidden "
        "sizes)\n",
        kDemoReversedClass, kDemoForwardClass);
    std::printf("%-28s %4s %10s %20s %8s\n", "type", "runs", kDemoForwardClass, kDemoReversedClass,
                "pair");
    for (const auto& r : rows) {
        std::printf("%-28s %4d %10.3f %20.3f %8.3f\n",
                    archDisplayName(r["arch"].get<std::string>()).c_str(), r["runs"].get<int>(),
                    r[std::string(kDemoForwardClass) + "_f1"].get<double>(),
                    r[std::string(kDemoReversedClass) + "_f1"].get<double>(),
                    r["pair_f1"].get<double>());
    }
}

// Mean early-classification accuracy of each report row at a quarter, half,
// three quarters and all of the clip.
std::string earlySummary(const Report& report, const RunStore& store) {
    std::ostringstream out;
    out << "\nearly classification: test accuracy having seen part of each clip (mean over the "
           "row's runs)\n";
    char line[256];
    std::snprintf(line, sizeof line, "%-5s %-28s %7s %7s %7s %7s\n", "row", "type", "25%", "50%",
                  "75%", "100%");
    out << line;
    for (const ReportRow& row : report.rows) {
        if (row.reference)
            continue;
        double at[4] = {0, 0, 0, 0};
        int n = 0;
        for (std::int64_t id : row.runIds) {
            const auto curve = store.earlyCurve(id);
            if (curve.empty())
                continue;
            for (int q = 0; q < 4; ++q) {
                // The first point at or past the quarter.
                const double f = (q + 1) / 4.0;
                auto it = std::find_if(curve.begin(), curve.end(),
                                       [f](const EarlyPoint& p) { return p.fraction >= f - 1e-9; });
                at[q] += (it == curve.end() ? curve.back() : *it).accuracy;
            }
            ++n;
        }
        const std::string type = row.type + " " + std::to_string(row.hidden);
        if (n == 0) {
            std::snprintf(line, sizeof line, "%-5s %-28s %s\n", row.id.c_str(), type.c_str(),
                          "(no curve: bilstm, or runs stored before schema 6)");
        } else {
            std::snprintf(line, sizeof line, "%-5s %-28s %7.3f %7.3f %7.3f %7.3f\n", row.id.c_str(),
                          type.c_str(), at[0] / n, at[1] / n, at[2] / n, at[3] / n);
        }
        out << line;
    }
    return out.str();
}

// The study protocol: every fold of the split (LOGO: one per group) x seeds
// for each configuration, then the table with 95% intervals and each row
// paired against the best one (Holm over the table).
void runStudy(SweepArgs a, const Globals& g, bool json) {
    const auto start = std::chrono::steady_clock::now();
    const auto id = runSweep(std::move(a), g).id;
    const auto store = openForReport(g);
    auto runs = sweepRunsWithReference(store, id);
    runs.erase(std::remove_if(runs.begin(), runs.end(),
                              [](const RunRecord& r) { return r.kind == RunKind::Reference; }),
               runs.end());
    const Report report = buildReport(runs, ReportOptions{false});
    const auto pairs = compareAgainstBest(report);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (json) {
        auto doc = nlohmann::json::parse(formatReport(report, ReportFormat::Json));
        doc["comparisons"] =
            nlohmann::json::parse(formatComparisons(pairs, ReportFormat::Json))["comparisons"];
        doc["sweep_id"] = id;
        doc["wall_seconds"] = seconds;
        printJson(doc);
        return;
    }
    std::cout << "study (sweep " << id << ")\n\n"
              << formatReport(report, ReportFormat::Table) << "\npaired against the best row:\n"
              << formatComparisons(pairs, ReportFormat::Table) << earlySummary(report, store);
    std::printf("\nwall time: %.0f s\n", seconds);
}

// The options a preset fills in unless given.
const std::vector<std::string> kPresetOptions{"--frames", "--size",  "--backbone", "--split",
                                              "--epochs", "--batch", "--lr",       "--patience",
                                              "--seed",   "--device"};

// What a grid of runs is made of, shared by sweep and study.
void addGridOptions(CLI::App* cmd, SweepArgs& a, std::string& preset, const char* foldsHelp,
                    const char* seedsHelp) {
    addDataOptions(cmd, a.base);
    addPresetOption(cmd, preset);
    addListOption(cmd, "--archs", a.archs,
                  "architectures, by spaces or commas (default: " +
                      joinArchNames(defaultSweepArchs(), " ") + ")");
    addListOption(cmd, "--hidden", a.hidden, "hidden sizes (default: 64 128 256 512)");
    addListOption(cmd, "--folds", a.folds, foldsHelp);
    cmd->add_option("--seeds", a.seeds, seedsHelp)->check(CLI::PositiveNumber);
    cmd->add_option("--seed", a.base.seed, "first seed");
    cmd->add_option("--split", a.base.split, "logo|groups|random");
    cmd->add_option("--epochs", a.base.epochs, "maximum epochs");
    cmd->add_option("--batch", a.base.batch, "batch size");
    cmd->add_option("--lr", a.base.lr, "Adam learning rate");
    cmd->add_option("--patience", a.base.patience, "early-stopping patience");
    addPrecisionOption(cmd, a.base.precision);
    addInputOption(cmd, a.base.input);
}

// `sweep status`: cells done, running (where), queued and failed (why),
// and cells whose holder's lease ran out (stale: claimable again).
void printSweepStatus(std::int64_t sweepId, int leaseSeconds, const Globals& g) {
    RunStore::Options options;
    options.mode = RunStore::OpenMode::ReadOnly;
    options.heartbeatTimeout = std::chrono::seconds(leaseSeconds);
    const auto store = RunStore::open(resolveStorePath(g.db), options);
    const auto progress = sweepProgress(store, sweepId);
    if (!progress && sweepId == 0) {
        // Workers just submitted have not started the sweep yet.
        std::printf("no sweep in %s yet\n", store.path().c_str());
        return;
    }
    if (!progress) {
        throw ConfigError(store.path() + ": no sweep " + std::to_string(sweepId));
    }
    const auto& p = *progress;
    std::printf("sweep %lld (%s): %d cells: %d done, %d running, %d queued, %d failed",
                (long long)p.sweep.id, p.sweep.status.c_str(), p.cells, p.done, p.running, p.queued,
                p.failed);
    std::printf(p.stale ? ", %d stale (lease ran out)\n" : "\n", p.stale);
    const auto header = [](const char* last) {
        std::printf("%6s  %-10s %6s %4s %4s  %-20s %8s  %-12s %s\n", "run", "arch", "hidden",
                    "fold", "seed", "host", "pid", "slurm job", last);
    };
    // Store text, escaped for the terminal.
    const auto row = [](const RunRecord& r, const std::string& last) {
        std::printf("%6lld  %-10s %6d %4d %4d  %-20s %8lld  %-12s %s\n", (long long)r.id,
                    escapeControl(r.arch).c_str(), r.hidden, r.fold.value_or(0), r.seed.value_or(0),
                    escapeControl(r.ownerHost).c_str(), (long long)r.ownerPid.value_or(0),
                    r.ownerJob.empty() ? "-" : escapeControl(r.ownerJob).c_str(),
                    escapeControl(last).c_str());
    };
    if (!p.runningRuns.empty()) {
        std::printf("\nrunning:\n");
        header("heartbeat");
    }
    for (const auto& r : p.runningRuns) {
        row(r, r.heartbeatAt);
    }
    if (!p.staleRuns.empty()) {
        std::printf("\nstale (the holder's lease ran out; the next worker claims it again):\n");
        header("lease ran out");
    }
    for (std::size_t i = 0; i < p.staleRuns.size(); ++i) {
        row(p.staleRuns[i], std::to_string(static_cast<long long>(p.staleSeconds[i])) + " s ago");
    }
    if (!p.failedRuns.empty()) {
        std::printf("\nfailed:\n");
        header("attempts: reason");
    }
    for (const auto& r : p.failedRuns) {
        row(r, std::to_string(r.attempts) + ": " + r.message);
    }
}

}  // namespace

void addSweepCommands(CLI::App& app, Globals& globals) {
    auto a = std::make_shared<SweepArgs>();
    auto preset = std::make_shared<std::string>("user");
    auto* sweep = app.add_subcommand("sweep", "train a grid of runs (default: the study's grid)");
    addGridOptions(sweep, *a, *preset, "all, or fold numbers (default: 0)",
                   "seeds per cell, from --seed on");
    sweep->add_flag("--resume", a->resume, "finish the newest unfinished sweep of this grid");
    sweep->add_option("--sweep", a->sweepId, "resume this sweep id");
    sweep->add_flag("--json", a->json, "print the sweep's report as JSON");
    sweep->add_flag("--worker", a->worker,
                    "join the grid's sweep (or start it) and claim cells until none is left, "
                    "waiting for cells other workers train (for many workers on one store)");
    sweep
        ->add_option("--lease", a->leaseSeconds,
                     "seconds without a heartbeat after which a cell's lease runs out and "
                     "another worker claims it (default 120)")
        ->check(CLI::PositiveNumber);
    sweep
        ->add_option("--max-attempts", a->maxAttempts,
                     "claims of a cell before it is given up as failed with its last reason "
                     "(default 3)")
        ->check(CLI::PositiveNumber);
    sweep
        ->add_option("--slurm", a->slurm,
                     "submit an sbatch job array of N identical workers instead (each claims "
                     "cells until none is left; needs a postgresql:// store), after an "
                     "extraction array of N tasks that shards the clips' features into the "
                     "cache (none when the cache holds them all)")
        ->check(CLI::PositiveNumber);
    sweep->add_option("--slurm-opt", a->slurmOptions,
                      "an #SBATCH option for both job arrays, e.g. --slurm-opt=--time=4:00:00 "
                      "(repeatable)");
    sweep->add_flag("--dry-run", a->dryRun,
                    "with --slurm: print the sbatch scripts, submit nothing");
    // `sweep status` reads a store; the grid's --data is required only to run one.
    sweep->get_option("--data")->required(false);
    auto statusSweep = std::make_shared<std::int64_t>(0);
    auto statusLease = std::make_shared<int>(120);
    auto* status = sweep->add_subcommand(
        "status",
        "a sweep's cells: done, running (host, pid, Slurm job), queued, failed (with the reason) "
        "and stale (running, but the lease ran out)");
    status->add_option("--sweep", *statusSweep, "sweep id (default: the newest)");
    status->add_option("--lease", *statusLease, "the workers' --lease, in seconds (default 120)")
        ->check(CLI::PositiveNumber);
    status->callback([statusSweep, statusLease, &globals] {
        printSweepStatus(*statusSweep, *statusLease, globals);
    });
    sweep->callback([sweep, status, a, preset, &globals] {
        if (status->parsed()) {
            return;
        }
        if (a->base.dataset.empty()) {
            throw CLI::RequiredError("--data");
        }
        applyPreset(sweep, *preset, kPresetOptions, a->base, globals.quiet);
        if (a->slurm > 0) {
            SlurmSweep job;
            job.base = a->base;
            job.archs = a->archs;
            job.tasks = a->slurm;
            job.options = a->slurmOptions;
            job.dryRun = a->dryRun;
            submitToSlurm(job, globals);
            return;
        }
        const auto outcome = runSweep(*a, globals);
        if (outcome.reports) {
            printSweepReport(openForReport(globals), outcome.id, a->json ? "json" : "table");
        }
    });

    auto s = std::make_shared<SweepArgs>();
    s->folds = {"all"};
    s->seeds = 2;
    auto studyPreset = std::make_shared<std::string>("user");
    auto* study = app.add_subcommand(
        "study",
        "the study protocol in one command: every fold (logo: leave one group out) x seeds for "
        "the chosen configurations, the table with 95% intervals, paired tests against the best "
        "row (Holm) and early-classification accuracy");
    addGridOptions(study, *s, *studyPreset, "all (default), or fold numbers",
                   "seeds per fold (default 2)");
    study->add_flag("--json", s->json, "print the table and the comparisons as JSON");
    study->callback([study, s, studyPreset, &globals] {
        applyPreset(study, *studyPreset, kPresetOptions, s->base, globals.quiet);
        SweepArgs args = *s;
        args.resume = true;
        runStudy(args, globals, s->json);
    });

    struct DemoArgs {
        std::string out = "demo-data";
        std::string preset = "small";
        std::uint64_t seed = 0;
        int epochs = withPreset("demo", {}).epochs;
        int size = withPreset("demo", {}).imageSize;
        std::string backbone = withPreset("demo", {}).backbone;  // docs/models.md says why
        std::string cache;
        std::string precision = "auto";
        bool json = false;
        bool study = false;
    };
    auto d = std::make_shared<DemoArgs>();
    auto* demo = app.add_subcommand(
        "demo", "the main job headless: demo data, features, the default sweep, the report");
    demo->add_option("--out", d->out, "demo data folder (generated when missing)");
    demo->add_option("--preset", d->preset, "small|full|tiny");
    demo->add_option("--seed", d->seed, "demo generator seed");
    demo->add_option("--epochs", d->epochs, "maximum epochs per run");
    demo->add_option("--size", d->size, "backbone input size");
    demo->add_option("--backbone", d->backbone,
                     "resnet18 (default for the demo), mobilenet_v2 or a TorchScript file");
    demo->add_option("--cache", d->cache, "feature cache folder (default: XDG cache)");
    demo->add_flag("--json", d->json, "print the report as JSON");
    demo->add_flag("--study", d->study,
                   "the study protocol on the demo data instead of the grid: leave one group out "
                   "(5 folds) x 2 seeds for LSTM, GRU, deep LSTM and mean_pool at hidden 64 and "
                   "128 (80 runs), paired tests against the best row, early classification");
    addPrecisionOption(demo, d->precision);
    demo->callback([d, &globals] {
        DemoOptions o;
        o.outDir = d->out;
        o.preset = d->preset;
        o.seed = d->seed;
        o.stop = &stopFlag();
        ProgressPrinter printer(globals.quiet);
        o.progress = [&printer](int done, int total) { printer.count("demo clips", done, total); };
        const auto demoSummary = generateDemo(o);
        if (!globals.quiet) {
            std::fprintf(stderr, "demo data: %s (%d clips, %s)%s\n", demoSummary.outDir.c_str(),
                         demoSummary.clips, demoSummary.reversedPair.c_str(),
                         demoSummary.reused ? ", reused" : "");
        }
        SweepArgs args;
        args.base = withPreset("demo", args.base);
        args.base.dataset = demoSummary.outDir;
        args.base.backbone = d->backbone;
        args.base.imageSize = d->size;
        args.base.cacheDir = d->cache;
        args.base.epochs = d->epochs;
        args.base.precision = d->precision;
        args.resume = true;
        // The workbench's Reproduce the study queues the same grid. The
        // protocol's is sized for two shared cores (docs/methodology.md,
        // "The study protocol"); ConvLSTM and BiLSTM would triple it.
        args.grid = [study = d->study](const TrainConfig& base, const Dataset& ds) {
            return demoSweepGrid(base, ds, study);
        };
        if (d->study) {
            runStudy(args, globals, d->json);
            return;
        }
        const auto id = runSweep(args, globals).id;
        const auto store = openForReport(globals);
        if (d->json) {
            auto report = nlohmann::json::parse(
                formatReport(buildReport(sweepRunsWithReference(store, id)), ReportFormat::Json));
            report["temporal_pair"] = pairTable(store, id);
            report["sweep_id"] = id;
            printJson(report);
        } else {
            printSweepReport(store, id, "table");
            printPairTable(pairTable(store, id));
        }
    });
}

}  // namespace vidrnn::cli
