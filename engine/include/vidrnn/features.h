// Per-frame CNN features: backbones and the feature cache.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "vidrnn/backbones.h"
#include "vidrnn/dataset.h"

namespace vidrnn {

// Loads and probes a backbone ("mobilenet_v2", "resnet18" or a TorchScript
// file; `maps` picks mobilenet_v2's map form). Throws ModelError naming the
// file and the reason.
BackboneDescription describeBackbone(const std::string& spec, int imageSize, bool maps = false);

// $VIDRNN_CACHE, else $XDG_CACHE_HOME/vidrnn/features, else ~/.cache/vidrnn/features
// (userCacheDir() + "/features").
std::string defaultCacheDir();

struct ExtractProgress {
    int done = 0;
    int total = 0;
    int computed = 0;
    int cached = 0;
    int skipped = 0;
    double elapsedSeconds = 0;
    double clipsPerSecond = 0;
    double etaSeconds = 0;
};

struct ExtractOptions {
    std::string backbone = kPretrainedBackbone;
    bool maps = false;  // the map form, for backbones that have two (mobilenet_v2)
    int frames = 16;
    int imageSize = 224;
    std::string cacheDir;        // empty = defaultCacheDir()
    std::string device = "cpu";  // resolved device ("cpu", "cuda:0")
    int batchFrames = 64;        // frames per backbone call
    int decodeThreads = 1;       // decoders running beside inference
    // Shard `shard` of `shards` (0 <= shard < shards): only the clips whose
    // index in Dataset::clips (sorted by class, group, clip number, path) is
    // shard modulo shards. Every process that scans the same data set agrees
    // on it, the shards together cover each clip once, and each shard gets a
    // like share of every class.
    int shard = 0;
    int shards = 1;
    std::function<void(const ExtractProgress&)> progress;
    const std::atomic<bool>* stop = nullptr;
};

struct ExtractSummary {
    BackboneDescription backbone;
    std::string cacheDir;  // the folder of this backbone/size/T key
    int shard = 0;         // which shard of how many (ExtractOptions)
    int shards = 1;
    int clips = 0;        // usable clips of the shard with features now
    int otherShards = 0;  // the data set's clips left to the other shards
    int computed = 0;     // decoded and run through the backbone now
    int cached = 0;       // found valid in the cache
    int recomputed = 0;   // cache files found corrupt and recomputed
    std::vector<SkippedClip> skipped;
    std::int64_t framesComputed = 0;
    double seconds = 0;          // wall time
    double decodeSeconds = 0;    // summed over decoder threads
    double backboneSeconds = 0;  // inference only
    bool cancelled = false;
};

// Computes (or finds) features for every clip of the data set (of the shard).
// Resumable: valid cache files are reused. A clip that cannot be decoded is
// skipped with its reason. Several processes may fill one cache folder at
// once (each entry is written whole and renamed into place). Throws
// ModelError for an unusable backbone, ConfigError for a shard that does not
// exist.
ExtractSummary extractFeatures(const Dataset& dataset, const ExtractOptions& options);

struct CacheCoverage {
    std::string cacheDir;  // the folder of this backbone/size/T key
    int clips = 0;         // the data set's clips
    int cached = 0;        // of them with an entry for this key and this very video
};

// How many clips extractFeatures would find done, without decoding a video
// (the backbone is loaded once, for its identity; each entry's header is
// read, not its data: a damaged entry counts here and is recomputed when
// extractFeatures reads it). Throws ModelError for an unusable backbone.
CacheCoverage cacheCoverage(const Dataset& dataset, const ExtractOptions& options);

}  // namespace vidrnn
