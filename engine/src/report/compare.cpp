// Paired comparisons of report rows and their tables.
#include "vidrnn/compare.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "util/jsontext.h"
#include "vidrnn/errors.h"
#include "vidrnn/table.h"

namespace vidrnn {

namespace {

std::string label(const ReportRow& row) {
    std::string text = row.type + " " + std::to_string(row.hidden);
    if (!row.differs.empty())
        text += " [" + row.differs + "]";
    return text + " (" + row.id + ")";
}

PairedMetric measure(std::vector<double> differences, bool test) {
    PairedMetric m;
    m.mean = meanInterval(differences);
    if (test) {
        m.wilcoxon = wilcoxonSignedRank(differences);
        m.signFlip = signFlipTest(differences);
    }
    m.differences = std::move(differences);
    return m;
}

std::string fixed(double v, int decimals, bool sign = false) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, sign ? "%+.*f" : "%.*f", decimals, v);
    return buffer;
}

std::string pValue(const std::optional<TestResult>& t) {
    if (!t)
        return "-";
    return t->p < 0.001 ? "<0.001" : fixed(t->p, 3);
}

std::string pValue(const std::optional<double>& p) {
    if (!p)
        return "-";
    return *p < 0.001 ? "<0.001" : fixed(*p, 3);
}

// "+0.031 [+0.006, +0.058]"
std::string meanCell(const MeanInterval& m) {
    if (m.n == 0)
        return "-";
    std::string text = fixed(m.mean, 3, true);
    if (m.low && m.high)
        text += " [" + fixed(*m.low, 3, true) + ", " + fixed(*m.high, 3, true) + "]";
    return text;
}

std::string pairRuns(const PairedComparison& c) {
    std::string out;
    for (const auto& [a, b] : c.runs)
        out += (out.empty() ? "" : " ") + std::to_string(a) + "/" + std::to_string(b);
    return out;
}

const std::vector<std::string> kNotes{
    "Δ = row A minus row B on the (fold, seed) pairs both rows ran; mean with its 95% t "
    "confidence interval (mean ± t(0.975, n-1)·sd/√n).",
    "p Wilcoxon: two-sided Wilcoxon signed-rank test, exact (zero differences dropped, ties "
    "at mid-ranks); p flip: two-sided exact sign-flip permutation test of the mean (random "
    "sign patterns from a fixed seed above 20 pairs); p Holm: the Wilcoxon p adjusted by Holm "
    "over every comparison of the table.",
    "With fewer than 5 pairs no test is possible and none is printed (with 4 pairs the "
    "smallest two-sided Wilcoxon p is 0.125).",
    "Δ order reliance: row A minus row B of each run's test accuracy minus its accuracy on "
    "shuffled frame order, on the pairs where both runs have the order diagnostics (runs "
    "stored before schema 8 have none); its p-values are not Holm-adjusted.",
};

// The paired metrics of the CSV and LaTeX tables, in column order. Order
// reliance is not Holm-adjusted (applyHolm) and may have fewer pairs.
struct MetricColumn {
    const char* key;
    PairedMetric PairedComparison::*member;
    bool holm;
};
const MetricColumn kMetrics[] = {{"accuracy", &PairedComparison::accuracy, true},
                                 {"macro_f1", &PairedComparison::macroF1, true},
                                 {"order_reliance", &PairedComparison::orderReliance, false}};

std::vector<std::vector<std::string>> grid(const std::vector<PairedComparison>& all) {
    std::vector<std::vector<std::string>> rows{
        {"row A", "row B", "pairs", "Δ accuracy [95% CI]", "p Wilcoxon", "p flip", "p Holm",
         "Δ macro F1 [95% CI]", "p Wilcoxon", "p flip", "p Holm", "runs A/B"}};
    for (const PairedComparison& c : all) {
        rows.push_back({c.labelA, c.labelB, std::to_string(c.pairs.size()),
                        meanCell(c.accuracy.mean), pValue(c.accuracy.wilcoxon),
                        pValue(c.accuracy.signFlip), pValue(c.accuracy.holm),
                        meanCell(c.macroF1.mean), pValue(c.macroF1.wilcoxon),
                        pValue(c.macroF1.signFlip), pValue(c.macroF1.holm),
                        c.noTest.empty() ? pairRuns(c) : pairRuns(c) + " (" + c.noTest + ")"});
    }
    return rows;
}

