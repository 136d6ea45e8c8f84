// The feature cache's file format, one file per clip. No LibTorch here, so the
// reader can be fuzzed and tested on its own.
//
//   magic "VRNNFEAT" | header (fixed little-endian fields: version, shape,
//   element types, cache key, source stamp, section checksums) |
//   vectors: float32 [length, dim] | maps: float16 [length, channels, height, width]
//
// Each section has its own FNV-1a checksum, so a reader that wants vectors only
// does not read the maps. Files are written to a temporary name and renamed,
// so a killed extraction never leaves a half file under the final name. The
// temporary name is the writer's own (host, process, call): processes on
// several nodes may fill one cache folder on shared storage at once, and there
// is no index file, so each entry is one file that appears whole or not at all.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vidrnn::cache {

inline constexpr std::uint32_t kFormatVersion = 1;

struct FeatureHeader {
    std::uint32_t length = 0;    // valid frames stored (<= frames)
    std::uint32_t frames = 0;    // T requested
    std::uint32_t dim = 0;       // vector size (0 = none)
    std::uint32_t channels = 0;  // map shape (0 = no maps)
    std::uint32_t height = 0;
    std::uint32_t width = 0;
    std::uint64_t key = 0;         // backbone identity, input size, T, sampling
    std::uint64_t sourceSize = 0;  // the video's size and mtime when extracted
    std::int64_t sourceMtime = 0;
    std::int64_t totalFrames = 0;  // frames counted in the video
};

struct FeatureFile {
    FeatureHeader header;
    std::vector<float> vectors;       // length * dim
    std::vector<std::uint16_t> maps;  // length * channels * height * width (fp16 bits)
};

std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t seed = 0xcbf29ce484222325ULL);

// A temporary name beside `path` that no other writer uses: it names this
// host, this process and this call.
std::string privateTempName(const std::string& path);

// Removes the temporary files in `dir` that writers on this host left when
// they died (killed mid-write: their process is gone). Another host's, or a
// live process's, are left alone. Returns how many were removed.
int removeOrphanedTempFiles(const std::string& dir);

// Writes `text` to a private temporary file and renames it to `path`, so a
// reader sees the old file or the new one, never a mix of two writers'.
// Throws CacheError naming the file.
void writeTextFile(const std::string& path, const std::string& text);

// Throws CacheError naming the file.
void writeFeatureFile(const std::string& path, const FeatureFile& file);

// Reads the header and vectors (and maps when wantMaps). Throws CacheError
// naming the file and the reason: wrong magic or version, truncated, checksum
// mismatch, implausible shape.
FeatureFile readFeatureFile(const std::string& path, bool wantMaps);

// The same checks on a whole file held in memory (`name` only labels the
// errors): what the fuzz target drives, and the reader's reference.
FeatureFile parseFeatureFile(const void* data, std::size_t size, const std::string& name,
                             bool wantMaps);

// Header only (cheap validity check for "is this clip cached?").
FeatureHeader readFeatureHeader(const std::string& path);

}  // namespace vidrnn::cache
