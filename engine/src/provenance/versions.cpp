// Versions without loading LibTorch or OpenCV: `vidrnn --version` must start
// at once, so theirs are the versions the engine was built against (CMake's
// for LibTorch, the header's for OpenCV); SQLite's is the library loaded.
#include <sqlite3.h>

#include <opencv2/core/version.hpp>

#include "vidrnn/provenance.h"

namespace vidrnn {

std::vector<std::pair<std::string, std::string>> componentVersions() {
#ifdef VIDRNN_VERSION
    const std::string vidrnn = VIDRNN_VERSION;
#else
    const std::string vidrnn = "unknown";
#endif
#ifdef VIDRNN_TORCH_VERSION
    const std::string torch = VIDRNN_TORCH_VERSION;
#else
    const std::string torch = "unknown";
#endif
    return {{"vidrnn", vidrnn},
            {"LibTorch", torch},
            {"OpenCV", CV_VERSION},
            {"SQLite", sqlite3_libversion()}};
}

}  // namespace vidrnn
