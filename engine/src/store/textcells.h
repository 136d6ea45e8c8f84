// Cell helpers shared by the report's and the comparisons' formats.
#pragma once

#include <cstdio>
#include <string>

namespace vidrnn::store {

// Display width in code points, so "±" counts as one column.
inline std::size_t displayWidth(const std::string& text) {
    std::size_t n = 0;
    for (unsigned char c : text) {
        n += (c & 0xC0) != 0x80;
    }
    return n;
}

// RFC 4180: quoted when it holds a comma, quote or line break.
inline std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) {
        return text;
    }
    std::string out = "\"";
    for (char c : text) {
        out += c == '"' ? "\"\"" : std::string(1, c);
    }
    return out + "\"";
}

inline std::string csvNumber(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.10g", value);
    return buffer;
}

}  // namespace vidrnn::store
