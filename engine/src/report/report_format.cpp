// Writing a Report as text, Markdown, CSV, LaTeX or JSON. Every format
// carries the same columns and notes, so a leaking protocol or an
// unpretrained backbone cannot drop out of one of them.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string_view>

#include "util/jsontext.h"
#include "vidrnn/report.h"

namespace vidrnn {

namespace {

using Align = Table::Align;

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

// One column of the text, Markdown and LaTeX tables. A number column names
// its Stat; LaTeX sets its mean and "± sd" in two columns so both align.
struct Column {
    const char* title;
    const char* latexTitle;  // nullptr: folded into the LaTeX "setting" column
    Align align;
    std::string (*text)(const ReportRow&);  // for non-Stat columns
    const Stat ReportRow::*stat = nullptr;
    int decimals = 0;
    bool integer = false;  // thousands separators, no decimals
};

// Adding a column to the tables is one line here.
// "[0.70, 0.88]": the 95% t interval of a mean; "-" below 2 runs.
std::string interval(const Stat& s) {
    if (!s.ciLow || !s.ciHigh)
        return "-";
    return "[" + fixed(*s.ciLow, 3) + ", " + fixed(*s.ciHigh, 3) + "]";
}
std::string accuracyInterval(const ReportRow& r) {
    return interval(r.accuracy);
}
std::string relianceInterval(const ReportRow& r) {
    return interval(r.orderReliance);
}

const std::vector<Column> kColumns{
    {"row", "row", Align::Left, [](const ReportRow& r) { return r.id; }},
    {"type", "type", Align::Left, [](const ReportRow& r) { return r.type; }},
    {"hidden", "hidden", Align::Right, [](const ReportRow& r) { return std::to_string(r.hidden); }},
    {"parameters", "parameters", Align::Right, nullptr, &ReportRow::params, 0, true},
    {"training time (s)", "time (s)", Align::Right, nullptr, &ReportRow::trainSeconds, 2},
    {"accuracy", "accuracy", Align::Right, nullptr, &ReportRow::accuracy, 3},
    {"avg. F1", "avg.\\ F1", Align::Right, nullptr, &ReportRow::macroF1, 3},
    {"n", "$n$", Align::Right, [](const ReportRow& r) { return std::to_string(r.runIds.size()); }},
    {"accuracy 95% CI", "95\\% CI", Align::Right, accuracyInterval},
    {"order reliance", "reliance", Align::Right, nullptr, &ReportRow::orderReliance, 3},
    {"reliance 95% CI", "95\\% CI", Align::Right, relianceInterval},
    {"protocol", nullptr, Align::Left, [](const ReportRow& r) { return r.protocolLabel(); }},
    {"backbone", nullptr, Align::Left, [](const ReportRow& r) { return r.backboneLabel(); }},
    {"precision", nullptr, Align::Left, [](const ReportRow& r) { return r.precisionLabel(); }},
    {"source", nullptr, Align::Left, [](const ReportRow& r) { return r.sourceLabel(); }},
    {"differs", nullptr, Align::Left,
     [](const ReportRow& r) { return r.differs.empty() ? std::string("-") : r.differs; }},
    {"runs", nullptr, Align::Left, [](const ReportRow& r) { return r.runsLabel(); }},
};

std::string number(const Column& c, double v) {
    return c.integer ? withThousands(v) : fixed(v, c.decimals);
}

// The mean; "" when there is none.
std::string meanCell(const Column& c, const ReportRow& row) {
    const Stat& s = row.*(c.stat);
    return s.n ? number(c, s.mean) : std::string();
}

// The deviation, when there is one worth printing.
std::optional<std::string> sdCell(const Column& c, const ReportRow& row) {
    const Stat& s = row.*(c.stat);
    if (!s.stddev || (c.integer && std::round(*s.stddev) == 0.0)) {
        return std::nullopt;
    }
    return number(c, *s.stddev);
}

// "0.764 ± 0.012"; a single value alone; "-" when there is none.
std::string cellText(const Column& c, const ReportRow& row, const std::string& pm) {
    if (!c.stat) {
        return c.text(row);
    }
    const std::string mean = meanCell(c, row);
    if (mean.empty()) {
        return "-";
    }
    const auto sd = sdCell(c, row);
    return sd ? mean + pm + *sd : mean;
}

std::vector<std::string> cells(const ReportRow& row, const std::string& pm) {
    std::vector<std::string> out;
    for (const Column& c : kColumns) {
        out.push_back(cellText(c, row, pm));
    }
    return out;
}

// The text and Markdown tables: every column, "mean ± sd" in one cell, the
// notes under it.
Table reportTable(const Report& report) {
    Table table;
    for (const Column& c : kColumns) {
        table.header.push_back(c.title);
        table.align.push_back(c.align);
    }
    for (const ReportRow& row : report.rows)
        table.addRow(cells(row, " ± "));
    table.notes = report.notes;
    return table;
}

// Which classes need order (ClassOrderRow): a table of its own after the
// report's; no columns when there is nothing to show.
Table classOrderTable(const Report& report) {
    Table table;
    if (report.classOrder.empty()) {
        return table;
    }
    table.caption = "Order reliance by class (which classes need order)";
    table.header = {"class",    "clips",  "shuffled",    "95% CI",
                    "reversed", "95% CI", "order-blind", "95% CI"};
    table.align = {Align::Left,  Align::Right, Align::Right, Align::Right,
                   Align::Right, Align::Right, Align::Right, Align::Right};
    // A data column where the classes come from more than one data set.
    const bool manyData =
        std::any_of(report.classOrder.begin(), report.classOrder.end(),
                    [&](const ClassOrderRow& c) { return c.data != report.classOrder[0].data; });
    if (manyData) {
        table.header.insert(table.header.begin() + 1, "data");
        table.align.insert(table.align.begin() + 1, Align::Left);
    }
    auto mean = [](const Stat& s) { return s.n ? fixed(s.mean, 3) : std::string("-"); };
    for (const ClassOrderRow& c : report.classOrder) {
        std::vector<std::string> cells{c.name,
                                       std::to_string(c.support),
                                       mean(c.shuffled),
                                       interval(c.shuffled),
                                       mean(c.reversed),
                                       interval(c.reversed),
                                       mean(c.blindShuffled),
                                       interval(c.blindShuffled)};
        if (manyData) {
            cells.insert(cells.begin() + 1, c.data);
        }
        table.addRow(cells);
    }
    table.notes = report.classOrderNotes;
    // Which model kind each pair of columns is, for the header's sake.
    table.notes.insert(table.notes.begin(),
                       "shuffled, reversed: the reliance of the models that read order; "
                       "order-blind: the order-blind models' shuffled reliance (0 by "
                       "construction, reversed alike).");
    return table;
}

// The report's table, then (when there is one) the class-order table.
std::string withClassOrder(std::string text, const Report& report, TableFormat format) {
    const Table classes = classOrderTable(report);
    return classes.header.empty() ? text : text + "\n" + renderTable(classes, format);
}

std::string asTable(const Report& report) {
    Table table = reportTable(report);
    table.emptyText = "(no completed runs)";
    return withClassOrder(renderTable(table, TableFormat::Text), report, TableFormat::Text);
}

std::string asMarkdown(const Report& report) {
    return withClassOrder(renderTable(reportTable(report), TableFormat::Markdown), report,
                          TableFormat::Markdown);
}

// Means and deviations in columns of their own, undefined values empty.
std::string asCsv(const Report& report) {
    Table table({"row",
                 "type",
                 "arch",
                 "hidden",
                 "layers",
                 "protocol",
                 "leaking",
                 "backbone",
                 "pretrained",
                 "precision",
                 "source",
                 "n",
                 "params_mean",
                 "params_std",
                 "train_seconds_mean",
                 "train_seconds_std",
                 "accuracy_mean",
                 "accuracy_std",
                 "macro_f1_mean",
                 "macro_f1_std",
                 "accuracy_ci_low",
                 "accuracy_ci_high",
                 "macro_f1_ci_low",
                 "macro_f1_ci_high",
                 "differs",
                 "run_ids",
                 "repeat_ids",
                 "order_reliance_mean",
                 "order_reliance_std",
                 "order_reliance_ci_low",
                 "order_reliance_ci_high"});
    auto opt = [](const std::optional<double>& v) { return v ? csvNumber(*v) : ""; };
    auto ids = [](const std::vector<std::int64_t>& list) {
        std::string text;
        for (std::int64_t id : list)
            text += (text.empty() ? "" : " ") + std::to_string(id);
        return text;
    };
    std::vector<std::string> cells;
    auto stat = [&](const Stat& s) {
        cells.push_back(s.n ? csvNumber(s.mean) : "");
        cells.push_back(opt(s.stddev));
    };
    auto ci = [&](const Stat& s) {
        cells.push_back(opt(s.ciLow));
        cells.push_back(opt(s.ciHigh));
    };
    for (const ReportRow& r : report.rows) {
        cells = {r.id,
                 r.type,
                 r.arch,
                 std::to_string(r.hidden),
                 std::to_string(r.layers),
                 r.protocol,
                 r.leaking ? "true" : "false",
                 r.backbone,
                 r.pretrained ? "true" : "false",
                 r.precision,
                 r.sourceLabel(),
                 std::to_string(r.runIds.size())};
        stat(r.params);
        stat(r.trainSeconds);
        stat(r.accuracy);
        stat(r.macroF1);
        ci(r.accuracy);
        ci(r.macroF1);
        cells.push_back(r.differs);
        cells.push_back(ids(r.runIds));
        cells.push_back(ids(r.repeatIds));
        stat(r.orderReliance);
        ci(r.orderReliance);
        table.addRow(cells);
    }
    return renderTable(table, TableFormat::Csv);
}

// Footnote marks a, b, ... for the notes that apply to rows.
std::string noteMark(size_t k) {
    std::string mark;
    do {
        mark.insert(mark.begin(), char('a' + k % 26));
        k /= 26;
    } while (k-- > 0);
    return mark;
}

// A booktabs table in the study's layout (type, hidden, parameters, time,
// accuracy, F1) plus n and the setting: it fits an A4 article's text width at
// \footnotesize; a wider one (long type or backbone names) is scaled down to
// the width rather than run into the margin. Caveats are footnotes under it,
// marked on the rows they concern.
std::string asLatex(const Report& report) {
    std::map<size_t, std::string> marks;  // note index -> mark
    for (const ReportRow& row : report.rows) {
        for (size_t k : row.notes) {
            if (!marks.count(k)) {
                const size_t next = marks.size();
                marks[k] = noteMark(next);
            }
        }
    }
    std::ostringstream out;
    out << "% vidrnn report table: needs \\usepackage{booktabs} and \\usepackage{graphicx}\n"
           "\\begin{table}[htbp]\n\\centering\n\\begin{minipage}{\\linewidth}\n\\centering\n"
           "\\footnotesize\n\\setlength{\\tabcolsep}{3.5pt}\n"
           "\\ifdefined\\vidrnnTableBox\\else\\newsavebox{\\vidrnnTableBox}\\fi\n"
           "\\sbox{\\vidrnnTableBox}{%\n\\begin{tabular}{@{}";
    for (const Column& c : kColumns) {
        if (c.latexTitle) {
            out << (c.stat ? "r@{}l" : c.align == Align::Right ? "r" : "l");
        }
    }
    out << "l@{}}\n\\toprule\n";
    for (const Column& c : kColumns) {
        if (c.latexTitle) {
            out << (c.stat ? std::string("\\multicolumn{2}{c}{") + c.latexTitle + "}"
                           : c.latexTitle)
                << " & ";
        }
    }
    out << "setting \\\\\n\\midrule\n";
    for (const ReportRow& row : report.rows) {
        for (const Column& c : kColumns) {
            if (!c.latexTitle) {
                continue;
            }
            if (!c.stat) {
                out << escapeLatex(c.text(row)) << " & ";
                continue;
            }
            const std::string mean = meanCell(c, row);
            const auto sd = sdCell(c, row);
            out << (mean.empty() ? "---" : mean) << " & "
                << (sd ? "\\,$\\pm$\\," + *sd : std::string()) << " & ";
        }
        std::string setting = row.reference ? "study" : row.protocolLabel() + ", " + row.backbone;
        if (!row.reference && !row.precision.empty()) {
            setting += ", " + row.precisionLabel();
        }
        if (!row.differs.empty()) {
            setting += "; " + row.differs;
        }
        out << escapeLatex(setting);
        for (size_t k : row.notes) {
            out << "\\textsuperscript{" << marks[k] << "}";
        }
        out << " \\\\\n";
    }
    if (report.rows.empty()) {
        size_t span = 1;  // the setting
        for (const Column& c : kColumns) {
            span += c.latexTitle ? (c.stat ? 2 : 1) : 0;
        }
        out << "\\multicolumn{" << span << "}{c}{(no completed runs)} \\\\\n";
    }
    out << "\\bottomrule\n\\end{tabular}}%\n"
           "\\ifdim\\wd\\vidrnnTableBox>\\linewidth\\resizebox{\\linewidth}{!}{\\usebox{"
           "\\vidrnnTableBox}}\\else\\usebox{\\vidrnnTableBox}\\fi\n"
           "\\par\\smallskip\\raggedright\n";
    for (size_t k = 0; k < report.notes.size(); ++k) {
        auto m = marks.find(k);
        out << (m != marks.end() ? "\\textsuperscript{" + m->second + "}\\," : std::string())
            << escapeLatex(report.notes[k]) << "\\par\n";
    }
    // The runs behind each row, so every number can be traced to the store.
    std::string runs;
    for (const ReportRow& row : report.rows) {
        if (!row.reference) {
            runs += (runs.empty() ? "" : "; ") + row.id + ": " + row.runsLabel();
        }
    }
    if (!runs.empty()) {
        out << escapeLatex("Runs: " + runs + ".") << "\\par\n";
    }
    out << "\\end{minipage}\n\\caption{Test accuracy and macro F1 per configuration "
           "(vidrnn).}\n\\end{table}\n";
    return withClassOrder(out.str(), report, TableFormat::Latex);
}

nlohmann::json statJson(const Stat& s) {
    nlohmann::json j;
    j["mean"] = s.n ? nlohmann::json(s.mean) : nlohmann::json(nullptr);
    j["std"] = s.stddev ? nlohmann::json(*s.stddev) : nlohmann::json(nullptr);
    j["n"] = s.n;
    j["ci95"] = {s.ciLow ? nlohmann::json(*s.ciLow) : nlohmann::json(nullptr),
                 s.ciHigh ? nlohmann::json(*s.ciHigh) : nlohmann::json(nullptr)};
    return j;
}

nlohmann::json settingsJson(const ReportRow& r) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [name, value] : r.settings) {
        j[name] = value;
    }
    return j;
}

