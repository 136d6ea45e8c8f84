// Feature extraction: decoders run beside inference, feeding a bounded queue;
// the backbone sees batches of frames from several clips; each clip's features
// land in one cache file.
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "data/decode.h"
#include "ml/backbone.h"
#include "ml/featurecache.h"
#include "util/featurefile.h"
#include "util/jsontext.h"
#include "util/util.h"
#include "vidrnn/errors.h"
#include "vidrnn/features.h"

namespace vidrnn {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct SourceStamp {
    std::uint64_t size = 0;
    std::int64_t mtime = 0;
};

SourceStamp stampOf(const std::string& path) {
    std::error_code ec;
    SourceStamp s;
    s.size = fs::file_size(path, ec);
    auto t = fs::last_write_time(path, ec);
    s.mtime = ec ? 0 : static_cast<std::int64_t>(t.time_since_epoch().count());
    return s;
}

// Decoded frames of one clip, or the reason it cannot be used.
struct Work {
    std::size_t clip = 0;
    data::DecodedClip decoded;
    std::string error;
};

class WorkQueue {
public:
    explicit WorkQueue(std::size_t capacity) : mCapacity(capacity) {}
    void push(Work w) {
        std::unique_lock lock(mMutex);
        mNotFull.wait(lock, [&] { return mItems.size() < mCapacity; });
        mItems.push_back(std::move(w));
        mNotEmpty.notify_one();
    }
    // Empty optional when every producer is done and the queue is drained.
    std::optional<Work> pop() {
        std::unique_lock lock(mMutex);
        mNotEmpty.wait(lock, [&] { return !mItems.empty() || mProducers == 0; });
        if (mItems.empty()) {
            return std::nullopt;
        }
        Work w = std::move(mItems.front());
        mItems.pop_front();
        mNotFull.notify_one();
        return w;
    }
    void setProducers(int n) {
        std::lock_guard lock(mMutex);
        mProducers = n;
    }
    void producerDone() {
        std::lock_guard lock(mMutex);
        --mProducers;
        mNotEmpty.notify_all();
    }
    // Lets blocked producers finish when the consumer gives up.
    void drainForever() {
        std::lock_guard lock(mMutex);
        mCapacity = SIZE_MAX;
        mNotFull.notify_all();
    }

private:
    std::mutex mMutex;
    std::condition_variable mNotFull, mNotEmpty;
    std::deque<Work> mItems;
    std::size_t mCapacity;
    int mProducers = 0;
};

void writeClip(const std::string& file, const torch::Tensor& maps, std::int64_t totalFrames,
               int frames, std::uint64_t key, const SourceStamp& stamp, bool spatial) {
    cache::FeatureFile out;
    auto& h = out.header;
    h.length = static_cast<std::uint32_t>(maps.size(0));
    h.frames = static_cast<std::uint32_t>(frames);
    h.key = key;
    h.sourceSize = stamp.size;
    h.sourceMtime = stamp.mtime;
    h.totalFrames = totalFrames;
    auto vectors = maps.mean({2, 3}).contiguous().cpu();
    h.dim = static_cast<std::uint32_t>(vectors.size(1));
    out.vectors.resize(static_cast<std::size_t>(vectors.numel()));
    std::memcpy(out.vectors.data(), vectors.data_ptr<float>(), out.vectors.size() * sizeof(float));
    if (spatial) {
        auto half = maps.to(torch::kHalf).contiguous().cpu();
        h.channels = static_cast<std::uint32_t>(maps.size(1));
        h.height = static_cast<std::uint32_t>(maps.size(2));
        h.width = static_cast<std::uint32_t>(maps.size(3));
        out.maps.resize(static_cast<std::size_t>(half.numel()));
        std::memcpy(out.maps.data(), half.data_ptr(), out.maps.size() * sizeof(std::uint16_t));
    }
    cache::writeFeatureFile(file, out);
}

// Whether an entry's header says it holds this key's features of this very
// video (its size and mtime when extracted).
bool describesClip(const cache::FeatureHeader& h, std::uint64_t key, int frames,
                   const SourceStamp& stamp) {
    return h.key == key && h.frames == static_cast<std::uint32_t>(frames) &&
           h.sourceSize == stamp.size && h.sourceMtime == stamp.mtime;
}

bool validCacheFile(const std::string& file, std::uint64_t key, int frames,
                    const SourceStamp& stamp, bool* existed) {
    std::error_code ec;
    *existed = fs::exists(file, ec);
    if (!*existed) {
        return false;
    }
    try {
        // A full read: the checksums catch a file damaged anywhere, not only
        // one cut short.
        return describesClip(cache::readFeatureFile(file, /*wantMaps=*/true).header, key, frames,
                             stamp);
    } catch (const CacheError&) {
        return false;
    }
}

// The key folder of a backbone (by identity) under the options' cache root.
std::string keyDirOf(const ExtractOptions& options, const std::string& identity,
                     std::uint64_t* key) {
    const std::string root = options.cacheDir.empty() ? defaultCacheDir() : options.cacheDir;
    return cacheKeyDir(root, identity, options.imageSize, options.frames, key);
}

}  // namespace

