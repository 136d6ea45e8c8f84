// Fuzz target: the feature-cache file reader. Any bytes give either a feature
// file or a CacheError naming the file, never a crash or a huge allocation;
// the file reader, the header-only reader and the in-memory reader agree; and
// whatever is read writes back and reads again unchanged.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>

#include "fuzzutil.h"
#include "util/featurefile.h"
#include "vidrnn/errors.h"

using vidrnn::CacheError;
using namespace vidrnn::cache;
namespace fuzz = vidrnn::fuzz;

namespace {

[[noreturn]] void fail(const std::string& what) {
    vidrnn::fuzz::fail("fuzz_featurefile", what);
}

bool sameHeader(const FeatureHeader& a, const FeatureHeader& b) {
    return a.length == b.length && a.frames == b.frames && a.dim == b.dim &&
           a.channels == b.channels && a.height == b.height && a.width == b.width &&
           a.key == b.key && a.sourceSize == b.sourceSize && a.sourceMtime == b.sourceMtime &&
           a.totalFrames == b.totalFrames;
}

// Bitwise, so that NaN payloads compare equal to themselves.
template <typename T>
bool sameBits(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

bool same(const FeatureFile& a, const FeatureFile& b) {
    return sameHeader(a.header, b.header) && sameBits(a.vectors, b.vectors) &&
           sameBits(a.maps, b.maps);
}

struct Outcome {
    std::optional<FeatureFile> file;
    std::string error;
};

template <typename Read>
Outcome attempt(const std::string& path, Read&& read) {
    Outcome o;
    try {
        o.file = read();
    } catch (const CacheError& e) {
        o.error = e.what();
        if (o.error.rfind(path + ": ", 0) != 0) {
            fail("error does not name the file: " + o.error);
        }
    }
    return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = fuzz::scratchPath("file.feat");
    static const std::string again = fuzz::scratchPath("again.feat");
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));

    std::optional<FeatureHeader> header;
    try {
        header = readFeatureHeader(path);
    } catch (const CacheError&) {
    }
    for (const bool wantMaps : {false, true}) {
        const Outcome memory =
            attempt(path, [&] { return parseFeatureFile(data, size, path, wantMaps); });
        const Outcome file = attempt(path, [&] { return readFeatureFile(path, wantMaps); });
        if (memory.error != file.error) {
            fail("readers disagree: '" + memory.error + "' vs '" + file.error + "'");
        }
        if (!file.file) {
            continue;
        }
        if (!same(*memory.file, *file.file)) {
            fail("readers read different contents");
        }
        if (!header || !sameHeader(*header, file.file->header)) {
            fail("the header reader disagrees with the file reader");
        }
        const FeatureHeader& h = file.file->header;
        if (file.file->vectors.size() != std::size_t(h.length) * h.dim ||
            (wantMaps &&
             file.file->maps.size() != std::size_t(h.length) * h.channels * h.height * h.width)) {
            fail("section sizes do not match the header");
        }
        if (wantMaps) {
            writeFeatureFile(again, *file.file);
            if (!same(readFeatureFile(again, true), *file.file)) {
                fail("a file read does not survive writing it back");
            }
        }
    }
    return 0;
}
