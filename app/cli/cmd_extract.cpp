// extract: features for a data set into the cache; predict: one video.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <utility>

#include "commands.h"
#include "progress.h"
#include "vidrnn/errors.h"
#include "vidrnn/experiment.h"
#include "vidrnn/features.h"
#include "vidrnn/runtime.h"

namespace vidrnn::cli {

namespace {

struct ExtractArgs {
    std::string shard;  // "I/N"; empty = every clip
    bool maps = false;
    bool json = false;
};

// "I/N" with 0 <= I < N: digits only, so "-1/2", "1/2x" and "1.5/2" are refused too.
std::pair<int, int> parseShard(const std::string& spec) {
    const auto slash = spec.find('/');
    const auto digits = [](const std::string& t) {
        return !t.empty() && t.size() <= 6 &&
               std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    };
    const std::string i = slash == std::string::npos ? "" : spec.substr(0, slash);
    const std::string n = slash == std::string::npos ? "" : spec.substr(slash + 1);
    if (!digits(i) || !digits(n)) {
        throw ConfigError("--shard '" + spec + "': not I/N (shard I of N, e.g. 0/4)");
    }
    const int index = std::stoi(i), count = std::stoi(n);
    if (count < 1 || index >= count) {
        throw ConfigError("--shard '" + spec + "': shard " + i + " of " + n +
                          " does not exist (I/N needs N >= 1 and 0 <= I < N)");
    }
    return {index, count};
}

void runExtract(const TrainConfig& c, const Globals& g, const ExtractArgs& a) {
    const auto [shard, shards] = a.shard.empty() ? std::pair{0, 1} : parseShard(a.shard);
    ExtractOptions options = extractOptionsFor(c);
    options.shard = shard;
    options.shards = shards;
    options.maps = options.maps || a.maps;
    configureThreads(g.threads);
    ScanOptions so;
    auto ds = scanDataset(c.dataset, so);
    ProgressPrinter printer(g.quiet);
    if (!g.quiet) {
        options.progress = [&printer](const ExtractProgress& p) { printer.extract(p); };
    }
    std::atomic<bool> stop{false};
    options.stop = &stop;
    auto s = extractFeatures(ds, options);
    printer.finish();
    const double framesPerSecond = s.seconds > 0 ? double(s.framesComputed) / s.seconds : 0.0;
    const double backboneFps =
        s.backboneSeconds > 0 ? double(s.framesComputed) / s.backboneSeconds : 0.0;
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& k : ds.skipped) {
        skipped.push_back({{"path", k.path}, {"reason", k.reason}});
    }
    for (const auto& k : s.skipped) {
        skipped.push_back({{"path", k.path}, {"reason", k.reason}});
    }
    nlohmann::json doc = {
        {"shard", {{"index", s.shard}, {"count", s.shards}}},
        {"clips_in_other_shards", s.otherShards},
        {"clips", s.clips},
        {"computed", s.computed},
        {"cached", s.cached},
        {"recomputed", s.recomputed},
        {"skipped", skipped},
        {"frames_computed", s.framesComputed},
        {"seconds", s.seconds},
        {"decode_seconds", s.decodeSeconds},
        {"backbone_seconds", s.backboneSeconds},
        {"frames_per_second", framesPerSecond},
        {"backbone_frames_per_second", backboneFps},
        {"clips_per_second", s.seconds > 0 ? s.computed / s.seconds : 0.0},
        {"cache_dir", s.cacheDir},
        {"backbone",
         {{"name", s.backbone.name},
          {"identity", s.backbone.identity},
          {"pretrained", s.backbone.pretrained},
          {"label", pretrainedLabel(s.backbone)},
          {"kind", s.backbone.spatial ? "map" : "vector"},
          {"channels", s.backbone.channels},
          {"map", {s.backbone.mapHeight, s.backbone.mapWidth}},
          {"batched", s.backbone.batched}}},
    };
    if (a.json) {
        printJson(doc);
        return;
    }
    if (s.shards > 1) {
        std::printf("shard %d/%d (%d of the data set's clips are in other shards): ", s.shard,
                    s.shards, s.otherShards);
    }
    std::printf("%d clips with features (%d computed, %d cached, %d recomputed), %zu skipped\n",
                s.clips, s.computed, s.cached, s.recomputed, skipped.size());
    std::printf("backbone %s, %s %lld%s\n", pretrainedLabel(s.backbone).c_str(),
                s.backbone.spatial ? "maps" : "vectors", (long long)s.backbone.channels,
                s.backbone.spatial ? (" x " + std::to_string(s.backbone.mapHeight) + "x" +
                                      std::to_string(s.backbone.mapWidth))
                                         .c_str()
                                   : "");
    std::printf("%.1f s: %.1f frames/s end to end, %.1f frames/s in the backbone\n", s.seconds,
                framesPerSecond, backboneFps);
    for (const auto& k : skipped) {
        std::printf("skipped %s: %s\n", k["path"].get<std::string>().c_str(),
                    k["reason"].get<std::string>().c_str());
    }
}

struct PredictArgs {
    std::string video;
    std::int64_t run = 0;
    std::string device = "auto";
    std::string checkpoint;  // a file the user names instead of the run's recorded one
    std::string backbone;    // a TorchScript backbone file the user names
    bool json = false;
};

void runPredict(const PredictArgs& a, const Globals& g) {
    configureThreads(g.threads);
    const std::int64_t runId = a.run;
    const bool json = a.json;
    auto store = RunStore::open(resolveStorePath(g.db), RunStore::OpenMode::ReadOnly);
    auto run = store.getRun(runId);
    if (!run) {
        throw ConfigError(store.path() + ": no run " + std::to_string(runId));
    }
    const CheckpointChoice checkpoint = runCheckpoint(store.path(), *run, a.checkpoint);
    PredictOptions options;
    options.device = a.device;
    options.expected = &run->config;
    options.checkpointSha256 = checkpoint.sha256;
    options.backboneFile = a.backbone;
    auto p = predictVideo(checkpoint.path, a.video, options);
    if (json) {
        nlohmann::json frames = nlohmann::json::array();
        for (const auto& f : p.frames) {
            frames.push_back({{"frame", f.frameIndex},
                              {"class", p.classes[static_cast<std::size_t>(f.predicted)]},
                              {"probability", f.probability}});
        }
        printJson({{"video", p.video},
                   {"run_id", runId},
                   {"class", p.classes[static_cast<std::size_t>(p.predicted)]},
                   {"probability", p.probability},
                   {"classes", p.classes},
                   {"probabilities", p.probabilities},
                   {"total_frames", p.totalFrames},
                   {"backbone", pretrainedLabel(p.backbone)},
                   {"frames", frames}});
        return;
    }
    std::printf("%s: %s (%.2f) by run %lld, backbone %s\n", p.video.c_str(),
                p.classes[static_cast<std::size_t>(p.predicted)].c_str(), p.probability,
                (long long)runId, pretrainedLabel(p.backbone).c_str());
    for (const auto& f : p.frames) {
        std::printf("  frame %5d  %-20s %.2f\n", f.frameIndex,
                    p.classes[static_cast<std::size_t>(f.predicted)].c_str(), f.probability);
    }
}

}  // namespace

