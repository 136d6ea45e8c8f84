// Small helpers shared by engine sources.
#pragma once

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

inline double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace vidrnn::util
