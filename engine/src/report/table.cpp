// The one table writer (vidrnn/table.h) and the cell escapes of each format.
#include "vidrnn/table.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string_view>

#include "vidrnn/errors.h"
#include "vidrnn/textwidth.h"

namespace vidrnn {

std::string escapeMarkdown(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '|':
                out += "\\|";
                break;
            case '\n':
            case '\r':
                out += ' ';
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

namespace {

// [+-]digits[.digits][e[+-]digits]: what a spreadsheet reads as a number.
bool isPlainNumber(const std::string& text) {
    std::size_t i = text[0] == '+' || text[0] == '-' ? 1 : 0;
    const std::size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
        ++i;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
            ++i;
    }
    if (i == start || (i == start + 1 && text[start] == '.'))
        return false;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-'))
            ++i;
        const std::size_t digits = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
            ++i;
        if (i == digits)
            return false;
    }
    return i == text.size();
}

}  // namespace

std::string escapeCsv(const std::string& text) {
    std::string cell = text;
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos &&
        !isPlainNumber(cell)) {
        cell.insert(cell.begin(), '\'');
    }
    if (cell.find_first_of(",\"\n\r") == std::string::npos) {
        return cell;
    }
    std::string out = "\"";
    for (char c : cell) {
        out += c == '"' ? "\"\"" : std::string(1, c);
    }
    return out + "\"";
}