std::string asText(const std::vector<PairedComparison>& all, bool markdown) {
    const auto rows = grid(all);
    Table table(rows[0]);
    // Counts and differences right-aligned, labels and run lists left.
    table.align.assign(rows[0].size(), Table::Align::Right);
    table.align[0] = table.align[1] = table.align.back() = Table::Align::Left;
    for (std::size_t i = 1; i < rows.size(); ++i)
        table.addRow(rows[i]);
    std::ostringstream out;
    out << renderTable(table, markdown ? TableFormat::Markdown : TableFormat::Text);
    if (all.empty())
        out << "(no two rows share a (fold, seed))\n";
    // Order reliance below the table: the table keeps the study's two metrics.
    bool reliance = false;
    for (const PairedComparison& c : all) {
        const int n = c.orderReliance.mean.n;
        if (n > 0) {
            out << (reliance ? "" : "\n") << (markdown ? "- " : "") << c.rowA << " vs " << c.rowB
                << ": Δ order reliance " << meanCell(c.orderReliance.mean) << ", p Wilcoxon "
                << pValue(c.orderReliance.wilcoxon) << ", p flip "
                << pValue(c.orderReliance.signFlip);
            if (n != static_cast<int>(c.pairs.size()))
                out << " (" << n << " of " << c.pairs.size() << " pairs have it)";
            out << '\n';
            reliance = true;
        }
    }
    out << '\n';
    for (const std::string& note : kNotes)
        out << (markdown ? "- " : "* ") << note << '\n';
    return out.str();
}

std::string num(const std::optional<double>& v) {
    return v ? csvNumber(*v) : std::string();
}

std::string asCsv(const std::vector<PairedComparison>& all) {
    Table table({"row_a", "row_b", "label_a", "label_b", "pairs", "runs_a_b", "no_test"});
    for (const MetricColumn& metric : kMetrics) {
        for (const char* f : {"diff_mean", "ci_low", "ci_high", "p_wilcoxon", "p_flip", "p_holm"})
            if (metric.holm || std::string(f) != "p_holm")
                table.header.push_back(std::string(metric.key) + '_' + f);
    }
    table.header.push_back("order_reliance_pairs");
    for (const PairedComparison& c : all) {
        std::vector<std::string> cells{
            c.rowA,      c.rowB,  c.labelA, c.labelB, std::to_string(c.pairs.size()),
            pairRuns(c), c.noTest};
        for (const MetricColumn& metric : kMetrics) {
            const PairedMetric& m = c.*metric.member;
            cells.insert(cells.end(), {m.mean.n ? num(m.mean.mean) : "", num(m.mean.low),
                                       num(m.mean.high), m.wilcoxon ? num(m.wilcoxon->p) : "",
                                       m.signFlip ? num(m.signFlip->p) : ""});
            if (metric.holm)
                cells.push_back(num(m.holm));
        }
        cells.push_back(std::to_string(c.orderReliance.mean.n));
        table.addRow(cells);
    }
    return renderTable(table, TableFormat::Csv);
}

