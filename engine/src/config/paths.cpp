#include "vidrnn/paths.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "vidrnn/errors.h"

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
    // Never the temporary folder: a store or cache at a predictable path in
    // a folder every user may write is one another user can plant first.
    throw ConfigError(
        "no home folder (HOME is not set and the password database has no entry "
        "for user " +
        std::to_string(getuid()) +
        "): name the store with --db and the feature cache with --cache, or set "
        "XDG_DATA_HOME and XDG_CACHE_HOME");
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
