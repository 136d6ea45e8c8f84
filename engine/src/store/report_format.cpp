// Writing a Report as text, Markdown, CSV, LaTeX or JSON. Every format
// carries the same columns and notes, so a leaking protocol or an
// unpretrained backbone cannot drop out of one of them.
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/jsontext.h"
#include "vidrnn/report.h"

namespace vidrnn {

namespace {

enum class Align { Left, Right };

struct Column {
    const char* title;
    Align align;
};

const std::vector<Column> kColumns{
    {"type", Align::Left},        {"hidden", Align::Right},
    {"parameters", Align::Right}, {"training time (s)", Align::Right},
    {"accuracy", Align::Right},   {"avg. F1", Align::Right},
    {"n", Align::Right},          {"protocol", Align::Left},
    {"backbone", Align::Left},    {"precision", Align::Left},
    {"source", Align::Left},
};

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::string withThousands(double value) {
    std::string digits = fixed(std::round(value), 0);
    bool negative = !digits.empty() && digits[0] == '-';
    if (negative)
        digits.erase(0, 1);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
        digits.insert(static_cast<size_t>(i), ",");
    }
    return negative ? "-" + digits : digits;
}

// "0.764 ± 0.012"; a single value alone; "-" when there is none.
std::string statCell(const Stat& s, int decimals, const std::string& pm, bool integer = false) {
    if (s.n == 0) {
        return "-";
    }
    auto number = [&](double v) { return integer ? withThousands(v) : fixed(v, decimals); };
    std::string cell = number(s.mean);
    if (s.stddev && !(integer && std::round(*s.stddev) == 0.0)) {
        cell += pm + number(*s.stddev);
    }
    return cell;
}

std::vector<std::string> cells(const ReportRow& row, const std::string& pm) {
    return {row.type,
            std::to_string(row.hidden),
            statCell(row.params, 0, pm, true),
            statCell(row.trainSeconds, 2, pm),
            statCell(row.accuracy, 3, pm),
            statCell(row.macroF1, 3, pm),
            std::to_string(row.runIds.size()),
            row.protocolLabel(),
            row.backboneLabel(),
            row.precisionLabel(),
            row.sourceLabel()};
}

// Display width in code points, so "±" counts as one column.
size_t width(const std::string& text) {
    size_t n = 0;
    for (unsigned char c : text) {
        n += (c & 0xC0) != 0x80;
    }
    return n;
}

std::string pad(const std::string& text, size_t to, Align align) {
    std::string fill(to > width(text) ? to - width(text) : 0, ' ');
    return align == Align::Left ? text + fill : fill + text;
}

std::string asTable(const Report& report) {
    std::vector<std::vector<std::string>> grid;
    std::vector<std::string> header;
    for (const Column& c : kColumns)
        header.push_back(c.title);
    grid.push_back(header);
    for (const ReportRow& row : report.rows)
        grid.push_back(cells(row, " ± "));

    std::vector<size_t> widths(kColumns.size(), 0);
    for (const auto& line : grid) {
        for (size_t i = 0; i < line.size(); ++i)
            widths[i] = std::max(widths[i], width(line[i]));
    }
    std::ostringstream out;
    auto emit = [&](const std::vector<std::string>& line) {
        std::string text;
        for (size_t i = 0; i < line.size(); ++i) {
            text += (i ? "  " : "") + pad(line[i], widths[i], kColumns[i].align);
        }
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        out << text << '\n';
    };
    emit(grid[0]);
    std::vector<std::string> rule;
    for (size_t w : widths)
        rule.push_back(std::string(w, '-'));
    emit(rule);
    for (size_t i = 1; i < grid.size(); ++i)
        emit(grid[i]);
    if (report.rows.empty())
        out << "(no completed runs)\n";
    out << '\n';
    for (const std::string& note : report.notes)
        out << "* " << note << '\n';
    return out.str();
}

std::string escapeMarkdown(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += '\\';
        out += c;
    }
    return out;
}

std::string asMarkdown(const Report& report) {
    std::ostringstream out;
    out << '|';
    for (const Column& c : kColumns)
        out << ' ' << c.title << " |";
    out << "\n|";
    for (const Column& c : kColumns)
        out << (c.align == Align::Right ? "---:|" : "---|");
    out << '\n';
    for (const ReportRow& row : report.rows) {
        out << '|';
        for (const std::string& cell : cells(row, " ± "))
            out << ' ' << escapeMarkdown(cell) << " |";
        out << '\n';
    }
    out << '\n';
    for (const std::string& note : report.notes)
        out << "- " << escapeMarkdown(note) << '\n';
    return out.str();
}