nlohmann::json optJson(const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json metricJson(const PairedMetric& m) {
    auto test = [](const std::optional<TestResult>& t) {
        return t ? nlohmann::json{{"statistic", t->statistic}, {"p", t->p}, {"n", t->n}}
                 : nlohmann::json(nullptr);
    };
    return {{"differences", m.differences},
            {"mean", m.mean.n ? nlohmann::json(m.mean.mean) : nlohmann::json(nullptr)},
            {"ci95", {optJson(m.mean.low), optJson(m.mean.high)}},
            {"wilcoxon", test(m.wilcoxon)},
            {"sign_flip", test(m.signFlip)},
            {"p_holm", optJson(m.holm)}};
}

std::string asJson(const std::vector<PairedComparison>& all) {
    nlohmann::json list = nlohmann::json::array();
    for (const PairedComparison& c : all) {
        nlohmann::json pairs = nlohmann::json::array();
        for (std::size_t i = 0; i < c.pairs.size(); ++i) {
            pairs.push_back({{"fold", c.pairs[i].first},
                             {"seed", c.pairs[i].second},
                             {"run_a", c.runs[i].first},
                             {"run_b", c.runs[i].second}});
        }
        list.push_back({{"row_a", c.rowA},
                        {"row_b", c.rowB},
                        {"label_a", c.labelA},
                        {"label_b", c.labelB},
                        {"pairs", pairs},
                        {"no_test", c.noTest.empty() ? nlohmann::json() : nlohmann::json(c.noTest)},
                        {"accuracy", metricJson(c.accuracy)},
                        {"macro_f1", metricJson(c.macroF1)},
                        {"order_reliance", metricJson(c.orderReliance)}});
    }
    return util::jsonText(nlohmann::json{{"comparisons", list}, {"notes", kNotes}}, 2) + "\n";
}

std::string asLatex(const std::vector<PairedComparison>& all) {
    std::ostringstream out;
    out << "% vidrnn paired comparisons: needs \\usepackage{booktabs} and \\usepackage{graphicx}\n"
           "\\begin{table}[htbp]\n\\centering\n\\footnotesize\n\\resizebox{\\linewidth}{!}{%\n"
           "\\begin{tabular}{@{}llrlrrrlrrrlrr@{}}\n\\toprule\n"
           "row A & row B & $n$ & $\\Delta$ accuracy [95\\% CI] & $p_W$ & $p_\\mathrm{flip}$ & "
           "$p_\\mathrm{Holm}$ & $\\Delta$ macro F1 [95\\% CI] & $p_W$ & $p_\\mathrm{flip}$ & "
           "$p_\\mathrm{Holm}$ & $\\Delta$ order reliance [95\\% CI] & $p_W$ & "
           "$p_\\mathrm{flip}$ \\\\\n\\midrule\n";
    for (const PairedComparison& c : all) {
        out << escapeLatex(c.labelA) << " & " << escapeLatex(c.labelB) << " & " << c.pairs.size();
        for (const MetricColumn& metric : kMetrics) {
            const PairedMetric& m = c.*metric.member;
            out << " & " << escapeLatex(meanCell(m.mean)) << " & "
                << escapeLatex(pValue(m.wilcoxon)) << " & " << escapeLatex(pValue(m.signFlip));
            if (metric.holm)
                out << " & " << escapeLatex(pValue(m.holm));
        }
        out << " \\\\\n";
    }
    out << "\\bottomrule\n\\end{tabular}}\n\\par\\smallskip\\raggedright\n";
    for (const std::string& note : kNotes)
        out << escapeLatex(note) << "\\par\n";
    for (const PairedComparison& c : all) {
        out << escapeLatex(c.rowA + " vs " + c.rowB + ": runs (A/B) " + pairRuns(c) +
                           (c.noTest.empty() ? "" : "; " + c.noTest))
            << "\\par\n";
    }
    out << "\\caption{Paired comparisons on matched folds and seeds (vidrnn).}\n\\end{table}\n";
    return out.str();
}

}  // namespace

PairedComparison comparePaired(const ReportRow& a, const ReportRow& b) {
    for (const ReportRow* row : {&a, &b}) {
        if (row->reference) {
            throw ConfigError("row " + row->id +
                              " is the study's published row: it has no folds or seeds to "
                              "pair");
        }
    }
    PairedComparison c;
    c.rowA = a.id;
    c.rowB = b.id;
    c.labelA = label(a);
    c.labelB = label(b);
    std::map<std::pair<int, int>, const ReportMember*> bySlot;
    for (const ReportMember& m : b.members) {
        if (m.fold && m.seed)
            bySlot[{*m.fold, *m.seed}] = &m;
    }
    std::vector<double> accuracy, f1, reliance;
    std::vector<const ReportMember*> ordered;
    for (const ReportMember& m : a.members)
        ordered.push_back(&m);
    std::sort(ordered.begin(), ordered.end(), [](const ReportMember* x, const ReportMember* y) {
        return std::make_pair(x->fold, x->seed) < std::make_pair(y->fold, y->seed);
    });
    for (const ReportMember* m : ordered) {
        if (!m->fold || !m->seed)
            continue;
        auto it = bySlot.find({*m->fold, *m->seed});
        if (it == bySlot.end())
            continue;
        const ReportMember& other = *it->second;
        if (!m->accuracy || !other.accuracy || !m->macroF1 || !other.macroF1)
            continue;
        c.pairs.push_back(it->first);
        c.runs.push_back({m->runId, other.runId});
        accuracy.push_back(*m->accuracy - *other.accuracy);
        f1.push_back(*m->macroF1 - *other.macroF1);
        if (m->orderReliance && other.orderReliance) {
            reliance.push_back(*m->orderReliance - *other.orderReliance);
        }
    }
    const int n = static_cast<int>(c.pairs.size());
    const bool test = n >= kMinPairsForTest;
    if (!test) {
        c.noTest = std::to_string(n) + " matched (fold, seed) pair" + (n == 1 ? "" : "s") +
                   "; no test possible below " + std::to_string(kMinPairsForTest);
    }
    c.accuracy = measure(std::move(accuracy), test);
    c.macroF1 = measure(std::move(f1), test);
    const bool relianceTest = static_cast<int>(reliance.size()) >= kMinPairsForTest;
    c.orderReliance = measure(std::move(reliance), relianceTest);
    return c;
}

