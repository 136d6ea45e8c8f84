#include "views/comparedata.h"

#include <algorithm>

namespace vidrnn::ui {

namespace {

// The runs asked for, by id; or, with none, every completed run and the
// study's rows (in id order, as the store lists them).
std::vector<RunRecord> readCompared(const RunStore& store, const QList<qint64>& wantedIds) {
    std::vector<RunRecord> runs;
    if (!wantedIds.isEmpty()) {
        std::vector<std::int64_t> ids(wantedIds.begin(), wantedIds.end());
        std::sort(ids.begin(), ids.end());
        return store.getRuns(ids);
    }
    RunQuery wanted;
    wanted.filter.status = RunStatus::Completed;
    wanted.filter.kind = RunKind::Trained;
    wanted.withoutConfigJson = true;
    runs = store.queryRuns(wanted);
    wanted.filter.status.reset();
    wanted.filter.kind = RunKind::Reference;
    store.forEachRun(wanted, [&runs](const RunRecord& r) { runs.push_back(r); });
    std::sort(runs.begin(), runs.end(),
              [](const RunRecord& a, const RunRecord& b) { return a.id < b.id; });
    return runs;
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
    data.runs = readCompared(store, wantedIds);
    for (std::size_t k = 0; k < data.runs.size(); ++k) {
        const RunRecord& r = data.runs[k];
        data.measured += r.kind == RunKind::Trained;
        if (r.kind == RunKind::Reference || data.curves.size() >= CompareData::kMaxCurves)
            continue;
        auto epochs = store.epochs(r.id);
        if (!epochs.empty())
            data.curves.push_back({k, std::move(epochs)});
    }
    data.report = buildReport(data.runs);
    // mean_pool's rows first (the order-blind control belongs on the chart),
    // then the others in table order.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < data.report.rows.size(); ++i) {
        if (data.report.rows[i].arch == "mean_pool")
            order.push_back(i);
    }
    for (std::size_t i = 0; i < data.report.rows.size(); ++i) {
        if (data.report.rows[i].arch != "mean_pool")
            order.push_back(i);
    }
    for (std::size_t i : order) {
        const ReportRow& row = data.report.rows[i];
        if (row.reference || data.early.size() >= CompareData::kMaxEarlyRows)
            continue;
        std::vector<std::vector<EarlyPoint>> curves;
        for (std::int64_t id : row.runIds)
            curves.push_back(store.earlyCurve(id));
        auto mean = meanCurve(curves);
        const int n = static_cast<int>(std::count_if(
            curves.begin(), curves.end(),
            [&](const auto& c) { return !c.empty() && c.size() == mean.size(); }));
        if (!mean.empty())
            data.early.push_back({i, std::move(mean), n});
    }
    std::sort(data.early.begin(), data.early.end(),
              [](const auto& a, const auto& b) { return a.row < b.row; });
    return data;
}

}  // namespace vidrnn::ui
