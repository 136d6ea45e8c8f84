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
    // The rows' runs, each with whether its model is order-blind and the
    // data set it was measured on.
    struct RunOf {
        bool blind = false;
        std::string data;
    };
    std::map<std::int64_t, RunOf> runOf;
    for (const ReportRow& row : report.rows) {
        if (row.reference) {
            continue;
        }
        const ArchInfo* arch = findArch(row.arch);
        std::string data;
        for (const auto& [key, value] : row.settings) {
            if (key == "data") {
                data = value;
            }
        }
        for (std::int64_t id : row.runIds) {
            runOf[id] = {arch && arch->orderBlind, data};
        }
    }
    std::map<std::pair<std::string, std::string>, ClassValues> byClass;  // (data, name)
    std::set<std::int64_t> counted, countedBlind;
    store.forEachClassOrder([&](std::int64_t id, const std::string& name, const ClassOrder& c) {
        const auto run = runOf.find(id);
        if (run == runOf.end() || !c.recall) {
            return;
        }
        const bool blind = run->second.blind;
        (blind ? countedBlind : counted).insert(id);
        ClassValues& v = byClass[{run->second.data, name}];
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
    std::set<std::string> dataSets;
    for (const auto& [key, v] : byClass) {
        dataSets.insert(key.first);
        ClassOrderRow row{key.second,
                          key.first,
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
    if (dataSets.size() > 1) {
        report.classOrderNotes.push_back(
            "The rows above are on " + std::to_string(dataSets.size()) +
            " data sets: a class is pooled over the runs of its own data set only (the data "
            "column), as a class of the same name elsewhere may be another class.");
    }
}

}  // namespace vidrnn
