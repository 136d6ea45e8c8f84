// Helpers shared by the tests: locating the source tree, the shared/ folder and
// the built programs (paths come from CTest's environment, see VidrnnTesting.cmake).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace vidrnn::test {

inline std::filesystem::path envPath(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::filesystem::path(v) : std::filesystem::path();
}

inline std::filesystem::path sourceDir() {
    return envPath("VIDRNN_SOURCE_DIR");
}
inline std::filesystem::path binaryDir() {
    return envPath("VIDRNN_BINARY_DIR");
}

// The shared/ folder beside the checkout, or empty when it is absent (tests
// that need it then skip).
inline std::filesystem::path sharedDir() {
    auto p = envPath("VIDRNN_SHARED_DIR");
    std::error_code ec;
    if (p.empty() || !std::filesystem::is_directory(p, ec)) {
        return {};
    }
    return std::filesystem::canonical(p, ec);
}

// Sets an environment variable while it lives, then restores (or removes) it.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : mName(name) {
        if (const char* old = std::getenv(name)) {
            mOld = old;
            mHad = true;
        }
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (mHad) {
            ::setenv(mName, mOld.c_str(), 1);
        } else {
            ::unsetenv(mName);
        }
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* mName;
    std::string mOld;
    bool mHad = false;
};

}  // namespace vidrnn::test
