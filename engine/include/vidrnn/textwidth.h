// Width of UTF-8 text in a terminal or a fixed-width table, for everything
// that aligns columns (the report's text table, the CLI's lists).
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
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

// True when escapeControl would change the text (most text: no copy needed).
inline bool hasControl(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7F ||
            (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F)) {
            return true;
        }
    }
    return false;
}

// Text from a store (a note, a class name, a message) as a terminal may show
// it: control characters written out (\n, \r, \t, the others, DEL and the
// UTF-8 C1 controls as \u001b, \u007f, \u009b), so that a row cannot move the
// cursor, retitle the terminal, clear the screen or break a table's line.
// With keepLines, newlines and tabs pass (multi-line text printed as such).
// The escapes are JSON's: a JSON document stays valid and means the same.
inline std::string escapeControl(std::string_view text, bool keepLines = false) {
    std::string out;
    out.reserve(text.size());
    char code[8];
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        const bool c1 = c == 0xC2 && i + 1 < text.size() &&
                        static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                        static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if (c1) {
            c = static_cast<unsigned char>(text[++i]);
        } else if (c >= 0x20 && c != 0x7F) {
            out += static_cast<char>(c);
            continue;
        } else if (c == '\n' || c == '\t' || c == '\r') {
            if (keepLines && c != '\r') {
                out += static_cast<char>(c);
            } else {
                out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : "\\t";
            }
            continue;
        }
        std::snprintf(code, sizeof code, "\\u%04x", static_cast<unsigned>(c));
        out += code;
    }
    return out;
}

}  // namespace vidrnn
