#include "views/comparedata.h"

#include <algorithm>
#include <functional>
#include <map>

#include "vidrnn/archs.h"
#include "vidrnn/models.h"

namespace vidrnn::ui {

namespace {

// Hands each run asked for to `visit`, in id order: the runs of these ids,
// or, with none, every completed trained run and the study's rows. In pages,
// so that a selection of every run of a large store is never all in memory.
void visitCompared(const RunStore& store, const QList<qint64>& wantedIds,
                   const std::function<void(const RunRecord&)>& visit) {
    if (!wantedIds.isEmpty()) {
        std::vector<std::int64_t> ids(wantedIds.begin(), wantedIds.end());
        std::sort(ids.begin(), ids.end());
        constexpr std::size_t kPage = 500;
        for (std::size_t start = 0; start < ids.size(); start += kPage) {
            const std::vector<std::int64_t> page(
                ids.begin() + static_cast<std::ptrdiff_t>(start),
                ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), start + kPage)));
            for (const RunRecord& r : store.getRuns(page))
                visit(r);
        }
        return;
    }
    // Trained runs, then the study's rows (which draw no curve) after them.
    RunQuery wanted;
    wanted.filter.status = RunStatus::Completed;
    wanted.filter.kind = RunKind::Trained;
    wanted.withoutConfigJson = true;
    wanted.withoutClassNames = true;
    store.forEachRun(wanted, visit);
    wanted.filter.status.reset();
    wanted.filter.kind = RunKind::Reference;
    store.forEachRun(wanted, visit);
}

// The pointwise mean of the curves of one length (a row's runs share T).
std::vector<EarlyPoint> meanCurve(const std::vector<std::vector<EarlyPoint>>& curves) {
    std::vector<EarlyPoint> mean;
    int n = 0;
    for (const auto& c : curves) {
        if (c.empty() || (!mean.empty() && c.size() != mean.size()))
            continue;
        if (mean.empty())
            mean.assign(c.size(), EarlyPoint{});
        for (std::size_t i = 0; i < c.size(); ++i) {
            mean[i].fraction = c[i].fraction;
            mean[i].accuracy += c[i].accuracy;
        }
        ++n;
    }
    for (auto& p : mean)
        p.accuracy /= n;
    return mean;
}

}  // namespace

CompareData readCompareData(const RunStore& store, const QList<qint64>& wantedIds) {
    CompareData data;
    ReportBuilder builder;
    // Candidates for the per-epoch curves: the first runs that could have
    // epochs, read after the stream (a backend may not take a second query
    // while one streams). Runs without epochs are rare (imported ones), so a
    // few times kMaxCurves candidates fill the chart.
    std::vector<RunRecord> candidates;
    std::map<std::string, std::pair<std::int64_t, double>> best;  // arch -> (id, accuracy)
    visitCompared(store, wantedIds, [&](const RunRecord& r) {
        builder.add(r);
        if (r.kind != RunKind::Trained)
            return;
        ++data.measured;
        if (candidates.size() < 4 * CompareData::kMaxCurves)
            candidates.push_back(r);
        if (r.status == RunStatus::Completed && r.accuracy) {
            auto [it, inserted] = best.try_emplace(r.arch, r.id, *r.accuracy);
            if (!inserted && *r.accuracy > it->second.second)
                it->second = {r.id, *r.accuracy};
        }
    });
    for (auto& r : candidates) {
        if (data.curves.size() >= CompareData::kMaxCurves)
            break;
        auto epochs = store.epochs(r.id);
        if (!epochs.empty())
            data.curves.push_back({std::move(r), std::move(epochs)});
    }
    for (const auto& arch : architectures()) {
        if (auto it = best.find(arch); it != best.end()) {
            data.bestPerArch.push_back(it->second.first);
            best.erase(it);
        }
    }
    for (const auto& [arch, run] : best)
        data.bestPerArch.push_back(run.first);
    data.report = builder.finish();
    // Which classes need order, for the exported report (read after the
    // stream, as the curves).
    addClassOrder(data.report, store);
    // Early classification: every measured row's mean curve when they fit the
    // chart; otherwise each architecture's most accurate row, so that every
    // architecture is on it (the first rows in table order would leave the
    // later architectures out). Order-blind rows (mean_pool) come first:
    // they belong on the chart.
    std::vector<std::size_t> earlyRows;
    for (std::size_t i = 0; i < data.report.rows.size(); ++i) {
        const ReportRow& row = data.report.rows[i];
        const ArchInfo* arch = findArch(row.arch);
        // Only a causal model's per-step answers are early classification.
        if (!row.reference && (!arch || arch->causal))
            earlyRows.push_back(i);
    }
    if (earlyRows.size() > CompareData::kMaxEarlyRows) {
        data.earlyBestOfArch = true;
        std::map<std::string, std::size_t> bestOfArch;
        for (std::size_t i : earlyRows) {
            const ReportRow& row = data.report.rows[i];
            auto [it, inserted] = bestOfArch.try_emplace(row.arch, i);
            const ReportRow& top = data.report.rows[it->second];
            if (!inserted && row.accuracy.n &&
                (!top.accuracy.n || row.accuracy.mean > top.accuracy.mean))
                it->second = i;
        }
        earlyRows.clear();
        for (const auto& [arch, i] : bestOfArch)
            earlyRows.push_back(i);
        std::sort(earlyRows.begin(), earlyRows.end());
    }
    std::stable_partition(earlyRows.begin(), earlyRows.end(), [&data](std::size_t i) {
        return isOrderBlindArch(data.report.rows[i].arch);
    });
    for (std::size_t i : earlyRows) {
        const ReportRow& row = data.report.rows[i];
        if (data.early.size() >= CompareData::kMaxEarlyRows)
            break;
        std::vector<std::vector<EarlyPoint>> curves;
        for (std::int64_t id : row.runIds)
            curves.push_back(store.earlyCurve(id));
        auto mean = meanCurve(curves);
        const int n =
            static_cast<int>(std::count_if(curves.begin(), curves.end(), [&](const auto& c) {
                return !c.empty() && c.size() == mean.size();
            }));
        if (!mean.empty())
            data.early.push_back({i, std::move(mean), n});
    }
    std::sort(data.early.begin(), data.early.end(),
              [](const auto& a, const auto& b) { return a.row < b.row; });
    return data;
}

}  // namespace vidrnn::ui
