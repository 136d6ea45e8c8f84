// Building the report: grouping runs into the study's rows and summarising
// each group. Formatting lives in report_format.cpp.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <tuple>

#include "vidrnn/errors.h"
#include "vidrnn/features.h"
#include "vidrnn/models.h"
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

// The model zoo's display name, with the layer count where it is not the default.
std::string typeName(const std::string& arch, int layers) {
    if (layers <= 0 || layers == defaultLayers(arch)) {
        return archDisplayName(arch);
    }
    const std::string count = " (" + std::to_string(layers) + " layers)";
    return arch == "deep_lstm" ? "Deep LSTM" + count : archDisplayName(arch) + count;
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

using GroupKey =
    std::tuple<int, std::string, int, int, bool, int, std::string, std::string, bool, std::string>;

GroupKey keyOf(const RunRecord& run) {
    bool reference = run.kind == RunKind::Reference;
    // Reference rows sort before the measured rows of the same configuration.
    return {
        archRank(run.arch),         run.arch,     run.hidden,        run.layers,     !reference,
        protocolRank(run.protocol), run.protocol, backboneName(run), run.pretrained, run.precision};
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

std::string ReportRow::sourceLabel() const {
    return reference ? "reference (report)" : "measured";
}

Report buildReport(const std::vector<RunRecord>& runs, const ReportOptions& options) {
    std::map<GroupKey, std::vector<const RunRecord*>> groups;
    for (const RunRecord& run : runs) {
        bool measured = run.kind == RunKind::Trained && run.status == RunStatus::Completed;
        bool reference = run.kind == RunKind::Reference && options.includeReference;
        if (measured || reference) {
            groups[keyOf(run)].push_back(&run);
        }
    }

    Report report;
    for (const auto& [key, members] : groups) {
        const RunRecord& first = *members.front();
        ReportRow row;
        row.arch = first.arch;
        row.hidden = first.hidden;
        row.layers = first.layers;
        row.type = typeName(first.arch, first.layers);
        row.protocol = first.protocol.empty() ? "unstated" : first.protocol;
        row.leaking = first.leaking || first.protocol == "random";
        row.backbone = backboneName(first);
        row.pretrained = first.pretrained;
        row.precision = first.precision;
        row.reference = first.kind == RunKind::Reference;
        std::vector<double> params, seconds, accuracy, f1;
        for (const RunRecord* run : members) {
            row.runIds.push_back(run->id);
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
        report.rows.push_back(std::move(row));
    }
    addNotes(report);
    return report;
}

}  // namespace vidrnn
