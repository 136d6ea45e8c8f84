// Cell helpers shared by the report's and the comparisons' formats.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "vidrnn/textwidth.h"

namespace vidrnn::store {

using vidrnn::displayWidth;

// An aligned text table: grid[0] is the header, a rule of dashes under it,
// columns two spaces apart at their widest cell (in display columns),
// right[i] right-aligns column i, trailing spaces trimmed; a line each.
inline std::string alignedTable(const std::vector<std::vector<std::string>>& grid,
                                const std::vector<bool>& right) {
    std::vector<std::size_t> widths(grid.empty() ? 0 : grid[0].size(), 0);
    for (const auto& line : grid) {
        for (std::size_t i = 0; i < line.size(); ++i)
            widths[i] = std::max(widths[i], displayWidth(line[i]));
    }
    std::string out;
    auto emit = [&](const std::vector<std::string>& line) {
        std::string text;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const std::string fill(widths[i] - displayWidth(line[i]), ' ');
            text += (i ? "  " : "") + (right[i] ? fill + line[i] : line[i] + fill);
        }
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        out += text + '\n';
    };
    if (grid.empty())
        return out;
    emit(grid[0]);
    std::vector<std::string> rule;
    for (std::size_t w : widths)
        rule.push_back(std::string(w, '-'));
    emit(rule);
    for (std::size_t i = 1; i < grid.size(); ++i)
        emit(grid[i]);
    return out;
}

inline std::string csvNumber(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.10g", value);
    return buffer;
}

}  // namespace vidrnn::store
