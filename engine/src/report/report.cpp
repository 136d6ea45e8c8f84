// Building the report: grouping runs into the study's rows and summarising
// each group. Formatting lives in report_format.cpp.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "vidrnn/backbones.h"
#include "vidrnn/errors.h"
#include "vidrnn/models.h"
#include "vidrnn/provenance.h"
#include "vidrnn/report.h"

namespace vidrnn {

namespace {

constexpr std::array<ReportFormat, 5> kFormats{ReportFormat::Table, ReportFormat::Markdown,
                                               ReportFormat::Csv, ReportFormat::Latex,
                                               ReportFormat::Json};

// The study's order (the model zoo's) first; anything newer after.
int archRank(const std::string& arch) {
    const auto& order = architectures();
    return static_cast<int>(std::find(order.begin(), order.end(), arch) - order.begin());
}

int protocolRank(const std::string& protocol) {
    if (protocol == "unstated")
        return 0;
    if (protocol == "logo")
        return 1;
    if (protocol == "groups")
        return 2;
    if (protocol == "random")
        return 3;
    return 4;
}

// A TorchScript backbone is shown by its file name; the folders are noise.
std::string backboneName(const RunRecord& run) {
    if (run.kind == RunKind::Reference) {
        return "ImageNet CNN";
    }
    std::string name = run.backbone.empty() ? "unknown" : run.backbone;
    auto slash = name.find_last_of("/\\");
    return slash == std::string::npos ? name : name.substr(slash + 1);
}

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

// The settings as one string: the last part of a row's key.
std::string joined(const std::vector<std::pair<std::string, std::string>>& settings) {
    std::string out;
    for (const auto& [name, value] : settings) {
        out += name + '\x1f' + value + '\x1e';
    }
    return out;
}

using GroupKey = std::tuple<int, std::string, int, int, bool, int, std::string, std::string, bool,
                            std::string, std::string>;

GroupKey keyOf(const RunRecord& run) {
    bool reference = run.kind == RunKind::Reference;
    // Reference rows sort before the measured rows of the same configuration.
    return {archRank(run.arch),
            run.arch,
            run.hidden,
            run.layers,
            !reference,
            protocolRank(run.protocol),
            run.protocol,
            backboneName(run),
            run.pretrained,
            run.precision,
            reference ? std::string() : joined(configurationSettings(run))};
}

// Settings that differ between measured rows are named on each row; the ones
// all rows share go into a note.
void describeDifferences(Report& report) {
    std::map<std::string, std::set<std::string>> values;
    std::vector<std::string> order;
    for (const ReportRow& row : report.rows) {
        for (const auto& [name, value] : row.settings) {
            if (!values.count(name))
                order.push_back(name);
            values[name].insert(value);
        }
    }
    static const std::set<std::string> ownColumn{"split", "precision"};
    std::string shared, varying, ownVarying;
    for (const std::string& name : order) {
        const auto& set = values[name];
        if (set.size() == 1) {
            shared += (shared.empty() ? "" : ", ") + name + " " + *set.begin();
        } else if (!ownColumn.count(name)) {
            varying += (varying.empty() ? "" : ", ") + name;
        } else {
            ownVarying += (ownVarying.empty() ? "" : ", ") + name;
        }
    }
    // Settings that are part of a row's key and have a column of their own
    // (protocol, precision) are said there once, not again in
    // "differs" ("groups, resnet18, bf16; precision bf16").
    for (ReportRow& row : report.rows) {
        for (const auto& [name, value] : row.settings) {
            if (values[name].size() > 1 && !ownColumn.count(name)) {
                row.differs += (row.differs.empty() ? "" : ", ") + name + " " + value;
            }
        }
    }
    if (!shared.empty()) {
        report.notes.push_back(
            "Measured rows pool only runs whose settings are all equal "
            "except fold and seed; a (fold, seed) run more than once counts "
            "once (its newest run; the others are listed as repeats). All "
            "measured rows share: " +
            shared + ".");
    }
    if (!ownVarying.empty()) {
        report.notes.push_back("Rows differ in " + ownVarying +
                               " (each in its own column): such rows are separate experiments.");
    }
    if (!varying.empty()) {
        report.notes.push_back("Rows differ in " + varying +
                               " (column \"differs\"): such rows are separate experiments, not "
                               "replicates of one.");
    }
}

void addNotes(Report& report) {
    report.notes.push_back(
        "Each value is the mean ± sample standard deviation over the n runs (folds, seeds) of "
        "its row; a single run shows no deviation.");
    // A caveat is printed once if any row needs it and marked on those rows.
    auto caveat = [&](auto applies, const char* text) {
        bool used = false;
        for (ReportRow& row : report.rows) {
            if (applies(row)) {
                row.notes.push_back(report.notes.size());
                used = true;
            }
        }
        if (used) {
            report.notes.push_back(text);
        }
    };
    report.notes.push_back(
        "95% CI: the t interval of the mean over the row's n runs (mean ± t(0.975, n-1)·sd/√n), "
        "cut to the values the measure can take (accuracy and F1 0 to 1, reliance -1 to 1).");
    report.notes.push_back(
        "order reliance: accuracy minus the accuracy on the same test clips with their frames "
        "shuffled (a fixed permutation per clip from the run's seed): what the model gets "
        "right only because the frames came in order. mean_pool is blind to order (0 by "
        "construction); runs stored before order diagnostics have none.");
    caveat([](const ReportRow& r) { return r.relianceOverClips; },
           "reliance of a single run: its 95% CI is over the run's test clips, the paired t "
           "interval of +1 per clip right in order and wrong shuffled, -1 per clip the other "
           "way, 0 otherwise (runs stored before schema 9 have none); with n >= 2 runs it is "
           "over the runs, as every other interval.");
    caveat([](const ReportRow& r) { return r.builds.size() > 1 || r.cpus.size() > 1; },
           "mixed provenance: the row's runs come from different builds of vidrnn or different "
           "CPUs (or some have no provenance recorded), which changes the last bits of every "
           "number; vidrnn runs show ID lists each run's.");
    caveat([](const ReportRow& r) { return r.reference; },
           "reference (report): the study's published numbers, a single run each; training "
           "times from the author's machine; split not stated.");
    caveat([](const ReportRow& r) { return r.leaking; },
           "random (leaking): a clip-level random split puts clips of one group (same actor "
           "and scene) on both sides, which inflates accuracy; use logo for comparable "
           "numbers.");
    caveat([](const ReportRow& r) { return !r.pretrained && !r.reference; },
           "not pretrained: the backbone had no weights file and was randomly initialised, so "
           "its accuracy is not comparable with the study's ImageNet features.");
    caveat([](const ReportRow& r) { return r.backbone == kPretrainedBackbone && !r.reference; },
           "MobileNetV2 (ImageNet, pretrained): the bundled ImageNet features, pretrained like "
           "the study's but from another CNN, so accuracy is comparable in kind, not number "
           "for number. Its inputs are 1280-d (ConvLSTM: 1280 channels), not the study's 512, "
           "so the params column is larger than the study's (ConvLSTM 1.75x at hidden 512 to "
           "2.33x at 64); the study's counts: vidrnn models --input-dim 512.");
}

}  // namespace

const char* toString(ReportFormat format) {
    switch (format) {
        case ReportFormat::Table:
            return "table";
        case ReportFormat::Markdown:
            return "markdown";
        case ReportFormat::Csv:
            return "csv";
        case ReportFormat::Latex:
            return "latex";
        case ReportFormat::Json:
            return "json";
    }
    return "?";
}

ReportFormat reportFormatFromString(const std::string& name) {
    std::string accepted;
    for (ReportFormat f : kFormats) {
        if (name == toString(f)) {
            return f;
        }
        accepted += accepted.empty() ? toString(f) : std::string(", ") + toString(f);
    }
    throw ConfigError("unknown report format '" + name + "' (expected one of: " + accepted + ")");
}

void clampInterval(Stat& s, double low, double high) {
    if (s.ciLow)
        s.ciLow = std::clamp(*s.ciLow, low, high);
    if (s.ciHigh)
        s.ciHigh = std::clamp(*s.ciHigh, low, high);
}

Stat summarize(const std::vector<double>& values) {
    Stat s;
    s.n = static_cast<int>(values.size());
    if (values.empty()) {
        return s;
    }
    double sum = 0.0;
    for (double v : values)
        sum += v;
    s.mean = sum / s.n;
    if (s.n >= 2) {
        double squares = 0.0;
        for (double v : values)
            squares += (v - s.mean) * (v - s.mean);
        s.stddev = std::sqrt(squares / (s.n - 1));
        const MeanInterval ci = meanInterval(values);
        s.ciLow = ci.low;
        s.ciHigh = ci.high;
    }
    return s;
}

std::string ReportRow::protocolLabel() const {
    return leaking ? protocol + " (leaking)" : protocol;
}

std::string ReportRow::backboneLabel() const {
    return vidrnn::backboneLabel(backbone, pretrained);
}

std::string ReportRow::precisionLabel() const {
    return precision.empty() ? "-" : precision;
}

std::string compactIds(std::vector<std::int64_t> ids) {
    std::sort(ids.begin(), ids.end());
    std::string out;
    for (std::size_t i = 0; i < ids.size();) {
        std::size_t j = i;
        while (j + 1 < ids.size() && ids[j + 1] == ids[j] + 1)
            ++j;
        out += (out.empty() ? "" : ", ") + std::to_string(ids[i]);
        if (j > i)
            out += (j == i + 1 ? ", " : "-") + std::to_string(ids[j]);
        i = j + 1;
    }
    return out;
}

std::string ReportRow::runsLabel() const {
    std::string out = compactIds(runIds);
    if (!repeatIds.empty())
        out += " (repeats: " + compactIds(repeatIds) + ")";
    return out;
}

std::vector<std::pair<std::string, std::string>> configurationSettings(const RunRecord& run) {
    const TrainConfig& c = run.config;
    std::string data = c.dataset;
    const auto slash = data.find_last_of("/\\");
    if (slash != std::string::npos && slash + 1 < data.size())
        data = data.substr(slash + 1);
    // The full path tells two folders of the same name apart.
    std::string dataKey = c.dataset == data ? data : data + " (" + c.dataset + ")";
    std::string weights = run.backboneId.empty() ? "built-in" : run.backboneId.substr(0, 8);
    std::string device = run.device.substr(0, run.device.find(':'));
    return {{"data", dataKey},
            {"data fingerprint",
             run.datasetFingerprint.empty() ? "-" : run.datasetFingerprint.substr(0, 8)},
            {"backbone", backboneName(run) + " [" + weights + "]"},
            {"frames", std::to_string(c.frames)},
            {"image", std::to_string(c.imageSize)},
            {"split", run.protocol},
            {"epochs", std::to_string(c.epochs)},
            {"lr", number(c.lr)},
            {"batch", std::to_string(c.batch)},
            {"patience", std::to_string(c.patience)},
            {"weight decay", number(c.weightDecay)},
            {"dropout", number(c.dropout)},
            {"grad clip", number(c.gradClip)},
            {"device", device.empty() ? "-" : device},
            {"precision", run.precision.empty() ? "-" : run.precision},
            {"input", run.input.empty() ? "-" : run.input}};
}

std::string ReportRow::sourceLabel() const {
    return reference ? "reference (report)" : "measured";
}

// What a row keeps of each of its runs.
struct ReportBuilder::Member {
    std::int64_t id = 0;
    std::string createdAt;
    std::optional<int> fold, seed;
    std::int64_t params = 0;
    std::optional<double> trainSeconds, accuracy, macroF1;
    std::optional<double> orderReliance;
    std::string build, cpu;  // identities from the provenance, "unknown" without
    std::optional<std::int64_t> testCount, shuffledLost, shuffledGained;
};

struct ReportBuilder::Impl {
    ReportOptions options;
    struct Group {
        RunRecord first;  // the row's labels and settings come from it
        std::vector<Member> members;
    };
    std::map<GroupKey, Group> groups;
};

ReportBuilder::ReportBuilder(ReportOptions options) : mImpl(std::make_unique<Impl>()) {
    mImpl->options = options;
}
ReportBuilder::~ReportBuilder() = default;
ReportBuilder::ReportBuilder(ReportBuilder&&) noexcept = default;
ReportBuilder& ReportBuilder::operator=(ReportBuilder&&) noexcept = default;

void ReportBuilder::add(const RunRecord& run) {
    const bool measured = run.kind == RunKind::Trained && run.status == RunStatus::Completed;
    const bool reference = run.kind == RunKind::Reference && mImpl->options.includeReference;
    if (!measured && !reference) {
        return;
    }
    auto [it, inserted] = mImpl->groups.try_emplace(keyOf(run));
    if (inserted) {
        it->second.first = run;
        // Per-run detail the row's labels never read.
        it->second.first.classNames.clear();
        it->second.first.configJson.clear();
    }
    auto known = [](const std::string& id) { return id.empty() ? std::string("unknown") : id; };
    it->second.members.push_back(Member{
        run.id, run.createdAt, run.fold, run.seed, run.params, run.trainSeconds, run.accuracy,
        run.macroF1, run.orderReliance, known(buildIdentity(run.provenance)),
        known(cpuIdentity(run.provenance)), run.testCount, run.shuffledLost, run.shuffledGained});
}

std::optional<std::pair<double, double>> clipRelianceInterval(std::optional<std::int64_t> clips,
                                                              std::optional<std::int64_t> lost,
                                                              std::optional<std::int64_t> gained) {
    // Counts from a store another program can write: none that cannot be
    // a run's (negative, more than its clips, a test set of billions).
    constexpr std::int64_t kMostClips = 1 << 30;
    if (!clips || !lost || !gained || *clips < 2 || *clips > kMostClips || *lost < 0 ||
        *gained < 0 || *lost > *clips || *gained > *clips - *lost) {
        return std::nullopt;
    }
    const auto n = static_cast<double>(*clips);
    const auto changed = static_cast<double>(*lost + *gained);
    const double mean = static_cast<double>(*lost - *gained) / n;
    const double variance = std::max(0.0, (changed - n * mean * mean) / (n - 1.0));
    const double half = studentTQuantile(0.975, static_cast<int>(n) - 1) * std::sqrt(variance / n);
    return std::pair{std::max(-1.0, mean - half), std::min(1.0, mean + half)};
}

Report ReportBuilder::finish() {
    Report report;
    for (auto& [key, group] : mImpl->groups) {
        const RunRecord& first = group.first;
        ReportRow row;
        row.arch = first.arch;
        row.hidden = first.hidden;
        row.layers = first.layers;
        row.type = archTypeName(first.arch, first.layers);
        row.protocol = first.protocol.empty() ? "unstated" : first.protocol;
        row.leaking = first.leaking || first.protocol == "random";
        row.backbone = backboneName(first);
        row.pretrained = first.pretrained;
        row.precision = first.precision;
        row.reference = first.kind == RunKind::Reference;
        if (!row.reference) {
            row.settings = configurationSettings(first);
        }
        // One run per (fold, seed): the newest; the older ones are repeats.
        std::vector<const Member*> ordered;
        ordered.reserve(group.members.size());
        for (const Member& m : group.members)
            ordered.push_back(&m);
        // Newest first: the run that counts for its (fold, seed).
        std::sort(ordered.begin(), ordered.end(), [](const Member* a, const Member* b) {
            return a->createdAt != b->createdAt ? a->createdAt > b->createdAt : a->id > b->id;
        });
        std::set<std::pair<int, int>> seen;
        std::vector<const Member*> counted;
        for (const Member* run : ordered) {
            if (run->fold && run->seed && !seen.insert({*run->fold, *run->seed}).second) {
                row.repeatIds.push_back(run->id);
            } else {
                counted.push_back(run);
            }
        }
        std::sort(counted.begin(), counted.end(),
                  [](const Member* a, const Member* b) { return a->id < b->id; });
        std::sort(row.repeatIds.begin(), row.repeatIds.end());
        std::vector<double> params, seconds, accuracy, f1, reliance;
        std::set<std::string> builds, cpus;
        for (const Member* run : counted) {
            row.runIds.push_back(run->id);
            row.members.push_back(
                {run->id, run->fold, run->seed, run->accuracy, run->macroF1, run->orderReliance});
            if (run->orderReliance)
                reliance.push_back(*run->orderReliance);
            if (!row.reference) {
                builds.insert(run->build);
                cpus.insert(run->cpu);
            }
            if (run->params > 0)
                params.push_back(static_cast<double>(run->params));
            if (run->trainSeconds)
                seconds.push_back(*run->trainSeconds);
            if (run->accuracy)
                accuracy.push_back(*run->accuracy);
            if (run->macroF1)
                f1.push_back(*run->macroF1);
        }
        row.params = summarize(params);
        row.trainSeconds = summarize(seconds);
        row.accuracy = summarize(accuracy);
        row.macroF1 = summarize(f1);
        row.orderReliance = summarize(reliance);
        clampInterval(row.accuracy, 0.0, 1.0);
        clampInterval(row.macroF1, 0.0, 1.0);
        clampInterval(row.orderReliance, -1.0, 1.0);
        if (counted.size() == 1 && counted.front()->orderReliance) {
            const Member& run = *counted.front();
            if (auto ci =
                    clipRelianceInterval(run.testCount, run.shuffledLost, run.shuffledGained)) {
                row.orderReliance.ciLow = ci->first;
                row.orderReliance.ciHigh = ci->second;
                row.relianceOverClips = true;
            }
        }
        row.builds.assign(builds.begin(), builds.end());
        row.cpus.assign(cpus.begin(), cpus.end());
        report.rows.push_back(std::move(row));
    }
    mImpl->groups.clear();
    // Measured rows only, so that a row keeps its id with or without the
    // study's rows in the table.
    int measured = 0;
    for (ReportRow& row : report.rows) {
        row.id = row.reference ? "ref" : "r" + std::to_string(++measured);
    }
    addNotes(report);
    describeDifferences(report);
    return report;
}

Report buildReport(const std::vector<RunRecord>& runs, const ReportOptions& options) {
    ReportBuilder builder(options);
    for (const RunRecord& run : runs) {
        builder.add(run);
    }
    return builder.finish();
}

void noteFailedRuns(Report& report, const std::vector<RunRecord>& runs) {
    // A failed cell left out without a word reads as a grid that was never
    // asked for: say which, and why, a line each (the first 20).
    constexpr int kListed = 20;
    int failed = 0;
    for (const RunRecord& r : runs) {
        if (r.kind != RunKind::Trained || r.status != RunStatus::Failed) {
            continue;
        }
        if (++failed > kListed) {
            continue;
        }
        report.notes.push_back(
            "left out: run " + std::to_string(r.id) + " (" + r.arch + " " +
            std::to_string(r.hidden) + ", fold " + std::to_string(r.fold.value_or(0)) + ", seed " +
            std::to_string(r.seed.value_or(0)) + ") failed after " + std::to_string(r.attempts) +
            " attempt" + (r.attempts == 1 ? "" : "s") + ": " + r.message);
    }
    if (failed > kListed) {
        report.notes.push_back("left out: " + std::to_string(failed - kListed) +
                               " more failed runs (vidrnn runs list --status failed)");
    }
}

}  // namespace vidrnn
