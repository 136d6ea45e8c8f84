// Fuzz target: the container sniffer that explains why a video cannot be
// opened (AVI stream headers and codec, MP4 box walk, magic numbers). It reads
// any bytes without crashing or looping, and what it claims is consistent: a
// declared length is only reported past the end of the file, a codec is four
// printable characters, every failure gets a reason.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>

#include "data/container.h"
#include "fuzzutil.h"

using namespace vidrnn::data;

namespace {

[[noreturn]] void fail(const std::string& what) {
    vidrnn::fuzz::fail("fuzz_container", what);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = vidrnn::fuzz::scratchPath("file.video");
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    const ContainerFacts facts = sniffContainer(path);
    static const std::set<std::string> kinds = {"",        "avi", "mp4", "mkv", "mpeg",
                                                "mpeg-ts", "flv", "ogg", "asf"};
    if (facts.bytes != size || !kinds.count(facts.kind)) {
        fail("size " + std::to_string(facts.bytes) + " or kind '" + facts.kind + "' is wrong");
    }
    if (facts.kind == "mp4" && facts.declaredBytes != 0 && facts.declaredBytes <= facts.bytes) {
        fail("an MP4 box walk claims " + std::to_string(facts.declaredBytes) + " bytes of " +
             std::to_string(facts.bytes) + " without running past the end");
    }
    if (facts.videoStreams < -1 || facts.audioStreams < -1) {
        fail("negative stream counts");
    }
    if (!facts.videoCodec.empty()) {
        if (facts.kind != "avi" || facts.videoCodec.size() != 4) {
            fail("codec '" + facts.videoCodec + "' outside an AVI or not four characters");
        }
        for (const char c : facts.videoCodec) {
            if (c < ' ' || c > '~') {
                fail("unprintable codec '" + facts.videoCodec + "'");
            }
        }
    }
    if (openFailureReason(facts).empty() || truncationNote(facts).empty() == facts.truncated()) {
        fail("a failure without a reason, or a truncation note that disagrees");
    }
    return 0;
}