std::string escapeLatex(const std::string& text) {
    static const std::pair<const char*, const char*> kUtf8[] = {
        {"±", "$\\pm$"},
        {"×", "$\\times$"},
        {"—", "---"},
        {"–", "--"},
        {"·", "\\textperiodcentered{}"},
        {"…", "\\dots{}"},
        {"√", "$\\surd$"},
        {"Δ", "$\\Delta$"},
    };
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        bool replaced = false;
        for (const auto& [from, to] : kUtf8) {
            const size_t n = std::char_traits<char>::length(from);
            if (text.compare(i, n, from) == 0) {
                out += to;
                i += n - 1;
                replaced = true;
                break;
            }
        }
        if (replaced) {
            continue;
        }
        const char c = text[i];
        switch (c) {
            case '\\':
                out += "\\textbackslash{}";
                break;
            case '~':
                out += "\\textasciitilde{}";
                break;
            case '^':
                out += "\\textasciicircum{}";
                break;
            case '|':
                out += "\\textbar{}";
                break;
            case '<':
                out += "\\textless{}";
                break;
            case '>':
                out += "\\textgreater{}";
                break;
            case '&':
            case '%':
            case '$':
            case '#':
            case '_':
            case '{':
            case '}':
                out += '\\';
                out += c;
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string_view Table::cell(std::size_t row, std::size_t column) const {
    const std::size_t k = row * header.size() + column;
    const std::size_t from = k ? mEnds[k - 1] : 0;
    return std::string_view(mText).substr(from, mEnds[k] - from);
}

void Table::endRow(std::size_t cells) {
    if (cells != header.size()) {
        mText.resize(mEnds.size() > cells ? mEnds[mEnds.size() - cells - 1] : 0);
        mEnds.resize(mEnds.size() - cells);
        throw LogicError("a table row has " + std::to_string(cells) + " cells for " +
                         std::to_string(header.size()) + " columns");
    }
}

std::string csvNumber(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.10g", value);
    return buffer;
}

namespace {

// The cells of a line joined, each escaped.
template <typename CellAt, typename Escape>
std::string joined(std::size_t columns, const CellAt& cellAt, const Escape& escape,
                   std::string_view separator) {
    std::string line;
    for (std::size_t i = 0; i < columns; ++i) {
        if (i) {
            line += separator;
        }
        line += escape(std::string(cellAt(i)));
    }
    return line;
}

// The notes under a table: `lead` once, then each between `before` and
// `after`; nothing without notes.
template <typename Escape>
std::string notesText(const Table& t, std::string_view lead, std::string_view before,
                      std::string_view after, const Escape& escape) {
    std::string out;
    for (const std::string& note : t.notes) {
        out += out.empty() ? lead : std::string_view();
        out += before;
        out += escape(note);
        out += after;
    }
    return out;
}

std::string asText(const Table& t) {
    const std::size_t columns = t.header.size();
    const std::size_t rows = t.rowCount();
    // Cells from a store: no control character reaches the terminal (the
    // check first, so most cells are not copied).
    std::string escaped;
    auto shown = [&escaped](std::string_view cell) {
        if (!hasControl(cell)) {
            return cell;
        }
        escaped = escapeControl(cell);
        return std::string_view(escaped);
    };
    std::vector<std::size_t> widths(columns);
    for (std::size_t i = 0; i < columns; ++i) {
        widths[i] = displayWidth(shown(t.header[i]));
    }
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t i = 0; i < columns; ++i) {
            widths[i] = std::max(widths[i], displayWidth(shown(t.cell(r, i))));
        }
    }
    std::string out;
    if (!t.caption.empty()) {
        out += escapeControl(t.caption) + '\n';
    }
    auto emit = [&](const auto& cellAt) {
        const std::size_t from = out.size();
        for (std::size_t i = 0; i < columns; ++i) {
            const std::string_view cell = shown(cellAt(i));
            if (i) {
                out += "  ";
            }
            const std::size_t fill = widths[i] - displayWidth(cell);
            if (t.right(i)) {
                out.append(fill, ' ');
            }
            out += cell;
            if (!t.right(i)) {
                out.append(fill, ' ');
            }
        }
        while (out.size() > from && out.back() == ' ') {
            out.pop_back();
        }
        out += '\n';
    };
    emit([&](std::size_t i) { return std::string_view(t.header[i]); });
    if (t.textRule) {
        std::vector<std::string> rule;
        for (std::size_t w : widths) {
            rule.emplace_back(w, '-');
        }
        emit([&](std::size_t i) { return std::string_view(rule[i]); });
    }
    for (std::size_t r = 0; r < rows; ++r) {
        emit([&](std::size_t i) { return t.cell(r, i); });
    }
    if (rows == 0 && !t.emptyText.empty()) {
        out += escapeControl(t.emptyText) + '\n';
    }
    return out + notesText(t, "\n", "* ", "\n",
                           [](const std::string& note) { return escapeControl(note); });
}

std::string asMarkdown(const Table& t) {
    const std::size_t columns = t.header.size();
    std::string out;
    if (!t.caption.empty()) {
        out += escapeMarkdown(t.caption) + "\n\n";
    }
    auto header = [&](std::size_t i) { return std::string_view(t.header[i]); };
    out += "| " + joined(columns, header, escapeMarkdown, " | ") + " |\n|";
    for (std::size_t i = 0; i < columns; ++i) {
        out += t.right(i) ? "---:|" : "---|";
    }
    out += '\n';
    for (std::size_t r = 0; r < t.rowCount(); ++r) {
        auto cell = [&](std::size_t i) { return t.cell(r, i); };
        out += "| " + joined(columns, cell, escapeMarkdown, " | ") + " |\n";
    }
    return out + notesText(t, "\n", "- ", "\n", escapeMarkdown);
}

std::string asCsv(const Table& t) {
    const std::size_t columns = t.header.size();
    auto header = [&](std::size_t i) { return std::string_view(t.header[i]); };
    std::string out = joined(columns, header, escapeCsv, ",") + '\n';
    for (std::size_t r = 0; r < t.rowCount(); ++r) {
        auto cell = [&](std::size_t i) { return t.cell(r, i); };
        out += joined(columns, cell, escapeCsv, ",") + '\n';
    }
    return out;
}

// Boxed first, and scaled down to the text width only when it would run into
// the margin (a per-class table with long class names).
std::string asLatex(const Table& t) {
    const std::size_t columns = t.header.size();
    std::string out =
        "% needs \\usepackage{booktabs} and \\usepackage{graphicx}\n\\begin{table}[htbp]\n"
        "\\centering\n";
    if (!t.caption.empty()) {
        out += "\\caption{" + escapeLatex(t.caption) + "}\n";
    }
    out += "\\small\n\\setbox0\\hbox{%\n\\begin{tabular}{@{}";
    for (std::size_t i = 0; i < columns; ++i) {
        out += t.right(i) ? 'r' : 'l';
    }
    out += "@{}}\n\\toprule\n";
    auto header = [&](std::size_t i) { return std::string_view(t.header[i]); };
    out += joined(columns, header, escapeLatex, " & ") + " \\\\\n\\midrule\n";
    for (std::size_t r = 0; r < t.rowCount(); ++r) {
        auto cell = [&](std::size_t i) { return t.cell(r, i); };
        out += joined(columns, cell, escapeLatex, " & ") + " \\\\\n";
    }
    if (t.rowCount() == 0 && !t.emptyText.empty()) {
        out += "\\multicolumn{" + std::to_string(columns) + "}{c}{" + escapeLatex(t.emptyText) +
               "} \\\\\n";
    }
    out +=
        "\\bottomrule\n\\end{tabular}}%\n"
        "\\ifdim\\wd0>\\linewidth\\resizebox{\\linewidth}{!}{\\box0}\\else\\box0\\fi\n";
    out += notesText(t, "\\par\\smallskip\\raggedright\n", "", "\\par\n", escapeLatex);
    return out + "\\end{table}\n";
}

}  // namespace

std::string renderTable(const Table& table, TableFormat format) {
    if (table.header.empty()) {
        return {};
    }
    switch (format) {
        case TableFormat::Text:
            return asText(table);
        case TableFormat::Markdown:
            return asMarkdown(table);
        case TableFormat::Csv:
            return asCsv(table);
        case TableFormat::Latex:
            return asLatex(table);
    }
    return {};
}

}  // namespace vidrnn
