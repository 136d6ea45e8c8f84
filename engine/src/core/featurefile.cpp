#include "core/featurefile.h"

#include <cstring>
#include <filesystem>
#include <fstream>

#include "vidrnn/errors.h"

namespace vidrnn::cache {

namespace {

constexpr char kMagic[8] = {'V', 'R', 'N', 'N', 'F', 'E', 'A', 'T'};
// Element types, spelled out in every header so a reader never guesses:
// low byte the vectors' type, next byte the maps' (1 = float32, 2 = float16).
constexpr std::uint32_t kFloat32 = 1;
constexpr std::uint32_t kFloat16 = 2;
constexpr std::uint32_t kDtypes = kFloat32 | (kFloat16 << 8);
// Far above any real clip (1024 frames of 4096-channel 64x64 maps), so a
// corrupt header cannot make the reader allocate absurd amounts.
constexpr std::uint64_t kMaxElements = 1ULL << 32;

struct RawHeader {
    char magic[8];
    std::uint32_t version;
    std::uint32_t length, frames, dim, channels, height, width;
    std::uint32_t dtypes;  // kDtypes: vectors float32, maps float16
    std::uint64_t key, sourceSize;
    std::int64_t sourceMtime, totalFrames;
    std::uint64_t vectorsChecksum, mapsChecksum;
};
static_assert(sizeof(RawHeader) == 88, "header layout");

RawHeader readRaw(std::ifstream& in, const std::string& path) {
    RawHeader raw{};
    if (!in.read(reinterpret_cast<char*>(&raw), sizeof raw)) {
        throw CacheError(path, "truncated feature file (no complete header)");
    }
    if (std::memcmp(raw.magic, kMagic, sizeof kMagic) != 0) {
        throw CacheError(path, "not a vidrnn feature file (bad magic)");
    }
    if (raw.version != kFormatVersion) {
        throw CacheError(path, "feature file version " + std::to_string(raw.version) +
                                   " (this vidrnn reads " + std::to_string(kFormatVersion) + ")");
    }
    if (raw.dtypes != kDtypes) {
        throw CacheError(path, "unsupported element types in feature file (code " +
                                   std::to_string(raw.dtypes) + ")");
    }
    const std::uint64_t vec = std::uint64_t(raw.length) * raw.dim;
    const std::uint64_t maps = std::uint64_t(raw.length) * raw.channels * raw.height * raw.width;
    if (raw.length == 0 || raw.length > raw.frames || raw.frames > 4096 ||
        (raw.dim == 0 && raw.channels == 0) || vec > kMaxElements || maps > kMaxElements ||
        raw.height > 4096 || raw.width > 4096 || raw.channels > 65536) {
        throw CacheError(path, "implausible shape in feature file header");
    }
    // The size must match exactly: a file cut short anywhere, maps included, is
    // caught even by a reader that only wants the header or the vectors.
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    const std::uint64_t expected = sizeof(RawHeader) + vec * sizeof(float) + maps * 2;
    if (ec || size != expected) {
        throw CacheError(path, "truncated or oversized feature file (" +
                                   std::to_string(ec ? 0 : size) + " bytes, expected " +
                                   std::to_string(expected) + ")");
    }
    return raw;
}

FeatureHeader toHeader(const RawHeader& raw) {
    FeatureHeader h;
    h.length = raw.length;
    h.frames = raw.frames;
    h.dim = raw.dim;
    h.channels = raw.channels;
    h.height = raw.height;
    h.width = raw.width;
    h.key = raw.key;
    h.sourceSize = raw.sourceSize;
    h.sourceMtime = raw.sourceMtime;
    h.totalFrames = raw.totalFrames;
    return h;
}

template <typename T>
void readSection(std::ifstream& in, std::vector<T>& out, std::uint64_t count,
                 std::uint64_t checksum, const std::string& path, const char* what) {
    out.resize(count);
    if (!in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(count * sizeof(T)))) {
        throw CacheError(path, std::string("truncated feature file (") + what + ")");
    }
    if (fnv1a(out.data(), count * sizeof(T)) != checksum) {
        throw CacheError(path, std::string("checksum mismatch in ") + what);
    }
}

}  // namespace

std::uint64_t fnv1a(const void* data, std::size_t size, std::uint64_t seed) {
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint64_t h = seed;
    // Eight bytes a round: the same hash family, fast enough for megabytes.
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, p + i, 8);
        h ^= word;
        h *= 0x100000001b3ULL;
    }
    for (; i < size; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

void writeFeatureFile(const std::string& path, const FeatureFile& file) {
    const auto& h = file.header;
    RawHeader raw{};
    std::memcpy(raw.magic, kMagic, sizeof kMagic);
    raw.version = kFormatVersion;
    raw.dtypes = kDtypes;
    raw.length = h.length;
    raw.frames = h.frames;
    raw.dim = h.dim;
    raw.channels = h.channels;
    raw.height = h.height;
    raw.width = h.width;
    raw.key = h.key;
    raw.sourceSize = h.sourceSize;
    raw.sourceMtime = h.sourceMtime;
    raw.totalFrames = h.totalFrames;
    const std::uint64_t vecCount = std::uint64_t(h.length) * h.dim;
    const std::uint64_t mapCount = std::uint64_t(h.length) * h.channels * h.height * h.width;
    if (file.vectors.size() != vecCount || file.maps.size() != mapCount) {
        throw LogicError("writeFeatureFile: section sizes do not match the header for " + path);
    }
    raw.vectorsChecksum = fnv1a(file.vectors.data(), vecCount * sizeof(float));
    raw.mapsChecksum = fnv1a(file.maps.data(), mapCount * sizeof(std::uint16_t));

    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(&raw), sizeof raw);
        out.write(reinterpret_cast<const char*>(file.vectors.data()),
                  static_cast<std::streamsize>(vecCount * sizeof(float)));
        out.write(reinterpret_cast<const char*>(file.maps.data()),
                  static_cast<std::streamsize>(mapCount * sizeof(std::uint16_t)));
        if (!out.flush()) {
            throw CacheError(tmp, "cannot write feature file (disk full or no permission)");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        throw CacheError(path, "cannot move feature file into place: " + ec.message());
    }
}

FeatureHeader readFeatureHeader(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw CacheError(path, "cannot open feature file");
    }
    return toHeader(readRaw(in, path));
}

FeatureFile readFeatureFile(const std::string& path, bool wantMaps) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw CacheError(path, "cannot open feature file");
    }
    const RawHeader raw = readRaw(in, path);
    FeatureFile file;
    file.header = toHeader(raw);
    readSection(in, file.vectors, std::uint64_t(raw.length) * raw.dim, raw.vectorsChecksum, path,
                "vectors");
    if (wantMaps && raw.channels > 0) {
        readSection(in, file.maps, std::uint64_t(raw.length) * raw.channels * raw.height * raw.width,
                    raw.mapsChecksum, path, "maps");
    }
    return file;
}

}  // namespace vidrnn::cache
