// One table writer for every table vidrnn prints or exports: the CLI's lists,
// the report, the comparisons and the workbench's table exports. A Table is a
// value (caption, header, rows of UTF-8 cells, alignment, notes); renderTable
// writes it as aligned text, a Markdown pipe table, CSV or a LaTeX booktabs
// table, escaping each cell as its format needs.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace vidrnn {

enum class TableFormat { Text, Markdown, Csv, Latex };

class Table {
public:
    enum class Align { Left, Right };

    Table() = default;
    explicit Table(std::vector<std::string> headerCells, std::vector<Align> alignment = {})
        : header(std::move(headerCells)), align(std::move(alignment)) {}

    std::string caption;              // Text and Markdown: a line above; LaTeX: \caption
    std::vector<std::string> header;  // the columns; a row has one cell each
    std::vector<Align> align;         // per column; columns past its end are Left
    std::vector<std::string> notes;   // under the table (not in CSV)
    std::string emptyText;            // Text and LaTeX: said when there is no row
    bool textRule = true;             // Text: a rule of dashes under the header

    // One row, a cell per column (throws LogicError otherwise). The cells of
    // all rows share one buffer: 50,000 runs of 13 columns are not 650,000
    // allocations.
    template <typename Cells>
    void addRow(const Cells& cells) {
        std::size_t n = 0;
        for (std::string_view cell : cells) {
            mText.append(cell);
            mEnds.push_back(mText.size());
            ++n;
        }
        endRow(n);
    }
    void addRow(std::initializer_list<std::string_view> cells) { addRow<decltype(cells)>(cells); }

    std::size_t rowCount() const { return header.empty() ? 0 : mEnds.size() / header.size(); }
    std::string_view cell(std::size_t row, std::size_t column) const;
    bool right(std::size_t column) const {
        return column < align.size() && align[column] == Align::Right;
    }

private:
    void endRow(std::size_t cells);

    std::string mText;
    std::vector<std::size_t> mEnds;  // where each cell ends in mText, row by row
};

// Text: columns two spaces apart, padded to their widest cell in display
// columns (vidrnn/textwidth.h), right-aligned ones padded on the left,
// trailing spaces trimmed, control characters escaped (escapeControl), notes
// as "* " lines after a blank line.
// Markdown: a pipe table ("---:" for right-aligned columns), cells escaped
// (escapeMarkdown), notes as "- " lines after a blank line.
// CSV: the header and the rows (RFC 4180, escapeCsv); no caption, no notes.
// LaTeX: a booktabs table float (\usepackage{booktabs,graphicx}) scaled down
// to the text width only when wider, every cell escaped (escapeLatex), notes
// as paragraphs under it.
// A table without columns is the empty string in every format.
std::string renderTable(const Table& table, TableFormat format);

// Text (UTF-8) as LaTeX source: the ten special characters, |, < and >, and
// the typographic marks the tables use (±, ×, dashes, ·, …, √, Δ) escaped.
std::string escapeLatex(const std::string& text);

// A CSV cell (RFC 4180: quoted when it holds a comma, quote or line break)
// that a spreadsheet will not execute: text beginning with =, +, -, @, tab
// or carriage return gets a leading ' (OWASP's rule for CSV injection),
// except a plain number such as -0.5 or +1e-3, which stays a number.
std::string escapeCsv(const std::string& text);

// A Markdown table cell: | escaped, line breaks as spaces (a row is one
// line), and <, > and & as HTML entities, so a cell cannot carry HTML.
std::string escapeMarkdown(const std::string& text);

// A number for CSV: up to 10 significant digits, no trailing zeros.
std::string csvNumber(double value);

}  // namespace vidrnn
