#include "vidrnn/paths.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace vidrnn {

namespace fs = std::filesystem;

namespace {

fs::path homeDir() {
    if (const char* home = std::getenv("HOME"); home && *home) {
        return home;
    }
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd* found = nullptr;
    if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found &&
        found->pw_dir && *found->pw_dir) {
        return found->pw_dir;
    }
    return fs::temp_directory_path();
}

// $variable when it names an absolute path, else ~/fallback; then /vidrnn.
std::string xdgDir(const char* variable, const char* fallback) {
    const char* value = std::getenv(variable);
    if (value && *value && fs::path(value).is_absolute()) {
        return (fs::path(value) / "vidrnn").string();
    }
    return (homeDir() / fallback / "vidrnn").string();
}

}  // namespace

std::string userDataDir() {
    return xdgDir("XDG_DATA_HOME", ".local/share");
}

std::string userCacheDir() {
    return xdgDir("XDG_CACHE_HOME", ".cache");
}

}  // namespace vidrnn
