// extract, train, sweep, predict, demo: the commands that compute.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>

#include "commands.h"
#include "progress.h"
#include "vidrnn/demo.h"
#include "vidrnn/errors.h"
#include "vidrnn/experiment.h"
#include "vidrnn/models.h"
#include "vidrnn/precision.h"
#include "vidrnn/report.h"
#include "vidrnn/rerun.h"
#include "vidrnn/runtime.h"
#include "vidrnn/splits.h"

namespace vidrnn::cli {

namespace fs = std::filesystem;

namespace {

void addTrainOptions(CLI::App* cmd, TrainConfig& c) {
    cmd->add_option("--arch", c.arch, joinArchNames(architectures(), "|"));
    cmd->add_option("--hidden", c.hidden, "hidden size");
    cmd->add_option("--layers", c.layers, "stacked layers (0 = architecture default)");
    cmd->add_option("--dropout", c.dropout, "dropout before the head");
    addDataOptions(cmd, c);
    cmd->add_option("--split", c.split, "logo|groups|random (random leaks: near-duplicate clips)");
    cmd->add_option("--fold", c.fold, "fold of the split protocol");
    cmd->add_option("--seed", c.seed, "seed for the split, initial weights and shuffling");
    cmd->add_option("--epochs", c.epochs, "maximum epochs");
    cmd->add_option("--batch", c.batch, "batch size");
    cmd->add_option("--lr", c.lr, "Adam learning rate");
    cmd->add_option("--weight-decay", c.weightDecay, "Adam weight decay");
    cmd->add_option("--grad-clip", c.gradClip, "max gradient norm (0 = off)");
    cmd->add_option("--patience", c.patience, "early-stopping patience in epochs (0 = off)");
    addPrecisionOption(cmd, c.precision);
    addInputOption(cmd, c.input);
}

nlohmann::json outcomeJson(const ExperimentResult& r, const TrainConfig& c) {
    nlohmann::json j = {{"run_id", r.runId},
                        {"status", toString(r.status)},
                        {"arch", c.arch},
                        {"hidden", c.hidden},
                        {"layers", effectiveLayers(c)},
                        {"split", c.split},
                        {"fold", c.fold},
                        {"seed", c.seed},
                        {"params", r.outcome.params},
                        {"device", r.outcome.device},
                        {"precision", r.outcome.precision},
                        {"train_seconds", r.outcome.trainSeconds},
                        {"epochs", r.outcome.epochsRun},
                        {"best_epoch", r.outcome.bestEpoch}};
    if (r.status == RunStatus::Completed) {
        j["accuracy"] = r.outcome.test.accuracy;
        j["macro_f1"] = r.outcome.test.macroF1;
        j["test_clips"] = r.outcome.test.total;
    }
    if (!r.message.empty()) {
        j["message"] = r.message;
    }
    return j;
}

ExperimentCallbacks progressCallbacks(const Globals& g, ProgressPrinter& printer) {
    ExperimentCallbacks cb;
    if (g.quiet) {
        return cb;
    }
    cb.onExtract = [&printer](const ExtractProgress& p) { printer.extract(p); };
    cb.onBatch = [&printer](const BatchProgress& p) { printer.batch(p); };
    cb.onEpoch = [&printer](const EpochRecord& e) { printer.epoch(e); };
    return cb;
}

Dataset scanForTraining(const std::string& path, const Globals& g) {
    ScanOptions so;
    so.probe = true;
    so.stop = &stopFlag();
    ProgressPrinter printer(g.quiet);
    so.progress = [&printer](int done, int total) { printer.count("scanning clips", done, total); };
    auto ds = scanDataset(path, so);
    if (ds.clips.empty()) {
        throw DatasetError(path, "no usable clips");
    }
    return ds;
}

void runTrain(TrainConfig c, const Globals& g, bool json) {
    configureThreads(g.threads);
    c.threads = g.threads;
    validate(c);
    checkPrecision(c);
    installStopHandler();
    auto ds = scanForTraining(c.dataset, g);
    const int folds = foldCount(ds, c.split);
    if (c.fold >= folds) {
        throw ConfigError("fold " + std::to_string(c.fold) + " does not exist: " + c.split +
                          " on " + ds.root + " has folds 0.." + std::to_string(folds - 1));
    }
    auto store = RunStore::open(resolveStorePath(g.db));
    ProgressPrinter printer(g.quiet);
    auto cb = progressCallbacks(g, printer);
    auto features = featuresFor(ds, c, cb, stopFlag());
    if (features.cancelled) {
        throw Error("feature extraction cancelled");
    }
    auto r = runExperiment(store, c, ds, features, cb, stopFlag());
    printer.finish();
    if (json) {
        auto j = outcomeJson(r, c);
        j["extract_seconds"] = features.seconds;
        j["backbone"] = pretrainedLabel(features.backbone);
        printJson(j);
    } else {
        std::printf("run %lld %s: %s hidden %d, %lld parameters, %s, %.1f s", (long long)r.runId,
                    toString(r.status), archDisplayName(c.arch).c_str(), c.hidden,
                    (long long)r.outcome.params, r.outcome.precision.c_str(),
                    r.outcome.trainSeconds);
        if (r.status == RunStatus::Completed) {
            std::printf(", accuracy %.3f, macro F1 %.3f on %lld test clips",
                        r.outcome.test.accuracy, r.outcome.test.macroF1,
                        (long long)r.outcome.test.total);
        }
        std::printf("\n");
    }
    if (r.status == RunStatus::Failed) {
        throw TrainingError(r.message);
    }
}

void runRerun(std::int64_t id, bool check, const std::string& precision, const Globals& g,
              bool json) {
    installStopHandler();
    auto store = RunStore::open(resolveStorePath(g.db));
    RerunOptions options;
    options.threads = g.threads;
    options.precision = precision;
    ProgressPrinter printer(g.quiet);
    auto cb = progressCallbacks(g, printer);
    const auto r = rerunExperiment(store, id, options, cb, stopFlag());
    printer.finish();
    requireCompletedRerun(id, r);
    if (!check) {
        if (json) {
            printJson({{"run_id", r.runId}, {"rerun_of", id}});
        } else {
            std::printf("run %lld: rerun of run %lld, accuracy %.3f\n", (long long)r.runId,
                        (long long)id, r.outcome.test.accuracy);
        }
        return;
    }
    const RerunCheck c = checkRerun(store, id, r.runId);
    if (json) {
        printJson({{"run_id", r.runId},
                   {"rerun_of", id},
                   {"identical", c.identical()},
                   {"differences", c.differences},
                   {"provenance_differences", c.provenance}});
    } else {
        std::cout << formatRerunCheck(c);
    }
}

}  // namespace

void addRerunCommand(CLI::App& app, Globals& globals) {
    CLI::App* runs = nullptr;
    for (CLI::App* sub : app.get_subcommands({})) {
        if (sub->get_name() == "runs") {
            runs = sub;
        }
    }
    if (!runs) {
        return;
    }
    struct Args {
        std::int64_t id = 0;
        bool check = false;
        bool json = false;
        std::string precision;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = runs->add_subcommand(
        "rerun",
        "train a run again from its stored record (same data, settings, seed, threads and "
        "precision) into a new run; --check compares the two bit for bit");
    cmd->add_option("id", a->id, "run id")->required();
    cmd->add_flag("--check", a->check,
                  "compare every epoch, the test metrics and the confusion matrix with the "
                  "original and print 'identical' or the differences and the provenance that "
                  "differs");
    cmd->add_option("--precision", a->precision,
                    "fp32|bf16 instead of the run's (to see what precision changes)")
        ->check(CLI::IsMember({"fp32", "bf16"}));
    cmd->add_flag("--json", a->json, "print JSON");
    cmd->callback([a, &globals] { runRerun(a->id, a->check, a->precision, globals, a->json); });
}

void addDataOptions(CLI::App* cmd, TrainConfig& c) {
    cmd->add_option("data,--data", c.dataset,
                    "data set folder (UCF11, class folders) or CSV manifest")
        ->required();
    cmd->add_option("--frames", c.frames, "frames sampled per clip (T)");
    cmd->add_option("--size", c.imageSize, "backbone input size in pixels");
    cmd->add_option("--backbone", c.backbone,
                    "'mobilenet_v2' (default: bundled, ImageNet-pretrained), 'resnet18' "
                    "(built-in, not pretrained) or a TorchScript file (a .pt file is a "
                    "program: loading it runs its code; name only files you trust)");
    cmd->add_option("--cache", c.cacheDir, "feature cache folder (default: XDG cache)");
    cmd->add_option("--device", c.device, "auto|cpu|cuda|cuda:N");
}

namespace {

std::string settingText(int v) {
    return std::to_string(v);
}
std::string settingText(const std::string& v) {
    return v;
}
std::string settingText(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", v);
    return buffer;
}

struct Setting {
    std::function<std::string(const TrainConfig&)> text;
    std::function<void(TrainConfig&, const TrainConfig&)> take;
};

template <typename T>
Setting setting(T TrainConfig::*member) {
    return {[member](const TrainConfig& c) { return settingText(c.*member); },
            [member](TrainConfig& c, const TrainConfig& from) { c.*member = from.*member; }};
}

const std::map<std::string, Setting>& settings() {
    static const std::map<std::string, Setting> table{
        {"--arch", setting(&TrainConfig::arch)},
        {"--hidden", setting(&TrainConfig::hidden)},
        {"--frames", setting(&TrainConfig::frames)},
        {"--size", setting(&TrainConfig::imageSize)},
        {"--backbone", setting(&TrainConfig::backbone)},
        {"--split", setting(&TrainConfig::split)},
        {"--fold", setting(&TrainConfig::fold)},
        {"--seed", setting(&TrainConfig::seed)},
        {"--epochs", setting(&TrainConfig::epochs)},
        {"--batch", setting(&TrainConfig::batch)},
        {"--lr", setting(&TrainConfig::lr)},
        {"--patience", setting(&TrainConfig::patience)},
        {"--device", setting(&TrainConfig::device)},
    };
    return table;
}

}  // namespace

const std::vector<std::string>& trainSettingOptions() {
    static const std::vector<std::string> options{
        "--arch",  "--hidden", "--frames",   "--size", "--split",    "--fold",  "--epochs",
        "--batch", "--lr",     "--patience", "--seed", "--backbone", "--device"};
    return options;
}

void addPresetOption(CLI::App* cmd, std::string& preset) {
    std::string names;
    for (const auto& n : presetNames()) {
        names += (names.empty() ? "" : "|") + n;
    }
    cmd->add_option("--preset", preset,
                    names +
                        ": settings not given start from vidrnn's defaults for user data "
                        "(user) or the demo's (demo: as vidrnn demo runs)")
        ->check(CLI::IsMember(presetNames()))
        ->capture_default_str();
}

void applyPreset(const CLI::App* cmd, const std::string& preset,
                 const std::vector<std::string>& options, TrainConfig& config, bool quiet) {
    const TrainConfig from = withPreset(preset, TrainConfig{});
    std::string defaulted;
    for (const auto& name : options) {
        const auto* option = cmd->get_option_no_throw(name);
        const auto it = settings().find(name);
        if (!option || option->count() > 0 || it == settings().end()) {
            continue;
        }
        it->second.take(config, from);
        defaulted +=
            (defaulted.empty() ? "" : ", ") + name.substr(2) + " " + it->second.text(config);
    }
    if (!quiet && !defaulted.empty()) {
        std::fprintf(stderr, "%s: not given, from preset %s%s: %s\n", cmd->get_name().c_str(),
                     preset.c_str(),
                     preset == "user" ? " (vidrnn's defaults; --preset demo for the demo's)" : "",
                     defaulted.c_str());
    }
}

void addPrecisionOption(CLI::App* cmd, std::string& precision) {
    cmd->add_option("--precision", precision,
                    "fp32|bf16|auto: bf16 convolutions and products where the CPU has native "
                    "bf16; auto = bf16 where measured faster (vidrnn info: "
                    "auto_bf16_from_hidden), else fp32");
}

void addInputOption(CLI::App* cmd, std::string& input) {
    cmd->add_option("--input", input,
                    "appearance|motion: what the model reads per step; motion = the backbone's "
                    "features followed by their change since the step before (x_t - x_t-1), "
                    "from the same cached features")
        ->check(CLI::IsMember({"appearance", "motion"}));
}

void checkPrecision(const TrainConfig& c) {
    resolvePrecision(c.precision, c.arch, c.hidden, resolveDevice(c.device));
}

void addTrainCommands(CLI::App& app, Globals& globals) {
    auto cfg = std::make_shared<TrainConfig>();
    auto json = std::make_shared<bool>(false);
    auto preset = std::make_shared<std::string>("user");
    auto* train = app.add_subcommand("train", "train one model and store the run");
    addTrainOptions(train, *cfg);
    addPresetOption(train, *preset);
    train->add_flag("--json", *json, "print the result as JSON");
    train->callback([train, cfg, json, preset, &globals] {
        applyPreset(train, *preset, trainSettingOptions(), *cfg, globals.quiet);
        runTrain(*cfg, globals, *json);
    });
}

}  // namespace vidrnn::cli