void addExtractCommands(CLI::App& app, Globals& globals) {
    auto cfg = std::make_shared<TrainConfig>();
    auto ea = std::make_shared<ExtractArgs>();
    auto preset = std::make_shared<std::string>("user");
    auto* extract = app.add_subcommand("extract", "compute per-frame CNN features into the cache");
    addDataOptions(extract, *cfg);
    addPresetOption(extract, *preset);
    extract->add_flag("--json", ea->json, "print counts, skipped clips and timings as JSON");
    extract->add_option("--shard", ea->shard,
                        "I/N: only shard I of N (0 <= I < N): every N-th clip of the data set's "
                        "order (class, group, clip number, path) from the I-th on; N processes, "
                        "one per shard, fill one cache (a cluster's extraction array)");
    extract->add_flag("--maps", ea->maps,
                      "the map form ConvLSTM reads (mobilenet_v2 has two forms, each its own "
                      "cache entry; other backbones keep both in one)");
    extract->callback([extract, cfg, ea, preset, &globals] {
        applyPreset(extract, *preset, {"--frames", "--size", "--backbone"}, *cfg, globals.quiet);
        runExtract(*cfg, globals, *ea);
    });

    auto pa = std::make_shared<PredictArgs>();
    auto* predict = app.add_subcommand(
        "predict",
        "classify a video with a trained run, frame by frame. A checkpoint or TorchScript (.pt) "
        "file is a program: loading one can run its code. The run's checkpoint is loaded from "
        "the store's checkpoint folder only, and only when its sha256 matches the store's "
        "record; a backbone file only when you name it");
    predict->add_option("video", pa->video, "video file")->required();
    predict->add_option("--run", pa->run, "run id")->required();
    predict->add_option("--device", pa->device, "auto|cpu|cuda|cuda:N");
    predict->add_option("--checkpoint", pa->checkpoint,
                        "the run's checkpoint file, named by you and so trusted as yours (one "
                        "moved out of the checkpoint folder, or of a run stored before sha256s "
                        "were recorded)");
    predict->add_option("--backbone", pa->backbone,
                        "the run's TorchScript backbone file, named by you: one named inside a "
                        "checkpoint or a store row is never loaded otherwise");
    predict->add_flag("--json", pa->json, "print JSON");
    predict->callback([pa, &globals] { runPredict(*pa, globals); });
}

}  // namespace vidrnn::cli