const ReportRow& findReportRow(const Report& report, const std::string& spec) {
    for (const ReportRow& row : report.rows) {
        if (row.id == spec && !row.reference)
            return row;
    }
    const bool digits =
        !spec.empty() &&
        std::all_of(spec.begin(), spec.end(), [](unsigned char ch) { return std::isdigit(ch); });
    if (digits) {
        const std::int64_t id = std::stoll(spec);
        for (const ReportRow& row : report.rows) {
            if (std::find(row.runIds.begin(), row.runIds.end(), id) != row.runIds.end())
                return row;
        }
        for (const ReportRow& row : report.rows) {
            if (std::find(row.repeatIds.begin(), row.repeatIds.end(), id) != row.repeatIds.end())
                throw ConfigError("run " + spec + " is a repeat of a (fold, seed) in row " +
                                  row.id + "; it does not count (name the row or a counted run)");
        }
        throw ConfigError("no report row holds run " + spec);
    }
    const auto measured = std::count_if(report.rows.begin(), report.rows.end(),
                                        [](const ReportRow& r) { return !r.reference; });
    throw ConfigError("no report row '" + spec + "' (measured rows are r1 to r" +
                      std::to_string(measured) + ", or give a run id)");
}

void applyHolm(std::vector<PairedComparison>& comparisons) {
    for (PairedMetric PairedComparison::*metric :
         {&PairedComparison::accuracy, &PairedComparison::macroF1}) {
        std::vector<double> p;
        std::vector<PairedMetric*> tested;
        for (PairedComparison& c : comparisons) {
            PairedMetric& m = c.*metric;
            if (m.wilcoxon) {
                p.push_back(m.wilcoxon->p);
                tested.push_back(&m);
            }
        }
        const auto adjusted = holmAdjust(p);
        for (std::size_t i = 0; i < tested.size(); ++i)
            tested[i]->holm = adjusted[i];
    }
}

std::vector<PairedComparison> compareAllPairs(const Report& report) {
    std::vector<PairedComparison> out;
    for (std::size_t i = 0; i < report.rows.size(); ++i) {
        for (std::size_t j = i + 1; j < report.rows.size(); ++j) {
            if (report.rows[i].reference || report.rows[j].reference)
                continue;
            auto c = comparePaired(report.rows[i], report.rows[j]);
            if (!c.pairs.empty())
                out.push_back(std::move(c));
        }
    }
    applyHolm(out);
    return out;
}

std::vector<PairedComparison> compareAgainstBest(const Report& report) {
    const ReportRow* best = nullptr;
    for (const ReportRow& row : report.rows) {
        if (!row.reference && row.accuracy.n > 0 &&
            (!best || row.accuracy.mean > best->accuracy.mean))
            best = &row;
    }
    std::vector<PairedComparison> out;
    if (!best)
        return out;
    for (const ReportRow& row : report.rows) {
        if (row.reference || &row == best)
            continue;
        auto c = comparePaired(*best, row);
        if (!c.pairs.empty())
            out.push_back(std::move(c));
    }
    applyHolm(out);
    return out;
}

std::string formatComparisons(const std::vector<PairedComparison>& comparisons,
                              ReportFormat format) {
    if (format == ReportFormat::Csv)
        return asCsv(comparisons);
    if (format == ReportFormat::Latex)
        return asLatex(comparisons);
    if (format == ReportFormat::Json)
        return asJson(comparisons);
    return asText(comparisons, format == ReportFormat::Markdown);
}

}  // namespace vidrnn
