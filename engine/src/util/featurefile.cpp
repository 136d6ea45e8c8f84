#include "util/featurefile.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include "util/safefile.h"
#include "util/util.h"
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

// Everything a header must satisfy for a file of `fileSize` bytes (nullopt
// when the size cannot be read). Shared by the file and the memory readers.
void checkHeader(const RawHeader& raw, std::optional<std::uint64_t> fileSize,
                 const std::string& path) {
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
    // Maps need an area: channels over a 0 x W map would be an empty section
    // that claims to hold something.
    if (raw.length == 0 || raw.length > raw.frames || raw.frames > 4096 ||
        (raw.dim == 0 && raw.channels == 0) || vec > kMaxElements || maps > kMaxElements ||
        raw.height > 4096 || raw.width > 4096 || raw.channels > 65536 ||
        (raw.channels > 0 && (raw.height == 0 || raw.width == 0))) {
        throw CacheError(path, "implausible shape in feature file header");
    }
    // The size must match exactly: a file cut short anywhere, maps included, is
    // caught even by a reader that only wants the header or the vectors.
    const std::uint64_t expected = sizeof(RawHeader) + vec * sizeof(float) + maps * 2;
    if (!fileSize || *fileSize != expected) {
        throw CacheError(path, "truncated or oversized feature file (" +
                                   std::to_string(fileSize.value_or(0)) + " bytes, expected " +
                                   std::to_string(expected) + ")");
    }
}

RawHeader readRaw(std::ifstream& in, const std::string& path) {
    RawHeader raw{};
    if (!in.read(reinterpret_cast<char*>(&raw), sizeof raw)) {
        throw CacheError(path, "truncated feature file (no complete header)");
    }
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    checkHeader(raw, ec ? std::nullopt : std::optional<std::uint64_t>(size), path);
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

bool isFiniteValue(float v) {
    return std::isfinite(v);
}
// float16 bits: an all-ones exponent is an infinity or a NaN.
bool isFiniteValue(std::uint16_t half) {
    return (half & 0x7C00U) != 0x7C00U;
}

// Fills `out` with `count` elements through `fill(bytes, n)` (false when the
// data ends early) and checks them against the header's checksum.
template <typename T, typename Fill>
void readSection(std::vector<T>& out, std::uint64_t count, std::uint64_t checksum,
                 const std::string& path, const char* what, Fill&& fill) {
    out.resize(count);
    if (!fill(reinterpret_cast<char*>(out.data()), count * sizeof(T))) {
        throw CacheError(path, std::string("truncated feature file (") + what + ")");
    }
    if (fnv1a(out.data(), count * sizeof(T)) != checksum) {
        throw CacheError(path, std::string("checksum mismatch in ") + what);
    }
    // A checksum only proves the writer meant these bytes: an entry with a
    // NaN or an infinity (a forged one in a shared cache, or a broken
    // backbone) would poison training much later, as a non-finite loss.
    const auto bad = std::find_if(out.begin(), out.end(), [](T v) { return !isFiniteValue(v); });
    if (bad != out.end()) {
        throw CacheError(path, std::string("non-finite value in ") + what + " (element " +
                                   std::to_string(bad - out.begin()) + ")");
    }
}

// Both sections of a file whose header passed checkHeader.
template <typename Fill>
FeatureFile readSections(const RawHeader& raw, bool wantMaps, const std::string& path,
                         Fill&& fill) {
    FeatureFile file;
    file.header = toHeader(raw);
    readSection(file.vectors, std::uint64_t(raw.length) * raw.dim, raw.vectorsChecksum, path,
                "vectors", fill);
    if (wantMaps && raw.channels > 0) {
        readSection(file.maps, std::uint64_t(raw.length) * raw.channels * raw.height * raw.width,
                    raw.mapsChecksum, path, "maps", fill);
    }
    return file;
}

// Writes through a private temporary file renamed into place: rename(2)
// replaces `path` atomically, also when another writer put it there first
// (the same contents: the same key, the same video). The cache folder may be
// shared, so the temporary file is created exclusively (writeReplacing).
void writeAtomically(const std::string& path, const char* what,
                     const std::vector<util::ByteSpan>& parts) {
    if (const auto failed = util::writeReplacing(
            path, [&path] { return privateTempName(path); }, parts)) {
        throw CacheError(failed->path, std::string(what) + ": " + failed->reason);
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

namespace {

// The host part of a writer's temporary names ("host" where unknown).
std::string writerHost() {
    const std::string host = util::hostName();
    return host.empty() ? "host" : host;
}

}  // namespace

std::string privateTempName(const std::string& path) {
    static std::atomic<unsigned> calls{0};
    return path + ".tmp." + writerHost() + "." + std::to_string(::getpid()) + "." +
           std::to_string(calls.fetch_add(1));
}

int removeOrphanedTempFiles(const std::string& dir) {
    // "<entry>.tmp.<host>.<pid>.<call>", this host's only: a pid says nothing
    // about a process on another machine sharing the folder.
    const std::string mine = ".tmp." + writerHost() + ".";
    int removed = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        const auto at = name.rfind(mine);
        if (at == std::string::npos) {
            continue;
        }
        const std::string rest = name.substr(at + mine.size());  // "<pid>.<call>"
        const auto dot = rest.find('.');
        const std::string pid = rest.substr(0, dot);
        if (dot == std::string::npos || pid.empty() ||
            pid.find_first_not_of("0123456789") != std::string::npos || pid.size() > 9) {
            continue;
        }
        if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH) {
            std::error_code ignored;
            removed += std::filesystem::remove(entry.path(), ignored) ? 1 : 0;
        }
    }
    return removed;
}

void writeTextFile(const std::string& path, const std::string& text) {
    writeAtomically(path, "file", {{text.data(), text.size()}});
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

    writeAtomically(path, "feature file",
                    {{&raw, sizeof raw},
                     {file.vectors.data(), vecCount * sizeof(float)},
                     {file.maps.data(), mapCount * sizeof(std::uint16_t)}});
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
    return readSections(raw, wantMaps, path, [&in](char* to, std::uint64_t n) {
        return static_cast<bool>(in.read(to, static_cast<std::streamsize>(n)));
    });
}

FeatureFile parseFeatureFile(const void* data, std::size_t size, const std::string& name,
                             bool wantMaps) {
    if (size < sizeof(RawHeader)) {
        throw CacheError(name, "truncated feature file (no complete header)");
    }
    RawHeader raw{};
    std::memcpy(&raw, data, sizeof raw);
    checkHeader(raw, size, name);
    const auto* bytes = static_cast<const char*>(data);
    std::size_t at = sizeof raw;
    return readSections(raw, wantMaps, name, [&](char* to, std::uint64_t n) {
        if (n > size - at) {
            return false;
        }
        if (n > 0) {  // an empty vector's data() may be null, even for 0 bytes
            std::memcpy(to, bytes + at, static_cast<std::size_t>(n));
        }
        at += static_cast<std::size_t>(n);
        return true;
    });
}

}  // namespace vidrnn::cache
