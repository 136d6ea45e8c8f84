// Width of UTF-8 text in a terminal or a fixed-width table, for everything
// that aligns columns (the report's text table, the CLI's lists).
#pragma once

#include <cstddef>
#include <string_view>

namespace vidrnn {

// Display width in code points, so "±" and "…" count as one column (wide
// East Asian characters would count as one too: none of vidrnn's own text
// has them, and a user's note with them misaligns only its own line).
inline std::size_t displayWidth(std::string_view text) {
    std::size_t n = 0;
    for (unsigned char c : text) {
        n += (c & 0xC0) != 0x80;
    }
    return n;
}

}  // namespace vidrnn
