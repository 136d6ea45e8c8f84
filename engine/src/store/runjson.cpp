// The run's JSON (vidrnn/runjson.h): moved from the CLI so that every writer
// of a run's JSON writes the same document.
#include "vidrnn/runjson.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>
#include <type_traits>
#include <utility>
#include <vector>

#include "util/jsontext.h"
#include "vidrnn/provenance.h"
#include "vidrnn/textwidth.h"

namespace vidrnn {

namespace {

using nlohmann::json;

template <typename T>
json optionalJson(const std::optional<T>& v) {
    return v ? json(*v) : json(nullptr);
}

// A run's provenance as an object nested in a run of an array (printJson's
// indentation), every field present: "unknown" where it was not recorded.
std::string provenanceJsonText(const Provenance& p) {
    json doc = json::object();
    for (const auto& [key, v] : provenanceFields(p)) {
        doc[key] = v;
    }
    std::string text = doc.dump(2, ' ', false, json::error_handler_t::replace);
    std::string out;
    for (char c : text) {
        out += c;
        if (c == '\n')
            out += "    ";
    }
    return out;
}

// One run as printJson() indents an element of an array of runs (keys in
// nlohmann's sorted order), written field by field: no document per run.
}  // namespace

std::string runJson(const RunRecord& r) {
    // nlohmann's dump for what needs it (numbers with a fraction, strings
    // to escape); plain ASCII strings, integers and booleans written as the
    // same bytes without building a json value per field (50,000 runs times
    // 36 fields).
    auto value = [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
            return v ? "true" : "false";
        } else if constexpr (std::is_integral_v<T>) {
            return std::to_string(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
            const bool plain = std::all_of(v.begin(), v.end(), [](char c) {
                const auto u = static_cast<unsigned char>(c);
                return u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
            });
            if (plain)
                return '"' + v + '"';
            // JSON leaves DEL and the C1 controls as they are; a terminal
            // obeys them (runs show --json escapes them too).
            return escapeControl(json(v).dump(-1, ' ', false, json::error_handler_t::replace));
        } else {
            return json(v).dump(-1, ' ', false, json::error_handler_t::replace);
        }
    };
    auto text = [&](const std::string& s) { return s.empty() ? std::string("null") : value(s); };
    auto opt = [&](const auto& v) { return v ? value(*v) : std::string("null"); };
    // Written once per list of names: runs of one data set share it.
    thread_local std::vector<std::string> lastNames;
    thread_local std::string names = "[]";
    if (r.classNames != lastNames) {
        lastNames = r.classNames;
        names = "[]";
        if (!r.classNames.empty()) {
            names = "[";
            for (std::size_t i = 0; i < r.classNames.size(); ++i)
                names += (i ? ",\n      " : "\n      ") + value(r.classNames[i]);
            names += "\n    ]";
        }
    }
    const std::pair<const char*, std::string> fields[] = {
        {"accuracy", opt(r.accuracy)},
        {"arch", value(r.arch)},
        {"backbone", text(r.backbone)},
        {"backbone_id", text(r.backboneId)},
        {"best_epoch", opt(r.bestEpoch)},
        {"checkpoint", text(r.checkpoint)},
        {"class_names", names},
        {"created_at", text(r.createdAt)},
        {"device", text(r.device)},
        {"extract_seconds", opt(r.extractSeconds)},
        {"finished_at", text(r.finishedAt)},
        {"fold", opt(r.fold)},
        {"heartbeat_at", text(r.heartbeatAt)},
        {"hidden", value(r.hidden)},
        {"id", value(r.id)},
        {"input", text(r.input)},
        {"kind", value(toString(r.kind))},
        {"layers", value(r.layers)},
        {"leaking", value(r.leaking)},
        {"macro_f1", opt(r.macroF1)},
        {"message", text(r.message)},
        {"note", text(r.note)},
        {"num_classes", value(r.numClasses)},
        {"order_reliance", opt(r.orderReliance)},
        {"order_seconds", opt(r.orderSeconds)},
        {"owner_host", text(r.ownerHost)},
        {"owner_pid", opt(r.ownerPid)},
        {"params", value(r.params)},
        {"precision", text(r.precision)},
        {"pretrained", value(r.pretrained)},
        {"protocol", value(r.protocol)},
        {"provenance", provenanceJsonText(r.provenance)},
        {"reversed_accuracy", opt(r.reversedAccuracy)},
        {"reversed_gained", opt(r.reversedGained)},
        {"reversed_lost", opt(r.reversedLost)},
        {"reversed_macro_f1", opt(r.reversedMacroF1)},
        {"seed", opt(r.seed)},
        {"shuffled_accuracy", opt(r.shuffledAccuracy)},
        {"shuffled_gained", opt(r.shuffledGained)},
        {"shuffled_lost", opt(r.shuffledLost)},
        {"shuffled_macro_f1", opt(r.shuffledMacroF1)},
        {"started_at", text(r.startedAt)},
        {"status", value(toString(r.status))},
        {"sweep_id", opt(r.sweepId)},
        {"test_count", opt(r.testCount)},
        {"train_seconds", opt(r.trainSeconds)},
    };
    std::string out = "{";
    for (const auto& [key, v] : fields) {
        out += out.size() == 1 ? "\n    \"" : ",\n    \"";
        out += key;
        out += "\": ";
        out += v;
    }
    return out + "\n  }";
}

void writeRunsJson(const RunStore& store, const RunQuery& query, std::ostream& out) {
    bool first = true;
    store.forEachRun(query, [&first, &out](const RunRecord& r) {
        out << (first ? "[\n  " : ",\n  ") << runJson(r);
        first = false;
    });
    out << (first ? "[]\n" : "\n]\n");
}

std::string runDetailsJson(const RunStore& store, const RunRecord& r, bool withPredictions) {
    json doc = json::parse(runJson(r));
    json config = json::parse(r.configJson.empty() ? "null" : r.configJson, nullptr, false);
    doc["config"] = config.is_discarded() ? json(nullptr) : config;
    json epochs = json::array();
    for (const auto& e : store.epochs(r.id)) {
        epochs.push_back({{"epoch", e.epoch},
                          {"train_loss", e.trainLoss},
                          {"train_acc", e.trainAcc},
                          {"val_loss", optionalJson(e.valLoss)},
                          {"val_acc", optionalJson(e.valAcc)},
                          {"val_macro_f1", optionalJson(e.valMacroF1)},
                          {"seconds", e.seconds},
                          {"lr", e.lr}});
    }
    doc["epochs"] = epochs;
    json classes = json::array();
    for (const auto& c : store.classMetrics(r.id)) {
        const auto& m = c.metrics;
        classes.push_back({{"index", c.index},
                           {"name", c.name},
                           {"support", m.support},
                           {"predicted", m.predicted},
                           {"true_positives", m.truePositives},
                           {"precision", optionalJson(m.precision)},
                           {"recall", optionalJson(m.recall)},
                           {"f1", optionalJson(m.f1)}});
    }
    doc["class_metrics"] = classes;
    doc["confusion"] = store.confusion(r.id);
    json early = json::array();
    for (const auto& p : store.earlyCurve(r.id)) {
        early.push_back({{"fraction", p.fraction}, {"accuracy", p.accuracy}});
    }
    doc["early_curve"] = early;
    json orderClasses = json::array();
    if (const auto order = store.orderDiagnostics(r.id)) {
        for (const auto& c : order->perClass) {
            orderClasses.push_back({{"index", c.index},
                                    {"support", c.support},
                                    {"recall", optionalJson(c.recall)},
                                    {"reversed_recall", optionalJson(c.reversedRecall)},
                                    {"shuffled_recall", optionalJson(c.shuffledRecall)},
                                    {"reliance", optionalJson(c.reliance())}});
        }
    }
    doc["order_classes"] = orderClasses;
    doc["dataset_fingerprint"] =
        r.datasetFingerprint.empty() ? json(nullptr) : json(r.datasetFingerprint);
    const auto predictions = store.predictions(r.id);
    doc["prediction_count"] = predictions.size();
    if (withPredictions) {
        json rows = json::array();
        for (const auto& p : predictions) {
            rows.push_back({{"clip", p.clip},
                            {"truth", p.truth},
                            {"predicted", p.predicted},
                            {"probabilities", p.probabilities}});
        }
        doc["predictions"] = rows;
    }
    return util::jsonText(doc, 2);
}

}  // namespace vidrnn
