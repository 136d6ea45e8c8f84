// Reading runs back: rows to value structs, filters, and the per-run tables.
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

#include "store/store_impl.h"
#include "util/jsontext.h"
#include "vidrnn/errors.h"

namespace vidrnn {

namespace store {

// Column positions in kRunColumns; keep both in the same order.
// clang-format off
enum Col {
    cId, cCreated, cStarted, cFinished, cStatus, cKind, cConfigJson,
    cDataset, cFrames, cImageSize, cBackbone, cCacheDir, cProtocol, cFold, cSeed,
    cArch, cHidden, cLayers, cConfigLayers, cDropout, cMaxEpochs, cBatch, cLr,
    cWeightDecay, cGradClip, cPatience, cRequestedDevice, cThreads,
    cDevice, cParams, cBackboneId, cPretrained, cLeaking, cNumClasses, cClassNames,
    cTrainSeconds, cExtractSeconds, cBestEpoch, cAccuracy, cMacroF1, cTestCount,
    cMessage, cNote, cOwnerHost, cOwnerPid, cHeartbeat, cSweepId, cCheckpoint,
    cRequestedPrecision, cPrecision, cAttempts, cOwnerJob, cDatasetFingerprint,
    cCheckpointSha256,
    cProvenance, cReversedAccuracy, cReversedMacroF1, cShuffledAccuracy, cShuffledMacroF1,
    cOrderReliance, cOrderSeconds, cReversedLost, cReversedGained, cShuffledLost,
    cShuffledGained, cInput,
};
// clang-format on

const char* const kRunColumns =
    "id, created_at, started_at, finished_at, status, kind, config_json, "
    "dataset, frames, image_size, backbone, cache_dir, protocol, fold, seed, "
    "arch, hidden, layers, config_layers, dropout, max_epochs, batch, lr, "
    "weight_decay, grad_clip, patience, requested_device, threads, "
    "device, params, backbone_id, pretrained, leaking, num_classes, class_names, "
    "train_seconds, extract_seconds, best_epoch, accuracy, macro_f1, test_count, "
    "message, note, owner_host, owner_pid, heartbeat_at, sweep_id, checkpoint, "
    "requested_precision, precision, attempts, owner_job, dataset_fingerprint, checkpoint_sha256, "
    "provenance, reversed_accuracy, reversed_macro_f1, shuffled_accuracy, shuffled_macro_f1, "
    "order_reliance, order_seconds, reversed_lost, reversed_gained, shuffled_lost, "
    "shuffled_gained, input";

RunStatus statusFromColumn(const std::string& name) {
    try {
        return runStatusFromString(name);
    } catch (const ConfigError&) {
        // The CHECK constraint makes this a damaged or foreign row.
        throw StoreError("unknown run status '" + name + "' in the store");
    }
}

namespace {

TrainConfig configFromRow(const Statement& st) {
    TrainConfig c;
    auto text = [&](int col, std::string& out) {
        if (!st.isNull(col))
            out = st.text(col);
    };
    auto integer = [&](int col, int& out) {
        if (!st.isNull(col))
            out = st.int32(col);
    };
    auto real = [&](int col, double& out) {
        if (!st.isNull(col))
            out = st.real(col);
    };
    text(cDataset, c.dataset);
    integer(cFrames, c.frames);
    integer(cImageSize, c.imageSize);
    text(cBackbone, c.backbone);
    text(cCacheDir, c.cacheDir);
    text(cProtocol, c.split);
    integer(cFold, c.fold);
    integer(cSeed, c.seed);
    text(cArch, c.arch);
    integer(cHidden, c.hidden);
    c.layers = st.isNull(cConfigLayers) ? st.int32(cLayers) : st.int32(cConfigLayers);
    real(cDropout, c.dropout);
    integer(cMaxEpochs, c.epochs);
    integer(cBatch, c.batch);
    real(cLr, c.lr);
    real(cWeightDecay, c.weightDecay);
    real(cGradClip, c.gradClip);
    integer(cPatience, c.patience);
    text(cRequestedDevice, c.device);
    integer(cThreads, c.threads);
    text(cRequestedPrecision, c.precision);
    // The input has no column of its own: it is read from the stored
    // configuration where that holds one (a query without config_json reads
    // every run as appearance).
    if (!st.isNull(cConfigJson)) {
        const std::string json = st.text(cConfigJson);
        if (json.find("\"input\"") != std::string::npos) {
            c.input = trainConfigFromJson(json).input;
        }
    }
    return c;
}

}  // namespace

RunRecord runFromRow(const Statement& st, bool config) {
    RunRecord r;
    r.id = st.int64(cId);
    r.createdAt = st.text(cCreated);
    r.startedAt = st.text(cStarted);
    r.finishedAt = st.text(cFinished);
    r.status = statusFromColumn(st.text(cStatus));
    r.kind = st.text(cKind) == "reference" ? RunKind::Reference : RunKind::Trained;
    if (config)
        r.config = configFromRow(st);
    r.configJson = st.text(cConfigJson);
    r.arch = st.text(cArch);
    r.hidden = st.int32(cHidden);
    r.layers = st.int32(cLayers);
    r.params = st.int64(cParams);
    r.device = st.text(cDevice);
    r.backbone = st.text(cBackbone);
    r.backboneId = st.text(cBackboneId);
    r.pretrained = st.int64(cPretrained) != 0;
    r.protocol = st.text(cProtocol);
    r.fold = st.optInt32(cFold);
    r.seed = st.optInt32(cSeed);
    r.leaking = st.int64(cLeaking) != 0;
    r.numClasses = st.int32(cNumClasses);
    r.classNames = namesFromJson(st.text(cClassNames));
    r.trainSeconds = st.optReal(cTrainSeconds);
    r.extractSeconds = st.optReal(cExtractSeconds);
    r.bestEpoch = st.optInt32(cBestEpoch);
    r.accuracy = st.optReal(cAccuracy);
    r.macroF1 = st.optReal(cMacroF1);
    r.testCount = st.optInt64(cTestCount);
    r.message = st.text(cMessage);
    r.note = st.text(cNote);
    r.ownerHost = st.text(cOwnerHost);
    r.ownerPid = st.optInt64(cOwnerPid);
    r.heartbeatAt = st.text(cHeartbeat);
    r.sweepId = st.optInt64(cSweepId);
    r.checkpoint = st.text(cCheckpoint);
    r.precision = st.text(cPrecision);
    r.attempts = st.int32(cAttempts);
    r.ownerJob = st.text(cOwnerJob);
    r.datasetFingerprint = st.text(cDatasetFingerprint);
    r.checkpointSha256 = st.text(cCheckpointSha256);
    r.provenance = provenanceFromJson(st.text(cProvenance));
    r.reversedAccuracy = st.optReal(cReversedAccuracy);
    r.reversedMacroF1 = st.optReal(cReversedMacroF1);
    r.shuffledAccuracy = st.optReal(cShuffledAccuracy);
    r.shuffledMacroF1 = st.optReal(cShuffledMacroF1);
    r.orderReliance = st.optReal(cOrderReliance);
    r.orderSeconds = st.optReal(cOrderSeconds);
    r.reversedLost = st.optInt64(cReversedLost);
    r.reversedGained = st.optInt64(cReversedGained);
    r.shuffledLost = st.optInt64(cShuffledLost);
    r.shuffledGained = st.optInt64(cShuffledGained);
    r.input = st.text(cInput);
    return r;
}

std::string namesToJson(const std::vector<std::string>& names) {
    return util::jsonText(nlohmann::json(names));
}

std::vector<std::string> namesFromJson(const std::string& json) {
    if (json.empty()) {
        return {};
    }
    // The runs of a listing mostly share one data set: the last document
    // parsed is kept (parsing it again was a fifth of `runs list --json`).
    thread_local std::string lastJson;
    thread_local std::vector<std::string> lastNames;
    if (json == lastJson) {
        return lastNames;
    }
    auto doc = nlohmann::json::parse(json, nullptr, false);
    if (!doc.is_array()) {
        return {};
    }
    std::vector<std::string> names;
    for (const auto& item : doc) {
        names.push_back(item.is_string() ? item.get<std::string>() : std::string());
    }
    lastJson = json;
    lastNames = names;
    return names;
}

// %.9g round-trips every float exactly and stays readable in the sqlite3 shell.
std::string probabilitiesToJson(const std::vector<float>& values) {
    std::string json = "[";
    char buffer[32];
    for (size_t i = 0; i < values.size(); ++i) {
        if (std::isfinite(values[i])) {
            std::snprintf(buffer, sizeof buffer, "%.9g", static_cast<double>(values[i]));
        } else {
            std::snprintf(buffer, sizeof buffer, "null");
        }
        json += (i ? "," : "") + std::string(buffer);
    }
    return json + "]";
}

std::vector<float> probabilitiesFromJson(const std::string& json) {
    std::vector<float> values;
    auto doc = nlohmann::json::parse(json, nullptr, false);
    if (!doc.is_array()) {
        return values;
    }
    for (const auto& item : doc) {
        values.push_back(item.is_number() ? item.get<float>()
                                          : std::numeric_limits<float>::quiet_NaN());
    }
    return values;
}

}  // namespace store

std::optional<RunRecord> RunStore::getRun(std::int64_t id) const {
    store::Statement st(*mImpl->db,
                        std::string("SELECT ") + store::kRunColumns + " FROM runs WHERE id = ?");
    st.bindAll(id);
    if (!st.step()) {
        return std::nullopt;
    }
    return store::runFromRow(st);
}

std::vector<EpochRecord> RunStore::epochs(std::int64_t id) const {
    store::Statement st(*mImpl->db,
                        "SELECT epoch, train_loss, train_acc, val_loss, val_acc, val_macro_f1, "
                        "seconds, lr FROM epochs WHERE run_id = ? ORDER BY epoch");
    st.bindAll(id);
    std::vector<EpochRecord> out;
    while (st.step()) {
        EpochRecord e;
        e.epoch = st.int32(0);
        e.trainLoss = st.real(1);
        e.trainAcc = st.real(2);
        e.valLoss = st.optReal(3);
        e.valAcc = st.optReal(4);
        e.valMacroF1 = st.optReal(5);
        e.seconds = st.real(6);
        e.lr = st.real(7);
        out.push_back(e);
    }
    return out;
}

std::vector<ClassMetricsRecord> RunStore::classMetrics(std::int64_t id) const {
    store::Statement st(*mImpl->db,
                        "SELECT class_index, name, support, predicted, tp, precision, recall, f1 "
                        "FROM class_metrics WHERE run_id = ? ORDER BY class_index");
    st.bindAll(id);
    std::vector<ClassMetricsRecord> out;
    while (st.step()) {
        ClassMetricsRecord r;
        r.index = st.int32(0);
        r.name = st.text(1);
        r.metrics.support = st.int64(2);
        r.metrics.predicted = st.int64(3);
        r.metrics.truePositives = st.int64(4);
        r.metrics.precision = st.optReal(5);
        r.metrics.recall = st.optReal(6);
        r.metrics.f1 = st.optReal(7);
        out.push_back(r);
    }
    return out;
}

std::vector<std::vector<std::int64_t>> RunStore::confusion(std::int64_t id) const {
    store::Statement size(*mImpl->db,
                          "SELECT MAX(COALESCE((SELECT num_classes FROM runs WHERE id = ?1), 0), "
                          "COALESCE((SELECT MAX(MAX(truth, predicted)) + 1 FROM confusion "
                          "WHERE run_id = ?1), 0))");
    size.bindAll(id);
    size.step();
    auto n = static_cast<size_t>(size.int64(0));
    std::vector<std::vector<std::int64_t>> matrix(n, std::vector<std::int64_t>(n, 0));
    store::Statement st(*mImpl->db,
                        "SELECT truth, predicted, count FROM confusion WHERE run_id = ?");
    st.bindAll(id);
    bool any = false;
    while (st.step()) {
        std::int64_t truth = st.int64(0);
        std::int64_t predicted = st.int64(1);
        if (truth >= 0 && predicted >= 0 && truth < std::int64_t(n) &&
            predicted < std::int64_t(n)) {
            matrix[size_t(truth)][size_t(predicted)] = st.int64(2);
            any = true;
        }
    }
    // No evaluation stored: no matrix, rather than one of zeros.
    return any ? matrix : std::vector<std::vector<std::int64_t>>{};
}

std::vector<ClipPrediction> RunStore::predictions(std::int64_t id) const {
    store::Statement st(*mImpl->db,
                        "SELECT clip, truth, predicted, probabilities FROM predictions "
                        "WHERE run_id = ? ORDER BY position");
    st.bindAll(id);
    std::vector<ClipPrediction> out;
    while (st.step()) {
        ClipPrediction p;
        p.clip = st.text(0);
        p.truth = st.int32(1);
        p.predicted = st.int32(2);
        p.probabilities = store::probabilitiesFromJson(st.text(3));
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<EarlyPoint> RunStore::earlyCurve(std::int64_t id) const {
    store::Statement st(
        *mImpl->db, "SELECT fraction, accuracy FROM early_curve WHERE run_id = ? ORDER BY step");
    st.bindAll(id);
    std::vector<EarlyPoint> out;
    while (st.step()) {
        out.push_back({st.real(0), st.real(1)});
    }
    return out;
}

namespace {

// The columns class_index, support, recall, reversed_recall, shuffled_recall
// from `first` on (class_metrics joined with order_classes).
ClassOrder classOrderFromRow(const store::Statement& st, int first) {
    ClassOrder c;
    c.index = st.int32(first);
    c.support = st.int64(first + 1);
    c.recall = st.optReal(first + 2);
    c.reversedRecall = st.optReal(first + 3);
    c.shuffledRecall = st.optReal(first + 4);
    return c;
}

constexpr const char* kClassOrderJoin =
    " FROM class_metrics c JOIN order_classes o ON o.run_id = c.run_id AND o.class_index = "
    "c.class_index";

}  // namespace

void RunStore::forEachClassOrder(
    const std::function<void(std::int64_t, const std::string&, const ClassOrder&)>& visit) const {
    store::Statement st(*mImpl->db,
                        std::string("SELECT c.run_id, c.name, c.class_index, c.support, c.recall, "
                                    "o.reversed_recall, o.shuffled_recall") +
                            kClassOrderJoin +
                            " JOIN runs r ON r.id = c.run_id "
                            "WHERE r.kind = 'trained' AND r.status = 'completed'");
    while (st.step()) {
        visit(st.int64(0), st.text(1), classOrderFromRow(st, 2));
    }
}

std::optional<OrderDiagnostics> RunStore::orderDiagnostics(std::int64_t id) const {
    store::Statement run(
        *mImpl->db,
        "SELECT accuracy, reversed_accuracy, reversed_macro_f1, "
        "shuffled_accuracy, shuffled_macro_f1, order_seconds, reversed_lost, reversed_gained, "
        "shuffled_lost, shuffled_gained FROM runs WHERE id = ?");
    run.bindAll(id);
    if (!run.step() || run.isNull(0) || run.isNull(1) || run.isNull(3)) {
        return std::nullopt;
    }
    OrderDiagnostics d;
    d.accuracy = run.real(0);
    d.reversedAccuracy = run.real(1);
    d.reversedMacroF1 = run.isNull(2) ? 0.0 : run.real(2);
    d.shuffledAccuracy = run.real(3);
    d.shuffledMacroF1 = run.isNull(4) ? 0.0 : run.real(4);
    d.seconds = run.isNull(5) ? 0.0 : run.real(5);
    if (!run.isNull(6) && !run.isNull(7)) {
        d.reversedFlips = ClipFlips{run.int64(6), run.int64(7)};
    }
    if (!run.isNull(8) && !run.isNull(9)) {
        d.shuffledFlips = ClipFlips{run.int64(8), run.int64(9)};
    }
    store::Statement st(*mImpl->db, std::string("SELECT c.class_index, c.support, c.recall, "
                                                "o.reversed_recall, o.shuffled_recall") +
                                        kClassOrderJoin +
                                        " WHERE c.run_id = ? ORDER BY c.class_index");
    st.bindAll(id);
    while (st.step()) {
        d.perClass.push_back(classOrderFromRow(st, 0));
    }
    return d;
}

}  // namespace vidrnn