std::string asJson(const Report& report) {
    nlohmann::json rows = nlohmann::json::array();
    for (const ReportRow& r : report.rows) {
        rows.push_back(
            {{"row", r.id},
             {"type", r.type},
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
             {"repeat_ids", r.repeatIds},
             {"differs", r.differs},
             {"settings", settingsJson(r)},
             {"params", statJson(r.params)},
             {"train_seconds", statJson(r.trainSeconds)},
             {"accuracy", statJson(r.accuracy)},
             {"macro_f1", statJson(r.macroF1)},
             {"order_reliance", statJson(r.orderReliance)},
             {"builds", r.builds},
             {"cpus", r.cpus}});
    }
    nlohmann::json classes = nlohmann::json::array();
    for (const ClassOrderRow& c : report.classOrder) {
        classes.push_back({{"class", c.name},
                           {"data", c.data},
                           {"clips", c.support},
                           {"shuffled", statJson(c.shuffled)},
                           {"reversed", statJson(c.reversed)},
                           {"order_blind_shuffled", statJson(c.blindShuffled)},
                           {"order_blind_reversed", statJson(c.blindReversed)}});
    }
    nlohmann::json doc{{"rows", rows}, {"notes", report.notes}};
    if (!report.classOrder.empty()) {
        doc["class_order"] = classes;
        doc["class_order_notes"] = report.classOrderNotes;
    }
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
