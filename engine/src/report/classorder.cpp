// Which classes need order (vidrnn/report.h ClassOrderRow): the per-class
// order diagnostics of a report's runs, pooled per class name.
#include <algorithm>
#include <map>

#include "vidrnn/archs.h"
#include "vidrnn/report.h"

namespace vidrnn {

namespace {

struct ClassValues {
    std::int64_t support = 0;
    std::vector<double> shuffled, reversed, blindShuffled, blindReversed;
};

}  // namespace

void addClassOrder(Report& report, const RunStore& store) {
    std::map<std::string, ClassValues> byName;
    int runs = 0, blindRuns = 0;
    for (const ReportRow& row : report.rows) {
        if (row.reference) {
            continue;
        }
        const bool blind = findArch(row.arch) && findArch(row.arch)->orderBlind;
        for (std::int64_t id : row.runIds) {
            const auto order = store.orderDiagnostics(id);
            if (!order) {
                continue;
            }
            ++(blind ? blindRuns : runs);
            std::map<int, std::string> names;
            for (const ClassMetricsRecord& c : store.classMetrics(id)) {
                names[c.index] = c.name;
            }
            for (const ClassOrder& c : order->perClass) {
                const auto name = names.find(c.index);
                if (name == names.end() || !c.recall) {
                    continue;
                }
                ClassValues& v = byName[name->second];
                v.support = std::max(v.support, c.support);
                if (c.shuffledRecall) {
                    (blind ? v.blindShuffled : v.shuffled).push_back(*c.recall - *c.shuffledRecall);
                }
                if (c.reversedRecall) {
                    (blind ? v.blindReversed : v.reversed).push_back(*c.recall - *c.reversedRecall);
                }
            }
        }
    }
    report.classOrder.clear();
    report.classOrderNotes.clear();
    for (const auto& [name, v] : byName) {
        ClassOrderRow row{name,
                          v.support,
                          summarize(v.shuffled),
                          summarize(v.reversed),
                          summarize(v.blindShuffled),
                          summarize(v.blindReversed)};
        for (Stat* s : {&row.shuffled, &row.reversed, &row.blindShuffled, &row.blindReversed}) {
            clampInterval(*s, -1.0, 1.0);  // a recall difference
        }
        report.classOrder.push_back(std::move(row));
    }
    std::stable_sort(report.classOrder.begin(), report.classOrder.end(),
                     [](const ClassOrderRow& a, const ClassOrderRow& b) {
                         const double ma = a.shuffled.n ? a.shuffled.mean : -2.0;
                         const double mb = b.shuffled.n ? b.shuffled.mean : -2.0;
                         return ma > mb;
                     });
    if (report.classOrder.empty()) {
        return;
    }
    report.classOrderNotes.push_back(
        "Per class: the class's recall minus its recall with the frames shuffled (reversed: "
        "played backwards), the mean over " +
        std::to_string(runs) + " run" + (runs == 1 ? "" : "s") +
        " of the models that read order (every architecture but the order-blind) and " +
        std::to_string(blindRuns) + " run" + (blindRuns == 1 ? "" : "s") +
        " of the order-blind ones (mean_pool: 0 by construction), from every measured row "
        "above; 95% CI: the t interval over those runs. Classes told apart by their order "
        "come first.");
}

}  // namespace vidrnn
