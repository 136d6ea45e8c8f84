// What the fuzz targets share: failing loudly (libFuzzer records the input)
// and scratch files for the readers that take a path.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace vidrnn::fuzz {

// A broken property: print it and abort, which libFuzzer reports as a crash.
[[noreturn]] inline void fail(const char* target, const std::string& what) {
    std::fprintf(stderr, "%s: %s\n", target, what.c_str());
    std::abort();
}

// A path in $TMPDIR (else /tmp) unique to this process and `name`, removed
// (file or folder) when the process exits normally. Call once per name and
// keep the result: inputs run one after another.
inline std::string scratchPath(const std::string& name) {
    const char* dir = std::getenv("TMPDIR");
    const std::string path = std::string(dir && *dir ? dir : "/tmp") + "/vidrnn-fuzz-" +
                             std::to_string(getpid()) + "-" + name;
    static std::vector<std::string> made;
    if (made.empty()) {
        std::atexit([] {
            for (const auto& p : made) {
                std::error_code ec;
                std::filesystem::remove_all(p, ec);
            }
        });
    }
    made.push_back(path);
    return path;
}

}  // namespace vidrnn::fuzz
