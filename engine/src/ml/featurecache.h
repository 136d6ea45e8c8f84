// Where a clip's features live in the cache, and loading them back as tensors.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "vidrnn/dataset.h"
#include "vidrnn/features.h"

namespace vidrnn {

// Folder of one (backbone identity, image size, T, sampling) key.
std::string cacheKeyDir(const std::string& cacheRoot, const std::string& backboneIdentity,
                        int imageSize, int frames, std::uint64_t* key = nullptr);
// The file of one clip inside a key folder.
std::string cacheFileFor(const std::string& keyDir, const std::string& clipPath);

struct FeatureBatch {
    torch::Tensor x;        // [B,T,D] or [B,T,C,H,W], float32, zero-padded past length
    torch::Tensor lengths;  // [B] int64
    torch::Tensor labels;   // [B] int64
};

// Reads clips' features from their cache files, a batch at a time, so memory
// does not grow with the data set.
class FeatureReader {
public:
    FeatureReader(std::string keyDir, int frames, bool maps);
    FeatureBatch load(const std::vector<const Clip*>& clips) const;
    // True when the clip has a valid cache file (header check only).
    bool has(const Clip& clip) const;

private:
    std::string mKeyDir;
    int mFrames;
    bool mMaps;
};

}  // namespace vidrnn