ExtractSummary extractFeatures(const Dataset& dataset, const ExtractOptions& options) {
    if (options.shards < 1 || options.shard < 0 || options.shard >= options.shards) {
        throw ConfigError("shard " + std::to_string(options.shard) + " of " +
                          std::to_string(options.shards) +
                          " does not exist (shards are numbered 0 to N-1, N >= 1)");
    }
    const auto t0 = Clock::now();
    Backbone backbone(options.backbone, options.imageSize, torch::Device(options.device),
                      options.maps);
    ExtractSummary summary;
    summary.backbone = backbone.description();
    summary.shard = options.shard;
    summary.shards = options.shards;
    const bool spatial = summary.backbone.spatial;
    std::uint64_t key = 0;
    summary.cacheDir = keyDirOf(options, summary.backbone.identity, &key);
    std::error_code ec;
    fs::create_directories(summary.cacheDir, ec);
    if (ec) {
        throw CacheError(summary.cacheDir,
                         "cannot create the feature cache folder: " + ec.message());
    }
    // What an extraction killed mid-write on this host left behind.
    cache::removeOrphanedTempFiles(summary.cacheDir);
    // The key folder's description, for people: written once (its contents
    // follow from the key), by whichever process first finds it missing,
    // each writer through its own temporary file.
    if (const auto described = fs::path(summary.cacheDir) / "backbone.json";
        !fs::exists(described, ec)) {
        nlohmann::json info = {{"backbone", summary.backbone.identity},
                               {"source", summary.backbone.source},
                               {"pretrained", summary.backbone.pretrained},
                               {"image_size", options.imageSize},
                               {"frames", options.frames},
                               {"spatial", spatial},
                               {"channels", summary.backbone.channels}};
        cache::writeTextFile(described.string(), util::jsonText(info, 2) + '\n');
    }

    // Which clips need work: a valid file for this key and this very video is kept.
    std::vector<std::size_t> todo;
    std::vector<SourceStamp> stamps(dataset.clips.size());
    for (std::size_t i = 0; i < dataset.clips.size(); ++i) {
        if (static_cast<int>(i % static_cast<std::size_t>(options.shards)) != options.shard) {
            ++summary.otherShards;
            continue;
        }
        const auto& clip = dataset.clips[i];
        stamps[i] = stampOf(clip.path);
        bool existed = false;
        if (validCacheFile(cacheFileFor(summary.cacheDir, clip.path), key, options.frames,
                           stamps[i], &existed)) {
            ++summary.cached;
        } else {
            summary.recomputed += existed ? 1 : 0;
            todo.push_back(i);
        }
    }

    // Smallest files first: the backbone waits for the first clips' decode
    // before it can start, and on the real clips the first clip in data set
    // order (a long H.264 file) took 0.2-0.28 s of a 2.9 s extraction to
    // decode. Later, the decoders run ahead of the backbone (decode is 3x
    // faster there) and the queue hides the big files. A stable sort: equal
    // sizes keep the data set's order, and batches do not depend on timing.
    std::stable_sort(todo.begin(), todo.end(),
                     [&](auto a, auto b) { return stamps[a].size < stamps[b].size; });

    ExtractProgress progress;
    progress.total = static_cast<int>(dataset.clips.size()) - summary.otherShards;
    progress.cached = summary.cached;
    progress.done = summary.cached;
    auto report = [&] {
        progress.elapsedSeconds = util::secondsSince(t0);
        const int work = progress.computed + progress.skipped;
        progress.clipsPerSecond = work > 0 ? work / progress.elapsedSeconds : 0.0;
        const int left = progress.total - progress.done;
        progress.etaSeconds = progress.clipsPerSecond > 0 ? left / progress.clipsPerSecond : 0.0;
        if (options.progress) {
            options.progress(progress);
        }
    };
    report();

    const auto stopped = [&] { return options.stop && options.stop->load(); };
    WorkQueue queue(8);
    std::atomic<std::size_t> next{0};
    std::atomic<double> decodeSeconds{0.0};
    const int decoders = std::max(1, options.decodeThreads);
    queue.setProducers(decoders);
    std::vector<std::thread> threads;
    for (int d = 0; d < decoders; ++d) {
        threads.emplace_back([&] {
            for (;;) {
                const std::size_t n = next.fetch_add(1);
                if (n >= todo.size() || stopped()) {
                    break;
                }
                Work w;
                w.clip = todo[n];
                const auto td = Clock::now();
                try {
                    w.decoded = data::decodeClip(dataset.clips[w.clip].path, options.frames,
                                                 options.imageSize);
                    if (w.decoded.frames.empty()) {
                        w.error = "no decodable frame";
                    }
                } catch (const std::exception& e) {
                    w.error = e.what();
                }
                double seen = decodeSeconds.load();
                while (!decodeSeconds.compare_exchange_weak(seen, seen + util::secondsSince(td))) {
                }
                queue.push(std::move(w));
            }
            queue.producerDone();
        });
    }

    // Inference: batches of frames from several clips.
    std::vector<Work> pending;
    std::int64_t pendingFrames = 0;
    auto flush = [&] {
        if (pending.empty()) {
            return;
        }
        std::vector<torch::Tensor> frames;
        for (auto& w : pending) {
            for (auto& m : w.decoded.frames) {
                frames.push_back(torch::from_blob(m.data, {m.rows, m.cols, 3}, torch::kUInt8));
            }
        }
        const auto tb = Clock::now();
        auto maps = backbone.forward(torch::stack(frames)).to(torch::kCPU, torch::kFloat);
        summary.backboneSeconds += util::secondsSince(tb);
        std::int64_t offset = 0;
        for (auto& w : pending) {
            const auto n = static_cast<std::int64_t>(w.decoded.frames.size());
            const auto& clip = dataset.clips[w.clip];
            writeClip(cacheFileFor(summary.cacheDir, clip.path), maps.narrow(0, offset, n),
                      w.decoded.totalFrames, options.frames, key, stamps[w.clip], spatial);
            offset += n;
            summary.framesComputed += n;
            ++summary.computed;
            ++progress.computed;
            ++progress.done;
        }
        pending.clear();
        pendingFrames = 0;
        report();
    };
    // The first batches are smaller (1/8, 1/4, 1/2 of batchFrames, then
    // whole): the backbone starts after one clip is decoded instead of
    // idling while the decoders fill a whole batch. On the real clips that
    // fill took 0.5 s of a 3 s extraction; the backbone's throughput hardly
    // depends on the batch size (MobileNetV2 int8, one thread: 37-45
    // frames/s at 8 to 64 frames). A fixed ramp, not "flush when the queue
    // is empty", so that batches do not depend on timing.
    int flushes = 0;
    const auto batchThreshold = [&] {
        const int shift = std::max(0, 3 - flushes);
        return std::max<std::int64_t>(1, options.batchFrames >> shift);
    };
    try {
        while (auto w = queue.pop()) {
            if (!w->error.empty()) {
                summary.skipped.push_back({dataset.clips[w->clip].path, w->error});
                ++progress.skipped;
                ++progress.done;
                report();
                continue;
            }
            pendingFrames += static_cast<std::int64_t>(w->decoded.frames.size());
            pending.push_back(std::move(*w));
            if (pendingFrames >= batchThreshold()) {
                flush();
                ++flushes;
            }
            if (stopped()) {
                break;
            }
        }
        flush();
    } catch (...) {
        queue.drainForever();
        next = todo.size();
        for (auto& t : threads) {
            t.join();
        }
        throw;
    }
    queue.drainForever();
    for (auto& t : threads) {
        t.join();
    }
    summary.cancelled = stopped();
    summary.decodeSeconds = decodeSeconds.load();
    summary.clips = summary.cached + summary.computed;
    summary.seconds = util::secondsSince(t0);
    return summary;
}

CacheCoverage cacheCoverage(const Dataset& dataset, const ExtractOptions& options) {
    CacheCoverage coverage;
    std::uint64_t key = 0;
    coverage.cacheDir = keyDirOf(
        options, describeBackbone(options.backbone, options.imageSize, options.maps).identity,
        &key);
    coverage.clips = static_cast<int>(dataset.clips.size());
    for (const auto& clip : dataset.clips) {
        try {
            coverage.cached +=
                describesClip(cache::readFeatureHeader(cacheFileFor(coverage.cacheDir, clip.path)),
                              key, options.frames, stampOf(clip.path))
                    ? 1
                    : 0;
        } catch (const CacheError&) {
            // No entry, or not a readable one: extractFeatures makes it.
        }
    }
    return coverage;
}

}  // namespace vidrnn
