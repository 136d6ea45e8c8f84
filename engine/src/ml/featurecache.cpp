#include "ml/featurecache.h"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "util/featurefile.h"
#include "util/util.h"
#include "vidrnn/errors.h"
#include "vidrnn/paths.h"

namespace vidrnn {

namespace fs = std::filesystem;

std::string defaultCacheDir() {
    if (const char* env = std::getenv("VIDRNN_CACHE"); env && *env) {
        return env;
    }
    return (fs::path(userCacheDir()) / "features").string();
}

std::string cacheKeyDir(const std::string& cacheRoot, const std::string& backboneIdentity,
                        int imageSize, int frames, std::uint64_t* key) {
    // "uniform-v1": the sampling rule; change it when sampling changes.
    const std::string text = backboneIdentity + "|size=" + std::to_string(imageSize) +
                             "|T=" + std::to_string(frames) +
                             "|uniform-v1|format=" + std::to_string(cache::kFormatVersion);
    const auto k = cache::fnv1a(text.data(), text.size());
    if (key) {
        *key = k;
    }
    return (fs::path(cacheRoot) / util::hex(k)).string();
}

std::string cacheFileFor(const std::string& keyDir, const std::string& clipPath) {
    const auto abs = fs::absolute(clipPath).lexically_normal().string();
    const auto stem = fs::path(clipPath).stem().string().substr(0, 40);
    return (fs::path(keyDir) /
            (stem + "-" + util::hex(cache::fnv1a(abs.data(), abs.size())) + ".feat"))
        .string();
}

FeatureReader::FeatureReader(std::string keyDir, int frames, bool maps)
    : mKeyDir(std::move(keyDir)), mFrames(frames), mMaps(maps) {}

bool FeatureReader::has(const Clip& clip) const {
    try {
        cache::readFeatureHeader(cacheFileFor(mKeyDir, clip.path));
        return true;
    } catch (const CacheError&) {
        return false;
    }
}

FeatureBatch FeatureReader::load(const std::vector<const Clip*>& clips) const {
    const auto batch = static_cast<int64_t>(clips.size());
    TORCH_CHECK(batch > 0, "FeatureReader: empty batch");
    FeatureBatch out;
    out.lengths = torch::empty({batch}, torch::kLong);
    out.labels = torch::empty({batch}, torch::kLong);
    for (int64_t b = 0; b < batch; ++b) {
        const Clip& clip = *clips[static_cast<std::size_t>(b)];
        const auto file = cache::readFeatureFile(cacheFileFor(mKeyDir, clip.path), mMaps);
        const auto& h = file.header;
        const int64_t len = std::min<int64_t>(h.length, mFrames);
        if (!out.x.defined()) {
            if (mMaps) {
                if (h.channels == 0) {
                    throw CacheError(mKeyDir, "the backbone gave vectors, not maps");
                }
                out.x = torch::zeros({batch, mFrames, h.channels, h.height, h.width});
            } else {
                out.x = torch::zeros({batch, mFrames, h.dim});
            }
        }
        if (mMaps) {
            auto half =
                torch::from_blob(const_cast<std::uint16_t*>(file.maps.data()),
                                 {int64_t(h.length), h.channels, h.height, h.width}, torch::kHalf);
            TORCH_CHECK(half.sizes().slice(1) == out.x.sizes().slice(2),
                        "feature maps of different shapes in one cache key");
            out.x[b].narrow(0, 0, len).copy_(half.narrow(0, 0, len));
        } else {
            auto vec = torch::from_blob(const_cast<float*>(file.vectors.data()),
                                        {int64_t(h.length), int64_t(h.dim)}, torch::kFloat);
            TORCH_CHECK(vec.size(1) == out.x.size(2), "feature vectors of different sizes");
            out.x[b].narrow(0, 0, len).copy_(vec.narrow(0, 0, len));
        }
        out.lengths[b] = len;
        out.labels[b] = clip.label;
    }
    return out;
}

}  // namespace vidrnn
