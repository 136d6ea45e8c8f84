// Small helpers shared by engine sources.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>

namespace vidrnn::util {

inline std::string hex(std::uint64_t v) {
    std::ostringstream s;
    s << std::hex << v;
    return s.str();
}

// This machine's name (gethostname), "" where it cannot be read.
inline std::string hostName() {
    char host[256] = {};
    return ::gethostname(host, sizeof host - 1) == 0 ? std::string(host) : std::string();
}

inline double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace vidrnn::util