std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) {
        return text;
    }
    std::string out = "\"";
    for (char c : text) {
        out += c == '"' ? "\"\"" : std::string(1, c);
    }
    return out + "\"";
}

std::string csvNumber(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.10g", value);
    return buffer;
}

std::string asCsv(const Report& report) {
    std::ostringstream out;
    out << "type,arch,hidden,layers,protocol,leaking,backbone,pretrained,precision,source,n,"
           "params_mean,params_std,train_seconds_mean,train_seconds_std,accuracy_mean,"
           "accuracy_std,macro_f1_mean,macro_f1_std\n";
    auto stat = [](const Stat& s) {
        std::string mean = s.n ? csvNumber(s.mean) : "";
        std::string sd = s.stddev ? csvNumber(*s.stddev) : "";
        return mean + "," + sd;
    };
    for (const ReportRow& r : report.rows) {
        out << csvField(r.type) << ',' << csvField(r.arch) << ',' << r.hidden << ',' << r.layers
            << ',' << csvField(r.protocol) << ',' << (r.leaking ? "true" : "false") << ','
            << csvField(r.backbone) << ',' << (r.pretrained ? "true" : "false") << ','
            << csvField(r.precision) << ',' << csvField(r.sourceLabel()) << ',' << r.runIds.size()
            << ',' << stat(r.params) << ',' << stat(r.trainSeconds) << ',' << stat(r.accuracy)
            << ',' << stat(r.macroF1) << '\n';
    }
    return out.str();
}

std::string escapeLatex(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (text.compare(i, 2, "±") == 0) {
            out += "$\\pm$";
            ++i;  // "±" is two bytes in UTF-8
            continue;
        }
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

std::string asLatex(const Report& report) {
    std::ostringstream out;
    for (const std::string& note : report.notes)
        out << "% " << escapeLatex(note) << '\n';
    out << "\\begin{tabular}{";
    for (const Column& c : kColumns)
        out << (c.align == Align::Right ? 'r' : 'l');
    out << "}\n\\hline\n";
    for (size_t i = 0; i < kColumns.size(); ++i) {
        out << (i ? " & " : "") << escapeLatex(kColumns[i].title);
    }
    out << " \\\\\n\\hline\n";
    for (const ReportRow& row : report.rows) {
        auto line = cells(row, " ± ");
        for (size_t i = 0; i < line.size(); ++i)
            out << (i ? " & " : "") << escapeLatex(line[i]);
        out << " \\\\\n";
    }
    out << "\\hline\n\\end{tabular}\n";
    return out.str();
}

nlohmann::json statJson(const Stat& s) {
    nlohmann::json j;
    j["mean"] = s.n ? nlohmann::json(s.mean) : nlohmann::json(nullptr);
    j["std"] = s.stddev ? nlohmann::json(*s.stddev) : nlohmann::json(nullptr);
    j["n"] = s.n;
    return j;
}

std::string asJson(const Report& report) {
    nlohmann::json rows = nlohmann::json::array();
    for (const ReportRow& r : report.rows) {
        rows.push_back(
            {{"type", r.type},
             {"arch", r.arch},
             {"hidden", r.hidden},
             {"layers", r.layers},
             {"protocol", r.protocol},
             {"leaking", r.leaking},
             {"backbone", r.backbone},
             {"pretrained", r.pretrained},
             {"precision", r.precision.empty() ? nlohmann::json() : nlohmann::json(r.precision)},
             {"reference", r.reference},
             {"source", r.sourceLabel()},
             {"n", r.runIds.size()},
             {"run_ids", r.runIds},
             {"params", statJson(r.params)},
             {"train_seconds", statJson(r.trainSeconds)},
             {"accuracy", statJson(r.accuracy)},
             {"macro_f1", statJson(r.macroF1)}});
    }
    nlohmann::json doc{{"rows", rows}, {"notes", report.notes}};
    return util::jsonText(doc, 2) + "\n";
}

}  // namespace

std::string formatReport(const Report& report, ReportFormat format) {
    switch (format) {
        case ReportFormat::Table:
            return asTable(report);
        case ReportFormat::Markdown:
            return asMarkdown(report);
        case ReportFormat::Csv:
            return asCsv(report);
        case ReportFormat::Latex:
            return asLatex(report);
        case ReportFormat::Json:
            return asJson(report);
    }
    return {};
}

}  // namespace vidrnn
