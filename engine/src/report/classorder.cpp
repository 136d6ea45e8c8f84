// Which classes need order (vidrnn/report.h ClassOrderRow): the per-class
// order diagnostics of a report's runs, pooled per class name.
#include <algorithm>
#include <map>
#include <set>

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
    // The rows' runs, each with whether its model is order-blind.
    std::map<std::int64_t, bool> blindOf;
    for (const ReportRow& row : report.rows) {
        if (row.reference) {
            continue;
        }
        const ArchInfo* arch = findArch(row.arch);
        for (std::int64_t id : row.runIds) {
            blindOf[id] = arch && arch->orderBlind;
        }
    }
    std::map<std::string, ClassValues> byName;
    std::set<std::int64_t> counted, countedBlind;
    store.forEachClassOrder([&](std::int64_t id, const std::string& name, const ClassOrder& c) {
        const auto run = blindOf.find(id);
        if (run == blindOf.end() || !c.recall) {
            return;
        }
        const bool blind = run->second;
        (blind ? countedBlind : counted).insert(id);
        ClassValues& v = byName[name];
        v.support = std::max(v.support, c.support);
        if (c.shuffledRecall) {
            (blind ? v.blindShuffled : v.shuffled).push_back(*c.recall - *c.shuffledRecall);
        }
        if (c.reversedRecall) {
            (blind ? v.blindReversed : v.reversed).push_back(*c.recall - *c.reversedRecall);
        }
    });
    const auto runs = static_cast<int>(counted.size());
    const auto blindRuns = static_cast<int>(countedBlind.size());
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
