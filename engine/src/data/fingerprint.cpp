#include <algorithm>
#include <filesystem>
#include <system_error>

#include "util/featurefile.h"
#include "util/util.h"
#include "vidrnn/dataset.h"

namespace vidrnn {

namespace fs = std::filesystem;

std::string datasetFingerprint(const Dataset& dataset) {
    std::error_code ec;
    fs::path base(dataset.root);
    if (fs::is_regular_file(base, ec)) {
        base = base.parent_path();  // a manifest: its paths are relative to its folder
    }
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
    auto add = [&h](const std::string& text) {
        // The length first, so that ("ab", "c") and ("a", "bc") differ.
        const std::uint64_t size = text.size();
        h = cache::fnv1a(&size, sizeof size, h);
        h = cache::fnv1a(text.data(), text.size(), h);
    };
    for (const std::string& name : dataset.classes) {
        add(name);
    }
    for (const Clip& clip : dataset.clips) {
        add(fs::path(clip.path).lexically_relative(base).generic_string());
        add(clip.className);
        add(clip.group);
        const auto bytes = fs::file_size(clip.path, ec);
        add(ec ? std::string("?") : std::to_string(bytes));
    }
    std::string hex = util::hex(h);
    return std::string(16 - std::min<std::size_t>(16, hex.size()), '0') + hex;
}

}  // namespace vidrnn
